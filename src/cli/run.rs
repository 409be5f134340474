//! `brink run`: the Monte Carlo, its summary, files and plots; and with
//! `--shard K/N`, one shard of it for `brink merge`.

use super::terminal::{errln, out, outln};
use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use brink::analysis::outcomes;
use brink::model::Model;
use brink::montecarlo::shard::{PARTIAL_FORMAT, Partial, ShardSpec};
use brink::montecarlo::{RunConfig, Tally};
use brink::report::html::ScenarioSource;
use brink::report::output_dir::OutputSet;
use brink::report::pages::{self, Made};
use brink::report::runs_csv::{Columns, RunsCsv};
use brink::report::summary_json::{self, Provenance};
use brink::report::{partial, summary_table};

use super::experiment::{Experiment, MonteCarloArgs};
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
/// With --shard K/N (e.g. a Slurm array index), plays only its share of the
/// runs and writes partial-K-of-N.json for `brink merge`.
///
/// Example: brink run scenarios/geneva-2022.toml --runs 100000 --seed 42
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file or built-in name [default: geneva-2022].
    scenario: Option<String>,
    #[command(flatten)]
    adjust: scenario_arg::Adjust,
    #[command(flatten)]
    mc: MonteCarloArgs,
    /// Output folder [default: outputs/<scenario>; a --variant run gets
    /// outputs/<scenario>@<variant> (outputs/<scenario>@<a>+<b> for
    /// --variant a --variant b) and a --set run outputs/<scenario>+<hash
    /// of the overrides>, so neither replaces the baseline's files; with
    /// --shard, outputs/<scenario>-shards].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write runs.csv with one row per run (grows with --runs).
    #[arg(long)]
    per_run: bool,
    /// Play only shard K of N of the runs and write a partial result.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Do not replay failed runs to say why they failed. By default every
    /// failed run is replayed once per mechanism of failure the scenario
    /// uses, switched off (docs/model.md §12), for summary.json's and the
    /// table's "why the talks failed" and runs.csv's `causes` column;
    /// agreements cost nothing extra.
    #[arg(long)]
    no_causes: bool,
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
    let shard = args
        .shard
        .as_deref()
        .map(ShardSpec::parse)
        .transpose()
        .map_err(|e| Failure::Input(format!("error: --shard {e}\n")))?;
    let (source, model) =
        scenario_arg::load_adjusted(&name, &adjustments).map_err(|e| scenario_arg::failure(&e, args.json))?;
    args.mc.check()?;
    let runs = shard.map_or(0..args.mc.runs, |s| s.range(args.mc.runs));
    let mut experiment = Experiment::new(args.mc.threads, runs.end - runs.start, args.quiet)?;
    let config = RunConfig { seed: args.mc.seed, runs: runs.clone(), keep_runs: args.per_run, causes: !args.no_causes };
    let columns = Columns { causes: config.causes };

    if let Some(shard) = shard {
        let dir = args.adjust.out_dir(&args.out, &name, "-shards");
        let mut p = Partial {
            format: PARTIAL_FORMAT.into(),
            brink_version: env!("CARGO_PKG_VERSION").into(),
            scenario_file: source.name.clone(),
            scenario_sha256: source.sha256.clone(),
            scenario_text: source.text.clone(),
            variants: adjustments.variants.clone(),
            overrides: args.adjust.set.clone(),
            seed: args.mc.seed,
            runs: args.mc.runs,
            shard,
            tally: Tally::new(&model).attributing(config.causes),
            runs_csv_sha256: args.per_run.then(String::new),
        };
        // Refused before any work: a folder holding another job's partials.
        use brink::montecarlo::shard::ShardedResult;
        partial::check_shard_folder(&dir, &p.job(), false).map_err(|e| Failure::Input(format!("error: {e:#}\n")))?;
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        partial::clean_stale_temporaries(&dir);
        // Per-run rows stream to a temporary file, hashed on the way, and
        // are renamed into place only with their partial.
        let csv_path = dir.join(partial::runs_csv_name(shard));
        let tmp = csv_path.with_extension(format!("tmp-{}", std::process::id()));
        let mut csv = if args.per_run {
            let f = std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
            Some(
                RunsCsv::new(&model, columns, partial::HashingWriter::new(BufWriter::new(f)))
                    .context("cannot write runs")?,
            )
        } else {
            None
        };
        let mut write_error = None;
        let result = experiment.simulate_range(&model, config.clone(), |batch| {
            if let Some(w) = csv.as_mut() {
                for r in batch {
                    if let Err(e) = w.write(&model, r) {
                        write_error = Some(e);
                        return false;
                    }
                }
            }
            true
        });
        experiment.finish();
        let finished = result.and_then(|tally| match write_error {
            Some(e) => Err(Failure::Other(anyhow::anyhow!("cannot write {}: {e}", tmp.display()))),
            None => Ok(tally),
        });
        let tally = match finished {
            Ok(t) => t,
            Err(e) => {
                std::fs::remove_file(&tmp).ok();
                return Err(e);
            }
        };
        p.tally = tally;
        if let Some(w) = csv {
            let (writer, sha) = w.finish().context("cannot write runs")?.finish();
            writer.into_inner().map_err(|e| e.into_error()).and_then(|f| f.sync_all()).ok();
            std::fs::rename(&tmp, &csv_path).with_context(|| format!("cannot write {}", csv_path.display()))?;
            p.runs_csv_sha256 = Some(sha);
        }
        let path = partial::write(&dir, &p)?;
        if !args.quiet {
            errln!(
                "shard {}/{}: runs {}..{} written to {} (combine the shards with `brink merge {}`)",
                shard.k,
                shard.n,
                runs.start,
                runs.end,
                path.display(),
                dir.display()
            );
        }
        return Ok(());
    }

    // A variant or override run gets its own folder (outputs/NAME@VARIANT,
    // outputs/NAME+HASH), so that it never replaces the baseline's files.
    let out_dir = args.adjust.out_dir(&args.out, &name, "");
    let set = OutputSet::begin(&out_dir, &scenario_arg::input_paths(std::slice::from_ref(&name)))?;
    let mut csv = if args.per_run {
        let f = std::fs::File::create(set.path("runs.csv")).context("cannot create runs.csv")?;
        Some(RunsCsv::new(&model, columns, BufWriter::new(f)).context("cannot write runs.csv")?)
    } else {
        None
    };
    let started = Instant::now();
    let mut write_error = None;
    let tally = experiment.simulate_range(&model, config, |records| {
        if let Some(w) = csv.as_mut() {
            for r in records {
                if let Err(e) = w.write(&model, r) {
                    write_error = Some(e);
                    return false;
                }
            }
        }
        true
    })?;
    let elapsed = started.elapsed().as_secs_f64();
    experiment.finish();
    if let Some(e) = write_error {
        return Err(Failure::Other(anyhow::anyhow!("cannot write runs.csv: {e}")));
    }
    let mut extra = Vec::new();
    if let Some(w) = csv {
        w.finish().context("cannot write runs.csv")?;
        extra.push("runs.csv".to_string());
    }
    let provenance = Provenance {
        scenario_name: model.name.clone(),
        scenario_file: source.name.clone(),
        scenario_sha256: source.sha256.clone(),
        seed: args.mc.seed,
        runs: tally.runs,
        overrides: adjustments.describe(),
        scenario_text: source.text.clone(),
    };
    let output = Output { no_plots: args.no_plots, quiet: args.quiet, json: args.json };
    finish(set, &model, &tally, &provenance, extra, &output)?;
    if !args.quiet {
        errln!(
            "{} runs in {:.2} s ({} runs/s)",
            summary_table::group(tally.runs),
            elapsed,
            summary_table::group((tally.runs as f64 / elapsed.max(1e-9)) as u64)
        );
    }
    Ok(())
}

