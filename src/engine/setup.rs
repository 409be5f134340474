//! Per-run preparation: draw the uncertain numbers, then derive what each
//! actor knows (its own utilities, reservation value, concession range).
//!
//! A [`RunSetup`] is a workspace: it is created once per thread and reused
//! for every run, so preparing a run allocates nothing.

use rand::RngExt;

use super::Mind;
use super::frequency::FrequencyModel;
use super::mind::KnownType;
use super::strategy::Offers;
use crate::model::{
    Acceptance, ActorIdx, Model, OpponentModel, StrategyConfig, UtilityScratch, WalkAway, fill_utilities,
};
use crate::rng::RunKey;

/// An acceptance rule with its numbers drawn (see `model::Acceptance`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum AcceptRule {
    #[default]
    Next,
    Reservation,
    Threshold(f64),
}

/// When an actor leaves the table, with its numbers drawn (see `model::WalkAway`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WalkRule {
    Floor(f64),
    Auto,
}

/// What one actor knows and wants in this run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Side {
    pub discount: f64,
    pub cost: f64,
    /// The actor's reservation value: perceived if the scenario says so, else
    /// the expected value of the conflict lottery under its own draws.
    pub reservation: f64,
    pub walk_away: Option<WalkRule>,
    /// The best utility the actor can expect to reach: the most it gets from
    /// an outcome the opponent (as modelled) prefers to its mean reservation
    /// value. A walk-away floor is judged against it. Computed only when the
    /// actor may walk away (else `u_max`).
    pub reachable: f64,
    /// The actor's acceptance rule with its numbers drawn.
    pub acceptance: AcceptRule,
    /// Exponent of the time-dependent strategy (1 when unused).
    pub beta: f64,
    /// Best utility in the outcome space for this actor.
    pub u_max: f64,
    /// Lowest utility in the outcome space for this actor.
    pub u_lowest: f64,
    /// The floor of concessions: max(reservation, lowest), never above u_max.
    pub u_min: f64,
    /// The opponent's discount factor as this actor believes it (its mean).
    pub opponent_discount: f64,
    /// Range of the opponent's utility as this actor models it.
    pub opponent_min: f64,
    pub opponent_max: f64,
}

/// The drawn numbers and derived per-actor data of one run.
#[derive(Debug, Clone)]
pub struct RunSetup {
    pub params: Vec<f64>,
    own_utility: [Vec<f64>; 2],
    scratch: UtilityScratch,
    /// (max, min) of each actor's mean utility table, computed once.
    mean_range: [(f64, f64); 2],
    pub sides: [Side; 2],
    pub hazard: f64,
    /// The escalation ladders' numbers for this run (zeros without ladders).
    pub ladder: super::ladder::LadderNumbers,
    /// The reasoning workspaces (inactive for other strategies).
    pub minds: [Mind; 2],
    /// The learnt opponent models (inactive unless `opponent_model = "frequency"`).
    pub learners: [FrequencyModel; 2],
    /// Per actor, which of its red lines are real this run (bit i: line i).
    pub red_real: [u8; 2],
}

impl RunSetup {
    pub fn new(model: &Model) -> Self {
        let table = |a: ActorIdx| {
            if model.actors[a].utility_uncertain { vec![0.0; model.space.len()] } else { Vec::new() }
        };
        let mean_range = [range(&model.mean_utilities[0]), range(&model.mean_utilities[1])];
        RunSetup {
            params: model.params.means.clone(),
            own_utility: [table(0), table(1)],
            scratch: UtilityScratch::default(),
            mean_range,
            sides: [Side::default(); 2],
            hazard: 0.0,
            ladder: Default::default(),
            minds: [Mind::new(model, 0), Mind::new(model, 1)],
            learners: [FrequencyModel::new(model, 0), FrequencyModel::new(model, 1)],
            red_real: [0, 0],
        }
    }

