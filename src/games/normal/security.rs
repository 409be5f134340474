//! Security (maxmin) levels: what each player can guarantee with a mixed
//! strategy whatever the opponent does.
//!
//! A player's security level is the value of the zero-sum game in which they
//! receive their own payoffs and the opponent is assumed to minimise them.
//! It is a benchmark for negotiation: no rational player accepts a deal
//! worth less than their security level, since they can get that alone.

use num_rational::BigRational;
use serde::Serialize;

use super::display::{ser_rational, ser_rationals};
use super::lp::solve_matrix_game;
use super::model::{COLUMN, Game, ROW};

/// One player's security level and a strategy that guarantees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecurityLevel {
    /// 0 = row player, 1 = column player.
    pub player: usize,
    /// The maxmin value over mixed strategies.
    #[serde(serialize_with = "ser_rational")]
    pub value: BigRational,
    /// A maxmin mixed strategy (guarantees at least `value`).
    #[serde(serialize_with = "ser_rationals")]
    pub strategy: Vec<BigRational>,
    /// The opponent's mixed strategy that holds the player down to `value`.
    #[serde(serialize_with = "ser_rationals")]
    pub punishing_strategy: Vec<BigRational>,
    /// The best guarantee with a pure strategy (≤ `value`); the gap shows
    /// what randomising is worth.
    #[serde(serialize_with = "ser_rational")]
    pub pure_value: BigRational,
    /// The pure strategies achieving `pure_value`.
    pub pure_strategies: Vec<usize>,
}

/// Security levels of both players, `[row, column]`.
pub fn security_levels(game: &Game) -> [SecurityLevel; 2] {
    [security_level(game, ROW), security_level(game, COLUMN)]
}

/// The security level of `player` (0 = row, 1 = column) in a valid game.
pub fn security_level(game: &Game, player: usize) -> SecurityLevel {
    // Orient the player's own payoffs so that they choose the row.
    let own: Vec<Vec<BigRational>> = if player == ROW {
        game.payoffs[ROW].clone()
    } else {
        let (rows, cols) = game.shape();
        (0..cols).map(|j| (0..rows).map(|i| game.payoffs[COLUMN][i][j].clone()).collect()).collect()
    };
    let row_minima: Vec<BigRational> = own.iter().map(|r| r.iter().min().cloned().unwrap_or_default()).collect();
    let pure_value = row_minima.iter().max().cloned().unwrap_or_default();
    let pure_strategies = row_minima.iter().enumerate().filter(|(_, v)| **v == pure_value).map(|(i, _)| i).collect();
    let (value, strategy, punishing_strategy) = match solve_matrix_game(&own) {
        Some(s) => (s.value, s.row_strategy, s.column_strategy),
        // Only an empty game gets here; report the trivial answer.
        None => (pure_value.clone(), Vec::new(), Vec::new()),
    };
    SecurityLevel { player, value, strategy, punishing_strategy, pure_value, pure_strategies }
}

#[cfg(test)]
mod tests {
    use super::super::model::tests::q;
    use super::*;

    #[test]
    fn matching_pennies_security_is_zero() {
        let g = Game::from_integers(
            "MP",
            ["Even", "Odd"],
            [&["H", "T"], &["H", "T"]],
            &[&[1, -1], &[-1, 1]],
            &[&[-1, 1], &[1, -1]],
        )
        .unwrap();
        let [r, c] = security_levels(&g);
        assert_eq!(r.value, q(0, 1));
        assert_eq!(c.value, q(0, 1));
        assert_eq!(r.strategy, vec![q(1, 2), q(1, 2)]);
        assert_eq!(c.strategy, vec![q(1, 2), q(1, 2)]);
        assert_eq!(r.pure_value, q(-1, 1));
    }

    #[test]
    fn battle_of_the_sexes_security() {
        // Row (2,0 / 0,1) guarantees 2/3 by playing (1/3, 2/3); the column
        // player likewise. That equals the mixed equilibrium payoff, the
        // classic observation that mixing here gives no more than safety.
        let g = Game::from_integers(
            "BoS",
            ["Row", "Column"],
            [&["Opera", "Football"], &["Opera", "Football"]],
            &[&[2, 0], &[0, 1]],
            &[&[1, 0], &[0, 2]],
        )
        .unwrap();
        let [r, c] = security_levels(&g);
        assert_eq!(r.value, q(2, 3));
        assert_eq!(r.strategy, vec![q(1, 3), q(2, 3)]);
        assert_eq!(c.value, q(2, 3));
        assert_eq!(c.strategy, vec![q(2, 3), q(1, 3)]);
        assert_eq!(r.pure_value, q(0, 1));
    }

    #[test]
    fn prisoners_dilemma_security_is_pure_defect() {
        let g = super::super::model::tests::prisoners_dilemma();
        let [r, c] = security_levels(&g);
        assert_eq!((r.value.clone(), r.strategy.clone()), (q(1, 1), vec![q(0, 1), q(1, 1)]));
        assert_eq!(c.value, q(1, 1));
        assert_eq!(r.pure_strategies, vec![1]);
    }
}
