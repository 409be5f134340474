//! Each run's expected payoffs (the conflict lottery at its expectation, see
//! [`engine::expected_payoff`]), for ranking a player among simulated talks
//! without the lottery's luck.

use std::ops::Range;

use rayon::prelude::*;

use super::CHUNK;
use crate::engine::{self, NoObserver, RunSetup};
use crate::model::Model;

/// Each actor's expected payoffs over runs `runs` of seed `seed`, sorted
/// ascending. The same numbers whatever the thread count: each run is played
/// from its own stream, and the lists are sorted.
pub fn expected_payoffs(model: &Model, seed: u64, runs: Range<u64>) -> [Vec<f64>; 2] {
    let first = runs.start / CHUNK;
    let last = runs.end.div_ceil(CHUNK);
    let chunks: Vec<Vec<[f64; 2]>> = (first..last)
        .into_par_iter()
        .map(|c| {
            let mut setup = RunSetup::new(model);
            let range = (c * CHUNK).max(runs.start)..((c + 1) * CHUNK).min(runs.end);
            range
                .map(|run| {
                    let ending = engine::play(model, &mut setup, seed, run, &mut NoObserver);
                    engine::expected_payoff(model, &setup, &ending)
                })
                .collect()
        })
        .collect();
    let mut out = [Vec::new(), Vec::new()];
    for (a, list) in out.iter_mut().enumerate() {
        *list = chunks.iter().flatten().map(|x| x[a]).collect();
        list.sort_by(f64::total_cmp);
    }
    out
}

/// The share of `sorted` below `x`, ties counting half; `None` when empty.
pub fn share_below(sorted: &[f64], x: f64) -> Option<f64> {
    if sorted.is_empty() || !x.is_finite() {
        return None;
    }
    let below = sorted.partition_point(|&y| y < x);
    let not_above = sorted.partition_point(|&y| y <= x);
    Some((below as f64 + 0.5 * (not_above - below) as f64) / sorted.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_count_half_and_the_list_is_sorted() {
        assert_eq!(share_below(&[0.1, 0.2, 0.2, 0.3], 0.2), Some(0.5));
        assert_eq!(share_below(&[0.1, 0.2], 0.05), Some(0.0));
        assert_eq!(share_below(&[], 0.5), None);
        let text = crate::scenario::find_builtin("rubinstein").unwrap().text;
        let m = crate::scenario::load_bytes("r.toml", text.as_bytes()).map_err(|e| e.to_string()).unwrap().1;
        let [a, b] = expected_payoffs(&m, 0, 0..50);
        assert_eq!((a.len(), b.len()), (50, 50));
        assert!(a.windows(2).all(|w| w[0] <= w[1]));
    }
}
