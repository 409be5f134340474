//! Suspicious Tit For Tat (Axelrod: "Suspicious Tit For Tat", also
//! "Mistrust"): defects first, then repeats the opponent's last move.

use super::super::{Action, RepeatedStrategy, View};
use crate::rng::RunRng;

#[derive(Debug)]
pub struct SuspiciousTitForTat;

impl RepeatedStrategy for SuspiciousTitForTat {
    fn play(&self, view: &View<'_>, _: &mut RunRng) -> Action {
        view.opponent_last().unwrap_or(Action::D)
    }
}
