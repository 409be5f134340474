//! Repeated games: a 2×2 stage game played turn after turn by strategies
//! that remember the past, as in Axelrod's tournaments of the iterated
//! prisoner's dilemma.
//!
//! Strategies live one file each in [`strategies`], behind the
//! [`RepeatedStrategy`] trait, and are built from their names by the
//! [`registry`]. [`play_match`] plays one match (fixed turns or a
//! continuation probability, with noise); [`round_robin`] plays every pair
//! of entrants, with self-play, over many repetitions, and scores them the
//! way Axelrod's library does.
//!
//! The first strategy of the stage game is "cooperate" (C) and the second
//! "defect" (D), for both players.

pub mod registry;
pub mod round_robin;
mod stage;
pub mod strategies;

pub use registry::{EntrantSpec, SpecError, build, canonical_names};
pub use round_robin::{MatchConfig, RoundRobin, RoundRobinConfig, play_match, round_robin, round_robin_until};
pub use stage::{StageGame, StageGameError};

use crate::rng::RunRng;

/// A move in the stage game: the first strategy (cooperate) or the second
/// (defect).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Action {
    C = 0,
    D = 1,
}

impl Action {
    pub fn flip(self) -> Action {
        match self {
            Action::C => Action::D,
            Action::D => Action::C,
        }
    }

    pub fn letter(self) -> char {
        match self {
            Action::C => 'C',
            Action::D => 'D',
        }
    }
}

/// What a strategy sees before its move: both histories so far (as played,
/// after any noise) and running counts, so that no strategy needs to scan.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    pub own: &'a [Action],
    pub opponent: &'a [Action],
    /// Defections in `opponent`.
    pub opponent_defections: u32,
}

impl View<'_> {
    /// The turn about to be played, from 0.
    pub fn turn(&self) -> usize {
        self.own.len()
    }

    pub fn opponent_last(&self) -> Option<Action> {
        self.opponent.last().copied()
    }

    pub fn own_last(&self) -> Option<Action> {
        self.own.last().copied()
    }
}

/// A strategy of the repeated game. Stateless: everything it remembers is in
/// the [`View`], so one object serves every match and thread.
pub trait RepeatedStrategy: Send + Sync + std::fmt::Debug {
    /// The move for the turn `view.turn()`. Randomness comes only from `rng`.
    fn play(&self, view: &View<'_>, rng: &mut RunRng) -> Action;

    /// Whether the strategy ever draws a random number.
    fn is_stochastic(&self) -> bool {
        false
    }
}

/// Cooperates with probability `p`, drawing a number only when `p` is
/// strictly between 0 and 1 (as Axelrod's `random_choice` does).
pub fn choose(p: f64, rng: &mut RunRng) -> Action {
    use rand::prelude::*;
    // No draw at 0 or 1, so deterministic uses consume no randomness.
    let cooperate = p >= 1.0 || (p > 0.0 && rng.random::<f64>() < p);
    if cooperate { Action::C } else { Action::D }
}
