//! `brink sensitivity`: which uncertain number matters most.

use std::path::PathBuf;

use anyhow::Context;
use brink::analysis::sensitivity;
use brink::limits::{MAX_BOOTSTRAP, MAX_SOBOL_RUNS};
use brink::model::Model;
use brink::montecarlo::sensitivity::AUXILIARY_STREAMS;
use brink::montecarlo::sensitivity::{SobolRuns, TornadoRuns};
use brink::montecarlo::shard::{SENSITIVITY_PARTIAL_FORMAT, SensitivityPartial, ShardSpec};
use brink::report::html::ScenarioSource;
use brink::report::output_dir::OutputSet;
use brink::report::pages::{self, Made};
use brink::rng::run_rng;
use brink::scenario::overrides::parse_override;
use brink::scenario::{Adjustments, Override};

use super::experiment::Experiment;
use super::terminal::{errln, out, outln};
use super::{CliResult, Failure, scenario_arg};

/// Rank a scenario's uncertain numbers by their influence on the agreement
/// share, the failure share and each actor's mean payoff.
///
/// Variance-based (Sobol) indices from a Saltelli design: the first-order
/// index is the share of an output's variance a number explains by itself,
/// the total index the share it has any part in (Saltelli's and Jansen's
/// estimators, 95% bootstrap intervals). Beside them, a one-at-a-time
/// tornado: each number fixed at its 5th and 95th percentile while the
/// others keep their distributions.
///
/// Every uncertain number of the scenario (a distribution in the file) is
/// analysed; --param PATH=LO:HI adds a fixed number as uniform on [LO, HI].
/// Writes sensitivity.csv, sensitivity.json, tornado and sobol plots and
/// report.html. Results depend on the seed, not on --threads; with
/// --shard K/N a share of the work is played on its own and `brink merge`
/// joins the partials into the same files.
///
/// Examples:
///   brink sensitivity geneva-2022
///   brink sensitivity geneva-2022 --param actors.usa.discount=0.9:0.99 --samples 8192
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Scenario file or built-in name.
    scenario: String,
    /// Treat a fixed number as uncertain, uniform on [LO, HI]: PATH=LO:HI (repeatable).
    #[arg(long = "param", value_name = "PATH=LO:HI")]
    params: Vec<String>,
    #[command(flatten)]
    adjust: scenario_arg::Adjust,
    /// Saltelli samples; each costs (uncertain numbers + 2) runs, at most
    /// 20,000,000 runs in all (they are held in memory).
    #[arg(long, default_value_t = 8192)]
    samples: u64,
    /// Runs per tornado level (each number low and high, and the base).
    #[arg(long, default_value_t = 4096)]
    runs: u64,
    /// Bootstrap resamples for the intervals of the indices.
    #[arg(long, default_value_t = 200)]
    bootstrap: usize,
    /// Master seed: sample j and tornado run k use streams derived from (seed, index) alone.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_parser = super::experiment::thread_count)]
    threads: Option<usize>,
    /// Output folder [default: outputs/<scenario>-sensitivity, with
    /// @<variant> and +<hash of the --set overrides> after the name as for
    /// `run`; -sensitivity-shards with --shard].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Skip the plots.
    #[arg(long)]
    no_plots: bool,
    /// No progress bar and no table.
    #[arg(long, short)]
    quiet: bool,
    /// Print the analysis as JSON instead of the table.
    #[arg(long)]
    json: bool,
    /// Play only shard K of N (its share of the samples and of the tornado's
    /// runs) and write a partial result for `brink merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
}

/// `PATH=LO:HI` as the override `PATH = { uniform = [LO, HI] }`.
pub fn range_override(arg: &str) -> Result<Override, String> {
    let bad = || format!("`{arg}` is not PATH=LO:HI with LO < HI (e.g. actors.usa.discount=0.9:0.99)");
    let (path, range) = arg.split_once('=').ok_or_else(bad)?;
    let (lo, hi) = range.split_once(':').ok_or_else(bad)?;
    let (lo, hi): (f64, f64) = (lo.trim().parse().map_err(|_| bad())?, hi.trim().parse().map_err(|_| bad())?);
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(bad());
    }
    let o = parse_override(&format!("{}={{ uniform = [{lo:?}, {hi:?}] }}", path.trim()))?;
    Ok(Override { flag: "--param", ..o })
}

