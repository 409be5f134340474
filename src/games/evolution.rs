//! Evolution on a tournament's payoff matrix: which strategies spread when
//! the better-scoring ones reproduce more.
//!
//! Both processes read `a[i][j]`, the mean payoff of strategy i against j
//! (from a repeated-game or negotiation tournament), and turn payoffs into
//! fitness the same way: payoffs are first scaled to [0, 1] by the matrix's
//! smallest and largest entries (so games with negative payoffs work), then
//! `fitness = 1 + selection × scaled payoff`. `selection` 0 is neutral drift;
//! larger values make selection stronger.
//!
//! - [`replicator`]: discrete replicator dynamics in an infinite population:
//!   `x_i ← x_i f_i / Σ_j x_j f_j`, where `f_i` is the fitness of i's
//!   expected payoff against the current mix. Deterministic.
//! - [`moran`]: a Moran process in a finite population (each step one
//!   individual, chosen with probability proportional to fitness, has an
//!   offspring that replaces one chosen uniformly at random), played until
//!   one strategy has taken over; over many seeded runs this estimates each
//!   strategy's fixation probability, with Wilson intervals.

use rand::prelude::*;
use rayon::prelude::*;

use crate::analysis::shares::wilson;
use crate::rng::run_rng;

/// Scales payoffs to fitness (see the module docs).
#[derive(Debug, Clone)]
struct Fitness {
    lo: f64,
    span: f64,
    selection: f64,
}

impl Fitness {
    fn new(a: &[Vec<f64>], selection: f64) -> Fitness {
        let finite = a.iter().flatten().copied().filter(|x| x.is_finite());
        let lo = finite.clone().fold(f64::INFINITY, f64::min);
        let hi = finite.fold(f64::NEG_INFINITY, f64::max);
        let span = if hi > lo { hi - lo } else { 1.0 };
        Fitness { lo: if lo.is_finite() { lo } else { 0.0 }, span, selection }
    }

    fn of(&self, payoff: f64) -> f64 {
        1.0 + self.selection * ((payoff - self.lo) / self.span).clamp(0.0, 1.0)
    }
}

/// Shares of each strategy, generation 0 (the initial mix) to `generations`.
pub fn replicator(a: &[Vec<f64>], initial: &[f64], generations: u32, selection: f64) -> Vec<Vec<f64>> {
    let n = a.len();
    let fit = Fitness::new(a, selection);
    let total: f64 = initial.iter().sum();
    let mut x: Vec<f64> = initial.iter().map(|v| v / total).collect();
    let mut out = vec![x.clone()];
    let mut f = vec![0.0; n];
    for _ in 0..generations {
        for i in 0..n {
            let payoff: f64 = (0..n).map(|j| x[j] * a[i][j]).sum();
            f[i] = fit.of(payoff);
        }
        let mean: f64 = (0..n).map(|i| x[i] * f[i]).sum();
        for i in 0..n {
            x[i] *= f[i] / mean;
        }
        out.push(x.clone());
    }
    out
}

/// A Moran process's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MoranConfig {
    /// Individuals of each strategy at the start (the population is this
    /// times the number of strategies).
    pub per_strategy: u32,
    pub runs: u64,
    pub seed: u64,
    pub selection: f64,
    /// Steps after which a run that has not fixed is counted as unfinished.
    pub max_steps: u64,
}

/// Fixation counts over the runs.
#[derive(Debug, Clone, PartialEq)]
pub struct MoranResult {
    pub runs: u64,
    /// Runs in which each strategy took over the whole population.
    pub fixations: Vec<u64>,
    /// Runs that reached `max_steps` without fixation.
    pub unfinished: u64,
    /// Mean steps to fixation over the finished runs.
    pub mean_steps: f64,
}

impl MoranResult {
    /// Strategy i's fixation probability and its 95% Wilson interval.
    pub fn probability(&self, i: usize) -> (Option<f64>, Option<[f64; 2]>) {
        let n = self.runs;
        ((n > 0).then(|| self.fixations[i] as f64 / n as f64), wilson(self.fixations[i], n))
    }
}

/// Plays `config.runs` Moran processes from equal numbers of each strategy.
/// Run r uses the stream `run_rng(seed, r)`; results do not depend on the
/// thread count.
pub fn moran(a: &[Vec<f64>], config: &MoranConfig) -> MoranResult {
    moran_inner(a, config, &|| false)
}

/// As [`moran`], asking `stop` every few thousand steps of every process
/// (a process can take millions): `None` once it says stop.
pub fn moran_until(a: &[Vec<f64>], config: &MoranConfig, stop: &(dyn Fn() -> bool + Sync)) -> Option<MoranResult> {
    let result = moran_inner(a, config, stop);
    (!stop()).then_some(result)
}

/// Steps of a Moran process between two questions to `stop`.
const STOP_CHECK_STEPS: u64 = 4096;

