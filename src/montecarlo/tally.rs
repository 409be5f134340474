//! The mergeable accumulator of Monte Carlo results.
//!
//! Everything is an integer count, an exact fixed-point sum, or a min/max,
//! so `merge` is associative and commutative and results do not depend on
//! how runs were split between threads or machines.

use std::collections::HashMap;

use super::causes::CauseTally;
use super::escalation::EscalationTally;
use super::histogram::FineHistogram;
use crate::engine::{End, Ending};
use crate::model::{ActorIdx, Model};

/// Fixed-point scale of payoff sums: 2^32, about 2e-10 resolution.
pub(crate) const SCALE: f64 = 4_294_967_296.0;

/// Index of an end in [`Tally::ends`].
pub fn end_index(end: End) -> usize {
    match end {
        End::Agreement => 0,
        End::Deadline => 1,
        End::Breakdown => 2,
        End::WalkAway(_) => 3,
    }
}

/// The labels of [`Tally::ends`], in order.
pub const END_LABELS: [&str; 4] = ["agreement", "deadline", "breakdown", "walk-away"];

/// What people read for each ending, in [`END_LABELS`] order: "breakdown"
/// alone reads as someone leaving the table, so tables and plots say
/// "accidental breakdown" (the exogenous hazard struck; no one chose it).
pub const END_NAMES: [&str; 4] = ["agreement", "deadline", "accidental breakdown", "walk-away"];

/// One actor's realised payoffs.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PayoffTally {
    pub n: u64,
    /// Sum of payoffs, in units of 2^-32.
    #[serde(with = "i128_text")]
    pub sum: i128,
    /// Sum of squared payoffs, in units of 2^-32.
    #[serde(with = "i128_text")]
    pub sum_sq: i128,
    /// +inf until the first run (a shard may have none).
    #[serde(with = "extreme")]
    pub min: f64,
    /// -inf until the first run.
    #[serde(with = "extreme")]
    pub max: f64,
    pub histogram: FineHistogram,
}

impl PayoffTally {
    fn new(lo: f64, hi: f64) -> Self {
        PayoffTally {
            n: 0,
            sum: 0,
            sum_sq: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            histogram: FineHistogram::new(lo, hi),
        }
    }

    #[inline]
    fn add(&mut self, x: f64) {
        let q = (x * SCALE).round() as i128;
        self.n += 1;
        self.sum += q;
        self.sum_sq += (q * q) >> 32;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        self.histogram.add(x);
    }

    fn merge(&mut self, o: &PayoffTally) {
        self.n += o.n;
        self.sum += o.sum;
        self.sum_sq += o.sum_sq;
        self.min = self.min.min(o.min);
        self.max = self.max.max(o.max);
        self.histogram.merge(&o.histogram);
    }

    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / SCALE / self.n as f64)
    }

    /// Sample standard deviation; `None` below two runs.
    pub fn sd(&self) -> Option<f64> {
        if self.n < 2 {
            return None;
        }
        let n = self.n as f64;
        let mean = self.sum as f64 / SCALE / n;
        let mean_sq = self.sum_sq as f64 / SCALE / n;
        Some(((mean_sq - mean * mean).max(0.0) * n / (n - 1.0)).sqrt())
    }
}

/// Aggregated results of any number of runs. Serialisable, so that shards
/// of a run on a cluster can be merged later (`brink merge`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    pub runs: u64,
    /// Runs by how they ended, in [`END_LABELS`] order.
    pub ends: [u64; 4],
    /// Walk-aways by who walked.
    pub walk_away_by: [u64; 2],
    /// Runs by realised disagreement outcome.
    pub lottery: Vec<u64>,
    pub payoff: [PayoffTally; 2],
    /// `rounds[t][e]`: runs that ended at round t with end e.
    pub rounds: Vec<[u64; 4]>,
    /// Agreements by outcome.
    #[serde(with = "sorted_map")]
    pub agreements: HashMap<u32, u64>,
    /// Ladder positions, failure causes and the realised lottery; only for
    /// scenarios with escalation ladders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<EscalationTally>,
    /// Why the failed runs failed (docs/model.md §12); only when the
    /// simulation attributed causes (`brink run` without `--no-causes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causes: Option<CauseTally>,
    /// The scenario's number of outcomes, known to a tally built from its
    /// model (a template) and never saved: a tally read back has 0, and its
    /// agreement indices are checked against its template's.
    #[serde(skip)]
    pub outcomes: u32,
}

/// The range every realised payoff of actor `a` lies in, from the supports
/// of the scenario's numbers: utilities are in [0, 1] plus rule bonuses,
/// lottery payoffs in their supports, discounting pulls towards 0, and costs
/// subtract at most `c_max * (T - 1)`.
pub fn payoff_bounds(model: &Model, a: ActorIdx) -> (f64, f64) {
    let support = |id: u32| {
        model
            .params
            .uncertain
            .iter()
            .find(|u| u.id == id)
            .map_or((model.params.means[id as usize], model.params.means[id as usize]), |u| u.distribution.support())
    };
    let mut lo: f64 = 0.0;
    let mut hi: f64 = 1.0;
    let (mut bonus_lo, mut bonus_hi) = (0.0, 0.0);
    for r in &model.rules {
        let (l, h) = support(r.bonus[a]);
        bonus_lo += l.min(0.0);
        bonus_hi += h.max(0.0);
    }
    lo = lo.min(bonus_lo);
    hi = hi.max(1.0 + bonus_hi);
    for d in &model.disagreement {
        let (l, h) = support(d.payoff[a]);
        lo = lo.min(l);
        hi = hi.max(h);
    }
    let cost_max = support(model.actors[a].cost_per_round).1;
    lo -= cost_max * model.rounds.saturating_sub(1) as f64;
    if model.has_ladders() {
        // Payoff shifts move lottery payoffs; escalation costs subtract per round.
        let (mut shift_lo, mut shift_hi, mut cost) = (0.0, 0.0, 0.0);
        for (b, ladder) in model.ladders.iter().enumerate() {
            for step in &ladder.steps {
                for (_, s) in &step.payoff_shift {
                    let (l, h) = support(s[a]);
                    shift_lo += l.min(0.0);
                    shift_hi += h.max(0.0);
                }
                cost += support(if b == a { step.cost } else { step.cost_other }).1;
            }
        }
        lo += shift_lo - cost * model.rounds as f64;
        hi += shift_hi;
    }
    (lo, hi)
}

