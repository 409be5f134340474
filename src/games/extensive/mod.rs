//! Extensive-form games (game trees) for teaching: the library behind
//! `brink solve TREE.toml` and `brink solve GAME.efg`.
//!
//! Read a tree from TOML ([`from_toml_str`]) or Gambit `.efg`
//! ([`from_efg_str`]), then [`analyse`] it to get, exactly:
//!
//! * every pure subgame-perfect equilibrium of a perfect-information tree,
//!   by backward induction (ties kept, so every tied pure equilibrium is
//!   listed; mixing between tied moves gives mixed ones, not listed), and
//!   with imperfect information those built subgame by subgame, bottom-up,
//!   from the extreme Nash equilibria of each one's normal form ([`spe`]);
//! * the reduced normal form and all its extreme Nash equilibria (the
//!   existing exact solver), each as behaviour strategies, with the Nash
//!   equilibria that are not subgame perfect flagged and their non-credible
//!   threats named: an action off the equilibrium path that its player would
//!   not carry out if that point were reached, however the sets the plans
//!   leave open are completed ([`threats_over_completions`]).

pub mod efg;
pub mod model;
pub mod reduced;
pub mod spe;
pub mod toml_format;

use std::collections::BTreeMap;
use std::ops::Range;

use num_rational::BigRational;
use num_traits::{One, Zero};

pub use self::efg::{from_efg_str, to_efg_string};
pub use self::model::{Infoset, Mover, Node, Outcome, RecallViolation, Tree, TreeError};
pub use self::reduced::{Behaviour, Plan, View};
pub use self::spe::{Spe, SpeError, SpeResult, subgame_perfect_equilibria};
pub use self::toml_format::{from_toml_str, looks_like_tree};
use crate::games::normal::{self, Game};

/// A problem in a tree file: what is wrong and how to fix it, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ReadError {
    pub message: String,
    /// Byte range in the source, when known.
    pub span: Option<Range<usize>>,
}

impl ReadError {
    pub fn at(span: Range<usize>, message: impl Into<String>) -> Self {
        ReadError { message: message.into(), span: Some(span) }
    }
}

/// A Nash equilibrium of the reduced normal form, seen in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeNash {
    /// Mixed strategies over the reduced strategies, per player.
    pub mixed: Vec<Vec<BigRational>>,
    pub behaviour: Behaviour,
    pub payoffs: Vec<BigRational>,
    /// Non-credible threats; empty when the equilibrium is subgame perfect.
    pub threats: Vec<Threat>,
}

impl TreeNash {
    pub fn subgame_perfect(&self) -> bool {
        self.threats.is_empty()
    }
}

/// A plan off the equilibrium path that its player would not carry out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threat {
    pub infoset: usize,
    pub player: usize,
    /// Expected payoff, there, of the planned move.
    pub planned_value: BigRational,
    /// The best action there and what it would give.
    pub better_action: usize,
    pub better_value: BigRational,
}

/// The reduced normal form of a whole tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReducedForm {
    /// Only for two-player trees: the bimatrix game.
    pub game: Option<Game>,
    /// Plan names per player.
    pub strategies: Vec<Vec<String>>,
    pub plans: Vec<Vec<Plan>>,
}

/// Everything brink computes about a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeSolution {
    pub perfect_information: bool,
    pub recall: Option<RecallViolation>,
    pub spe: Result<SpeResult, SpeError>,
    pub reduced: Result<ReducedForm, String>,
    /// All extreme Nash equilibria (two players) or all pure ones (other
    /// player counts), with their threats.
    pub nash: Vec<TreeNash>,
    /// True when `nash` lists pure equilibria only.
    pub nash_pure_only: bool,
    pub notes: Vec<String>,
}

/// Most pure profiles checked for games with other than two players.
const MAX_PURE_PROFILES: usize = 200_000;

