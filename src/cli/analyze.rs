//! `brink analyze`: the theoretical benchmarks of a scenario.

use super::terminal::{out, outln};
use std::path::PathBuf;

use brink::analysis::benchmarks;
use brink::report;

use super::{CliResult, scenario_arg};

/// Show the theory for a scenario: the Pareto frontier, the Nash,
/// Kalai–Smorodinsky, utilitarian and egalitarian solutions, the zone of
/// possible agreement and, for a divide-the-pie scenario, Rubinstein's
/// split, all with uncertain numbers at their means.
///
/// Also writes a plot of the utility space (PNG and SVG) into the output
/// folder (default outputs/<scenario>-analysis/).
///
/// Example: brink analyze scenarios/logrolling.toml
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file or built-in name.
    scenario: String,
    #[command(flatten)]
    adjust: scenario_arg::Adjust,
    /// Output folder for the plot [default: outputs/<scenario>-analysis, with
    /// @<variant> and +<hash of the --set overrides> after the name as for `run`].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Skip the plot.
    #[arg(long)]
    no_plots: bool,
    /// Print everything as JSON: every outcome with its labels and
    /// utilities, the frontier and the solutions.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CliResult {
    let (_source, model) = scenario_arg::load_adjusted(&args.scenario, &args.adjust.adjustments()?)
        .map_err(|e| scenario_arg::failure(&e, args.json))?;
    let b = benchmarks::analyse(&model);
    let mut written = Vec::new();
    if !args.no_plots {
        let dir = args.adjust.out_dir(&args.out, &args.scenario, "-analysis");
        written = super::plots::write_analysis_plot(
            &dir,
            &scenario_arg::input_paths(std::slice::from_ref(&args.scenario)),
            &model,
            &b,
        )?;
    }
    if args.json {
        super::print_json(&report::benchmarks::json_view(&model, &b));
    } else {
        out!("{}", report::benchmarks::text(&model, &b));
        if !written.is_empty() {
            outln!("\nWrote {}", written.join(", "));
        }
    }
    Ok(())
}
