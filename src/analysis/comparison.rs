//! Comparing Monte Carlo results: each arm's shares and payoff means with
//! confidence intervals, and each arm's difference from the baseline.
//!
//! Two kinds of intervals for the differences:
//! - **paired** ([`compare_paired`], the default): arms share common random
//!   numbers (run k uses the same stream in every arm), so each difference is
//!   computed run by run from a [`PairTally`] (see [`super::paired`]);
//! - **independent** ([`compare`], `--unpaired`): Newcombe's hybrid score
//!   interval (method 10 of Newcombe 1998, independent samples) for shares
//!   and a normal interval for means. For arms run with common random numbers
//!   these are conservative (wider than necessary); for arms that are not
//!   (files whose uncertain numbers differ in number or order) they are the
//!   right ones.

use serde::Serialize;

use super::outcomes::Summary;
use super::paired;
use super::shares::{Share, wilson};
use crate::montecarlo::PairTally;

/// Which kind of interval a difference carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntervalKind {
    /// Run by run under common random numbers.
    Paired,
    /// Treating the arms as independent samples.
    Independent,
}

impl IntervalKind {
    /// How the intervals were computed, for tables and reports.
    pub fn explain(self) -> &'static str {
        match self {
            IntervalKind::Paired => {
                "Differences are paired: run k of every arm uses the same random numbers, so each difference is \
                 computed run by run (shares: Newcombe's paired interval and McNemar's exact test; means: paired t \
                 interval)."
            }
            IntervalKind::Independent => {
                "Differences treat the arms as independent samples (--unpaired: Newcombe's hybrid score interval, \
                 normal interval for means); with common random numbers they are conservative."
            }
        }
    }
}

/// A number with its 95% interval; both `None` when undefined ("n/a").
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub value: Option<f64>,
    pub ci95: Option<[f64; 2]>,
}

/// One compared quantity across arms.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// `end`, `disagreement`, `payoff-mean`, `mean-round` or `cause` (the
    /// share of the arm's failures a mechanism was necessary for, or
    /// `overdetermined`, or `none`).
    pub kind: &'static str,
    /// The end, disagreement outcome or actor.
    pub label: String,
    /// What people read: the scenario's name for a disagreement outcome,
    /// otherwise the label (not serialised; files carry the label).
    #[serde(skip)]
    pub name: String,
    /// Per arm.
    pub values: Vec<Estimate>,
    /// Per arm, the difference from arm 0 (the baseline); arm 0's is 0.
    pub differences: Vec<Estimate>,
    /// Which kind of interval `differences` carry.
    pub interval: IntervalKind,
    /// Paired shares only: per arm, the runs that switched [out of, into]
    /// the category, and McNemar's exact p-value (`None` for arm 0 and for
    /// means).
    pub switches: Vec<Option<[u64; 2]>>,
    pub p_values: Vec<Option<f64>>,
}

