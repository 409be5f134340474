//! Checking a tally read from disk before it is trusted: every count adds
//! up, every sum lies within the bounds its runs allow, and its shape is the
//! model's. `brink merge` runs this on every partial, so an edited or
//! corrupted partial is refused rather than merged into valid-looking
//! numbers.

use super::Tally;
use super::tally::SCALE;

/// A tally field that is wrong, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BadField {
    pub field: String,
    pub why: String,
}

fn checked_sum(xs: impl IntoIterator<Item = u64>) -> Option<u64> {
    xs.into_iter().try_fold(0u64, |a, x| a.checked_add(x))
}

fn bad(field: impl Into<String>, why: impl Into<String>) -> BadField {
    BadField { field: field.into(), why: why.into() }
}

impl Tally {
    /// Checks that this tally holds exactly `runs` runs and is consistent
    /// with `template` (an empty tally of the same model): same shape, same
    /// payoff bounds.
    pub fn check(&self, runs: u64, template: &Tally) -> Result<(), BadField> {
        if self.runs != runs {
            return Err(bad("tally.runs", format!("{} runs, but its shard range holds {runs}", self.runs)));
        }
        if checked_sum(self.ends.iter().copied()) != Some(runs) {
            return Err(bad("tally.ends", format!("the ends do not add up to the {runs} runs")));
        }
        if checked_sum(self.walk_away_by.iter().copied()) != Some(self.ends[3]) {
            return Err(bad("tally.walk_away_by", "the walk-aways by actor do not add up to the walk-aways"));
        }
        if self.lottery.len() != template.lottery.len() {
            return Err(bad("tally.lottery", "not one count per disagreement outcome of the scenario"));
        }
        let failed = runs - self.ends[0];
        if checked_sum(self.lottery.iter().copied()).is_none_or(|s| s > failed) {
            return Err(bad("tally.lottery", "more disagreement outcomes than failed negotiations"));
        }
        if self.rounds.len() != template.rounds.len() {
            return Err(bad("tally.rounds", "not one row per round of the scenario"));
        }
        for e in 0..4 {
            if checked_sum(self.rounds.iter().map(|r| r[e])).is_none_or(|s| s > self.ends[e]) {
                return Err(bad("tally.rounds", "more runs by round than runs by end"));
            }
        }
        // Every agreement names an outcome of the scenario: the summary
        // looks each one up in the outcome table.
        if let Some(w) = self.agreements.keys().copied().filter(|&w| w >= template.outcomes).min() {
            return Err(bad(
                format!("tally.agreements[\"{w}\"]"),
                format!("outcome {w} is past the scenario's {} outcomes (numbered from 0)", template.outcomes),
            ));
        }
        if checked_sum(self.agreements.values().copied()) != Some(self.ends[0]) {
            return Err(bad("tally.agreements", "the agreements by outcome do not add up to the agreements"));
        }
        for a in 0..2 {
            let (p, t) = (&self.payoff[a], &template.payoff[a]);
            let field = |f: &str| format!("tally.payoff[{a}].{f}");
            if p.n != runs {
                return Err(bad(field("n"), format!("{} payoffs for {runs} runs", p.n)));
            }
            if p.histogram.lo != t.histogram.lo
                || p.histogram.hi != t.histogram.hi
                || p.histogram.counts.len() != t.histogram.counts.len()
            {
                return Err(bad(field("histogram"), "its range is not the scenario's payoff bounds"));
            }
            if checked_sum(p.histogram.counts.iter().copied()) != Some(runs) {
                return Err(bad(field("histogram.counts"), format!("the counts do not add up to the {runs} runs")));
            }
            // Payoffs lie in [lo, hi] (the histogram's range was widened
            // from the bounds by at most 0.5); a run adds at most
            // bound * 2^32 to the sum and bound^2 * 2^32 to the sum of squares.
            let bound = t.histogram.lo.abs().max(t.histogram.hi.abs()) + 1.0;
            if runs > 0 {
                if !(p.min.is_finite() && p.max.is_finite() && p.min <= p.max) {
                    return Err(bad(field("min"), "min and max are not a range"));
                }
                if p.min < t.histogram.lo - 1.0 || p.max > t.histogram.hi + 1.0 {
                    return Err(bad(field("max"), "outside the scenario's payoff bounds"));
                }
            }
            let max_sum = runs as f64 * bound * SCALE;
            if (p.sum as f64).abs() > max_sum {
                return Err(bad(field("sum"), "larger than its runs allow"));
            }
            if p.sum_sq < 0 || p.sum_sq as f64 > max_sum * bound {
                return Err(bad(field("sum_sq"), "outside what its runs allow"));
            }
        }
        check_escalation(self, runs, template)?;
        if let Some(c) = &self.causes {
            check_causes(c, runs - self.ends[0])?;
        }
        Ok(())
    }

