//! What a reasoning actor works out before and during a run: its belief over
//! the opponent's type and the backward induction behind its offers
//! (docs/strategies.md has the equations).
//!
//! The opponent's type is what the actor does not know: its discount factor,
//! cost per round and reservation value. The actor knows only their
//! distributions (docs/model.md §4), so before round 0 it draws [`TYPES`] samples
//! of them: an equally weighted prior. Type k's sample of a number comes from
//! the stream (actor, k, the number's path), so fixing, adding or removing
//! one opponent number leaves every other sample as it was. For each type it
//! solves the complete-information game of the remaining rounds by backward
//! induction, which gives, per round, the type's acceptance threshold (in the
//! opponent's utility as the actor models it) and the actor's own value of a
//! rejection. During the talks the belief only changes weights (Bayes' rule):
//! a rejected offer rules out every type that would have accepted it.
//!
//! Red lines (docs/model.md §10) multiply the types: each sample comes in
//! every combination of the opponent's red lines being real or a bluff,
//! weighted by the probabilities the scenario gives. A type with a real red
//! line accepts nothing across it, so the game against it is solved on the
//! frontier of the outcomes that cross none of its real lines; a rejection
//! of an offer across a line raises the weight of the types for which it is
//! real (screening), and an offer of the opponent's own across one of its
//! lines shows that line to be a bluff.
//!
//! A [`Mind`] is a workspace inside [`super::RunSetup`]: its buffers are sized
//! once per model, so preparing a run and playing it allocate nothing.

use super::streams::{BELIEF, actor_purpose};
use crate::model::escalation::COLUMN_DEFAULT;
use crate::model::{ActorIdx, Model, ParamId, Prior, StrategyConfig};
use crate::rng::{Purpose, RunKey};

/// The number of prior samples of the opponent's numbers.
pub const SAMPLES: usize = 16;

/// The most combinations of the opponent's red lines (real or a bluff).
const COMBINATIONS: usize = 1 << crate::model::MAX_RED_LINES;

/// The most opponent types in the belief: each sample in each combination.
pub const TYPES: usize = SAMPLES * COMBINATIONS;

/// Utilities closer than this count as equal in thresholds, so that two
/// actors computing the same number both see the deal as acceptable.
pub const EPS: f64 = 1e-9;

/// How much an opponent's offer worth less to it (as modelled) than a type's
/// conflict value counts against that type: the likelihood of such an offer
/// relative to a type for which it is rational. Not zero, because the model
/// of the opponent's utilities is only the scenario's means.
const OFFER_EVIDENCE: f64 = 0.25;

/// How much a move on a ladder that a type would not have made (by the
/// reasoning rule, as modelled) counts against that type; not zero, for the
/// same reason as [`OFFER_EVIDENCE`].
const MOVE_EVIDENCE: f64 = 0.25;

/// A point of the Pareto frontier of (own utility, opponent's modelled utility).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Point {
    pub own: f64,
    pub opp: f64,
    pub outcome: u32,
    /// The opponent's red lines the outcome crosses (bit i: line i).
    pub crosses: u8,
    /// Whether the outcome is below the opponent's public demand, when its
    /// cost of backing down is private (docs/model.md §11).
    pub below: bool,
}

/// A number as the actor knows it: fixed, or the index of an uncertain
/// parameter whose distribution it samples.
#[derive(Debug, Clone, Copy)]
enum Source {
    Fixed(f64),
    Drawn(usize),
}

/// The actor's belief: a weight per opponent type, and a floor: the opponent
/// is believed to accept nothing at or below the best offer (to it) that it
/// has rejected.
///
/// When a rejection rules out every type, the opponent is tougher than the
/// actor's model of it, and the model's promise of what waiting brings (the
/// type's next offer) is no longer believed: the belief is `contradicted`,
/// and the actor then expects from waiting only the best offer the opponent
/// has actually made (`best_received`, in its own utility).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Belief {
    pub weight: [f64; TYPES],
    pub floor: f64,
    pub contradicted: bool,
    pub best_received: f64,
    /// Red lines of the opponent's the actor has seen it refuse to cross
    /// when the belief could not explain the refusal: offers across them
    /// are believed refused.
    pub refused: u8,
}

impl Default for Belief {
    fn default() -> Self {
        Belief {
            weight: [0.0; TYPES],
            floor: f64::NEG_INFINITY,
            contradicted: false,
            best_received: f64::NEG_INFINITY,
            refused: 0,
        }
    }
}

/// An offer the actor has chosen, and the numbers behind it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    pub point: Point,
    /// The probability, under the belief, that the opponent accepts it.
    pub accept_probability: f64,
    /// The offer's expected value to the actor (realised, this round).
    pub expected: f64,
}

