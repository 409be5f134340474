//! Grudger (Friedman's strategy, grim trigger): cooperates until the
//! opponent defects once, then defects for ever.

use super::super::{Action, RepeatedStrategy, View};
use crate::rng::RunRng;

#[derive(Debug)]
pub struct Grudger;

impl RepeatedStrategy for Grudger {
    fn play(&self, view: &View<'_>, _: &mut RunRng) -> Action {
        if view.opponent_defections > 0 { Action::D } else { Action::C }
    }
}
