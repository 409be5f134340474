//! Statistics of paired (common-random-numbers) differences.
//!
//! Under common random numbers run k of every arm uses the same draws, so an
//! arm and the baseline can be compared run by run. For shares this is the
//! paired 2×2 table (runs that switch in each direction), with Newcombe's
//! square-and-add interval for a difference of paired proportions (method 10
//! of Newcombe 1998, "Improved confidence intervals for the difference
//! between binomial proportions based on paired data") and McNemar's exact
//! test; for payoffs and rounds it is the mean paired difference with its t
//! interval. Pairing removes the noise the arms share, so these intervals
//! are much narrower than independent-sample intervals when the arms differ
//! in a few runs only.

use serde::Serialize;

use super::comparison::Estimate;
use super::shares::wilson;
use crate::montecarlo::DiffTally;

/// A paired difference of shares: the estimate with its interval, the
/// runs that switched each way, and McNemar's exact p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairedShare {
    pub estimate: Estimate,
    /// Runs in the category under the baseline only (they switched out).
    pub switched_out: u64,
    /// Runs in the category under the arm only (they switched in).
    pub switched_in: u64,
    /// McNemar's exact two-sided p-value; 1 when no run switched.
    pub p_value: f64,
}

/// The paired difference arm − baseline of a share, from the paired table
/// `[both, baseline only, arm only, neither]`.
///
/// When no run switched, the arms agree on every run and the difference is
/// exactly 0 with a zero-width interval: there is nothing to estimate.
pub fn share_difference(table: [u64; 4]) -> PairedShare {
    let [both, base_only, arm_only, neither] = table;
    let n = both + base_only + arm_only + neither;
    let p_value = mcnemar_exact(base_only, arm_only);
    let done = |estimate| PairedShare { estimate, switched_out: base_only, switched_in: arm_only, p_value };
    if n == 0 {
        return done(Estimate { value: None, ci95: None });
    }
    if base_only == 0 && arm_only == 0 {
        return done(Estimate { value: Some(0.0), ci95: Some([0.0, 0.0]) });
    }
    // Newcombe's notation: p1 the arm's share, p2 the baseline's, a = both,
    // b = arm only, c = baseline only, d = neither.
    let (a, b, c, d) = (both as f64, arm_only as f64, base_only as f64, neither as f64);
    let nf = n as f64;
    let p1 = (a + b) / nf;
    let p2 = (a + c) / nf;
    let (Some([l1, u1]), Some([l2, u2])) = (wilson(both + arm_only, n), wilson(both + base_only, n)) else {
        return done(Estimate { value: None, ci95: None });
    };
    // The correlation of the pair, with Newcombe's continuity correction of
    // a positive numerator; 0 when a margin is empty.
    let margins = (a + b) * (c + d) * (a + c) * (b + d);
    let phi = if margins > 0.0 {
        let num = a * d - b * c;
        let num = if num > nf / 2.0 {
            num - nf / 2.0
        } else if num < 0.0 {
            num
        } else {
            0.0
        };
        num / margins.sqrt()
    } else {
        0.0
    };
    let theta = (b - c) / nf;
    let lower = ((p1 - l1).powi(2) - 2.0 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2).powi(2)).max(0.0).sqrt();
    let upper = ((u1 - p1).powi(2) - 2.0 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2).powi(2)).max(0.0).sqrt();
    done(Estimate { value: Some(theta), ci95: Some([(theta - lower).max(-1.0), (theta + upper).min(1.0)]) })
}

/// McNemar's exact test: under "no effect" each of the `b + c` switching
/// runs switches either way with probability 1/2; the two-sided p-value is
/// twice the smaller tail of Binomial(b + c, 1/2), at most 1.
pub fn mcnemar_exact(b: u64, c: u64) -> f64 {
    let n = b + c;
    if n == 0 {
        return 1.0;
    }
    let k = b.min(c);
    // Sum the tail in logs: 2^-n underflows for n above about 1074.
    let mut log_pmf = -(n as f64) * std::f64::consts::LN_2;
    let mut log_tail = log_pmf;
    for j in 0..k {
        log_pmf += ((n - j) as f64).ln() - ((j + 1) as f64).ln();
        let (hi, lo) = if log_pmf > log_tail { (log_pmf, log_tail) } else { (log_tail, log_pmf) };
        log_tail = hi + (lo - hi).exp().ln_1p();
    }
    (2.0 * log_tail.exp()).min(1.0)
}

