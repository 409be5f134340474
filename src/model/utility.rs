//! Multi-attribute utility (docs/model.md §1): `U(w) = sum_i W_i V_i(w_i) + bonuses`.

use super::{ActorIdx, Model};

/// What every outcome's utility is made of beyond its issues' terms, worked
/// out once per model ([`Model::derive_tables`]): the rules it meets and,
/// per actor, whether it lies below that actor's public demand. A run with
/// uncertain utilities (or a power shift) fills both actors' tables, so
/// this keeps the rules' and demands' checks out of every run.
#[derive(Debug, Clone, Default)]
pub struct UtilityLayout {
    /// Per outcome, bit r set if it meets rule r (rules 0 to 63).
    rules: Vec<u64>,
    /// Per actor, per outcome, whether agreeing to it backs the actor down
    /// from its public demand (empty without one).
    below: [Vec<bool>; 2],
}

/// Rules past this many are checked outcome by outcome.
const LAID_OUT_RULES: usize = 64;

impl UtilityLayout {
    pub fn of(model: &Model) -> UtilityLayout {
        let n = model.space.len();
        let option = |w: u32, i: usize| model.space.option_of(w, i);
        let rules = (0..n as u32)
            .map(|w| {
                model.rules.iter().take(LAID_OUT_RULES).enumerate().fold(0u64, |bits, (r, rule)| {
                    let meets = rule.conditions.iter().all(|&(i, o)| option(w, i) == o);
                    bits | (u64::from(meets) << r)
                })
            })
            .collect();
        let below = [0, 1].map(|a| match &model.actors[a].audience {
            Some(costs) if !costs.demand.is_empty() => {
                (0..n as u32).map(|w| costs.backs_down(|i| option(w, i))).collect()
            }
            _ => Vec::new(),
        });
        UtilityLayout { rules, below }
    }
}

/// Reusable buffers for [`fill_utilities`], so that a run allocates nothing.
#[derive(Debug, Clone, Default)]
pub struct UtilityScratch {
    offsets: Vec<usize>,
    contrib: Vec<f64>,
    bonus: Vec<f64>,
    odometer: Vec<u32>,
    /// `partial[i]`: the sum of the outcome's terms over issues 0..=i.
    partial: Vec<f64>,
}

/// Fills `out` (one entry per outcome) with actor `a`'s utility under the
/// parameter vector `p`. Weights are normalised to sum to 1 here, because a
/// drawn weight vector need not sum to 1 even when the means do.
///
/// Each outcome's utility is its issues' terms added in issue order, then
/// the bonus of each rule it meets in rule order, then less the audience
/// cost if it backs down. Walking the outcomes in index order with an
/// odometer of option indices, the running sum over the first issues is
/// kept per issue and redone only from the issue whose option changed (the
/// same additions in the same order, so the same bits); the rules met and
/// the demands are looked up in the model's [`UtilityLayout`].
pub fn fill_utilities(model: &Model, a: ActorIdx, p: &[f64], out: &mut [f64], scratch: &mut UtilityScratch) {
    let actor = &model.actors[a];
    let n_issues = model.issues.len();
    let total_weight: f64 = actor.weights.iter().map(|&w| p[w as usize]).sum();
    // Validation refuses all-zero mean weights; a draw can still hit zero, and
    // then equal weights are the only sensible reading.
    let weight = |i: usize| {
        if total_weight > 0.0 { p[actor.weights[i] as usize] / total_weight } else { 1.0 / n_issues as f64 }
    };
    let UtilityScratch { offsets, contrib, bonus, odometer, partial } = scratch;
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
    partial.clear();
    partial.resize(n_issues, 0.0);
    let layout = &model.utility_layout;
    let below = &layout.below[a];
    let backing_down = actor.audience.as_ref().map_or(0.0, |c| p[c.backing_down as usize]);
    // The issues whose running sums must be redone, from this one on.
    let mut changed = 0;
    for (w, slot) in out.iter_mut().take(model.space.len()).enumerate() {
        for i in changed..n_issues {
            let before = if i == 0 { 0.0 } else { partial[i - 1] };
            partial[i] = before + contrib[offsets[i] + odometer[i] as usize];
        }
        let mut u = if n_issues == 0 { 0.0 } else { partial[n_issues - 1] };
        let mut met = layout.rules[w];
        while met != 0 {
            u += bonus[met.trailing_zeros() as usize];
            met &= met - 1;
        }
        for (r, rule) in model.rules.iter().enumerate().skip(LAID_OUT_RULES) {
            if rule.conditions.iter().all(|&(i, o)| odometer[i] == o) {
                u += bonus[r];
            }
        }
        // Backing down from a public demand costs the audience cost (§11).
        if below.get(w).copied().unwrap_or(false) {
            u -= backing_down;
        }
        *slot = u;
        // Advance the odometer: the last issue varies fastest.
        changed = n_issues;
        while changed > 0 {
            changed -= 1;
            odometer[changed] += 1;
            if odometer[changed] < model.space.radix[changed] {
                break;
            }
            odometer[changed] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `U(w)` added up outcome by outcome as the formula reads: the issues'
    /// terms, each rule's bonus it meets, less the audience cost.
    fn by_the_formula(model: &Model, a: ActorIdx, p: &[f64]) -> Vec<f64> {
        let actor = &model.actors[a];
        let total: f64 = actor.weights.iter().map(|&w| p[w as usize]).sum();
        (0..model.space.len() as u32)
            .map(|w| {
                let mut u = 0.0;
                for (i, values) in actor.values.iter().enumerate() {
                    let o = model.option_of(w, i) as usize;
                    u += p[actor.weights[i] as usize] / total * p[values[o] as usize];
                }
                for rule in &model.rules {
                    if rule.conditions.iter().all(|&(i, o)| model.option_of(w, i) == o) {
                        u += p[rule.bonus[a] as usize];
                    }
                }
                if model.backs_down(a, w) {
                    u -= p[actor.audience.as_ref().unwrap().backing_down as usize];
                }
                u
            })
            .collect()
    }

    /// The running sums and the laid-out rules and demands give every bit
    /// the formula gives, on drawn numbers (geneva-2022 has five rules and
    /// public demands on all four issues for both sides).
    #[test]
    fn the_fast_fill_gives_the_formulas_bits() {
        let text = crate::scenario::find_builtin("geneva-2022").unwrap().text;
        let (_, model) = crate::scenario::load_bytes("geneva-2022.toml", text.as_bytes()).unwrap();
        assert!(model.rules.len() >= 5 && model.actors.iter().all(|a| a.audience.is_some()));
        let mut p = model.params.means.clone();
        let mut scratch = UtilityScratch::default();
        for run in 0..20u64 {
            for u in &model.params.uncertain {
                p[u.id as usize] = u.distribution.sample(&mut crate::rng::RunKey::new(3, run).stream(u.purpose));
            }
            for a in 0..2 {
                let mut out = vec![0.0; model.space.len()];
                fill_utilities(&model, a, &p, &mut out, &mut scratch);
                let expected = by_the_formula(&model, a, &p);
                let same = out.iter().zip(&expected).all(|(x, y)| x.to_bits() == y.to_bits());
                assert!(same, "run {run}, actor {a}: {out:?} != {expected:?}");
            }
        }
    }
}
