//! The hardliner: never concedes; its target stays at its best outcome.

use super::{Strategy, Turn};

pub struct Hardliner;

impl Strategy for Hardliner {
    fn target(&self, turn: &Turn<'_>) -> f64 {
        turn.side.u_max
    }
}
