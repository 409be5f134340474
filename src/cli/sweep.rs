//! `brink sweep`: the Monte Carlo at every point of a parameter grid.

use super::terminal::{errln, outln};
use brink::montecarlo::RunConfig;
use std::path::PathBuf;

use anyhow::Context;
use brink::analysis::comparison;
use brink::analysis::outcomes;
use brink::model::Model;
use brink::montecarlo::shard::{PointPair, PointTally, SWEEP_PARTIAL_FORMAT, ShardSpec, SweepPartial};
use brink::montecarlo::sweep::{self, GridParam};
use brink::montecarlo::{PairTally, Tally};
use brink::report::experiments::{Differences, SweepPoint, write_sweep_csv};
use brink::report::html::ScenarioSource;
use brink::report::output_dir::OutputSet;
use brink::report::pages::{self, Made};
use brink::report::partial;
use brink::scenario::{Adjustments, LoadError};

use super::experiment::{Experiment, MonteCarloArgs};
use super::{CliResult, Failure, scenario_arg};

/// Run the Monte Carlo at every point of a grid of one or two parameters and
/// show how outcomes move. The terminal table gives each point's share of
/// each ending and its mean round; sweep.csv adds the conflict outcomes, the
/// mean payoffs and a 95% confidence interval for every number, and the
/// plots draw them with their intervals as bands.
///
/// Every point uses the same seed and run indices (common random numbers),
/// so differences between points come from the parameter, not from noise.
/// The baseline is the first grid point (every parameter at its first grid
/// value): sweep.csv, the table and the plots give each point's difference
/// from it with a paired 95% interval, computed run by run (--unpaired:
/// intervals that treat the points as independent samples).
/// Grids: LO:HI:N (linear), LO:HI:N:log, or a list A,B,C. With --shard K/N,
/// plays only its share of (grid point, run) pairs for `brink merge`.
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
    #[command(flatten)]
    mc: MonteCarloArgs,
    /// Output folder [default: outputs/<scenario>-sweep, or -sweep-shards with
    /// --shard; with @<variant> and +<hash of the --set overrides> after the
    /// name as for `run`].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Play only shard K of N of the (grid point, run) pairs.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Skip the plots.
    #[arg(long)]
    no_plots: bool,
    /// No progress bar and no table.
    #[arg(long, short)]
    quiet: bool,
    /// Print every point's values and summary as JSON instead of the table.
    #[arg(long)]
    json: bool,
    /// Differences from the first grid point with intervals that treat the
    /// points as independent samples, instead of paired run by run.
    #[arg(long)]
    unpaired: bool,
}

