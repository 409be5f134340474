//! Alternator: cooperates first, then plays the opposite of its own last
//! move: C, D, C, D, …

use super::super::{Action, RepeatedStrategy, View};
use crate::rng::RunRng;

#[derive(Debug)]
pub struct Alternator;

impl RepeatedStrategy for Alternator {
    fn play(&self, view: &View<'_>, _: &mut RunRng) -> Action {
        match view.own_last() {
            None => Action::C,
            Some(last) => last.flip(),
        }
    }
}
