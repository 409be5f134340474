//! The reasoning strategy: each offer maximises the actor's expected payoff
//! given its patience, costs, the breakdown hazard, its perceived conflict
//! value and its belief about what the opponent accepts; it accepts an offer
//! that beats its expected value of continuing (screening under one-sided
//! uncertainty: Sobel & Takahashi 1983; Fudenberg & Tirole 1983). With
//! complete information it plays the subgame-perfect equilibrium of the
//! finite alternating-offers game. The numbers come from the run's
//! [`Mind`](crate::engine::Mind); docs/strategies.md has the equations.

use super::{Memory, Observation, PurposeRng, Strategy, Turn};
use crate::engine::mind::EPS;
use crate::engine::{OfferReasoning, Proposal, Verdict, VerdictBasis, WalkRule};

pub struct Reasoning;

impl Strategy for Reasoning {
    fn explains_offer(&self) -> &'static str {
        "the offer with the highest expected value, weighing the chance it is accepted against the value of waiting"
    }

    fn target(&self, turn: &Turn<'_>) -> f64 {
        turn.mind.plan(&turn.memory.belief, turn.round).point.own
    }

    fn proposal(&self, turn: &Turn<'_>, _rng: &mut PurposeRng) -> Proposal {
        let mind = turn.mind;
        let plan = mind.plan(&turn.memory.belief, turn.round);
        let reasoning = OfferReasoning {
            opponent_value: plan.point.opp,
            accept_probability: plan.accept_probability,
            expected: mind.utility_worth(plan.expected, turn.round),
        };
        Proposal { outcome: plan.point.outcome, target: plan.point.own, reasoning: Some(reasoning) }
    }

    fn learn(&self, turn: &Turn<'_>, seen: Observation, memory: &mut Memory) {
        match seen {
            Observation::Rejected(w) => {
                turn.mind.learn_rejection(&mut memory.belief, turn.round, w, turn.opponent[w as usize])
            }
            Observation::Offered(w) => {
                turn.mind.learn_offer(&mut memory.belief, w, turn.own[w as usize], turn.opponent[w as usize])
            }
        }
    }

    fn accepts(&self, turn: &Turn<'_>, offered: f64, _next: Option<f64>) -> Verdict {
        let mind = turn.mind;
        let wait = mind.value_of_waiting(&turn.memory.belief, turn.round);
        // In utility terms at this round, so that it compares with the offer.
        let threshold = mind.utility_worth(wait, turn.round);
        Verdict { accept: offered >= threshold - EPS, threshold, basis: VerdictBasis::ExpectedValue }
    }

    /// A floor: walk out when the offer is below it and so is the expected
    /// value of continuing. "auto": walk out when the perceived conflict
    /// value beats both the offer and the expected value of continuing.
    fn walks_out(&self, turn: &Turn<'_>, offered: f64) -> Option<Verdict> {
        let rule = turn.side.walk_away?;
        let mind = turn.mind;
        let t = turn.round;
        let continuing = mind.utility_worth(mind.value_of_waiting(&turn.memory.belief, t), t);
        let floor = match rule {
            WalkRule::Floor(w) => w,
            WalkRule::Auto => turn.side.reservation,
        };
        (offered < floor && continuing < floor - EPS).then_some(Verdict {
            accept: false,
            threshold: floor,
            basis: VerdictBasis::WalkAway,
        })
    }
}
