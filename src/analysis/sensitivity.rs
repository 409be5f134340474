//! Variance-based sensitivity: first-order and total Sobol indices from a
//! Saltelli design, with bootstrap intervals, and a one-at-a-time tornado.
//!
//! With f_A, f_B and f_AB(i) the outputs at the rows of A, B and A_B^(i)
//! (see `montecarlo::sensitivity`) and V the variance of the outputs at A
//! and B together:
//! - first order (Saltelli et al. 2010, with f_B centred on the mean):
//!   S_i = mean((f_B − mean) · (f_AB(i) − f_A)) / V,
//!   the share of the variance that factor i explains by itself;
//! - total effect (Jansen 1999): ST_i = mean((f_A − f_AB(i))²) / 2 / V, the
//!   share that involves factor i at all, alone or with others.
//!
//! Intervals are percentile bootstrap intervals: samples (rows j) are drawn
//! with replacement, the indices recomputed, and the 2.5% and 97.5%
//! quantiles of the resampled indices reported.

use rand::prelude::*;
use serde::Serialize;

use super::comparison::Estimate;
use super::paired;
use super::shares::Share;
use crate::model::Model;
use crate::montecarlo::sensitivity::{OUTPUT_LABELS, SobolRuns, TornadoRuns};
use crate::montecarlo::{PairTally, Tally};
use crate::rng::RunRng;

/// One factor's indices for one output.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FactorIndices {
    pub first_order: Estimate,
    pub total: Estimate,
}

/// The point estimates of every factor's indices on the rows `rows` (with
/// repeats for a bootstrap resample); `None` when the output does not vary.
fn indices_on(y_a: &[f64], y_b: &[f64], y_ab: &[Vec<f64>], rows: &[usize]) -> Option<Vec<(f64, f64)>> {
    let n = rows.len() as f64;
    if rows.len() < 2 {
        return None;
    }
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    for &j in rows {
        for y in [y_a[j], y_b[j]] {
            sum += y;
            sum_sq += y * y;
        }
    }
    let mean = sum / (2.0 * n);
    let variance = sum_sq / (2.0 * n) - mean * mean;
    if variance <= 1e-15 * (1.0 + mean * mean) {
        return None;
    }
    Some(
        y_ab.iter()
            .map(|ab| {
                let (mut first, mut total) = (0.0, 0.0);
                for &j in rows {
                    // Centring f_B leaves the expectation unchanged (f_AB(i)
                    // and f_A have the same mean) and cuts the variance of
                    // the estimator when the output's mean is far from 0.
                    first += (y_b[j] - mean) * (ab[j] - y_a[j]);
                    total += (y_a[j] - ab[j]).powi(2);
                }
                (first / n / variance, total / (2.0 * n) / variance)
            })
            .collect(),
    )
}

/// First-order and total indices of every factor for one output, with 95%
/// percentile-bootstrap intervals from `resamples` resamples; `rng_of(k)`
/// gives resample k's stream. All "n/a" when the output does not vary.
pub fn sobol_indices(
    y_a: &[f64],
    y_b: &[f64],
    y_ab: &[Vec<f64>],
    resamples: usize,
    rng_of: &impl Fn(u64) -> RunRng,
) -> Vec<FactorIndices> {
    sobol_indices_until(y_a, y_b, y_ab, resamples, rng_of, &|| false).unwrap_or_default()
}

/// As [`sobol_indices`], asking `stop` before every bootstrap resample (each
/// goes over every sample): `None` once it says stop.
pub fn sobol_indices_until(
    y_a: &[f64],
    y_b: &[f64],
    y_ab: &[Vec<f64>],
    resamples: usize,
    rng_of: &impl Fn(u64) -> RunRng,
    stop: &dyn Fn() -> bool,
) -> Option<Vec<FactorIndices>> {
    let n = y_a.len();
    let all: Vec<usize> = (0..n).collect();
    let na = Estimate { value: None, ci95: None };
    let Some(point) = indices_on(y_a, y_b, y_ab, &all) else {
        return Some(vec![FactorIndices { first_order: na, total: na }; y_ab.len()]);
    };
    let mut boot: Vec<(Vec<f64>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); y_ab.len()];
    let mut rows = vec![0; n];
    for k in 0..resamples as u64 {
        if stop() {
            return None;
        }
        let mut rng = rng_of(k);
        for r in rows.iter_mut() {
            *r = rng.random_range(0..n);
        }
        if let Some(est) = indices_on(y_a, y_b, y_ab, &rows) {
            for (b, (s, t)) in boot.iter_mut().zip(est) {
                b.0.push(s);
                b.1.push(t);
            }
        }
    }
    Some(
        point
            .iter()
            .zip(boot)
            .map(|(&(s, t), (bs, bt))| FactorIndices {
                first_order: Estimate { value: Some(s), ci95: percentile_interval(bs) },
                total: Estimate { value: Some(t), ci95: percentile_interval(bt) },
            })
            .collect(),
    )
}

