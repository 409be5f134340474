//! The random baseline: any outcome at least worth the reservation value,
//! uniformly. Students compare the other strategies against it.

use rand::prelude::*;

use super::{PurposeRng, Strategy, Turn};

pub struct RandomOffers;

impl Strategy for RandomOffers {
    fn explains_offer(&self) -> &'static str {
        "a random offer worth at least its reservation value"
    }

    fn target(&self, turn: &Turn<'_>) -> f64 {
        turn.side.u_min
    }

    fn propose(&self, turn: &Turn<'_>, target: f64, rng: &mut PurposeRng) -> u32 {
        // Two passes (count, then pick the k-th) keep this allocation-free.
        let eligible = turn.own.iter().filter(|&&u| u >= target).count();
        if eligible == 0 {
            return super::trade_off(turn.own, turn.opponent, turn.side.u_max, rng);
        }
        let k = rng.random_range(0..eligible);
        turn.own.iter().enumerate().filter(|&(_, &u)| u >= target).nth(k).map_or(0, |(w, _)| w as u32)
    }
}
