//! The compiled scenario: everything the engine needs, as indices and numbers.
//!
//! A [`Model`] is built once from a validated scenario file and then shared,
//! read-only, by every run and every thread. Issues, options, actors and
//! outcomes are plain indices; names survive only for display. Every number
//! that a scenario may make uncertain is a [`ParamId`] into one flat parameter
//! vector, so a run draws its numbers by overwriting a copy of that vector.

pub mod audience;
pub mod counterfactual;
pub mod distribution;
pub mod escalation;
mod names;
mod nash;
mod outcome_space;
pub mod power;
pub mod red_line;
mod utility;

pub use audience::{AudienceCosts, PublicDemand};
pub use counterfactual::Mechanism;
pub use distribution::{Distribution, Shape};
pub use escalation::{EscalationRule, Ladder, Step};
pub use nash::nash_candidates;
pub use outcome_space::OutcomeSpace;
pub use power::{PowerPeriod, PowerShift};
pub use red_line::{MAX_RED_LINES, RedLine};
pub use utility::{UtilityScratch, fill_utilities};

/// The largest outcome space a scenario may have (product of option counts).
///
/// Each actor needs utility tables of this length in memory, and a numeric
/// issue a label per step: at the limit `brink check` needs about 1.1 GB and
/// `brink run` about 1.3 GB (measured with one 10-million-step issue); a
/// 200-outcome scenario needs about 10 MB.
pub const MAX_OUTCOMES: u64 = 10_000_000;

/// The largest deadline a scenario may set.
pub const MAX_ROUNDS: u32 = 10_000;

/// Index of a number in the flat parameter vector.
pub type ParamId = u32;

/// Which of the two actors: 0 or 1 in file order.
pub type ActorIdx = usize;

#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub description: String,
    pub sources: Vec<String>,
    /// Deadline T: rounds 0..T-1 are played.
    pub rounds: u32,
    /// The first mover proposes at even rounds, the other actor at odd ones.
    pub first_mover: ActorIdx,
    /// The first round at which an offer is made (`scenario.talks_open`,
    /// below `rounds`; 0 by default). The rounds before it pass without
    /// offers: no deal can be made, the ladders move by their rules, and
    /// their costs and the breakdown hazard run (docs/model.md §3).
    pub talks_open: u32,
    /// Exogenous breakdown probability after each rejected round.
    pub hazard: ParamId,
    pub issues: Vec<Issue>,
    pub space: OutcomeSpace,
    pub actors: [Actor; 2],
    pub disagreement: Vec<DisagreementOutcome>,
    pub rules: Vec<Rule>,
    pub params: Params,
    /// Each actor's escalation ladder (empty: none), MODEL.md §5b.
    pub ladders: [Ladder; 2],
    /// Whether actors may step down their ladders (`scenario.reversible_escalation`).
    pub reversible: bool,
    /// Each actor's utility of every outcome with all numbers at their means:
    /// what the *other* actor believes (docs/model.md §4), and what analysis uses.
    pub mean_utilities: [Vec<f64>; 2],
    /// Shifting power after a deal (`[power_shift]`), docs/model.md §8.
    pub power: Option<PowerShift>,
    /// Whether each side sees the other's drawn numbers (`scenario.types_known`):
    /// complete information; otherwise it knows only their means (§4).
    pub types_known: bool,
    /// Each actor's red lines (`actors.<id>.red_lines`), docs/model.md §10.
    pub red_lines: [Vec<RedLine>; 2],
    /// Per actor, per outcome, the red lines it crosses (`red_line::crossings`).
    pub red_line_crossings: [Vec<u8>; 2],
    /// Per combination of real red lines, whether no deal is open to both
    /// sides (`red_line::deadlocks`; empty unless both actors reason).
    pub red_line_deadlocks: Vec<bool>,
    /// Per outcome, the rules it meets and whether it backs each actor down
    /// (`utility::UtilityLayout`), for [`fill_utilities`].
    pub utility_layout: utility::UtilityLayout,
    /// The conflict lottery at every pair of ladder positions
    /// (`escalation::LotteryTable`).
    pub lottery_table: escalation::LotteryTable,
    /// Per actor a, the outcomes that can be a Nash bargain over the mean
    /// tables (a's, the other's), for reading ladder moves
    /// (`engine::ladder::nash_candidates`; None for large spaces).
    pub nash_candidates: [Option<Vec<u32>>; 2],
    /// Per actor, its utility table before a per-run power shift, when no
    /// number behind it is uncertain (each run then copies it); else None.
    pub raw_utilities: [Option<Vec<f64>>; 2],
}

