//! Why a run failed (docs/model.md §12): a failed run is replayed, with the
//! same seed and run index, on the model with one mechanism switched off
//! at a time; a mechanism is *necessary* for the failure when the replay
//! without it ends in agreement. Agreements are never replayed.

use crate::engine::{self, End, Ending, NoObserver, RunSetup};
use crate::model::{Mechanism, Model};

/// The mechanisms necessary for one failure, as a set (bit i: `Mechanism::ALL[i]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Causes(pub u8);

impl Causes {
    pub fn contains(self, m: Mechanism) -> bool {
        self.0 & bit(m) != 0
    }

    /// No single mechanism was necessary.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The necessary mechanisms, in [`Mechanism::ALL`]'s order.
    pub fn iter(self) -> impl Iterator<Item = Mechanism> {
        Mechanism::ALL.into_iter().filter(move |&m| self.contains(m))
    }
}

fn bit(m: Mechanism) -> u8 {
    1 << Mechanism::ALL.iter().position(|&x| x == m).expect("every mechanism is in ALL")
}

/// The counterfactual models of one scenario, with a workspace for each:
/// built once, then used for every failed run (one per thread).
pub struct Replays {
    arms: Vec<(Mechanism, Model, RunSetup)>,
}

impl Replays {
    /// One counterfactual per mechanism the scenario uses.
    pub fn new(model: &Model) -> Self {
        let arms = model
            .mechanisms_used()
            .into_iter()
            .map(|m| {
                let without = model.without(m);
                let setup = RunSetup::new(&without);
                (m, without, setup)
            })
            .collect();
        Replays { arms }
    }

    /// The mechanisms the replays can switch off.
    pub fn mechanisms(&self) -> impl Iterator<Item = Mechanism> + '_ {
        self.arms.iter().map(|(m, _, _)| *m)
    }

    /// Each counterfactual's ending of run `run` of seed `seed`, in the
    /// order of [`Mechanism::ALL`] (for `brink trace`).
    pub fn replay_all(&mut self, seed: u64, run: u64) -> Vec<(Mechanism, Ending)> {
        self.arms
            .iter_mut()
            .map(|(m, model, setup)| (*m, engine::play(model, setup, seed, run, &mut NoObserver)))
            .collect()
    }

    /// Why run `run` of seed `seed`, which ended as `ending`, failed: the
    /// mechanisms without which it agrees. Empty for an agreement.
    pub fn causes(&mut self, seed: u64, run: u64, ending: &Ending) -> Causes {
        if ending.end == End::Agreement {
            return Causes::default();
        }
        let mut out = Causes::default();
        for (m, model, setup) in &mut self.arms {
            if engine::play(model, setup, seed, run, &mut NoObserver).end == End::Agreement {
                out.0 |= bit(*m);
            }
        }
        out
    }
}
