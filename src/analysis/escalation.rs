//! Brinkmanship in numbers: where the ladders stood when talks ended, why
//! failed talks failed, the conflict lottery as realised (from a tally), and
//! what each ladder position does to the conflict values and the bargaining
//! range (from the scenario, at the means).

use serde::Serialize;

use super::bargaining::{self, Zopa};
use super::shares::Share;
use crate::model::Model;
use crate::montecarlo::Tally;
use crate::montecarlo::escalation::{CAUSES, cause_label};

/// The escalation section of summary.json.
#[derive(Debug, Clone, Serialize)]
pub struct EscalationSummary {
    pub ladders: Vec<LadderSummary>,
    /// Failed talks by cause, as shares of all runs.
    pub failures_by_cause: Vec<Share>,
    /// The conflict lottery as realised: per cause, outcomes as shares of that cause's failures.
    pub realised_lottery: Vec<CauseLottery>,
    /// Escalation-induced breakdowns as a share of all breakdowns.
    pub breakdowns_from_escalation: Share,
}

#[derive(Debug, Clone, Serialize)]
pub struct LadderSummary {
    pub actor: String,
    /// Position labels: "none", then the step ids.
    pub positions: Vec<String>,
    pub rule: String,
    /// The step the actor starts on ("none" if it starts at the bottom).
    pub start: String,
    /// Runs by the position held when the talks ended.
    pub final_positions: Vec<Share>,
    /// Runs in which the actor climbed at least once during the talks.
    pub climbed: Share,
    /// `by_round[t][k]`: runs still talking at round t with the actor at position k.
    pub by_round: Vec<Vec<u64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CauseLottery {
    pub cause: String,
    pub outcomes: Vec<Share>,
}

/// Position labels of actor `a`'s ladder: "none", then the step ids.
pub fn position_labels(model: &Model, a: usize) -> Vec<String> {
    std::iter::once("none".to_string()).chain(model.ladders[a].steps.iter().map(|s| s.id.clone())).collect()
}

/// The escalation summary of a tally (`None` without ladders).
pub fn summarise(model: &Model, tally: &Tally) -> Option<EscalationSummary> {
    let x = tally.escalation.as_ref()?;
    let n = tally.runs;
    let ladders = (0..2)
        .map(|a| {
            let labels = position_labels(model, a);
            LadderSummary {
                actor: model.actors[a].id.clone(),
                rule: model.ladders[a].rule.describe(),
                start: labels[model.ladders[a].start as usize].clone(),
                final_positions: labels.iter().zip(&x.final_positions[a]).map(|(l, &c)| Share::new(l, c, n)).collect(),
                climbed: Share::new("climbed", x.climbed[a], n),
                by_round: (0..model.rounds as usize).map(|t| x.at_round(a, t).to_vec()).collect(),
                positions: labels,
            }
        })
        .collect();
    let causes = x.causes();
    let outcomes = model.disagreement.len();
    let failures_by_cause = (0..CAUSES).map(|c| Share::new(cause_label(model, c), causes[c], n)).collect();
    let realised_lottery = (0..CAUSES)
        .map(|c| CauseLottery {
            cause: cause_label(model, c),
            outcomes: model
                .disagreement
                .iter()
                .enumerate()
                .map(|(k, d)| Share::new(d.id.clone(), x.lottery_by_cause[c * outcomes + k], causes[c]))
                .collect(),
        })
        .collect();
    Some(EscalationSummary {
        ladders,
        failures_by_cause,
        realised_lottery,
        breakdowns_from_escalation: Share::new("escalation-breakdown", causes[1], causes[0] + causes[1]),
    })
}

/// One ladder profile at the means, for `brink analyze`.
#[derive(Debug, Clone, Serialize)]
pub struct LadderProfile {
    /// Each actor's position (step id or "none").
    pub positions: [String; 2],
    /// Each actor's conflict value (its reservation, perceived where the
    /// scenario sets one, moved by the ladders).
    pub conflict_value: [f64; 2],
    /// The breakdown hazard per round (the exogenous hazard's mean plus the
    /// ladders' increments).
    pub hazard: f64,
    /// Per-round escalation costs to each actor.
    pub cost_per_round: [f64; 2],
    /// The bargaining range at these conflict values.
    pub zopa: Zopa,
    /// The best deal each actor can get that the other still prefers to its
    /// conflict value (`None`: the other prefers conflict to every outcome).
    pub best_deal: [Option<f64>; 2],
}

/// Every combination of ladder positions, with conflict values and ZOPA at
/// the means: what a threat does to the bargaining range.
pub fn profiles(model: &Model) -> Vec<LadderProfile> {
    let p = &model.params.means;
    let mut out = Vec::new();
    let labels = [position_labels(model, 0), position_labels(model, 1)];
    for i in 0..labels[0].len() {
        for j in 0..labels[1].len() {
            let pos = [i as u8, j as u8];
            let d = [model.reservation_at(0, pos, p), model.reservation_at(1, pos, p)];
            let mut hazard = p[model.hazard as usize];
            let mut cost = [0.0; 2];
            for (a, ladder) in model.ladders.iter().enumerate() {
                for step in &ladder.steps[..pos[a] as usize] {
                    hazard += p[step.hazard as usize];
                    cost[a] += p[step.cost as usize];
                    cost[1 - a] += p[step.cost_other as usize];
                }
            }
            out.push(LadderProfile {
                positions: [labels[0][i].clone(), labels[1][j].clone()],
                conflict_value: d,
                hazard: hazard.min(crate::model::escalation::MAX_HAZARD),
                cost_per_round: cost,
                zopa: bargaining::zopa(&model.mean_utilities[0], &model.mean_utilities[1], (d[0], d[1])),
                best_deal: [0, 1].map(|a| best_deal(&model.mean_utilities[a], &model.mean_utilities[1 - a], d[1 - a])),
            });
        }
    }
    out
}

/// The most `own` utility among outcomes worth at least `floor` to the other.
pub fn best_deal(own: &[f64], other: &[f64], floor: f64) -> Option<f64> {
    own.iter().zip(other).filter(|(_, o)| **o >= floor).map(|(x, _)| *x).reduce(f64::max)
}
