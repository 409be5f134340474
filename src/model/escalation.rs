//! Escalation ladders (MODEL.md §5b, Schelling 1960; Powell 1990): the
//! compiled form of `[[actors.<id>.escalation]]`, and the conflict lottery
//! as the ladders and the way talks ended shape it.
//!
//! A position on a ladder is the number of steps taken (0 = none). Steps
//! are cumulative: an actor at position 2 bears the costs, hazard and
//! lottery effects of steps 1 and 2. Everything here works on plain numbers
//! and indices and allocates nothing, so the engine can call it per round.

use super::{ActorIdx, Model, ParamId};

/// The most steps a ladder may have; positions fit in a `u8` and per-run
/// tables are fixed-size arrays.
pub const MAX_STEPS: usize = 8;

/// The most a per-round breakdown hazard can reach once escalation adds to
/// it: talks never fail with certainty in a single round.
pub const MAX_HAZARD: f64 = 0.999;

/// The columns of the conflict lottery: the default probabilities (used for
/// reservation values and analysis), and one column per way talks can fail.
pub const LOTTERY_COLUMNS: usize = 5;
/// The default column (`probability`).
pub const COLUMN_DEFAULT: usize = 0;
/// Talks collapsed after a rejection (exogenous or escalation-induced).
pub const COLUMN_BREAKDOWN: usize = 1;
/// The deadline passed.
pub const COLUMN_DEADLINE: usize = 2;
/// Actor `a` walked out: column `COLUMN_WALK_AWAY + a`.
pub const COLUMN_WALK_AWAY: usize = 3;

/// The keys of `probability_by_ending` (after the default), in column order;
/// walk-aways are `walk-away-<actor id>`.
pub const ENDING_KEYS: [&str; 2] = ["breakdown", "deadline"];

/// The conflict lottery's shifted probabilities (before renormalising) and
/// their sums, at every pair of ladder positions and in every column,
/// worked out once per model ([`Model::derive_tables`]): the engine asks for
/// them every round, and they depend on nothing drawn.
#[derive(Debug, Clone, Default)]
pub struct LotteryTable {
    /// The positions of actor 1's ladder (its steps + 1).
    width: usize,
    outcomes: usize,
    /// `shifted[slot * outcomes + k]`, slot = (position pair, column).
    shifted: Vec<f64>,
    /// `total[slot]`: the sum of the slot's shifted probabilities.
    total: Vec<f64>,
}

impl LotteryTable {
    pub fn of(model: &Model) -> LotteryTable {
        let heights = [model.ladders[0].steps.len() + 1, model.ladders[1].steps.len() + 1];
        let n = model.disagreement.len();
        let mut table = LotteryTable { width: heights[1], outcomes: n, shifted: Vec::new(), total: Vec::new() };
        for p0 in 0..heights[0] {
            for p1 in 0..heights[1] {
                let pos = [p0 as u8, p1 as u8];
                for column in 0..LOTTERY_COLUMNS {
                    debug_assert_eq!(table.slot(pos, column), table.total.len());
                    let start = table.shifted.len();
                    table.shifted.extend((0..n).map(|k| model.shifted_probability_of(k, column, pos)));
                    table.total.push(table.shifted[start..].iter().sum());
                }
            }
        }
        table
    }

    #[inline]
    fn slot(&self, pos: [u8; 2], column: usize) -> usize {
        (pos[0] as usize * self.width + pos[1] as usize) * LOTTERY_COLUMNS + column
    }
}

/// One actor's escalation ladder. An empty ladder is no ladder.
#[derive(Debug, Clone, Default)]
pub struct Ladder {
    pub steps: Vec<Step>,
    pub rule: EscalationRule,
    /// Steps already taken before round 0 (a policy chosen before the talks).
    pub start: u8,
}

/// One rung of a ladder.
#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    pub name: String,
    /// Per-round cost to the actor that took the step.
    pub cost: ParamId,
    /// Per-round cost the step imposes on the other actor.
    pub cost_other: ParamId,
    /// Increment of the per-round breakdown hazard (the shared risk).
    pub hazard: ParamId,
    /// Additive shifts of disagreement outcomes' probabilities (fixed
    /// numbers summing to 0), applied to every column of the lottery.
    pub probability_shift: Vec<(u32, f64)>,
    /// Additive shifts of disagreement outcomes' payoffs, per actor.
    pub payoff_shift: Vec<(u32, [ParamId; 2])>,
}

/// When an actor climbs (or descends) its ladder.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum EscalationRule {
    /// Stays where it starts.
    #[default]
    Never,
    /// Climbs one step after `after` of its own turns in a row in which the
    /// opponent's offer did not improve on the best so far by `min_progress`.
    Stalled { after: u32, min_progress: f64 },
    /// Tit-for-tat on the ladder: climbs one step when the opponent stands
    /// higher (and, on a reversible ladder, descends when it stands lower).
    Mirror,
    /// Reasoning: takes the move (up, stay, down) with the best expected value
    /// of the rest of the talks under its beliefs.
    ExpectedValue,
}

