//! The negotiation itself: per-run setup, the alternating-offers protocol and
//! the strategies. No I/O and no printing happen here; what a run did is
//! reported through an [`Observer`], which the Monte Carlo leaves empty and
//! `brink trace` fills into a [`Transcript`].

mod offer;
mod protocol;
mod session;
mod setup;
pub mod strategy;
mod transcript;

pub use protocol::{End, Ending, NoObserver, Observer, Proposal, Response, Verdict, VerdictBasis, negotiate};
pub use session::{Awaiting, Hint, Move, MoveError, Session};
pub use setup::{AcceptRule, RunSetup, Side};
pub use transcript::{Event, Transcript};

use crate::rng::{RunRng, run_rng};

/// Plays run `run` of seed `seed` from scratch: draws the numbers, then
/// negotiates. `setup` is a reusable workspace.
pub fn play<O: Observer>(
    model: &crate::model::Model,
    setup: &mut RunSetup,
    seed: u64,
    run: u64,
    observer: &mut O,
) -> Ending {
    let mut rng = run_rng(seed, run);
    setup.prepare(model, &mut rng);
    negotiate(model, setup, &mut rng, observer)
}
