//! Bargaining-theory analysis of a finite outcome space.
//!
//! Every function here is pure: it takes the two actors' utilities as
//! parallel slices (`u1[w]`, `u2[w]` are the utilities of outcome `w`) and,
//! where it matters, the disagreement point `d = (d1, d2)`, and returns
//! outcome indices as `u32` (the crate's outcome-index type).
//!
//! Conventions shared by all functions, so callers never have to special-case:
//! - **Lengths.** The outcome space has `min(u1.len(), u2.len())` outcomes
//!   (the slices should be equal; a mismatch is not worth a panic in an
//!   analysis pass), capped at `u32::MAX` so every index fits in a `u32`.
//! - **Empty input** (`n = 0`) is valid: frontiers and solutions are empty,
//!   values are `None`, shares are `0.0`.
//! - **Non-finite utilities** (NaN, ±inf) make that outcome infeasible: it is
//!   skipped by every function, so no NaN can leak into a result.
//! - **Non-finite disagreement point**: the solutions measured from `d`
//!   (Nash, Kalai–Smorodinsky, egalitarian) are empty, because gains from an
//!   infinite `d` are meaningless.
//! - **Ties are shown, not hidden**: every solution lists all outcomes tied
//!   at the optimum, in ascending index order, so a teaching view can show
//!   that e.g. the Nash solution is not unique.
//! - **Individually rational** (IR) means *weakly* better than disagreement
//!   for both: `u1 >= d1 && u2 >= d2`, up to the tie tolerance. The ZOPA
//!   count uses the *strict* version (see [`zopa`]).
//! - **One tie tolerance everywhere**: two utilities closer than
//!   [`REL_TOL`] times the largest utility magnitude in the space are the
//!   same utility — in the frontier (0.9100000000000001 does not dominate
//!   0.9099999999999999), in "acceptable to both" (an outcome worth its
//!   reservation, computed as 0.09999999999999999 against 0.1, is
//!   acceptable) and in the solutions' ties.

use serde::Serialize;

/// Relative tolerance for deciding that two objective values are tied.
///
/// Utilities are usually sums of weighted scores, so two outcomes that are
/// "really" equal can differ in the last few bits; 1e-9 is far above that
/// noise and far below any difference a person would care about.
pub const REL_TOL: f64 = 1e-9;

/// The outcomes selected by a bargaining solution concept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution {
    /// All outcomes tied at the optimum, ascending by index. Empty when the
    /// concept is undefined (no feasible or individually rational outcome).
    pub outcomes: Vec<u32>,
    /// The optimised objective at the optimum (Nash product, utility sum,
    /// minimum gain, or the Kalai–Smorodinsky ratio gap); `None` iff
    /// `outcomes` is empty.
    pub value: Option<f64>,
}

impl Solution {
    fn empty() -> Self {
        Solution { outcomes: Vec::new(), value: None }
    }

    /// True when no outcome qualifies (the concept is undefined here).
    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty()
    }

    /// The lowest-index tied outcome, for callers that need one point.
    pub fn first(&self) -> Option<u32> {
        self.outcomes.first().copied()
    }
}

/// The zone of possible agreement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Zopa {
    /// Outcomes *strictly* better than disagreement for both actors.
    pub count: usize,
    /// `count / n`; `0.0` for an empty outcome space (never NaN).
    pub share: f64,
    /// Outcomes *weakly* better for both (individually rational): the set
    /// the Nash, Kalai–Smorodinsky and egalitarian solutions choose from.
    pub weak_count: usize,
}

/// Membership structure over outcome indices: a bitset marking the Pareto
/// frontier, so a Monte Carlo run can test each agreement in O(1) without
/// hashing (10 million outcomes cost 1.25 MB).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParetoSet {
    words: Vec<u64>,
    outcomes: usize,
    count: usize,
}

impl ParetoSet {
    /// Builds the set for an outcome space of `n` outcomes from frontier
    /// indices (as returned by [`pareto_frontier`]). Indices `>= n` are
    /// ignored and duplicates are counted once.
    pub fn new(n: usize, frontier: &[u32]) -> Self {
        let mut words = vec![0u64; n.div_ceil(64)];
        let mut count = 0;
        for &i in frontier {
            let i = i as usize;
            if i < n {
                let (w, bit) = (i / 64, 1u64 << (i % 64));
                if words[w] & bit == 0 {
                    words[w] |= bit;
                    count += 1;
                }
            }
        }
        ParetoSet { words, outcomes: n, count }
    }

    /// Computes the frontier of `(u1, u2)` and builds the set in one step.
    pub fn from_utilities(u1: &[f64], u2: &[f64]) -> Self {
        ParetoSet::new(outcome_count(u1, u2), &pareto_frontier(u1, u2))
    }

    /// Whether outcome `idx` is Pareto-optimal; `false` when out of range.
    #[inline]
    pub fn is_pareto_optimal(&self, idx: u32) -> bool {
        let i = idx as usize;
        i < self.outcomes && self.words[i / 64] & (1u64 << (i % 64)) != 0
    }