impl EscalationRule {
    pub fn describe(&self) -> String {
        match self {
            EscalationRule::Never => "never escalates".into(),
            EscalationRule::Stalled { after, min_progress } => format!(
                "escalates after {after} of its turns without progress of at least {} at the table",
                super::number_label(*min_progress)
            ),
            EscalationRule::Mirror => "mirrors the opponent on the ladder (tit-for-tat)".into(),
            EscalationRule::ExpectedValue => {
                "escalates when the expected gain at the table outweighs the cost and the added risk".into()
            }
        }
    }
}

impl Model {
    /// Whether either actor has a ladder.
    #[inline]
    pub fn has_ladders(&self) -> bool {
        !self.ladders[0].steps.is_empty() || !self.ladders[1].steps.is_empty()
    }

    /// The probability of disagreement outcome `k` in lottery column
    /// `column` at ladder positions `pos`, before renormalising: the base
    /// probability plus every taken step's shift, clamped to [0, 1]. The
    /// definition behind [`LotteryTable`], which the engine reads instead.
    fn shifted_probability_of(&self, k: usize, column: usize, pos: [u8; 2]) -> f64 {
        // Each ladder's shifts summed on their own, then the two added: a
        // sum of two is the same whichever actor the file names first, so
        // the same scenario written in another order gives the same bytes.
        let mut shift = [0.0; 2];
        for (a, ladder) in self.ladders.iter().enumerate() {
            for step in &ladder.steps[..pos[a] as usize] {
                for &(o, s) in &step.probability_shift {
                    if o as usize == k {
                        shift[a] += s;
                    }
                }
            }
        }
        (self.disagreement[k].by_ending[column] + (shift[0] + shift[1])).clamp(0.0, 1.0)
    }

    /// [`Model::shifted_probability_of`], looked up.
    #[inline]
    fn shifted_probability(&self, k: usize, column: usize, pos: [u8; 2]) -> f64 {
        let t = &self.lottery_table;
        t.shifted[t.slot(pos, column) * t.outcomes + k]
    }

    /// The lottery's probabilities at `pos` in `column`: shifted, clamped to
    /// [0, 1], then renormalised to sum 1. Shifts of a step sum to 0
    /// (validation), so before clamping the column sums to 1 and after it to
    /// at least 1: the divisor is never 0 and no NaN can arise.
    #[inline]
    pub fn lottery_probability(&self, k: usize, column: usize, pos: [u8; 2]) -> f64 {
        let t = &self.lottery_table;
        self.shifted_probability(k, column, pos) / t.total[t.slot(pos, column)]
    }

    /// Actor `a`'s payoff of disagreement outcome `k` at `pos` under `p`.
    #[inline]
    pub fn lottery_payoff(&self, a: ActorIdx, k: usize, pos: [u8; 2], p: &[f64]) -> f64 {
        // As in `shifted_probability`: per ladder, then the two added.
        let mut shift = [0.0; 2];
        for (b, ladder) in self.ladders.iter().enumerate() {
            for step in &ladder.steps[..pos[b] as usize] {
                for &(o, s) in &step.payoff_shift {
                    if o as usize == k {
                        shift[b] += p[s[a] as usize];
                    }
                }
            }
        }
        p[self.disagreement[k].payoff[a] as usize] + (shift[0] + shift[1])
    }

    /// Actor `a`'s expected conflict value at ladder positions `pos`, in
    /// lottery column `column`, under parameter vector `p`.
    pub fn conflict_value(&self, a: ActorIdx, pos: [u8; 2], column: usize, p: &[f64]) -> f64 {
        let n = self.disagreement.len();
        let total = self.lottery_table.total[self.lottery_table.slot(pos, column)];
        (0..n).map(|k| self.shifted_probability(k, column, pos) * self.lottery_payoff(a, k, pos, p)).sum::<f64>()
            / total
    }

    /// Actor `a`'s reservation value at ladder positions `pos`: its
    /// reservation without ladders (perceived or the lottery's value) moved
    /// by however much the ladders change the lottery's value to it. A
    /// perceived reservation keeps its misperception as an offset.
    pub fn reservation_at(&self, a: ActorIdx, pos: [u8; 2], p: &[f64]) -> f64 {
        if pos == [0, 0] {
            return self.reservation(a, p);
        }
        self.reservation(a, p) + self.conflict_value(a, pos, COLUMN_DEFAULT, p)
            - self.conflict_value(a, [0, 0], COLUMN_DEFAULT, p)
    }

    /// The ladders' starting positions.
    pub fn ladder_start(&self) -> [u8; 2] {
        [self.ladders[0].start, self.ladders[1].start]
    }
}