impl Tally {
    pub fn new(model: &Model) -> Self {
        let b = [payoff_bounds(model, 0), payoff_bounds(model, 1)];
        Tally {
            runs: 0,
            ends: [0; 4],
            walk_away_by: [0; 2],
            lottery: vec![0; model.disagreement.len()],
            payoff: [PayoffTally::new(b[0].0, b[0].1), PayoffTally::new(b[1].0, b[1].1)],
            rounds: vec![[0; 4]; model.rounds as usize],
            agreements: HashMap::new(),
            escalation: model.has_ladders().then(|| EscalationTally::new(model)),
            causes: None,
            outcomes: u32::try_from(model.mean_utilities[0].len()).unwrap_or(u32::MAX),
        }
    }

    /// The same empty tally, counting causes of failure when `causes`.
    pub fn attributing(mut self, causes: bool) -> Self {
        self.causes = causes.then(CauseTally::default);
        self
    }

    /// Adds one run.
    #[inline]
    pub fn record(&mut self, e: &Ending) {
        self.runs += 1;
        let k = end_index(e.end);
        self.ends[k] += 1;
        if let End::WalkAway(a) = e.end {
            self.walk_away_by[a] += 1;
        }
        if let Some(l) = e.lottery {
            self.lottery[l as usize] += 1;
        }
        for a in 0..2 {
            self.payoff[a].add(e.payoff[a]);
        }
        if let Some(slot) = self.rounds.get_mut(e.round as usize) {
            slot[k] += 1;
        }
        if let Some(w) = e.agreement {
            *self.agreements.entry(w).or_insert(0) += 1;
        }
        if let Some(x) = &mut self.escalation {
            x.record(e);
        }
    }

    pub fn merge(&mut self, o: &Tally) {
        self.runs += o.runs;
        for k in 0..4 {
            self.ends[k] += o.ends[k];
        }
        for a in 0..2 {
            self.walk_away_by[a] += o.walk_away_by[a];
            self.payoff[a].merge(&o.payoff[a]);
        }
        for (x, y) in self.lottery.iter_mut().zip(&o.lottery) {
            *x += y;
        }
        for (x, y) in self.rounds.iter_mut().zip(&o.rounds) {
            for k in 0..4 {
                x[k] += y[k];
            }
        }
        for (w, c) in &o.agreements {
            *self.agreements.entry(*w).or_insert(0) += c;
        }
        if let (Some(x), Some(y)) = (&mut self.escalation, &o.escalation) {
            x.merge(y);
        }
        if let (Some(x), Some(y)) = (&mut self.causes, &o.causes) {
            x.merge(y);
        }
    }

    /// Agreement counts sorted by count (descending), then outcome index.
    pub fn agreements_by_frequency(&self) -> Vec<(u32, u64)> {
        let mut v: Vec<(u32, u64)> = self.agreements.iter().map(|(&w, &c)| (w, c)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// Per issue, agreements on each option, derived from the agreement counts.
    pub fn option_counts(&self, model: &Model) -> Vec<Vec<u64>> {
        let mut out: Vec<Vec<u64>> = model.issues.iter().map(|i| vec![0; i.options.len()]).collect();
        for (&w, &c) in &self.agreements {
            for (i, counts) in out.iter_mut().enumerate() {
                counts[model.space.option_of(w, i) as usize] += c;
            }
        }
        out
    }
}

/// i128 as a decimal string: JSON numbers cannot carry 128 bits everywhere.
pub(super) mod i128_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(x: &i128, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&x.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A map as a list of pairs sorted by key, so that the same tally always
/// serialises to the same bytes.
mod sorted_map {
    use std::collections::HashMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(m: &HashMap<u32, u64>, s: S) -> Result<S::Ok, S::Error> {
        let mut pairs: Vec<(u32, u64)> = m.iter().map(|(&k, &v)| (k, v)).collect();
        pairs.sort_unstable();
        pairs.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<HashMap<u32, u64>, D::Error> {
        Ok(Vec::<(u32, u64)>::deserialize(d)?.into_iter().collect())
    }
}

/// A min or max that may still be infinite (no runs yet). JSON has no
/// infinities, so they travel as the strings "inf" and "-inf".
mod extreme {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        if x.is_finite() {
            s.serialize_f64(*x)
        } else if *x > 0.0 {
            s.serialize_str("inf")
        } else {
            s.serialize_str("-inf")
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Number(f64),
        Text(String),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        match Repr::deserialize(d)? {
            Repr::Number(x) => Ok(x),
            Repr::Text(t) if t == "inf" => Ok(f64::INFINITY),
            Repr::Text(t) if t == "-inf" => Ok(f64::NEG_INFINITY),
            Repr::Text(t) => {
                Err(serde::de::Error::custom(format!("expected a number, \"inf\" or \"-inf\", found {t:?}")))
            }
        }
    }
}