#[derive(Debug, Clone)]
pub struct Issue {
    pub id: String,
    pub name: String,
    pub options: Vec<String>,
    /// For numeric issues, the number behind each option.
    pub numbers: Option<Vec<f64>>,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub discount: ParamId,
    pub cost_per_round: ParamId,
    /// The perceived reservation value, when the scenario gives one.
    pub reservation: Option<ParamId>,
    pub walk_away: Option<WalkAway>,
    pub strategy: StrategyConfig,
    /// How the actor models the opponent's utilities for trade-off offers.
    pub opponent_model: OpponentModel,
    pub acceptance: Acceptance,
    /// Raw (unnormalised) weight per issue.
    pub weights: Vec<ParamId>,
    /// Value per issue per option, in [0, 1].
    pub values: Vec<Vec<ParamId>>,
    /// Whether any number behind this actor's utility table is uncertain; if
    /// not, runs reuse [`Model::mean_utilities`] instead of recomputing it.
    pub utility_uncertain: bool,
    /// The actor's own belief about the conflict lottery's probabilities,
    /// one number per disagreement outcome (`believed_odds`; mutual
    /// optimism). None: it believes the lottery's odds.
    pub believed_odds: Option<Vec<ParamId>>,
    /// The cost of backing down from a public demand (`audience_costs`), docs/model.md §11.
    pub audience: Option<AudienceCosts>,
}

/// Which strategy an actor plays, with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum StrategyConfig {
    /// Time-dependent concession (Faratin et al. 1998) with exponent `beta`.
    Time {
        beta: ParamId,
    },
    Hardliner,
    TitForTat,
    Random,
    /// Rubinstein's subgame-perfect strategy.
    Spe,
    /// Expected-value reasoning: backward induction over the remaining rounds
    /// with a belief over the opponent's acceptance threshold.
    Reasoning {
        prior: Prior,
    },
}

/// Where a reasoning actor's belief puts the opponent's types
/// (`strategy = { kind = "reasoning", belief = ... }`, docs/strategies.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Prior {
    /// 16 types drawn at random from the distributions, per run (the default).
    #[default]
    Sampled,
    /// 16 types on a quantile grid of the distributions, (k + 0.5) / 16 for
    /// type k: the same every run, and the discrete optimum of a
    /// take-it-or-leave-it demand approaches the continuous one within 1/16.
    Quantiles,
}

/// When an actor leaves the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WalkAway {
    /// A floor: it leaves when an offer is worth less than this and nothing
    /// it expects to reach beats it.
    Floor(ParamId),
    /// It leaves when its reservation value exceeds its expected value
    /// of continuing (reasoning actors only).
    Auto,
}

/// How an actor models the opponent's utilities (docs/model.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OpponentModel {
    /// The opponent's utilities at the scenario's means.
    #[default]
    Known,
    /// Learnt from the opponent's offers alone: the frequency model of the
    /// ANAC agents (HardHeaded; engine/frequency.rs).
    Frequency,
    /// No model: among its offers the actor takes the one closest to its
    /// target, ties broken by the actor's tie-break stream.
    None,
}

impl OpponentModel {
    /// The names the scenario format accepts, in the order the docs list them.
    pub const NAMES: [&'static str; 3] = ["known", "frequency", "none"];
}

/// When an actor accepts the offer on the table.
#[derive(Debug, Clone, PartialEq)]
pub enum Acceptance {
    /// `AC_next`: accept what is at least as good as one's own next offer (and
    /// not below one's reservation value).
    Next,
    /// Accept anything at least worth one's reservation value.
    Reservation,
    /// Accept anything at least worth this constant.
    Threshold(ParamId),
}

#[derive(Debug, Clone)]
pub struct DisagreementOutcome {
    pub id: String,
    pub name: String,
    pub probability: f64,
    /// Probabilities per lottery column (see `escalation::LOTTERY_COLUMNS`):
    /// the default, then per ending; each defaults to `probability`.
    pub by_ending: [f64; escalation::LOTTERY_COLUMNS],
    pub payoff: [ParamId; 2],
}

/// A payoff rule: when every (issue, option) condition holds, each actor gets a bonus.
#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub conditions: Vec<(usize, u32)>,
    pub bonus: [ParamId; 2],
}

/// The flat parameter vector and which of its entries are uncertain.
#[derive(Debug, Clone, Default)]
pub struct Params {
    /// Every parameter's fixed value, or its distribution's (clamped) mean.
    pub means: Vec<f64>,
    pub uncertain: Vec<UncertainParam>,
}

#[derive(Debug, Clone)]
pub struct UncertainParam {
    pub id: ParamId,
    /// The TOML path of the number, e.g. `actors.usa.discount`.
    pub path: String,
    /// The purpose of the number's random stream: its path, so that a run
    /// draws it the same however many numbers come before it in the file.
    pub purpose: crate::rng::Purpose,
    pub distribution: Distribution,
}

