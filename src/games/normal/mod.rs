//! Two-player normal-form (bimatrix) games for teaching: the library behind
//! `brink solve GAME`.
//!
//! Read a game from TOML ([`from_toml_str`]) or Gambit `.nfg`
//! ([`from_nfg_str`]), then [`solve`] it to get, exactly (rational
//! arithmetic, no rounding): every Nash equilibrium (all extreme equilibria
//! by vertex enumeration, with components and maximal Nash subsets when
//! there are infinitely many), whether the game is degenerate, iterated
//! elimination of strictly dominated strategies (including by mixed
//! strategies), security levels and the Pareto-optimal outcomes.
//!
//! The individual analyses expect a well-formed game (as produced by the
//! readers or [`Game::new`]); [`solve`] checks this itself. The module only
//! uses `super::`/`self::` paths so that it can live at any place in a crate.

pub mod display;
pub mod dominance;
pub mod equilibria;
mod lex_pivoting;
pub mod lp;
pub mod model;
pub mod nfg;
pub mod pareto;
pub mod security;
pub mod toml_format;

use num_rational::BigRational;
use num_traits::Zero;
use serde::Serialize;

pub use self::display::{fmt_mixed_strategy, fmt_rational, fmt_with_approx, line_col, to_f64};
pub use self::dominance::{DominanceResult, Dominator, Elimination, MixtureTerm, iterated_strict_dominance};
pub use self::equilibria::{
    Component, DegeneracyWitness, Equilibrium, EquilibriumAnalysis, EquilibriumError, NashSubset, enumerate_equilibria,
    enumerate_equilibria_with_budget, enumerate_equilibria_with_limit, pure_equilibria,
};
pub use self::lp::{MatrixGameSolution, solve_matrix_game};
pub use self::model::{COLUMN, Game, GameError, MAX_STRATEGIES, ROW, parse_rational};
pub use self::nfg::{NfgError, NfgFormat, from_nfg_str, to_nfg_string};
pub use self::pareto::{PureProfile, pareto_optimal_profiles};
pub use self::security::{SecurityLevel, security_level, security_levels};
pub use self::toml_format::{TomlGameError, from_toml_str, to_toml_string};

/// Everything brink computes about a game. Serialises to JSON with every
/// rational as `{"exact": "1/3", "float": 0.333…}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Solution {
    pub title: String,
    pub players: [String; 2],
    pub strategies: [Vec<String>; 2],
    /// Pure-strategy equilibria, found by checking every profile.
    pub pure_equilibria: Vec<PureProfile>,
    /// All extreme equilibria with degeneracy and components; `None` only
    /// when the game is too large to enumerate even after removing
    /// dominated strategies (see `notes`).
    pub equilibria: Option<EquilibriumAnalysis>,
    /// True when the equilibria were enumerated on the game left after
    /// iterated strict dominance (same equilibria, smaller problem; the
    /// degeneracy flag then describes that reduced game). Strategy vectors
    /// and indices always refer to the original game.
    pub equilibria_from_reduced_game: bool,
    pub dominance: DominanceResult,
    /// `[row player, column player]`.
    pub security: [SecurityLevel; 2],
    pub pareto_optimal: Vec<PureProfile>,
    /// Caveats about how the results were obtained, for the reader.
    pub notes: Vec<String>,
}

/// Analyses a game completely. Fails only if the game is malformed (games
/// from the readers or [`Game::new`] never are).
pub fn solve(game: &Game) -> Result<Solution, GameError> {
    solve_with_budget(game, equilibria::DEFAULT_BASIS_BUDGET)
}

