//! Shares with honest uncertainty: Wilson score intervals.

use serde::Serialize;

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// `count` out of `total`, with its 95% Wilson interval. `share` and `ci`
/// are `None` when `total` is 0: there is nothing to estimate ("n/a").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    /// The key: an id (`escalation`) or a fixed word (`agreement`); what
    /// JSON and CSV use.
    pub label: String,
    /// What people read: the scenario's name for the outcome ("Limited
    /// incursion in Donbas"); the label where there is no name. Not
    /// serialised, since the key is what files carry.
    #[serde(skip)]
    pub name: String,
    pub count: u64,
    pub total: u64,
    pub share: Option<f64>,
    pub ci95: Option<[f64; 2]>,
}

impl Share {
    pub fn new(label: impl Into<String>, count: u64, total: u64) -> Self {
        let label = label.into();
        Share {
            name: label.clone(),
            label,
            count,
            total,
            share: (total > 0).then(|| count as f64 / total as f64),
            ci95: wilson(count, total),
        }
    }

    /// The same share with a readable name (see [`Share::name`]).
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

/// The 95% Wilson score interval for `k` successes in `n` trials. Unlike the
/// normal approximation it stays inside [0, 1] and is sensible at 0 and n.
pub fn wilson(k: u64, n: u64) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let n_f = n as f64;
    let p = k as f64 / n_f;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt();
    // At k = 0 and k = n the bounds are exactly 0 and 1 on paper; say so
    // rather than print float dust.
    let lo = if k == 0 { 0.0 } else { (centre - half).max(0.0) };
    let hi = if k == n { 1.0 } else { (centre + half).min(1.0) };
    Some([lo, hi])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_published_value() {
        // Newcombe (1998), example: 81 of 263 → 0.2553 to 0.3662.
        let [lo, hi] = wilson(81, 263).unwrap();
        assert!((lo - 0.2553).abs() < 5e-4 && (hi - 0.3662).abs() < 5e-4, "{lo} {hi}");
    }

    #[test]
    fn wilson_is_sensible_at_the_edges() {
        let [lo, hi] = wilson(0, 10).unwrap();
        assert_eq!(lo, 0.0);
        assert!(hi > 0.2 && hi < 0.35);
        let [lo, hi] = wilson(10, 10).unwrap();
        assert!(lo > 0.65 && hi == 1.0);
        assert_eq!(wilson(0, 0), None);
        assert_eq!(Share::new("x", 0, 0).share, None);
    }
}