    /// Size of the outcome space the set was built for.
    pub fn outcome_count(&self) -> usize {
        self.outcomes
    }

    /// Number of Pareto-optimal outcomes.
    pub fn frontier_count(&self) -> usize {
        self.count
    }

    /// Share of `agreements` (outcome indices, repeats counted each time)
    /// that are Pareto-efficient; `None` when there are no agreements.
    pub fn efficient_share<I: IntoIterator<Item = u32>>(&self, agreements: I) -> Option<f64> {
        let (mut total, mut efficient) = (0u64, 0u64);
        for a in agreements {
            total += 1;
            efficient += u64::from(self.is_pareto_optimal(a));
        }
        (total > 0).then(|| efficient as f64 / total as f64)
    }
}

/// Number of outcomes both slices describe, capped so indices fit in `u32`.
fn outcome_count(u1: &[f64], u2: &[f64]) -> usize {
    u1.len().min(u2.len()).min(u32::MAX as usize)
}

#[inline]
fn feasible(u1: f64, u2: f64) -> bool {
    u1.is_finite() && u2.is_finite()
}

/// The absolute tie tolerance of an outcome space: [`REL_TOL`] times its
/// largest finite utility magnitude (and of `d`), so that utilities on any
/// scale are compared alike. 0 for an empty or all-zero space.
pub fn tolerance(u1: &[f64], u2: &[f64], d: (f64, f64)) -> f64 {
    let n = outcome_count(u1, u2);
    let scale = (0..n)
        .filter(|&i| feasible(u1[i], u2[i]))
        .map(|i| u1[i].abs().max(u2[i].abs()))
        .chain([d.0.abs(), d.1.abs()].into_iter().filter(|x| x.is_finite()))
        .fold(0.0, f64::max);
    REL_TOL * scale
}

/// Individually rational up to the tie tolerance `tol`: an outcome worth its
/// reservation value is acceptable even if rounding left it 1e-17 short.
#[inline]
fn rational(u1: f64, u2: f64, d: (f64, f64), tol: f64) -> bool {
    feasible(u1, u2) && u1 >= d.0 - tol && u2 >= d.1 - tol
}

/// The gain over disagreement, with a gain within the tolerance of 0 (or
/// below it) counted as 0.
#[inline]
fn gain(u: f64, d: f64, tol: f64) -> f64 {
    if u - d <= tol { 0.0 } else { u - d }
}

