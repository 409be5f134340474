//! The negotiation itself: per-run setup, the alternating-offers protocol and
//! the strategies. No I/O and no printing happen here; what a run did is
//! reported through an [`Observer`], which the Monte Carlo leaves empty and
//! `brink trace` fills into a [`Transcript`].

mod frequency;
mod ladder;
mod mind;
pub mod moves;
mod offer;
mod protocol;
mod session;
mod setup;
pub mod strategy;
mod streams;
mod transcript;

pub use frequency::{FrequencyModel, LEARNING_RATE, VALUE_INCREMENT};
pub use ladder::{LadderMove, LadderNumbers, LadderReason, LadderState, Valuation};
pub use mind::{Belief, KnownType, Mind, Plan, Point, SAMPLES, TYPES};
pub use protocol::{
    End, Ending, LadderEnd, NoObserver, Observer, OfferReasoning, Proposal, Response, Verdict, VerdictBasis,
    expected_payoff, negotiate,
};
pub use session::{Awaiting, Hint, LadderChoice, Move, MoveError, Session};
pub use setup::{AcceptRule, RunSetup, Side, WalkRule, red_lines_real};
pub use streams::Streams;
pub use transcript::{Event, Transcript};

use crate::rng::{PurposeRng, RunKey};

/// Plays run `run` of seed `seed` from scratch: draws the numbers, then
/// negotiates. `setup` is a reusable workspace. Every draw comes from a
/// stream of (seed, run, purpose) ([`Streams`]).
pub fn play<O: Observer>(
    model: &crate::model::Model,
    setup: &mut RunSetup,
    seed: u64,
    run: u64,
    observer: &mut O,
) -> Ending {
    let key = RunKey::new(seed, run);
    // An observer that does not read the offers, in a run whose red lines
    // leave no deal: only the ladders, the hazard and the deadline decide
    // how it ends, and the offers are not worked out.
    let quiet = !observer.reads_offers() && protocol::plays_without_offers(model);
    if setup.prepare_unless_deadlocked(model, key, &[], quiet) {
        return protocol::quiet_talks(model, setup, key, observer);
    }
    negotiate(model, setup, key, observer)
}

/// Plays run `key` with some uncertain numbers fixed (parameter id,
/// value): the other numbers and every other draw are those of the run.
/// Used by sensitivity analysis, which chooses the numbers itself and needs
/// the rest of the run's randomness unchanged.
pub fn play_fixed(model: &crate::model::Model, setup: &mut RunSetup, key: RunKey, fixed: &[(u32, f64)]) -> Ending {
    setup.prepare_fixed(model, key, fixed);
    negotiate(model, setup, key, &mut NoObserver)
}
