//! `brink run`: the Monte Carlo, its summary, files and plots.

use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use brink::analysis::outcomes;
use brink::report::output_dir::OutputSet;
use brink::report::runs_csv::RunsCsv;
use brink::report::summary_json::{self, Provenance};
use brink::report::summary_table;

use super::experiment::Experiment;
use super::{CliResult, Failure, scenario_arg};

/// Play a scenario many times and summarise what tends to happen: how often
/// talks end in a deal, at the deadline, by breakdown or walk-away; what the
/// deals look like; what each side gets.
///
/// Writes summary.json and plots (PNG and SVG) into the output folder
/// (default outputs/<scenario>/), replacing the previous run's files as one
/// set; with --per-run also runs.csv, one row per run. Results are the same
/// bytes for the same scenario, seed and runs, whatever the thread count.
///
/// Example: brink run scenarios/geneva-2022.toml --runs 100000 --seed 42
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file or built-in name [default: geneva-2022].
    scenario: Option<String>,
    #[command(flatten)]
    adjust: scenario_arg::Adjust,
    /// Number of negotiations to play.
    #[arg(long, default_value_t = 10_000)]
    runs: u64,
    /// Master seed: run k uses a random stream derived from (seed, k) alone.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Output folder [default: outputs/<scenario name>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write runs.csv with one row per run (grows with --runs).
    #[arg(long)]
    per_run: bool,
    /// Skip the plots (faster for very quick runs and benchmarks).
    #[arg(long)]
    no_plots: bool,
    /// No progress bar and no summary table; only errors.
    #[arg(long, short)]
    quiet: bool,
    /// Print summary.json to stdout instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CliResult {
    let name = args.scenario.clone().unwrap_or_else(|| "geneva-2022".to_string());
    let adjustments = args.adjust.adjustments()?;
    let (source, model) =
        scenario_arg::load_adjusted(&name, &adjustments).map_err(|e| scenario_arg::failure(&e, args.json))?;
    if args.runs == 0 {
        return Err(Failure::Input("error: --runs must be at least 1\n".into()));
    }
    let out_dir = args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(scenario_arg::stem(&name)));
    let mut experiment = Experiment::new(args.threads, args.runs, args.quiet)?;

    let set = OutputSet::begin(&out_dir)?;
    let mut csv = if args.per_run {
        let f = std::fs::File::create(set.path("runs.csv")).context("cannot create runs.csv")?;
        Some(RunsCsv::new(&model, BufWriter::new(f)).context("cannot write runs.csv")?)
    } else {
        None
    };

    let started = Instant::now();
    let mut write_error = None;
    let tally = experiment.simulate(&model, args.seed, args.runs, args.per_run, |records| {
        if let Some(w) = csv.as_mut() {
            for r in records {
                if let Err(e) = w.write(&model, r) {
                    write_error = Some(e);
                    return false;
                }
            }
        }
        true
    });
    let elapsed = started.elapsed().as_secs_f64();
    experiment.finish();
    if let Some(e) = write_error {
        return Err(Failure::Other(anyhow::anyhow!("cannot write runs.csv: {e}")));
    }
    if let Some(w) = csv {
        w.finish().context("cannot write runs.csv")?;
    }

    let summary = outcomes::summarise(&model, &tally);
    let provenance = Provenance {
        scenario_name: model.name.clone(),
        scenario_file: source.name.clone(),
        scenario_sha256: source.sha256.clone(),
        seed: args.seed,
        runs: tally.runs,
        overrides: adjustments.describe(),
    };
    let json_text = summary_json::to_string(&provenance, &summary);
    std::fs::write(set.path("summary.json"), &json_text).context("cannot write summary.json")?;
    let mut written = vec!["summary.json".to_string()];
    if args.per_run {
        written.push("runs.csv".into());
    }
    if !args.no_plots {
        written.extend(super::plots::write_run_plots(set.staging(), &model, &summary, args.seed)?);
    }
    let dest = set.commit()?;

    if args.json {
        print!("{json_text}");
    } else if !args.quiet {
        print!("{}", summary_table::text(&model, &summary, args.seed));
        println!("\nWrote {}/: {}", dest.display(), written.join(", "));
    }
    if !args.quiet {
        eprintln!(
            "{} runs in {:.2} s ({} runs/s)",
            summary_table::group(tally.runs),
            elapsed,
            summary_table::group((tally.runs as f64 / elapsed.max(1e-9)) as u64)
        );
    }
    Ok(())
}
