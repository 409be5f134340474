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
