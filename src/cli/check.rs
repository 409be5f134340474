//! `brink check`: validate a scenario and summarise it.

use brink::report;

use super::{CliResult, scenario_arg};

/// Validate a scenario file and print a short summary of it.
///
/// Every problem in the file is listed with its line, column and TOML path,
/// what was expected and how to fix it (exit status 2).
///
/// Example: brink check scenarios/geneva-2022.toml
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file, or the name of a built-in scenario (e.g. geneva-2022).
    scenario: String,
    /// Print the summary (or the problems) as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CliResult {
    let (source, model) = scenario_arg::load(&args.scenario).map_err(|e| scenario_arg::failure(&e, args.json))?;
    if args.json {
        super::print_json(&report::check::json(&model, &source.name, &source.sha256));
    } else {
        print!("{}", report::check::text(&model, &source.name));
    }
    Ok(())
}
