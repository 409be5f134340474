//! `brink merge`: combine the partial results of `--shard K/N` (run, sweep,
//! sensitivity, tournament) into the files one unsharded command writes.

use std::path::{Path, PathBuf};

use std::io::{Read, Write};

use anyhow::Context;
use brink::montecarlo::{PairTally, Tally, shard};
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
/// a single run would have written: the same bytes. Sweep, sensitivity and
/// tournament shards (`--shard` on those commands) merge the same way.
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
    let input = |e: anyhow::Error| {
        Failure::Input(format!(
            "error: {e:#}
"
        ))
    };
    let sensitivity = partial::read_all_sensitivity(&args.inputs).map_err(input)?;
    if !sensitivity.is_empty() {
        return merge_sensitivity(&args, &sensitivity);
    }
    let sweeps = partial::read_all_sweep(&args.inputs).map_err(input)?;
    if !sweeps.is_empty() {
        return merge_sweep(&args, &sweeps);
    }
    let parts = partial::read_all(&args.inputs).map_err(input)?;
    let merge_error = |e: shard::MergeError| Failure::Input(format!("error: {e}\n"));
    // Provenance first (version, scenario hash, shards), so that the model
    // is compiled from a scenario text known to be the one the shards ran.
    shard::validate(&parts).map_err(merge_error)?;
    let first = &parts[0].1;
    let adj = adjustments(&first.variants, &first.overrides)?;
    let (_, model) = scenario::load_bytes_adjusted(&first.scenario_file, first.scenario_text.as_bytes(), &adj)
        .map_err(|e| Failure::Input(e.to_string()))?;
    let tally = shard::merge(&parts, &Tally::new(&model)).map_err(merge_error)?;
    let stem = stem(&first.scenario_file);
    let tag = super::scenario_arg::folder_tag(&first.variants, &first.overrides);
    let inputs: Vec<&Path> = args.inputs.iter().map(PathBuf::as_path).collect();
    let set = OutputSet::begin(
        &args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(format!("{stem}{tag}"))),
        &inputs,
    )?;

    // Per-run rows, when every shard kept them: checked against the hash
    // each partial recorded, then concatenated in shard order.
    let mut extra = Vec::new();
    if first.runs_csv_sha256.is_some() {
        let mut order: Vec<(u64, &str, &shard::Partial)> =
            parts.iter().map(|(name, p)| (p.shard.k, name.as_str(), p)).collect();
        order.sort_by_key(|(k, _, _)| *k);
        let file = std::fs::File::create(set.path("runs.csv")).context("cannot write runs.csv")?;
        let mut out = std::io::BufWriter::new(file);
        for (i, (_, name, p)) in order.iter().enumerate() {
            let path = Path::new(name).with_file_name(partial::runs_csv_name(p.shard));
            copy_rows(&path, p, i == 0, &mut out)?;
        }
        out.flush().context("cannot write runs.csv")?;
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
    let merge_error = |e: shard::MergeError| Failure::Input(format!("error: {e}\n"));
    shard::validate(parts).map_err(merge_error)?;
    let first = &parts[0].1;
    if first.points > brink::limits::MAX_GRID_POINTS {
        return Err(Failure::Input(format!(
            "error: {}: field `points`: {} grid points, above the limit of {}\n",
            parts[0].0,
            first.points,
            brink::limits::MAX_GRID_POINTS
        )));
    }
    let base = adjustments(&first.variants, &first.overrides)?;
    // The scenario travels inside the partials, so the grid compiles exactly
    // as the shards compiled it.
    let (grid, models) = super::sweep::load_grid(
        |adj| scenario::load_bytes_adjusted(&first.scenario_file, first.scenario_text.as_bytes(), adj).map(|(_, m)| m),
        &first.params,
        &base,
    )?;
    let templates: Vec<Tally> = models.iter().map(Tally::new).collect();
    let pair_templates: Vec<PairTally> = models.iter().skip(1).map(|m| PairTally::new(&models[0], m)).collect();
    let points = brink::montecarlo::sweep::points(&grid).map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    let labels = brink::montecarlo::sweep::point_labels(&grid, &points);
    let (tallies, pairs) = shard::merge_sweep(parts, &templates, &pair_templates, &labels).map_err(merge_error)?;
    let stem = stem(&first.scenario_file);
    let inputs: Vec<&Path> = args.inputs.iter().map(PathBuf::as_path).collect();
    let set = OutputSet::begin(
        &args.out.clone().unwrap_or_else(|| {
            let tag = super::scenario_arg::folder_tag(&first.variants, &first.overrides);
            PathBuf::from("outputs").join(format!("{stem}{tag}-sweep"))
        }),
        &inputs,
    )?;
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
    let results = super::sweep::Results { tallies: &tallies, pairs: &pairs, unpaired: first.unpaired };
    super::sweep::finish(set, &grid, &models, &results, &made, first.runs, &output)
}