pub fn run(args: Args) -> CliResult {
    let shard = args
        .shard
        .as_deref()
        .map(ShardSpec::parse)
        .transpose()
        .map_err(|e| Failure::Input(format!("error: --shard {e}\n")))?;
    if args.samples < 2 || args.runs == 0 {
        return Err(Failure::Input("error: --samples must be at least 2 and --runs at least 1\n".into()));
    }
    let base = args.adjust.adjustments()?;
    let ranges = args
        .params
        .iter()
        .map(|p| range_override(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::Input(format!("error: --param {e}\n")))?;
    // One range per number: a second would silently replace the first.
    let paths: Vec<&str> =
        args.params.iter().map(|p| p.split_once('=').map_or(p.as_str(), |(path, _)| path.trim())).collect();
    if let Some((k, path)) = paths.iter().enumerate().find(|(k, path)| paths[..*k].contains(path)) {
        return Err(Failure::Input(format!(
            "error: --param {path} is given twice ({} and {}); give each number one range\n",
            args.params[paths.iter().position(|p| p == path).unwrap_or(0)],
            args.params[k]
        )));
    }
    let adj = Adjustments { variants: base.variants.clone(), overrides: [base.overrides.clone(), ranges].concat() };
    let (source, model) =
        scenario_arg::load_adjusted(&args.scenario, &adj).map_err(|e| scenario_arg::failure(&e, false))?;
    if model.params.uncertain.is_empty() {
        return Err(Failure::Input(format!(
            "error: {} has no uncertain numbers to analyse; give ranges with --param PATH=LO:HI \
             (e.g. --param actors.{}.discount=0.9:0.99)\n",
            args.scenario, model.actors[0].id
        )));
    }
    let d = model.params.uncertain.len() as u64;
    // Bounded before any work: the design's runs are held in memory.
    let sobol_runs = args.samples.checked_mul(d + 2).filter(|&n| n <= MAX_SOBOL_RUNS);
    let Some(sobol_runs) = sobol_runs else {
        return Err(Failure::Input(format!(
            "error: --samples {} × ({d} uncertain numbers + 2) runs is above the limit of {MAX_SOBOL_RUNS} runs \
             (MAX_SOBOL_RUNS: every run's outputs are held in memory); use --samples {} or fewer\n",
            args.samples,
            MAX_SOBOL_RUNS / (d + 2)
        )));
    };
    if args.bootstrap > MAX_BOOTSTRAP {
        return Err(Failure::Input(format!(
            "error: --bootstrap {} is above the limit of {MAX_BOOTSTRAP} resamples (MAX_BOOTSTRAP); 200 to 1000 \
             give stable 95% intervals\n",
            args.bootstrap
        )));
    }
    let Some(tornado_runs) = args.runs.checked_mul(2 * d + 1) else {
        return Err(Failure::Input(format!(
            "error: --runs {} × ({} tornado levels) overflows\n",
            args.runs,
            2 * d + 1
        )));
    };
    if let Some(shard) = shard {
        let dir = args.adjust.out_dir(&args.out, &args.scenario, "-sensitivity-shards");
        let (samples, runs) = (shard.range(args.samples), shard.range(args.runs));
        let work =
            (samples.end - samples.start).saturating_mul(d + 2).saturating_add((runs.end - runs.start) * (2 * d + 1));
        let mut experiment = Experiment::new(args.threads, work, args.quiet)?;
        let sobol = experiment.sobol(&model, args.seed, samples)?;
        let tornado = experiment.tornado(&model, args.seed, runs)?;
        experiment.finish();
        let p = SensitivityPartial {
            format: SENSITIVITY_PARTIAL_FORMAT.into(),
            brink_version: env!("CARGO_PKG_VERSION").into(),
            scenario_file: source.name.clone(),
            scenario_sha256: source.sha256.clone(),
            scenario_text: source.text.clone(),
            variants: base.variants.clone(),
            overrides: args.adjust.set.clone(),
            params: args.params.clone(),
            seed: args.seed,
            samples: args.samples,
            runs: args.runs,
            bootstrap: args.bootstrap,
            shard,
            sobol,
            levels: tornado.levels,
            tornado_tallies: tornado.paired.tallies,
            tornado_pairs: tornado.paired.pairs,
        };
        brink::report::partial::clean_stale_temporaries(&dir);
        let path = brink::report::partial::write_sensitivity(&dir, &p)
            .map_err(|e| Failure::Input(format!("error: {e:#}\n")))?;
        if !args.quiet {
            errln!(
                "sensitivity shard {}/{} written to {} (combine with `brink merge {}`)",
                shard.k,
                shard.n,
                path.display(),
                dir.display()
            );
        }
        return Ok(());
    }
    let out = args.adjust.out_dir(&args.out, &args.scenario, "-sensitivity");
    let set = OutputSet::begin(&out, &scenario_arg::input_paths(std::slice::from_ref(&args.scenario)))?;
    let total = sobol_runs.saturating_add(tornado_runs);
    let mut experiment = Experiment::new(args.threads, total, args.quiet)?;
    let sobol = experiment.sobol(&model, args.seed, 0..args.samples)?;
    let tornado = experiment.tornado(&model, args.seed, 0..args.runs)?;
    experiment.finish();
    let job = Job {
        model: &model,
        source: ScenarioSource { file: &source.name, sha256: &source.sha256, text: &source.text },
        variants: &base.variants,
        overrides: &args.adjust.set,
        params: &args.params,
        adjustments: adj.describe(),
        seed: args.seed,
        samples: args.samples,
        runs: args.runs,
        bootstrap: args.bootstrap,
    };
    let output = super::run::Output { no_plots: args.no_plots, quiet: args.quiet, json: args.json };
    finish(set, &job, &sobol, &tornado, &output)
}

/// What a sensitivity analysis was asked for: the model and the arguments
/// its files record (shared by `sensitivity` and `merge`).
pub struct Job<'a> {
    pub model: &'a Model,
    pub source: ScenarioSource<'a>,
    pub variants: &'a [String],
    pub overrides: &'a [String],
    pub params: &'a [String],
    /// Variants, overrides and ranges as applied, for the report.
    pub adjustments: Vec<String>,
    pub seed: u64,
    pub samples: u64,
    pub runs: u64,
    pub bootstrap: usize,
}

