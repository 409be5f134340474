//! Paired (common-random-numbers) tallies: run k of an arm against run k of
//! the baseline.
//!
//! Every arm of a comparison and every point of a sweep plays run k with the
//! same random stream, so the two results of run k form a pair. A
//! [`PairTally`] counts how the pairs switch between categories (a square
//! table per kind of result) and sums the differences of payoffs and rounds
//! and their squares in fixed point. Like [`Tally`](super::Tally) it holds
//! only integers, so merging is exact and results do not depend on threads,
//! chunks or shards.

use serde::{Deserialize, Serialize};

use super::tally::{SCALE, end_index, i128_text};
use crate::engine::Ending;
use crate::model::Model;

/// Sums of paired differences: n, Σd and Σd² with d in units of 2^-32.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffTally {
    pub n: u64,
    #[serde(with = "i128_text")]
    pub sum: i128,
    #[serde(with = "i128_text")]
    pub sum_sq: i128,
}

impl DiffTally {
    /// Adds the difference `arm - base`. Both are quantised before
    /// subtracting, so equal values give a difference of exactly 0.
    #[inline]
    pub fn add(&mut self, arm: f64, base: f64) {
        let d = (arm * SCALE).round() as i128 - (base * SCALE).round() as i128;
        self.n += 1;
        self.sum += d;
        self.sum_sq += (d * d) >> 32;
    }

    pub fn merge(&mut self, o: &DiffTally) {
        self.n += o.n;
        self.sum += o.sum;
        self.sum_sq += o.sum_sq;
    }

    /// Mean difference; `None` without pairs.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / SCALE / self.n as f64)
    }

    /// Sample standard deviation of the differences; `None` below two
    /// pairs, and exactly 0 when every difference is 0.
    pub fn sd(&self) -> Option<f64> {
        if self.n < 2 {
            return None;
        }
        if self.sum_sq == 0 {
            return Some(0.0);
        }
        let n = self.n as f64;
        let mean = self.sum as f64 / SCALE / n;
        let mean_sq = self.sum_sq as f64 / SCALE / n;
        Some(((mean_sq - mean * mean).max(0.0) * n / (n - 1.0)).sqrt())
    }
}

/// One arm paired with the baseline, run by run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairTally {
    pub runs: u64,
    /// `ends[b][a]`: runs that ended as b in the baseline and as a in the
    /// arm ([`END_LABELS`](super::END_LABELS) order).
    pub ends: [[u64; 4]; 4],
    /// `lottery[b * (L + 1) + a]`, L the larger number of disagreement
    /// outcomes of the two scenarios: runs whose
    /// realised disagreement outcome was b in the baseline and a in the arm;
    /// index L stands for "none" (a deal).
    pub lottery: Vec<u64>,
    /// Per actor, payoff(arm) - payoff(baseline).
    pub payoff: [DiffTally; 2],
    /// round(arm) - round(baseline).
    pub rounds: DiffTally,
}

impl PairTally {
    /// A pairing of `arm` with `base`; the lottery table is wide enough
    /// for the larger of their conflict lotteries.
    pub fn new(base: &Model, arm: &Model) -> Self {
        let side = base.disagreement.len().max(arm.disagreement.len()) + 1;
        PairTally {
            runs: 0,
            ends: [[0; 4]; 4],
            lottery: vec![0; side * side],
            payoff: [DiffTally::default(), DiffTally::default()],
            rounds: DiffTally::default(),
        }
    }

    /// Number of disagreement outcomes (the lottery table is (L+1)²).
    pub fn lottery_outcomes(&self) -> usize {
        (self.lottery.len() as f64).sqrt().round() as usize - 1
    }

    /// Adds run k of the baseline and run k of the arm.
    #[inline]
    pub fn record(&mut self, base: &Ending, arm: &Ending) {
        self.runs += 1;
        self.ends[end_index(base.end)][end_index(arm.end)] += 1;
        let side = self.lottery_outcomes() + 1;
        let cell = |e: &Ending| e.lottery.map_or(side - 1, |l| (l as usize).min(side - 1));
        self.lottery[cell(base) * side + cell(arm)] += 1;
        for a in 0..2 {
            self.payoff[a].add(arm.payoff[a], base.payoff[a]);
        }
        self.rounds.add(arm.round as f64, base.round as f64);
    }

    pub fn merge(&mut self, o: &PairTally) {
        self.runs += o.runs;
        for (x, y) in self.ends.iter_mut().flatten().zip(o.ends.iter().flatten()) {
            *x += y;
        }
        for (x, y) in self.lottery.iter_mut().zip(&o.lottery) {
            *x += y;
        }
        for a in 0..2 {
            self.payoff[a].merge(&o.payoff[a]);
        }
        self.rounds.merge(&o.rounds);
    }

