//! The alternating-offers protocol (docs/model.md §3): propose, respond, counter,
//! with walk-aways, exogenous breakdown and a deadline.
//!
//! The per-round loop allocates nothing and touches no strings: offers are
//! outcome indices and utilities are table look-ups.

use super::ladder::{LadderMove, LadderState, MoveReading, starting_ladders};
use super::strategy::{self, Memory, Observation, Turn};
use super::{Mind, RunSetup, Side, Streams};
use crate::model::escalation::{COLUMN_BREAKDOWN, COLUMN_DEADLINE, COLUMN_WALK_AWAY, MAX_HAZARD};
use crate::model::{ActorIdx, EscalationRule, Model};
use crate::rng::RunKey;

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
    /// Where the escalation ladders stood (all zero without ladders).
    pub ladder: LadderEnd,
}

/// The escalation side of a negotiation's end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LadderEnd {
    /// Each actor's ladder position when the talks ended.
    pub positions: [u8; 2],
    /// The round of each actor's first climb during the talks.
    pub first_step: [Option<u32>; 2],
    /// A breakdown whose uniform draw fell in the hazard the ladders added
    /// (escalation-induced), rather than in the exogenous hazard.
    pub escalation_breakdown: bool,
}

/// An offer made at some round, and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proposal {
    pub outcome: u32,
    /// The proposer's target utility this round.
    pub target: f64,
    /// Why a reasoning actor chose it (None for other strategies).
    pub reasoning: Option<OfferReasoning>,
}

/// The numbers behind a reasoning actor's offer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OfferReasoning {
    /// What the offer is worth to the opponent, as the proposer models it.
    pub opponent_value: f64,
    /// The believed probability that the opponent accepts it.
    pub accept_probability: f64,
    /// The offer's expected value to the proposer, in utility at this round.
    pub expected: f64,
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
    /// The walk-away floor.
    WalkAway,
    /// The subgame-perfect equilibrium share.
    Equilibrium,
    /// The expected value of continuing (reasoning actors).
    ExpectedValue,
    /// A move made outside the engine, by a player at `brink play`: there is
    /// no threshold to report.
    Player,
    /// The offer crosses a red line of the responder's that is real: it
    /// accepts nothing across it, whatever else it is offered.
    RedLine,
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
    /// Round `round` passes before the talks open at round `open`: no offer.
    fn before_talks(&mut self, _round: u32, _open: u32) {}
    fn breakdown(&mut self, _round: u32) {}
    /// A breakdown caused by the hazard the ladders added (`hazard` is the
    /// exogenous part, `added` the ladders' part).
    fn escalation_breakdown(&mut self, _round: u32, _hazard: f64, _added: f64) {}
    /// An actor moved on its escalation ladder.
    fn ladder(&mut self, _round: u32, _actor: ActorIdx, _step: LadderMove) {}
    /// Where both ladders stand as round `round` opens (only with ladders).
    fn positions(&mut self, _round: u32, _positions: [u8; 2]) {}
    /// Whether the observer wants [`Observer::red_line_belief`]: working the
    /// probabilities out costs time the Monte Carlo does not spend.
    fn wants_beliefs(&self) -> bool {
        false
    }
    /// Whether the observer reads the offers and answers (or beliefs): only
    /// then must a run that cannot end in a deal work them out
    /// ([`quiet_talks`]). The Monte Carlo's observers do not.
    fn reads_offers(&self) -> bool {
        true
    }
    /// What `actor` believes of the other side's red line `line` changed at
    /// round `round`: the probability that it is real, before and after.
    fn red_line_belief(&mut self, _round: u32, _actor: ActorIdx, _line: usize, _before: f64, _after: f64) {}
    /// What `actor` expects war to be worth to the other side (without
    /// ladders) moved at round `round`, reading the other side's ladder move.
    fn ladder_signal(&mut self, _round: u32, _actor: ActorIdx, _before: f64, _after: f64) {}
}

