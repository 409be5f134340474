//! A round-by-round record of one negotiation, for `brink trace`.
//!
//! Plain data: the report layer turns it into text or JSON.

use super::{LadderMove, Observer, Proposal, Response, Verdict};
use crate::model::ActorIdx;

/// One thing that happened at the table.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Proposal {
        round: u32,
        proposer: ActorIdx,
        proposal: Proposal,
    },
    Response {
        round: u32,
        responder: ActorIdx,
        response: Response,
        offered: f64,
        verdict: Verdict,
    },
    /// A round before the talks open (`scenario.talks_open`): no offer.
    BeforeTalks {
        round: u32,
        open: u32,
    },
    Breakdown {
        round: u32,
    },
    /// A breakdown caused by the hazard the ladders added.
    EscalationBreakdown {
        round: u32,
        hazard: f64,
        added: f64,
    },
    /// An actor moved on its escalation ladder.
    Ladder {
        round: u32,
        actor: ActorIdx,
        step: LadderMove,
    },
    /// What `actor` believes of the other side's red line `line` moved:
    /// the probability that it is real, before and after.
    RedLineBelief {
        round: u32,
        actor: ActorIdx,
        line: usize,
        before: f64,
        after: f64,
    },
    /// What `actor` expects war to be worth to the other side (without
    /// ladders) moved when the other side moved on its ladder: a move is a
    /// signal of resolve.
    LadderSignal {
        round: u32,
        actor: ActorIdx,
        before: f64,
        after: f64,
    },
}

/// Every event of a negotiation, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transcript {
    pub events: Vec<Event>,
}

impl Observer for Transcript {
    fn proposal(&mut self, round: u32, proposer: ActorIdx, proposal: Proposal) {
        self.events.push(Event::Proposal { round, proposer, proposal });
    }

    fn response(&mut self, round: u32, responder: ActorIdx, response: Response, offered: f64, verdict: Verdict) {
        self.events.push(Event::Response { round, responder, response, offered, verdict });
    }

    fn before_talks(&mut self, round: u32, open: u32) {
        self.events.push(Event::BeforeTalks { round, open });
    }

    fn breakdown(&mut self, round: u32) {
        self.events.push(Event::Breakdown { round });
    }

    fn escalation_breakdown(&mut self, round: u32, hazard: f64, added: f64) {
        self.events.push(Event::EscalationBreakdown { round, hazard, added });
    }

    fn ladder(&mut self, round: u32, actor: ActorIdx, step: LadderMove) {
        self.events.push(Event::Ladder { round, actor, step });
    }

    fn wants_beliefs(&self) -> bool {
        true
    }

    fn red_line_belief(&mut self, round: u32, actor: ActorIdx, line: usize, before: f64, after: f64) {
        self.events.push(Event::RedLineBelief { round, actor, line, before, after });
    }

    fn ladder_signal(&mut self, round: u32, actor: ActorIdx, before: f64, after: f64) {
        self.events.push(Event::LadderSignal { round, actor, before, after });
    }
}
