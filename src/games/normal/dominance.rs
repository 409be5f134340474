//! Iterated elimination of strictly dominated strategies, including
//! strategies dominated only by a mixture of other strategies.
//!
//! A strategy s is strictly dominated by some mixture σ of the player's other
//! remaining strategies exactly when the zero-sum game "payoff of k minus
//! payoff of s, for k ≠ s, against every remaining opponent strategy" has a
//! positive value; the maxmin strategy of that game is then a dominating σ.
//! That value is computed exactly by [`super::lp::solve_matrix_game`].
//!
//! Strict dominance is order-independent: the strategies that survive do not
//! depend on the order of removal, and no Nash equilibrium is lost. The order
//! reported here is chosen for teaching: pure dominators are looked for
//! before mixed ones, the row player before the column player, and lower
//! indices first.

use num_rational::BigRational;
use num_traits::{Signed, Zero};
use serde::Serialize;

use super::display::ser_rational;
use super::lp::solve_matrix_game;
use super::model::{COLUMN, Game, ROW};

/// One probability in a dominating mixture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MixtureTerm {
    /// Strategy index in the original game.
    pub strategy: usize,
    #[serde(serialize_with = "ser_rational")]
    pub probability: BigRational,
}

/// What dominated an eliminated strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Dominator {
    /// A single other strategy (index in the original game).
    Pure { strategy: usize },
    /// A mixture of other strategies, none of which dominates alone.
    Mixed { mixture: Vec<MixtureTerm> },
}

/// One step of the elimination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Elimination {
    /// 0 = row player, 1 = column player.
    pub player: usize,
    /// Index of the eliminated strategy in the original game.
    pub strategy: usize,
    pub dominated_by: Dominator,
    /// The smallest payoff advantage of the dominator over the eliminated
    /// strategy across the opponent's remaining strategies (> 0).
    #[serde(serialize_with = "ser_rational")]
    pub margin: BigRational,
}

/// The elimination order and what survives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DominanceResult {
    pub eliminations: Vec<Elimination>,
    /// Surviving strategy indices per player, in original order.
    pub remaining: [Vec<usize>; 2],
}

impl DominanceResult {
    /// True when elimination leaves exactly one strategy per player
    /// (the game is "dominance solvable").
    pub fn dominance_solvable(&self) -> bool {
        self.remaining[ROW].len() == 1 && self.remaining[COLUMN].len() == 1
    }
}

/// Iterated elimination of strictly dominated strategies (pure or mixed
/// dominators) until nothing more can be removed.
pub fn iterated_strict_dominance(game: &Game) -> DominanceResult {
    let (rows, cols) = game.shape();
    let mut remaining = [(0..rows).collect::<Vec<_>>(), (0..cols).collect::<Vec<_>>()];
    let mut eliminations = Vec::new();
    loop {
        let step = find_pure(game, &remaining).or_else(|| find_mixed(game, &remaining));
        let Some(step) = step else { break };
        remaining[step.player].retain(|&s| s != step.strategy);
        eliminations.push(step);
    }
    DominanceResult { eliminations, remaining }
}

/// Payoff to `player` when they play `own` and the opponent plays `other`.
fn payoff(game: &Game, player: usize, own: usize, other: usize) -> &BigRational {
    if player == ROW { game.payoff(ROW, own, other) } else { game.payoff(COLUMN, other, own) }
}

fn find_pure(game: &Game, remaining: &[Vec<usize>; 2]) -> Option<Elimination> {
    for player in [ROW, COLUMN] {
        let own = &remaining[player];
        let opp = &remaining[1 - player];
        for &s in own {
            for &d in own {
                if d == s {
                    continue;
                }
                let margin = opp.iter().map(|&o| payoff(game, player, d, o) - payoff(game, player, s, o)).min()?;
                if margin.is_positive() {
                    return Some(Elimination {
                        player,
                        strategy: s,
                        dominated_by: Dominator::Pure { strategy: d },
                        margin,
                    });
                }
            }
        }
    }
    None
}