    /// How actor `a` chooses among the outcomes that meet its target.
    #[inline]
    pub fn offers(&self, model: &Model, a: ActorIdx) -> Offers<'_> {
        match model.actors[a].opponent_model {
            OpponentModel::Known => Offers::Known,
            OpponentModel::Frequency => Offers::Learnt(self.learners[a].estimate()),
            OpponentModel::None => Offers::Blind,
        }
    }

    /// Actor `a`'s own red lines this run, for its proposals.
    #[inline]
    pub fn own_lines<'m>(&'m self, model: &'m Model, a: ActorIdx) -> super::strategy::OwnLines<'m> {
        super::strategy::OwnLines { crossings: &model.red_line_crossings[a], real: self.red_real[a] }
    }

    /// Actor `a` sees the opponent's offer `outcome` (a learnt model learns from it).
    #[inline]
    pub fn observe_offer(&self, model: &Model, a: ActorIdx, outcome: u32) {
        if self.learners[a].active {
            self.learners[a].observe(model, outcome);
        }
    }

    /// The numbers an actor knows of its opponent: the scenario's means, or
    /// the run's draws when types are common knowledge (`types_known`).
    #[inline]
    pub fn opponent_view<'m>(&'m self, model: &'m Model) -> &'m [f64] {
        if model.types_known { &self.params } else { &model.params.means }
    }

    /// Actor `a`'s model of its opponent's utility of every outcome: at the
    /// means, or the opponent's drawn table when types are common knowledge.
    #[inline]
    pub fn opponent_table<'m>(&'m self, model: &'m Model, a: ActorIdx) -> &'m [f64] {
        if model.types_known { self.utilities(model, 1 - a) } else { &model.mean_utilities[1 - a] }
    }

    /// Actor `a`'s own (true, drawn) utility of every outcome.
    #[inline]
    pub fn utilities<'m>(&'m self, model: &'m Model, a: ActorIdx) -> &'m [f64] {
        if model.actors[a].utility_uncertain { &self.own_utility[a] } else { &model.mean_utilities[a] }
    }

    /// Draws every uncertain number of run `key`, each from its own stream
    /// (its TOML path is its purpose), and derives each side's data.
    pub fn prepare(&mut self, model: &Model, key: RunKey) {
        self.prepare_fixed(model, key, &[]);
    }

    /// Like [`prepare`](Self::prepare), then sets the numbers in `fixed`
    /// (parameter id, value) before deriving each side's data. Every other
    /// number, and every later draw, is the run's as if nothing were fixed:
    /// each draws from its own stream.
    pub fn prepare_fixed(&mut self, model: &Model, key: RunKey, fixed: &[(u32, f64)]) {
        self.prepare_unless_deadlocked(model, key, fixed, false);
    }

    /// Like [`prepare_fixed`](Self::prepare_fixed); with `quiet`, when the
    /// run's real red lines leave no deal (`Model::deadlocked`), the
    /// reasoning actors are not prepared: the talks can then be played
    /// without offers ([`super::protocol::quiet_talks`]). True if they were not.
    pub fn prepare_unless_deadlocked(&mut self, model: &Model, key: RunKey, fixed: &[(u32, f64)], quiet: bool) -> bool {
        for u in &model.params.uncertain {
            self.params[u.id as usize] = u.distribution.sample(&mut key.stream(u.purpose));
        }
        for &(id, x) in fixed {
            self.params[id as usize] = x;
        }
        let p = &self.params;
        self.hazard = p[model.hazard as usize];
        self.red_real = [0, 1].map(|a| real_red_lines(model, a, |id| p[id as usize], key));
        for a in 0..2 {
            if !model.actors[a].utility_uncertain {
                continue;
            }
            // A table certain before the power shift is copied; a number
            // fixed by the caller may be one behind it, so then it is refilled.
            match &model.raw_utilities[a] {
                Some(raw) if fixed.is_empty() => self.own_utility[a].copy_from_slice(raw),
                _ => fill_utilities(model, a, p, &mut self.own_utility[a], &mut self.scratch),
            }
        }
        // A deal's value over its life needs both actors' tables (power shift).
        if let Some(shift) = model.power.as_ref().filter(|s| s.per_run) {
            crate::model::power::apply(model, shift, p, &mut self.own_utility);
        }
        for a in 0..2 {
            let actor = &model.actors[a];
            let (u_max, u_lowest) =
                if actor.utility_uncertain { range(&self.own_utility[a]) } else { self.mean_range[a] };
            let reservation = model.reservation(a, p);
            let o = 1 - a;
            let (opponent_max, opponent_min) =
                if model.types_known { range(self.utilities(model, o)) } else { self.mean_range[o] };
            self.sides[a] = Side {
                discount: p[actor.discount as usize],
                cost: p[actor.cost_per_round as usize],
                reservation,
                walk_away: actor.walk_away.map(|w| match w {
                    WalkAway::Floor(x) => WalkRule::Floor(p[x as usize]),
                    WalkAway::Auto => WalkRule::Auto,
                }),
                reachable: u_max,
                acceptance: match actor.acceptance {
                    Acceptance::Next => AcceptRule::Next,
                    Acceptance::Reservation => AcceptRule::Reservation,
                    Acceptance::Threshold(t) => AcceptRule::Threshold(p[t as usize]),
                },
                beta: match actor.strategy {
                    StrategyConfig::Time { beta } => p[beta as usize],
                    _ => 1.0,
                },
                u_max,
                u_lowest,
                u_min: reservation.max(u_lowest).min(u_max),
                opponent_discount: self.opponent_view(model)[model.actors[o].discount as usize],
                opponent_min,
                opponent_max,
            };
            if actor.walk_away.is_some() {
                let bar = model.reservation(o, self.opponent_view(model));
                let own = if actor.utility_uncertain { &self.own_utility[a] } else { &model.mean_utilities[a] };
                self.sides[a].reachable = own
                    .iter()
                    .zip(self.opponent_table(model, a))
                    .filter(|&(_, &theirs)| theirs >= bar)
                    .fold(f64::NEG_INFINITY, |best, (&mine, _)| best.max(mine));
            }
        }
        // Escalation ladders: a reasoning actor plans with the ladders where
        // they start (its conflict value, the opponent's as it believes it,
        // and the hazard), and re-plans after every move ([`Self::replan`]).
        if model.has_ladders() {
            self.ladder = super::ladder::LadderNumbers::prepare(model, &self.params);
        }
        let start = self.ladder_shift(model, model.ladder_start());
        // A learnt model starts every run from its prior (no draws).
        for learner in &self.learners {
            if learner.active {
                learner.reset();
            }
        }
        if quiet && model.deadlocked(self.red_real) {
            return true;
        }
        // Reasoning actors sample their prior's types from streams of their
        // own (`streams::BELIEF`).
        for a in 0..2 {
            if self.minds[a].active {
                let table = |x: ActorIdx| {
                    if model.actors[x].utility_uncertain { &self.own_utility[x] } else { &model.mean_utilities[x] }
                };
                let o = 1 - a;
                // With types common knowledge, the one type is the opponent as drawn.
                let known = model.types_known.then(|| {
                    let opponent = &model.actors[o];
                    KnownType {
                        conflict: model.reservation(o, p),
                        discount: p[opponent.discount as usize],
                        cost: p[opponent.cost_per_round as usize],
                        real: self.red_real[o],
                    }
                });
                let opp = if model.types_known { table(o) } else { &model.mean_utilities[o] };
                let s = self.sides[a];
                self.minds[a].opp_conflict_shift = start.opponent[a];
                let own_numbers = [s.discount, s.cost, s.reservation + start.own[a], start.hazard];
                self.minds[a].prepare(model, table(a), opp, own_numbers, self.red_real[a], known, key);
            }
        }
        false
    }
}

