//! Win-Stay Lose-Shift (Pavlov; Nowak and Sigmund 1993): cooperates first;
//! then cooperates after (C, C) or (D, D) and defects after (C, D) or (D, C).
//! Its memory-one vector is (1, 0, 0, 1).

use super::super::{Action, RepeatedStrategy, View};
use crate::rng::RunRng;

#[derive(Debug)]
pub struct WinStayLoseShift;

impl RepeatedStrategy for WinStayLoseShift {
    fn play(&self, view: &View<'_>, _: &mut RunRng) -> Action {
        match (view.own_last(), view.opponent_last()) {
            (Some(own), Some(opp)) if own != opp => Action::D,
            _ => Action::C,
        }
    }
}