pub fn run(args: Args) -> CliResult {
    if args.params.len() > 2 {
        return Err(Failure::Input("error: sweep one or two parameters (give --param once or twice)\n".into()));
    }
    args.mc.check()?;
    let shard = args
        .shard
        .as_deref()
        .map(ShardSpec::parse)
        .transpose()
        .map_err(|e| Failure::Input(format!("error: --shard {e}\n")))?;
    let base = args.adjust.adjustments()?;
    let (grid, models) =
        load_grid(|adj| scenario_arg::load_adjusted(&args.scenario, adj).map(|(_, m)| m), &args.params, &base)?;
    let n_points = models.len() as u64;

    if let Some(shard) = shard {
        let (source, _) =
            scenario_arg::load_adjusted(&args.scenario, &base).map_err(|e| scenario_arg::failure(&e, false))?;
        let dir = args.adjust.out_dir(&args.out, &args.scenario, "-sweep-shards");
        let mut p = SweepPartial {
            format: SWEEP_PARTIAL_FORMAT.into(),
            brink_version: env!("CARGO_PKG_VERSION").into(),
            scenario_file: source.name.clone(),
            scenario_sha256: source.sha256.clone(),
            scenario_text: source.text.clone(),
            variants: base.variants.clone(),
            overrides: args.adjust.set.clone(),
            params: args.params.clone(),
            seed: args.mc.seed,
            runs: args.mc.runs,
            points: n_points,
            shard,
            unpaired: args.unpaired,
            tallies: Vec::new(),
            pairs: Vec::new(),
        };
        // Refused before any work: a folder holding another job's partials.
        use brink::montecarlo::shard::ShardedResult;
        partial::check_shard_folder(&dir, &p.job(), true).map_err(|e| Failure::Input(format!("error: {e:#}\n")))?;
        // A shard plays its share of the run indices at every grid point, so
        // that its runs pair with the same runs at the first point.
        let runs = shard.range(args.mc.runs);
        let work = (runs.end - runs.start).saturating_mul(n_points);
        let mut experiment = Experiment::new(args.mc.threads, work, args.quiet)?;
        let model_refs: Vec<&Model> = models.iter().collect();
        let paired =
            experiment.simulate_paired(&model_refs, RunConfig { seed: args.mc.seed, runs, ..Default::default() })?;
        experiment.finish();
        let points = sweep::points(&grid).map_err(|e| Failure::Input(format!("error: {e}\n")))?;
        let labels = sweep::point_labels(&grid, &points);
        p.tallies = paired
            .tallies
            .into_iter()
            .zip(&labels)
            .enumerate()
            .map(|(k, (tally, at))| PointTally { point: k as u64, at: at.clone(), tally })
            .collect();
        p.pairs = paired
            .pairs
            .into_iter()
            .zip(labels.iter().skip(1))
            .enumerate()
            .map(|(i, (pair, at))| PointPair { point: i as u64 + 1, at: at.clone(), pair })
            .collect();
        partial::clean_stale_temporaries(&dir);
        let path = partial::write_sweep(&dir, &p)?;
        if !args.quiet {
            errln!(
                "sweep shard {}/{} written to {} (combine with `brink merge {}`)",
                shard.k,
                shard.n,
                path.display(),
                dir.display()
            );
        }
        return Ok(());
    }

    let out = args.adjust.out_dir(&args.out, &args.scenario, "-sweep");
    let set = OutputSet::begin(&out, &scenario_arg::input_paths(std::slice::from_ref(&args.scenario)))?;
    let mut experiment = Experiment::new(args.mc.threads, args.mc.runs.saturating_mul(n_points), args.quiet)?;
    let model_refs: Vec<&Model> = models.iter().collect();
    let paired = experiment
        .simulate_paired(&model_refs, RunConfig { seed: args.mc.seed, runs: 0..args.mc.runs, ..Default::default() })?;
    experiment.finish();
    let (source, _) =
        scenario_arg::load_adjusted(&args.scenario, &base).map_err(|e| scenario_arg::failure(&e, false))?;
    let made = Made {
        source: ScenarioSource { file: &source.name, sha256: &source.sha256, text: &source.text },
        seed: args.mc.seed,
        adjustments: base.describe(),
    };
    let output = super::run::Output { no_plots: args.no_plots, quiet: args.quiet, json: args.json };
    let results = Results { tallies: &paired.tallies, pairs: &paired.pairs, unpaired: args.unpaired };
    finish(set, &grid, &models, &results, &made, args.mc.runs, &output)
}

/// Parses the grid and compiles the scenario at every point, so that a bad
/// value is reported before any work.
pub fn load_grid(
    load: impl Fn(&Adjustments) -> Result<Model, LoadError>,
    params: &[String],
    base: &Adjustments,
) -> Result<(Vec<GridParam>, Vec<Model>), Failure> {
    let grid: Vec<GridParam> = params
        .iter()
        .map(|p| sweep::parse_grid(p))
        .collect::<Result<_, _>>()
        .map_err(|e| Failure::Input(format!("error: --param {e}\n")))?;
    let points = sweep::points(&grid).map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    let mut models = Vec::with_capacity(points.len());
    for (_, overrides) in &points {
        let adj = Adjustments {
            variants: base.variants.clone(),
            overrides: [base.overrides.clone(), overrides.clone()].concat(),
        };
        models.push(load(&adj).map_err(|e| scenario_arg::failure(&e, false))?);
    }
    Ok((grid, models))
}

/// A sweep's tallies: one per grid point, and each later point paired run by
/// run with the first.
pub struct Results<'a> {
    pub tallies: &'a [Tally],
    pub pairs: &'a [PairTally],
    /// Report independent-sample intervals for the differences instead.
    pub unpaired: bool,
}

