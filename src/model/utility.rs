//! Multi-attribute utility (docs/model.md §1): `U(w) = sum_i W_i V_i(w_i) + bonuses`.

use super::{ActorIdx, Model};

/// Reusable buffers for [`fill_utilities`], so that a run allocates nothing.
#[derive(Debug, Clone, Default)]
pub struct UtilityScratch {
    offsets: Vec<usize>,
    contrib: Vec<f64>,
    bonus: Vec<f64>,
    odometer: Vec<u32>,
}

/// Fills `out` (one entry per outcome) with actor `a`'s utility under the
/// parameter vector `p`. Weights are normalised to sum to 1 here, because a
/// drawn weight vector need not sum to 1 even when the means do.
///
/// Walks the outcomes in index order, keeping an odometer of option indices
/// so that each outcome costs one add per issue and one check per rule.
pub fn fill_utilities(model: &Model, a: ActorIdx, p: &[f64], out: &mut [f64], scratch: &mut UtilityScratch) {
    let actor = &model.actors[a];
    let n_issues = model.issues.len();
    let total_weight: f64 = actor.weights.iter().map(|&w| p[w as usize]).sum();
    // Validation refuses all-zero mean weights; a draw can still hit zero, and
    // then equal weights are the only sensible reading.
    let weight = |i: usize| {
        if total_weight > 0.0 { p[actor.weights[i] as usize] / total_weight } else { 1.0 / n_issues as f64 }
    };
    let UtilityScratch { offsets, contrib, bonus, odometer } = scratch;
    // contrib[offsets[i] + o] = W_i * V_i(o).
    offsets.clear();
    contrib.clear();
    for (i, values) in actor.values.iter().enumerate() {
        offsets.push(contrib.len());
        let w = weight(i);
        contrib.extend(values.iter().map(|&v| w * p[v as usize]));
    }
    bonus.clear();
    bonus.extend(model.rules.iter().map(|r| p[r.bonus[a] as usize]));
    odometer.clear();
    odometer.resize(n_issues, 0);

    for slot in out.iter_mut().take(model.space.len()) {
        let mut u = 0.0;
        for i in 0..n_issues {
            u += contrib[offsets[i] + odometer[i] as usize];
        }
        for (r, rule) in model.rules.iter().enumerate() {
            if rule.conditions.iter().all(|&(i, o)| odometer[i] == o) {
                u += bonus[r];
            }
        }
        // Backing down from a public demand costs the audience cost (§11).
        if let Some(costs) = &actor.audience
            && costs.backs_down(|i| odometer[i])
        {
            u -= p[costs.backing_down as usize];
        }
        *slot = u;
        // Advance the odometer: the last issue varies fastest.
        for i in (0..n_issues).rev() {
            odometer[i] += 1;
            if odometer[i] < model.space.radix[i] {
                break;
            }
            odometer[i] = 0;
        }
    }
}
