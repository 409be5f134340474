//! Random (Axelrod's first tournament; "Lunatic"): cooperates with
//! probability `p` every turn, 0.5 by default, whatever happened before.

use super::super::{Action, RepeatedStrategy, View, choose};
use crate::rng::RunRng;

#[derive(Debug)]
pub struct Random {
    /// The probability of cooperating.
    pub p: f64,
}

impl RepeatedStrategy for Random {
    fn play(&self, _: &View<'_>, rng: &mut RunRng) -> Action {
        choose(self.p, rng)
    }

    fn is_stochastic(&self) -> bool {
        self.p > 0.0 && self.p < 1.0
    }
}