/// As [`solve`], with the equilibrium enumeration's work budget (bases per
/// best-response polytope) given.
pub fn solve_with_budget(game: &Game, budget: u64) -> Result<Solution, GameError> {
    game.validate()?;
    let dominance = iterated_strict_dominance(game);
    let mut notes = Vec::new();
    let mut from_reduced = false;
    let equilibria = match enumerate_equilibria_with_budget(game, budget) {
        Ok(analysis) => Some(analysis),
        Err(EquilibriumError::Invalid(e)) => return Err(e),
        Err(too_large @ (EquilibriumError::TooLarge { .. } | EquilibriumError::WorkBudget { .. })) => {
            // Strictly dominated strategies are never played in equilibrium,
            // so the reduced game has exactly the same equilibria.
            let [rows, cols] = &dominance.remaining;
            let reduced = game.restrict(rows, cols);
            match enumerate_equilibria_with_budget(&reduced, budget) {
                Ok(analysis) => {
                    from_reduced = true;
                    notes.push(format!(
                        "{too_large}. Equilibria were enumerated on the {}×{} game left after \
                         removing strictly dominated strategies; they are the same equilibria.",
                        rows.len(),
                        cols.len()
                    ));
                    Some(expand_analysis(analysis, &dominance.remaining, game.shape()))
                }
                Err(e) => {
                    notes.push(format!("equilibria not computed: {e}"));
                    None
                }
            }
        }
    };
    let pure = pure_equilibria(game).into_iter().map(|(i, j)| PureProfile::new(game, i, j)).collect();
    Ok(Solution {
        title: game.title.clone(),
        players: game.players.clone(),
        strategies: game.strategies.clone(),
        pure_equilibria: pure,
        equilibria,
        equilibria_from_reduced_game: from_reduced,
        dominance,
        security: security_levels(game),
        pareto_optimal: pareto_optimal_profiles(game),
        notes,
    })
}

