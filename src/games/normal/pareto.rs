//! Pareto-optimal pure strategy profiles: outcomes that no other pure
//! profile improves for one player without hurting the other.
//!
//! Comparing these with the equilibria is the core lesson of the Prisoner's
//! Dilemma: the equilibrium (Defect, Defect) is not among them.

use num_rational::BigRational;
use serde::Serialize;

use super::display::ser_rationals;
use super::model::{COLUMN, Game, ROW};

/// A pure strategy profile with its payoffs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PureProfile {
    pub row: usize,
    pub column: usize,
    /// `[row player's payoff, column player's payoff]`.
    #[serde(serialize_with = "ser_rationals")]
    pub payoffs: [BigRational; 2],
}

impl PureProfile {
    /// The profile (`row`, `column`) of `game` with its payoffs.
    pub fn new(game: &Game, row: usize, column: usize) -> Self {
        PureProfile {
            row,
            column,
            payoffs: [game.payoff(ROW, row, column).clone(), game.payoff(COLUMN, row, column).clone()],
        }
    }
}

/// Pure profiles not weakly dominated in payoffs by another pure profile
/// (no other profile gives both players at least as much and one strictly
/// more). Profiles with identical payoffs are all kept. Row-major order.
pub fn pareto_optimal_profiles(game: &Game) -> Vec<PureProfile> {
    let (rows, cols) = game.shape();
    let all: Vec<PureProfile> =
        (0..rows).flat_map(|i| (0..cols).map(move |j| (i, j))).map(|(i, j)| PureProfile::new(game, i, j)).collect();
    all.iter()
        .filter(|p| {
            !all.iter().any(|o| {
                o.payoffs[0] >= p.payoffs[0]
                    && o.payoffs[1] >= p.payoffs[1]
                    && (o.payoffs[0] > p.payoffs[0] || o.payoffs[1] > p.payoffs[1])
            })
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prisoners_dilemma_equilibrium_is_not_pareto_optimal() {
        let g = super::super::model::tests::prisoners_dilemma();
        let cells: Vec<(usize, usize)> = pareto_optimal_profiles(&g).iter().map(|p| (p.row, p.column)).collect();
        assert_eq!(cells, vec![(0, 0), (0, 1), (1, 0)]);
    }

    #[test]
    fn ties_are_kept() {
        let g = Game::from_integers("ties", ["Row", "Column"], [&["a", "b"], &["x"]], &[&[1], &[1]], &[&[2], &[2]])
            .unwrap();
        assert_eq!(pareto_optimal_profiles(&g).len(), 2);
    }
}
