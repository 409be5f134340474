//! The frequency opponent model of the ANAC agents (HardHeaded: van Krimpen,
//! Looije & Hajizadeh 2013; surveyed by Baarslag et al. 2013), learnt from
//! the opponent's offers alone.
//!
//! The model is a linear additive utility `Σ_i w_i · v_i(option_i)`:
//! - prior: every issue weight `1/n`, every option count 1 (uniform);
//! - an issue whose option the opponent did not change between two
//!   consecutive offers gains [`LEARNING_RATE`]` / n` in weight, and the
//!   weights are renormalised to sum to 1 (an opponent keeps what it cares
//!   about and moves on what it does not);
//! - each option the opponent offers gains 1 in count; an option's value is
//!   its count over the largest count on its issue (what it keeps offering,
//!   it values).
//!
//! The state lives in `Cell`s so that the protocol can update it while the
//! actor's turn borrows the estimate; every buffer is sized once per
//! workspace, so learning allocates nothing.

use std::cell::Cell;

use crate::model::{ActorIdx, Model, OpponentModel};

/// HardHeaded's learning coefficient: the weight one unchanged issue gains
/// per offer is this over the number of issues (before renormalising).
pub const LEARNING_RATE: f64 = 0.2;
/// What one offer adds to the count of each option it contains.
pub const VALUE_INCREMENT: f64 = 1.0;

/// One actor's learnt model of its opponent (inactive unless the actor's
/// `opponent_model` is "frequency").
#[derive(Debug, Clone, Default)]
pub struct FrequencyModel {
    pub active: bool,
    /// Issue weights, summing to 1.
    weights: Vec<Cell<f64>>,
    /// Option counts, all issues in one flat table; issue `i` starts at `offsets[i]`.
    counts: Vec<Cell<f64>>,
    offsets: Vec<usize>,
    /// Scratch for the estimate: each option's weighted value `W_i · V_i(k)`
    /// (laid out like `counts`), and the options of the outcome being filled.
    weighted: Vec<Cell<f64>>,
    digits: Vec<Cell<u32>>,
    /// The estimated utility of every outcome to the opponent.
    estimate: Vec<Cell<f64>>,
    /// The opponent's previous offer.
    last: Cell<Option<u32>>,
}

impl FrequencyModel {
    /// The workspace for actor `a` (sized once; inactive for other models).
    pub fn new(model: &Model, a: ActorIdx) -> Self {
        if model.actors[a].opponent_model != OpponentModel::Frequency {
            return FrequencyModel::default();
        }
        let mut offsets = Vec::with_capacity(model.issues.len());
        let mut total = 0;
        for issue in &model.issues {
            offsets.push(total);
            total += issue.options.len();
        }
        let cells = |n: usize| (0..n).map(|_| Cell::new(0.0)).collect::<Vec<_>>();
        let m = FrequencyModel {
            active: true,
            weights: cells(model.issues.len()),
            counts: cells(total),
            offsets,
            weighted: cells(total),
            digits: (0..model.issues.len()).map(|_| Cell::new(0)).collect(),
            estimate: cells(model.space.len()),
            last: Cell::new(None),
        };
        m.reset();
        m
    }

    /// Back to the prior: uniform weights, every option count 1.
    pub fn reset(&self) {
        let n = self.weights.len() as f64;
        self.weights.iter().for_each(|w| w.set(1.0 / n));
        self.counts.iter().for_each(|c| c.set(1.0));
        // Under the prior every outcome is worth 1 (every value is 1).
        self.estimate.iter().for_each(|e| e.set(1.0));
        self.last.set(None);
    }

    /// Learns from the opponent's offer `outcome`, then refreshes the estimate.
    pub fn observe(&self, model: &Model, outcome: u32) {
        let space = &model.space;
        let n = self.weights.len();
        if let Some(prev) = self.last.get() {
            let step = LEARNING_RATE / n as f64;
            let mut total = 0.0;
            for (i, w) in self.weights.iter().enumerate() {
                if space.option_of(prev, i) == space.option_of(outcome, i) {
                    w.set(w.get() + step);
                }
                total += w.get();
            }
            self.weights.iter().for_each(|w| w.set(w.get() / total));
        }
        for i in 0..n {
            let c = &self.counts[self.offsets[i] + space.option_of(outcome, i) as usize];
            c.set(c.get() + VALUE_INCREMENT);
        }
        self.last.set(Some(outcome));
        self.refresh(model);
    }

