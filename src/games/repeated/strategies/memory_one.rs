//! A memory-one strategy given by its four probabilities of cooperating
//! after each outcome of the last turn, seen from its own side:
//! (p_CC, p_CD, p_DC, p_DD), where "CD" means it cooperated and the opponent
//! defected. Its first move is given (cooperate by default, as Axelrod's
//! `MemoryOnePlayer`). This covers zero-determinant strategies (Press and
//! Dyson 2012), e.g. Extort-2 = (8/9, 1/2, 1/3, 0).

use super::super::{Action, RepeatedStrategy, View, choose};
use crate::rng::RunRng;

#[derive(Debug)]
pub struct MemoryOne {
    /// Probabilities of cooperating after CC, CD, DC, DD.
    pub probabilities: [f64; 4],
    pub first: Action,
}

impl RepeatedStrategy for MemoryOne {
    fn play(&self, view: &View<'_>, rng: &mut RunRng) -> Action {
        match (view.own_last(), view.opponent_last()) {
            (Some(own), Some(opp)) => choose(self.probabilities[own as usize * 2 + opp as usize], rng),
            _ => self.first,
        }
    }

    fn is_stochastic(&self) -> bool {
        self.probabilities.iter().any(|&p| p > 0.0 && p < 1.0)
    }
}
