//! The runs behind a sensitivity analysis: a Saltelli design for Sobol
//! indices, and one-at-a-time runs for a tornado.
//!
//! **Sobol design.** Sample j (0-based) takes two rows of factor values, A_j
//! and B_j, and evaluates the model at A_j, at B_j and at every A_B^(i)_j
//! (A_j with factor i taken from B_j): d + 2 evaluations for d factors.
//! The evaluations at A_j and at every A_B^(i)_j share one noise (the rest
//! of the run's randomness: strategies, breakdowns, the conflict lottery),
//! and B_j has an independent one. Then Jansen's
//! total-effect estimator compares runs that differ in factor i only, and
//! Saltelli's first-order estimator pairs B_j with A_B^(i)_j, which share
//! factor i only, so both estimate the indices of a stochastic simulator
//! whose noise is one more input (never resampled with a factor).
//!
//! Sample j's A side is run 2j and its B side run 2j + 1, in the streams of
//! `rng::RunKey`: A_j holds the numbers run 2j draws (each factor from its
//! purpose's stream), B_j those of run 2j + 1, and each side's noise is the
//! rest of its run's streams, so the evaluation at A_j is run 2j exactly.
//! Samples are played in chunks in parallel and stored in sample order, so
//! the result is the same bytes whatever the thread count, and a range of
//! samples can be played on another machine and concatenated.
//!
//! **Tornado.** Each factor in turn is fixed at its 5th and at its 95th
//! percentile while the others keep their distributions; every such arm
//! and the base scenario are played with common random numbers
//! ([`simulate_paired`](super::simulate_paired)), so each bar's distance
//! from the base is a paired difference.

use std::ops::Range;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{CHUNK, Paired, RunConfig, simulate_paired};
use crate::engine::{End, Ending, RunSetup, play_fixed};
use crate::model::{Distribution, Model, Shape};
use crate::rng::{Purpose, RunKey};

/// A factor of a Saltelli design: a distribution, drawn from the stream of
/// its purpose (a scenario number's is its TOML path).
#[derive(Debug, Clone)]
pub struct Factor {
    pub purpose: Purpose,
    pub distribution: Distribution,
}

/// The outputs whose sensitivity is analysed, per run.
pub const OUTPUT_LABELS: [&str; 4] = ["agreement", "failure", "payoff:0", "payoff:1"];

/// The per-run outputs: agreement (1/0), failure (the talks collapsed by
/// breakdown or walk-away: 1/0), and each actor's payoff.
pub fn outputs_of(e: &Ending) -> Vec<f64> {
    let failed = matches!(e.end, End::Breakdown | End::WalkAway(_));
    vec![f64::from(u8::from(e.end == End::Agreement)), f64::from(u8::from(failed)), e.payoff[0], e.payoff[1]]
}

/// The model evaluations of a range of samples of a Saltelli design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SobolRuns {
    /// The samples held, a contiguous range of sample indices.
    pub samples: Range<u64>,
    pub factors: usize,
    pub outputs: usize,
    /// `y_a[j * outputs + o]`: output o at A_j.
    pub y_a: Vec<f64>,
    pub y_b: Vec<f64>,
    /// `y_ab[(i * n + j) * outputs + o]`, n the samples held: output o at A_B^(i)_j.
    pub y_ab: Vec<f64>,
}

