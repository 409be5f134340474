//! Theoretical benchmarks of a scenario (docs/model.md §6): the Pareto frontier,
//! the bargaining solutions and the zone of possible agreement, over the
//! outcome space with every uncertain number at its mean.

use serde::Serialize;

use super::bargaining::{self, Solution, Zopa};
use crate::model::Model;

/// Everything `brink analyze` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Benchmarks {
    /// The disagreement point: each actor's reservation value at the means
    /// (perceived where the scenario sets one).
    pub disagreement_point: [f64; 2],
    /// What the conflict lottery is really worth to each actor, at the means.
    pub lottery_value: [f64; 2],
    /// Pareto-optimal outcomes, by the first actor's utility.
    pub frontier: Vec<u32>,
    pub nash: Solution,
    pub kalai_smorodinsky: Solution,
    pub utilitarian: Solution,
    pub egalitarian: Solution,
    pub zopa: Zopa,
    /// For one-issue divisible scenarios with discounting.
    pub rubinstein: Option<Rubinstein>,
    /// For one numeric issue: the options both sides weakly prefer to
    /// fighting (Fearon's bargaining range).
    pub bargaining_range: Option<BargainingRange>,
}

/// Fearon's (1995) bargaining range on a single numeric issue: the options
/// worth at least its reservation value to each side. With a pie on [0, 1]
/// won by A with probability p at costs c_A and c_B, it is [p − c_A, p + c_B].
#[derive(Debug, Clone, Serialize)]
pub struct BargainingRange {
    /// The issue's id.
    pub issue: String,
    /// The lowest and highest option value in the range.
    pub low: f64,
    pub high: f64,
    /// The outcomes at either end.
    pub low_outcome: u32,
    pub high_outcome: u32,
}

/// The range of a single numeric issue's values whose outcomes are worth at
/// least `d` to both actors (within a rounding tolerance); `None` for other
/// scenarios, or when no option is.
fn bargaining_range(model: &Model, u1: &[f64], u2: &[f64], d: (f64, f64)) -> Option<BargainingRange> {
    if model.issues.len() != 1 {
        return None;
    }
    let numbers = model.issues[0].numbers.as_ref()?;
    const TOLERANCE: f64 = 1e-9;
    let inside: Vec<u32> = (0..u1.len() as u32)
        .filter(|&w| u1[w as usize] >= d.0 - TOLERANCE && u2[w as usize] >= d.1 - TOLERANCE)
        .collect();
    let value = |w: u32| numbers[model.option_of(w, 0) as usize];
    let low = *inside.iter().min_by(|&&a, &&b| value(a).total_cmp(&value(b)))?;
    let high = *inside.iter().max_by(|&&a, &&b| value(a).total_cmp(&value(b)))?;
    Some(BargainingRange {
        issue: model.issues[0].id.clone(),
        low: value(low),
        high: value(high),
        low_outcome: low,
        high_outcome: high,
    })
}

/// Rubinstein's subgame-perfect split for the scenario's first mover.
#[derive(Debug, Clone, Serialize)]
pub struct Rubinstein {
    pub first_mover: String,
    /// Share of the pie (in utility) the first mover keeps, x*.
    pub first_mover_share: f64,
    pub second_mover_share: f64,
    /// The grid outcome subgame-perfect agents agree on: the first mover's
    /// share rounded down to the grid.
    pub grid_outcome: u32,
    /// How far the subgame-perfect split of the scenario's *finite* game
    /// (deadline after `rounds` rounds, nothing at the deadline) can be from
    /// the stationary x*: at most `(δ1·δ2)^⌊(T−1)/2⌋` (see
    /// [`deadline_gap_bound`]).
    pub deadline_gap_bound: f64,
}

/// The largest gap between the first mover's subgame-perfect share in the
/// alternating-offers game that ends (worth 0 to both) after `rounds`
/// rounds and the infinite game's `x*`: `(δ1·δ2)^⌊(T−1)/2⌋`.
///
/// Backward induction from the last round, where the proposer takes all:
/// with `k` rounds left the proposer keeps `x_k = 1 − δ_other·x'_{k−1}`, so
/// the gap to the fixed point shrinks by `δ1·δ2` every two rounds, from at
/// most 1. With δ = 0.99 for both and 50 rounds the bound is 0.62 (the
/// finite game gives the first mover 0.199, not 0.503): the stationary spe
/// strategy is the equilibrium of such a scenario only once the deadline
/// is far longer.
pub fn deadline_gap_bound(delta1: f64, delta2: f64, rounds: u32) -> f64 {
    (delta1 * delta2).powi((rounds.saturating_sub(1) / 2) as i32)
}

