//! What a player may know during a game, and the game's events as the player
//! sees them.
//!
//! The rule: before the game ends, nothing shown to a player is computed
//! from the other side's private draws (its utilities, targets, beliefs,
//! expected values, its ladder numbers). The player sees their own drawn
//! numbers, the numbers both sides know (the scenario's fixed numbers, and
//! drawn ones that belong to neither side, such as the breakdown hazard,
//! which both agents plan with), the means of the other side's numbers, and
//! the moves made at the table. The agent's reasons come after the game, in the
//! debrief (and in `brink trace`). `brink play` and the classroom show the
//! game only through this module and the views built on [`known_params`].

use crate::engine::{Event, LadderNumbers, Response, Session};
use crate::model::{ActorIdx, Model};
use crate::report::fmt3;

/// Which actor alone knows a number of the scenario, from its TOML path;
/// `None` for numbers both sides know, such as the breakdown hazard (drawn
/// for the run, and planned with by both agents).
///
/// A payoff is known to the actor whose payoff it is, wherever it is set
/// (`disagreement[1].payoffs.russia`, or
/// `actors.usa.escalation[1].payoff_shift.escalation.russia`, a US step's
/// effect on Russia's payoff); so is a cost it bears
/// (`actors.russia.escalation[2].cost_to_other` is borne by the other side).
/// Every other number under `actors.ID.` is ID's own.
pub fn owner(model: &Model, path: &str) -> Option<ActorIdx> {
    let id = |a: ActorIdx| model.actors[a].id.as_str();
    if let Some(a) = (0..2).find(|&a| path.ends_with(&format!(".{}", id(a)))) {
        return Some(a);
    }
    let under = (0..2).find(|&a| path.starts_with(&format!("actors.{}.", id(a))))?;
    Some(if path.ends_with(".cost_to_other") { 1 - under } else { under })
}

/// The run's numbers as player `me` may know them: their own draws and
/// those both sides know, and the scenario's means for the other side's.
pub fn known_params(model: &Model, params: &[f64], me: ActorIdx) -> Vec<f64> {
    let mut known = params.to_vec();
    if model.types_known {
        // Common knowledge: each side sees the other's draws.
        return known;
    }
    for u in &model.params.uncertain {
        if owner(model, &u.path) == Some(1 - me) {
            known[u.id as usize] = model.params.means[u.id as usize];
        }
    }
    known
}

/// The parameter ids of the numbers player `me` does not know: the other
/// side's private draws (for the debrief, and for tests).
pub fn unknown_params(model: &Model, me: ActorIdx) -> Vec<u32> {
    if model.types_known {
        return Vec::new();
    }
    model.params.uncertain.iter().filter(|u| owner(model, &u.path) == Some(1 - me)).map(|u| u.id).collect()
}

/// Both ladders' numbers as the player may know them.
pub fn known_ladder(s: &Session<'_>) -> LadderNumbers {
    LadderNumbers::prepare(s.model(), &known_params(s.model(), &s.setup().params, s.player()))
}

/// The player's reservation value where the ladders stand now, from what
/// they know (a climb of the other side moves it by the shifts as the
/// scenario's means put them, if those are the other side's private numbers).
pub fn known_reservation(s: &Session<'_>) -> f64 {
    let m = s.model();
    m.reservation_at(s.player(), s.ladder().pos, &known_params(m, &s.setup().params, s.player()))
}

/// The events as the player sees them during the game: every offer with
/// what it is worth to the player, every answer and ladder move, and no
/// reasons of the agent's (those are for the debrief).
pub fn events_text(s: &Session<'_>, events: &[Event]) -> String {
    let m = s.model();
    let me = s.player();
    let who = |a: ActorIdx| if a == me { "You".to_string() } else { m.actors[a].name.clone() };
    let mine = s.setup().utilities(m, me);
    let mut out = String::new();
    for e in events {
        match *e {
            Event::Proposal { round, proposer, proposal } => {
                let verb = if proposer == me { "propose" } else { "proposes" };
                out.push_str(&format!(
                    "Round {round:>2}  {} {verb}: {}\n          worth {} to you\n",
                    who(proposer),
                    m.describe_outcome(proposal.outcome),
                    fmt3(mine[proposal.outcome as usize])
                ));
            }
            Event::Response { responder, response, .. } => {
                let verb = match (response, responder == me) {
                    (Response::Accept, true) => "accept",
                    (Response::Accept, false) => "accepts",
                    (Response::Reject, true) => "reject",
                    (Response::Reject, false) => "rejects",
                    (Response::WalkAway, true) => "walk away",
                    (Response::WalkAway, false) => "walks away",
                };
                out.push_str(&format!("          {} {verb}\n", who(responder)));
            }
            Event::BeforeTalks { round, open } => {
                out.push_str(&format!("Round {round:>2}  no offers yet: the talks open at round {open}\n"))
            }
            Event::Breakdown { round } => out.push_str(&format!(
                "          the talks collapse by accident after round {round} (the exogenous hazard struck: no one chose it)\n"
            )),
            Event::EscalationBreakdown { round, .. } => out.push_str(&format!(
                "          the talks collapse by accident after round {round}: the risk the escalation ladders added struck\n"
            )),
            // What the agent believes is for the debrief.
            Event::RedLineBelief { .. } | Event::LadderSignal { .. } => {}
            Event::Ladder { actor, step, .. } => {
                let up = step.to > step.from;
                let verb = match (up, actor == me) {
                    (true, true) => "escalate",
                    (true, false) => "escalates",
                    (false, true) => "step down",
                    (false, false) => "steps down",
                };
                let to = step.to;
                let place = match to {
                    0 => "the foot of the ladder".to_string(),
                    k => format!("\"{}\"", m.ladders[actor].steps[k as usize - 1].name),
                };
                out.push_str(&format!("          {} {verb} to {place}\n", who(actor)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::scenario::geneva_for_tests as geneva;

    #[test]
    fn a_payoff_belongs_to_whose_payoff_it_is_and_a_cost_to_who_bears_it() {
        let m = geneva();
        let usa = m.actor_index("usa");
        let russia = m.actor_index("russia");
        assert_eq!(Some(owner(&m, "actors.russia.discount")), Some(russia));
        assert_eq!(Some(owner(&m, "disagreement[1].payoffs.russia")), Some(russia));
        assert_eq!(Some(owner(&m, "actors.usa.escalation[1].payoff_shift.escalation.russia")), Some(russia));
        assert_eq!(Some(owner(&m, "actors.russia.escalation[2].cost_to_other")), Some(usa));
        assert_eq!(Some(owner(&m, "actors.usa.escalation[0].cost")), Some(usa));
        assert_eq!(owner(&m, "scenario.breakdown_hazard"), None);
    }
}