/// Analyses a tree completely (the tree must be valid, as the readers
/// guarantee).
pub fn analyse(tree: &Tree) -> TreeSolution {
    let recall = tree.perfect_recall_violation();
    let spe = subgame_perfect_equilibria(tree);
    let payoffs = tree.cumulative_payoffs();
    let fixed = BTreeMap::new();
    let view = View { tree, root: 0, fixed: &fixed, payoffs: &payoffs };
    let mut notes = Vec::new();
    let mut nash = Vec::new();
    let mut nash_pure_only = false;
    let reduced = reduced_form(&view);
    if let Ok(form) = &reduced {
        // Every listed subgame-perfect equilibrium is a candidate completion
        // of the sets a reduced plan leaves open.
        let completions: Vec<Behaviour> =
            spe.as_ref().map(|s| s.equilibria.iter().map(|e| e.behaviour.clone()).collect()).unwrap_or_default();
        if let Some(game) = &form.game {
            match normal::solve(game) {
                Ok(sol) => {
                    notes.extend(sol.notes.iter().cloned());
                    if let Some(a) = sol.equilibria {
                        for e in &a.equilibria {
                            let mixed = vec![e.strategies[0].clone(), e.strategies[1].clone()];
                            nash.push(tree_nash(&view, &form.plans, mixed, &completions));
                        }
                        if !a.finite {
                            notes.push(
                                "the reduced normal form has infinitely many Nash equilibria; those listed are the \
                                 extreme points of the equilibrium set"
                                    .into(),
                            );
                        }
                    }
                }
                Err(e) => notes.push(format!("Nash equilibria not computed: {e}")),
            }
        } else {
            nash_pure_only = true;
            match pure_nash(&view, &form.plans) {
                Ok(list) => {
                    for choice in list {
                        let mixed = choice
                            .iter()
                            .zip(&form.plans)
                            .map(|(&k, plans)| {
                                (0..plans.len())
                                    .map(|i| if i == k { BigRational::one() } else { BigRational::zero() })
                                    .collect()
                            })
                            .collect();
                        nash.push(tree_nash(&view, &form.plans, mixed, &completions));
                    }
                }
                Err(e) => notes.push(e),
            }
        }
    }
    if recall.is_some() && !nash.is_empty() {
        notes.push(
            "without perfect recall, behaviour strategies need not be equivalent to the mixed strategies they come \
             from (Kuhn's theorem needs perfect recall); read the behaviour columns with care"
                .into(),
        );
    }
    TreeSolution {
        perfect_information: tree.has_perfect_information(),
        recall,
        spe,
        reduced,
        nash,
        nash_pure_only,
        notes,
    }
}

fn reduced_form(view: &View<'_>) -> Result<ReducedForm, String> {
    let tree = view.tree;
    let n = tree.players.len();
    if n == 2 {
        let (game, plans, _) = spe::two_player_form(view, &[0, 1])?;
        let [a, b] = plans;
        return Ok(ReducedForm { strategies: game.strategies.to_vec(), game: Some(game), plans: vec![a, b] });
    }
    let mut plans = Vec::new();
    for p in 0..n {
        plans.push(view.plans(p, 64).map_err(|e| e.to_string())?);
    }
    let strategies = plans.iter().map(|ps| ps.iter().map(|p| reduced::plan_name(tree, p)).collect()).collect();
    Ok(ReducedForm { game: None, strategies, plans })
}

/// Pure Nash equilibria of the reduced normal form by checking every
/// profile (games with one or more than two players).
fn pure_nash(view: &View<'_>, plans: &[Vec<Plan>]) -> Result<Vec<Vec<usize>>, String> {
    let total = plans.iter().try_fold(1usize, |acc, p| acc.checked_mul(p.len())).unwrap_or(usize::MAX);
    if total > MAX_PURE_PROFILES {
        return Err(format!(
            "pure Nash equilibria not computed: the reduced normal form has {total} pure profiles (limit \
             {MAX_PURE_PROFILES})"
        ));
    }
    let value = |choice: &[usize]| -> Vec<BigRational> {
        let listed: Vec<(usize, &Plan)> = choice.iter().enumerate().map(|(p, &k)| (p, &plans[p][k])).collect();
        view.plan_payoffs(&listed)
    };
    let mut out = Vec::new();
    let mut choice = vec![0usize; plans.len()];
    loop {
        let v = value(&choice);
        let stable = (0..plans.len()).all(|p| {
            (0..plans[p].len()).all(|k| {
                let mut dev = choice.clone();
                dev[p] = k;
                value(&dev)[p] <= v[p]
            })
        });
        if stable {
            out.push(choice.clone());
        }
        let mut p = 0;
        while p < choice.len() {
            choice[p] += 1;
            if choice[p] < plans[p].len() {
                break;
            }
            choice[p] = 0;
            p += 1;
        }
        if p == choice.len() {
            break;
        }
    }
    Ok(out)
}

/// Maps a Nash equilibrium to behaviour strategies and looks for
/// non-credible threats.
fn tree_nash(
    view: &View<'_>,
    plans: &[Vec<Plan>],
    mixed: Vec<Vec<BigRational>>,
    completions: &[Behaviour],
) -> TreeNash {
    let tree = view.tree;
    let mut behaviour: Behaviour = vec![None; tree.infosets.len()];
    for (p, weights) in mixed.iter().enumerate() {
        reduced::behaviour_from_mixture(&plans[p], weights, &mut behaviour);
    }
    reduced::pad_behaviour(tree, &mut behaviour);
    let payoffs = view.expected(0, &behaviour);
    let threats = threats_over_completions(view, &behaviour, completions);
    TreeNash { mixed, behaviour, payoffs, threats }
}