/// A reasoning actor's per-run workspace.
#[derive(Debug, Clone, Default)]
pub struct Mind {
    pub active: bool,
    actor: ActorIdx,
    /// The purpose of the actor's belief streams (`BELIEF` with its id).
    belief: Purpose,
    rounds: u32,
    first_mover: ActorIdx,
    /// Outcomes by the opponent's modelled utility, descending (fixed per model).
    order: Vec<u32>,
    /// Per combination m of the opponent's red lines taken as real, the
    /// Pareto frontier of the outcomes crossing none of them (nor the
    /// actor's own real lines), opponent's utility descending, own
    /// ascending. Without opponent red lines only `frontiers[0]` is used.
    /// With the opponent's cost of backing down private, `frontiers[m]`
    /// holds the outcomes not below its public demand, and
    /// `frontiers[COMBINATIONS + m]` those below it, each its own frontier.
    frontiers: [Vec<Point>; 2 * COMBINATIONS],
    /// How many combinations of the opponent's red lines there are (2^lines).
    combinations: usize,
    /// Per outcome, the opponent's red lines it crosses; the actor's own (empty without).
    opp_crosses: Vec<u8>,
    own_crosses: Vec<u8>,
    /// The prior probability that each opponent red line is real (its mean).
    opp_line_prior: Vec<f64>,
    /// Whether the opponent reasons: only then does an offer across its own
    /// red line show the line to be a bluff (other strategies' offers ignore red lines).
    opp_reasons: bool,
    /// The actor's own red lines that are real this run.
    own_real: u8,
    /// The opponent's red lines real for some type of the belief: a line
    /// known to be a bluff is in none, and counts for nothing.
    possible: u8,
    types: usize,
    /// Per type: the combination of red lines real for it, and its prior weight.
    type_mask: Vec<u8>,
    prior: Vec<f64>,
    opp_discount: Source,
    opp_cost: Source,
    /// The opponent's reservation value: its own number, or the
    /// lottery (probability, payoff) when the scenario gives none.
    opp_reservation: Option<Source>,
    opp_lottery: Vec<(f64, Source)>,
    /// Per type: (conflict value, discount, cost).
    type_params: Vec<(f64, f64, f64)>,
    /// The last plan made, with the belief and round it was made for: the
    /// responder plans its counter-offer and then, judging the offer on the
    /// table, the value of waiting, which is the same plan. Cleared
    /// whenever the thresholds change (prepare, replan).
    memo: std::cell::RefCell<Option<(u32, Belief, Plan)>>,
    /// The points a plan weighs, in the order it weighs them (each frontier
    /// in turn, from the actor's best offer down), made once per run.
    scan: Scan,
    /// A plan's per-point sums, reused.
    sums: std::cell::RefCell<Sums>,
    /// The opponent's cost of backing down from its public demand, when it
    /// is uncertain (otherwise None: believed at its mean, inside `opp`),
    /// and per outcome whether it lies below that demand.
    opp_backing: Option<(Source, f64)>,
    opp_below: Vec<bool>,
    /// Whether this run's types differ in that cost (`opp_backing`, types
    /// not known): then the frontiers are split by the demand.
    split: bool,
    /// Per type, its cost of backing down minus the mean: a deal below the
    /// demand is worth that much less to it than the modelled table says.
    type_delta: Vec<f64>,
    sample_delta: [f64; SAMPLES],
    /// The opponent's cost of a step down its ladder, when it is uncertain:
    /// each sample draws it, and a move is read with the type's own.
    opp_step_down: Option<Source>,
    sample_step_down: [f64; SAMPLES],
    /// `sample_payoffs[s * outcomes + j]`: sample s's payoff of the
    /// conflict lottery's outcome j, as drawn (the means when the
    /// opponent's reservation is a number of its own): how a ladder's shift
    /// of the lottery moves that sample's conflict value, when a move is
    /// read as a signal. `type_sample[k]` is type k's sample.
    sample_payoffs: Vec<f64>,
    type_sample: Vec<u8>,
    /// The number of the lottery's outcomes.
    outcomes: usize,
    /// Whether samples keep their lottery payoffs: only when the opponent
    /// climbs by the reasoning rule, whose moves are read with them.
    keep_payoffs: bool,
    /// With `belief = "quantiles"`, the samples (conflict value, discount,
    /// cost) on the quantile grid, the same every run: computed once.
    grid: Option<Vec<(f64, f64, f64)>>,
    /// `threshold[t * TYPES + k]`: type k's acceptance threshold at round t.
    threshold: Vec<f64>,
    /// `rejection[t * TYPES + k]`: the actor's realised value of a rejection
    /// at round t against type k (breakdown risk, then the next round).
    rejection: Vec<f64>,
    /// `own_power[t] = discount^t`, and `sample_power[s * rounds + t]` the
    /// same for sample s's discount: powers are looked up, not recomputed,
    /// in the per-round loops.
    own_power: Vec<f64>,
    sample_power: Vec<f64>,
    // The actor's own numbers this run.
    discount: f64,
    cost: f64,
    conflict: f64,
    hazard: f64,
    /// How much the escalation ladders' starting positions move the
    /// opponent's conflict value (at the means), added to every type's; 0
    /// without ladders.
    pub opp_conflict_shift: f64,
}

impl Source {
    /// A number drawn from a one-point distribution is known: it counts as
    /// fixed, so writing `0.97` as `{ uniform = [0.97, 0.97] }` changes nothing.
    fn of(model: &Model, id: ParamId) -> Source {
        let Some(k) = model.params.uncertain.iter().position(|u| u.id == id) else {
            return Source::Fixed(model.params.means[id as usize]);
        };
        let d = &model.params.uncertain[k].distribution;
        let (lo, hi) = d.support();
        // The one point itself, not `params.means`: a tornado arm fixes a
        // number with a one-point distribution and leaves the means alone.
        if lo == hi { Source::Fixed(d.mean()) } else { Source::Drawn(k) }
    }

    /// The sample of a type whose streams have purpose `of_type`.
    #[inline]
    fn sample(self, model: &Model, key: RunKey, of_type: Purpose) -> f64 {
        match self {
            Source::Fixed(x) => x,
            Source::Drawn(k) => {
                let u = &model.params.uncertain[k];
                u.distribution.sample(&mut key.stream(of_type.with(u.purpose)))
            }
        }
    }

    /// The q-quantile of the number's distribution (the number itself when fixed).
    fn quantile(self, model: &Model, q: f64) -> f64 {
        match self {
            Source::Fixed(x) => x,
            Source::Drawn(k) => model.params.uncertain[k].distribution.quantile(q),
        }
    }

    fn uncertain(self) -> bool {
        matches!(self, Source::Drawn(_))
    }
}

impl Default for Source {
    fn default() -> Self {
        Source::Fixed(0.0)
    }
}

