//! The transcript `brink trace` prints: one negotiation, round by round,
//! with the reason behind every move.

use serde_json::{Map, Value, json};

use super::fmt3;
use crate::engine::{
    End, Ending, Event, LadderMove, LadderReason, Response, RunSetup, Transcript, VerdictBasis, strategy,
};
use crate::model::{ActorIdx, Mechanism, Model};
use crate::montecarlo::causes::{Attribution, Explanation};

/// Everything a trace shows.
pub struct TraceView<'a> {
    pub model: &'a Model,
    pub setup: &'a RunSetup,
    pub transcript: &'a Transcript,
    pub ending: &'a Ending,
    pub seed: u64,
    pub run: u64,
    /// The seat a player took at `brink play`, if any: its moves are the
    /// player's, not a strategy's.
    pub player: Option<ActorIdx>,
    /// For a failed run, its replays with each mechanism the scenario uses
    /// switched off and what they say (docs/model.md §12); `None`: not shown.
    pub causes: Option<&'a Explanation>,
}

impl TraceView<'_> {
    fn utilities_of(&self, outcome: u32) -> [f64; 2] {
        [0, 1].map(|a| self.setup.utilities(self.model, a)[outcome as usize])
    }

    /// The strategy of seat `a` in words, or that a player took the seat.
    fn strategy_of(&self, a: usize) -> String {
        if self.player == Some(a) {
            "played by a person at `brink play`".to_string()
        } else {
            self.model.actors[a].strategy.describe(&self.setup.params)
        }
    }

    fn actor(&self, a: usize) -> &str {
        &self.model.actors[a].name
    }
}

fn basis_text(b: VerdictBasis) -> &'static str {
    match b {
        VerdictBasis::NextOffer => "the value of its own next offer",
        VerdictBasis::Reservation => "its reservation value",
        VerdictBasis::Threshold => "its acceptance threshold",
        VerdictBasis::WalkAway => "its walk-away floor",
        VerdictBasis::Equilibrium => "its equilibrium share",
        VerdictBasis::ExpectedValue => {
            "its expected value of continuing (waiting, with the breakdown risk, for its own next offer)"
        }
        VerdictBasis::Player => "the player's own choice",
        VerdictBasis::RedLine => "a red line it will not cross",
    }
}

/// Why a deal may not be worth signing: what war would be worth in each
/// later period, who would revise the deal, and each actor's best deal over
/// its life against conflict now (docs/model.md §8).
fn power_lines(v: &TraceView<'_>, shift: &crate::model::PowerShift) -> String {
    let (m, p) = (v.model, &v.setup.params);
    let q = p[shift.enforcement as usize];
    let level = shift.level.as_deref().map(|l| format!(" ({l})")).unwrap_or_default();
    let mut s = format!(
        "  Shifting power after a deal: it binds with probability {}{level}; otherwise the side the shift favours revises it\n",
        fmt3(q)
    );
    let now = [m.lottery_value(0, p), m.lottery_value(1, p)];
    for k in 0..shift.periods.len() {
        let war = [shift.war_value(k, 0, p), shift.war_value(k, 1, p)];
        let gain = [war[0] - now[0], war[1] - now[1]];
        let favoured = if gain[0] > gain[1] { 0 } else { 1 };
        let line = if (gain[0] - gain[1]).abs() <= 1e-9 {
            "the shift favours neither side".to_string()
        } else {
            format!(
                "{} would revise a deal to give {} no more than its war value then",
                m.actors[favoured].id,
                m.actors[1 - favoured].id
            )
        };
        s.push_str(&format!(
            "    period {}: war would be worth {} {}, {} {} (now {}, {}): {line}\n",
            k + 1,
            m.actors[0].id,
            fmt3(war[0]),
            m.actors[1].id,
            fmt3(war[1]),
            fmt3(now[0]),
            fmt3(now[1]),
        ));
    }
    for (a, &war_now) in now.iter().enumerate() {
        let best = v.setup.utilities(m, a).iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let verdict =
            if best < war_now { "no deal is worth more than fighting now" } else { "some deal beats fighting now" };
        s.push_str(&format!(
            "    {}: the best deal is worth {} over its life, conflict now {}: {verdict}\n",
            m.actors[a].id,
            fmt3(best),
            fmt3(war_now)
        ));
    }
    s
}

