//! The Monte Carlo runner: play a scenario many times and aggregate.
//!
//! Runs are grouped into fixed chunks of [`CHUNK`] run indices. Each chunk is
//! played sequentially on one thread into its own [`Tally`]; chunks run in
//! parallel (rayon) a batch at a time and are merged in index order. Every
//! number in a tally is an integer (counts, fixed-point sums) or a min/max,
//! so merging is exact and associative: the result is the same bytes
//! whatever the thread count, the batch size or the sharding.
//! Memory is bounded by one batch, not by the number of runs.

pub mod causes;
pub mod escalation;
pub mod expected;
mod histogram;
mod paired;
pub mod sensitivity;
pub mod shard;
pub mod sweep;
mod tally;
mod tally_check;

use std::ops::Range;

use rayon::prelude::*;

pub use histogram::FineHistogram;
pub use paired::{DiffTally, PairTally};
pub use tally::{END_LABELS, END_NAMES, PayoffTally, Tally, end_index, payoff_bounds};
pub use tally_check::BadField;

use crate::engine::{self, Ending, NoObserver, RunSetup};
use crate::model::Model;
use causes::{Attribution, Counterfactuals};

/// Run indices per chunk: large enough to amortise a tally, small enough to
/// balance work across threads.
pub const CHUNK: u64 = 1024;
/// Chunks per batch: how many chunks are in flight before merging.
const BATCH_CHUNKS: u64 = 64;

/// Which runs to play.
#[derive(Debug, Clone, Default)]
pub struct RunConfig {
    pub seed: u64,
    /// The run indices to play (all of them, or one shard's share).
    pub runs: Range<u64>,
    /// Keep one record per run (for runs.csv).
    pub keep_runs: bool,
    /// Replay every failed run to attribute its failure (docs/model.md §12):
    /// the tallies carry [`causes::CauseTally`], the records their attribution.
    pub causes: bool,
}

/// One run's result and drawn numbers, for per-run output.
#[derive(Debug, Clone)]
pub struct RunRecord {
    pub run: u64,
    pub ending: Ending,
    /// The uncertain numbers' drawn values, in `model.params.uncertain` order.
    pub drawn: Vec<f64>,
    /// Why it failed (`None` unless the simulation attributes causes).
    pub attribution: Option<Attribution>,
}

/// Called after each batch, in run order.
pub struct Batch<'a> {
    /// Runs finished so far.
    pub done: u64,
    /// This batch's per-run records (empty unless `keep_runs`).
    pub records: &'a [RunRecord],
}

