//! Defector: always defects (Axelrod: "Defector", ALLD).

use super::super::{Action, RepeatedStrategy, View};
use crate::rng::RunRng;

#[derive(Debug)]
pub struct Defector;

impl RepeatedStrategy for Defector {
    fn play(&self, _: &View<'_>, _: &mut RunRng) -> Action {
        Action::D
    }
}