    /// Adds `o` with checked arithmetic: an overflow is an error, never a
    /// wrapped count.
    pub fn checked_merge(&mut self, o: &Tally) -> Result<(), BadField> {
        let overflow = |f: &str| bad(f, "the merged count overflows");
        let mut next = self.clone();
        next.runs = next.runs.checked_add(o.runs).ok_or_else(|| overflow("tally.runs"))?;
        for (x, y) in next.ends.iter_mut().chain(next.walk_away_by.iter_mut()).zip(o.ends.iter().chain(&o.walk_away_by))
        {
            *x = x.checked_add(*y).ok_or_else(|| overflow("tally.ends"))?;
        }
        for (x, y) in next.lottery.iter_mut().zip(&o.lottery) {
            *x = x.checked_add(*y).ok_or_else(|| overflow("tally.lottery"))?;
        }
        for (x, y) in next.rounds.iter_mut().zip(&o.rounds) {
            for k in 0..4 {
                x[k] = x[k].checked_add(y[k]).ok_or_else(|| overflow("tally.rounds"))?;
            }
        }
        for (w, c) in &o.agreements {
            let slot = next.agreements.entry(*w).or_insert(0);
            *slot = slot.checked_add(*c).ok_or_else(|| overflow("tally.agreements"))?;
        }
        for a in 0..2 {
            let (p, q) = (&mut next.payoff[a], &o.payoff[a]);
            p.n = p.n.checked_add(q.n).ok_or_else(|| overflow("tally.payoff.n"))?;
            p.sum = p.sum.checked_add(q.sum).ok_or_else(|| overflow("tally.payoff.sum"))?;
            p.sum_sq = p.sum_sq.checked_add(q.sum_sq).ok_or_else(|| overflow("tally.payoff.sum_sq"))?;
            p.min = p.min.min(q.min);
            p.max = p.max.max(q.max);
            for (x, y) in p.histogram.counts.iter_mut().zip(&q.histogram.counts) {
                *x = x.checked_add(*y).ok_or_else(|| overflow("tally.payoff.histogram"))?;
            }
        }
        match (&mut next.escalation, &o.escalation) {
            (Some(x), Some(y)) => {
                let add = |x: &mut [u64], y: &[u64]| -> Result<(), BadField> {
                    for (x, y) in x.iter_mut().zip(y) {
                        *x = x.checked_add(*y).ok_or_else(|| overflow("tally.escalation"))?;
                    }
                    Ok(())
                };
                for a in 0..2 {
                    add(&mut x.final_positions[a], &y.final_positions[a])?;
                    add(&mut x.occupancy[a], &y.occupancy[a])?;
                    add(std::slice::from_mut(&mut x.climbed[a]), &[y.climbed[a]])?;
                }
                add(&mut x.lottery_by_cause, &y.lottery_by_cause)?;
            }
            (None, None) => {}
            _ => return Err(bad("tally.escalation", "one tally has escalation ladders and the other has not")),
        }
        match (&mut next.causes, &o.causes) {
            (Some(x), Some(y)) => {
                let add = |a: u64, b: u64| a.checked_add(b).ok_or_else(|| overflow("tally.causes"));
                x.failures = add(x.failures, y.failures)?;
                x.overdetermined = add(x.overdetermined, y.overdetermined)?;
                x.no_mechanism = add(x.no_mechanism, y.no_mechanism)?;
                for (a, b) in x.necessary.iter_mut().chain(x.pairs.iter_mut()).zip(y.necessary.iter().chain(&y.pairs)) {
                    *a = add(*a, *b)?;
                }
            }
            (None, None) => {}
            _ => return Err(bad("tally.causes", "one tally attributes causes and the other does not (--no-causes)")),
        }
        *self = next;
        Ok(())
    }
}