/// Observes nothing.
pub struct NoObserver;
impl Observer for NoObserver {
    fn reads_offers(&self) -> bool {
        false
    }
}

/// Plays run `key`'s negotiation with its numbers already drawn into `setup`.
/// A move on a ladder makes the reasoning actors re-plan, so the talks own
/// the run's minds while they last (taking them out allocates nothing).
pub fn negotiate<O: Observer>(model: &Model, setup: &mut RunSetup, key: RunKey, obs: &mut O) -> Ending {
    let mut minds = std::mem::take(&mut setup.minds);
    let ending = talks(model, setup, &mut minds, key, obs);
    setup.minds = minds;
    ending
}

fn talks<O: Observer>(model: &Model, setup: &RunSetup, minds: &mut [Mind; 2], key: RunKey, obs: &mut O) -> Ending {
    let mut streams = Streams::new(model, key);
    let rounds = model.rounds;
    let strategies = [strategy::lookup(&model.actors[0].strategy), strategy::lookup(&model.actors[1].strategy)];
    let utilities = [setup.utilities(model, 0), setup.utilities(model, 1)];
    let learns = [setup.learners[0].active, setup.learners[1].active];
    let mut memory = [0, 1].map(|a| Memory { belief: minds[a].prior(), ..Memory::default() });
    let ladders = model.has_ladders();
    let (mut ladder, mut sides) = starting_ladders(model, setup);
    let end = Finish { model, setup };
    let open = model.talks_open;
    for t in 0..open {
        obs.before_talks(t, open);
        if ladders {
            obs.positions(t, ladder.pos);
            let mover = 1 - model.proposer_at(t);
            let before_move = ladder.pos;
            // The rules read no offer before the talks: 0 stands in.
            if let Some(step) = ladder.decide(model, setup, &mut sides, mover, t, 0.0) {
                obs.ladder(t, mover, step);
                let reader = 1 - mover;
                let belief = &mut memory[reader].belief;
                read_ladder_move(model, setup, &minds[reader], belief, mover, before_move, step.to, t, obs);
                setup.replan(model, minds, ladder.pos, [&memory[0].belief, &memory[1].belief]);
            }
        }
        if let Some(ending) = end.close_round(ladders, &mut ladder, t, &streams, obs) {
            return ending;
        }
    }
    let mut proposer = model.proposer_at(open);
    let mut proposal = strategy::make_proposal(
        strategies[proposer],
        &make_turn(model, setup, minds, &utilities, proposer, open, &memory[proposer], &sides),
        streams.tie_break(proposer),
    );
    for t in open..rounds {
        let responder = 1 - proposer;
        if ladders {
            obs.positions(t, ladder.pos);
        }
        obs.proposal(t, proposer, proposal);
        memory[proposer].own_last_target = Some(proposal.target);
        memory[responder].received(proposal.outcome);
        if learns[responder] {
            setup.learners[responder].observe(model, proposal.outcome);
        }
        let mut learnt = memory[responder];
        strategies[responder].learn(
            &make_turn(model, setup, minds, &utilities, responder, t, &memory[responder], &sides),
            Observation::Offered(proposal.outcome),
            &mut learnt,
        );
        report_beliefs(&minds[responder], responder, t, &memory[responder].belief, &learnt.belief, obs);
        memory[responder] = learnt;
        let offered = utilities[responder][proposal.outcome as usize];

        if let Some(v) = strategies[responder]
            .walks_out(&make_turn(model, setup, minds, &utilities, responder, t, &memory[responder], &sides), offered)
        {
            obs.response(t, responder, Response::WalkAway, offered, v);
            return end.disagreement(End::WalkAway(responder), t, &ladder, &streams);
        }
        // The counter-offer is needed both to judge the offer (AC_next) and,
        // on rejection, as the next round's proposal: compute it once.
        let counter = (t + 1 < rounds).then(|| {
            strategy::make_proposal(
                strategies[responder],
                &make_turn(model, setup, minds, &utilities, responder, t + 1, &memory[responder], &sides),
                streams.tie_break(responder),
            )
        });
        let next_utility = counter.map(|c| utilities[responder][c.outcome as usize]);
        let verdict = red_line_veto(
            model,
            setup,
            responder,
            proposal.outcome,
            strategies[responder].accepts(
                &make_turn(model, setup, minds, &utilities, responder, t, &memory[responder], &sides),
                offered,
                next_utility,
            ),
        );
        if verdict.accept {
            obs.response(t, responder, Response::Accept, offered, verdict);
            return end.agreement(proposal.outcome, t, &ladder);
        }
        obs.response(t, responder, Response::Reject, offered, verdict);
        // On its turn, the rejecting actor may also move on its ladder.
        let before_move = ladder.pos;
        let step = if ladders { ladder.decide(model, setup, &mut sides, responder, t, offered) } else { None };
        if let Some(step) = step {
            obs.ladder(t, responder, step);
        }
        let mut learnt = memory[proposer];
        strategies[proposer].learn(
            &make_turn(model, setup, minds, &utilities, proposer, t, &memory[proposer], &sides),
            Observation::Rejected(proposal.outcome),
            &mut learnt,
        );
        report_beliefs(&minds[proposer], proposer, t, &memory[proposer].belief, &learnt.belief, obs);
        memory[proposer] = learnt;
        // The rejection was made where the ladders stood; the move is read
        // as a signal, and the plans follow it from the next decision on.
        if let Some(step) = step {
            let belief = &mut memory[proposer].belief;
            read_ladder_move(model, setup, &minds[proposer], belief, responder, before_move, step.to, t, obs);
            setup.replan(model, minds, ladder.pos, [&memory[0].belief, &memory[1].belief]);
        }
        let Some(counter) = counter else {
            return end.disagreement(End::Deadline, t, &ladder, &streams);
        };
        if let Some(ending) = end.close_round(ladders, &mut ladder, t, &streams, obs) {
            return ending;
        }
        proposer = responder;
        proposal = counter;
    }
    // rounds >= 1 is guaranteed by validation, so the loop always returns;
    // this line keeps the function total.
    end.disagreement(End::Deadline, rounds.saturating_sub(1), &ladder, &streams)
}