fn fmt2(x: f64) -> String {
    format!("{x:.2}")
}

/// The transcript as text a student can follow.
pub fn text(v: &TraceView<'_>) -> String {
    let m = v.model;
    let mut s = String::new();
    s.push_str(&format!("{} — seed {}, run {}\n", m.name, v.seed, v.run));
    for (a, actor) in m.actors.iter().enumerate() {
        let side = &v.setup.sides[a];
        s.push_str(&format!(
            "  {} ({}): {}; reservation {}, discount {}, cost {}/round\n",
            actor.name,
            actor.id,
            v.strategy_of(a),
            fmt3(side.reservation),
            fmt3(side.discount),
            fmt3(side.cost)
        ));
    }
    for (a, ladder) in m.ladders.iter().enumerate() {
        if ladder.steps.is_empty() {
            continue;
        }
        let steps: Vec<&str> = ladder.steps.iter().map(|s| s.id.as_str()).collect();
        s.push_str(&format!(
            "  {}'s ladder: {}; {}; starts at {}\n",
            m.actors[a].id,
            steps.join(" → "),
            ladder.rule.describe(),
            position_name(m, a, ladder.start)
        ));
    }
    if let Some(shift) = &m.power {
        s.push_str(&power_lines(v, shift));
    }
    if !m.params.uncertain.is_empty() {
        s.push_str("Numbers drawn for this run:\n");
        for u in &m.params.uncertain {
            s.push_str(&format!(
                "  {:<40} = {}   ({})\n",
                u.path,
                fmt3(v.setup.params[u.id as usize]),
                u.distribution.describe()
            ));
        }
    }
    s.push('\n');
    s.push_str(&events_text(v, &v.transcript.events));
    s.push('\n');
    let e = v.ending;
    match e.end {
        End::Agreement => {
            let w = e.agreement.unwrap_or(0);
            s.push_str(&format!("Outcome: agreement at round {} on {}\n", e.round, m.describe_outcome(w)));
        }
        other => {
            let how = match other {
                End::Deadline => "the deadline passed with no deal".to_string(),
                End::Breakdown if e.ladder.escalation_breakdown => {
                    "the talks broke down by accident, by the risk escalation added".to_string()
                }
                End::Breakdown => "the talks broke down by accident".to_string(),
                End::WalkAway(a) => format!("{} walked away", v.actor(a)),
                End::Agreement => unreachable!("handled above"),
            };
            let d = &m.disagreement[e.lottery.unwrap_or(0) as usize];
            s.push_str(&format!(
                "Outcome: no agreement at round {} ({how}); the conflict lottery drew: {} ({})\n",
                e.round, d.name, d.id
            ));
        }
    }
    if m.has_ladders() {
        s.push_str(&format!(
            "Ladders at the end: {} at {}, {} at {} (escalation costs are in the payoffs)\n",
            m.actors[0].id,
            position_name(m, 0, e.ladder.positions[0]),
            m.actors[1].id,
            position_name(m, 1, e.ladder.positions[1])
        ));
    }
    s.push_str(&format!(
        "Payoffs after discounting and per-round costs: {} {}, {} {}\n",
        m.actors[0].id,
        fmt3(e.payoff[0]),
        m.actors[1].id,
        fmt3(e.payoff[1])
    ));
    s.push_str(&causes_text(v));
    s
}