/// The mean paired difference with its 95% t interval; a zero-width
/// interval when every difference is 0.
pub fn mean_difference(d: &DiffTally) -> Estimate {
    match (d.mean(), d.sd()) {
        (Some(m), Some(sd)) => {
            let half = t95(d.n - 1) * sd / (d.n as f64).sqrt();
            if half == 0.0 {
                Estimate { value: Some(m), ci95: Some([m, m]) }
            } else {
                Estimate { value: Some(m), ci95: Some([m - half, m + half]) }
            }
        }
        (Some(m), None) => Estimate { value: Some(m), ci95: None },
        _ => Estimate { value: None, ci95: None },
    }
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom: a table
/// up to 30, then the Cornish–Fisher expansion around the normal quantile
/// (error below 1e-5 from 30 on).
pub fn t95(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139, 2.200985,
        2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873,
        2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272,
    ];
    if df == 0 {
        return f64::INFINITY;
    }
    if df as usize <= TABLE.len() {
        return TABLE[df as usize - 1];
    }
    let z = 1.959_963_984_540_054_f64;
    let v = df as f64;
    let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
    z + (z3 + z) / (4.0 * v)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v * v * v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newcombe_paired_matches_a_published_example() {
        // Cavo et al. (2012) in Fagerland, Lydersen & Laake, "Statistical
        // Analysis of Contingency Tables" (2017), ch. 8: table [[59, 6],
        // [16, 80]]; Newcombe square-and-add -0.0621 (-0.1186 to -0.0046).
        // The first margin is the "arm" here: arm only 6, baseline only 16.
        let s = share_difference([59, 16, 6, 80]);
        let [lo, hi] = s.estimate.ci95.unwrap();
        assert!((s.estimate.value.unwrap() + 0.0621).abs() < 1e-4);
        assert!((lo + 0.1186).abs() < 2e-4 && (hi + 0.0046).abs() < 2e-4, "{lo} {hi}");
        assert_eq!((s.switched_out, s.switched_in), (16, 6));
    }

    #[test]
    fn no_switch_is_exactly_zero_with_zero_width() {
        let s = share_difference([6000, 0, 0, 4000]);
        assert_eq!(s.estimate, Estimate { value: Some(0.0), ci95: Some([0.0, 0.0]) });
        assert_eq!(s.p_value, 1.0);
    }

    #[test]
    fn one_way_switches_exclude_zero() {
        // 109 runs flip from breakdown to deal and none back (issue 13).
        let s = share_difference([6570, 0, 109, 3321]);
        let [lo, hi] = s.estimate.ci95.unwrap();
        assert!(lo > 0.0 && hi < 0.02, "{lo} {hi}");
        assert!(s.p_value < 1e-30);
    }

    #[test]
    fn mcnemar_exact_matches_the_binomial() {
        // b = 1, c = 9: 2 * (1 + 10) / 1024.
        assert!((mcnemar_exact(1, 9) - 22.0 / 1024.0).abs() < 1e-12);
        assert_eq!(mcnemar_exact(5, 5), 1.0);
        assert!(mcnemar_exact(0, 5000) > 0.0 || mcnemar_exact(0, 5000) == 0.0);
        assert!((mcnemar_exact(100_000, 100_000) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn t_quantiles_join_the_table_smoothly() {
        assert!((t95(31) - 2.039513).abs() < 1e-4);
        assert!((t95(100) - 1.983972).abs() < 1e-5);
        assert!((t95(1_000_000) - 1.959966).abs() < 1e-5);
    }

    #[test]
    fn zero_differences_give_a_zero_width_t_interval() {
        let mut d = DiffTally::default();
        for _ in 0..10 {
            d.add(0.4, 0.4);
        }
        assert_eq!(mean_difference(&d), Estimate { value: Some(0.0), ci95: Some([0.0, 0.0]) });
    }
}
