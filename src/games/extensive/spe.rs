//! Subgame-perfect equilibria, bottom-up over the subgames.
//!
//! Every subgame root is solved after the subgames below it. A subgame
//! whose root is a single decision node (all of perfect-information games)
//! is solved by backward induction: the mover picks every action that
//! maximises its payoff, so ties give several equilibria and all of them
//! are kept. A subgame with imperfect information inside (a player who does
//! not see an earlier move) is solved through its reduced normal form with
//! the exact two-player solver; each extreme Nash equilibrium becomes a
//! behaviour strategy (Kuhn), and each is carried upward. Everything is
//! exact.

use std::collections::BTreeMap;

use num_rational::BigRational;
use num_traits::{One, Zero};

use super::model::{Mover, Tree};
use super::reduced::{Behaviour, MAX_PLANS, Plan, View, behaviour_from_mixture, pad_behaviour};
use crate::games::normal::{self, Game};

/// At most this many subgame-perfect equilibria are listed; beyond it the
/// solver stops and says so (ties multiply: each tied choice doubles them).
pub const MAX_EQUILIBRIA: usize = 1000;

/// A subgame-perfect equilibrium: a behaviour strategy at every
/// information set, and the expected payoffs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spe {
    pub behaviour: Behaviour,
    pub payoffs: Vec<BigRational>,
}

/// How the subgame-perfect equilibria were found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeResult {
    pub equilibria: Vec<Spe>,
    /// True when some subgame needed its normal form (imperfect
    /// information); the list then holds the equilibria built from the
    /// extreme equilibria of those subgames.
    pub used_normal_form: bool,
    /// Number of proper subgames (subgame roots other than the root).
    pub proper_subgames: usize,
}

/// Why the subgame-perfect equilibria could not be listed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpeError {
    #[error(
        "there are more than {limit} subgame-perfect equilibria (ties at many nodes multiply them); brink stops \
         listing here: break some ties in the payoffs"
    )]
    TooMany { limit: usize },
    #[error(
        "the subgame at {at} has {count} players moving with imperfect information; brink solves such subgames \
         through the two-player normal form only"
    )]
    TooManyPlayers { at: String, count: usize },
    #[error("the subgame at {at} is too large to solve exactly: {reason}")]
    TooLarge { at: String, reason: String },
    #[error(
        "perfect recall is violated ({0}); solving a subgame with imperfect information through behaviour \
         strategies needs perfect recall"
    )]
    NoPerfectRecall(String),
}

/// All subgame-perfect equilibria (for subgames with imperfect information:
/// those built from their extreme Nash equilibria).
pub fn subgame_perfect_equilibria(tree: &Tree) -> Result<SpeResult, SpeError> {
    let roots = tree.subgame_roots();
    let payoffs = tree.cumulative_payoffs();
    let mut solver = Solver { tree, roots: &roots, payoffs: &payoffs, used_normal_form: false };
    let alternatives = solver.solve(0)?;
    let proper_subgames = roots.iter().skip(1).filter(|&&r| r).count();
    let equilibria = alternatives
        .into_iter()
        .map(|alt| {
            let mut behaviour: Behaviour = vec![None; tree.infosets.len()];
            for (h, b) in alt.choices {
                behaviour[h] = Some(b);
            }
            Spe { behaviour, payoffs: alt.values }
        })
        .collect();
    Ok(SpeResult { equilibria, used_normal_form: solver.used_normal_form, proper_subgames })
}

#[derive(Clone)]
struct Alternative {
    values: Vec<BigRational>,
    choices: BTreeMap<usize, Vec<BigRational>>,
}

struct Solver<'a> {
    tree: &'a Tree,
    roots: &'a [bool],
    payoffs: &'a [Vec<BigRational>],
    used_normal_form: bool,
}