impl Mind {
    /// The workspace of actor `a`; inactive unless it plays the reasoning strategy.
    pub fn new(model: &Model, a: ActorIdx) -> Mind {
        let StrategyConfig::Reasoning { prior } = model.actors[a].strategy else {
            return Mind::default();
        };
        let o = 1 - a;
        let opp_utility = &model.mean_utilities[o];
        let mut order: Vec<u32> = (0..model.space.len() as u32).collect();
        order.sort_by(|&x, &y| opp_utility[y as usize].total_cmp(&opp_utility[x as usize]).then(x.cmp(&y)));
        let opponent = &model.actors[o];
        // The opponent values war with the odds it believes: its own
        // (`believed_odds`, known at their means, like all its numbers) or
        // the lottery's.
        let odds: Vec<f64> = match &opponent.believed_odds {
            Some(odds) => {
                let means: Vec<f64> = odds.iter().map(|&id| model.params.means[id as usize]).collect();
                let total: f64 = means.iter().sum();
                means.iter().map(|m| m / total).collect()
            }
            None => model.disagreement.iter().map(|d| d.probability).collect(),
        };
        let opp_lottery: Vec<(f64, Source)> =
            model.disagreement.iter().zip(odds).map(|(d, p)| (p, Source::of(model, d.payoff[o]))).collect();
        let cells = model.rounds as usize * TYPES;
        let opp_discount = Source::of(model, opponent.discount);
        let opp_cost = Source::of(model, opponent.cost_per_round);
        let opp_reservation = opponent.reservation.map(|id| Source::of(model, id));
        // A private cost of backing down (drawn, the other side knows its
        // distribution) makes the types differ in it.
        let opp_backing = opponent
            .audience
            .as_ref()
            .filter(|c| !c.demand.is_empty())
            .map(|c| (Source::of(model, c.backing_down), model.params.means[c.backing_down as usize]))
            .filter(|(s, _)| s.uncertain());
        let opp_step_down =
            opponent.audience.as_ref().map(|c| Source::of(model, c.step_down)).filter(|s| s.uncertain());
        // Type k sits at the quantile (k + 0.5) / SAMPLES of every number
        // (comonotone: one grid, not a product of grids).
        let grid = (prior == Prior::Quantiles).then(|| {
            (0..SAMPLES)
                .map(|k| {
                    let q = (k as f64 + 0.5) / SAMPLES as f64;
                    let conflict = match opp_reservation {
                        Some(s) => s.quantile(model, q),
                        None => opp_lottery.iter().map(|&(p, s)| p * s.quantile(model, q)).sum(),
                    };
                    (conflict, opp_discount.quantile(model, q), opp_cost.quantile(model, q))
                })
                .collect()
        });
        Mind {
            active: true,
            actor: a,
            belief: BELIEF.with(actor_purpose(model, a)),
            rounds: model.rounds,
            first_mover: model.first_mover,
            frontiers: std::array::from_fn(|i| {
                let m = i % COMBINATIONS;
                let used = m < 1 << model.red_lines[o].len() && (i < COMBINATIONS || opp_backing.is_some());
                if used { Vec::with_capacity(order.len()) } else { Vec::new() }
            }),
            opp_below: if opp_backing.is_some() {
                (0..model.space.len() as u32).map(|w| model.backs_down(o, w)).collect()
            } else {
                Vec::new()
            },
            opp_backing,
            split: false,
            type_delta: vec![0.0; TYPES],
            sample_delta: [0.0; SAMPLES],
            opp_step_down,
            sample_step_down: [0.0; SAMPLES],
            order,
            combinations: 1 << model.red_lines[o].len(),
            opp_crosses: model.red_line_crossings[o].clone(),
            own_crosses: model.red_line_crossings[a].clone(),
            opp_line_prior: model.red_lines[o]
                .iter()
                .map(|l| model.params.means[l.probability_real as usize])
                .collect(),
            opp_reasons: matches!(opponent.strategy, StrategyConfig::Reasoning { .. }),
            own_real: 0,
            possible: 0,
            types: 1,
            type_mask: vec![0; TYPES],
            prior: vec![1.0; TYPES],
            opp_discount,
            opp_cost,
            opp_reservation,
            opp_lottery,
            grid,
            type_params: vec![(0.0, 1.0, 0.0); TYPES],
            memo: std::cell::RefCell::new(None),
            scan: Scan::default(),
            sums: Default::default(),
            type_sample: vec![0; TYPES],
            sample_payoffs: vec![0.0; SAMPLES * model.disagreement.len()],
            outcomes: model.disagreement.len(),
            keep_payoffs: model.ladders[o].rule == crate::model::EscalationRule::ExpectedValue,
            threshold: vec![0.0; cells],
            rejection: vec![0.0; cells],
            own_power: vec![1.0; model.rounds as usize],
            sample_power: vec![1.0; SAMPLES * model.rounds as usize],
            discount: 1.0,
            cost: 0.0,
            conflict: 0.0,
            hazard: 0.0,
            opp_conflict_shift: 0.0,
        }
    }

    /// Prepares a run: the frontiers of the actor's drawn utilities `own`
    /// against its model `opp` of the opponent's, the prior's samples (from
    /// the belief's streams) and the backward induction. `numbers` are the
    /// actor's own discount, cost, conflict value and hazard; `own_real` its
    /// red lines that are real this run; `known`, when types are common
    /// knowledge, the opponent as drawn: then the belief holds that one type.
    #[allow(clippy::too_many_arguments)]
    pub fn prepare(
        &mut self,
        model: &Model,
        own: &[f64],
        opp: &[f64],
        numbers: [f64; 4],
        own_real: u8,
        known: Option<KnownType>,
        key: RunKey,
    ) {
        if !self.active {
            return;
        }
        *self.memo.get_mut() = None;
        let [discount, cost, conflict, hazard] = numbers;
        (self.discount, self.cost, self.conflict, self.hazard) = (discount, cost, conflict, hazard);
        self.own_real = own_real;
        powers(&mut self.own_power, discount);
        if model.types_known && model.actors[1 - self.actor].utility_uncertain {
            // The opponent's drawn table orders the outcomes this run; an
            // unstable sort allocates nothing, and the index breaks ties.
            self.order.sort_unstable_by(|&x, &y| opp[y as usize].total_cmp(&opp[x as usize]).then(x.cmp(&y)));
        }
        self.split = known.is_none() && self.opp_backing.is_some();
        match known {
            Some(k) => {
                self.types = 1;
                self.type_delta[0] = 0.0;
                self.type_params[0] = (k.conflict + self.opp_conflict_shift, k.discount, k.cost);
                for (j, d) in model.disagreement.iter().enumerate() {
                    self.sample_payoffs[j] = model.params.means[d.payoff[1 - self.actor] as usize];
                }
                self.type_sample[0] = 0;
                self.type_mask[0] = k.real;
                self.prior[0] = 1.0;
            }
            None => self.draw_types(model, key),
        }
        // Combination 0 (no opponent line real) is always built: it holds
        // every offer the actor may make.
        let mut needed = 1u32;
        self.possible = 0;
        for k in 0..self.types {
            needed |= 1 << self.type_mask[k];
            self.possible |= self.type_mask[k];
        }
        for m in 0..self.combinations {
            if needed & (1 << m) == 0 {
                self.frontiers[m].clear();
                self.frontiers[COMBINATIONS + m].clear();
            } else if self.split {
                self.build_frontier(m, own, opp, Some(false));
                self.build_frontier(m, own, opp, Some(true));
            } else {
                self.build_frontier(m, own, opp, None);
            }
        }
        self.scan.clear();
        let below = if self.split { COMBINATIONS..COMBINATIONS + self.combinations } else { 0..0 };
        for frontier in self.frontiers[..self.combinations].iter().chain(&self.frontiers[below]) {
            for &p in frontier.iter().rev() {
                self.scan.push(p);
            }
        }
        // The powers of each sample's discount, shared by its types (one
        // per combination of red lines) and by every re-plan.
        let rounds = self.rounds as usize;
        for k in 0..self.types {
            if self.type_mask[k] == self.type_mask[0] {
                let s = usize::from(self.type_sample[k]);
                powers(&mut self.sample_power[s * rounds..(s + 1) * rounds], self.type_params[k].1);
            }
        }
        for k in 0..self.types {
            self.solve_type(k);
        }
    }

