//! What `run`, `sweep` and `compare` share: a worker pool, one progress bar
//! over all the work, and "simulate then summarise".

use std::io::IsTerminal;
use std::ops::Range;
use std::sync::atomic::{AtomicI32, Ordering};

use anyhow::Context;
use brink::model::Model;
use brink::montecarlo::{self, RunConfig, RunRecord};

use super::Failure;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The Monte Carlo arguments `run`, `sweep` and `compare` share.
#[derive(clap::Args, Clone, Debug)]
pub struct MonteCarloArgs {
    /// Negotiations to play (per grid point in a sweep, per arm in a comparison).
    #[arg(long, default_value_t = 10_000)]
    pub runs: u64,
    /// Master seed: run k uses a random stream derived from (seed, k) alone,
    /// the same at every grid point and in every arm.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_parser = thread_count)]
    pub threads: Option<usize>,
}

/// `--threads N` for every command: at most [`brink::limits::MAX_THREADS`]
/// (more would take seconds to spawn, or fail to get their stacks), refused
/// by clap with exit 2 before any work.
pub fn thread_count(s: &str) -> Result<usize, String> {
    let n: usize = s.parse().map_err(|e| format!("{e}; give a number of threads, e.g. --threads 4"))?;
    if n > brink::limits::MAX_THREADS {
        return Err(format!(
            "above the limit of {}; results do not depend on --threads, so leave it out to use every core",
            brink::limits::MAX_THREADS
        ));
    }
    Ok(n)
}

impl MonteCarloArgs {
    /// Refuses `--runs 0`, which would summarise nothing (`--threads` is
    /// checked as it is parsed, by [`thread_count`]).
    pub fn check(&self) -> Result<(), Failure> {
        if self.runs == 0 {
            return Err(Failure::Input("error: --runs must be at least 1\n".into()));
        }
        Ok(())
    }
}

/// The signal that asked brink to stop (SIGINT, SIGTERM or SIGHUP), or 0;
/// simulations stop at the next batch.
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// The signal received while work was running, if any.
pub fn signal_received() -> Option<i32> {
    Some(SIGNAL.load(Ordering::SeqCst)).filter(|&s| s != 0)
}

pub fn interrupted() -> bool {
    SIGNAL.load(Ordering::SeqCst) != 0
}

/// Installs the handlers once: Ctrl-C everywhere, and on Unix SIGTERM (what
/// Slurm, `timeout` and docker send) and SIGHUP (a closed terminal) too. If
/// a handler cannot be installed, that signal keeps its default meaning (the
/// process ends; output sets stay uncommitted and are cleaned next time).
pub fn catch_signals() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let _ = SIGNAL.compare_exchange(0, 2, Ordering::SeqCst, Ordering::SeqCst);
        });
        #[cfg(unix)]
        unix_signals::install();
    });
}

#[cfg(unix)]
mod unix_signals {
    use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
    use std::sync::atomic::Ordering;

    /// Only an atomic store: async-signal-safe.
    extern "C" fn on_signal(signal: i32) {
        let _ = super::SIGNAL.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
    }

    pub fn install() {
        let action = SigAction::new(SigHandler::Handler(on_signal), SaFlags::SA_RESTART, SigSet::empty());
        for signal in [Signal::SIGTERM, Signal::SIGHUP] {
            // SAFETY: the handler only stores into an atomic, which is
            // async-signal-safe, and replaces the default action alone.
            unsafe {
                let _ = sigaction(signal, &action);
            }
        }
    }
}

pub struct Experiment {
    pool: rayon::ThreadPool,
    bar: ProgressBar,
    /// Runs finished by earlier simulations (sweep points, arms).
    done_before: u64,
}