/// The closing paragraph of a failed run: what each replay with one
/// mechanism switched off did, and which mechanisms were necessary.
fn causes_text(v: &TraceView<'_>) -> String {
    let Some(x) = v.causes.filter(|_| v.ending.end != End::Agreement) else { return String::new() };
    let m = v.model;
    if x.replays.is_empty() {
        return "\nWhy the talks failed: this scenario uses none of the mechanisms brink can switch off \
                (docs/model.md §12); the bargaining itself failed.\n"
            .into();
    }
    let mut s = String::from(
        "\nWhy the talks failed (the same run replayed with one mechanism switched off; docs/model.md §12):\n",
    );
    for (mechanism, e) in &x.replays {
        let verdict = if e.end == End::Agreement { "necessary" } else { "not necessary" };
        s.push_str(&format!("  without {}: {}: {verdict}\n", mechanism.name(), replay_text(m, e)));
    }
    if let Some(e) = &x.all_off {
        s.push_str(&format!("  without all of them: {}\n", replay_text(m, e)));
    }
    s.push_str(&match x.attribution {
        Attribution::Necessary(c) => {
            format!("Necessary for this failure: {}.\n", c.iter().map(Mechanism::name).collect::<Vec<_>>().join(", "))
        }
        Attribution::Overdetermined(pairs) => {
            let pairs: Vec<String> = pairs.iter().map(|(a, b)| format!("{} and {}", a.name(), b.name())).collect();
            let which = if pairs.is_empty() {
                "only all of them together".to_string()
            } else {
                format!("switching off {} would", pairs.join(", or "))
            };
            format!(
                "No single mechanism was necessary: the failure is overdetermined ({which} have saved the talks).\n"
            )
        }
        Attribution::NoMechanism | Attribution::Agreement => {
            "No mechanism explains this failure: the talks fail even with every one switched off.\n".into()
        }
    });
    s
}

/// The names of the mechanisms whose replay agreed.
fn necessary(x: &Explanation) -> Vec<&'static str> {
    x.replays.iter().filter(|(_, e)| e.end == End::Agreement).map(|(m, _)| m.name()).collect()
}

/// "agreement at round 0 on nato = pause" or "no agreement (deadline, round 7)".
fn replay_text(m: &Model, e: &Ending) -> String {
    match (e.end, e.agreement) {
        (End::Agreement, Some(w)) => format!("agreement at round {} on {}", e.round, m.describe_outcome(w)),
        (end, _) => format!("no agreement ({}, round {})", end.label(), e.round),
    }
}

/// A position's id: "none" or the step's id.
fn position_label(m: &Model, a: usize, k: u8) -> String {
    match k {
        0 => "none".into(),
        k => m.ladders[a].steps[k as usize - 1].id.clone(),
    }
}

/// A position's name: "no step" or the step's name.
fn position_name(m: &Model, a: usize, k: u8) -> String {
    match k {
        0 => "no step".into(),
        k => format!("\"{}\"", m.ladders[a].steps[k as usize - 1].name),
    }
}

/// One ladder move in words, with its reason.
pub(crate) fn ladder_text(m: &Model, a: usize, step: LadderMove) -> String {
    let who = &m.actors[a].name;
    let verb = if step.to > step.from { "escalates" } else { "steps down" };
    let what = if step.to > step.from {
        format!("to {}", position_name(m, a, step.to))
    } else {
        format!("from {} to {}", position_name(m, a, step.from), position_name(m, a, step.to))
    };
    let why = match step.reason {
        LadderReason::Stalled { turns } => {
            format!("{turns} of its turns without progress at the table")
        }
        LadderReason::Progress { gain } => format!("the last offer improved by {}", fmt3(gain)),
        LadderReason::Mirror { opponent } => {
            format!("tit-for-tat: {} stands at {}", m.actors[1 - a].name, position_name(m, 1 - a, opponent))
        }
        LadderReason::ExpectedValue { before, after, table, conflict } => format!(
            "expected value of the talks {} instead of {} (expects a deal worth {}, conflict worth {}, net of costs and risk)",
            fmt3(after),
            fmt3(before),
            if table.is_nan() { "nothing: no deal acceptable to both".to_string() } else { fmt3(table) },
            fmt3(conflict)
        ),
        LadderReason::Player => "the player's move".to_string(),
    };
    format!("{who} {verb} {what}: {why}")
}