/// Whether a run whose red lines leave no deal (`Model::deadlocked`) ends
/// the same whatever the offers: no one walks out (that weighs the value of
/// waiting) and every ladder moves by a rule that reads positions, not
/// offers (never, mirror or the reasoning rule; "stalled" reads progress).
pub fn plays_without_offers(model: &Model) -> bool {
    !model.red_line_deadlocks.is_empty()
        && model.actors.iter().all(|a| a.walk_away.is_none())
        && model.ladders.iter().all(|l| !matches!(l.rule, EscalationRule::Stalled { .. }))
}

/// The talks of a run that cannot end in a deal (`Model::deadlocked`, with
/// [`plays_without_offers`]), for an observer that does not read the
/// offers: every offer is refused, so only the ladders' moves (by rules
/// that read positions), the breakdown draws and the deadline decide the
/// ending, exactly as [`negotiate`] plays them; the reasoning actors'
/// beliefs and plans, which only choose the offers, are not worked out.
pub fn quiet_talks<O: Observer>(model: &Model, setup: &RunSetup, key: RunKey, obs: &mut O) -> Ending {
    let streams = Streams::new(model, key);
    let rounds = model.rounds;
    let ladders = model.has_ladders();
    let (mut ladder, mut sides) = starting_ladders(model, setup);
    let end = Finish { model, setup };
    let mut proposer = model.first_mover;
    for t in 0..rounds {
        let responder = 1 - proposer;
        if t < model.talks_open {
            obs.before_talks(t, model.talks_open);
        }
        if ladders {
            obs.positions(t, ladder.pos);
            // The rules that may move here read no offer: 0 stands in.
            if let Some(step) = ladder.decide(model, setup, &mut sides, responder, t, 0.0) {
                obs.ladder(t, responder, step);
            }
        }
        if t + 1 >= rounds {
            return end.disagreement(End::Deadline, t, &ladder, &streams);
        }
        if let Some(ending) = end.close_round(ladders, &mut ladder, t, &streams, obs) {
            return ending;
        }
        proposer = responder;
    }
    end.disagreement(End::Deadline, rounds.saturating_sub(1), &ladder, &streams)
}