    /// Re-plans after a move on a ladder: the actor's conflict value is now
    /// `conflict`, the ladders move the opponent's (as the actor believes
    /// it) by `opp_shift` from where it is without ladders, and the hazard
    /// is `hazard`. The types and the belief's weights stay; the backward
    /// induction is solved again against each type `belief` still holds (a
    /// weight, once 0, stays 0 for the rest of the run, and every use of a
    /// type's thresholds weighs them by it).
    pub fn replan(&mut self, conflict: f64, opp_shift: f64, hazard: f64, belief: &Belief) {
        *self.memo.get_mut() = None;
        let moved = opp_shift - self.opp_conflict_shift;
        for params in &mut self.type_params[..self.types] {
            params.0 += moved;
        }
        self.opp_conflict_shift = opp_shift;
        (self.conflict, self.hazard) = (conflict, hazard);
        for k in 0..self.types {
            if belief.weight[k] != 0.0 {
                self.solve_type(k);
            }
        }
    }

    /// The prior: each type at its prior weight (equal without red lines).
    pub fn prior(&self) -> Belief {
        let mut b = Belief::default();
        b.weight[..self.types].copy_from_slice(&self.prior[..self.types]);
        b
    }

    /// How many types the belief holds (1: complete information).
    pub fn types(&self) -> usize {
        self.types
    }

    /// The probability, under `belief`, that the opponent's red line `i` is
    /// real; None if the opponent has no such line.
    pub fn red_line_probability(&self, belief: &Belief, i: usize) -> Option<f64> {
        if i >= self.opp_line_prior.len() {
            return None;
        }
        let w = &belief.weight[..self.types];
        let total: f64 = w.iter().sum();
        let real: f64 = (0..self.types).filter(|&k| self.type_mask[k] & (1 << i) != 0).map(|k| w[k]).sum();
        Some(if total > 0.0 { real / total } else { self.opp_line_prior[i] })
    }

    /// How many red lines the opponent has drawn.
    pub fn opponent_red_lines(&self) -> usize {
        self.opp_line_prior.len()
    }

    /// Whether the actor proposes at round `t`.
    #[inline]
    pub fn proposes(&self, t: u32) -> bool {
        t.is_multiple_of(2) == (self.actor == self.first_mover)
    }

    /// `delta^t * x - c * t`: a payoff realised at round t (docs/model.md §3).
    #[inline]
    pub fn realised(&self, x: f64, t: u32) -> f64 {
        self.own_power[t as usize] * x - self.cost * t as f64
    }

    /// The inverse of [`Mind::realised`]: the utility that, realised at t, is worth `v`.
    #[inline]
    pub fn utility_worth(&self, v: f64, t: u32) -> f64 {
        (v + self.cost * t as f64) / self.own_power[t as usize]
    }

    /// The actor's reservation value, realised at round t.
    #[inline]
    pub fn conflict_at(&self, t: u32) -> f64 {
        self.realised(self.conflict, t)
    }

    /// The best offer at round t under `belief`: the frontier point that
    /// maximises the expected value (accepted: the deal at t; rejected: the
    /// value of a rejection against that type).
    pub fn plan(&self, belief: &Belief, t: u32) -> Plan {
        if let Some((at, seen, plan)) = &*self.memo.borrow()
            && *at == t
            && seen == belief
        {
            return *plan;
        }
        // The hot loop of a reasoning run: without red lines that may be
        // real, no type's mask can refuse a point, and the check is compiled out.
        let plan = match (self.possible != 0, self.split) {
            (false, false) => self.plan_with::<false, false>(belief, t),
            (true, false) => self.plan_with::<true, false>(belief, t),
            (false, true) => self.plan_with::<false, true>(belief, t),
            (true, true) => self.plan_with::<true, true>(belief, t),
        };
        *self.memo.borrow_mut() = Some((t, *belief, plan));
        plan
    }

    /// Each point's expected value is a sum over the types, in type order:
    /// its weight times the deal if the type accepts, its weighted value of
    /// a rejection if not. The sums are made type by type across all the
    /// points at once (each point's own sum in the same order, so the same
    /// bits), a loop the compiler can spread over vector lanes. Only the
    /// types the belief still holds count: a type of weight 0 adds exactly
    /// 0. Then the points are weighed in scan order, so ties keep the more
    /// demanding offer (and the first frontier's).
    #[inline(always)]
    fn plan_with<const LINES: bool, const SPLIT: bool>(&self, belief: &Belief, t: u32) -> Plan {
        let row = t as usize * TYPES;
        let weights = &belief.weight[..self.types];
        let total: f64 = weights.iter().sum();
        let fallback = self.fallback_rejection(belief, t);
        let scan = &self.scan;
        let n = scan.opp.len();
        let mut sums = self.sums.borrow_mut();
        let Sums { accepted, value, deal, open } = &mut *sums;
        accepted.clear();
        accepted.resize(n, 0.0);
        value.clear();
        value.resize(n, 0.0);
        deal.clear();
        deal.extend(scan.own.iter().map(|&own| self.realised(own, t)));
        open.clear();
        let floor = belief.floor + EPS;
        let refused = u64::from(belief.refused);
        open.extend(
            scan.opp.iter().zip(&scan.crosses).map(|(&opp, &c)| u64::from(opp > floor && (!LINES || c & refused == 0))),
        );
        let (accepted, value, deal, open) = (&mut accepted[..n], &mut value[..n], &deal[..n], &open[..n]);
        let (opps, crosses, below) = (&scan.opp[..n], &scan.crosses[..n], &scan.below[..n]);
        for (k, &w) in weights.iter().enumerate() {
            if w == 0.0 {
                continue;
            }
            let threshold = self.threshold[row + k] - EPS;
            let rejected = w * fallback.unwrap_or(self.rejection[row + k]);
            let (mask, delta) = (u64::from(self.type_mask[k]), self.type_delta[k]);
            // Without branches, so that the loop runs in vector lanes: `yes`
            // is all ones if the type accepts the point, and the terms are
            // chosen by masking their bits (the same numbers as an `if`).
            for i in 0..n {
                // Below the demand, a type values the deal less (or more)
                // than the modelled table by its own cost.
                let opp = if SPLIT && below[i] { opps[i] - delta } else { opps[i] };
                let crosses_none = if LINES { u64::from(crosses[i] & mask == 0) } else { 1 };
                let yes = (open[i] & u64::from(opp >= threshold) & crosses_none).wrapping_neg();
                accepted[i] += f64::from_bits(w.to_bits() & yes);
                value[i] += f64::from_bits(((w * deal[i]).to_bits() & yes) | (rejected.to_bits() & !yes));
            }
        }
        let mut best = Plan { point: Point::default(), accept_probability: 0.0, expected: f64::NEG_INFINITY };
        for i in 0..n {
            let expected = value[i] / total;
            if expected > best.expected + EPS {
                best = Plan { point: scan.points[i], accept_probability: accepted[i] / total, expected };
            }
        }
        best
    }