/// Writes sweep.csv and the plots and prints the table: shared by `sweep`
/// and `merge`, so both give the same files.
pub fn finish(
    set: OutputSet,
    grid: &[GridParam],
    models: &[Model],
    results: &Results<'_>,
    made: &Made<'_>,
    runs: u64,
    output: &super::run::Output,
) -> CliResult {
    let seed = made.seed;
    let points = sweep::points(grid).map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    let summaries: Vec<_> = models.iter().zip(results.tallies).map(|(m, t)| outcomes::summarise(m, t)).collect();
    let refs: Vec<_> = summaries.iter().collect();
    let differences =
        if results.unpaired { comparison::compare(&refs) } else { comparison::compare_paired(&refs, results.pairs) };
    let paths: Vec<String> = grid.iter().map(|g| g.path.clone()).collect();
    let rows: Vec<SweepPoint<'_>> = points
        .iter()
        .zip(&summaries)
        .enumerate()
        .map(|(i, ((values, _), summary))| SweepPoint {
            values,
            summary,
            differences: Differences::of_point(&differences, i),
        })
        .collect();
    let file = std::fs::File::create(set.path("sweep.csv")).context("cannot create sweep.csv")?;
    write_sweep_csv(std::io::BufWriter::new(file), &paths, &rows).context("cannot write sweep.csv")?;
    let mut written = vec!["sweep.csv".to_string()];
    if !output.no_plots {
        let log_axes: Vec<bool> = grid.iter().map(|g| g.log).collect();
        written.extend(super::plots::write_sweep_plots(
            set.staging(),
            &models[0],
            &paths,
            &log_axes,
            &rows,
            seed,
            runs,
        )?);
    }
    let names: Vec<String> = paths.iter().map(|p| models[0].param_name(p)).collect();
    let page = pages::sweep_page(&models[0], &names, &rows, runs, made, set.staging(), &pages::svg_names(&written));
    written.push(page.write(set.staging())?);
    let dest = set.commit()?;
    if output.json {
        let points: Vec<_> = rows
            .iter()
            .map(|p| {
                let diffs: serde_json::Map<String, serde_json::Value> =
                    p.differences.values.iter().map(|(c, d)| (c.clone(), serde_json::json!(d))).collect();
                serde_json::json!({"values": p.values, "summary": p.summary, "difference_from_first_point": diffs})
            })
            .collect();
        super::print_json(&serde_json::json!({
            "scenario": models[0].name, "parameters": paths, "seed": seed, "runs": runs,
            "baseline": "the first grid point", "difference_interval": rows.first().map(|p| p.differences.interval_name()),
            "points": points,
        }));
    } else if !output.quiet {
        outln!("{} — sweep of {} point(s), {} runs each, seed {seed}\n", models[0].name, points.len(), runs);
        outln!(
            "  {:<40} {:>10} {:>10} {:>10} {:>10} {:>11}  {}",
            paths.join(", "),
            "agreement",
            "deadline",
            "breakdown",
            "walk-away",
            "mean round",
            "agreement vs first point [95% CI]"
        );
        for p in &rows {
            let vals: Vec<String> = p.values.iter().map(|v| brink::model::number_label(*v)).collect();
            let share = |k: usize| p.summary.ends[k].share.map_or("n/a".into(), |x| format!("{:.1}%", 100.0 * x));
            outln!(
                "  {:<40} {:>10} {:>10} {:>10} {:>10} {:>11}  {}",
                vals.join(", "),
                share(0),
                share(1),
                share(2),
                share(3),
                p.summary.rounds.mean.map_or("n/a".into(), |x| format!("{x:.2}")),
                p.differences.get("end:agreement").map_or("n/a".into(), points_text)
            );
        }
        if let Some(kind) = rows.first().and_then(|p| p.differences.interval) {
            outln!("\n  Differences are from the first grid point. {}", kind.explain());
        }
        outln!("\nWrote {}/: {}", dest.display(), written.join(", "));
    }
    Ok(())
}

/// A share difference in percentage points with its interval: "+1.2 pts
/// [+0.9, +1.5]"; exactly "0 pts [0, 0]" for no difference.
fn points_text(d: &brink::analysis::comparison::Estimate) -> String {
    let pts = |x: f64| if x == 0.0 { "0".to_string() } else { format!("{:+.1}", 100.0 * x) };
    match (d.value, d.ci95) {
        (Some(v), Some([lo, hi])) => format!("{} pts [{}, {}]", pts(v), pts(lo), pts(hi)),
        (Some(v), None) => format!("{} pts", pts(v)),
        _ => "n/a".into(),
    }
}