/// The non-credible threats of a profile whose plans leave some sets open
/// (those its own players' earlier moves rule out). It is subgame perfect
/// when some completion of the open sets makes every move credible, the
/// completed sets' moves included: each listed subgame-perfect equilibrium's
/// moves are tried there (with ties there are several, and which one is
/// listed first is arbitrary). Otherwise the threats named are those that
/// hold under every completion tried; if no threat is common to all of
/// them, those under the first.
pub fn threats_over_completions(view: &View<'_>, behaviour: &Behaviour, completions: &[Behaviour]) -> Vec<Threat> {
    if completions.is_empty() {
        return threats(view, behaviour, None);
    }
    let mut common: Option<Vec<Threat>> = None;
    let mut first: Option<Vec<Threat>> = None;
    for completion in completions {
        let mut full = behaviour.clone();
        for (h, b) in full.iter_mut().enumerate() {
            if b.is_none() {
                b.clone_from(&completion[h]);
            }
        }
        // Every set is specified now: a move filled in must be credible too.
        let all = threats(view, &full, None);
        if all.is_empty() {
            return all;
        }
        let planned: Vec<Threat> = all.iter().filter(|t| behaviour[t.infoset].is_some()).cloned().collect();
        common = Some(match common {
            None => planned,
            Some(so_far) => so_far.into_iter().filter(|t| planned.iter().any(|p| p.infoset == t.infoset)).collect(),
        });
        first.get_or_insert(all);
    }
    match common {
        Some(c) if !c.is_empty() => c,
        _ => first.unwrap_or_default(),
    }
}

/// Sets the profile specifies but never reaches, where the planned move is
/// worse for its player than some other action, given the rest of the
/// profile, inside the smallest subgame that contains the set. Sets the
/// profile leaves open are completed with subgame-perfect play.
pub fn threats(view: &View<'_>, behaviour: &Behaviour, completion: Option<&Behaviour>) -> Vec<Threat> {
    let tree = view.tree;
    let mut full = behaviour.clone();
    if let Some(c) = completion {
        for (h, b) in full.iter_mut().enumerate() {
            if b.is_none() {
                b.clone_from(&c[h]);
            }
        }
    }
    let reach = reach_probabilities(tree, 0, &full);
    let roots = tree.subgame_roots();
    let mut out = Vec::new();
    for (h, set) in tree.infosets.iter().enumerate() {
        let Mover::Player(player) = set.mover else { continue };
        let Some(planned) = &behaviour[h] else { continue };
        if set.nodes.iter().any(|&n| !reach[n].is_zero()) {
            continue;
        }
        // The smallest subgame containing the set.
        let mut y = set.nodes[0];
        while !roots[y] {
            match tree.nodes[y].parent {
                Some(p) => y = p,
                None => break,
            }
        }
        let local = reach_probabilities(tree, y, &full);
        let weight: BigRational = set.nodes.iter().map(|&n| local[n].clone()).sum();
        if weight.is_zero() {
            continue;
        }
        let action_values: Vec<BigRational> = (0..set.actions.len())
            .map(|a| {
                set.nodes
                    .iter()
                    .map(|&n| &local[n] * &view.expected(tree.nodes[n].children[a], &full)[player])
                    .sum::<BigRational>()
                    / &weight
            })
            .collect();
        let planned_value: BigRational = planned.iter().zip(&action_values).map(|(p, v)| p * v).sum();
        let (better_action, better_value) = action_values
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
            .map(|(k, v)| (k, v.clone()))
            .expect("a set has actions");
        if better_value > planned_value {
            out.push(Threat { infoset: h, player, planned_value, better_action, better_value });
        }
    }
    out.sort_by_key(|t| tree.infosets[t.infoset].nodes[0]);
    out
}

/// Probability of reaching each node from `from` under the profile (0
/// outside its subtree).
fn reach_probabilities(tree: &Tree, from: usize, behaviour: &Behaviour) -> Vec<BigRational> {
    let mut reach = vec![BigRational::zero(); tree.nodes.len()];
    reach[from] = BigRational::one();
    let end = from + tree.subtree_sizes()[from];
    for n in from..end {
        if reach[n].is_zero() {
            continue;
        }
        let Some(h) = tree.nodes[n].infoset else { continue };
        let probs = reduced::action_probabilities(tree, h, behaviour);
        for (&c, p) in tree.nodes[n].children.iter().zip(&probs) {
            reach[c] = &reach[n] * p;
        }
    }
    reach
}

#[cfg(test)]
mod tests;
