//! Escalation during the talks (MODEL.md §5b): where each actor stands on
//! its ladder, how its rule moves it, and what a position costs and risks.
//!
//! An actor moves its ladder on its own turn, when it rejects an offer (it
//! rejects, climbs or descends, and counter-offers). A move takes effect at
//! once: in the breakdown hazard of the same round, in both actors'
//! reservation values (so in the offers and acceptances that follow), in the
//! per-round costs from the next round on, and in the conflict lottery if the
//! talks fail. Everything is fixed-size: a ladder costs O(steps) per round and
//! allocates nothing.

use super::{RunSetup, Side};
use crate::model::escalation::{COLUMN_DEFAULT, MAX_HAZARD, MAX_STEPS};
use crate::model::{ActorIdx, EscalationRule, Model};

/// Per-run numbers of both ladders, drawn once in [`RunSetup::prepare`]:
/// cumulative per position (index k = k steps taken).
#[derive(Debug, Clone, Copy, Default)]
pub struct LadderNumbers {
    /// Hazard added by actor a's ladder at position k.
    pub hazard: [[f64; MAX_STEPS + 1]; 2],
    /// Per-round cost to actor a of its own position k.
    pub cost: [[f64; MAX_STEPS + 1]; 2],
    /// Per-round cost actor a's position k imposes on the other actor.
    pub cost_other: [[f64; MAX_STEPS + 1]; 2],
    /// What each actor believes the other's reservation is without ladders
    /// (the scenario's means: MODEL.md §4's private information).
    pub believed_reservation: [f64; 2],
    /// The audience cost of one step down each actor's ladder (docs/model.md §11).
    pub step_down: [f64; 2],
}

impl LadderNumbers {
    pub fn prepare(model: &Model, p: &[f64]) -> Self {
        let mut n = LadderNumbers::default();
        for (a, ladder) in model.ladders.iter().enumerate() {
            for (k, step) in ladder.steps.iter().enumerate() {
                n.hazard[a][k + 1] = n.hazard[a][k] + p[step.hazard as usize];
                n.cost[a][k + 1] = n.cost[a][k] + p[step.cost as usize];
                n.cost_other[a][k + 1] = n.cost_other[a][k] + p[step.cost_other as usize];
            }
            let view = if model.types_known { p } else { &model.params.means };
            n.believed_reservation[1 - a] = model.reservation(1 - a, view);
            n.step_down[a] = model.actors[a].audience.as_ref().map_or(0.0, |c| p[c.step_down as usize]);
        }
        n
    }
}

/// Why an actor moved on its ladder, with the numbers behind the move.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "rule")]
pub enum LadderReason {
    /// The opponent's offers made no progress for `turns` of its turns.
    Stalled { turns: u32 },
    /// The opponent's offer improved (a reversible ladder steps down).
    Progress { gain: f64 },
    /// Tit-for-tat: the opponent stands at `opponent`.
    Mirror { opponent: u8 },
    /// The expected value of the rest of the talks at the old and new position.
    ExpectedValue { before: f64, after: f64, table: f64, conflict: f64 },
    /// A person's move at `brink play`: no rule, no numbers.
    Player,
}

/// A move on a ladder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LadderMove {
    pub from: u8,
    pub to: u8,
    pub reason: LadderReason,
}

/// Where both actors stand, and what they remember for their rules.
#[derive(Debug, Clone, Copy)]
pub struct LadderState {
    pub pos: [u8; 2],
    /// The round of each actor's first climb during the talks.
    pub first_step: [Option<u32>; 2],
    /// Escalation costs accrued so far (undiscounted, like `cost_per_round`).
    pub cost: [f64; 2],
    /// Set when the talks broke down by the ladders' added hazard.
    pub escalation_breakdown: bool,
    stall: [u32; 2],
    best_received: [f64; 2],
    deals: DealCache,
}

/// The pairs of ladder positions.
const CELLS: usize = (MAX_STEPS + 1) * (MAX_STEPS + 1);

/// What the reasoning rule expects at each pair of positions, per actor,
/// once worked out in a run: its conflict value there and the deal it
/// expects at the table (NaN: none). Both depend on the positions and the
/// run's numbers only, not on the round, so a run works each out once.
#[derive(Debug, Clone, Copy)]
struct DealCache {
    known: [u128; 2],
    conflict: [[f64; CELLS]; 2],
    table: [[f64; CELLS]; 2],
}

