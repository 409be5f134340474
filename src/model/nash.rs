//! The outcomes that can be a Nash bargain over two utility tables, worked
//! out once per model: the escalation ladders' reasoning rule, read as a
//! signal, bargains over the mean tables once per type of the climber.

/// The outcomes that can be a Nash bargain over the tables `own` and
/// `other` at any threat point: every outcome but those some earlier
/// outcome is at least as good as on both tables. Such an outcome is
/// acceptable whenever it is, and its product is never larger (rounding is
/// monotone), so the scan, which keeps the first of equal products, never
/// picks it: scanning the candidates alone gives the same bits.
/// None for spaces past [`NASH_CANDIDATES_UP_TO`] outcomes, where finding
/// them (quadratic in the worst case) would cost more than it saves.
pub fn nash_candidates(own: &[f64], other: &[f64]) -> Option<Vec<u32>> {
    if own.len() > NASH_CANDIDATES_UP_TO {
        return None;
    }
    let mut kept: Vec<u32> = Vec::new();
    for w in 0..own.len() {
        let (x, y) = (own[w], other[w]);
        // An outcome dropped was covered by a kept one, which covers what it covers.
        if !kept.iter().any(|&i| own[i as usize] >= x && other[i as usize] >= y) {
            kept.push(w as u32);
        }
    }
    Some(kept)
}

/// The largest outcome space whose Nash candidates are worked out.
pub const NASH_CANDIDATES_UP_TO: usize = 4096;

#[cfg(test)]
mod tests {
    use super::*;

    /// The Nash bargain as the ladders' rule scans for it, over `ws`.
    fn bargain(ws: impl Iterator<Item = usize>, own: &[f64], other: &[f64], d: (f64, f64)) -> Option<(usize, f64)> {
        let mut best: Option<(f64, usize)> = None;
        for w in ws {
            let (x, y) = (own[w], other[w]);
            if x < d.0 || y < d.1 {
                continue;
            }
            let product = (x - d.0) * (y - d.1);
            if best.is_none_or(|(b, _)| product > b) {
                best = Some((product, w));
            }
        }
        best.map(|(_, w)| (w, own[w]))
    }

    /// Scanning the candidates alone finds the outcome the full scan finds,
    /// at every threat point, on tables with ties and repeated values.
    #[test]
    fn the_candidates_hold_every_bargain_the_full_scan_finds() {
        let mut state = 7u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 33) % 9) as f64 / 8.0
        };
        for _ in 0..200 {
            let own: Vec<f64> = (0..40).map(|_| next()).collect();
            let other: Vec<f64> = (0..40).map(|_| next()).collect();
            let candidates = nash_candidates(&own, &other).unwrap();
            assert!(candidates.len() < own.len(), "ties and dominated outcomes are left out");
            for _ in 0..20 {
                let d = (next() - 0.1, next() - 0.1);
                let all = bargain(0..own.len(), &own, &other, d);
                let some = bargain(candidates.iter().map(|&w| w as usize), &own, &other, d);
                assert_eq!(all, some, "threat point {d:?}");
            }
        }
    }
}
