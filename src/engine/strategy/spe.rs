//! Rubinstein's (1982) subgame-perfect strategy for dividing a pie.
//!
//! As proposer, an actor keeps `x* = (1 - d_o) / (1 - d_s d_o)` (d_s its own
//! discount factor, d_o the opponent's as it believes it) and offers the
//! opponent the rest, rounded up to the grid; as responder it accepts any
//! share of at least `d_s (1 - d_o) / (1 - d_s d_o)`, what it would get by
//! waiting to propose. With common knowledge the game ends at round 0.
//! Validation admits it only where the theorem applies.

use super::{PurposeRng, Strategy, Turn};
use crate::engine::{Verdict, VerdictBasis};

pub struct SubgamePerfect;

/// Slack for float noise in shares that are exact on paper.
const EPS: f64 = 1e-9;

fn proposer_share(own: f64, opp: f64) -> f64 {
    (1.0 - opp) / (1.0 - own * opp)
}

impl Strategy for SubgamePerfect {
    fn explains_offer(&self) -> &'static str {
        "its equilibrium share x*, leaving the other side exactly what it would get by waiting"
    }

    fn target(&self, turn: &Turn<'_>) -> f64 {
        proposer_share(turn.side.discount, turn.side.opponent_discount)
    }

    fn propose(&self, turn: &Turn<'_>, target: f64, _rng: &mut PurposeRng) -> u32 {
        // The best outcome for oneself among those leaving the opponent at
        // least its equilibrium share.
        let opponent_share = 1.0 - target;
        let mut best = None::<(f64, u32)>;
        for (w, (&mine, &theirs)) in turn.own.iter().zip(turn.opponent).enumerate() {
            if theirs + EPS >= opponent_share && best.is_none_or(|(b, _)| mine > b) {
                best = Some((mine, w as u32));
            }
        }
        best.map_or(0, |(_, w)| w)
    }

    fn accepts(&self, turn: &Turn<'_>, offered: f64, _next: Option<f64>) -> Verdict {
        let s = turn.side;
        let share = 1.0 - proposer_share(s.opponent_discount, s.discount);
        Verdict { accept: offered + EPS >= share, threshold: share, basis: VerdictBasis::Equilibrium }
    }
}