/// Maps a non-NaN `f64` to a `u64` whose unsigned order is the numeric
/// order, so the frontier sort compares plain integers. `x + 0.0` turns
/// `-0.0` into `0.0`, which keeps them equal (they are the same utility).
#[inline]
fn order_key(x: f64) -> u64 {
    let b = (x + 0.0).to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

/// Indices of all Pareto-optimal outcomes: those for which no other outcome
/// is at least as good for both actors and strictly better for one.
///
/// Outcomes with identical utility pairs are either all optimal or all
/// dominated, so ties are kept together. Sorted by `u1` ascending (so `u2`
/// descending along the frontier), then by index. Non-finite outcomes are
/// excluded. O(n log n): one sort, one sweep.
///
/// Utilities within the tie tolerance of each other (see [`tolerance`]) are
/// compared as equal: each is snapped to a grid of step `tol` first, so
/// (0.9100000000000001, 0.2) does not dominate (0.9099999999999999, 0.223).
pub fn pareto_frontier(u1: &[f64], u2: &[f64]) -> Vec<u32> {
    let n = outcome_count(u1, u2) as u32;
    let tol = tolerance(u1, u2, (0.0, 0.0));
    frontier_of(u1, u2, tol, (0..n).filter(|&i| feasible(u1[i as usize], u2[i as usize])))
}

/// Frontier of the given subset of (feasible) outcomes, with utilities
/// snapped to a grid of step `tol` (exact comparison when `tol` is 0).
fn frontier_of(u1: &[f64], u2: &[f64], tol: f64, subset: impl Iterator<Item = u32>) -> Vec<u32> {
    let snap = |x: f64| if tol > 0.0 { order_key((x / tol).round()) } else { order_key(x) };
    // Sort by u1 descending, then u2 descending, then index ascending.
    // Keys are complemented so a plain ascending sort does that, and kept
    // inline (not looked up through the index) so the sort stays
    // cache-friendly at 10 million outcomes.
    let mut keys: Vec<(u64, u64, u32)> = subset
        .map(|i| {
            let k = i as usize;
            (!snap(u1[k]), !snap(u2[k]), i)
        })
        .collect();
    keys.sort_unstable();

    // Sweep groups of equal u1 from the best u1 down. Within a group only
    // the outcomes with the group's highest u2 can be optimal (the rest are
    // dominated by them), and they are optimal iff that u2 beats every u2
    // seen at a strictly higher u1.
    let mut out = Vec::new();
    let mut best_u2_above: Option<u64> = None;
    for group in keys.chunk_by(|a, b| a.0 == b.0) {
        let top = group[0].1;
        let top_u2 = !top;
        if best_u2_above.is_none_or(|b| top_u2 > b) {
            out.extend(group.iter().take_while(|k| k.1 == top).map(|k| k.2));
            best_u2_above = Some(top_u2);
        }
    }

    // Collected as u1 descending with index ascending inside each tie;
    // flip to u1 ascending and restore index order inside each tie.
    out.reverse();
    out.chunk_by_mut(|&a, &b| snap(u1[a as usize]) == snap(u1[b as usize])).for_each(<[u32]>::reverse);
    out
}

/// Whether `v` is tied with the maximum `best`, with a tolerance of
/// `REL_TOL * max(|best|, scale)`. `v == best` covers an infinite maximum,
/// where the subtraction would give NaN.
#[inline]
fn tied(v: f64, best: f64, scale: f64) -> bool {
    v == best || v >= best - REL_TOL * best.abs().max(scale)
}

/// All maximisers of `score` over `0..n` (outcomes scoring `None` or NaN
/// are skipped). Two passes instead of a growing tie list, so a long run of
/// near-ties that a later, better outcome beats costs nothing.
fn argmax_ties(n: usize, scale: f64, score: impl Fn(usize) -> Option<f64>) -> Solution {
    let score = |i| score(i).filter(|v: &f64| !v.is_nan());
    let Some(best) = (0..n).filter_map(score).reduce(f64::max) else {
        return Solution::empty();
    };
    let outcomes = (0..n).filter(|&i| score(i).is_some_and(|v| tied(v, best, scale))).map(|i| i as u32).collect();
    Solution { outcomes, value: Some(best) }
}

/// Nash bargaining solution: maximise `(u1 - d1)(u2 - d2)` over
/// individually rational outcomes (`u1 >= d1 && u2 >= d2`).
///
/// Returns every outcome within relative tolerance [`REL_TOL`] of the
/// maximum; empty when no outcome is individually rational. Degenerate case:
/// if no outcome is strictly better for both (empty strict ZOPA) the maximum
/// product is exactly 0 and every individually rational outcome ties —
/// which is the honest answer: the Nash product cannot discriminate there.
pub fn nash_bargaining(u1: &[f64], u2: &[f64], d: (f64, f64)) -> Solution {
    if !feasible(d.0, d.1) {
        return Solution::empty();
    }
    let tol = tolerance(u1, u2, d);
    // Scale 0: purely relative. At a zero maximum all IR products are
    // exactly 0 (gains within the tolerance of 0 count as 0), so exact
    // equality is right there.
    argmax_ties(outcome_count(u1, u2), 0.0, |i| {
        rational(u1[i], u2[i], d, tol).then(|| gain(u1[i], d.0, tol) * gain(u2[i], d.1, tol))
    })
}

/// Utilitarian solution: maximise `u1 + u2` over all feasible outcomes.
///
/// Deliberately *not* restricted to individually rational outcomes (hence no
/// `d`): the welfare optimum may be one an actor would veto, which is a
/// point worth showing. Intersect with the IR set if you need otherwise.
/// Ties use a tolerance of `REL_TOL` times the larger of the best sum and
/// the largest utility magnitude, because a sum near 0 makes a purely
/// relative tolerance collapse to exact equality under rounding noise.
pub fn utilitarian(u1: &[f64], u2: &[f64]) -> Solution {
    let n = outcome_count(u1, u2);
    let scale = (0..n).filter(|&i| feasible(u1[i], u2[i])).map(|i| u1[i].abs().max(u2[i].abs())).fold(0.0, f64::max);
    argmax_ties(n, scale, |i| feasible(u1[i], u2[i]).then(|| u1[i] + u2[i]))
}

/// Egalitarian solution, leximin: maximise the smaller gain
/// `min(u1 - d1, u2 - d2)` over individually rational outcomes, and among
/// the outcomes tied on it, the larger gain; all remaining ties are listed.
///
/// This is the egalitarian solution as textbooks define it on a finite set
/// (Kalai 1977; Moulin, *Axioms of Cooperative Decision Making*, 1988): plain
/// max-min would also list outcomes tied on the smaller gain but dominated
/// on the larger one, and so be Pareto-inefficient. What remains are the
/// outcomes with the same pair of gains (up to the tolerance), or the mirror
/// pair — all Pareto-optimal among IR outcomes. `value` is the smaller gain.
/// Empty when no outcome is individually rational.
pub fn egalitarian(u1: &[f64], u2: &[f64], d: (f64, f64)) -> Solution {
    if !feasible(d.0, d.1) {
        return Solution::empty();
    }
    let tol = tolerance(u1, u2, d);
    let n = outcome_count(u1, u2);
    let gains = |i: usize| {
        rational(u1[i], u2[i], d, tol).then(|| {
            let (g1, g2) = (gain(u1[i], d.0, tol), gain(u2[i], d.1, tol));
            (g1.min(g2), g1.max(g2))
        })
    };
    // As for Nash, a zero maximum means all IR gains are exactly 0.
    let first = argmax_ties(n, 0.0, |i| gains(i).map(|g| g.0));
    let Some(value) = first.value else { return first };
    let mut tied = vec![false; n];
    for &w in &first.outcomes {
        tied[w as usize] = true;
    }
    let second = argmax_ties(n, tol, |i| if tied[i] { gains(i).map(|g| g.1) } else { None });
    Solution { outcomes: second.outcomes, value: Some(value) }
}

/// Kalai–Smorodinsky solution (discrete form).
///
/// Let `m_i` be actor i's best utility over individually rational outcomes
/// and `r_i = (u_i - d_i) / (m_i - d_i)` the share of that best gain an
/// outcome gives. Among Pareto-optimal IR outcomes, pick those minimising
/// `|r1 - r2|`; among those, the ones with the highest `min(r1, r2)`; all
/// remaining ties are listed (tolerance [`REL_TOL`], absolute, since ratios
/// lie in [0, 1]). `value` is the minimal gap `|r1 - r2|`.
///
/// Degenerate `m_i == d_i` (actor i cannot gain at all from any IR
/// outcome): `r_i` is defined as 1 — the actor already receives all it can
/// get. Then the rule picks the other actor's best IR outcomes, which is
/// where the continuous KS line `d -> (m1, m2)` meets the frontier. If both
/// are degenerate every IR outcome is `d` itself and all tie with gap 0.
/// Empty when no outcome is individually rational.
pub fn kalai_smorodinsky(u1: &[f64], u2: &[f64], d: (f64, f64)) -> Solution {
    if !feasible(d.0, d.1) {
        return Solution::empty();
    }
    let n = outcome_count(u1, u2) as u32;
    let tol = tolerance(u1, u2, d);
    let ir = || (0..n).filter(|&i| rational(u1[i as usize], u2[i as usize], d, tol));
    let (mut m1, mut m2) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for i in ir() {
        m1 = m1.max(u1[i as usize]);
        m2 = m2.max(u2[i as usize]);
    }
    // Any outcome dominating an IR outcome is itself IR, so the frontier of
    // the IR subset is exactly "Pareto-optimal and IR".
    let frontier = frontier_of(u1, u2, tol, ir());
    if frontier.is_empty() {
        return Solution::empty();
    }
    let ratio = |u: f64, d: f64, m: f64| if m > d { (u - d) / (m - d) } else { 1.0 };
    let scored: Vec<(u32, f64, f64)> = frontier
        .iter()
        .map(|&i| {
            let r1 = ratio(u1[i as usize], d.0, m1);
            let r2 = ratio(u2[i as usize], d.1, m2);
            (i, (r1 - r2).abs(), r1.min(r2))
        })
        .collect();
    let min_gap = scored.iter().map(|s| s.1).fold(f64::INFINITY, f64::min);
    let near = |s: &&(u32, f64, f64)| s.1 <= min_gap + REL_TOL;
    let max_low = scored.iter().filter(near).map(|s| s.2).fold(0.0, f64::max);
    let mut outcomes: Vec<u32> = scored.iter().filter(near).filter(|s| s.2 >= max_low - REL_TOL).map(|s| s.0).collect();
    outcomes.sort_unstable();
    Solution { outcomes, value: Some(min_gap) }
}

/// Zone of possible agreement: outcomes *strictly* preferred by both actors
/// to disagreement (`u1 > d1 && u2 > d2`).
///
/// Strict, because an outcome that leaves an actor exactly at its
/// disagreement utility gives it no reason to agree; the weakly preferred
/// (individually rational) count is reported alongside as `weak_count`.
/// `share` is relative to all `n` outcomes, infeasible ones included.
pub fn zopa(u1: &[f64], u2: &[f64], d: (f64, f64)) -> Zopa {
    let n = outcome_count(u1, u2);
    let tol = tolerance(u1, u2, d);
    let (mut count, mut weak_count) = (0, 0);
    for i in 0..n {
        if rational(u1[i], u2[i], d, tol) {
            weak_count += 1;
            count += usize::from(u1[i] > d.0 + tol && u2[i] > d.1 + tol);
        }
    }
    let share = if n == 0 { 0.0 } else { count as f64 / n as f64 };
    Zopa { count, share, weak_count }
}

/// Rubinstein alternating-offers split of a unit pie: the first mover gets
/// `x* = (1 - δ2) / (1 - δ1·δ2)`, the responder `1 - x*`.
///
/// Returns `None` for `δ1 = δ2 = 1` (perfectly patient actors: every split
/// is an equilibrium, so there is no unique answer and the formula is 0/0),
/// and for discount factors outside `[0, 1]` or NaN. With exactly one
/// factor equal to 1 the patient actor takes everything.
pub fn rubinstein_split(delta1: f64, delta2: f64) -> Option<(f64, f64)> {
    let valid = |x: f64| (0.0..=1.0).contains(&x);
    if !valid(delta1) || !valid(delta2) || (delta1 == 1.0 && delta2 == 1.0) {
        return None;
    }
    // With both factors in [0, 1] and not both 1, the rounded product is
    // below 1, so the denominator is positive and the share lies in [0, 1];
    // the clamp only guards against a last-bit excursion.
    let x = ((1.0 - delta2) / (1.0 - delta1 * delta2)).clamp(0.0, 1.0);
    Some((x, 1.0 - x))
}

/// Euclidean distance in utility space between outcomes `a` and `b`;
/// `None` when either index is out of range or has non-finite utilities.
pub fn distance(u1: &[f64], u2: &[f64], a: u32, b: u32) -> Option<f64> {
    let n = outcome_count(u1, u2);
    let (a, b) = (a as usize, b as usize);
    if a >= n || b >= n || !feasible(u1[a], u2[a]) || !feasible(u1[b], u2[b]) {
        return None;
    }
    Some((u1[a] - u1[b]).hypot(u2[a] - u2[b]))
}

/// Distance from outcome `a` to the nearest of `targets` — e.g. to the Nash
/// solution when it has several tied outcomes. `None` when `a` or every
/// target is invalid, or `targets` is empty.
pub fn distance_to_nearest(u1: &[f64], u2: &[f64], a: u32, targets: &[u32]) -> Option<f64> {
    targets.iter().filter_map(|&t| distance(u1, u2, a, t)).reduce(f64::min)
}

/// The Nash product of outcome `a`, `(u1 - d1)(u2 - d2)`, with a gain below
/// 0 counted as 0: an outcome one side likes less than disagreement adds
/// nothing, as disagreement itself does. `None` for an infeasible outcome.
pub fn nash_product(u1: &[f64], u2: &[f64], a: u32, d: (f64, f64)) -> Option<f64> {
    let (x, y) = (*u1.get(a as usize)?, *u2.get(a as usize)?);
    feasible(x, y).then(|| (x - d.0).max(0.0) * (y - d.1).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nash_product_counts_a_loss_below_disagreement_as_nothing() {
        let (u1, u2) = ([0.7, 0.5, 0.1], [0.6, 0.9, 0.9]);
        let d = (0.2, 0.4);
        assert!(close(nash_product(&u1, &u2, 0, d).unwrap(), 0.5 * 0.2));
        assert!(close(nash_product(&u1, &u2, 1, d).unwrap(), 0.3 * 0.5));
        assert_eq!(nash_product(&u1, &u2, 2, d), Some(0.0));
        assert_eq!(nash_product(&u1, &u2, 3, d), None);
    }

    const EPS: f64 = 1e-12;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < EPS
    }

    /// Splits `(u1, u2)` pairs into the two slices the API takes.
    fn split(points: &[(f64, f64)]) -> (Vec<f64>, Vec<f64>) {
        points.iter().copied().unzip()
    }

    /// O(n²) reference: outcome i is optimal iff nothing dominates it.
    fn brute_frontier(u1: &[f64], u2: &[f64]) -> Vec<u32> {
        let n = u1.len();
        (0..n)
            .filter(|&i| !(0..n).any(|j| u1[j] >= u1[i] && u2[j] >= u2[i] && (u1[j] > u1[i] || u2[j] > u2[i])))
            .map(|i| i as u32)
            .collect()
    }

    /// The running example, d = (0, 0). Products: 4, 4, 3, 0, (not IR), 3.
    fn example() -> (Vec<f64>, Vec<f64>) {
        split(&[
            (1.0, 4.0),  // 0
            (4.0, 1.0),  // 1
            (2.0, 1.5),  // 2
            (0.0, 5.0),  // 3
            (5.0, -1.0), // 4: best u1, but not individually rational
            (1.0, 3.0),  // 5: dominated by 0
        ])
    }

    #[test]
    fn example_frontier_is_sorted_by_u1() {
        let (u1, u2) = example();
        assert_eq!(pareto_frontier(&u1, &u2), vec![3, 0, 2, 1, 4]);
    }

    #[test]
    fn example_nash_lists_both_tied_outcomes() {
        let (u1, u2) = example();
        let s = nash_bargaining(&u1, &u2, (0.0, 0.0));
        assert_eq!(s.outcomes, vec![0, 1]);
        assert_eq!(s.value, Some(4.0));
        assert_eq!(s.first(), Some(0));
    }

    #[test]
    fn example_utilitarian_ties_include_non_ir_and_boundary() {
        let (u1, u2) = example();
        // Sums: 5, 5, 3.5, 5, 4, 4.
        let s = utilitarian(&u1, &u2);
        assert_eq!(s.outcomes, vec![0, 1, 3]);
        assert_eq!(s.value, Some(5.0));
    }

    #[test]
    fn example_egalitarian() {
        let (u1, u2) = example();
        // Min gains over IR outcomes: 1, 1, 1.5, 0, -, 1.
        let s = egalitarian(&u1, &u2, (0.0, 0.0));
        assert_eq!(s.outcomes, vec![2]);
        assert_eq!(s.value, Some(1.5));
    }

    #[test]
    fn example_kalai_smorodinsky() {
        let (u1, u2) = example();
        // IR best: m = (4, 5). IR frontier 3, 0, 2, 1 with ratios
        // (0, 1), (.25, .8), (.5, .3), (1, .2): gaps 1, .55, .2, .8.
        let s = kalai_smorodinsky(&u1, &u2, (0.0, 0.0));
        assert_eq!(s.outcomes, vec![2]);
        assert!(close(s.value.unwrap(), 0.2));
    }

    #[test]
    fn example_zopa_is_strict() {
        let (u1, u2) = example();
        // Strict: 0, 1, 2, 5 (3 leaves actor 1 at d1). Weak adds 3.
        let z = zopa(&u1, &u2, (0.0, 0.0));
        assert_eq!((z.count, z.weak_count), (4, 5));
        assert!(close(z.share, 4.0 / 6.0));
    }

    #[test]
    fn empty_zopa_gives_empty_solutions() {
        let (u1, u2) = split(&[(1.0, 0.0), (0.0, 1.0), (0.4, 0.6)]);
        let d = (0.5, 0.5);
        let z = zopa(&u1, &u2, d);
        assert_eq!((z.count, z.weak_count, z.share), (0, 0, 0.0));
        for s in [nash_bargaining(&u1, &u2, d), kalai_smorodinsky(&u1, &u2, d), egalitarian(&u1, &u2, d)] {
            assert!(s.is_empty());
            assert_eq!(s.value, None);
        }
        // Welfare is still defined without agreement: all three sum to 1.
        assert_eq!(utilitarian(&u1, &u2).outcomes, vec![0, 1, 2]);
    }

    #[test]
    fn weak_but_not_strict_agreement_is_degenerate_tie() {
        let (u1, u2) = split(&[(0.0, 1.0), (1.0, 0.0)]);
        let d = (0.0, 0.0);
        let z = zopa(&u1, &u2, d);
        assert_eq!((z.count, z.weak_count), (0, 2));
        let nash = nash_bargaining(&u1, &u2, d);
        assert_eq!((nash.outcomes, nash.value), (vec![0, 1], Some(0.0)));
        assert_eq!(egalitarian(&u1, &u2, d).outcomes, vec![0, 1]);
        // Ratios (0, 1) and (1, 0): same gap, same minimum, both reported.
        let ks = kalai_smorodinsky(&u1, &u2, d);
        assert_eq!((ks.outcomes, ks.value), (vec![0, 1], Some(1.0)));
    }

    #[test]
    fn kalai_smorodinsky_prefers_higher_min_ratio_on_equal_gap() {
        // m = (1, 1). Outcomes 2 and 3 both have gap 0.2 (up to rounding:
        // 0.5 - 0.3 and 0.6 - 0.4 differ in the last bit), min ratio 0.3
        // vs 0.4, so 3 wins.
        let (u1, u2) = split(&[(1.0, 0.0), (0.0, 1.0), (0.3, 0.5), (0.6, 0.4)]);
        let ks = kalai_smorodinsky(&u1, &u2, (0.0, 0.0));
        assert_eq!(ks.outcomes, vec![3]);
        assert!(close(ks.value.unwrap(), 0.2));
        // Nash agrees here: products 0, 0, .15, .24.
        assert_eq!(nash_bargaining(&u1, &u2, (0.0, 0.0)).outcomes, vec![3]);
    }

    #[test]
    fn kalai_smorodinsky_symmetric_tie_with_offset_disagreement() {
        // Shifted so the ratios go through non-trivial rounding.
        let (u1, u2) = split(&[(0.3, 0.9), (0.9, 0.3), (0.1, 0.1)]);
        let ks = kalai_smorodinsky(&u1, &u2, (0.1, 0.1));
        assert_eq!(ks.outcomes, vec![0, 1]);
    }

    #[test]
    fn kalai_smorodinsky_degenerate_actor_cannot_gain() {
        // Actor 1's IR utilities are all d1 = 0, so r1 := 1 and the rule
        // picks actor 2's best IR outcome. Outcome 2 is not IR.
        let (u1, u2) = split(&[(0.0, 0.5), (0.0, 1.0), (-1.0, 2.0)]);
        let ks = kalai_smorodinsky(&u1, &u2, (0.0, 0.0));
        assert_eq!((ks.outcomes, ks.value), (vec![1], Some(0.0)));
        // Both degenerate: only d itself is IR; every copy ties.
        let (u1, u2) = split(&[(0.0, 0.0), (0.0, 0.0), (1.0, -1.0)]);
        let ks = kalai_smorodinsky(&u1, &u2, (0.0, 0.0));
        assert_eq!((ks.outcomes, ks.value), (vec![0, 1], Some(0.0)));
    }

    #[test]
    fn issue_16_egalitarian_is_leximin() {
        // All four have min gain 1; outcome 1 dominates 0 and 2, so only it
        // (and its mirror 3) remain.
        let (u1, u2) = split(&[(1.0, 1.0), (1.0, 5.0), (3.0, 1.0), (5.0, 1.0)]);
        let s = egalitarian(&u1, &u2, (0.0, 0.0));
        assert_eq!((s.outcomes, s.value), (vec![1, 3], Some(1.0)));
    }

    #[test]
    fn issue_16_frontier_and_acceptability_use_the_tie_tolerance() {
        // 0.91 computed two ways: the larger does not dominate the other.
        let (u1, u2) = split(&[(0.9100000000000001, 0.2), (0.9099999999999999, 0.223), (0.5, 0.5)]);
        assert_eq!(pareto_frontier(&u1, &u2), vec![2, 1]);
        // Worth exactly the reservation 0.1, computed as 0.09999999999999999.
        let short = std::hint::black_box(0.3) - 0.2;
        assert!(short < 0.1, "0.3 - 0.2 is 0.09999999999999998");
        let (u1, u2) = split(&[(short, 0.5)]);
        let d = (0.1, 0.2);
        assert_eq!(nash_bargaining(&u1, &u2, d).outcomes, vec![0]);
        assert_eq!(egalitarian(&u1, &u2, d).outcomes, vec![0]);
        assert_eq!(kalai_smorodinsky(&u1, &u2, d).outcomes, vec![0]);
        let z = zopa(&u1, &u2, d);
        assert_eq!((z.count, z.weak_count), (0, 1), "acceptable, but no strict gain for the first");
    }

    #[test]
    fn identical_optimal_pairs_are_all_kept() {
        let (u1, u2) = split(&[(1.0, 1.0), (0.5, 0.5), (1.0, 1.0), (-0.0, 2.0), (0.0, 2.0)]);
        assert_eq!(pareto_frontier(&u1, &u2), vec![3, 4, 0, 2]);
        assert_eq!(nash_bargaining(&u1, &u2, (0.0, 0.0)).outcomes, vec![0, 2]);
    }

    #[test]
    fn tie_tolerance_absorbs_rounding() {
        // 0.2 * 0.9 = 0.18000000000000002 but 0.3 * 0.6 = 0.18.
        let (u1, u2) = split(&[(0.2, 0.9), (0.3, 0.6), (0.6, 0.3)]);
        assert_eq!(nash_bargaining(&u1, &u2, (0.0, 0.0)).outcomes, vec![0, 1, 2]);
        // Sums near zero: 0.1 + 0.2 - 0.3 is 5.5e-17, not 0.
        let (u1, u2) = split(&[(0.1 + 0.2, -0.3), (0.7, -0.7), (-1.0, 0.5)]);
        assert_eq!(utilitarian(&u1, &u2).outcomes, vec![0, 1]);
    }

    #[test]
    fn empty_input_is_valid_everywhere() {
        let e: [f64; 0] = [];
        let d = (0.0, 0.0);
        assert!(pareto_frontier(&e, &e).is_empty());
        assert!(nash_bargaining(&e, &e, d).is_empty());
        assert!(kalai_smorodinsky(&e, &e, d).is_empty());
        assert!(utilitarian(&e, &e).is_empty());
        assert!(egalitarian(&e, &e, d).is_empty());
        assert_eq!(zopa(&e, &e, d), Zopa { count: 0, share: 0.0, weak_count: 0 });
        assert_eq!(distance(&e, &e, 0, 0), None);
        let set = ParetoSet::from_utilities(&e, &e);
        assert_eq!((set.outcome_count(), set.frontier_count()), (0, 0));
        assert!(!set.is_pareto_optimal(0));
        assert_eq!(set.efficient_share([]), None);
    }

    #[test]
    fn non_finite_values_never_leak() {
        let (u1, u2) = split(&[(f64::NAN, 1.0), (f64::INFINITY, 0.0), (0.5, 0.5), (0.2, f64::NEG_INFINITY)]);
        assert_eq!(pareto_frontier(&u1, &u2), vec![2]);
        for s in [
            nash_bargaining(&u1, &u2, (0.0, 0.0)),
            kalai_smorodinsky(&u1, &u2, (0.0, 0.0)),
            egalitarian(&u1, &u2, (0.0, 0.0)),
            utilitarian(&u1, &u2),
        ] {
            assert_eq!(s.outcomes, vec![2]);
            assert!(s.value.unwrap().is_finite());
        }
        for d in [(f64::NAN, 0.0), (0.0, f64::NEG_INFINITY)] {
            assert!(nash_bargaining(&u1, &u2, d).is_empty());
            assert!(kalai_smorodinsky(&u1, &u2, d).is_empty());
            assert!(egalitarian(&u1, &u2, d).is_empty());
        }
        assert_eq!(distance(&u1, &u2, 0, 2), None);
        // Mismatched lengths: the shorter slice wins, nothing panics.
        assert_eq!(pareto_frontier(&[1.0, 2.0], &[1.0]), vec![0]);
    }

    #[test]
    fn rubinstein_hand_values() {
        let cases = [
            ((0.9, 0.9), 1.0 / 1.9),
            ((0.5, 0.8), 1.0 / 3.0),
            ((0.8, 0.5), 5.0 / 6.0),
            ((0.0, 0.0), 1.0), // impatient responder: take-it-or-leave-it
            ((0.0, 0.5), 0.5),
            ((1.0, 0.5), 1.0), // patient proposer takes everything
            ((0.5, 1.0), 0.0), // patient responder takes everything
        ];
        for ((d1, d2), x) in cases {
            let (a, b) = rubinstein_split(d1, d2).unwrap();
            assert!(close(a, x), "({d1}, {d2}) gave {a}, expected {x}");
            assert!(close(a + b, 1.0));
        }
        for (d1, d2) in [(1.0, 1.0), (f64::NAN, 0.5), (1.5, 0.5), (0.5, -0.1)] {
            assert_eq!(rubinstein_split(d1, d2), None);
        }
        // Near the degenerate corner the split tends to 1/2, without NaN.
        let (a, _) = rubinstein_split(1.0 - 1e-12, 1.0 - 1e-12).unwrap();
        assert!((a - 0.5).abs() < 1e-3);
    }

    #[test]
    fn distances() {
        let (u1, u2) = split(&[(0.0, 0.0), (3.0, 4.0), (1.0, 0.0)]);
        assert_eq!(distance(&u1, &u2, 0, 1), Some(5.0));
        assert_eq!(distance(&u1, &u2, 1, 1), Some(0.0));
        assert_eq!(distance(&u1, &u2, 0, 3), None);
        assert_eq!(distance_to_nearest(&u1, &u2, 0, &[1, 2]), Some(1.0));
        assert_eq!(distance_to_nearest(&u1, &u2, 0, &[]), None);
    }

    #[test]
    fn pareto_set_membership_and_share() {
        let (u1, u2) = example();
        let set = ParetoSet::from_utilities(&u1, &u2);
        assert_eq!((set.outcome_count(), set.frontier_count()), (6, 5));
        assert!(set.is_pareto_optimal(0) && !set.is_pareto_optimal(5));
        assert!(!set.is_pareto_optimal(6) && !set.is_pareto_optimal(u32::MAX));
        // Agreements 0, 5, 5, 1: half efficient.
        assert_eq!(set.efficient_share([0, 5, 5, 1]), Some(0.5));
        // Duplicates and out-of-range indices in the input are harmless.
        let set = ParetoSet::new(70, &[3, 3, 69, 70, 500]);
        assert_eq!(set.frontier_count(), 2);
        assert!(set.is_pareto_optimal(69) && !set.is_pareto_optimal(70));
    }

    /// Random outcome spaces on a coarse grid (multiples of 0.1 in
    /// [-0.5, 1.0]) so identical pairs and shared coordinates are common.
    fn space() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
        let grid = (-5i32..=10).prop_map(|k| f64::from(k) * 0.1);
        prop::collection::vec((grid.clone(), grid), 0..=300).prop_map(|p| split(&p))
    }

    fn sorted(mut v: Vec<u32>) -> Vec<u32> {
        v.sort_unstable();
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn frontier_matches_brute_force((u1, u2) in space()) {
            let fast = pareto_frontier(&u1, &u2);
            prop_assert_eq!(sorted(fast.clone()), brute_frontier(&u1, &u2));
            // Documented order: u1 ascending, then index.
            for w in fast.windows(2) {
                let (a, b) = (w[0] as usize, w[1] as usize);
                prop_assert!(u1[a] < u1[b] || (u1[a] == u1[b] && a < b));
            }
            let set = ParetoSet::new(u1.len(), &fast);
            prop_assert_eq!(set.frontier_count(), fast.len());
            for i in 0..u1.len() as u32 {
                prop_assert_eq!(set.is_pareto_optimal(i), fast.contains(&i));
            }
        }

        #[test]
        fn solutions_are_consistent((u1, u2) in space(), d1 in 0i32..5, d2 in 0i32..5) {
            let d = (f64::from(d1) * 0.1, f64::from(d2) * 0.1);
            let set = ParetoSet::from_utilities(&u1, &u2);
            let z = zopa(&u1, &u2, d);
            let nash = nash_bargaining(&u1, &u2, d);
            let ks = kalai_smorodinsky(&u1, &u2, d);
            let egal = egalitarian(&u1, &u2, d);
            let util = utilitarian(&u1, &u2);
            // Defined exactly when some outcome is individually rational.
            for s in [&nash, &ks, &egal] {
                prop_assert_eq!(s.is_empty(), z.weak_count == 0);
                prop_assert_eq!(s.is_empty(), s.value.is_none());
                prop_assert!(s.outcomes.windows(2).all(|w| w[0] < w[1]));
            }
            prop_assert_eq!(util.is_empty(), u1.is_empty());
            // With a real surplus, Nash picks only efficient outcomes; KS
            // and utilitarian always do.
            if z.count > 0 {
                prop_assert!(nash.outcomes.iter().all(|&i| set.is_pareto_optimal(i)));
            }
            prop_assert!(ks.outcomes.iter().all(|&i| set.is_pareto_optimal(i)));
            prop_assert!(util.outcomes.iter().all(|&i| set.is_pareto_optimal(i)));
            // Brute-force Nash maximum.
            let best = (0..u1.len())
                .filter(|&i| u1[i] >= d.0 && u2[i] >= d.1)
                .map(|i| (u1[i] - d.0) * (u2[i] - d.1))
                .reduce(f64::max);
            prop_assert_eq!(nash.value, best);
        }
    }
}