pub fn analyse(model: &Model) -> Benchmarks {
    let p = &model.params.means;
    // Outcomes across a red line that is surely real are not on the table:
    // they count as infeasible (NaN), so no solution or frontier holds them
    // (docs/model.md §10). Without such lines the tables are used as they are.
    let masked = (model.certain_red_lines(0) != 0 || model.certain_red_lines(1) != 0).then(|| {
        let mask = |a: usize| -> Vec<f64> {
            let lines = [model.certain_red_lines(0), model.certain_red_lines(1)];
            (0..model.space.size)
                .map(|w| {
                    let out = (0..2).any(|x| model.crosses(x, w) & lines[x] != 0);
                    if out { f64::NAN } else { model.mean_utilities[a][w as usize] }
                })
                .collect()
        };
        (mask(0), mask(1))
    });
    let (u1, u2) = match &masked {
        Some((u1, u2)) => (u1, u2),
        None => (&model.mean_utilities[0], &model.mean_utilities[1]),
    };
    let d = (model.reservation(0, p), model.reservation(1, p));
    Benchmarks {
        disagreement_point: [d.0, d.1],
        lottery_value: [model.lottery_value(0, p), model.lottery_value(1, p)],
        frontier: bargaining::pareto_frontier(u1, u2),
        nash: bargaining::nash_bargaining(u1, u2, d),
        kalai_smorodinsky: bargaining::kalai_smorodinsky(u1, u2, d),
        utilitarian: bargaining::utilitarian(u1, u2),
        egalitarian: bargaining::egalitarian(u1, u2, d),
        zopa: bargaining::zopa(u1, u2, d),
        rubinstein: rubinstein(model),
        bargaining_range: bargaining_range(model, u1, u2, d),
    }
}

/// Defined for a single numeric issue whose discount factors are below 1.
fn rubinstein(model: &Model) -> Option<Rubinstein> {
    if model.issues.len() != 1 || model.issues[0].numbers.is_none() {
        return None;
    }
    let p = &model.params.means;
    let first = model.first_mover;
    let d_first = p[model.actors[first].discount as usize];
    let d_second = p[model.actors[1 - first].discount as usize];
    let (x, y) = bargaining::rubinstein_split(d_first, d_second)?;
    let own = &model.mean_utilities[first];
    // The equilibrium strategies leave the responder at least its share, so
    // on a grid they agree on the largest first-mover share not above x*.
    let agreed = (0..own.len() as u32)
        .filter(|&w| own[w as usize] <= x + 1e-9)
        .max_by(|&a, &b| own[a as usize].total_cmp(&own[b as usize]).then(b.cmp(&a)))?;
    Some(Rubinstein {
        first_mover: model.actors[first].id.clone(),
        first_mover_share: x,
        second_mover_share: y,
        grid_outcome: agreed,
        deadline_gap_bound: deadline_gap_bound(d_first, d_second, model.rounds),
    })
}