/// Plays `config.runs` and returns the merged tally. `on_batch` sees each
/// batch's records in run order (to stream them to a file) and may stop the
/// simulation early by returning `false` (used for Ctrl-C); the tally then
/// covers only the runs played, and `Tally::runs` says how many.
pub fn simulate(model: &Model, config: &RunConfig, mut on_batch: impl FnMut(Batch<'_>) -> bool) -> Tally {
    let counterfactuals = config.causes.then(|| Counterfactuals::new(model));
    let mut total = Tally::new(model).attributing(config.causes);
    let first_chunk = config.runs.start / CHUNK;
    let end_chunk = config.runs.end.div_ceil(CHUNK);
    let mut chunk = first_chunk;
    let mut done = 0;
    while chunk < end_chunk {
        let batch_end = (chunk + BATCH_CHUNKS).min(end_chunk);
        let results: Vec<(Tally, Vec<RunRecord>)> = (chunk..batch_end)
            .into_par_iter()
            .map(|c| play_chunk(model, counterfactuals.as_ref(), config, c))
            .collect();
        let mut records = Vec::new();
        for (tally, recs) in results {
            done += tally.runs;
            total.merge(&tally);
            records.extend(recs);
        }
        if !on_batch(Batch { done, records: &records }) {
            break;
        }
        chunk = batch_end;
    }
    total
}

fn play_chunk(
    model: &Model,
    counterfactuals: Option<&Counterfactuals>,
    config: &RunConfig,
    chunk: u64,
) -> (Tally, Vec<RunRecord>) {
    let start = (chunk * CHUNK).max(config.runs.start);
    let end = ((chunk + 1) * CHUNK).min(config.runs.end);
    let mut tally = Tally::new(model).attributing(counterfactuals.is_some());
    let mut setup = RunSetup::new(model);
    let mut replays = counterfactuals.map(Counterfactuals::replays);
    let mut records = Vec::new();
    for run in start..end {
        let ending = match &mut tally.escalation {
            Some(x) => engine::play(model, &mut setup, config.seed, run, &mut escalation::OccupancyObserver(x)),
            None => engine::play(model, &mut setup, config.seed, run, &mut NoObserver),
        };
        tally.record(&ending);
        // The replays reuse their own workspaces, so `setup` still holds
        // this run's draws for its record.
        let attribution = replays.as_mut().map(|r| r.attribute(config.seed, run, &ending));
        if let (Some(c), Some(a)) = (&mut tally.causes, attribution) {
            c.record(a);
        }
        if config.keep_runs {
            let drawn = model.params.uncertain.iter().map(|u| setup.params[u.id as usize]).collect();
            records.push(RunRecord { run, ending, drawn, attribution });
        }
    }
    (tally, records)
}

/// The tallies of several arms played with common random numbers, and each
/// arm's pairing with the first (the baseline).
#[derive(Debug, Clone, PartialEq)]
pub struct Paired {
    /// One tally per arm, in the order given.
    pub tallies: Vec<Tally>,
    /// `pairs[i]`: arm i + 1 against arm 0, run by run.
    pub pairs: Vec<PairTally>,
}

impl Paired {
    fn new(models: &[&Model], causes: bool) -> Self {
        Paired {
            tallies: models.iter().map(|m| Tally::new(m).attributing(causes)).collect(),
            pairs: models.iter().skip(1).map(|m| PairTally::new(models[0], m)).collect(),
        }
    }

    pub fn merge(&mut self, o: &Paired) {
        for (x, y) in self.tallies.iter_mut().zip(&o.tallies) {
            x.merge(y);
        }
        for (x, y) in self.pairs.iter_mut().zip(&o.pairs) {
            x.merge(y);
        }
    }
}

/// Plays `config.runs` of every model, run k of every model with the same
/// random stream, and pairs each arm with the first run by run. Chunks and
/// batches as in [`simulate`], so the result is the same bytes whatever the
/// thread count. `on_batch` gets the runs finished so far (per arm) and may
/// stop early by returning `false`. `config.keep_runs` is ignored.
pub fn simulate_paired(models: &[&Model], config: &RunConfig, mut on_batch: impl FnMut(u64) -> bool) -> Paired {
    let counterfactuals: Vec<Counterfactuals> =
        if config.causes { models.iter().map(|m| Counterfactuals::new(m)).collect() } else { Vec::new() };
    let mut total = Paired::new(models, config.causes);
    let first_chunk = config.runs.start / CHUNK;
    let end_chunk = config.runs.end.div_ceil(CHUNK);
    let mut chunk = first_chunk;
    let mut done = 0;
    while chunk < end_chunk {
        let batch_end = (chunk + BATCH_CHUNKS).min(end_chunk);
        let results: Vec<Paired> = (chunk..batch_end)
            .into_par_iter()
            .map(|c| play_paired_chunk(models, &counterfactuals, config, c))
            .collect();
        for p in results {
            done += p.tallies.first().map_or(0, |t| t.runs);
            total.merge(&p);
        }
        if !on_batch(done) {
            break;
        }
        chunk = batch_end;
    }
    total
}

/// `counterfactuals`: one per model, or none when causes are not attributed.
fn play_paired_chunk(models: &[&Model], counterfactuals: &[Counterfactuals], config: &RunConfig, chunk: u64) -> Paired {
    let start = (chunk * CHUNK).max(config.runs.start);
    let end = ((chunk + 1) * CHUNK).min(config.runs.end);
    let mut out = Paired::new(models, config.causes);
    // Arm by arm over the chunk (not arm by arm per run), so that each arm's
    // workspace stays warm; the baseline's endings wait in a small buffer.
    let mut base: Vec<engine::Ending> = Vec::with_capacity((end - start) as usize);
    for (i, model) in models.iter().enumerate() {
        let mut setup = RunSetup::new(model);
        let mut replays = counterfactuals.get(i).map(Counterfactuals::replays);
        for (k, run) in (start..end).enumerate() {
            let ending = engine::play(model, &mut setup, config.seed, run, &mut NoObserver);
            out.tallies[i].record(&ending);
            if let (Some(r), Some(c)) = (&mut replays, &mut out.tallies[i].causes) {
                c.record(r.attribute(config.seed, run, &ending));
            }
            if i == 0 {
                base.push(ending);
            } else {
                out.pairs[i - 1].record(&base[k], &ending);
            }
        }
    }
    out
}