impl Params {
    pub fn add_fixed(&mut self, value: f64) -> ParamId {
        self.means.push(value);
        (self.means.len() - 1) as ParamId
    }

    pub fn add_uncertain(&mut self, path: String, distribution: Distribution) -> ParamId {
        let id = self.add_fixed(distribution.mean());
        let purpose = crate::rng::Purpose::named(&path);
        self.uncertain.push(UncertainParam { id, path, purpose, distribution });
        id
    }

    pub fn is_uncertain(&self, id: ParamId) -> bool {
        self.uncertain.iter().any(|u| u.id == id)
    }
}

impl Model {
    /// The actor who proposes at round `t`: the first mover at even rounds.
    /// Before the talks open, the other actor is the one whose turn it is
    /// to move on its ladder.
    #[inline]
    pub fn proposer_at(&self, t: u32) -> ActorIdx {
        if t.is_multiple_of(2) { self.first_mover } else { 1 - self.first_mover }
    }

    /// The other actor.
    #[inline]
    pub fn other(a: ActorIdx) -> ActorIdx {
        1 - a
    }

    /// The option index of `issue` in `outcome`.
    #[inline]
    pub fn option_of(&self, outcome: u32, issue: usize) -> u32 {
        self.space.option_of(outcome, issue)
    }