/// Mean distance, in expected-utility space, from agreements to the nearest
/// Nash bargaining outcome; `None` without agreements or without a Nash
/// solution.
pub fn mean_distance_to_nash(model: &Model, nash: &Solution, agreements: &[(u32, u64)]) -> Option<f64> {
    let (u1, u2) = (&model.mean_utilities[0], &model.mean_utilities[1]);
    let mut total = 0.0;
    let mut n = 0u64;
    for &(w, c) in agreements {
        total += bargaining::distance_to_nearest(u1, u2, w, &nash.outcomes)? * c as f64;
        n += c;
    }
    (n > 0).then(|| total / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> Model {
        crate::scenario::load_bytes("t.toml", text.as_bytes()).map_err(|e| e.to_string()).unwrap().1
    }

    /// Three outcomes on one issue, hand-checked:
    /// x: (1.0, 0.0), y: (0.6, 0.6), z: (0.0, 1.0), disagreement (0.2, 0.2).
    /// Nash: y (0.16 beats 0 and 0); KS: y (equal relative gains); utilitarian: y (1.2).
    const TINY: &str = r#"
[scenario]
name = "Tiny"
rounds = 5
[[issues]]
id = "a"
options = ["x", "y", "z"]
[actors.p]
strategy = "linear"
issues.a = { weight = 1, values = [1.0, 0.6, 0.0] }
[actors.q]
strategy = "linear"
issues.a = { weight = 1, values = [0.0, 0.6, 1.0] }
[[disagreement]]
id = "war"
probability = 1.0
payoffs = { p = 0.2, q = 0.2 }
"#;

    #[test]
    fn hand_checked_solutions_on_a_tiny_scenario() {
        let b = analyse(&model(TINY));
        assert_eq!(b.disagreement_point, [0.2, 0.2]);
        assert_eq!(b.frontier, vec![2, 1, 0]);
        assert_eq!(b.nash.outcomes, vec![1]);
        assert_eq!(b.kalai_smorodinsky.outcomes, vec![1]);
        assert_eq!(b.utilitarian.outcomes, vec![1]);
        assert_eq!(b.egalitarian.outcomes, vec![1]);
        assert_eq!(b.zopa.count, 1);
        assert!(b.rubinstein.is_none(), "labelled options are not a divisible pie");
    }

    #[test]
    fn asymmetric_kalai_smorodinsky_differs_from_nash() {
        // Outcomes (1,0), (0.7,0.5), (0.5,0.8), (0,1) with d = (0,0):
        // Nash maximises the product: 0.4 at (0.5,0.8) vs 0.35 at (0.7,0.5).
        // KS equalises u1/1 and u2/1: |0.7-0.5| = 0.2 vs |0.5-0.8| = 0.3 → (0.7,0.5).
        let text = TINY
            .replace("options = [\"x\", \"y\", \"z\"]", "options = [\"w\", \"x\", \"y\", \"z\"]")
            .replace("values = [1.0, 0.6, 0.0]", "values = [1.0, 0.7, 0.5, 0.0]")
            .replace("values = [0.0, 0.6, 1.0]", "values = [0.0, 0.5, 0.8, 1.0]")
            .replace("payoffs = { p = 0.2, q = 0.2 }", "payoffs = { p = 0.0, q = 0.0 }");
        let b = analyse(&model(&text));
        assert_eq!(b.nash.outcomes, vec![2]);
        assert_eq!(b.kalai_smorodinsky.outcomes, vec![1]);
    }

    #[test]
    fn rubinstein_benchmark_for_the_divide_the_pie_scenario() {
        let text = crate::scenario::find_builtin("rubinstein").unwrap().text;
        let b = analyse(&model(text));
        let r = b.rubinstein.unwrap();
        assert!((r.first_mover_share - 0.2 / 0.28).abs() < 1e-12);
        assert_eq!(r.grid_outcome, 71);
    }
}

#[cfg(test)]
mod issue_16_tests {
    use super::deadline_gap_bound;

    /// The finite game solved by backward induction: the first mover's share.
    fn finite_split(d1: f64, d2: f64, rounds: u32) -> f64 {
        // Proposer at the last round takes all; walk back to round 0.
        let mut keep = 1.0;
        for k in (0..rounds.saturating_sub(1)).rev() {
            // Round k's proposer: 1 if k is odd (second mover), else first.
            let responder_delta = if k % 2 == 0 { d2 } else { d1 };
            keep = 1.0 - responder_delta * keep;
        }
        keep
    }

    #[test]
    fn issue_16_deadline_bound_holds_and_is_tight_enough() {
        for (d1, d2, t) in [(0.9, 0.8, 50), (0.99, 0.99, 50), (0.5, 0.7, 7), (0.95, 0.9, 10)] {
            let x = (1.0 - d2) / (1.0 - d1 * d2);
            let gap = (finite_split(d1, d2, t) - x).abs();
            assert!(gap <= deadline_gap_bound(d1, d2, t) + 1e-12, "{d1} {d2} {t}: {gap}");
        }
        // The issue's numbers: δ = 0.99, 50 rounds gives 0.199, not 0.5025.
        assert!((finite_split(0.99, 0.99, 50) - 0.199).abs() < 0.001);
        assert!(deadline_gap_bound(0.9, 0.8, 50) < 0.0005);
    }
}