    /// Checks that the counts add up (every table sums to the runs, every
    /// difference tally has one entry per run); the reason otherwise. Used
    /// when reading partial results back.
    pub fn check(&self) -> Result<(), String> {
        let ends: u64 = self.ends.iter().flatten().sum();
        let lottery: u64 = self.lottery.iter().sum();
        let side = self.lottery_outcomes() + 1;
        if side * side != self.lottery.len() {
            return Err(format!("the paired lottery table has {} cells, not a square", self.lottery.len()));
        }
        let sums = [
            ("paired ends", ends),
            ("paired disagreement outcomes", lottery),
            ("paired payoff differences (first actor)", self.payoff[0].n),
            ("paired payoff differences (second actor)", self.payoff[1].n),
            ("paired round differences", self.rounds.n),
        ];
        for (what, count) in sums {
            if count != self.runs {
                return Err(format!("{what} count {count} runs, but the pair tally says {}", self.runs));
            }
        }
        if self.payoff.iter().chain([&self.rounds]).any(|d| d.sum_sq < 0) {
            return Err("a sum of squared differences is negative".into());
        }
        Ok(())
    }

    /// Checks a pair tally read from a partial against its shard: `runs`
    /// pairs, the table shape of `template`, and counts that add up (with
    /// checked sums, so a crafted file cannot overflow them).
    pub fn check_shard(&self, runs: u64, template: &PairTally) -> Result<(), String> {
        if self.runs != runs {
            return Err(format!("{} paired runs, but its shard range holds {runs}", self.runs));
        }
        if self.lottery.len() != template.lottery.len() {
            return Err(format!(
                "the paired lottery table has {} cells; the scenario needs {}",
                self.lottery.len(),
                template.lottery.len()
            ));
        }
        fn total<'a>(xs: impl Iterator<Item = &'a u64>) -> Option<u64> {
            xs.copied().try_fold(0u64, |a, x| a.checked_add(x))
        }
        if total(self.ends.iter().flatten()) != Some(runs) || total(self.lottery.iter()) != Some(runs) {
            return Err(format!("the paired tables do not add up to the {runs} runs"));
        }
        self.check()
    }

    /// [`merge`](Self::merge) with checked arithmetic: an overflow is an
    /// error, never a wrapped count.
    pub fn checked_merge(&mut self, o: &PairTally) -> Result<(), String> {
        let overflow = || "the merged paired counts overflow".to_string();
        let mut next = self.clone();
        next.runs = next.runs.checked_add(o.runs).ok_or_else(overflow)?;
        for (x, y) in
            next.ends.iter_mut().flatten().zip(o.ends.iter().flatten()).chain(next.lottery.iter_mut().zip(&o.lottery))
        {
            *x = x.checked_add(*y).ok_or_else(overflow)?;
        }
        for (x, y) in next.payoff.iter_mut().chain([&mut next.rounds]).zip(o.payoff.iter().chain([&o.rounds])) {
            x.n = x.n.checked_add(y.n).ok_or_else(overflow)?;
            x.sum = x.sum.checked_add(y.sum).ok_or_else(overflow)?;
            x.sum_sq = x.sum_sq.checked_add(y.sum_sq).ok_or_else(overflow)?;
        }
        *self = next;
        Ok(())
    }

    /// The paired 2×2 table for "the run ended as end `e`":
    /// (both, baseline only, arm only, neither).
    pub fn end_table(&self, e: usize) -> [u64; 4] {
        self.end_set_table(&[e])
    }

    /// The paired 2×2 table for "the run ended in one of `ends`".
    pub fn end_set_table(&self, ends: &[usize]) -> [u64; 4] {
        let mut t = [0; 4];
        for b in 0..4 {
            for a in 0..4 {
                let k = match (ends.contains(&b), ends.contains(&a)) {
                    (true, true) => 0,
                    (true, false) => 1,
                    (false, true) => 2,
                    (false, false) => 3,
                };
                t[k] += self.ends[b][a];
            }
        }
        t
    }

    /// The paired 2×2 table for "the disagreement outcome realised was
    /// `base` (in the baseline's numbering) and `arm` (in the arm's)": the
    /// two may differ when the arms are different files.
    pub fn lottery_table(&self, base: usize, arm: usize) -> [u64; 4] {
        let side = self.lottery_outcomes() + 1;
        let mut t = [0; 4];
        for b in 0..side {
            for a in 0..side {
                let k = match (b == base, a == arm) {
                    (true, true) => 0,
                    (true, false) => 1,
                    (false, true) => 2,
                    (false, false) => 3,
                };
                t[k] += self.lottery[b * side + a];
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_differ_by_exactly_zero() {
        let mut d = DiffTally::default();
        for x in [0.1, 0.7, -0.3, 1.0 / 3.0] {
            d.add(x, x);
        }
        assert_eq!((d.mean(), d.sd()), (Some(0.0), Some(0.0)));
    }

    #[test]
    fn differences_have_the_right_mean_and_sd() {
        let mut d = DiffTally::default();
        for (a, b) in [(1.0, 0.5), (2.0, 1.0), (0.25, 0.0)] {
            d.add(a, b);
        }
        // differences 0.5, 1.0, 0.25: mean 7/12, sd 0.3818813...
        assert!((d.mean().unwrap() - 7.0 / 12.0).abs() < 1e-9);
        assert!((d.sd().unwrap() - 0.381_881_307_9).abs() < 1e-7);
    }
}
