//! `brink check`: validate a scenario and summarise it.

use super::terminal::{out, outln};
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
    #[command(flatten)]
    adjust: scenario_arg::Adjust,
    /// Print the summary (or the problems) as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CliResult {
    let (source, model) = scenario_arg::load_adjusted(&args.scenario, &args.adjust.adjustments()?)
        .map_err(|e| scenario_arg::failure(&e, args.json))?;
    // Every variant the file declares must compile too.
    let variants = brink::scenario::variants(&source.text);
    for v in &variants {
        let adj = brink::scenario::Adjustments { variants: vec![v.name.clone()], ..args.adjust.adjustments()? };
        scenario_arg::load_adjusted(&args.scenario, &adj).map_err(|e| scenario_arg::failure(&e, args.json))?;
    }
    if args.json {
        let mut v = report::check::json(&model, &source.name, &source.sha256);
        v["variants"] =
            variants.iter().map(|v| serde_json::json!({"name": v.name, "description": v.description})).collect();
        super::print_json(&v);
    } else {
        out!("{}", report::check::text(&model, &source.name));
        if !variants.is_empty() {
            outln!(
                "\nVariants ({}), each valid (run one with --variant NAME, compare them with `brink compare`):",
                variants.len()
            );
            for v in &variants {
                outln!("  {:<24} {}", v.name, v.description);
            }
        }
    }
    Ok(())
}