/// "164,677 runs/s": whole runs with thousands separators.
pub fn runs_per_second(rate: f64) -> String {
    let rate = if rate.is_finite() && rate > 0.0 { rate.round() as u64 } else { 0 };
    format!("{} runs/s", brink::report::summary_table::group(rate))
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
            if let Ok(style) = ProgressStyle::with_template("{bar:40} {human_pos}/{human_len} runs  {rate}  eta {eta}")
            {
                // indicatif's {per_sec} prints "164,676.7828/s"; whole runs
                // per second are what a reader wants.
                bar.set_style(style.with_key(
                    "rate",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{}", runs_per_second(state.per_sec()));
                    },
                ));
            }
            bar
        };
        catch_signals();
        Ok(Experiment { pool, bar, done_before: 0 })
    }

    /// Simulates the runs `config.runs` of `model`; `on_records` sees
    /// per-run records (only with `keep_runs`) and may stop early by
    /// returning false. Ctrl-C stops the simulation and returns
    /// `Failure::Interrupted`.
    pub fn simulate_range(
        &mut self,
        model: &Model,
        config: RunConfig,
        mut on_records: impl FnMut(&[RunRecord]) -> bool + Send,
    ) -> Result<montecarlo::Tally, Failure> {
        let wanted = config.runs.end - config.runs.start;
        let bar = &self.bar;
        let before = self.done_before;
        let tally = self.pool.install(|| {
            montecarlo::simulate(model, &config, |batch| {
                bar.set_position(before + batch.done);
                on_records(batch.records) && !interrupted()
            })
        });
        self.done_before += tally.runs;
        if interrupted() {
            self.finish();
            return Err(Failure::Interrupted(format!("{} of {wanted} runs", tally.runs)));
        }
        Ok(tally)
    }

    /// Simulates runs `config.runs` of every model with common random
    /// numbers, pairing each with the first run by run (see
    /// `montecarlo::simulate_paired`). Ctrl-C as in `simulate_range`.
    pub fn simulate_paired(&mut self, models: &[&Model], config: RunConfig) -> Result<montecarlo::Paired, Failure> {
        let wanted = config.runs.end - config.runs.start;
        let bar = &self.bar;
        let before = self.done_before;
        let arms = models.len() as u64;
        let paired = self.pool.install(|| {
            montecarlo::simulate_paired(models, &config, |done| {
                bar.set_position(before + done * arms);
                !interrupted()
            })
        });
        let played = paired.tallies.first().map_or(0, |t| t.runs);
        self.done_before += played * arms;
        if interrupted() {
            self.finish();
            return Err(Failure::Interrupted(format!("{played} of {wanted} runs per arm")));
        }
        Ok(paired)
    }

    /// The Saltelli design of a sensitivity analysis (samples `samples`).
    pub fn sobol(
        &mut self,
        model: &Model,
        seed: u64,
        samples: Range<u64>,
    ) -> Result<montecarlo::sensitivity::SobolRuns, Failure> {
        let per_sample = model.params.uncertain.len() as u64 + 2;
        let bar = &self.bar;
        let before = self.done_before;
        let runs = self.pool.install(|| {
            montecarlo::sensitivity::sobol_runs(model, seed, samples.clone(), |done| {
                bar.set_position(before + done * per_sample)
            })
        });
        self.done_before += runs.len() as u64 * per_sample;
        if interrupted() {
            self.finish();
            return Err(Failure::Interrupted(format!("{} samples", runs.len())));
        }
        Ok(runs)
    }

    /// The one-at-a-time runs of a tornado (`runs` per level).
    pub fn tornado(
        &mut self,
        model: &Model,
        seed: u64,
        runs: Range<u64>,
    ) -> Result<montecarlo::sensitivity::TornadoRuns, Failure> {
        let arms = 2 * model.params.uncertain.len() as u64 + 1;
        let bar = &self.bar;
        let before = self.done_before;
        let t = self.pool.install(|| {
            montecarlo::sensitivity::tornado_runs(model, seed, runs, |done| {
                bar.set_position(before + done * arms);
                !interrupted()
            })
        });
        let played = t.paired.tallies.first().map_or(0, |t| t.runs);
        self.done_before += played * arms;
        if interrupted() {
            self.finish();
            return Err(Failure::Interrupted(format!("{played} tornado runs per level")));
        }
        Ok(t)
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod issue_16_tests {
    #[test]
    fn issue_16_progress_rate_is_whole_runs_per_second() {
        assert_eq!(super::runs_per_second(164_676.782_8), "164,677 runs/s");
        assert_eq!(super::runs_per_second(f64::NAN), "0 runs/s");
    }
}
