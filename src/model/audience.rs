//! Audience costs (docs/model.md §11; Fearon 1994): an actor that has made a
//! public demand pays a domestic cost if it agrees to less. The cost is
//! written into the actor's utility of every deal below its public demand
//! (`fill_utilities`), so every strategy, payoff and analysis sees it, and
//! the protocol needs no change; fighting is not backing down.

use super::{ActorIdx, Model, ParamId};

/// An actor's audience costs (`actors.<id>.audience_costs`).
#[derive(Debug, Clone)]
pub struct AudienceCosts {
    /// The cost of agreeing to a deal below the public demand (0 without one).
    pub backing_down: ParamId,
    /// The public demand, one level per issue it names (empty: none).
    pub demand: Vec<PublicDemand>,
    /// The cost of each step down the actor's escalation ladder, paid once
    /// when it steps down (0 unless given).
    pub step_down: ParamId,
}

/// The public demand on one issue: a deal whose option there the actor
/// values less than this level is below it.
#[derive(Debug, Clone)]
pub struct PublicDemand {
    pub issue: usize,
    /// The level as the scenario writes it (for display).
    pub at: String,
    /// Per option of the issue: whether it lies below the demand.
    pub below: Vec<bool>,
}

impl AudienceCosts {
    /// Whether a deal choosing `options[i]` on each issue i is below the demand.
    #[inline]
    pub fn backs_down(&self, option_of: impl Fn(usize) -> u32) -> bool {
        self.demand.iter().any(|d| d.below[option_of(d.issue) as usize])
    }
}

impl Model {
    /// Whether agreeing to outcome `w` backs actor `a` down from its public demand.
    pub fn backs_down(&self, a: ActorIdx, w: u32) -> bool {
        self.actors[a].audience.as_ref().is_some_and(|c| c.backs_down(|i| self.option_of(w, i)))
    }

    /// "nato = ban, sanctions = relief": actor a's public demand, for display.
    pub fn describe_demand(&self, a: ActorIdx) -> Option<String> {
        let costs = self.actors[a].audience.as_ref().filter(|c| !c.demand.is_empty())?;
        let parts: Vec<String> =
            costs.demand.iter().map(|d| format!("{} = {}", self.issues[d.issue].id, d.at)).collect();
        Some(parts.join(", "))
    }
}