/// The cause part of a tally: one attribution per failed run, each a set of
/// necessary mechanisms, or overdetermined, or none.
fn check_causes(c: &super::causes::CauseTally, failed: u64) -> Result<(), BadField> {
    if c.failures != failed {
        return Err(bad("tally.causes.failures", format!("{} attributed, but {failed} runs failed", c.failures)));
    }
    if c.necessary.iter().any(|&k| k > failed) {
        return Err(bad("tally.causes.necessary", "more failures for a mechanism than failed runs"));
    }
    if checked_sum([c.overdetermined, c.no_mechanism]).is_none_or(|s| s > failed) {
        return Err(bad("tally.causes", "more overdetermined and unexplained failures than failed runs"));
    }
    if c.pairs.iter().any(|&k| k > c.overdetermined) {
        return Err(bad("tally.causes.pairs", "more failures for a pair than overdetermined failures"));
    }
    Ok(())
}

/// The escalation part of a tally (issue 10's ladders): present exactly when
/// the scenario has ladders, of the scenario's shape, and counting no more
/// runs than the tally holds.
fn check_escalation(t: &Tally, runs: u64, template: &Tally) -> Result<(), BadField> {
    let (x, shape) = match (&t.escalation, &template.escalation) {
        (None, None) => return Ok(()),
        (Some(x), Some(shape)) => (x, shape),
        _ => return Err(bad("tally.escalation", "present for a scenario without ladders, or missing for one with")),
    };
    let same_shape = x.steps == shape.steps
        && (0..2).all(|a| {
            x.final_positions[a].len() == shape.final_positions[a].len()
                && x.occupancy[a].len() == shape.occupancy[a].len()
        })
        && x.lottery_by_cause.len() == shape.lottery_by_cause.len();
    if !same_shape {
        return Err(bad("tally.escalation", "its shape is not the scenario's ladders and rounds"));
    }
    for a in 0..2 {
        if checked_sum(x.final_positions[a].iter().copied()) != Some(runs) {
            return Err(bad(
                format!("tally.escalation.final_positions[{a}]"),
                "the positions do not add up to the runs",
            ));
        }
        if x.climbed[a] > runs {
            return Err(bad(format!("tally.escalation.climbed[{a}]"), "more climbs than runs"));
        }
        let width = x.steps[a] + 1;
        if x.occupancy[a].chunks(width).any(|row| checked_sum(row.iter().copied()).is_none_or(|s| s > runs)) {
            return Err(bad(format!("tally.escalation.occupancy[{a}]"), "more runs at a round than runs"));
        }
    }
    if checked_sum(x.lottery_by_cause.iter().copied()).is_none_or(|s| s > runs - t.ends[0]) {
        return Err(bad("tally.escalation.lottery_by_cause", "more failures by cause than failed negotiations"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::montecarlo::{RunConfig, Tally, simulate};

    fn geneva_tally(runs: u64) -> (crate::model::Model, Tally) {
        let b = crate::scenario::BUILTIN.iter().find(|b| b.name == "geneva-2022").unwrap();
        let (_, model) = crate::scenario::load_bytes(b.name, b.text.as_bytes()).unwrap();
        let tally = simulate(&model, &RunConfig { seed: 1, runs: 0..runs, keep_runs: false, causes: false }, |_| true);
        (model, tally)
    }

    #[test]
    fn merge_checks_and_adds_the_escalation_tally() {
        // Found when issues 10 and 14 met: merge ignored the ladder counts,
        // so a sharded geneva run differed from the unsharded one.
        let (model, a) = geneva_tally(300);
        let template = Tally::new(&model);
        a.check(300, &template).expect("a real tally passes");
        let mut merged = template.clone();
        merged.checked_merge(&a).unwrap();
        merged.checked_merge(&a).unwrap();
        let (x, y) = (merged.escalation.as_ref().unwrap(), a.escalation.as_ref().unwrap());
        assert_eq!(x.final_positions[0].iter().sum::<u64>(), 2 * y.final_positions[0].iter().sum::<u64>());

        let mut edited = a.clone();
        edited.escalation.as_mut().unwrap().final_positions[1][0] += 5;
        let e = edited.check(300, &template).unwrap_err();
        assert!(format!("{e:?}").contains("final_positions"), "{e:?}");

        let mut dropped = a.clone();
        dropped.escalation = None;
        assert!(dropped.check(300, &template).is_err(), "a ladder scenario's tally must carry its ladder counts");
    }
}