impl SobolRuns {
    /// Samples held.
    pub fn len(&self) -> usize {
        (self.samples.end - self.samples.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Output `o` at A, at B, and at each A_B^(i), as separate columns.
    pub fn columns(&self, o: usize) -> (Vec<f64>, Vec<f64>, Vec<Vec<f64>>) {
        let n = self.len();
        let pick = |v: &[f64], rows: Range<usize>| rows.map(|j| v[j * self.outputs + o]).collect::<Vec<f64>>();
        let ab = (0..self.factors).map(|i| pick(&self.y_ab, i * n..(i + 1) * n)).collect();
        (pick(&self.y_a, 0..n), pick(&self.y_b, 0..n), ab)
    }

    /// Checks that the arrays have the sizes the range says.
    pub fn check(&self) -> Result<(), String> {
        let n = self.len();
        if self.y_a.len() != n * self.outputs
            || self.y_b.len() != n * self.outputs
            || self.y_ab.len() != n * self.outputs * self.factors
        {
            return Err(format!(
                "samples {}..{} with {} factors and {} outputs need {} + {} + {} values",
                self.samples.start,
                self.samples.end,
                self.factors,
                self.outputs,
                n * self.outputs,
                n * self.outputs,
                n * self.outputs * self.factors
            ));
        }
        Ok(())
    }

    /// Checks that every value is finite and within `bounds[o]` for its
    /// output o (a share is 0 or 1; a payoff lies in the scenario's payoff
    /// range); the field and the reason otherwise. A value outside would
    /// turn the indices into NaN.
    pub fn check_values(&self, bounds: &[(f64, f64)]) -> Result<(), (String, String)> {
        for (name, values) in [("y_a", &self.y_a), ("y_b", &self.y_b), ("y_ab", &self.y_ab)] {
            for (k, &x) in values.iter().enumerate() {
                let o = k % self.outputs.max(1);
                let (lo, hi) = bounds.get(o).copied().unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
                let share = o < 2;
                if !x.is_finite() || x < lo || x > hi || (share && x != 0.0 && x != 1.0) {
                    let label = OUTPUT_LABELS.get(o).copied().unwrap_or("an output");
                    let allowed = if share { "0 or 1".to_string() } else { format!("within [{lo:.3}, {hi:.3}]") };
                    return Err((format!("sobol.{name}[{k}]"), format!("{x:?} is not a possible {label} ({allowed})")));
                }
            }
        }
        Ok(())
    }

    /// Joins ranges of samples that follow each other into one; `None` if
    /// they do not line up (gaps, overlaps, different designs).
    pub fn concat(parts: &[SobolRuns]) -> Option<SobolRuns> {
        let first = parts.first()?;
        let mut out = SobolRuns {
            samples: first.samples.start..first.samples.start,
            factors: first.factors,
            outputs: first.outputs,
            y_a: Vec::new(),
            y_b: Vec::new(),
            y_ab: Vec::new(),
        };
        let total: usize = parts.iter().map(|p| p.len()).sum();
        let mut ab: Vec<Vec<f64>> = vec![Vec::with_capacity(total * first.outputs); first.factors];
        for p in parts {
            if p.samples.start != out.samples.end || p.factors != out.factors || p.outputs != out.outputs {
                return None;
            }
            p.check().ok()?;
            out.samples.end = p.samples.end;
            out.y_a.extend_from_slice(&p.y_a);
            out.y_b.extend_from_slice(&p.y_b);
            let n = p.len() * p.outputs;
            for (i, col) in ab.iter_mut().enumerate() {
                col.extend_from_slice(&p.y_ab[i * n..(i + 1) * n]);
            }
        }
        out.y_ab = ab.concat();
        Some(out)
    }
}

/// Plays samples `samples` of the Saltelli design over `factors` with
/// `evaluate(values, noise, workspace)` (noise: the run whose other streams
/// to draw from)
/// giving `outputs` numbers per evaluation. `workspace` makes one reusable
/// workspace per chunk. `on_progress` gets the samples finished so far.
pub fn saltelli<W>(
    factors: &[Factor],
    outputs: usize,
    seed: u64,
    samples: Range<u64>,
    workspace: impl Fn() -> W + Sync,
    evaluate: impl Fn(&[f64], RunKey, &mut W) -> Vec<f64> + Sync,
    mut on_progress: impl FnMut(u64),
) -> SobolRuns {
    let d = factors.len();
    let chunks: Vec<Range<u64>> = (samples.start / CHUNK..samples.end.div_ceil(CHUNK))
        .map(|c| (c * CHUNK).max(samples.start)..((c + 1) * CHUNK).min(samples.end))
        .collect();
    let mut parts = Vec::with_capacity(chunks.len());
    for batch in chunks.chunks(16) {
        let played: Vec<SobolRuns> = batch
            .par_iter()
            .map(|range| {
                let mut w = workspace();
                let n = (range.end - range.start) as usize;
                let mut y_a = Vec::with_capacity(n * outputs);
                let mut y_b = Vec::with_capacity(n * outputs);
                let mut y_ab = vec![Vec::with_capacity(n * outputs); d];
                let mut row = vec![0.0; d];
                for j in range.clone() {
                    let (run_a, run_b) = (RunKey::new(seed, 2 * j), RunKey::new(seed, 2 * j + 1));
                    let row_of = |run: RunKey| -> Vec<f64> {
                        factors.iter().map(|f| f.distribution.sample(&mut run.stream(f.purpose))).collect()
                    };
                    let (a, b) = (row_of(run_a), row_of(run_b));
                    y_a.extend(evaluate(&a, run_a, &mut w));
                    y_b.extend(evaluate(&b, run_b, &mut w));
                    for (i, col) in y_ab.iter_mut().enumerate() {
                        row.copy_from_slice(&a);
                        row[i] = b[i];
                        col.extend(evaluate(&row, run_a, &mut w));
                    }
                }
                SobolRuns { samples: range.clone(), factors: d, outputs, y_a, y_b, y_ab: y_ab.concat() }
            })
            .collect();
        parts.extend(played);
        on_progress(parts.last().map_or(samples.start, |p| p.samples.end) - samples.start);
    }
    if parts.is_empty() {
        return SobolRuns {
            samples: samples.clone(),
            factors: d,
            outputs,
            y_a: Vec::new(),
            y_b: Vec::new(),
            y_ab: Vec::new(),
        };
    }
    SobolRuns::concat(&parts).expect("chunks are contiguous")
}

/// The Saltelli design on a scenario: the factors are the model's uncertain
/// numbers, the outputs [`OUTPUT_LABELS`].
pub fn sobol_runs(model: &Model, seed: u64, samples: Range<u64>, on_progress: impl FnMut(u64)) -> SobolRuns {
    let factors: Vec<Factor> = model
        .params
        .uncertain
        .iter()
        .map(|u| Factor { purpose: u.purpose, distribution: u.distribution.clone() })
        .collect();
    let ids: Vec<u32> = model.params.uncertain.iter().map(|u| u.id).collect();
    saltelli(
        &factors,
        OUTPUT_LABELS.len(),
        seed,
        samples,
        || (RunSetup::new(model), Vec::<(u32, f64)>::with_capacity(ids.len())),
        |values, run, (setup, fixed)| {
            fixed.clear();
            fixed.extend(ids.iter().copied().zip(values.iter().copied()));
            outputs_of(&play_fixed(model, setup, run, fixed))
        },
        on_progress,
    )
}

/// Stream indices above this are reserved for draws that are not runs
/// (percentiles, bootstrap resamples), so they never collide with a run's.
pub const AUXILIARY_STREAMS: u64 = 1 << 62;

/// The `q`-quantile of a distribution, estimated from 20,001 draws of a
/// stream reserved for the number with purpose `purpose` (exact for
/// constants; within a few thousandths of the spread otherwise).
pub fn percentile(d: &Distribution, q: f64, seed: u64, purpose: Purpose) -> f64 {
    const PERCENTILE: Purpose = Purpose::named("percentile");
    let mut rng = RunKey::new(seed, AUXILIARY_STREAMS).stream(PERCENTILE.with(purpose));
    let mut draws: Vec<f64> = (0..20_001).map(|_| d.sample(&mut rng)).collect();
    draws.sort_by(f64::total_cmp);
    draws[((draws.len() - 1) as f64 * q).round() as usize]
}

/// The scenario with uncertain number `factor` (index into
/// `model.params.uncertain`) fixed at `value`: a zero-width uniform, drawn
/// from its own stream like any number, so every other draw of run k is
/// run k's of the base scenario: the arms share common random numbers.
pub fn with_factor_fixed(model: &Model, factor: usize, value: f64) -> Model {
    let mut m = model.clone();
    let u = &mut m.params.uncertain[factor];
    u.distribution =
        Distribution::new(Shape::Uniform { lo: value, hi: value }, None, None).expect("a zero-width uniform is valid");
    m
}

/// The one-at-a-time runs of a tornado: per factor, its 5th and 95th
/// percentiles, and the tallies of the base scenario and of every factor at
/// each percentile, paired with the base run by run.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoRuns {
    /// Per factor, (5th percentile, 95th percentile).
    pub levels: Vec<(f64, f64)>,
    /// Arm 0 the base; arms 2i + 1 and 2i + 2 factor i low and high.
    pub paired: Paired,
}

/// The tornado's runs (`runs` of each of the 2d + 1 arms).
pub fn tornado_runs(model: &Model, seed: u64, runs: Range<u64>, on_batch: impl FnMut(u64) -> bool) -> TornadoRuns {
    let levels: Vec<(f64, f64)> = model
        .params
        .uncertain
        .iter()
        .map(|u| {
            (percentile(&u.distribution, 0.05, seed, u.purpose), percentile(&u.distribution, 0.95, seed, u.purpose))
        })
        .collect();
    let mut arms = vec![model.clone()];
    for (i, &(lo, hi)) in levels.iter().enumerate() {
        arms.push(with_factor_fixed(model, i, lo));
        arms.push(with_factor_fixed(model, i, hi));
    }
    let refs: Vec<&Model> = arms.iter().collect();
    let paired = simulate_paired(&refs, &RunConfig { seed, runs, keep_runs: false, causes: false }, on_batch);
    TornadoRuns { levels, paired }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concatenated_ranges_equal_one_range() {
        let factor = |name, hi| Factor {
            purpose: Purpose::named(name),
            distribution: Distribution::new(Shape::Uniform { lo: 0.0, hi }, None, None).unwrap(),
        };
        let f = vec![factor("x", 1.0), factor("y", 2.0)];
        let eval = |x: &[f64], run: RunKey, _: &mut ()| {
            use rand::prelude::*;
            vec![x[0] + x[1] * run.stream(Purpose::named("noise")).random::<f64>()]
        };
        let whole = saltelli(&f, 1, 7, 0..3000, || (), eval, |_| {});
        let parts =
            [saltelli(&f, 1, 7, 0..1100, || (), eval, |_| {}), saltelli(&f, 1, 7, 1100..3000, || (), eval, |_| {})];
        assert_eq!(SobolRuns::concat(&parts).unwrap(), whole);
        assert!(SobolRuns::concat(&[parts[1].clone(), parts[0].clone()]).is_none());
    }
}