/// How the ladders' positions move the numbers a reasoning actor plans with.
#[derive(Debug, Clone, Copy, Default)]
struct LadderShift {
    /// Each actor's own conflict value, minus its value without ladders.
    own: [f64; 2],
    /// The opponent's conflict value as each actor believes it (at the
    /// means, or as drawn with types known), minus its value without ladders.
    opponent: [f64; 2],
    /// The hazard: the run's, plus both ladders' increments (capped).
    hazard: f64,
}

impl RunSetup {
    /// The numbers a reasoning actor plans with when the ladders stand at `pos`.
    fn ladder_shift(&self, model: &Model, pos: [u8; 2]) -> LadderShift {
        let cap = crate::model::escalation::MAX_HAZARD;
        let mut shift = LadderShift { hazard: self.hazard.min(cap), ..LadderShift::default() };
        if pos == [0, 0] {
            return shift;
        }
        let p = &self.params;
        let m = self.opponent_view(model);
        for a in 0..2 {
            shift.own[a] = model.reservation_at(a, pos, p) - self.sides[a].reservation;
            shift.opponent[a] = model.reservation_at(1 - a, pos, m) - model.reservation(1 - a, m);
        }
        let added = self.ladder.hazard[0][pos[0] as usize] + self.ladder.hazard[1][pos[1] as usize];
        shift.hazard = (self.hazard + added).min(cap);
        shift
    }

    /// After a move on a ladder, each reasoning actor re-plans for the new
    /// positions `pos`: its own conflict value, the opponent's as it
    /// believes it, and the hazard change, so its thresholds and offers
    /// from the next decision on follow (docs/strategies.md). Its belief is
    /// kept (`beliefs`, each actor's). `minds` are the run's, taken out of
    /// the setup for the talks.
    pub fn replan(&self, model: &Model, minds: &mut [Mind; 2], pos: [u8; 2], beliefs: [&super::Belief; 2]) {
        let shift = self.ladder_shift(model, pos);
        for (a, mind) in minds.iter_mut().enumerate() {
            if mind.active {
                let conflict = self.sides[a].reservation + shift.own[a];
                mind.replan(conflict, shift.opponent[a], shift.hazard, beliefs[a]);
            }
        }
    }
}

/// Which of each actor's red lines are real in run `key`, as
/// [`RunSetup::prepare`] draws them, without preparing the run: each line's
/// probability is its number as drawn (from its own stream) or fixed.
pub fn red_lines_real(model: &Model, key: RunKey) -> [u8; 2] {
    let probability = |id: u32| match model.params.uncertain.iter().find(|u| u.id == id) {
        Some(u) => u.distribution.sample(&mut key.stream(u.purpose)),
        None => model.params.means[id as usize],
    };
    [0, 1].map(|a| real_red_lines(model, a, probability, key))
}

/// Which of actor a's red lines are real in run `key`: each by one uniform
/// draw from its own stream against its probability (none for a
/// probability of 0 or 1, which need no draw).
fn real_red_lines(model: &Model, a: ActorIdx, probability_of: impl Fn(u32) -> f64, key: RunKey) -> u8 {
    let mut real = 0u8;
    for (i, line) in model.red_lines[a].iter().enumerate() {
        let probability = probability_of(line.probability_real);
        let is_real =
            probability >= 1.0 || (probability > 0.0 && key.stream(line.purpose).random::<f64>() < probability);
        real |= u8::from(is_real) << i;
    }
    real
}

/// (max, min) of a table.
fn range(u: &[f64]) -> (f64, f64) {
    u.iter().fold((f64::NEG_INFINITY, f64::INFINITY), |(hi, lo), &x| (hi.max(x), lo.min(x)))
}
