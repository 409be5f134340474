//! `brink sweep`: the Monte Carlo at every point of a parameter grid.

use std::path::PathBuf;

use anyhow::Context;
use brink::montecarlo::sweep::{self, GridParam};
use brink::report::experiments::{SweepPoint, write_sweep_csv};
use brink::report::output_dir::OutputSet;
use brink::scenario::Adjustments;

use super::experiment::Experiment;
use super::{CliResult, Failure, scenario_arg};

/// Run the Monte Carlo at every point of a grid of one or two parameters and
/// show how outcomes move: shares of each ending and mean payoffs, with 95%
/// confidence intervals, in sweep.csv and plots.
///
/// Every point uses the same seed and run indices (common random numbers),
/// so differences between points come from the parameter, not from noise.
/// Grids: LO:HI:N (linear), LO:HI:N:log, or a list A,B,C.
///
/// Example: brink sweep geneva-2022 --param actors.usa.strategy.beta=0.1:2.0:20
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file or built-in name.
    scenario: String,
    /// PATH=GRID; give it twice for a two-parameter grid (heatmaps).
    #[arg(long = "param", value_name = "PATH=GRID", required = true)]
    params: Vec<String>,
    #[command(flatten)]
    adjust: scenario_arg::Adjust,
    /// Runs per grid point.
    #[arg(long, default_value_t = 10_000)]
    runs: u64,
    /// Master seed, shared by every point.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Output folder [default: outputs/<scenario>-sweep].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Skip the plots.
    #[arg(long)]
    no_plots: bool,
    /// No progress bar and no table.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> CliResult {
    if args.params.len() > 2 {
        return Err(Failure::Input("error: sweep one or two parameters (give --param once or twice)\n".into()));
    }
    if args.runs == 0 {
        return Err(Failure::Input("error: --runs must be at least 1\n".into()));
    }
    let grid: Vec<GridParam> = args
        .params
        .iter()
        .map(|p| sweep::parse_grid(p))
        .collect::<Result<_, _>>()
        .map_err(|e| Failure::Input(format!("error: --param {e}\n")))?;
    let base = args.adjust.adjustments()?;
    let points = sweep::points(&grid).map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    // Load every point first: a bad value is reported before any work.
    let mut models = Vec::with_capacity(points.len());
    for (_, overrides) in &points {
        let adj = Adjustments {
            variant: base.variant.clone(),
            overrides: [base.overrides.clone(), overrides.clone()].concat(),
        };
        let (_, model) =
            scenario_arg::load_adjusted(&args.scenario, &adj).map_err(|e| scenario_arg::failure(&e, false))?;
        models.push(model);
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs").join(format!("{}-sweep", scenario_arg::stem(&args.scenario))));
    let set = OutputSet::begin(&out)?;
    let mut experiment = Experiment::new(args.threads, args.runs * points.len() as u64, args.quiet)?;
    let summaries =
        models.iter().map(|m| experiment.summary(m, args.seed, args.runs)).collect::<Result<Vec<_>, _>>()?;
    experiment.finish();

    let paths: Vec<String> = grid.iter().map(|g| g.path.clone()).collect();
    let rows: Vec<SweepPoint<'_>> =
        points.iter().zip(&summaries).map(|((values, _), summary)| SweepPoint { values, summary }).collect();
    let file = std::fs::File::create(set.path("sweep.csv")).context("cannot create sweep.csv")?;
    write_sweep_csv(std::io::BufWriter::new(file), &paths, &rows).context("cannot write sweep.csv")?;
    let mut written = vec!["sweep.csv".to_string()];
    if !args.no_plots {
        written.extend(super::plots::write_sweep_plots(
            set.staging(),
            &models[0],
            &paths,
            &rows,
            args.seed,
            args.runs,
        )?);
    }
    let dest = set.commit()?;
    if !args.quiet {
        println!(
            "{} — sweep of {} point(s), {} runs each, seed {}\n",
            models[0].name,
            points.len(),
            args.runs,
            args.seed
        );
        println!("  {:<40} {:>10} {:>10} {:>12}", paths.join(", "), "agreement", "breakdown", "mean round");
        for p in &rows {
            let vals: Vec<String> = p.values.iter().map(|v| brink::model::number_label(*v)).collect();
            let share = |k: usize| p.summary.ends[k].share.map_or("n/a".into(), |x| format!("{:.1}%", 100.0 * x));
            println!(
                "  {:<40} {:>10} {:>10} {:>12}",
                vals.join(", "),
                share(0),
                share(2),
                p.summary.rounds.mean.map_or("n/a".into(), |x| format!("{x:.2}"))
            );
        }
        println!("\nWrote {}/: {}", dest.display(), written.join(", "));
    }
    Ok(())
}
