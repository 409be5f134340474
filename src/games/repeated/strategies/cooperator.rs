//! Cooperator: always cooperates (Axelrod: "Cooperator", ALLC).

use super::super::{Action, RepeatedStrategy, View};
use crate::rng::RunRng;

#[derive(Debug)]
pub struct Cooperator;

impl RepeatedStrategy for Cooperator {
    fn play(&self, _: &View<'_>, _: &mut RunRng) -> Action {
        Action::C
    }
}
