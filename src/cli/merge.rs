//! `brink merge`: combine the partial results of `brink run --shard K/N`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use brink::montecarlo::shard;
use brink::report::html::ScenarioSource;
use brink::report::output_dir::OutputSet;
use brink::report::pages::Made;
use brink::report::partial;
use brink::report::summary_json::Provenance;
use brink::scenario::{self, Adjustments, overrides::parse_override};

use super::run::{Output, finish};
use super::{CliResult, Failure};

/// Combine the partial results of a sharded run (`brink run --shard K/N`,
/// e.g. one per Slurm array task) into the summary.json, runs.csv and plots
/// a single run would have written: the same bytes.
///
/// Example: brink merge outputs/geneva-2022-shards
#[derive(clap::Args)]
pub struct Args {
    /// Folders holding partial-K-of-N.json files (or the files themselves).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output folder [default: outputs/<scenario>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Skip the plots.
    #[arg(long)]
    no_plots: bool,
    /// No table; only errors.
    #[arg(long, short)]
    quiet: bool,
    /// Print summary.json to stdout instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CliResult {
    if super::tournament::merge(&args.inputs, args.out.clone(), args.no_plots, args.quiet, args.json)? {
        return Ok(());
    }
    let sweeps = partial::read_all_sweep(&args.inputs).map_err(|e| Failure::Input(format!("error: {e:#}\n")))?;
    if !sweeps.is_empty() {
        return merge_sweep(&args, &sweeps);
    }
    let parts = partial::read_all(&args.inputs).map_err(|e| Failure::Input(format!("error: {e:#}\n")))?;
    let tally = shard::merge(&parts).map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    let first = &parts[0].1;
    let adj = adjustments(&first.variant, &first.overrides)?;
    let (_, model) = scenario::load_bytes_adjusted(&first.scenario_file, first.scenario_text.as_bytes(), &adj)
        .map_err(|e| Failure::Input(e.to_string()))?;
    let stem = stem(&first.scenario_file);
    let tag = super::scenario_arg::folder_tag(first.variant.as_deref(), &first.overrides);
    let set =
        OutputSet::begin(&args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(format!("{stem}{tag}"))))?;

    // Per-run rows, when every shard kept them: concatenated in shard order.
    let mut extra = Vec::new();
    let csvs: Vec<PathBuf> =
        parts.iter().map(|(name, p)| Path::new(name).with_file_name(partial::runs_csv_name(p.shard))).collect();
    if csvs.iter().all(|p| p.exists()) {
        let mut order: Vec<(u64, &PathBuf)> = parts.iter().map(|(_, p)| p.shard.k).zip(&csvs).collect();
        order.sort();
        let mut out = Vec::new();
        for (i, (_, path)) in order.iter().enumerate() {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            let body = if i == 0 { text.as_str() } else { text.split_once('\n').map_or("", |(_, rest)| rest) };
            out.extend_from_slice(body.as_bytes());
        }
        std::fs::write(set.path("runs.csv"), out).context("cannot write runs.csv")?;
        extra.push("runs.csv".into());
    }
    let provenance = Provenance {
        scenario_name: model.name.clone(),
        scenario_file: first.scenario_file.clone(),
        scenario_sha256: first.scenario_sha256.clone(),
        seed: first.seed,
        runs: tally.runs,
        overrides: adj.describe(),
        scenario_text: first.scenario_text.clone(),
    };
    finish(
        set,
        &model,
        &tally,
        &provenance,
        extra,
        &Output { no_plots: args.no_plots, quiet: args.quiet, json: args.json },
    )
}

fn merge_sweep(args: &Args, parts: &[(String, shard::SweepPartial)]) -> CliResult {
    let tallies = shard::merge_sweep(parts).map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    let first = &parts[0].1;
    let base = adjustments(&first.variant, &first.overrides)?;
    // The scenario travels inside the partials, so the grid compiles exactly
    // as the shards compiled it.
    let (grid, models) = super::sweep::load_grid(
        |adj| scenario::load_bytes_adjusted(&first.scenario_file, first.scenario_text.as_bytes(), adj).map(|(_, m)| m),
        &first.params,
        &base,
    )?;
    let stem = stem(&first.scenario_file);
    let set = OutputSet::begin(&args.out.clone().unwrap_or_else(|| {
        let tag = super::scenario_arg::folder_tag(first.variant.as_deref(), &first.overrides);
        PathBuf::from("outputs").join(format!("{stem}{tag}-sweep"))
    }))?;
    let output = Output { no_plots: args.no_plots, quiet: args.quiet, json: args.json };
    let made = Made {
        source: ScenarioSource {
            file: &first.scenario_file,
            sha256: &first.scenario_sha256,
            text: &first.scenario_text,
        },
        seed: first.seed,
        adjustments: base.describe(),
    };
    super::sweep::finish(set, &grid, &models, &tallies, &made, first.runs, &output)
}

/// The shards' `--variant` and `--set`, as the shards applied them.
fn adjustments(variant: &Option<String>, overrides: &[String]) -> Result<Adjustments, Failure> {
    let overrides = overrides
        .iter()
        .map(|a| parse_override(a))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    Ok(Adjustments { variant: variant.clone(), overrides })
}

/// The name results are filed under: the scenario file's stem (never a path).
fn stem(scenario_file: &str) -> String {
    Path::new(scenario_file.trim_start_matches("builtin:"))
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty() && s != "..")
        .unwrap_or_else(|| "scenario".into())
}
