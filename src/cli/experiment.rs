//! What `run`, `sweep` and `compare` share: a worker pool, one progress bar
//! over all the work, and "simulate then summarise".

use std::io::IsTerminal;

use anyhow::Context;
use brink::analysis::outcomes::{self, Summary};
use brink::model::Model;
use brink::montecarlo::{self, RunConfig, RunRecord};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Experiment {
    pool: rayon::ThreadPool,
    bar: ProgressBar,
    /// Runs finished by earlier simulations (sweep points, arms).
    done_before: u64,
}

impl Experiment {
    /// `total_runs` across everything this experiment will simulate.
    pub fn new(threads: Option<usize>, total_runs: u64, quiet: bool) -> anyhow::Result<Self> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.unwrap_or(0))
            .build()
            .context("cannot start worker threads")?;
        let bar = if quiet || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::with_draw_target(Some(total_runs), ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("{bar:40} {human_pos}/{human_len} runs  {per_sec}  eta {eta}")
            {
                bar.set_style(style);
            }
            bar
        };
        Ok(Experiment { pool, bar, done_before: 0 })
    }

    /// Simulates `runs` runs of `model`; `on_records` sees per-run records
    /// (only with `keep_runs`) and may stop early by returning false.
    pub fn simulate(
        &mut self,
        model: &Model,
        seed: u64,
        runs: u64,
        keep_runs: bool,
        mut on_records: impl FnMut(&[RunRecord]) -> bool + Send,
    ) -> montecarlo::Tally {
        let config = RunConfig { seed, runs: 0..runs, keep_runs };
        let bar = &self.bar;
        let before = self.done_before;
        let tally = self.pool.install(|| {
            montecarlo::simulate(model, &config, |batch| {
                bar.set_position(before + batch.done);
                on_records(batch.records)
            })
        });
        self.done_before += tally.runs;
        tally
    }

    /// Simulates and summarises.
    pub fn summary(&mut self, model: &Model, seed: u64, runs: u64) -> Summary {
        let tally = self.simulate(model, seed, runs, false, |_| true);
        outcomes::summarise(model, &tally)
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
