//! The alternating-offers protocol (MODEL.md §3): propose, respond, counter,
//! with walk-aways, exogenous breakdown and a deadline.
//!
//! The per-round loop allocates nothing and touches no strings: offers are
//! outcome indices and utilities are table look-ups.

use rand::prelude::*;

use super::strategy::{self, Memory, Turn};
use super::{RunRng, RunSetup};
use crate::model::{ActorIdx, Model};

/// How the talks ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum End {
    /// An offer was accepted.
    Agreement,
    /// Round T was reached with no deal.
    Deadline,
    /// The talks collapsed by exogenous breakdown after a rejection.
    Breakdown,
    /// An actor left the table; the index says who.
    WalkAway(ActorIdx),
}

impl End {
    /// A stable name for tables and CSV columns.
    pub fn label(self) -> &'static str {
        match self {
            End::Agreement => "agreement",
            End::Deadline => "deadline",
            End::Breakdown => "breakdown",
            End::WalkAway(_) => "walk-away",
        }
    }
}

/// The result of one negotiation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ending {
    pub end: End,
    /// The round at which the deal or the disagreement was realised.
    pub round: u32,
    /// The agreed outcome, for agreements.
    pub agreement: Option<u32>,
    /// The realised disagreement outcome (index into the lottery) otherwise.
    pub lottery: Option<u32>,
    /// Realised payoffs after discounting and per-round costs.
    pub payoff: [f64; 2],
}

/// An offer made at some round, and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proposal {
    pub outcome: u32,
    /// The proposer's target utility this round.
    pub target: f64,
}

/// The responder's answer to an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Response {
    Accept,
    Reject,
    WalkAway,
}

/// What an acceptance decision compared the offer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictBasis {
    /// AC_next: the utility of one's own next offer (and the reservation value).
    NextOffer,
    /// The reservation value (the last round, or the "reservation" rule).
    Reservation,
    /// A constant threshold from the scenario.
    Threshold,
    /// The walk-away threshold.
    WalkAway,
    /// The subgame-perfect equilibrium share.
    Equilibrium,
    /// A move made outside the engine, by a player at `brink play`: there is
    /// no threshold to report.
    Player,
}

/// An acceptance decision and the number it was made against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub accept: bool,
    pub threshold: f64,
    pub basis: VerdictBasis,
}

/// Watches a negotiation. Every method has an empty default, so the Monte
/// Carlo's [`NoObserver`] compiles to nothing.
pub trait Observer {
    fn proposal(&mut self, _round: u32, _proposer: ActorIdx, _proposal: Proposal) {}
    fn response(&mut self, _round: u32, _responder: ActorIdx, _response: Response, _offered: f64, _verdict: Verdict) {}
    fn breakdown(&mut self, _round: u32) {}
}

/// Observes nothing.
pub struct NoObserver;
impl Observer for NoObserver {}

/// Plays one negotiation with the numbers already drawn into `setup`.
pub fn negotiate<O: Observer>(model: &Model, setup: &RunSetup, rng: &mut RunRng, obs: &mut O) -> Ending {
    let rounds = model.rounds;
    let strategies = [strategy::lookup(&model.actors[0].strategy), strategy::lookup(&model.actors[1].strategy)];
    let utilities = [setup.utilities(model, 0), setup.utilities(model, 1)];
    let mut memory = [Memory::default(); 2];
    let turn = |a: ActorIdx, round: u32, memory: Memory| Turn {
        round,
        rounds,
        own: utilities[a],
        opponent: &model.mean_utilities[1 - a],
        side: &setup.sides[a],
        memory,
    };
    let mut proposer = model.first_mover;
    let mut proposal = strategy::make_proposal(strategies[proposer], &turn(proposer, 0, memory[proposer]), rng);
    for t in 0..rounds {
        let responder = 1 - proposer;
        obs.proposal(t, proposer, proposal);
        memory[proposer].own_last_target = Some(proposal.target);
        memory[responder].received(proposal.outcome);
        let offered = utilities[responder][proposal.outcome as usize];
        let side = &setup.sides[responder];

        if let Some(w) = side.walk_away
            && offered < w
        {
            let v = Verdict { accept: false, threshold: w, basis: VerdictBasis::WalkAway };
            obs.response(t, responder, Response::WalkAway, offered, v);
            return disagreement(model, setup, End::WalkAway(responder), t, rng);
        }
        // The counter-offer is needed both to judge the offer (AC_next) and,
        // on rejection, as the next round's proposal: compute it once.
        let counter = (t + 1 < rounds)
            .then(|| strategy::make_proposal(strategies[responder], &turn(responder, t + 1, memory[responder]), rng));
        let next_utility = counter.map(|c| utilities[responder][c.outcome as usize]);
        let verdict = strategies[responder].accepts(&turn(responder, t, memory[responder]), offered, next_utility);
        if verdict.accept {
            obs.response(t, responder, Response::Accept, offered, verdict);
            return agreement(model, setup, proposal.outcome, t);
        }
        obs.response(t, responder, Response::Reject, offered, verdict);
        let Some(counter) = counter else {
            return disagreement(model, setup, End::Deadline, t, rng);
        };
        if setup.hazard > 0.0 && rng.random::<f64>() < setup.hazard {
            obs.breakdown(t);
            return disagreement(model, setup, End::Breakdown, t, rng);
        }
        proposer = responder;
        proposal = counter;
    }
    // rounds >= 1 is guaranteed by validation, so the loop always returns;
    // this line keeps the function total.
    disagreement(model, setup, End::Deadline, rounds.saturating_sub(1), rng)
}

/// `delta^t * x - c * t` (MODEL.md §3).
#[inline]
fn realised(x: f64, discount: f64, cost: f64, t: u32) -> f64 {
    discount.powi(t as i32) * x - cost * t as f64
}

pub(super) fn agreement(model: &Model, setup: &RunSetup, outcome: u32, t: u32) -> Ending {
    let payoff = std::array::from_fn(|a| {
        let s = &setup.sides[a];
        realised(setup.utilities(model, a)[outcome as usize], s.discount, s.cost, t)
    });
    Ending { end: End::Agreement, round: t, agreement: Some(outcome), lottery: None, payoff }
}

pub(super) fn disagreement(model: &Model, setup: &RunSetup, end: End, t: u32, rng: &mut RunRng) -> Ending {
    let k = draw_lottery(model, rng);
    let d = &model.disagreement[k];
    let payoff = std::array::from_fn(|a| {
        let s = &setup.sides[a];
        realised(setup.params[d.payoff[a] as usize], s.discount, s.cost, t)
    });
    Ending { end, round: t, agreement: None, lottery: Some(k as u32), payoff }
}

/// Draws the conflict lottery's outcome (one uniform draw, cumulative scan).
fn draw_lottery(model: &Model, rng: &mut RunRng) -> usize {
    let n = model.disagreement.len();
    if n == 1 {
        return 0;
    }
    let x: f64 = rng.random();
    let mut acc = 0.0;
    for (k, d) in model.disagreement.iter().enumerate() {
        acc += d.probability;
        if x < acc {
            return k;
        }
    }
    // Rounding can leave the sum a hair below 1.
    model.disagreement.iter().rposition(|d| d.probability > 0.0).unwrap_or(n - 1)
}