/// The 2.5% and 97.5% quantiles; `None` with fewer than 20 values.
fn percentile_interval(mut v: Vec<f64>) -> Option<[f64; 2]> {
    if v.len() < 20 {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    Some([at(0.025), at(0.975)])
}

/// A scenario's sensitivity analysis, ready to print, plot and serialise.
#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    /// Saltelli samples (each costs d + 2 runs).
    pub samples: u64,
    /// Runs per tornado arm.
    pub tornado_runs: u64,
    pub bootstrap_resamples: usize,
    pub factors: Vec<Factor>,
    pub outputs: Vec<OutputSensitivity>,
}

/// An uncertain number of the scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Factor {
    /// The TOML path, e.g. `scenario.breakdown_hazard`.
    pub path: String,
    /// A human name, e.g. "breakdown hazard".
    pub name: String,
    pub distribution: String,
    /// Its 5th and 95th percentiles (the tornado's levels).
    pub p05: f64,
    pub p95: f64,
}

/// One output's sensitivity to every factor.
#[derive(Debug, Clone, Serialize)]
pub struct OutputSensitivity {
    /// `agreement`, `failure`, `payoff:usa`, …
    pub output: String,
    /// A human name: "agreement share", "the US's mean payoff".
    pub name: String,
    /// The output at the base scenario (the tornado's centre line).
    pub base: Estimate,
    /// Per factor, in factor order.
    pub indices: Vec<FactorIndices>,
    /// Per factor: the output with the factor at its 5th and 95th
    /// percentiles, and each level's paired difference from the base.
    pub tornado: Vec<TornadoBar>,
    /// Factor indices, most influential first (by total index, then first order).
    pub ranking: Vec<usize>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct TornadoBar {
    pub low: Estimate,
    pub high: Estimate,
    pub low_difference: Estimate,
    pub high_difference: Estimate,
}

/// Factor order by influence: total index, then first order, descending; a
/// factor without estimates last.
pub fn rank(indices: &[FactorIndices]) -> Vec<usize> {
    let key = |i: usize| {
        let f = &indices[i];
        (f.total.value.unwrap_or(f64::NEG_INFINITY), f.first_order.value.unwrap_or(f64::NEG_INFINITY))
    };
    let mut order: Vec<usize> = (0..indices.len()).collect();
    order.sort_by(|&a, &b| {
        let (ka, kb) = (key(a), key(b));
        kb.0.total_cmp(&ka.0).then(kb.1.total_cmp(&ka.1)).then(a.cmp(&b))
    });
    order
}

/// Assembles the analysis: Sobol indices per output from the Saltelli runs
/// (bootstrap resample k drawn from `rng_of(k)`), and the tornado from its
/// paired runs. `stop` is asked before every bootstrap resample: `None`
/// once it says stop (a signal arrived).
pub fn analyse(
    model: &Model,
    sobol: &SobolRuns,
    tornado: &TornadoRuns,
    resamples: usize,
    rng_of: impl Fn(u64) -> RunRng,
    stop: &dyn Fn() -> bool,
) -> Option<Sensitivity> {
    let factors: Vec<Factor> = model
        .params
        .uncertain
        .iter()
        .zip(&tornado.levels)
        .map(|(u, &(p05, p95))| Factor {
            path: u.path.clone(),
            name: model.param_name(&u.path),
            distribution: u.distribution.describe(),
            p05,
            p95,
        })
        .collect();
    let p = &tornado.paired;
    let runs = p.tallies.first().map_or(0, |t| t.runs);
    let outputs = (0..OUTPUT_LABELS.len())
        .map(|o| {
            let (a, b, ab) = sobol.columns(o);
            let indices = sobol_indices_until(&a, &b, &ab, resamples, &rng_of, stop)?;
            let value = |arm: usize| output_value(&p.tallies[arm], o);
            let difference = |arm: usize| output_difference(&p.pairs[arm - 1], o);
            let tornado = (0..factors.len())
                .map(|i| TornadoBar {
                    low: value(2 * i + 1),
                    high: value(2 * i + 2),
                    low_difference: difference(2 * i + 1),
                    high_difference: difference(2 * i + 2),
                })
                .collect();
            let (output, name) = match o {
                0 => ("agreement".to_string(), "agreement share".to_string()),
                1 => ("failure".to_string(), "failure share (breakdown or walk-away)".to_string()),
                _ => {
                    let actor = &model.actors[o - 2];
                    (format!("payoff:{}", actor.id), format!("{} mean payoff", model.possessive(o - 2)))
                }
            };
            Some(OutputSensitivity { output, name, base: value(0), ranking: rank(&indices), indices, tornado })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Sensitivity {
        samples: sobol.samples.end - sobol.samples.start,
        tornado_runs: runs,
        bootstrap_resamples: resamples,
        factors,
        outputs,
    })
}

/// Ends that count as a failure: breakdown and walk-away.
const FAILURE_ENDS: [usize; 2] = [2, 3];

fn output_value(t: &Tally, o: usize) -> Estimate {
    match o {
        0 | 1 => {
            let k = if o == 0 { t.ends[0] } else { FAILURE_ENDS.iter().map(|&e| t.ends[e]).sum() };
            let s = Share::new("", k, t.runs);
            Estimate { value: s.share, ci95: s.ci95 }
        }
        _ => {
            let p = &t.payoff[o - 2];
            match (p.mean(), p.sd()) {
                (Some(m), Some(sd)) => {
                    let half = 1.96 * sd / (p.n as f64).sqrt();
                    Estimate { value: Some(m), ci95: Some([m - half, m + half]) }
                }
                (m, _) => Estimate { value: m, ci95: None },
            }
        }
    }
}

fn output_difference(pair: &PairTally, o: usize) -> Estimate {
    match o {
        0 => paired::share_difference(pair.end_table(0)).estimate,
        1 => paired::share_difference(pair.end_set_table(&FAILURE_ENDS)).estimate,
        _ => paired::mean_difference(&pair.payoff[o - 2]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Distribution, Shape};
    use crate::montecarlo::sensitivity::{Factor, saltelli};
    use crate::rng::run_rng;
    use std::f64::consts::PI;

    /// Runs the design through the same driver and estimator as `brink
    /// sensitivity`, for a function with known indices.
    fn check(f: impl Fn(&[f64]) -> f64 + Sync, d: usize, first: &[f64], total: &[f64]) {
        let factors: Vec<Factor> = (0..d)
            .map(|i| Factor {
                purpose: crate::rng::Purpose::named(&format!("x{}", i + 1)),
                distribution: Distribution::new(Shape::Uniform { lo: -PI, hi: PI }, None, None).unwrap(),
            })
            .collect();
        let runs = saltelli(&factors, 1, 11, 0..20_000, || (), |x, _, _| vec![f(x)], |_| {});
        let (a, b, ab) = runs.columns(0);
        let est = sobol_indices(&a, &b, &ab, 200, &|k| run_rng(11, (1 << 62) + k));
        for i in 0..d {
            let [lo, hi] = est[i].first_order.ci95.unwrap();
            assert!(lo <= first[i] && first[i] <= hi, "S{} = {first:?}: [{lo}, {hi}]", i + 1);
            let [lo, hi] = est[i].total.ci95.unwrap();
            assert!(lo <= total[i] && total[i] <= hi, "ST{} = {total:?}: [{lo}, {hi}]", i + 1);
        }
    }

    #[test]
    fn ishigami_indices_are_recovered_within_the_intervals() {
        // Ishigami & Homma (1990), a = 7, b = 0.1, X_i ~ U(-pi, pi):
        // S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
        let f = |x: &[f64]| x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin();
        check(f, 3, &[0.3139, 0.4424, 0.0], &[0.5576, 0.4424, 0.2437]);
    }

    #[test]
    fn a_linear_model_splits_its_variance_by_the_squared_coefficients() {
        // y = x1 + 2 x2 + 3 x3, equal variances: shares 1/14, 4/14, 9/14,
        // and no interactions (first order = total).
        let f = |x: &[f64]| x[0] + 2.0 * x[1] + 3.0 * x[2];
        let s = [1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0];
        check(f, 3, &s, &s);
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        let est = sobol_indices(&[1.0; 5], &[1.0; 5], &[vec![1.0; 5]], 50, &|k| run_rng(0, k));
        assert_eq!(est[0].first_order.value, None);
    }
}
