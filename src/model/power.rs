//! Shifting power and the commitment problem (docs/model.md §5c): what a
//! deal signed now is worth over its life, when power shifts after the
//! signing and the deal may not bind.
//!
//! A deal's life is the period of its signing and the scenario's later
//! periods, weighted `δ^k / Σ_j δ^j`. In each later period the conflict
//! lottery stands as the schedule says. With probability q (enforcement)
//! the deal binds; otherwise the side the shift favours revises it to the
//! outcome best for itself among those the other side prefers to fighting
//! then (Powell 2006), or, if no outcome satisfies the other side, war
//! breaks out in that period. Each period is valued as if the deal had
//! stood until then.
//!
//! The result replaces each actor's utility of a deal, so every strategy,
//! acceptance rule, payoff and analysis sees a deal at its value over its
//! life, while failed talks are worth the conflict lottery now.

use super::{ActorIdx, Model, ParamId};

/// Utilities closer than this count as equal when the declining side
/// compares a revision with fighting.
const EPS: f64 = 1e-9;

/// One period of a deal's life after its signing: the conflict lottery as
/// power then stands.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerPeriod {
    /// Per disagreement outcome, its probability in this period.
    pub probability: Vec<f64>,
    /// Per disagreement outcome, each actor's payoff in this period.
    pub payoff: Vec<[ParamId; 2]>,
}

/// A scenario's `[power_shift]`: the deal's later periods and how likely
/// it is to bind in them.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerShift {
    /// The weight of each later period relative to the one before (δ).
    pub discount: ParamId,
    /// The probability that a deal binds once power has shifted (q).
    pub enforcement: ParamId,
    /// The enforcement level's name, when the scenario names one.
    pub level: Option<String>,
    pub periods: Vec<PowerPeriod>,
    /// Whether some number behind the values is uncertain, so that each run
    /// must recompute them (else the compiled tables serve every run).
    pub per_run: bool,
}

/// What a deal turns into in one later period, when it does not bind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Revision {
    /// The side the shift favours: it revises the deal.
    pub favoured: ActorIdx,
    /// Each actor's war value in the period.
    pub war: [f64; 2],
    /// The outcome the favoured side revises the deal to (None: no outcome
    /// gives the other side its war value, so war breaks out).
    pub revised: Option<u32>,
}

impl PowerShift {
    /// Actor `a`'s war value in later period `k` under `p`.
    pub fn war_value(&self, k: usize, a: ActorIdx, p: &[f64]) -> f64 {
        let period = &self.periods[k];
        period.probability.iter().zip(&period.payoff).map(|(&prob, payoff)| prob * p[payoff[a] as usize]).sum()
    }

    /// The weights of the signing period and each later one (they sum to 1).
    pub fn weights(&self, p: &[f64]) -> impl Iterator<Item = f64> {
        let delta = p[self.discount as usize];
        let total: f64 = (0..=self.periods.len()).map(|k| delta.powi(k as i32)).sum();
        (0..=self.periods.len()).map(move |k| delta.powi(k as i32) / total)
    }

    /// Period `k`'s revision under `p`, with the actors' (raw) utility
    /// tables `u`; None when the shift favours neither side (a deal then
    /// stands whether it binds or not).
    pub fn revision(&self, model: &Model, k: usize, p: &[f64], u: [&[f64]; 2]) -> Option<Revision> {
        let war = [self.war_value(k, 0, p), self.war_value(k, 1, p)];
        let gain = [war[0] - model.lottery_value(0, p), war[1] - model.lottery_value(1, p)];
        let favoured = if gain[0] > gain[1] + EPS {
            0
        } else if gain[1] > gain[0] + EPS {
            1
        } else {
            return None;
        };
        let other = 1 - favoured;
        // The favoured side's best outcome among those the other side prefers
        // to fighting; ties go to the outcome better for the other side.
        let mut revised: Option<u32> = None;
        for y in 0..u[0].len() {
            if u[other][y] < war[other] - EPS {
                continue;
            }
            let better = match revised {
                None => true,
                Some(r) => {
                    let r = r as usize;
                    u[favoured][y] > u[favoured][r] || (u[favoured][y] == u[favoured][r] && u[other][y] > u[other][r])
                }
            };
            if better {
                revised = Some(y as u32);
            }
        }
        Some(Revision { favoured, war, revised })
    }
}

/// Rewrites both actors' utility tables `tables` (raw utilities, by
/// outcome) into each deal's value over its life under `p`. Leaves them
/// untouched when no period revises anything or every deal binds, so a
/// schedule without a shift changes no number.
pub fn apply(model: &Model, shift: &PowerShift, p: &[f64], tables: &mut [Vec<f64>; 2]) {
    let q = p[shift.enforcement as usize];
    let revisions: Vec<Option<Revision>> =
        (0..shift.periods.len()).map(|k| shift.revision(model, k, p, [&tables[0], &tables[1]])).collect();
    if q >= 1.0 || revisions.iter().all(Option::is_none) {
        return;
    }
    let weights: Vec<f64> = shift.weights(p).collect();
    // What each actor gets in each period from a revised deal (or from war).
    let revised_value: Vec<Option<[f64; 2]>> = revisions
        .iter()
        .map(|r| {
            r.map(|r| match r.revised {
                Some(y) => [tables[0][y as usize], tables[1][y as usize]],
                None => r.war,
            })
        })
        .collect();
    let [t0, t1] = tables;
    for (x0, x1) in t0.iter_mut().zip(t1.iter_mut()) {
        let u = [*x0, *x1];
        let mut value = [weights[0] * u[0], weights[0] * u[1]];
        for (k, (r, after)) in revisions.iter().zip(&revised_value).enumerate() {
            let w = weights[k + 1];
            let later = match (r, after) {
                (Some(r), Some(after)) => {
                    let (f, o) = (r.favoured, 1 - r.favoured);
                    // The deal stands if the other side still prefers it to
                    // fighting and the favoured side can get no more.
                    let stands = u[o] >= r.war[o] - EPS && u[f] >= after[f];
                    if stands { u } else { *after }
                }
                _ => u,
            };
            for a in 0..2 {
                value[a] += w * (q * u[a] + (1.0 - q) * later[a]);
            }
        }
        (*x0, *x1) = (value[0], value[1]);
    }
}