    /// The expected value, realised at round t, of rejecting the offer on the
    /// table at t: the breakdown risk, then one's own best offer at t + 1
    /// (the conflict value at the deadline).
    pub fn value_of_waiting(&self, belief: &Belief, t: u32) -> f64 {
        let conflict = self.conflict_at(t);
        if t + 1 >= self.rounds {
            return conflict;
        }
        let next = if self.proposes(t + 1) {
            self.plan(belief, t + 1).expected
        } else {
            // Not the actor's turn next (only if it does not alternate):
            // the belief-weighted value of a rejection.
            self.expected_rejection(belief, t)
        };
        self.hazard * conflict + (1.0 - self.hazard) * next
    }

    /// With a contradicted belief, the value of a rejection at t: the
    /// breakdown risk, then the best the opponent has offered so far (or the
    /// conflict value), one round later.
    fn fallback_rejection(&self, belief: &Belief, t: u32) -> Option<f64> {
        if !belief.contradicted {
            return None;
        }
        let conflict = self.conflict_at(t);
        if t + 1 >= self.rounds {
            return Some(conflict);
        }
        let later = self.realised(belief.best_received.max(self.conflict), t + 1);
        Some(self.hazard * conflict + (1.0 - self.hazard) * later)
    }

    /// The belief-weighted value of a rejection at t.
    fn expected_rejection(&self, belief: &Belief, t: u32) -> f64 {
        if let Some(v) = self.fallback_rejection(belief, t) {
            return v;
        }
        let row = t as usize * TYPES;
        let w = &belief.weight[..self.types];
        let total: f64 = w.iter().sum();
        // Only the types the belief holds: the others' numbers may predate a re-plan.
        let live = w.iter().zip(&self.rejection[row..row + self.types]).filter(|(w, _)| **w != 0.0);
        live.map(|(w, r)| w * r).sum::<f64>() / total
    }

    /// Which of the opponent's red lines that may be real outcome `w` crosses.
    #[inline]
    fn opp_crosses(&self, w: u32) -> u8 {
        self.opp_crosses.get(w as usize).copied().unwrap_or(0) & self.possible
    }

    /// Bayes' rule after the opponent rejected, at round t, the offer of
    /// outcome `w`, worth `opp` to it (as modelled): every type that would
    /// have accepted it is ruled out (a type with a real red line the offer
    /// crosses would not have). If that rules out all of them, the weights
    /// stay, and the floor rises to `opp` (or, for an offer across red
    /// lines, those lines count as refused), so the belief still gives no
    /// chance to an offer the opponent has shown it refuses.
    pub fn learn_rejection(&self, belief: &mut Belief, t: u32, w: u32, opp: f64) {
        let row = t as usize * TYPES;
        let crosses = self.opp_crosses(w);
        let would_accept =
            |k: usize| self.type_value(k, w, opp) >= self.threshold[row + k] - EPS && crosses & self.type_mask[k] == 0;
        // Worked out in place (a belief is large): whether some type of
        // positive weight would have refused, and only then ruling out the rest.
        if (0..self.types).any(|k| belief.weight[k] > 0.0 && !would_accept(k)) {
            for k in 0..self.types {
                if would_accept(k) {
                    belief.weight[k] = 0.0;
                }
            }
        } else {
            belief.contradicted = true;
            belief.refused |= crosses;
        }
        // A refusal across a red line says nothing of offers that cross none.
        if crosses == 0 {
            belief.floor = belief.floor.max(opp);
        }
    }

    /// Evidence from the opponent's offer of outcome `w`, worth `own` to the
    /// actor and `opp` to the opponent as modelled: an offer worth less to
    /// it than a type's conflict value is unlikely from that type, and a
    /// reasoning opponent never offers across a red line of its own that is
    /// real, so such an offer shows the line to be a bluff.
    pub fn learn_offer(&self, belief: &mut Belief, w: u32, own: f64, opp: f64) {
        belief.best_received = belief.best_received.max(own);
        let crosses = if self.opp_reasons { self.opp_crosses(w) } else { 0 };
        let types = 0..self.types;
        if crosses != 0 && types.clone().any(|k| belief.weight[k] > 0.0 && self.type_mask[k] & crosses == 0) {
            for k in types.clone() {
                if self.type_mask[k] & crosses != 0 {
                    belief.weight[k] = 0.0;
                }
            }
        }
        let unlikely = |k: usize| self.type_value(k, w, opp) + EPS < self.type_params[k].0;
        let weight_after = |k: usize, x: f64| if unlikely(k) { x * OFFER_EVIDENCE } else { x };
        if types.clone().any(|k| weight_after(k, belief.weight[k]) > 0.0) {
            for k in types {
                belief.weight[k] = weight_after(k, belief.weight[k]);
            }
        }
    }

    /// What outcome `w`, worth `opp` to the opponent as modelled, is worth
    /// to type k: less (or more) by the type's own cost of backing down
    /// when it lies below the opponent's public demand and that cost is private.
    #[inline]
    fn type_value(&self, k: usize, w: u32, opp: f64) -> f64 {
        if self.split && self.opp_below[w as usize] { opp - self.type_delta[k] } else { opp }
    }

    /// Bayes' rule after the opponent moved on its ladder: `would_move`
    /// says whether type k would have made the move. A type that would not have is
    /// [`MOVE_EVIDENCE`] times as likely as before; if no type would have,
    /// the move says nothing the model can read, and the belief stays.
    pub fn learn_ladder_move(&self, belief: &mut Belief, would_move: impl Fn(usize) -> bool) {
        let mut kept = *belief;
        let mut any = false;
        for k in 0..self.types {
            if would_move(k) {
                any = true;
            } else {
                kept.weight[k] *= MOVE_EVIDENCE;
            }
        }
        if any {
            *belief = kept;
        }
    }