/// `brink sensitivity --shard` partials: the Saltelli runs concatenated and
/// the tornado added up, then the same files as the unsharded analysis.
fn merge_sensitivity(args: &Args, parts: &[(String, shard::SensitivityPartial)]) -> CliResult {
    let merge_error = |e: shard::MergeError| Failure::Input(format!("error: {e}\n"));
    shard::validate(parts).map_err(merge_error)?;
    let first = &parts[0].1;
    let ranges = first
        .params
        .iter()
        .map(|p| super::sensitivity::range_override(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::Input(format!("error: --param {e}\n")))?;
    let mut adj = adjustments(&first.variants, &first.overrides)?;
    adj.overrides.extend(ranges);
    let (_, model) = scenario::load_bytes_adjusted(&first.scenario_file, first.scenario_text.as_bytes(), &adj)
        .map_err(|e| Failure::Input(e.to_string()))?;
    let base = brink::montecarlo::sensitivity::tornado_runs(&model, first.seed, 0..0, |_| true);
    let (sobol, tornado) = shard::merge_sensitivity(parts, &base).map_err(merge_error)?;
    let inputs: Vec<&Path> = args.inputs.iter().map(PathBuf::as_path).collect();
    let set = OutputSet::begin(
        &args.out.clone().unwrap_or_else(|| {
            PathBuf::from("outputs").join(format!(
                "{}{}-sensitivity",
                stem(&first.scenario_file),
                super::scenario_arg::folder_tag(&first.variants, &first.overrides)
            ))
        }),
        &inputs,
    )?;
    let job = super::sensitivity::Job {
        model: &model,
        source: ScenarioSource {
            file: &first.scenario_file,
            sha256: &first.scenario_sha256,
            text: &first.scenario_text,
        },
        variants: &first.variants,
        overrides: &first.overrides,
        params: &first.params,
        adjustments: adj.describe(),
        seed: first.seed,
        samples: first.samples,
        runs: first.runs,
        bootstrap: first.bootstrap,
    };
    let output = Output { no_plots: args.no_plots, quiet: args.quiet, json: args.json };
    super::sensitivity::finish(set, &job, &sobol, &tornado, &output)
}

/// The shards' `--variant` and `--set`, as the shards applied them.
fn adjustments(variants: &[String], overrides: &[String]) -> Result<Adjustments, Failure> {
    let overrides = overrides
        .iter()
        .map(|a| parse_override(a))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    Ok(Adjustments { variants: variants.to_vec(), overrides })
}

/// The name results are filed under: the scenario file's stem (never a path).
fn stem(scenario_file: &str) -> String {
    Path::new(scenario_file.trim_start_matches("builtin:"))
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty() && s != "..")
        .unwrap_or_else(|| "scenario".into())
}

/// Appends the rows of a shard's `runs-K-of-N.csv` to `out` (with its
/// header when `header`), refusing a file whose SHA-256 is not the one its
/// partial recorded (a stale file of an earlier job, an edited one) or whose
/// run column is not exactly the shard's runs.
fn copy_rows(path: &Path, p: &shard::Partial, header: bool, out: &mut impl Write) -> Result<(), Failure> {
    let shown = path.display();
    let refuse =
        |why: String| Failure::Input(format!("error: {shown}: {why}; re-run shard {} of {}\n", p.shard.k, p.shard.n));
    let file = std::fs::File::open(path).map_err(|e| refuse(format!("cannot read the shard's per-run rows ({e})")))?;
    let mut bytes = Vec::new();
    file.take(brink::limits::MAX_PARTIAL_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refuse(format!("cannot read ({e})")))?;
    if Some(shard::sha256_hex(&bytes)) != p.runs_csv_sha256 {
        return Err(refuse("these rows are not the ones its partial recorded (field `runs_csv_sha256`)".into()));
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let range = p.shard.range(p.runs);
    let mut next = range.start;
    for record in reader.records() {
        let record = record.map_err(|e| refuse(format!("not CSV ({e})")))?;
        if record.get(0).and_then(|r| r.parse::<u64>().ok()) != Some(next) || next >= range.end {
            return Err(refuse(format!(
                "row of run {} out of order or out of the shard's runs",
                record.get(0).unwrap_or("")
            )));
        }
        next += 1;
    }
    if next != range.end {
        return Err(refuse(format!(
            "{} rows, but the shard played {} runs",
            next - range.start,
            range.end - range.start
        )));
    }
    let body =
        if header { &bytes[..] } else { bytes.iter().position(|&b| b == b'\n').map_or(&[][..], |i| &bytes[i + 1..]) };
    out.write_all(body).map_err(|e| Failure::Other(anyhow::anyhow!("cannot write runs.csv: {e}")))
}
