//! Prober (Li 2011; Axelrod: "Prober"): opens D, C, C. If the opponent
//! cooperated on turns 2 and 3 (its moves after Prober's defection), it
//! exploits it by defecting for ever; otherwise it plays Tit For Tat.

use super::super::{Action, RepeatedStrategy, View};
use crate::rng::RunRng;

#[derive(Debug)]
pub struct Prober;

impl RepeatedStrategy for Prober {
    fn play(&self, view: &View<'_>, _: &mut RunRng) -> Action {
        match view.turn() {
            0 => Action::D,
            1 | 2 => Action::C,
            _ if view.opponent[1..3] == [Action::C, Action::C] => Action::D,
            _ => view.opponent_last().unwrap_or(Action::C),
        }
    }
}
