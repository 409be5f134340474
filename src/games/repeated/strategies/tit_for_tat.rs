//! Tit For Tat (Rapoport; the winner of Axelrod's first tournament):
//! cooperates first, then repeats the opponent's last move.

use super::super::{Action, RepeatedStrategy, View};
use crate::rng::RunRng;

#[derive(Debug)]
pub struct TitForTat;

impl RepeatedStrategy for TitForTat {
    fn play(&self, view: &View<'_>, _: &mut RunRng) -> Action {
        view.opponent_last().unwrap_or(Action::C)
    }
}
