//! Negotiation strategies (docs/model.md §5), one file each behind one trait.
//!
//! A strategy is stateless: what it remembers of the talks lives in the
//! engine's [`Memory`], and its numbers (beta, thresholds) in the run's
//! [`Side`]. That lets one static strategy object serve every run and thread.
//!
//! Adding a strategy: write one file implementing [`Strategy`], add its
//! variant to `StrategyConfig` (and its name to the scenario reader), and one
//! line to [`lookup`].

mod hardliner;
mod random;
mod reasoning;
mod spe;
mod time;
mod tit_for_tat;

use std::cell::Cell;

use super::offer::{blind, blind_within, trade_off, trade_off_learnt, trade_off_within};
use super::{AcceptRule, Belief, Mind, Proposal, PurposeRng, Side, Verdict, VerdictBasis, WalkRule};
use crate::model::{Actor, OpponentModel, StrategyConfig};

/// What an actor sees at its turn.
pub struct Turn<'a> {
    /// The round being decided (for a proposal: the round it is made at).
    pub round: u32,
    pub rounds: u32,
    /// The actor's own utilities, one per outcome.
    pub own: &'a [f64],
    /// The opponent's utilities at the scenario's means: what the actor is
    /// told about the opponent (tit-for-tat measures concessions with it,
    /// a reasoning actor builds its belief and frontier on it).
    pub opponent: &'a [f64],
    /// What the actor's trade-off offers weigh the opponent's side with.
    pub offers: Offers<'a>,
    pub side: &'a Side,
    pub memory: &'a Memory,
    /// The reasoning workspace (inactive for other strategies).
    pub mind: &'a Mind,
    /// The actor's own real red lines this run: it proposes no outcome
    /// across them, whatever its strategy ([`make_proposal`]).
    pub lines: OwnLines<'a>,
}

/// An actor's own red lines in one run: per outcome, the lines it crosses
/// (`Model::red_line_crossings`, empty without red lines), and which of
/// them are real (bit i: line i).
#[derive(Debug, Clone, Copy, Default)]
pub struct OwnLines<'a> {
    pub crossings: &'a [u8],
    pub real: u8,
}

impl OwnLines<'_> {
    /// Whether outcome `w` crosses one of the real lines.
    #[inline]
    pub fn forbid(&self, w: u32) -> bool {
        self.real != 0 && self.crossings.get(w as usize).is_some_and(|&c| c & self.real != 0)
    }
}

/// The opponent model behind an actor's choice among the outcomes that meet
/// its target (`opponent_model` in the scenario).
#[derive(Debug, Clone, Copy)]
pub enum Offers<'a> {
    /// The opponent's utilities at the means ([`Turn::opponent`]).
    Known,
    /// The frequency model's estimates, learnt from the opponent's offers.
    Learnt(&'a [Cell<f64>]),
    /// No model: the outcome closest to the target, ties at random.
    Blind,
}

impl Turn<'_> {
    /// The outcome an offer worth at least `target` proposes, as the actor's
    /// opponent model chooses it (docs/strategies.md, "Opponent models").
    #[inline]
    pub fn offer_meeting(&self, target: f64, rng: &mut PurposeRng) -> u32 {
        match self.offers {
            Offers::Known => trade_off(self.own, self.opponent, target, rng),
            Offers::Learnt(estimate) => trade_off_learnt(self.own, estimate, target, rng),
            Offers::Blind => blind(self.own, target, rng),
        }
    }

    /// [`Turn::offer_meeting`] among the outcomes that cross none of the
    /// actor's real red lines, with the target lowered to the best of them
    /// if it stands above it.
    fn offer_within_lines(&self, target: f64, rng: &mut PurposeRng) -> (u32, f64) {
        let allowed = |w: usize| !self.lines.forbid(w as u32);
        let best = (0..self.own.len()).filter(|&w| allowed(w)).map(|w| self.own[w]).fold(f64::NEG_INFINITY, f64::max);
        let target = target.min(best);
        let w = match self.offers {
            Offers::Known => trade_off_within(self.own, self.opponent.iter().copied(), target, allowed, rng),
            Offers::Learnt(estimate) => {
                trade_off_within(self.own, estimate.iter().map(Cell::get), target, allowed, rng)
            }
            Offers::Blind => blind_within(self.own, target, allowed, rng),
        };
        (w, target)
    }
}

/// What an actor remembers of the talks so far.
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    /// The opponent's latest offer.
    pub last_received: Option<u32>,
    /// The opponent's offer before that.
    pub previous_received: Option<u32>,
    /// The target behind the actor's own latest offer.
    pub own_last_target: Option<f64>,
    /// A reasoning actor's belief about the opponent (unused by others).
    pub belief: Belief,
}

/// What an actor observes of the other side, for strategies that learn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observation {
    /// The opponent made this offer.
    Offered(u32),
    /// The opponent rejected the actor's offer of this outcome.
    Rejected(u32),
}