impl Default for DealCache {
    fn default() -> Self {
        DealCache { known: [0; 2], conflict: [[0.0; CELLS]; 2], table: [[f64::NAN; CELLS]; 2] }
    }
}

impl DealCache {
    /// `actor`'s conflict value at `pos`, and the deal it expects there.
    fn at(&mut self, model: &Model, setup: &RunSetup, actor: ActorIdx, pos: [u8; 2]) -> (f64, Option<f64>) {
        let cell = pos[0] as usize * (MAX_STEPS + 1) + pos[1] as usize;
        if self.known[actor] >> cell & 1 == 0 {
            let own = setup.utilities(model, actor);
            let other = setup.opponent_table(model, actor);
            let conflict = model.reservation_at(actor, pos, &setup.params);
            let believed = believed_at(model, setup, &setup.ladder, actor, pos);
            let table = Table { own, other, backing: None, candidates: None };
            self.conflict[actor][cell] = conflict;
            self.table[actor][cell] = table.nash_deal(conflict, believed).unwrap_or(f64::NAN);
            self.known[actor] |= 1 << cell;
        }
        let table = self.table[actor][cell];
        (self.conflict[actor][cell], (!table.is_nan()).then_some(table))
    }
}

impl LadderState {
    pub fn new(model: &Model) -> Self {
        LadderState {
            pos: model.ladder_start(),
            first_step: [None; 2],
            cost: [0.0; 2],
            escalation_breakdown: false,
            stall: [0; 2],
            best_received: [f64::NEG_INFINITY; 2],
            deals: DealCache::default(),
        }
    }

    /// The ladder part of a negotiation's [`Ending`](super::Ending).
    pub fn end(&self) -> super::LadderEnd {
        super::LadderEnd {
            positions: self.pos,
            first_step: self.first_step,
            escalation_breakdown: self.escalation_breakdown,
        }
    }

    /// The hazard the ladders add this round.
    #[inline]
    pub fn added_hazard(&self, setup: &RunSetup) -> f64 {
        let n = &setup.ladder;
        n.hazard[0][self.pos[0] as usize] + n.hazard[1][self.pos[1] as usize]
    }

    /// Accrues one round of escalation costs (called as a round passes).
    #[inline]
    pub fn end_round(&mut self, setup: &RunSetup) {
        let n = &setup.ladder;
        for a in 0..2 {
            let o = 1 - a;
            self.cost[a] += n.cost[a][self.pos[a] as usize] + n.cost_other[o][self.pos[o] as usize];
        }
    }

    /// `actor` has just rejected an offer worth `offered` to it at round `t`:
    /// its rule may move it on its ladder. On a move, both actors'
    /// reservation values in `sides` follow the new conflict lottery.
    pub fn decide(
        &mut self,
        model: &Model,
        setup: &RunSetup,
        sides: &mut [Side; 2],
        actor: ActorIdx,
        t: u32,
        offered: f64,
    ) -> Option<LadderMove> {
        let ladder = &model.ladders[actor];
        let top = ladder.steps.len() as u8;
        if top == 0 {
            return None;
        }
        let here = self.pos[actor];
        let progress = offered - self.best_received[actor];
        let (to, reason) = match ladder.rule {
            EscalationRule::Never => return None,
            EscalationRule::Stalled { after, min_progress } => {
                if progress >= min_progress {
                    self.best_received[actor] = offered;
                    self.stall[actor] = 0;
                    // A step down is taken on progress worth more than its
                    // audience cost; without one, on any progress.
                    let cost = setup.ladder.step_down[actor];
                    if model.reversible && here > 0 && progress.is_finite() && (cost == 0.0 || progress > cost) {
                        (here - 1, LadderReason::Progress { gain: progress })
                    } else {
                        return None;
                    }
                } else {
                    self.stall[actor] += 1;
                    if self.stall[actor] < after || here >= top {
                        return None;
                    }
                    let turns = self.stall[actor];
                    self.stall[actor] = 0;
                    (here + 1, LadderReason::Stalled { turns })
                }
            }
            EscalationRule::Mirror => {
                let them = self.pos[1 - actor];
                if them > here && here < top {
                    (here + 1, LadderReason::Mirror { opponent: them })
                } else if model.reversible && them < here {
                    (here - 1, LadderReason::Mirror { opponent: them })
                } else {
                    return None;
                }
            }
            EscalationRule::ExpectedValue => self.reason(model, setup, actor, t)?,
        };
        if to == here {
            return None;
        }
        Some(self.step_to(model, setup, sides, actor, t, to, reason))
    }

