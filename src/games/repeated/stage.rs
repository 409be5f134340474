//! The stage game of a repeated game: a 2×2 bimatrix game from `solve`'s
//! formats, its first strategy read as C and its second as D.

use num_traits::ToPrimitive;

use super::super::normal::Game;

/// Payoffs of both players for each outcome, indexed by
/// `row action * 2 + column action` (CC, CD, DC, DD).
#[derive(Debug, Clone, PartialEq)]
pub struct StageGame {
    pub title: String,
    pub players: [String; 2],
    /// The strategy names, for messages (what C and D mean here).
    pub actions: [[String; 2]; 2],
    pub row: [f64; 4],
    pub column: [f64; 4],
}

/// Why a game cannot be a stage game for C/D strategies.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StageGameError {
    #[error(
        "the stage game is {0}×{1}, but the repeated-game strategies (Tit For Tat and the rest) need exactly two moves per player, cooperate then defect (2×2)"
    )]
    NotTwoByTwo(usize, usize),
    #[error("a payoff is too large to play with")]
    Payoff,
}

impl StageGame {
    pub fn from_game(game: &Game) -> Result<StageGame, StageGameError> {
        let (m, n) = game.shape();
        if (m, n) != (2, 2) {
            return Err(StageGameError::NotTwoByTwo(m, n));
        }
        let mut row = [0.0; 4];
        let mut column = [0.0; 4];
        for i in 0..2 {
            for j in 0..2 {
                let f = |p| game.payoff(p, i, j).to_f64().filter(|x| x.is_finite()).ok_or(StageGameError::Payoff);
                row[i * 2 + j] = f(0)?;
                column[i * 2 + j] = f(1)?;
            }
        }
        let names = |p: usize| [game.strategies[p][0].clone(), game.strategies[p][1].clone()];
        Ok(StageGame {
            title: game.title.clone(),
            players: game.players.clone(),
            actions: [names(0), names(1)],
            row,
            column,
        })
    }

    /// The standard prisoner's dilemma (R, S, T, P) = (3, 0, 5, 1).
    pub fn prisoners_dilemma() -> StageGame {
        StageGame {
            title: "Prisoner's Dilemma".into(),
            players: ["Row".into(), "Column".into()],
            actions: [["Cooperate".into(), "Defect".into()], ["Cooperate".into(), "Defect".into()]],
            row: [3.0, 0.0, 5.0, 1.0],
            column: [3.0, 5.0, 0.0, 1.0],
        }
    }

    /// The row player's (R, S, T, P): rewards for CC, CD, DC, DD.
    pub fn rstp(&self) -> [f64; 4] {
        self.row
    }

    /// Whether both players face the same game (the column player's payoff
    /// at (i, j) is the row player's at (j, i)): then, as in Axelrod's
    /// tournaments, each unordered pair plays once.
    pub fn is_symmetric(&self) -> bool {
        (0..2).all(|i| (0..2).all(|j| self.column[i * 2 + j] == self.row[j * 2 + i]))
    }
}
