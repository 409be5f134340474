//! Relative tit-for-tat (Faratin et al. 1998, behaviour-dependent tactics):
//! concede, in one's own utility, the same share of one's range that the
//! opponent conceded of its range (as modelled) in its last move.
//!
//! It opens at its best outcome and does not move until it has seen two
//! offers, so it never concedes first; against a hardliner it stays put.

use super::{Strategy, Turn};

pub struct TitForTat;

impl Strategy for TitForTat {
    fn target(&self, turn: &Turn<'_>) -> f64 {
        let s = turn.side;
        let m = &turn.memory;
        let (Some(last), Some(prev), Some(own)) = (m.last_received, m.previous_received, m.own_last_target) else {
            return s.u_max;
        };
        let range = s.opponent_max - s.opponent_min;
        if range <= 0.0 {
            return own;
        }
        // What the opponent gave up, measured in its own (modelled) utility.
        let conceded = (turn.opponent[prev as usize] - turn.opponent[last as usize]) / range;
        (own - conceded.max(0.0) * (s.u_max - s.u_min)).max(s.u_min)
    }
}
