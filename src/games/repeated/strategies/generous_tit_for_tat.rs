//! Generous Tit For Tat (Nowak and Sigmund 1992; Axelrod: "GTFT"): like Tit
//! For Tat, but forgives a defection with probability `p`. Its memory-one
//! vector is (1, p, 1, p), first move C. By default `p` is computed from the
//! stage game as Axelrod does: p = min(1 − (T − R)/(R − S), (R − P)/(T − P)),
//! which is 1/3 for the standard payoffs (R, S, T, P) = (3, 0, 5, 1).

use super::super::{Action, RepeatedStrategy, View, choose};
use crate::rng::RunRng;

#[derive(Debug)]
pub struct GenerousTitForTat {
    /// The probability of cooperating after the opponent defected.
    pub p: f64,
}

impl GenerousTitForTat {
    /// Axelrod's default generosity for payoffs R, P, S, T.
    pub fn default_p(r: f64, p: f64, s: f64, t: f64) -> f64 {
        (1.0 - (t - r) / (r - s)).min((r - p) / (t - p))
    }
}

impl RepeatedStrategy for GenerousTitForTat {
    fn play(&self, view: &View<'_>, rng: &mut RunRng) -> Action {
        match view.opponent_last() {
            None | Some(Action::C) => Action::C,
            Some(Action::D) => choose(self.p, rng),
        }
    }

    fn is_stochastic(&self) -> bool {
        self.p > 0.0 && self.p < 1.0
    }
}