/// A responder never accepts an offer across one of its red lines that is
/// real this run (docs/model.md §10), whatever its strategy would say: the
/// verdict becomes a rejection on that ground. Shared with `brink play`.
#[inline]
pub(super) fn red_line_veto(model: &Model, setup: &RunSetup, responder: ActorIdx, outcome: u32, v: Verdict) -> Verdict {
    if model.crosses(responder, outcome) & setup.red_real[responder] == 0 {
        return v;
    }
    Verdict { accept: false, threshold: v.threshold, basis: VerdictBasis::RedLine }
}

/// A move on a ladder is a signal (docs/strategies.md, "Ladder moves"):
/// when the climber moves by the reasoning rule, a reasoning observer
/// (`mind`, `belief`) weighs each type of it by whether that type would have
/// moved from `pos` to `to` at round `t` (Bayes' rule). Shared with `brink play`.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_ladder_move<O: Observer>(
    model: &Model,
    setup: &RunSetup,
    mind: &Mind,
    belief: &mut crate::engine::Belief,
    climber: ActorIdx,
    pos: [u8; 2],
    to: u8,
    t: u32,
    obs: &mut O,
) {
    if !mind.active || !mind.uncertain() || model.ladders[climber].rule != EscalationRule::ExpectedValue {
        return;
    }
    let before = obs.wants_beliefs().then(|| mind.expected_opp_conflict(belief));
    let reading = MoveReading::new(model, setup, climber, pos, to, t);
    let would_move = |k: usize| {
        let conflict_at = |at| mind.type_conflict_at(model, k, at);
        reading.type_would_move(conflict_at, mind.type_backing(k), mind.type_step_down(k))
    };
    mind.learn_ladder_move(belief, would_move);
    if let Some(before) = before {
        let after = mind.expected_opp_conflict(belief);
        if (after - before).abs() > 1e-9 {
            obs.ladder_signal(t, 1 - climber, before, after);
        }
    }
}

/// Tells the observer how what `actor` believes of each of the other
/// side's red lines moved when its belief went from `before` to `after`.
#[inline]
pub(super) fn report_beliefs<O: Observer>(
    mind: &Mind,
    actor: ActorIdx,
    t: u32,
    before: &crate::engine::Belief,
    after: &crate::engine::Belief,
    obs: &mut O,
) {
    if !obs.wants_beliefs() || !mind.active {
        return;
    }
    for i in 0..mind.opponent_red_lines() {
        if let (Some(b), Some(a)) = (mind.red_line_probability(before, i), mind.red_line_probability(after, i))
            && (a - b).abs() > 1e-9
        {
            obs.red_line_belief(t, actor, i, b, a);
        }
    }
}

/// The breakdown draw after a rejection at round `t`; true if the talks broke
/// down. One uniform draw (round t's own stream) decides; where it falls in the hazard says why:
/// below the exogenous hazard, or in the part the ladders add (then
/// `ladder.escalation_breakdown` is set). Shared with `brink play`'s session.
#[inline]
pub(super) fn draw_breakdown<O: Observer>(
    setup: &RunSetup,
    ladders: bool,
    ladder: &mut LadderState,
    t: u32,
    streams: &Streams,
    obs: &mut O,
) -> bool {
    let added = if ladders { ladder.added_hazard(setup) } else { 0.0 };
    let hazard = if ladders { (setup.hazard + added).min(MAX_HAZARD) } else { setup.hazard };
    if hazard > 0.0 {
        let u = streams.breakdown(t);
        if u < hazard {
            if u < setup.hazard {
                obs.breakdown(t);
            } else {
                ladder.escalation_breakdown = true;
                obs.escalation_breakdown(t, setup.hazard, added);
            }
            return true;
        }
    }
    false
}