/// The lines `brink trace` prints for `events`: every offer with what it is
/// worth to each side and why it was made, every answer and its reason.
pub fn events_text(v: &TraceView<'_>, events: &[Event]) -> String {
    let m = v.model;
    let mut s = String::new();
    let mut on_table = None;
    for e in events {
        match *e {
            Event::Proposal { round, proposer, proposal } => {
                on_table = Some(proposal.outcome);
                let u = v.utilities_of(proposal.outcome);
                s.push_str(&format!(
                    "Round {round:>2}  {} proposes: {}\n",
                    v.actor(proposer),
                    m.describe_outcome(proposal.outcome)
                ));
                let why = if v.player == Some(proposer) {
                    "the player's own offer".to_string()
                } else {
                    format!("target {}: {}", fmt3(proposal.target), strategy::explain_offer(&m.actors[proposer]))
                };
                s.push_str(&format!(
                    "          worth {} {}, {} {}   ({why})\n",
                    m.actors[0].id,
                    fmt3(u[0]),
                    m.actors[1].id,
                    fmt3(u[1]),
                ));
                if let Some(r) = proposal.reasoning {
                    s.push_str(&format!(
                        "          {} believes {} accepts an offer worth {} to it with probability {}; expected value of this offer {}\n",
                        v.actor(proposer),
                        v.actor(1 - proposer),
                        fmt3(r.opponent_value),
                        fmt2(r.accept_probability),
                        fmt3(r.expected)
                    ));
                }
            }
            Event::Response { responder, response, offered, verdict, .. } => {
                let (verb, cmp) = match response {
                    Response::Accept => ("accepts", ">="),
                    Response::Reject => ("rejects", "<"),
                    Response::WalkAway => ("walks away", "<"),
                };
                if verdict.basis == VerdictBasis::Player {
                    s.push_str(&format!(
                        "          {} {verb}: worth {} to it ({})\n",
                        v.actor(responder),
                        fmt3(offered),
                        basis_text(verdict.basis)
                    ));
                    continue;
                }
                if verdict.basis == VerdictBasis::RedLine
                    && let Some(w) = on_table
                {
                    s.push_str(&format!(
                        "          {} {verb}: {}\n",
                        v.actor(responder),
                        red_line_text(v, responder, w)
                    ));
                    continue;
                }
                s.push_str(&format!(
                    "          {} {verb}: {} {cmp} {}, {}\n",
                    v.actor(responder),
                    fmt3(offered),
                    fmt3(verdict.threshold),
                    basis_text(verdict.basis)
                ));
                if let Some(w) = on_table {
                    s.push_str(&audience_text(v, responder, w, response, offered, verdict.threshold));
                }
            }
            Event::BeforeTalks { round, open } => {
                s.push_str(&format!("Round {round:>2}  no offers: the talks open at round {open}\n"));
            }
            Event::Breakdown { round } => {
                s.push_str(&format!(
                    "          the talks break down by accident after round {round} (breakdown hazard {}: no one chose it)\n",
                    fmt3(v.setup.hazard)
                ));
            }
            Event::EscalationBreakdown { round, hazard, added } => {
                s.push_str(&format!(
                    "          the talks break down after round {round}, by escalation: the draw fell in the {} the ladders added to the exogenous {}\n",
                    fmt3(added),
                    fmt3(hazard)
                ));
            }
            Event::Ladder { actor, step, .. } => {
                s.push_str(&format!("          {}\n", ladder_text(m, actor, step)));
                let cost = v.setup.ladder.step_down[actor] * f64::from(step.from.saturating_sub(step.to));
                if cost > 0.0 {
                    s.push_str(&format!(
                        "          backing down a step costs {} an audience cost of {}\n",
                        v.actor(actor),
                        fmt3(cost)
                    ));
                }
            }
            Event::RedLineBelief { actor, line, before, after, .. } => {
                s.push_str(&format!("          {}\n", belief_text(m, actor, line, before, after)));
            }
            Event::LadderSignal { actor, before, after, .. } => {
                s.push_str(&format!("          {}\n", signal_text(m, actor, before, after)));
            }
        }
    }
    s
}