impl Solver<'_> {
    /// The alternatives (equilibria of the subgame) at subgame root `x`.
    fn solve(&mut self, x: usize) -> Result<Vec<Alternative>, SpeError> {
        if self.tree.is_terminal(x) {
            return Ok(vec![Alternative { values: self.payoffs[x].clone(), choices: BTreeMap::new() }]);
        }
        // The region: nodes below x down to terminals and the next subgame roots.
        let mut boundary = Vec::new();
        let mut region_is_single_node = true;
        let mut stack: Vec<usize> = self.tree.nodes[x].children.clone();
        while let Some(n) = stack.pop() {
            if self.tree.is_terminal(n) {
                continue;
            }
            if self.roots[n] {
                boundary.push(n);
            } else {
                region_is_single_node = false;
                stack.extend(&self.tree.nodes[n].children);
            }
        }
        boundary.sort_unstable();
        let mut below: Vec<Vec<Alternative>> = Vec::with_capacity(boundary.len());
        for &y in &boundary {
            below.push(self.solve(y)?);
        }
        let combinations: usize =
            below.iter().map(Vec::len).try_fold(1usize, |acc, k| acc.checked_mul(k)).unwrap_or(usize::MAX);
        if combinations > MAX_EQUILIBRIA {
            return Err(SpeError::TooMany { limit: MAX_EQUILIBRIA });
        }
        let mut out = Vec::new();
        let mut pick = vec![0usize; below.len()];
        loop {
            let mut fixed = BTreeMap::new();
            let mut choices = BTreeMap::new();
            for ((&y, alts), &k) in boundary.iter().zip(&below).zip(&pick) {
                fixed.insert(y, alts[k].values.clone());
                choices.extend(alts[k].choices.iter().map(|(h, b)| (*h, b.clone())));
            }
            let here =
                if region_is_single_node { self.single_node(x, &fixed)? } else { self.by_normal_form(x, &fixed)? };
            for mut alt in here {
                for (h, b) in &choices {
                    alt.choices.entry(*h).or_insert_with(|| b.clone());
                }
                out.push(alt);
                if out.len() > MAX_EQUILIBRIA {
                    return Err(SpeError::TooMany { limit: MAX_EQUILIBRIA });
                }
            }
            // Next combination (odometer).
            let mut k = 0;
            while k < pick.len() {
                pick[k] += 1;
                if pick[k] < below[k].len() {
                    break;
                }
                pick[k] = 0;
                k += 1;
            }
            if k == pick.len() {
                break;
            }
        }
        Ok(out)
    }

    /// Backward induction at one node whose children are solved.
    fn single_node(&self, x: usize, fixed: &BTreeMap<usize, Vec<BigRational>>) -> Result<Vec<Alternative>, SpeError> {
        let node = &self.tree.nodes[x];
        let h = node.infoset.expect("inner node");
        let set = &self.tree.infosets[h];
        let value = |c: usize| fixed.get(&c).unwrap_or(&self.payoffs[c]).clone();
        match set.mover {
            Mover::Chance => {
                let mut values = vec![BigRational::zero(); self.tree.players.len()];
                for (&c, p) in node.children.iter().zip(&set.probabilities) {
                    for (v, w) in values.iter_mut().zip(value(c)) {
                        *v += p * w;
                    }
                }
                Ok(vec![Alternative { values, choices: BTreeMap::new() }])
            }
            Mover::Player(p) => {
                let values: Vec<Vec<BigRational>> = node.children.iter().map(|&c| value(c)).collect();
                let best = values.iter().map(|v| &v[p]).max().cloned().unwrap_or_default();
                Ok((0..values.len())
                    .filter(|&k| values[k][p] == best)
                    .map(|k| {
                        let mut b = vec![BigRational::zero(); values.len()];
                        b[k] = BigRational::one();
                        Alternative { values: values[k].clone(), choices: BTreeMap::from([(h, b)]) }
                    })
                    .collect())
            }
        }
    }

    /// A subgame with imperfect information: its reduced normal form,
    /// solved exactly; one alternative per extreme equilibrium.
    fn by_normal_form(
        &mut self,
        x: usize,
        fixed: &BTreeMap<usize, Vec<BigRational>>,
    ) -> Result<Vec<Alternative>, SpeError> {
        self.used_normal_form = true;
        if let Some(v) = self.tree.perfect_recall_violation() {
            return Err(SpeError::NoPerfectRecall(v.explanation));
        }
        let at = self.tree.describe_node(x);
        let view = View { tree: self.tree, root: x, fixed, payoffs: self.payoffs };
        let active = view.active_players();
        if active.len() > 2 {
            return Err(SpeError::TooManyPlayers { at, count: active.len() });
        }
        let (game, plans, who) =
            two_player_form(&view, &active).map_err(|reason| SpeError::TooLarge { at: at.clone(), reason })?;
        let analysis = match normal::enumerate_equilibria(&game) {
            Ok(a) => a,
            Err(e) => return Err(SpeError::TooLarge { at, reason: e.to_string() }),
        };
        let mut out = Vec::new();
        for e in &analysis.equilibria {
            let mut behaviour: Behaviour = vec![None; self.tree.infosets.len()];
            for side in 0..2 {
                if who[side].is_some() {
                    behaviour_from_mixture(&plans[side], &e.strategies[side], &mut behaviour);
                }
            }
            pad_behaviour(self.tree, &mut behaviour);
            let values = view.expected(x, &behaviour);
            let choices = behaviour.into_iter().enumerate().filter_map(|(h, b)| b.map(|b| (h, b))).collect();
            out.push(Alternative { values, choices });
        }
        Ok(out)
    }
}

/// The two-player reduced normal form of a view: the game, each side's
/// plans, and which player each side is (`None`: a side with no move).
pub type TwoPlayerForm = (Game, [Vec<Plan>; 2], [Option<usize>; 2]);

/// Builds the [`TwoPlayerForm`] of a view whose movers are `active` (at most two).
pub fn two_player_form(view: &View<'_>, active: &[usize]) -> Result<TwoPlayerForm, String> {
    let who: [Option<usize>; 2] = [active.first().copied(), active.get(1).copied()];
    let mut plans: [Vec<Plan>; 2] = [vec![Plan::new()], vec![Plan::new()]];
    for side in 0..2 {
        if let Some(p) = who[side] {
            plans[side] = view.plans(p, MAX_PLANS).map_err(|e| e.to_string())?;
        }
    }
    let tree = view.tree;
    let names =
        |side: usize| -> Vec<String> { plans[side].iter().map(|p| super::reduced::plan_name(tree, p)).collect() };
    let player_name = |side: usize| who[side].map_or_else(|| "(nobody)".to_string(), |p| tree.players[p].clone());
    let mut matrices: [Vec<Vec<BigRational>>; 2] = [Vec::new(), Vec::new()];
    for a in &plans[0] {
        let mut rows = [Vec::new(), Vec::new()];
        for b in &plans[1] {
            let mut listed = Vec::new();
            if let Some(p) = who[0] {
                listed.push((p, a));
            }
            if let Some(p) = who[1] {
                listed.push((p, b));
            }
            let v = view.plan_payoffs(&listed);
            for side in 0..2 {
                rows[side].push(who[side].map_or_else(BigRational::zero, |p| v[p].clone()));
            }
        }
        let [r0, r1] = rows;
        matrices[0].push(r0);
        matrices[1].push(r1);
    }
    let game = Game::new(tree.title.clone(), [player_name(0), player_name(1)], [names(0), names(1)], matrices)
        .map_err(|e| e.to_string())?;
    Ok((game, plans, who))
}
