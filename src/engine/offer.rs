//! Choosing an offer that meets a target: the trade-off offer (docs/model.md §5),
//! against the known or a learnt model of the opponent, or blind (no model).

use std::cell::Cell;

use rand::prelude::*;

use crate::rng::PurposeRng;

/// Two utilities closer than this are treated as tied.
const TIE: f64 = 1e-12;

/// Of the outcomes worth at least `target` to oneself, the one best for the
/// opponent as modelled: it gives away what one values least. Ties on the
/// opponent's utility go to the outcome better for oneself; remaining ties
/// are broken uniformly by the run's stream (reservoir sampling, so no list
/// of ties is ever built).
///
/// The caller guarantees `target <= max(own)`, so some outcome qualifies.
#[inline]
pub fn trade_off(own: &[f64], opponent: &[f64], target: f64, rng: &mut PurposeRng) -> u32 {
    trade_off_within(own, opponent.iter().copied(), target, |_| true, rng)
}

/// The trade-off offer against a learnt model of the opponent (its
/// estimates live in `Cell`s: the protocol updates them between turns).
pub fn trade_off_learnt(own: &[f64], learnt: &[Cell<f64>], target: f64, rng: &mut PurposeRng) -> u32 {
    trade_off_within(own, learnt.iter().map(Cell::get), target, |_| true, rng)
}

/// The offer of an actor with no model of the opponent: of the outcomes
/// worth at least `target` to oneself, the one closest to it (the least
/// good for oneself); ties broken uniformly by the run's stream, without
/// regard to the opponent.
pub fn blind(own: &[f64], target: f64, rng: &mut PurposeRng) -> u32 {
    blind_within(own, target, |_| true, rng)
}

/// [`blind`] among the outcomes `allowed` lets through.
#[inline]
pub fn blind_within(own: &[f64], target: f64, allowed: impl Fn(usize) -> bool, rng: &mut PurposeRng) -> u32 {
    let floor = target - TIE;
    let mut best = 0u32;
    let mut best_own = f64::INFINITY;
    let mut ties = 0u32;
    for (w, &mine) in own.iter().enumerate() {
        if mine < floor || !allowed(w) {
            continue;
        }
        if mine < best_own - TIE {
            best = w as u32;
            best_own = mine;
            ties = 1;
        } else if mine < best_own + TIE {
            ties += 1;
            if rng.random_range(0..ties) == 0 {
                best = w as u32;
            }
        }
    }
    best
}

/// The trade-off offer among the outcomes `allowed` lets through (the
/// caller guarantees that one of them meets `target`).
#[inline]
pub fn trade_off_within(
    own: &[f64],
    opponent: impl Iterator<Item = f64>,
    target: f64,
    allowed: impl Fn(usize) -> bool,
    rng: &mut PurposeRng,
) -> u32 {
    let floor = target - TIE;
    let mut best = 0u32;
    let mut best_opp = f64::NEG_INFINITY;
    let mut best_own = f64::NEG_INFINITY;
    let mut ties = 0u32;
    for (w, (&mine, theirs)) in own.iter().zip(opponent).enumerate() {
        if mine < floor || !allowed(w) {
            continue;
        }
        let better = theirs > best_opp + TIE || (theirs > best_opp - TIE && mine > best_own + TIE);
        if better {
            best = w as u32;
            best_opp = theirs;
            best_own = mine;
            ties = 1;
        } else if theirs > best_opp - TIE && mine > best_own - TIE {
            ties += 1;
            if rng.random_range(0..ties) == 0 {
                best = w as u32;
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, RunKey};

    #[test]
    fn picks_the_opponents_favourite_among_acceptable_outcomes() {
        let own = [1.0, 0.8, 0.6, 0.2];
        let opp = [0.0, 0.3, 0.9, 1.0];
        let mut rng = RunKey::new(0, 0).stream(Purpose::named("test"));
        assert_eq!(trade_off(&own, &opp, 0.7, &mut rng), 1);
        assert_eq!(trade_off(&own, &opp, 0.5, &mut rng), 2);
        assert_eq!(trade_off(&own, &opp, 1.0, &mut rng), 0);
    }

    #[test]
    fn exact_ties_prefer_own_utility_then_spread_evenly() {
        let own = [0.9, 0.7, 0.7, 0.7];
        let opp = [0.5, 0.5, 0.5, 0.5];
        let mut rng = RunKey::new(0, 0).stream(Purpose::named("test"));
        assert_eq!(trade_off(&own, &opp, 0.6, &mut rng), 0);
        let own = [0.7, 0.7, 0.7, 0.7];
        let mut counts = [0; 4];
        for _ in 0..4000 {
            counts[trade_off(&own, &opp, 0.6, &mut rng) as usize] += 1;
        }
        assert!(counts.iter().all(|&c| c > 800), "{counts:?}");
    }

    #[test]
    fn the_learnt_model_is_used_like_the_known_one() {
        let own = [1.0, 0.8, 0.6, 0.2];
        let learnt = [0.0, 0.3, 0.9, 1.0].map(Cell::new);
        let mut rng = RunKey::new(0, 0).stream(Purpose::named("test"));
        assert_eq!(trade_off_learnt(&own, &learnt, 0.5, &mut rng), 2);
        assert_eq!(trade_off_learnt(&own, &learnt, 0.7, &mut rng), 1);
    }

    #[test]
    fn without_a_model_the_offer_closest_to_the_target_ties_spread_evenly() {
        let own = [1.0, 0.8, 0.6, 0.2];
        let mut rng = RunKey::new(0, 0).stream(Purpose::named("test"));
        assert_eq!(blind(&own, 0.7, &mut rng), 1);
        assert_eq!(blind(&own, 0.5, &mut rng), 2);
        assert_eq!(blind(&own, 1.0, &mut rng), 0);
        let own = [0.9, 0.7, 0.7, 0.7, 0.5];
        let mut counts = [0; 5];
        for _ in 0..3000 {
            counts[blind(&own, 0.6, &mut rng) as usize] += 1;
        }
        assert_eq!((counts[0], counts[4]), (0, 0));
        assert!(counts[1..4].iter().all(|&c| c > 800), "{counts:?}");
    }
}