    /// The opponent's conflict value without ladders that `belief` expects
    /// (its weighted mean over the types), for the trace.
    pub fn expected_opp_conflict(&self, belief: &Belief) -> f64 {
        let w = &belief.weight[..self.types];
        let total: f64 = w.iter().sum();
        let sum: f64 = (0..self.types).map(|k| w[k] * (self.type_params[k].0 - self.opp_conflict_shift)).sum();
        sum / total
    }

    /// Type k's conflict value with the ladders at `pos`: its value without
    /// them, moved by the ladders' shifts of the lottery's odds (applied to
    /// the type's own payoffs) and of its payoffs (at the means), as
    /// [`Model::reservation_at`] moves an actor's.
    pub fn type_conflict_at(&self, model: &Model, k: usize, pos: [u8; 2]) -> f64 {
        let base = self.type_params[k].0 - self.opp_conflict_shift;
        if pos == [0, 0] {
            return base;
        }
        let o = 1 - self.actor;
        let means = &model.params.means;
        let s = usize::from(self.type_sample[k]);
        let payoffs = &self.sample_payoffs[s * self.outcomes..(s + 1) * self.outcomes];
        let (mut at, mut start) = (0.0, 0.0);
        for (j, (&x, d)) in payoffs.iter().zip(&model.disagreement).enumerate() {
            let shift = model.lottery_payoff(o, j, pos, means) - means[d.payoff[o] as usize];
            at += model.lottery_probability(j, COLUMN_DEFAULT, pos) * (x + shift);
            start += model.lottery_probability(j, COLUMN_DEFAULT, [0, 0]) * x;
        }
        base + at - start
    }

    /// For type k, when the opponent's cost of backing down is private: per
    /// outcome whether it is below the opponent's demand, and how much more
    /// than the mean backing down costs the type.
    pub fn type_backing(&self, k: usize) -> Option<(&[bool], f64)> {
        self.split.then(|| (self.opp_below.as_slice(), self.type_delta[k]))
    }

    /// Type k's cost of a step down the opponent's ladder, when that cost is
    /// uncertain (None: read at its mean).
    pub fn type_step_down(&self, k: usize) -> Option<f64> {
        self.opp_step_down.map(|_| self.sample_step_down[usize::from(self.type_sample[k])])
    }

    /// Whether the belief holds more than one type (a move can tell them apart).
    pub fn uncertain(&self) -> bool {
        self.types > 1
    }

    /// The probability, under `belief`, that the opponent accepts at round t
    /// an offer worth `opp` to it that crosses none of its red lines.
    pub fn acceptance_probability(&self, belief: &Belief, t: u32, opp: f64) -> f64 {
        if opp <= belief.floor + EPS {
            return 0.0;
        }
        let row = t as usize * TYPES;
        let w = &belief.weight[..self.types];
        let total: f64 = w.iter().sum();
        let yes: f64 = (0..self.types).filter(|&k| opp >= self.threshold[row + k] - EPS).map(|k| w[k]).sum();
        yes / total
    }

    /// Type k's acceptance threshold at round t.
    pub fn threshold(&self, t: u32, k: usize) -> f64 {
        self.threshold[t as usize * TYPES + k]
    }

    /// The frontier of combination m: the outcomes that cross none of the
    /// actor's own real red lines nor the opponent's lines in m, by the
    /// opponent's modelled utility, in O(outcomes): walking from the
    /// opponent's favourite down, keep each outcome better for oneself than
    /// every outcome before it.
    fn build_frontier(&mut self, m: usize, own: &[f64], opp: &[f64], below: Option<bool>) {
        let slot = if below == Some(true) { COMBINATIONS + m } else { m };
        let mut frontier = std::mem::take(&mut self.frontiers[slot]);
        frontier.clear();
        let lines = !self.own_crosses.is_empty() || !self.opp_crosses.is_empty();
        let mut best_own = f64::NEG_INFINITY;
        for &w in &self.order {
            let (u, v) = (own[w as usize], opp[w as usize]);
            let is_below = below.is_some() && self.opp_below[w as usize];
            if u <= best_own + 1e-12 || below.is_some_and(|b| b != is_below) {
                continue;
            }
            let mut crosses = 0;
            if lines {
                crosses = self.opp_crosses(w);
                let own_crosses = self.own_crosses.get(w as usize).copied().unwrap_or(0);
                if own_crosses & self.own_real != 0 || usize::from(crosses) & m != 0 {
                    continue;
                }
            }
            best_own = u;
            let p = Point { own: u, opp: v, outcome: w, crosses, below: is_below };
            match frontier.last_mut() {
                // Same value to the opponent, better for oneself: it dominates.
                Some(last) if (last.opp - v).abs() <= 1e-12 => *last = p,
                _ => frontier.push(p),
            }
        }
        self.frontiers[slot] = frontier;
    }