/// `delta^t * x - c * t` (docs/model.md §3).
#[inline]
/// Each actor's expected payoff at `ending`: a deal's payoff as it is; for
/// failed talks, the conflict lottery's expectation (at the ladders' final
/// positions, in the column of how the talks ended) in place of its draw,
/// with the same discounting and costs. Ranking players on it keeps the
/// lottery's luck out: a walk-out that drew the status quo is worth what a
/// walk-out is worth on average.
pub fn expected_payoff(model: &Model, setup: &RunSetup, ending: &Ending) -> [f64; 2] {
    let Some(k) = ending.lottery else { return ending.payoff };
    let column = lottery_column(ending.end);
    let pos = ending.ladder.positions;
    std::array::from_fn(|a| {
        let drawn = model.lottery_payoff(a, k as usize, pos, &setup.params);
        let mean = model.conflict_value(a, pos, column, &setup.params);
        ending.payoff[a] + setup.sides[a].discount.powi(ending.round as i32) * (mean - drawn)
    })
}

/// The conflict lottery's column for talks that ended by `end`.
fn lottery_column(end: End) -> usize {
    match end {
        End::Agreement | End::Breakdown => COLUMN_BREAKDOWN,
        End::Deadline => COLUMN_DEADLINE,
        End::WalkAway(a) => COLUMN_WALK_AWAY + a,
    }
}

fn realised(x: f64, discount: f64, cost: f64, t: u32) -> f64 {
    discount.powi(t as i32) * x - cost * t as f64
}

/// What actor `a` sees at its turn.
#[inline]
#[allow(clippy::too_many_arguments)]
fn make_turn<'a>(
    model: &'a Model,
    setup: &'a RunSetup,
    minds: &'a [Mind; 2],
    utilities: &[&'a [f64]; 2],
    a: ActorIdx,
    round: u32,
    memory: &'a Memory,
    sides: &'a [Side; 2],
) -> Turn<'a> {
    Turn {
        round,
        rounds: model.rounds,
        own: utilities[a],
        opponent: setup.opponent_table(model, a),
        offers: setup.offers(model, a),
        side: &sides[a],
        memory,
        mind: &minds[a],
        lines: setup.own_lines(model, a),
    }
}

/// Builds the [`Ending`] of a negotiation.
struct Finish<'m> {
    model: &'m Model,
    setup: &'m RunSetup,
}

impl Finish<'_> {
    /// After a rejection at round t that did not reach the deadline: the
    /// breakdown draw (the talks end if it falls in the hazard), else the
    /// round's ladder costs accrue. Some(ending) if the talks broke down.
    #[inline]
    fn close_round<O: Observer>(
        &self,
        ladders: bool,
        ladder: &mut LadderState,
        t: u32,
        streams: &Streams,
        obs: &mut O,
    ) -> Option<Ending> {
        if draw_breakdown(self.setup, ladders, ladder, t, streams, obs) {
            return Some(self.disagreement(End::Breakdown, t, ladder, streams));
        }
        if ladders {
            ladder.end_round(self.setup);
        }
        None
    }

    fn agreement(&self, outcome: u32, t: u32, ladder: &LadderState) -> Ending {
        let (model, setup) = (self.model, self.setup);
        let payoff = std::array::from_fn(|a| {
            let s = &setup.sides[a];
            realised(setup.utilities(model, a)[outcome as usize], s.discount, s.cost, t) - ladder.cost[a]
        });
        Ending { end: End::Agreement, round: t, agreement: Some(outcome), lottery: None, payoff, ladder: ladder.end() }
    }

    fn disagreement(&self, end: End, t: u32, ladder: &LadderState, streams: &Streams) -> Ending {
        let (model, setup) = (self.model, self.setup);
        let column = lottery_column(end);
        let k = if model.has_ladders() {
            draw_shifted_lottery(model, column, ladder.pos, streams)
        } else {
            draw_lottery(model, column, streams)
        };
        let payoff = std::array::from_fn(|a| {
            let s = &setup.sides[a];
            let x = if model.has_ladders() {
                model.lottery_payoff(a, k, ladder.pos, &setup.params)
            } else {
                setup.params[model.disagreement[k].payoff[a] as usize]
            };
            realised(x, s.discount, s.cost, t) - ladder.cost[a]
        });
        Ending { end, round: t, agreement: None, lottery: Some(k as u32), payoff, ladder: ladder.end() }
    }
}