/// The rows comparing `arms` (arm 0 is the baseline). All arms must come
/// from scenarios with the same ends, disagreement outcomes and actors in
/// the same order; rows are matched by label, and a label missing from an
/// arm gives "n/a" there.
pub fn compare(arms: &[&Summary]) -> Vec<Row> {
    let Some(base) = arms.first() else { return Vec::new() };
    let mut rows = Vec::new();
    for (kind, pick) in [("end", shares_of_ends as fn(&Summary) -> &[Share]), ("disagreement", shares_of_lottery)] {
        for s0 in pick(base) {
            let per_arm: Vec<Option<&Share>> =
                arms.iter().map(|a| pick(a).iter().find(|s| s.label == s0.label)).collect();
            rows.push(Row {
                kind,
                label: s0.label.clone(),
                name: s0.name.clone(),
                values: per_arm.iter().map(|s| s.map_or(NA, |s| Estimate { value: s.share, ci95: s.ci95 })).collect(),
                differences: per_arm
                    .iter()
                    .map(|s| s.map_or(NA, |s| share_difference(s.count, s.total, s0.count, s0.total)))
                    .collect(),
                interval: IntervalKind::Independent,
                switches: vec![None; arms.len()],
                p_values: vec![None; arms.len()],
            });
        }
    }
    for p0 in &base.payoffs {
        let per_arm: Vec<_> = arms.iter().map(|a| a.payoffs.iter().find(|p| p.actor == p0.actor)).collect();
        let n = |s: &Summary| s.runs as f64;
        rows.push(Row {
            kind: "payoff-mean",
            label: p0.actor.clone(),
            name: p0.actor.clone(),
            values: per_arm.iter().map(|p| p.map_or(NA, |p| Estimate { value: p.mean, ci95: p.mean_ci95 })).collect(),
            differences: per_arm
                .iter()
                .zip(arms)
                .map(|(p, arm)| match (p, p0.mean, p0.sd) {
                    (Some(p), Some(m0), Some(s0)) => match (p.mean, p.sd) {
                        (Some(m1), Some(s1)) => {
                            let d = m1 - m0;
                            let half = 1.96 * (s1 * s1 / n(arm) + s0 * s0 / n(base)).sqrt();
                            Estimate { value: Some(d), ci95: Some([d - half, d + half]) }
                        }
                        _ => NA,
                    },
                    _ => NA,
                })
                .collect(),
            interval: IntervalKind::Independent,
            switches: vec![None; arms.len()],
            p_values: vec![None; arms.len()],
        });
    }
    rows.push(Row {
        kind: "mean-round",
        label: "mean round".into(),
        name: "mean round".into(),
        values: arms.iter().map(|a| Estimate { value: a.rounds.mean, ci95: None }).collect(),
        differences: arms
            .iter()
            .map(|a| Estimate { value: a.rounds.mean.zip(base.rounds.mean).map(|(x, y)| x - y), ci95: None })
            .collect(),
        interval: IntervalKind::Independent,
        switches: vec![None; arms.len()],
        p_values: vec![None; arms.len()],
    });
    rows.extend(cause_rows(arms));
    // The baseline differs from itself by exactly 0, with no uncertainty.
    for row in &mut rows {
        if let Some(d) = row.differences.first_mut() {
            *d = Estimate { value: Some(0.0), ci95: Some([0.0, 0.0]) };
        }
    }
    rows
}

/// The rows comparing `arms` with paired differences: `pairs[i]` pairs arm
/// i + 1 with the baseline run by run (from
/// [`simulate_paired`](crate::montecarlo::simulate_paired)). Values are as in
/// [`compare`]; differences of shares come from the paired tables (exactly 0
/// with a zero-width interval when no run switched), differences of mean
/// payoffs and of the mean round from the paired sums.
pub fn compare_paired(arms: &[&Summary], pairs: &[PairTally]) -> Vec<Row> {
    let mut rows = compare(arms);
    let Some(base) = arms.first() else { return rows };
    // Cause shares are shares of each arm's failures, which are different
    // runs in each arm: those rows keep their independent intervals.
    for row in rows.iter_mut().filter(|r| r.kind != "cause") {
        row.interval = IntervalKind::Paired;
        for (k, arm) in arms.iter().enumerate().skip(1) {
            let Some(pair) = pairs.get(k - 1) else { continue };
            let table = match row.kind {
                "end" => base.ends.iter().position(|s| s.label == row.label).map(|e| pair.end_table(e)),
                "disagreement" => {
                    let b = base.disagreement.iter().position(|s| s.label == row.label);
                    let a = arm.disagreement.iter().position(|s| s.label == row.label);
                    b.zip(a).map(|(b, a)| pair.lottery_table(b, a))
                }
                _ => None,
            };
            if let Some(table) = table {
                let s = paired::share_difference(table);
                row.differences[k] = s.estimate;
                row.switches[k] = Some([s.switched_out, s.switched_in]);
                row.p_values[k] = Some(s.p_value);
                continue;
            }
            let diffs = match row.kind {
                "payoff-mean" => base
                    .payoffs
                    .iter()
                    .position(|p| p.actor == row.label)
                    .filter(|&a| arm.payoffs.get(a).is_some_and(|p| p.actor == row.label))
                    .map(|a| &pair.payoff[a]),
                "mean-round" => Some(&pair.rounds),
                _ => None,
            };
            row.differences[k] = diffs.map_or(NA, paired::mean_difference);
        }
    }
    rows
}