/// Maps an analysis of the reduced game back to original strategy indices.
fn expand_analysis(mut a: EquilibriumAnalysis, keep: &[Vec<usize>; 2], shape: (usize, usize)) -> EquilibriumAnalysis {
    let lens = [shape.0, shape.1];
    let expand = |player: usize, v: &[BigRational]| -> Vec<BigRational> {
        let mut out = vec![BigRational::zero(); lens[player]];
        for (&orig, p) in keep[player].iter().zip(v) {
            out[orig] = p.clone();
        }
        out
    };
    let remap = |player: usize, idx: &[usize]| -> Vec<usize> {
        idx.iter().filter_map(|&i| keep[player].get(i).copied()).collect()
    };
    for e in &mut a.equilibria {
        for p in [ROW, COLUMN] {
            e.strategies[p] = expand(p, &e.strategies[p]);
            e.supports[p] = remap(p, &e.supports[p]);
        }
    }
    for w in &mut a.degeneracy_witnesses {
        w.strategy = expand(w.player, &w.strategy);
        w.support = remap(w.player, &w.support);
        w.best_responses = remap(1 - w.player, &w.best_responses);
    }
    for c in &mut a.components {
        for s in &mut c.maximal_nash_subsets {
            s.row_strategies = s.row_strategies.iter().map(|v| expand(ROW, v)).collect();
            s.column_strategies = s.column_strategies.iter().map(|v| expand(COLUMN, v)).collect();
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::model::tests::q;
    use super::*;

    fn battle_of_the_sexes() -> Game {
        Game::from_integers(
            "Battle of the Sexes",
            ["Row", "Column"],
            [&["Opera", "Football"], &["Opera", "Football"]],
            &[&[2, 0], &[0, 1]],
            &[&[1, 0], &[0, 2]],
        )
        .unwrap()
    }

    #[test]
    fn solve_collects_everything() {
        let s = solve(&battle_of_the_sexes()).unwrap();
        assert_eq!(s.pure_equilibria.len(), 2);
        let eq = s.equilibria.as_ref().unwrap();
        assert_eq!(eq.equilibria.len(), 3);
        assert!(!s.equilibria_from_reduced_game);
        assert!(s.dominance.eliminations.is_empty());
        assert_eq!(s.security[ROW].value, q(2, 3));
        assert_eq!(s.pareto_optimal.len(), 2);
        assert!(s.notes.is_empty());
    }

    #[test]
    fn solution_serialises_rationals_as_exact_strings_and_floats() {
        let s = solve(&battle_of_the_sexes()).unwrap();
        let json = serde_json::to_value(&s).unwrap();
        let mixed = &json["equilibria"]["equilibria"][2];
        assert_eq!(mixed["strategies"][0][0]["exact"], "2/3");
        assert!((mixed["strategies"][0][0]["float"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(mixed["payoffs"][1]["exact"], "2/3");
        assert_eq!(json["security"][1]["value"]["exact"], "2/3");
        assert_eq!(json["pure_equilibria"][1]["payoffs"][1]["exact"], "2");
        assert_eq!(json["equilibria"]["degenerate"], false);
    }

    #[test]
    fn mixed_dominator_serialises_with_kind_tag() {
        let g = Game::from_integers(
            "mixed domination",
            ["Row", "Column"],
            [&["Top", "Middle", "Bottom"], &["Left", "Right"]],
            &[&[3, 0], &[0, 3], &[1, 1]],
            &[&[1, 0], &[0, 1], &[1, 1]],
        )
        .unwrap();
        let json = serde_json::to_value(solve(&g).unwrap()).unwrap();
        let by = &json["dominance"]["eliminations"][0]["dominated_by"];
        assert_eq!(by["kind"], "mixed");
        assert_eq!(by["mixture"][0]["probability"]["exact"], "1/2");
    }

    #[test]
    fn too_large_games_are_solved_on_the_reduced_game() {
        // With a tiny work budget the 13×13 game is refused, but the first
        // strategy of each player strictly dominates all others.
        let n = 13;
        let names: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
        let matrix = |p: usize| -> Vec<Vec<BigRational>> {
            (0..n)
                .map(|i| {
                    (0..n)
                        .map(|j| {
                            let own = if p == ROW { i } else { j };
                            q(if own == 0 { 10 } else { (i * j % 5) as i64 }, 1)
                        })
                        .collect()
                })
                .collect()
        };
        let g =
            Game::new("big", ["A".into(), "B".into()], [names.clone(), names], [matrix(ROW), matrix(COLUMN)]).unwrap();
        assert!(matches!(enumerate_equilibria_with_budget(&g, 2), Err(EquilibriumError::WorkBudget { .. })));
        let s = solve_with_budget(&g, 2).unwrap();
        assert!(s.equilibria_from_reduced_game);
        assert_eq!(s.notes.len(), 1);
        let eq = s.equilibria.unwrap();
        assert_eq!(eq.equilibria.len(), 1);
        let e = &eq.equilibria[0];
        assert_eq!(e.strategies[ROW].len(), n);
        assert_eq!(e.strategies[ROW][0], q(1, 1));
        assert_eq!(e.supports, [vec![0], vec![0]]);
        assert_eq!(e.payoffs, [q(10, 1), q(10, 1)]);
    }

    #[test]
    fn malformed_games_are_errors() {
        let mut g = battle_of_the_sexes();
        g.payoffs[COLUMN][1].pop();
        assert!(matches!(solve(&g), Err(GameError::BadShape { .. })));
    }

    /// The example games shipped in `scenarios/games/` must load and give
    /// the results their comments promise.
    #[test]
    fn shipped_scenarios_solve_as_documented() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/games");
        let load = |name: &str| -> Game {
            let path = dir.join(name);
            let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if name.ends_with(".nfg") {
                from_nfg_str(&src).unwrap_or_else(|e| panic!("{name}: {e}"))
            } else {
                from_toml_str(&src).unwrap_or_else(|e| panic!("{name}: {e}"))
            }
        };
        let count_eq = |g: &Game| solve(g).unwrap().equilibria.unwrap().equilibria.len();

        let pd = load("prisoners-dilemma.toml");
        let s = solve(&pd).unwrap();
        assert!(s.dominance.dominance_solvable());
        assert_eq!(count_eq(&pd), 1);
        assert!(!s.pareto_optimal.iter().any(|p| (p.row, p.column) == (1, 1)));

        let mp = load("matching-pennies.toml");
        assert_eq!(count_eq(&mp), 1);
        assert_eq!(solve(&mp).unwrap().security[COLUMN].value, q(0, 1));

        for name in ["battle-of-the-sexes.toml", "chicken.toml", "stag-hunt.toml"] {
            assert_eq!(count_eq(&load(name)), 3, "{name}");
        }
        let chicken = load("chicken.toml");
        let eq = solve(&chicken).unwrap().equilibria.unwrap();
        assert_eq!(eq.equilibria[2].strategies[0][0], q(9, 10));
        assert_eq!(load("chicken.nfg").payoffs, chicken.payoffs);
        assert_eq!(load("chicken.nfg").strategies, chicken.strategies);

        let sanctions = load("sanctions-escalation.toml");
        assert_eq!(sanctions.shape(), (3, 3));
        let s = solve(&sanctions).unwrap();
        assert!(s.pure_equilibria.is_empty());
        let eq = s.equilibria.unwrap();
        assert_eq!(eq.equilibria.len(), 1);
        let e = &eq.equilibria[0];
        assert_eq!(e.strategies[ROW], vec![q(1, 2), q(1, 2), q(0, 1)]);
        assert_eq!(e.strategies[COLUMN], vec![q(2, 5), q(3, 5), q(0, 1)]);
        assert_eq!(s.security[COLUMN].value, e.payoffs[COLUMN]);
        assert!(s.pareto_optimal.iter().any(|p| (p.row, p.column) == (2, 0)));
    }
}