/// A deal at round t with the ladders at `ladder`, for `brink play`.
pub(super) fn agreement(model: &Model, setup: &RunSetup, outcome: u32, t: u32, ladder: &LadderState) -> Ending {
    Finish { model, setup }.agreement(outcome, t, ladder)
}

/// Failed talks at round t with the ladders at `ladder`, for `brink play`.
pub(super) fn disagreement(
    model: &Model,
    setup: &RunSetup,
    end: End,
    t: u32,
    ladder: &LadderState,
    streams: &Streams,
) -> Ending {
    Finish { model, setup }.disagreement(end, t, ladder, streams)
}

/// Draws the conflict lottery's outcome (one uniform draw, cumulative scan).
fn draw_lottery(model: &Model, column: usize, streams: &Streams) -> usize {
    let n = model.disagreement.len();
    if n == 1 {
        return 0;
    }
    let x = streams.lottery();
    let mut acc = 0.0;
    for (k, d) in model.disagreement.iter().enumerate() {
        acc += d.by_ending[column];
        if x < acc {
            return k;
        }
    }
    // Rounding can leave the sum a hair below 1.
    model.disagreement.iter().rposition(|d| d.by_ending[column] > 0.0).unwrap_or(n - 1)
}

/// Draws the lottery as the ladders at `pos` shifted it (clamped and
/// renormalised: `Model::lottery_probability`), with the same single draw.
fn draw_shifted_lottery(model: &Model, column: usize, pos: [u8; 2], streams: &Streams) -> usize {
    let n = model.disagreement.len();
    if n == 1 {
        return 0;
    }
    let x = streams.lottery();
    let mut acc = 0.0;
    for k in 0..n {
        acc += model.lottery_probability(k, column, pos);
        if x < acc {
            return k;
        }
    }
    (0..n).rposition(|k| model.lottery_probability(k, column, pos) > 0.0).unwrap_or(n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Watches nothing but reads the offers, so `play` works them out.
    struct ReadsOffers;
    impl Observer for ReadsOffers {}

    /// A run whose red lines leave no deal ends the same whether its offers
    /// are worked out or not: geneva-2022, where both lines are real in
    /// about 40% of runs and no level of NATO enlargement is open to both.
    #[test]
    fn talks_without_offers_end_as_the_talks_with_them() {
        let text = crate::scenario::find_builtin("geneva-2022").unwrap().text;
        let (_, model) = crate::scenario::load_bytes("geneva-2022.toml", text.as_bytes()).unwrap();
        assert!(plays_without_offers(&model));
        let (mut quiet, mut full) = (RunSetup::new(&model), RunSetup::new(&model));
        let mut deadlocked = 0;
        for run in 0..300 {
            let key = RunKey::new(5, run);
            if model.deadlocked(crate::engine::red_lines_real(&model, key)) {
                deadlocked += 1;
            }
            let a = crate::engine::play(&model, &mut quiet, 5, run, &mut NoObserver);
            let b = crate::engine::play(&model, &mut full, 5, run, &mut ReadsOffers);
            assert_eq!(a, b, "run {run}");
        }
        assert!(deadlocked > 60, "{deadlocked} deadlocked runs of 300");
    }
}