impl Memory {
    pub fn received(&mut self, outcome: u32) {
        self.previous_received = self.last_received;
        self.last_received = Some(outcome);
    }
}

/// A negotiation strategy.
pub trait Strategy: Sync {
    /// One sentence for transcripts: how this strategy picks its offer.
    fn explains_offer(&self) -> &'static str {
        "the offer best for the other side among those worth at least that to it"
    }

    /// The target utility for an offer made at `turn.round`.
    fn target(&self, turn: &Turn<'_>) -> f64;

    /// The offer at `turn.round`: by default the target (kept within the
    /// actor's feasible range) and the offer meeting it.
    fn proposal(&self, turn: &Turn<'_>, rng: &mut PurposeRng) -> Proposal {
        let target = self.target(turn).min(turn.side.u_max);
        Proposal { outcome: self.propose(turn, target, rng), target, reasoning: None }
    }

    /// Updates what the actor remembers after an observation; by default
    /// nothing beyond the engine's own memory.
    fn learn(&self, _turn: &Turn<'_>, _seen: Observation, _memory: &mut Memory) {}

    /// Whether the actor walks out rather than answer an offer worth
    /// `offered`. By default, with a floor (for "auto", its perceived
    /// conflict value): when the offer is below it and so is the best
    /// outcome the actor can expect to reach.
    fn walks_out(&self, turn: &Turn<'_>, offered: f64) -> Option<Verdict> {
        let floor = match turn.side.walk_away? {
            WalkRule::Floor(w) => w,
            WalkRule::Auto => turn.side.reservation,
        };
        (offered < floor && turn.side.reachable < floor).then_some(Verdict {
            accept: false,
            threshold: floor,
            basis: VerdictBasis::WalkAway,
        })
    }

    /// The offer meeting `target`. By default the trade-off offer: of the
    /// outcomes worth at least `target` to oneself, the one best for the
    /// opponent as modelled (or, without a model, the one closest to the target).
    fn propose(&self, turn: &Turn<'_>, target: f64, rng: &mut PurposeRng) -> u32 {
        turn.offer_meeting(target, rng)
    }

    /// Whether to accept an offer worth `offered`, given the utility of one's
    /// own next offer (`None` at the last round). By default the actor's
    /// acceptance rule from the scenario.
    fn accepts(&self, turn: &Turn<'_>, offered: f64, next: Option<f64>) -> Verdict {
        acceptance_rule(turn.side, offered, next)
    }
}

/// The strategy object for a configuration: one line per strategy.
pub fn lookup(config: &StrategyConfig) -> &'static dyn Strategy {
    match config {
        StrategyConfig::Time { .. } => &time::TimeDependent,
        StrategyConfig::Hardliner => &hardliner::Hardliner,
        StrategyConfig::TitForTat => &tit_for_tat::TitForTat,
        StrategyConfig::Random => &random::RandomOffers,
        StrategyConfig::Spe => &spe::SubgamePerfect,
        StrategyConfig::Reasoning { .. } => &reasoning::Reasoning,
    }
}

/// One sentence for transcripts: how `actor` picks its offers, with its
/// opponent model (only strategies that make trade-off offers have one
/// other than "known").
pub fn explain_offer(actor: &Actor) -> &'static str {
    match actor.opponent_model {
        OpponentModel::Known => lookup(&actor.strategy).explains_offer(),
        OpponentModel::Frequency => {
            "the offer best for the other side as learnt from its offers, among those worth at least that to it"
        }
        OpponentModel::None => "the offer closest to that target, chosen without regard to the other side",
    }
}

/// The strategy's offer at `turn.round`.
///
/// An actor never proposes across one of its own real red lines (docs/model.md
/// §10): a proposal is a deal it would sign. A strategy that does not weigh
/// its lines itself (all but the reasoning one) has such a proposal replaced
/// by its trade-off offer among the outcomes within them.
pub fn make_proposal(s: &dyn Strategy, turn: &Turn<'_>, rng: &mut PurposeRng) -> Proposal {
    let proposal = s.proposal(turn, rng);
    if !turn.lines.forbid(proposal.outcome) {
        return proposal;
    }
    let (outcome, target) = turn.offer_within_lines(proposal.target, rng);
    Proposal { outcome, target, reasoning: proposal.reasoning }
}

/// The scenario's acceptance rules: `AC_next`, reservation, or a constant.
pub fn acceptance_rule(side: &Side, offered: f64, next: Option<f64>) -> Verdict {
    let (threshold, basis) = match (side.acceptance, next) {
        (AcceptRule::Threshold(t), _) => (t, VerdictBasis::Threshold),
        // AC_next, but never below the reservation value.
        (AcceptRule::Next, Some(n)) if n > side.reservation => (n, VerdictBasis::NextOffer),
        (AcceptRule::Next | AcceptRule::Reservation, _) => (side.reservation, VerdictBasis::Reservation),
    };
    Verdict { accept: offered >= threshold, threshold, basis }
}

#[cfg(test)]
mod tests;