/// What backing down from a public demand cost the responder to an offer of
/// outcome `w` (docs/model.md §11): that it holds because of it, or what an
/// acceptance cost it; empty when the offer does not back it down.
fn audience_text(
    v: &TraceView<'_>,
    responder: usize,
    w: u32,
    response: Response,
    offered: f64,
    threshold: f64,
) -> String {
    let m = v.model;
    let Some(costs) = m.actors[responder].audience.as_ref().filter(|_| m.backs_down(responder, w)) else {
        return String::new();
    };
    let cost = v.setup.params[costs.backing_down as usize];
    let demand = m.describe_demand(responder).unwrap_or_default();
    let id = &m.actors[responder].id;
    match response {
        Response::Reject if cost > 0.0 && offered + cost >= threshold - 1e-9 => format!(
            "          {id} would accept {}, but backing down from its public demand ({demand}) costs it {}: it holds\n",
            m.describe_outcome(w),
            fmt3(cost)
        ),
        Response::Accept if cost > 0.0 => format!(
            "          {id} backs down from its public demand ({demand}): the deal is worth {} to it after the audience cost of {}\n",
            fmt3(offered),
            fmt3(cost)
        ),
        _ => String::new(),
    }
}

/// Why an offer of outcome `w` was refused on a red line: which real line of
/// the responder's it crosses.
fn red_line_text(v: &TraceView<'_>, responder: usize, w: u32) -> String {
    let m = v.model;
    let crossed = m.crosses(responder, w) & v.setup.red_real[responder];
    let lines: Vec<String> = (0..m.red_lines[responder].len())
        .filter(|&i| crossed & (1 << i) != 0)
        .map(|i| {
            let line = &m.red_lines[responder][i];
            let issue = &m.issues[line.issue];
            format!(
                "{} = {} is below its red line on {} (at least {}), and the line is real",
                issue.id,
                issue.options[m.option_of(w, line.issue) as usize],
                issue.id,
                line.at
            )
        })
        .collect();
    format!("{}: it accepts nothing across it, whatever else it is offered", lines.join("; "))
}

/// "usa now puts P(russia's red line on nato is real) at 0.80, up from 0.50".
/// "russia reads usa's move as resolve: it now expects war to be worth 0.52
/// to usa (without the ladders), up from 0.46".
pub fn signal_text(m: &Model, actor: usize, before: f64, after: f64) -> String {
    let (me, other) = (&m.actors[actor].id, &m.actors[1 - actor].id);
    let (reading, way) = if after > before { ("resolve", "up") } else { ("weakness", "down") };
    format!(
        "{me} reads {other}'s move as {reading}: it now expects war to be worth {} to {other} (without the ladders), {way} from {}",
        fmt3(after),
        fmt3(before)
    )
}

pub fn belief_text(m: &Model, actor: usize, line: usize, before: f64, after: f64) -> String {
    let other = 1 - actor;
    let issue = &m.issues[m.red_lines[other][line].issue].id;
    let way = if after > before { "up" } else { "down" };
    format!(
        "{} now puts P({}'s red line on {issue} is real) at {}, {way} from {}",
        m.actors[actor].id,
        m.actors[other].id,
        fmt2(after),
        fmt2(before)
    )
}

fn per_actor(m: &Model, x: [f64; 2]) -> Value {
    let mut o = Map::new();
    for (a, actor) in m.actors.iter().enumerate() {
        o.insert(actor.id.clone(), json!(x[a]));
    }
    Value::Object(o)
}

fn outcome_json(m: &Model, w: u32) -> Value {
    let mut o = Map::new();
    for (i, issue) in m.issues.iter().enumerate() {
        o.insert(issue.id.clone(), json!(issue.options[m.option_of(w, i) as usize]));
    }
    Value::Object(o)
}