/// How results are shown.
pub struct Output {
    pub no_plots: bool,
    pub quiet: bool,
    pub json: bool,
}

/// Summarises a tally, writes summary.json and the plots into the output
/// set, commits it and prints the table: shared by `run` and `merge`, so that
/// both give the same files.
pub fn finish(
    set: OutputSet,
    model: &Model,
    tally: &Tally,
    provenance: &Provenance,
    mut written: Vec<String>,
    output: &Output,
) -> CliResult {
    let summary = outcomes::summarise(model, tally);
    let json_text = summary_json::to_string(provenance, &summary);
    std::fs::write(set.path("summary.json"), &json_text).context("cannot write summary.json")?;
    written.insert(0, "summary.json".into());
    if !output.no_plots {
        written.extend(super::plots::write_run_plots(set.staging(), model, &summary, provenance.seed)?);
    }
    let made = Made {
        source: ScenarioSource {
            file: &provenance.scenario_file,
            sha256: &provenance.scenario_sha256,
            text: &provenance.scenario_text,
        },
        seed: provenance.seed,
        adjustments: provenance.overrides.clone(),
    };
    let page = pages::run_page(model, &summary, &made, set.staging(), &pages::svg_names(&written));
    written.push(page.write(set.staging())?);
    let dest = set.commit()?;
    if output.json {
        out!("{json_text}");
    } else if !output.quiet {
        out!("{}", summary_table::text(model, &summary, provenance.seed));
        outln!("\nWrote {}/: {}", dest.display(), written.join(", "));
    }
    Ok(())
}
