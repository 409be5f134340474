//! Counterfactual models for cause attribution (docs/model.md §12): the
//! same scenario with one mechanism of failure switched off. A replay of a
//! failed run on such a model keeps every other number and draw of the run
//! (each comes from its own stream, by purpose), so if the replay agrees,
//! the mechanism was necessary for that failure.

use super::{Ladder, Model, ParamId};

/// A mechanism by which talks can fail, by the name summary.json, runs.csv,
/// the trace and the report use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mechanism {
    /// Shifting power: switched off, every deal binds fully.
    PowerShift,
    /// Red lines: switched off, removed.
    RedLines,
    /// Audience costs: switched off, 0.
    AudienceCosts,
    /// Private information: switched off, both sides see each other's draws.
    PrivateInformation,
    /// Perceived reservation values and believed odds: switched off, the true ones.
    Misperception,
    /// The exogenous breakdown hazard: switched off, 0.
    Hazard,
    /// Escalation ladders: switched off, none.
    Ladders,
}

impl Mechanism {
    pub const ALL: [Mechanism; 7] = [
        Mechanism::PowerShift,
        Mechanism::RedLines,
        Mechanism::AudienceCosts,
        Mechanism::PrivateInformation,
        Mechanism::Misperception,
        Mechanism::Hazard,
        Mechanism::Ladders,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mechanism::PowerShift => "power-shift",
            Mechanism::RedLines => "red-lines",
            Mechanism::AudienceCosts => "audience-costs",
            Mechanism::PrivateInformation => "private-information",
            Mechanism::Misperception => "misperception",
            Mechanism::Hazard => "hazard",
            Mechanism::Ladders => "ladders",
        }
    }

    /// What plots and pages show: words, not a key.
    pub fn title(self) -> &'static str {
        match self {
            Mechanism::PowerShift => "power shift",
            Mechanism::RedLines => "red lines",
            Mechanism::AudienceCosts => "audience costs",
            Mechanism::PrivateInformation => "private information",
            Mechanism::Misperception => "misperception",
            Mechanism::Hazard => "breakdown hazard",
            Mechanism::Ladders => "escalation ladders",
        }
    }
}

impl Model {
    /// Whether the number `id` is not 0, or may not be.
    fn priced(&self, id: ParamId) -> bool {
        self.params.means[id as usize] > 0.0 || self.params.is_uncertain(id)
    }

    /// Whether the scenario uses mechanism `m`: only those can be switched off.
    pub fn uses(&self, m: Mechanism) -> bool {
        match m {
            Mechanism::PowerShift => self.power.is_some(),
            Mechanism::RedLines => self.red_lines.iter().flatten().any(|l| self.priced(l.probability_real)),
            Mechanism::AudienceCosts => self
                .actors
                .iter()
                .any(|a| a.audience.as_ref().is_some_and(|c| self.priced(c.backing_down) || self.priced(c.step_down))),
            Mechanism::PrivateInformation => {
                !self.types_known
                    && (!self.params.uncertain.is_empty()
                        || self.red_lines.iter().flatten().any(|l| {
                            let p = self.params.means[l.probability_real as usize];
                            p > 0.0 && p < 1.0
                        }))
            }
            Mechanism::Misperception => {
                self.actors.iter().any(|a| a.reservation.is_some() || a.believed_odds.is_some())
            }
            Mechanism::Hazard => self.priced(self.hazard),
            Mechanism::Ladders => self.has_ladders(),
        }
    }

    /// The mechanisms the scenario uses, in [`Mechanism::ALL`]'s order.
    pub fn mechanisms_used(&self) -> Vec<Mechanism> {
        Mechanism::ALL.into_iter().filter(|&m| self.uses(m)).collect()
    }

    /// Sets number `id` to `value` for every run: no longer drawn. Every
    /// other number keeps its own stream, so its draws do not move.
    fn fix(&mut self, id: ParamId, value: f64) {
        self.params.means[id as usize] = value;
        self.params.uncertain.retain(|u| u.id != id);
    }

    /// The model with mechanism `m` switched off (the model itself if it
    /// does not use it).
    pub fn without(&self, m: Mechanism) -> Model {
        let mut out = self.clone();
        match m {
            Mechanism::PowerShift => {
                if let Some(enforcement) = self.power.as_ref().map(|p| p.enforcement) {
                    out.fix(enforcement, 1.0);
                }
            }
            Mechanism::RedLines => out.red_lines = [Vec::new(), Vec::new()],
            Mechanism::AudienceCosts => out.actors.iter_mut().for_each(|a| a.audience = None),
            Mechanism::PrivateInformation => out.types_known = true,
            Mechanism::Misperception => out.actors.iter_mut().for_each(|a| {
                a.reservation = None;
                a.believed_odds = None;
            }),
            Mechanism::Hazard => out.fix(self.hazard, 0.0),
            Mechanism::Ladders => out.ladders = [Ladder::default(), Ladder::default()],
        }
        out.derive_tables();
        out
    }
}