fn moran_inner(a: &[Vec<f64>], config: &MoranConfig, stop: &(dyn Fn() -> bool + Sync)) -> MoranResult {
    let n = a.len();
    let fit = Fitness::new(a, config.selection);
    let outcomes: Vec<(Option<usize>, u64)> =
        (0..config.runs).into_par_iter().map(|r| moran_run(a, &fit, config, r, stop)).collect();
    let mut fixations = vec![0; n];
    let (mut unfinished, mut steps, mut finished) = (0, 0u64, 0u64);
    for (winner, s) in outcomes {
        match winner {
            Some(w) => {
                fixations[w] += 1;
                steps += s;
                finished += 1;
            }
            None => unfinished += 1,
        }
    }
    MoranResult {
        runs: config.runs,
        fixations,
        unfinished,
        mean_steps: if finished > 0 { steps as f64 / finished as f64 } else { f64::NAN },
    }
}

fn moran_run(
    a: &[Vec<f64>],
    fit: &Fitness,
    config: &MoranConfig,
    run: u64,
    stop: &(dyn Fn() -> bool + Sync),
) -> (Option<usize>, u64) {
    let n = a.len();
    let k = u64::from(config.per_strategy);
    let total = k * n as u64;
    let mut rng = run_rng(config.seed, run);
    let mut count = vec![k; n];
    // sum[i] = Σ_j count[j] a[i][j], kept up to date as counts change.
    let mut sum: Vec<f64> = (0..n).map(|i| (0..n).map(|j| k as f64 * a[i][j]).sum()).collect();
    let mut weight = vec![0.0; n];
    let mut alive = n;
    if n == 1 || total < 2 {
        return (Some(0), 0);
    }
    for step in 0..config.max_steps {
        if alive == 1 {
            return (count.iter().position(|&c| c > 0), step);
        }
        if step % STOP_CHECK_STEPS == 0 && stop() {
            return (None, step);
        }
        let mut w_total = 0.0;
        for i in 0..n {
            weight[i] = if count[i] == 0 {
                0.0
            } else {
                // Payoff against the others (an individual does not play itself).
                let payoff = (sum[i] - a[i][i]) / (total - 1) as f64;
                count[i] as f64 * fit.of(payoff)
            };
            w_total += weight[i];
        }
        let mut pick = rng.random::<f64>() * w_total;
        let mut parent = n - 1;
        for (i, &w) in weight.iter().enumerate() {
            if pick < w && count[i] > 0 {
                parent = i;
                break;
            }
            pick -= w;
        }
        while count[parent] == 0 {
            parent -= 1;
        }
        let mut victim_pick = rng.random_range(0..total);
        let mut victim = 0;
        for (i, &c) in count.iter().enumerate() {
            if victim_pick < c {
                victim = i;
                break;
            }
            victim_pick -= c;
        }
        if victim != parent {
            count[parent] += 1;
            count[victim] -= 1;
            if count[victim] == 0 {
                alive -= 1;
            }
            for i in 0..n {
                sum[i] += a[i][parent] - a[i][victim];
            }
        }
    }
    if alive == 1 { (count.iter().position(|&c| c > 0), config.max_steps) } else { (None, config.max_steps) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pd_tft_alld() -> Vec<Vec<f64>> {
        // Mean payoffs per turn over 200 turns: TFT vs TFT 3, TFT vs ALLD
        // 199/200, ALLD vs TFT 204/200, ALLD vs ALLD 1.
        vec![vec![3.0, 0.995], vec![1.02, 1.0]]
    }

    #[test]
    fn replicator_shares_stay_a_distribution_and_tft_takes_over_from_a_majority() {
        let path = replicator(&pd_tft_alld(), &[0.5, 0.5], 100, 1.0);
        for x in &path {
            assert!((x.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        assert!(path[100][0] > 0.99);
    }

    #[test]
    fn replicator_lets_defectors_win_when_tft_is_rare() {
        // TFT invades only above the unstable mix where both earn the same.
        let path = replicator(&pd_tft_alld(), &[0.001, 0.999], 300, 1.0);
        assert!(path[300][1] > 0.99, "{:?}", path[300]);
    }

    #[test]
    fn neutral_moran_fixes_each_strategy_about_equally_often() {
        let a = vec![vec![1.0, 1.0], vec![1.0, 1.0]];
        let config = MoranConfig { per_strategy: 5, runs: 2000, seed: 1, selection: 1.0, max_steps: 1_000_000 };
        let r = moran(&a, &config);
        assert_eq!(r.fixations.iter().sum::<u64>(), 2000);
        let (p, ci) = r.probability(0);
        let ci = ci.unwrap();
        assert!(ci[0] < 0.5 && 0.5 < ci[1], "{p:?} {ci:?}");
    }

    #[test]
    fn moran_favours_tit_for_tat_against_defectors_and_is_seeded() {
        let config = MoranConfig { per_strategy: 10, runs: 500, seed: 2, selection: 1.0, max_steps: 1_000_000 };
        let r = moran(&pd_tft_alld(), &config);
        assert!(r.fixations[0] > 300, "{:?}", r.fixations);
        assert_eq!(r, moran(&pd_tft_alld(), &config));
    }
}