/// Estimates the indices from the runs and writes sensitivity.csv, .json,
/// the plots and report.html, then prints the table: the same bytes whether
/// the runs were played here or merged from shards.
pub fn finish(
    set: OutputSet,
    job: &Job<'_>,
    sobol: &SobolRuns,
    tornado: &TornadoRuns,
    output: &super::run::Output,
) -> CliResult {
    let (model, seed) = (job.model, job.seed);
    let d = model.params.uncertain.len() as u64;
    let rng_of = |k| run_rng(seed, AUXILIARY_STREAMS + (1 << 40) + k);
    let Some(result) =
        sensitivity::analyse(model, sobol, tornado, job.bootstrap, rng_of, &super::experiment::interrupted)
    else {
        return Err(Failure::Interrupted("the runs, during the bootstrap".into()));
    };

    let file = std::fs::File::create(set.path("sensitivity.csv")).context("cannot create sensitivity.csv")?;
    brink::report::sensitivity::write_csv(std::io::BufWriter::new(file), &result)
        .context("cannot write sensitivity.csv")?;
    let json = serde_json::json!({
        "brink_version": env!("CARGO_PKG_VERSION"),
        "scenario": model.name,
        "scenario_file": job.source.file,
        "scenario_sha256": job.source.sha256,
        "variants": job.variants,
        "overrides": job.overrides,
        "params": job.params,
        "seed": seed,
        "sensitivity": result,
    });
    let text = serde_json::to_string_pretty(&json).context("cannot encode sensitivity.json")?;
    std::fs::write(set.path("sensitivity.json"), text + "\n").context("cannot write sensitivity.json")?;
    let mut written = vec!["sensitivity.csv".to_string(), "sensitivity.json".to_string()];
    if !output.no_plots {
        written.extend(
            brink::report::charts::sensitivity_charts(set.staging(), model, &result, seed)
                .map_err(anyhow::Error::from)?,
        );
    }
    let made = Made { source: job.source.clone(), seed, adjustments: job.adjustments.clone() };
    let page = pages::sensitivity_page(model, &result, &made, set.staging(), &pages::svg_names(&written));
    written.push(page.write(set.staging())?);
    let dest = set.commit()?;
    if output.json {
        super::print_json(&json);
    } else if !output.quiet {
        let title = format!(
            "{} — sensitivity of {} uncertain numbers: {} Saltelli samples ({} runs), tornado {} runs per level, seed {}",
            model.name,
            d,
            job.samples,
            job.samples * (d + 2),
            job.runs,
            seed
        );
        out!("{}", brink::report::sensitivity::table(&title, &result));
        outln!("\nWrote {}/: {}", dest.display(), written.join(", "));
    }
    Ok(())
}