    /// "nato = pause, sanctions = none" for display.
    pub fn describe_outcome(&self, outcome: u32) -> String {
        self.issues
            .iter()
            .enumerate()
            .map(|(i, issue)| format!("{} = {}", issue.id, issue.options[self.option_of(outcome, i) as usize]))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The expected disagreement payoff of actor `a` under parameter vector `p`.
    pub fn lottery_value(&self, a: ActorIdx, p: &[f64]) -> f64 {
        self.disagreement.iter().map(|d| d.probability * p[d.payoff[a] as usize]).sum()
    }

    /// The tables derived from the rest of the model: the red lines' crossings,
    /// each actor's utility table at the means, whether a run must recompute
    /// it, and the power shift's values. Called once compiled, and again by a
    /// counterfactual that switched a mechanism off.
    pub fn derive_tables(&mut self) {
        self.red_line_crossings = red_line::crossings(self);
        self.red_line_deadlocks = red_line::deadlocks(self);
        self.utility_layout = utility::UtilityLayout::of(self);
        self.lottery_table = escalation::LotteryTable::of(self);
        for a in 0..2 {
            let mut u = vec![0.0; self.space.len()];
            fill_utilities(self, a, &self.params.means, &mut u, &mut Default::default());
            self.mean_utilities[a] = u;
        }
        for a in 0..2 {
            let actor = &self.actors[a];
            let uncertain =
                actor.weights.iter().chain(actor.values.iter().flatten()).any(|&p| self.params.is_uncertain(p))
                    || self.rules.iter().any(|r| self.params.is_uncertain(r.bonus[a]))
                    || actor.audience.as_ref().is_some_and(|c| self.params.is_uncertain(c.backing_down));
            self.actors[a].utility_uncertain = uncertain;
        }
        // A power shift makes a deal's value depend on both actors' tables
        // and on the lotteries: with any number uncertain, every run
        // recomputes both tables.
        self.raw_utilities = [None, None];
        if let Some(shift) = &self.power {
            let mut tables = std::mem::take(&mut self.mean_utilities);
            let raw = tables.clone();
            power::apply(self, shift, &self.params.means, &mut tables);
            self.mean_utilities = tables;
            if !self.params.uncertain.is_empty() {
                // An actor whose own utilities are certain starts each run
                // from its table before the shift, copied, not refilled.
                let [raw0, raw1] = raw;
                self.raw_utilities = [raw0, raw1].map(Some);
                for a in 0..2 {
                    if self.actors[a].utility_uncertain {
                        self.raw_utilities[a] = None;
                    }
                }
                self.actors.iter_mut().for_each(|a| a.utility_uncertain = true);
                self.power.as_mut().expect("checked above").per_run = true;
            }
        }
        self.nash_candidates = [0, 1].map(|a| {
            self.has_ladders().then(|| nash_candidates(&self.mean_utilities[a], &self.mean_utilities[1 - a])).flatten()
        });
    }

    /// Actor `a`'s reservation value under `p`: the perceived one if the
    /// scenario gives it, else the expected payoff of the conflict lottery
    /// under the odds the actor believes (its `believed_odds`, renormalised,
    /// or the lottery's own).
    pub fn reservation(&self, a: ActorIdx, p: &[f64]) -> f64 {
        match (self.actors[a].reservation, &self.actors[a].believed_odds) {
            (Some(id), _) => p[id as usize],
            (None, Some(odds)) => {
                let total: f64 = odds.iter().map(|&id| p[id as usize]).sum();
                if total <= 0.0 {
                    // Every drawn odd at 0: nothing to believe but the lottery.
                    return self.lottery_value(a, p);
                }
                odds.iter()
                    .zip(&self.disagreement)
                    .map(|(&id, d)| p[id as usize] * p[d.payoff[a] as usize])
                    .sum::<f64>()
                    / total
            }
            (None, None) => self.lottery_value(a, p),
        }
    }

    /// The mechanisms by which talks can fail that this scenario uses, by
    /// their names in docs/model.md, for `brink check`.
    pub fn mechanisms(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.actors.iter().any(|a| a.reservation.is_some()) {
            out.push("misperception (a perceived reservation value)");
        }
        if self.actors.iter().any(|a| a.believed_odds.is_some()) {
            out.push("mutual optimism (believed odds of war)");
        }
        if !self.params.uncertain.is_empty() && !self.types_known {
            out.push("private information (uncertain numbers)");
        }
        if self.params.means[self.hazard as usize] > 0.0 {
            out.push("accidental breakdown");
        }
        if self.has_ladders() {
            out.push("brinkmanship (escalation ladders)");
        }
        if self.power.is_some() {
            out.push("commitment problem (shifting power)");
        }
        if self.actors.iter().any(|a| {
            a.audience.as_ref().is_some_and(|c| {
                let priced = |id: ParamId| self.params.means[id as usize] > 0.0 || self.params.is_uncertain(id);
                priced(c.backing_down) || priced(c.step_down)
            })
        }) {
            out.push("audience costs (public demands)");
        }
        if self.red_lines.iter().flatten().any(|l| self.params.means[l.probability_real as usize] > 0.0) {
            out.push("indivisible stakes (red lines)");
        }
        if self.red_lines.iter().flatten().any(|l| {
            let p = self.params.means[l.probability_real as usize];
            p > 0.0 && p < 1.0 && !self.types_known
        }) {
            out.push("bluffs (red lines that may not be real)");
        }
        out
    }

    /// Actor index by id.
    pub fn actor_index(&self, id: &str) -> Option<ActorIdx> {
        self.actors.iter().position(|a| a.id == id)
    }
}

impl StrategyConfig {
    /// A short description for summaries, e.g. `time-dependent (beta 0.3, Boulware)`.
    pub fn describe(&self, p: &[f64]) -> String {
        match self {
            StrategyConfig::Time { beta } => {
                let b = p[*beta as usize];
                let kind = if b < 1.0 {
                    "Boulware: holds firm, concedes late"
                } else if b > 1.0 {
                    "Conceder: concedes early"
                } else {
                    "linear concession"
                };
                format!("time-dependent (beta {}, {kind})", number_label(b))
            }
            StrategyConfig::Hardliner => "hardliner (never concedes)".into(),
            StrategyConfig::TitForTat => "tit-for-tat (mirrors the opponent's concessions)".into(),
            StrategyConfig::Random => "random (any offer above its reservation value)".into(),
            StrategyConfig::Spe => "subgame-perfect (Rubinstein)".into(),
            StrategyConfig::Reasoning { prior: Prior::Sampled } => {
                "reasoning (weighs waiting against a belief about what the other side accepts)".into()
            }
            StrategyConfig::Reasoning { prior: Prior::Quantiles } => {
                "reasoning (weighs waiting against a belief, on a quantile grid, about what the other side accepts)"
                    .into()
            }
        }
    }
}

impl Actor {
    /// How this actor accepts offers, in words: the subgame-perfect strategy
    /// decides by itself, every other strategy follows the acceptance rule.
    pub fn describe_acceptance(&self, p: &[f64]) -> String {
        match self.strategy {
            StrategyConfig::Spe => "accepts its equilibrium share (part of the strategy)".into(),
            StrategyConfig::Reasoning { .. } => {
                "accepts what beats its expected value of continuing (part of the strategy)".into()
            }
            _ => self.acceptance.describe(p),
        }
    }
}

impl Acceptance {
    pub fn describe(&self, p: &[f64]) -> String {
        match self {
            Acceptance::Next => {
                "accepts an offer worth at least as much as the one it would make next (the rule called AC_next)".into()
            }
            Acceptance::Reservation => "accepts anything above its reservation value".into(),
            Acceptance::Threshold(t) => format!("accepts anything worth at least {}", number_label(p[*t as usize])),
        }
    }
}

/// A short, exact-looking label for a number: 0.35 rather than 0.35000000000000003.
pub fn number_label(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_string() } else { s.to_string() }
}