    /// Moves `actor` to position `to` at round `t` (one step, checked by the
    /// caller) and refreshes both reservation values: the one place a move
    /// takes effect, for the rules and for a player at `brink play`.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn step_to(
        &mut self,
        model: &Model,
        setup: &RunSetup,
        sides: &mut [Side; 2],
        actor: ActorIdx,
        t: u32,
        to: u8,
        reason: LadderReason,
    ) -> LadderMove {
        let here = self.pos[actor];
        self.pos[actor] = to;
        if to > here && self.first_step[actor].is_none() {
            self.first_step[actor] = Some(t);
        }
        // Backing down a step costs the audience cost, once (docs/model.md §11).
        if to < here {
            self.cost[actor] += setup.ladder.step_down[actor] * f64::from(here - to);
        }
        refresh_reservations(model, setup, sides, self.pos);
        LadderMove { from: here, to, reason }
    }

    /// Takes over `other`'s memory of actor `a`'s rule (turns without
    /// progress, best offer received) but not its position: at `brink play`
    /// the seat's rule keeps counting while the player moves the ladder.
    pub fn adopt_rule_memory(&mut self, other: &LadderState, a: ActorIdx) {
        self.stall[a] = other.stall[a];
        self.best_received[a] = other.best_received[a];
    }

    /// The reasoning rule: compare the expected value of the rest of the
    /// talks one step up, where it stands, and (if reversible) one step down;
    /// ties keep it where it is.
    fn reason(&mut self, model: &Model, setup: &RunSetup, actor: ActorIdx, t: u32) -> Option<(u8, LadderReason)> {
        let expected = rounds_expected(model, t);
        let deals = &mut self.deals;
        let value = |pos: [u8; 2]| {
            let (conflict, table) = deals.at(model, setup, actor, pos);
            value_at(setup, &setup.ladder, actor, pos, expected, conflict, table)
        };
        let (to, stay, after) = best_move(model, actor, self.pos, setup.ladder.step_down[actor], value);
        (to != self.pos[actor]).then_some((
            to,
            LadderReason::ExpectedValue {
                before: stay.value,
                after: after.value,
                table: after.table,
                conflict: after.conflict,
            },
        ))
    }
}

/// The reasoning rule's choice for `actor` with the ladders at `pos`: the
/// position (one step up, where it stands, or, if reversible, one step down
/// after the audience cost `step_down`) whose `value` is highest; ties keep
/// it where it is. Returns the position, the value of staying and the value
/// of the position chosen.
fn best_move(
    model: &Model,
    actor: ActorIdx,
    pos: [u8; 2],
    step_down: f64,
    mut value: impl FnMut([u8; 2]) -> Valuation,
) -> (u8, Valuation, Valuation) {
    let here = pos[actor];
    let top = model.ladders[actor].steps.len() as u8;
    let stay = value(pos);
    let mut best = (here, stay);
    let mut consider = |k: u8, cost: f64| {
        let mut at = pos;
        at[actor] = k;
        let mut v = value(at);
        v.value -= cost;
        if v.value > best.1.value + 1e-12 {
            best = (k, v);
        }
    };
    if here < top {
        consider(here + 1, 0.0);
    }
    if model.reversible && here > 0 {
        // Stepping down pays only if it is worth its audience cost.
        consider(here - 1, step_down);
    }
    (best.0, stay, best.1)
}

/// A move on a ladder as a signal (docs/strategies.md, "Ladder moves"): the
/// other side asks, of each type of the climber it considers, whether a
/// climber of that type would, by the reasoning rule, have moved to `to`
/// from `pos` at round `t`, as the other side models it: the climber's
/// utilities as the other side models them, its ladder costs at the means
/// (`means`, prepared from the scenario's means), and per type its conflict
/// value at each position, its cost of backing down and of a step down.
/// What is the same for every type (the tables, what the climber believes
/// of the observer's reservation at each position) is worked out once.
pub struct MoveReading<'a> {
    model: &'a Model,
    setup: &'a RunSetup,
    means: LadderNumbers,
    climber: ActorIdx,
    pos: [u8; 2],
    to: u8,
    /// The rounds the talks are expected to last ([`rounds_expected`]).
    expected: u32,
    own: &'a [f64],
    other: &'a [f64],
    /// The outcomes a Nash bargain over the modelled tables can pick.
    candidates: Option<&'a [u32]>,
    /// What the climber believes of the observer's reservation with the
    /// climber at each position of its ladder.
    believed: [f64; MAX_STEPS + 1],
}

