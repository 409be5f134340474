//! Tit For Two Tats (John Maynard Smith; Axelrod: "Tit For 2 Tats"):
//! defects only when the opponent's last two moves were both defections, so
//! it cooperates on the first two turns.

use super::super::{Action, RepeatedStrategy, View};
use crate::rng::RunRng;

#[derive(Debug)]
pub struct TitForTwoTats;

impl RepeatedStrategy for TitForTwoTats {
    fn play(&self, view: &View<'_>, _: &mut RunRng) -> Action {
        match view.opponent {
            [.., Action::D, Action::D] => Action::D,
            _ => Action::C,
        }
    }
}