    /// Draws the prior's samples, each number of sample k from the stream
    /// (actor, k, number); with nothing uncertain about the opponent there
    /// is one sample (complete information) and no draw. Each sample then
    /// becomes a type per combination of the opponent's red lines that has a
    /// chance, weighted by the combination's prior probability.
    fn draw_types(&mut self, model: &Model, key: RunKey) {
        let uncertain = self.opp_discount.uncertain()
            || self.opp_cost.uncertain()
            || match self.opp_reservation {
                Some(s) => s.uncertain(),
                None => self.opp_lottery.iter().any(|(_, s)| s.uncertain()),
            }
            || self.opp_backing.is_some()
            || self.opp_step_down.is_some();
        let samples = if uncertain { SAMPLES } else { 1 };
        let mut drawn = [(0.0, 1.0, 0.0); SAMPLES];
        let n = self.outcomes;
        // Each sample's lottery payoffs (read only when a ladder move is
        // read as a signal): the means unless drawn below.
        let keep = self.keep_payoffs;
        for (j, d) in model.disagreement.iter().enumerate().take(if keep { n } else { 0 }) {
            let mean = model.params.means[d.payoff[1 - self.actor] as usize];
            for k in 0..samples {
                self.sample_payoffs[k * n + j] = mean;
            }
        }
        if let Some(grid) = &self.grid {
            for (k, (slot, &(conflict, discount, cost))) in drawn.iter_mut().zip(grid).take(samples).enumerate() {
                *slot = (conflict + self.opp_conflict_shift, discount, cost);
                if keep && self.opp_reservation.is_none() {
                    let q = (k as f64 + 0.5) / SAMPLES as f64;
                    for (j, &(_, s)) in self.opp_lottery.iter().enumerate() {
                        self.sample_payoffs[k * n + j] = s.quantile(model, q);
                    }
                }
            }
        }
        for (k, slot) in drawn.iter_mut().enumerate().take(if self.grid.is_some() { 0 } else { samples }) {
            let of_type = self.belief.at(k as u64);
            let discount = self.opp_discount.sample(model, key, of_type);
            let cost = self.opp_cost.sample(model, key, of_type);
            let conflict = match self.opp_reservation {
                Some(s) => s.sample(model, key, of_type),
                None if !keep => self.opp_lottery.iter().map(|&(p, s)| p * s.sample(model, key, of_type)).sum(),
                None => {
                    let payoffs = &mut self.sample_payoffs[k * n..(k + 1) * n];
                    for (x, &(_, s)) in payoffs.iter_mut().zip(&self.opp_lottery) {
                        *x = s.sample(model, key, of_type);
                    }
                    self.opp_lottery.iter().zip(payoffs.iter()).map(|(&(p, _), &x)| p * x).sum()
                }
            };
            *slot = (conflict + self.opp_conflict_shift, discount, cost);
        }
        if let Some(source) = self.opp_step_down {
            for k in 0..samples {
                self.sample_step_down[k] = match &self.grid {
                    Some(_) => source.quantile(model, (k as f64 + 0.5) / SAMPLES as f64),
                    None => source.sample(model, key, self.belief.at(k as u64)),
                };
            }
        }
        if let Some((source, mean)) = self.opp_backing {
            for k in 0..samples {
                self.sample_delta[k] = match &self.grid {
                    Some(_) => source.quantile(model, (k as f64 + 0.5) / SAMPLES as f64) - mean,
                    None => source.sample(model, key, self.belief.at(k as u64)) - mean,
                };
            }
        }
        self.types = 0;
        for m in 0..self.combinations {
            let weight: f64 = self
                .opp_line_prior
                .iter()
                .enumerate()
                .map(|(i, &p)| if m & (1 << i) != 0 { p } else { 1.0 - p })
                .product();
            if weight <= 0.0 {
                continue;
            }
            for (k, sample) in drawn[..samples].iter().enumerate() {
                self.type_params[self.types] = *sample;
                let t = self.types;
                self.type_delta[t] = self.sample_delta[k];
                self.type_sample[t] = k as u8;
                self.type_mask[self.types] = m as u8;
                self.prior[self.types] = weight;
                self.types += 1;
            }
        }
    }

    /// Backward induction of the complete-information game against type k,
    /// on the frontier of its red lines: fills the type's thresholds and the
    /// actor's rejection values.
    fn solve_type(&mut self, k: usize) {
        // The hot loop of a run's preparation: without a private cost of
        // backing down there is one frontier per type, and the second is
        // compiled out.
        if self.split { self.solve_type_with::<true>(k) } else { self.solve_type_with::<false>(k) }
    }

    #[inline(always)]
    fn solve_type_with<const SPLIT: bool>(&mut self, k: usize) {
        let (opp_conflict, opp_discount, opp_cost) = self.type_params[k];
        let m = usize::from(self.type_mask[k]);
        let frontier = std::mem::take(&mut self.frontiers[m]);
        // With the opponent's cost of backing down private, the outcomes
        // below its demand are a frontier of their own, worth `delta` less
        // to this type than modelled (an empty one otherwise).
        let lower = std::mem::take(&mut self.frontiers[COMBINATIONS + m]);
        let (split, delta) = (SPLIT, self.type_delta[k]);
        let rounds = self.rounds as usize;
        let s = usize::from(self.type_sample[k]);
        let sample_power = std::mem::take(&mut self.sample_power);
        let type_power = &sample_power[s * rounds..(s + 1) * rounds];
        debug_assert_eq!(type_power.get(1).copied().unwrap_or(opp_discount), opp_discount);
        let opp_realised = |x: f64, t: u32| type_power[t as usize] * x - opp_cost * t as f64;
        let h = self.hazard;
        // Values of the subgame starting at round t + 1, realised.
        let (mut next_own, mut next_opp) = (0.0, 0.0);
        // Thresholds change little from one round to the next, so each
        // search walks from where the previous one ended (one cursor per
        // proposer) instead of bisecting afresh.
        let (mut own_cursor, mut opp_cursor) = (0, frontier.len());
        let (mut own_cursor_lower, mut opp_cursor_lower) = (0, lower.len());
        for t in (0..self.rounds).rev() {
            let (d_own, d_opp) = (self.conflict_at(t), opp_realised(opp_conflict, t));
            let (r_own, r_opp) = if t + 1 == self.rounds {
                (d_own, d_opp)
            } else {
                (h * d_own + (1.0 - h) * next_own, h * d_opp + (1.0 - h) * next_opp)
            };
            let cell = t as usize * TYPES + k;
            let opp_threshold = (r_opp + opp_cost * t as f64) / type_power[t as usize];
            self.threshold[cell] = opp_threshold;
            self.rejection[cell] = r_own;
            // Who proposes decides the deal: the offer best for it among
            // those the responder accepts, if that beats having the round
            // fail; otherwise it makes an offer it knows is refused.
            let deal = if self.proposes(t) {
                let here = best_own_given_opp(&frontier, opp_threshold, &mut own_cursor).map(|p| (p.own, p.opp));
                let below = if split {
                    best_own_given_opp(&lower, opp_threshold + delta, &mut own_cursor_lower)
                        .map(|p| (p.own, p.opp - delta))
                } else {
                    None
                };
                better(here, below, |x| x.0)
                    .map(|(own, opp)| (self.realised(own, t), opp_realised(opp, t)))
                    .filter(|&(own, _)| own >= r_own - EPS)
            } else {
                let floor = self.utility_worth(r_own, t);
                let here = best_opp_given_own(&frontier, floor, &mut opp_cursor).map(|p| (p.own, p.opp));
                let below = if split {
                    best_opp_given_own(&lower, floor, &mut opp_cursor_lower).map(|p| (p.own, p.opp - delta))
                } else {
                    None
                };
                better(here, below, |x| x.1)
                    .map(|(own, opp)| (self.realised(own, t), opp_realised(opp, t)))
                    .filter(|&(_, opp)| opp >= r_opp - EPS)
            };
            (next_own, next_opp) = deal.unwrap_or((r_own, r_opp));
        }
        self.sample_power = sample_power;
        self.frontiers[m] = frontier;
        self.frontiers[COMBINATIONS + m] = lower;
    }
}