impl<'a> MoveReading<'a> {
    pub fn new(model: &'a Model, setup: &'a RunSetup, climber: ActorIdx, pos: [u8; 2], to: u8, t: u32) -> Self {
        let observer = 1 - climber;
        let means = LadderNumbers::prepare(model, &model.params.means);
        let mut believed = [0.0; MAX_STEPS + 1];
        let top = model.ladders[climber].steps.len();
        let here = pos[climber] as usize;
        // The positions the rule weighs: one step down, where it stands, one up.
        let (lowest, highest) = (here.saturating_sub(1), (here + 1).min(top));
        for (k, slot) in believed.iter_mut().enumerate().take(highest + 1).skip(lowest) {
            let mut at = pos;
            at[climber] = k as u8;
            *slot = believed_at(model, setup, &means, climber, at);
        }
        // The modelled tables are the scenario's means unless types are
        // known (then the run's own): only the means' candidates are made once.
        let candidates = if model.types_known { None } else { model.nash_candidates[climber].as_deref() };
        MoveReading {
            model,
            setup,
            means,
            climber,
            pos,
            to,
            expected: rounds_expected(model, t),
            own: setup.opponent_table(model, observer),
            other: setup.opponent_table(model, climber),
            candidates,
            believed,
        }
    }

    /// Whether a climber of the type whose conflict value at each position
    /// is `conflict_at` would have moved so: `backing` is, for a type of
    /// private cost of backing down, per outcome whether it is below the
    /// climber's demand and how much more than the mean the type's cost is;
    /// `step_down` the type's own cost of a step down (None: the mean's).
    pub fn type_would_move(
        &self,
        conflict_at: impl Fn([u8; 2]) -> f64,
        backing: Option<(&[bool], f64)>,
        step_down: Option<f64>,
    ) -> bool {
        let climber = self.climber;
        let table = Table { own: self.own, other: self.other, backing, candidates: self.candidates };
        let value = |at: [u8; 2]| {
            let d = conflict_at(at);
            let deal = table.nash_deal(d, self.believed[at[climber] as usize]);
            value_at(self.setup, &self.means, climber, at, self.expected, d, deal)
        };
        let step_down = step_down.unwrap_or(self.means.step_down[climber]);
        best_move(self.model, climber, self.pos, step_down, value).0 == self.to
    }
}

/// The reasoning rule's valuation of a ladder position.
#[derive(Debug, Clone, Copy)]
pub struct Valuation {
    pub value: f64,
    /// The deal the actor expects at the table (NaN if it expects none).
    pub table: f64,
    /// The actor's own conflict value (after a breakdown).
    pub conflict: f64,
}

/// How many more rounds the talks are expected to last after round `t`: a
/// deal is expected halfway through the rounds of talks left
/// (`ceil(rest / 2)`), after every round before the talks open has passed.
#[inline]
fn rounds_expected(model: &Model, t: u32) -> u32 {
    let rest = model.rounds.saturating_sub(t + 1);
    let waiting = model.talks_open.saturating_sub(t + 1).min(rest);
    waiting + (rest - waiting).div_ceil(2)
}

/// The expected value of the rest of the talks to `actor` if the ladders
/// stood at `pos`, under its beliefs:
///
/// `V = s * max(table, conflict) + (1 - s) * conflict - m * cost`,
///
/// where the talks last `m` more rounds ([`rounds_expected`]; a deal expected
/// halfway through what is left), survive them with probability
/// `s = (1 - h)^m` (h: the hazard with both ladders' increments), `table` is
/// the best deal for `actor` among those the opponent prefers to its own
/// conflict value (the opponent's utilities and reservation at the
/// scenario's means, moved by the ladders: [`Table::nash_deal`] at
/// [`believed_at`]), `conflict` is the actor's own conflict value after a
/// breakdown, and `cost` the per-round cost of both positions to it.
/// Climbing pays when it lowers the opponent's reservation (a better deal)
/// by more than the costs and the added risk take away; it never pays to
/// add risk when the conflict value is below the table (deterrence).
fn value_at(
    setup: &RunSetup,
    n: &LadderNumbers,
    actor: ActorIdx,
    pos: [u8; 2],
    m: u32,
    conflict: f64,
    table: Option<f64>,
) -> Valuation {
    let o = 1 - actor;
    let h = (setup.hazard + n.hazard[0][pos[0] as usize] + n.hazard[1][pos[1] as usize]).min(MAX_HAZARD);
    let m = m.max(1);
    let survive = (1.0 - h).powi(m as i32);
    let cost = n.cost[actor][pos[actor] as usize] + n.cost_other[o][pos[o] as usize];
    let value = survive * table.unwrap_or(conflict).max(conflict) + (1.0 - survive) * conflict - m as f64 * cost;
    Valuation { value, table: table.unwrap_or(f64::NAN), conflict }
}

