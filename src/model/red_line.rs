//! Red lines (docs/model.md §10): on one issue, a level below which an actor
//! accepts nothing, whatever else it is offered. A red line may be a bluff:
//! each run draws whether it is real, with the probability the scenario
//! gives, and the other side knows only that probability (its mean).
//!
//! Which outcomes cross an actor's red lines is fixed per model: a bit per
//! red line in one byte per outcome, looked up in the per-round loop.

use super::{ActorIdx, Model, ParamId};
use crate::rng::Purpose;

/// The most red lines one actor may draw: a reasoning opponent's belief holds
/// every combination of them being real or a bluff (2^n per sampled type).
pub const MAX_RED_LINES: usize = 2;

#[derive(Debug, Clone)]
pub struct RedLine {
    /// The issue it is drawn on.
    pub issue: usize,
    /// The least the actor accepts, as the scenario writes it (for display).
    pub at: String,
    /// Per option of the issue: whether it lies below the line (the actor
    /// values it less than the line's level, by its values at the means).
    pub below: Vec<bool>,
    /// The probability that the line is real (`probability_real`, 1 unless
    /// given). The other side knows its mean; each run draws the truth.
    pub probability_real: ParamId,
    /// The purpose of the run's draw of whether it is real.
    pub purpose: Purpose,
}

/// Every outcome's crossings of each actor's red lines: bit i of
/// `crossed[a][w]` is set when outcome w lies below actor a's red line i.
/// Empty for an actor without red lines.
pub fn crossings(model: &Model) -> [Vec<u8>; 2] {
    std::array::from_fn(|a| {
        let lines = &model.red_lines[a];
        if lines.is_empty() {
            return Vec::new();
        }
        (0..model.space.size)
            .map(|w| {
                lines.iter().enumerate().fold(0u8, |bits, (i, line)| {
                    let below = line.below[model.option_of(w, line.issue) as usize];
                    bits | (u8::from(below) << i)
                })
            })
            .collect()
    })
}

impl Model {
    /// Which of actor a's red lines outcome w crosses (bit i: red line i).
    #[inline]
    pub fn crosses(&self, a: ActorIdx, w: u32) -> u8 {
        match self.red_line_crossings[a].get(w as usize) {
            Some(&bits) => bits,
            None => 0,
        }
    }

    /// Actor a's red lines that are real in every run: probability 1, fixed.
    pub fn certain_red_lines(&self, a: ActorIdx) -> u8 {
        self.red_lines[a].iter().enumerate().fold(0, |bits, (i, line)| {
            let sure = self.params.means[line.probability_real as usize] >= 1.0
                && !self.params.is_uncertain(line.probability_real);
            bits | (u8::from(sure) << i)
        })
    }

    /// "russia's red line on nato (at least moratorium)" for display.
    pub fn describe_red_line(&self, a: ActorIdx, i: usize) -> String {
        let line = &self.red_lines[a][i];
        format!("{}'s red line on {} (at least {})", self.actors[a].id, self.issues[line.issue].id, line.at)
    }
}

/// The combinations of real red lines (actor 0's mask, actor 1's).
const LINE_MASKS: usize = 1 << MAX_RED_LINES;

/// Per combination of real red lines, whether it leaves the talks no deal
/// at all (`Model::deadlocked`). Both actors must reason: a reasoning actor
/// never offers across its own real lines (when it has anything else to
/// offer), and no responder accepts across its own, so a deal must cross
/// neither side's. Where every outcome crosses one, no run can end in a
/// deal, whatever is drawn or played. Empty when that reading does not hold.
pub fn deadlocks(model: &Model) -> Vec<bool> {
    let reasoning = model.actors.iter().all(|a| matches!(a.strategy, super::StrategyConfig::Reasoning { .. }));
    if !reasoning || model.red_lines.iter().all(Vec::is_empty) {
        return Vec::new();
    }
    let crosses = |a: usize, w: usize| model.red_line_crossings[a].get(w).copied().unwrap_or(0);
    let outcomes = 0..model.space.len();
    (0..LINE_MASKS * LINE_MASKS)
        .map(|m| {
            let real = [(m / LINE_MASKS) as u8, (m % LINE_MASKS) as u8];
            // Each side has something it may offer (else its plan falls
            // back on an outcome it has not weighed), and nothing is open to both.
            let can_offer = |a: usize| outcomes.clone().any(|w| crosses(a, w) & real[a] == 0);
            let open_to_both = outcomes.clone().any(|w| crosses(0, w) & real[0] == 0 && crosses(1, w) & real[1] == 0);
            can_offer(0) && can_offer(1) && !open_to_both
        })
        .collect()
}

impl Model {
    /// Whether a run whose real red lines are `real` (each actor's mask)
    /// cannot end in a deal ([`deadlocks`]).
    #[inline]
    pub fn deadlocked(&self, real: [u8; 2]) -> bool {
        let table = &self.red_line_deadlocks;
        !table.is_empty() && table[real[0] as usize * LINE_MASKS + real[1] as usize]
    }
}
