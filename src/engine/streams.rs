//! The random streams of one negotiation, one per purpose (docs/model.md,
//! reproducibility): each uncertain number by its TOML path, each actor's
//! tie-breaks and each reasoning actor's belief by the actor's id, the
//! breakdown draw of round t by t, the conflict lottery by its name. A
//! stream depends on (seed, run, purpose) alone, so a change to one purpose
//! (one more uncertain number, actors written in another order, a strategy
//! that breaks more ties) moves no other purpose's draws.
//!
//! Anything added later draws from a new named purpose, never from a
//! position in a shared stream.

use rand::RngExt;

use crate::model::{ActorIdx, Model};
use crate::rng::{Purpose, PurposeRng, RunKey};

/// Tie-breaks among equally good offers; narrowed by the actor's id.
const TIE_BREAK: Purpose = Purpose::named("tie-break");
/// The breakdown draw after a rejection; one per round.
const BREAKDOWN: Purpose = Purpose::named("breakdown");
/// The conflict lottery's draw when the talks fail.
const LOTTERY: Purpose = Purpose::named("conflict-lottery");
/// A reasoning actor's sampled opponent types; narrowed by the actor's id,
/// then by the type's index, then by the sampled number's path.
pub const BELIEF: Purpose = Purpose::named("belief");

/// The purpose of actor `a`'s own streams (its id: the key of its table).
pub fn actor_purpose(model: &Model, a: ActorIdx) -> Purpose {
    Purpose::named(&model.actors[a].id)
}

/// The streams a negotiation draws from as it is played.
#[derive(Debug, Clone)]
pub struct Streams {
    key: RunKey,
    tie_breaks: [PurposeRng; 2],
}

impl Streams {
    pub fn new(model: &Model, key: RunKey) -> Self {
        Streams { key, tie_breaks: [0, 1].map(|a| key.stream(TIE_BREAK.with(actor_purpose(model, a)))) }
    }

    /// Actor `a`'s tie-breaks: one stream for the run, drawn in the order
    /// the actor meets ties.
    #[inline]
    pub fn tie_break(&mut self, a: ActorIdx) -> &mut PurposeRng {
        &mut self.tie_breaks[a]
    }

    /// The uniform draw that decides whether the talks break down after a
    /// rejection at round `t`.
    #[inline]
    pub fn breakdown(&self, t: u32) -> f64 {
        self.key.stream(BREAKDOWN.at(u64::from(t))).random()
    }

    /// The uniform draw that picks the conflict lottery's outcome.
    #[inline]
    pub fn lottery(&self) -> f64 {
        self.key.stream(LOTTERY).random()
    }
}