fn find_mixed(game: &Game, remaining: &[Vec<usize>; 2]) -> Option<Elimination> {
    for player in [ROW, COLUMN] {
        let own = &remaining[player];
        let opp = &remaining[1 - player];
        // With one alternative, a mixture is that pure strategy, already tried.
        if own.len() < 3 {
            continue;
        }
        for &s in own {
            let others: Vec<usize> = own.iter().copied().filter(|&k| k != s).collect();
            let advantage: Vec<Vec<BigRational>> = others
                .iter()
                .map(|&k| opp.iter().map(|&o| payoff(game, player, k, o) - payoff(game, player, s, o)).collect())
                .collect();
            let Some(solution) = solve_matrix_game(&advantage) else {
                continue;
            };
            if !solution.value.is_positive() {
                continue;
            }
            let mixture: Vec<MixtureTerm> = others
                .iter()
                .zip(solution.row_strategy)
                .filter(|(_, p)| !p.is_zero())
                .map(|(&strategy, probability)| MixtureTerm { strategy, probability })
                .collect();
            let dominated_by = match mixture.as_slice() {
                [only] => Dominator::Pure { strategy: only.strategy },
                _ => Dominator::Mixed { mixture },
            };
            return Some(Elimination { player, strategy: s, dominated_by, margin: solution.value });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::model::tests::q;
    use super::*;

    #[test]
    fn prisoners_dilemma_is_dominance_solvable() {
        let g = super::super::model::tests::prisoners_dilemma();
        let r = iterated_strict_dominance(&g);
        assert!(r.dominance_solvable());
        assert_eq!(r.remaining, [vec![1], vec![1]]);
        assert_eq!(r.eliminations.len(), 2);
        assert_eq!(r.eliminations[0].player, ROW);
        assert_eq!(r.eliminations[0].strategy, 0);
        assert_eq!(r.eliminations[0].dominated_by, Dominator::Pure { strategy: 1 });
        assert_eq!(r.eliminations[0].margin, q(1, 1));
    }

    #[test]
    fn third_row_dominated_only_by_a_mixture() {
        // Bottom pays 1 against both columns; Top pays (3, 0), Middle (0, 3).
        // Neither beats Bottom alone, but ½ Top + ½ Middle pays 3/2 > 1.
        let g = Game::from_integers(
            "mixed domination",
            ["Row", "Column"],
            [&["Top", "Middle", "Bottom"], &["Left", "Right"]],
            &[&[3, 0], &[0, 3], &[1, 1]],
            &[&[1, 0], &[0, 1], &[1, 1]],
        )
        .unwrap();
        let r = iterated_strict_dominance(&g);
        assert_eq!(r.eliminations.len(), 1);
        let e = &r.eliminations[0];
        assert_eq!((e.player, e.strategy), (ROW, 2));
        assert_eq!(
            e.dominated_by,
            Dominator::Mixed {
                mixture: vec![
                    MixtureTerm { strategy: 0, probability: q(1, 2) },
                    MixtureTerm { strategy: 1, probability: q(1, 2) },
                ]
            }
        );
        assert_eq!(e.margin, q(1, 2));
        assert_eq!(r.remaining, [vec![0, 1], vec![0, 1]]);
    }

    #[test]
    fn elimination_cascades_through_both_players() {
        // Classic: R is dominated for Column, then Down for Row, then Centre.
        let g = Game::from_integers(
            "cascade",
            ["Row", "Column"],
            [&["Up", "Down"], &["Left", "Centre", "Right"]],
            &[&[1, 1, 0], &[0, 0, 2]],
            &[&[0, 2, 1], &[3, 1, 0]],
        )
        .unwrap();
        let r = iterated_strict_dominance(&g);
        let order: Vec<(usize, usize)> = r.eliminations.iter().map(|e| (e.player, e.strategy)).collect();
        assert_eq!(order, vec![(COLUMN, 2), (ROW, 1), (COLUMN, 0)]);
        assert_eq!(r.remaining, [vec![0], vec![1]]);
        assert!(r.dominance_solvable());
    }

    #[test]
    fn weak_dominance_is_not_strict() {
        let g = Game::from_integers(
            "weak",
            ["Row", "Column"],
            [&["a", "b"], &["x", "y"]],
            &[&[1, 1], &[1, 0]],
            &[&[1, 1], &[1, 1]],
        )
        .unwrap();
        assert!(iterated_strict_dominance(&g).eliminations.is_empty());
    }
}