/// The same transcript as JSON.
pub fn json(v: &TraceView<'_>) -> Value {
    let m = v.model;
    let id = |a: usize| m.actors[a].id.clone();
    let events: Vec<Value> = v
        .transcript
        .events
        .iter()
        .map(|e| match *e {
            Event::Proposal { round, proposer, proposal } => json!({
                "event": "proposal", "round": round, "proposer": id(proposer),
                "offer": outcome_json(m, proposal.outcome),
                "utilities": per_actor(m, v.utilities_of(proposal.outcome)),
                "target": proposal.target,
                "reasoning": proposal.reasoning.map(|r| json!({
                    "opponent_value": r.opponent_value,
                    "accept_probability": r.accept_probability,
                    "expected_value": r.expected,
                })),
            }),
            Event::Response { round, responder, response, offered, verdict } => json!({
                "event": "response", "round": round, "responder": id(responder),
                "response": response, "offered_utility": offered,
                "threshold": verdict.threshold, "basis": verdict.basis,
            }),
            Event::BeforeTalks { round, open } => json!({"event": "before-talks", "round": round, "talks_open": open}),
            Event::Breakdown { round } => json!({"event": "breakdown", "round": round}),
            Event::EscalationBreakdown { round, hazard, added } => json!({
                "event": "breakdown", "round": round, "cause": "escalation",
                "exogenous_hazard": hazard, "added_hazard": added,
            }),
            Event::Ladder { round, actor, step } => json!({
                "event": "ladder", "round": round, "actor": id(actor),
                "from": position_label(m, actor, step.from), "to": position_label(m, actor, step.to),
                "reason": step.reason, "text": ladder_text(m, actor, step),
            }),
            Event::RedLineBelief { round, actor, line, before, after } => json!({
                "event": "red-line-belief", "round": round, "actor": id(actor),
                "about": id(1 - actor), "issue": m.issues[m.red_lines[1 - actor][line].issue].id,
                "before": before, "after": after, "text": belief_text(m, actor, line, before, after),
            }),
            Event::LadderSignal { round, actor, before, after } => json!({
                "event": "ladder-signal", "round": round, "actor": id(actor), "about": id(1 - actor),
                "before": before, "after": after, "text": signal_text(m, actor, before, after),
            }),
        })
        .collect();
    let e = v.ending;
    let mut out = json!({
        "scenario": m.name,
        "seed": v.seed,
        "run": v.run,
        "actors": m.actors.iter().enumerate().map(|(a, x)| json!({
            "id": x.id, "name": x.name, "strategy": v.strategy_of(a),
            "reservation": v.setup.sides[a].reservation, "discount": v.setup.sides[a].discount,
            "cost_per_round": v.setup.sides[a].cost,
        })).collect::<Vec<_>>(),
        "drawn": m.params.uncertain.iter().map(|u| json!({"path": u.path, "value": v.setup.params[u.id as usize]})).collect::<Vec<_>>(),
        "events": events,
        "outcome": {
            "end": e.end.label(),
            "walked_away": match e.end { End::WalkAway(a) => Some(id(a)), _ => None },
            "round": e.round,
            "agreement": e.agreement.map(|w| outcome_json(m, w)),
            "disagreement": e.lottery.map(|k| m.disagreement[k as usize].id.clone()),
            "payoffs": per_actor(m, e.payoff),
        },
    });
    if let Some(x) = v.causes.filter(|_| e.end != End::Agreement) {
        out["causes"] = json!({
            "attribution": x.attribution.label(),
            "necessary": necessary(x),
            "all_off": x.all_off.as_ref().map(|r| json!({
                "end": r.end.label(),
                "round": r.round,
                "agreement": r.agreement.map(|w| outcome_json(m, w)),
            })),
            "replays": x.replays.iter().map(|(mechanism, r)| json!({
                "mechanism": mechanism.name(),
                "end": r.end.label(),
                "round": r.round,
                "agreement": r.agreement.map(|w| outcome_json(m, w)),
                "necessary": r.end == End::Agreement,
            })).collect::<Vec<_>>(),
        });
    }
    if m.has_ladders() {
        out["outcome"]["ladders"] = json!(
            (0..2)
                .map(|a| (m.actors[a].id.clone(), json!(position_label(m, a, e.ladder.positions[a]))))
                .collect::<Map<_, _>>()
        );
        out["outcome"]["breakdown_cause"] =
            json!(crate::montecarlo::escalation::cause_of(e).map(|c| crate::montecarlo::escalation::cause_label(m, c)));
    }
    out
}
