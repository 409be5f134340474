//! Comparing Monte Carlo results: each arm's shares and payoff means with
//! confidence intervals, and each arm's difference from the baseline.
//!
//! Differences of shares use Newcombe's hybrid score interval (method 10 of
//! Newcombe 1998) and differences of means a normal interval, both treating
//! the arms as independent samples. Arms share common random numbers (run k
//! uses the same stream in every arm), which correlates them positively; the
//! intervals are therefore conservative (wider than necessary), never too
//! narrow.

use serde::Serialize;

use super::outcomes::Summary;
use super::shares::{Share, wilson};

/// A number with its 95% interval; both `None` when undefined ("n/a").
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub value: Option<f64>,
    pub ci95: Option<[f64; 2]>,
}

/// One compared quantity across arms.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// `end`, `disagreement` or `payoff-mean`.
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
        });
    }
    // The baseline differs from itself by exactly 0, with no uncertainty.
    for row in &mut rows {
        if let Some(d) = row.differences.first_mut() {
            *d = Estimate { value: Some(0.0), ci95: Some([0.0, 0.0]) };
        }
    }
    rows
}

const NA: Estimate = Estimate { value: None, ci95: None };

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