const NA: Estimate = Estimate { value: None, ci95: None };

/// One `cause` row per mechanism that some arm uses (in the order of
/// `Mechanism::ALL`), then `overdetermined` and `none`: each arm's share of
/// its failures, the difference by Newcombe's independent interval. None
/// when the baseline's causes were not attributed (`--no-causes`).
fn cause_rows(arms: &[&Summary]) -> Vec<Row> {
    let Some(_) = arms.first().and_then(|b| b.causes.as_ref()) else { return Vec::new() };
    let pick = |a: &Summary, label: &str| -> Option<Share> {
        let c = a.causes.as_ref()?;
        match label {
            "overdetermined" => Some(c.overdetermined.clone()),
            "none" => Some(c.no_mechanism.clone()),
            _ => c.necessary.iter().find(|s| s.label == label).cloned(),
        }
    };
    let labels = crate::model::Mechanism::ALL
        .iter()
        .map(|m| m.name())
        .filter(|l| arms.iter().any(|a| a.causes.as_ref().is_some_and(|c| c.necessary.iter().any(|s| s.label == *l))))
        .chain(["overdetermined", "none"]);
    labels
        .map(|label| {
            // An arm that does not use a mechanism has it necessary for none
            // of its failures.
            let per_arm: Vec<Option<Share>> = arms
                .iter()
                .map(|a| pick(a, label).or_else(|| a.causes.as_ref().map(|c| Share::new(label, 0, c.failures))))
                .collect();
            let base = per_arm[0].clone();
            Row {
                kind: "cause",
                label: label.to_string(),
                name: label.to_string(),
                values: per_arm
                    .iter()
                    .map(|s| s.as_ref().map_or(NA, |s| Estimate { value: s.share, ci95: s.ci95 }))
                    .collect(),
                differences: per_arm
                    .iter()
                    .map(|s| match (s, &base) {
                        (Some(s), Some(b)) => share_difference(s.count, s.total, b.count, b.total),
                        _ => NA,
                    })
                    .collect(),
                interval: IntervalKind::Independent,
                switches: vec![None; arms.len()],
                p_values: vec![None; arms.len()],
            }
        })
        .collect()
}

fn shares_of_ends(s: &Summary) -> &[Share] {
    &s.ends
}

fn shares_of_lottery(s: &Summary) -> &[Share] {
    &s.disagreement
}

/// Newcombe's hybrid score interval for p1 - p0.
pub fn share_difference(k1: u64, n1: u64, k0: u64, n0: u64) -> Estimate {
    let (Some([l1, u1]), Some([l0, u0])) = (wilson(k1, n1), wilson(k0, n0)) else { return NA };
    let p1 = k1 as f64 / n1 as f64;
    let p0 = k0 as f64 / n0 as f64;
    let d = p1 - p0;
    let lo = d - ((p1 - l1).powi(2) + (u0 - p0).powi(2)).sqrt();
    let hi = d + ((u1 - p1).powi(2) + (p0 - l0).powi(2)).sqrt();
    Estimate { value: Some(d), ci95: Some([lo.max(-1.0), hi.min(1.0)]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newcombe_matches_his_worked_example() {
        // Newcombe (1998), table II, example (a): 56/70 vs 48/80 →
        // difference 0.2000, 95% CI 0.0524 to 0.3339 (method 10).
        let e = share_difference(56, 70, 48, 80);
        let [lo, hi] = e.ci95.unwrap();
        assert!((e.value.unwrap() - 0.2).abs() < 1e-12);
        assert!((lo - 0.0524).abs() < 5e-4 && (hi - 0.3339).abs() < 5e-4, "{lo} {hi}");
    }

    #[test]
    fn no_runs_means_no_estimate() {
        assert_eq!(share_difference(0, 0, 1, 2), NA);
    }
}