/// The opponent's reservation value with the ladders at `pos`, as `actor`
/// believes it: its value without ladders (`n`), moved by the ladders'
/// change of the lottery's value to it (at the means, or as drawn with
/// types known).
fn believed_at(model: &Model, setup: &RunSetup, n: &LadderNumbers, actor: ActorIdx, pos: [u8; 2]) -> f64 {
    let o = 1 - actor;
    let view = setup.opponent_view(model);
    n.believed_reservation[o] + model.conflict_value(o, pos, COLUMN_DEFAULT, view)
        - model.conflict_value(o, [0, 0], COLUMN_DEFAULT, view)
}

/// The tables a valuation bargains over: the actor's utilities, its model
/// of the opponent's, and, for a type of private cost of backing down, the
/// outcomes below its demand with how much less they are worth to it;
/// `candidates`, when given, the outcomes that can be the bargain
/// ([`crate::model::nash_candidates`]; only without `backing`).
struct Table<'a> {
    own: &'a [f64],
    other: &'a [f64],
    backing: Option<(&'a [bool], f64)>,
    candidates: Option<&'a [u32]>,
}

impl Table<'_> {
    /// The actor's utility of the Nash bargaining solution at threat point
    /// `(d_own, d_other)`: the outcome maximising `(own - d_own)(other - d_other)`
    /// among those both weakly prefer to their conflict values (first index on
    /// ties). `None` if no outcome is acceptable to both.
    #[inline]
    fn nash_deal(&self, d_own: f64, d_other: f64) -> Option<f64> {
        let (own, other) = (self.own, self.other);
        match (self.backing, self.candidates) {
            (Some((below, delta)), _) => {
                nash_over(0..own.len(), own, other, d_own, d_other, |w, x| if below[w] { x - delta } else { x })
            }
            (None, Some(c)) => nash_over(c.iter().map(|&w| w as usize), own, other, d_own, d_other, |_, x| x),
            (None, None) => nash_over(0..own.len(), own, other, d_own, d_other, |_, x| x),
        }
    }
}

/// [`Table::nash_deal`] over the outcomes `ws` (ascending); `value(w, x)`
/// turns the table's `own[w]` into the actor's own value.
#[inline(always)]
fn nash_over(
    ws: impl Iterator<Item = usize>,
    own: &[f64],
    other: &[f64],
    d_own: f64,
    d_other: f64,
    value: impl Fn(usize, f64) -> f64,
) -> Option<f64> {
    let mut best: Option<(f64, f64)> = None;
    for w in ws {
        let (x, y) = (value(w, own[w]), other[w]);
        if x < d_own || y < d_other {
            continue;
        }
        let product = (x - d_own) * (y - d_other);
        if best.is_none_or(|(b, _)| product > b) {
            best = Some((product, x));
        }
    }
    best.map(|b| b.1)
}

/// The ladders where a run starts, and both sides' numbers moved to those
/// positions (the talks keep their own copy: ladder moves change them).
pub fn starting_ladders(model: &Model, setup: &RunSetup) -> (LadderState, [Side; 2]) {
    let mut sides = setup.sides;
    let ladder = LadderState::new(model);
    if model.has_ladders() && ladder.pos != [0, 0] {
        refresh_reservations(model, setup, &mut sides, ladder.pos);
    }
    (ladder, sides)
}

/// Both actors' reservation values (and concession floors) at `pos`.
pub fn refresh_reservations(model: &Model, setup: &RunSetup, sides: &mut [Side; 2], pos: [u8; 2]) {
    for (a, side) in sides.iter_mut().enumerate() {
        side.reservation = model.reservation_at(a, pos, &setup.params);
        side.u_min = side.reservation.max(side.u_lowest).min(side.u_max);
    }
}