/// The frontier points in the order a plan weighs them, field by field.
#[derive(Debug, Clone, Default)]
struct Scan {
    points: Vec<Point>,
    own: Vec<f64>,
    opp: Vec<f64>,
    crosses: Vec<u64>,
    below: Vec<bool>,
}

impl Scan {
    fn clear(&mut self) {
        self.points.clear();
        self.own.clear();
        self.opp.clear();
        self.crosses.clear();
        self.below.clear();
    }

    fn push(&mut self, p: Point) {
        self.points.push(p);
        self.own.push(p.own);
        self.opp.push(p.opp);
        self.crosses.push(u64::from(p.crosses));
        self.below.push(p.below);
    }
}

/// Per point of the scan: the weight of the types that accept it, its
/// weighted value, the deal realised this round, and whether it is open
/// (above the floor, across no line seen refused).
#[derive(Debug, Clone, Default)]
struct Sums {
    accepted: Vec<f64>,
    value: Vec<f64>,
    deal: Vec<f64>,
    /// 1 if open, else 0.
    open: Vec<u64>,
}

/// The opponent as drawn, when types are common knowledge: its conflict
/// value, discount, cost per round and which of its red lines are real.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KnownType {
    pub conflict: f64,
    pub discount: f64,
    pub cost: f64,
    pub real: u8,
}

/// Of two candidates (own, opponent's) utilities, the one whose `key` is
/// higher; the first on ties, and whichever exists.
#[inline]
fn better(a: Option<(f64, f64)>, b: Option<(f64, f64)>, key: impl Fn((f64, f64)) -> f64) -> Option<(f64, f64)> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if key(y) > key(x) { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// The frontier point best for oneself among those worth at least `theta`
/// to the opponent (they form a prefix; the best is its last point).
fn best_own_given_opp(f: &[Point], theta: f64, cursor: &mut usize) -> Option<Point> {
    let mut n = (*cursor).min(f.len());
    while n < f.len() && f[n].opp >= theta - EPS {
        n += 1;
    }
    while n > 0 && f[n - 1].opp < theta - EPS {
        n -= 1;
    }
    *cursor = n;
    (n > 0).then(|| f[n - 1])
}

/// The frontier point best for the opponent among those worth at least
/// `theta` to oneself (a suffix; the best is its first point).
fn best_opp_given_own(f: &[Point], theta: f64, cursor: &mut usize) -> Option<Point> {
    let mut n = (*cursor).min(f.len());
    while n < f.len() && f[n].own < theta - EPS {
        n += 1;
    }
    while n > 0 && f[n - 1].own >= theta - EPS {
        n -= 1;
    }
    *cursor = n;
    f.get(n).copied()
}

/// Fills `out[t]` with `base^t`.
fn powers(out: &mut [f64], base: f64) {
    let mut x = 1.0;
    for slot in out {
        *slot = x;
        x *= base;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RunSetup;

    /// A step down is read with each type's own cost of stepping down when
    /// that cost is private: B starts mobilised and steps down; the types
    /// whose cost would have kept it there lose weight, so A now believes
    /// B's cost of stepping down is lower than it did.
    #[test]
    fn a_step_down_tells_of_a_low_cost_of_stepping_down() {
        let text = r#"[scenario]
name = "t"
rounds = 6
first_mover = "a"
breakdown_hazard = 0.0
reversible_escalation = true
[[issues]]
id = "share"
options = { from = 0.0, to = 1.0, steps = 21 }
[actors.a]
strategy = "reasoning"
[actors.a.issues.share]
weight = 1.0
values = "increasing"
[actors.b]
strategy = "reasoning"
escalate = { rule = "reasoning", start = "mobilise" }
[actors.b.issues.share]
weight = 1.0
values = "decreasing"
[actors.b.audience_costs]
step_down = { uniform = [0.0, 0.5] }
[[actors.b.escalation]]
id = "mobilise"
cost = 0.05
hazard = 0.1
[[disagreement]]
id = "war"
probability = 1.0
payoffs = { a = 0.3, b = 0.3 }
"#;
        let model = crate::scenario::load_bytes("t.toml", text.as_bytes()).map_err(|e| e.to_string()).unwrap().1;
        let mut setup = RunSetup::new(&model);
        setup.prepare(&model, RunKey::new(0, 0));
        let mind = &setup.minds[0];
        let mean_cost = |b: &Belief| {
            let w = &b.weight[..mind.types()];
            let total: f64 = w.iter().sum();
            (0..mind.types()).map(|k| w[k] * mind.type_step_down(k).unwrap()).sum::<f64>() / total
        };
        let mut belief = mind.prior();
        let before = mean_cost(&belief);
        let obs = &mut crate::engine::NoObserver;
        crate::engine::protocol::read_ladder_move(&model, &setup, mind, &mut belief, 1, [0, 1], 0, 0, obs);
        let after = mean_cost(&belief);
        assert!(after < before - 0.01, "a step down read: mean cost {before} -> {after}");
        let kept = belief.weight[..mind.types()].iter().filter(|&&w| w == 1.0).count();
        assert!(kept > 0 && kept < mind.types(), "some types would have stepped down, some not: {kept}");
    }

    /// The bug this guards: a tornado arm fixes a number with a one-point
    /// distribution and leaves `params.means` alone; the belief must hold the
    /// fixed value, not the old mean.
    #[test]
    fn a_number_fixed_by_a_tornado_arm_is_believed_at_its_fixed_value() {
        let text = r#"[scenario]
name = "t"
rounds = 3
[[issues]]
id = "share"
options = { from = 0.0, to = 1.0, steps = 11 }
[actors.a]
strategy = "reasoning"
[actors.a.issues.share]
weight = 1.0
values = "increasing"
[actors.b]
strategy = "reasoning"
discount = { uniform = [0.5, 0.9] }
[actors.b.issues.share]
weight = 1.0
values = "decreasing"
"#;
        let (_, model) = crate::scenario::load_bytes("t.toml", text.as_bytes()).unwrap();
        let factor = model.params.uncertain.iter().position(|u| u.path == "actors.b.discount").unwrap();
        let arm = crate::montecarlo::sensitivity::with_factor_fixed(&model, factor, 0.6);
        let mut setup = RunSetup::new(&arm);
        setup.prepare(&arm, RunKey::new(1, 0));
        let mind = &setup.minds[0];
        assert_eq!(mind.types(), 1, "nothing about b is uncertain any more");
        assert_eq!(mind.type_params[0].1, 0.6, "b's discount as fixed, not its old mean 0.7");
    }
}