    /// Recomputes every outcome's estimated utility: O(outcomes × issues)
    /// additions, no division. Each option's weighted value `W_i · V_i(k)`
    /// is computed once, then the outcomes are walked in index order with an
    /// odometer over the issues' options (the last issue varies fastest).
    fn refresh(&self, model: &Model) {
        let n = self.weights.len();
        for i in 0..n {
            let start = self.offsets[i];
            let options = model.issues[i].options.len();
            let counts = &self.counts[start..start + options];
            let top = counts.iter().fold(0.0_f64, |m, c| m.max(c.get()));
            let w = self.weights[i].get();
            for (k, c) in counts.iter().enumerate() {
                self.weighted[start + k].set(w * c.get() / top);
            }
            self.digits[i].set(0);
        }
        for e in &self.estimate {
            let mut u = 0.0;
            for i in 0..n {
                u += self.weighted[self.offsets[i] + self.digits[i].get() as usize].get();
            }
            e.set(u);
            for i in (0..n).rev() {
                let d = self.digits[i].get() + 1;
                if (d as usize) < model.issues[i].options.len() {
                    self.digits[i].set(d);
                    break;
                }
                self.digits[i].set(0);
            }
        }
    }

    /// The learnt value of option `k` of issue `i`, in [0, 1]: its count
    /// over the largest count on the issue.
    pub fn value(&self, model: &Model, i: usize, k: u32) -> f64 {
        let start = self.offsets[i];
        let counts = &self.counts[start..start + model.issues[i].options.len()];
        let top = counts.iter().fold(0.0_f64, |m, c| m.max(c.get()));
        counts[k as usize].get() / top
    }

    /// The learnt weight of issue `i`.
    pub fn weight(&self, i: usize) -> f64 {
        self.weights[i].get()
    }

    /// The estimated utility of every outcome to the opponent.
    pub fn estimate(&self) -> &[Cell<f64>] {
        &self.estimate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_issue_model() -> Model {
        let toml = r#"
[scenario]
name = "Learn"
rounds = 10
[[issues]]
id = "a"
options = ["x", "y", "z"]
[[issues]]
id = "b"
options = ["p", "q"]
[actors.me]
strategy = "linear"
opponent_model = "frequency"
[actors.me.issues.a]
weight = 1
values = [1.0, 0.5, 0.0]
[actors.me.issues.b]
weight = 1
values = [1.0, 0.0]
[actors.them]
strategy = "linear"
[actors.them.issues.a]
weight = 1
values = [0.0, 0.5, 1.0]
[actors.them.issues.b]
weight = 1
values = [0.0, 1.0]
"#;
        crate::scenario::load_bytes("learn.toml", toml.as_bytes())
            .map(|(_, m)| m)
            .unwrap_or_else(|_| panic!("compiles"))
    }

    #[test]
    fn the_prior_is_uniform() {
        let m = two_issue_model();
        let f = FrequencyModel::new(&m, 0);
        assert!(f.active);
        assert_eq!((f.weight(0), f.weight(1)), (0.5, 0.5));
        assert!(f.estimate().iter().all(|e| e.get() == 1.0));
        assert!(!FrequencyModel::new(&m, 1).active, "the other actor uses the known model");
    }

    #[test]
    fn an_unchanged_issue_gains_weight_and_an_offered_option_gains_value() {
        let m = two_issue_model();
        let f = FrequencyModel::new(&m, 0);
        let offer = |a: u32, b: u32| m.space.outcome_of(&[a, b]);
        // First offer: counts only (no pair of offers to compare yet).
        f.observe(&m, offer(2, 0));
        assert_eq!((f.weight(0), f.weight(1)), (0.5, 0.5));
        assert_eq!(f.value(&m, 0, 2), 1.0);
        assert_eq!(f.value(&m, 0, 0), 0.5);
        // Second offer keeps issue a and changes b: a gains 0.2 / 2 = 0.1,
        // then both are divided by 1.1.
        f.observe(&m, offer(2, 1));
        assert!((f.weight(0) - 0.6 / 1.1).abs() < 1e-12);
        assert!((f.weight(1) - 0.5 / 1.1).abs() < 1e-12);
        assert!((f.weight(0) + f.weight(1) - 1.0).abs() < 1e-12);
        // a = z offered twice (count 3), x never (count 1).
        assert!((f.value(&m, 0, 0) - 1.0 / 3.0).abs() < 1e-12);
        // The estimate is the weighted sum of the learnt values.
        for w in 0..m.space.len() as u32 {
            let expected: f64 = (0..2).map(|i| f.weight(i) * f.value(&m, i, m.space.option_of(w, i))).sum();
            assert!((f.estimate()[w as usize].get() - expected).abs() < 1e-12, "outcome {w}");
        }
        // Reset restores the prior.
        f.reset();
        assert_eq!((f.weight(0), f.value(&m, 0, 0)), (0.5, 1.0));
    }

    #[test]
    fn repeating_an_offer_leaves_the_weights_where_they_are() {
        let m = two_issue_model();
        let f = FrequencyModel::new(&m, 0);
        for _ in 0..5 {
            f.observe(&m, 3);
        }
        assert!((f.weight(0) - 0.5).abs() < 1e-12 && (f.weight(1) - 0.5).abs() < 1e-12);
    }
}
