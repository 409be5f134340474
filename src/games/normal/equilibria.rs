//! All Nash equilibria of a bimatrix game, by vertex enumeration of the
//! best-response polytopes (the method of Gambit's `gambit-enummixed`).
//!
//! With the payoffs made positive (A for the row player, B for the column
//! player, both m×n), the best-response polytopes are
//!
//! * P = { x ∈ ℝᵐ : x ≥ 0, Bᵀx ≤ 1 }, labels: i where xᵢ = 0, m+j where (Bᵀx)ⱼ = 1;
//! * Q = { y ∈ ℝⁿ : Ay ≤ 1, y ≥ 0 }, labels: i where (Ay)ᵢ = 1, m+j where yⱼ = 0.
//!
//! A pair of vertices (x, y) ≠ (0, 0) whose labels together cover all m+n
//! labels is, after scaling each to sum 1, an *extreme* Nash equilibrium, and
//! every extreme equilibrium arises this way — also in degenerate games,
//! where a vertex may carry more labels than its dimension. (Support
//! enumeration that only tries supports of equal size, as in Nashpy, misses
//! such equilibria.) Every Nash equilibrium is a convex combination inside a
//! *maximal Nash subset*: a product conv(U) × conv(V) where every x in U is
//! compatible with every y in V (Avis, Rosenberg, Savani, von Stengel 2010,
//! "Enumeration of Nash equilibria for two-player games"). These subsets are
//! the maximal bicliques of the bipartite compatibility graph, and the
//! connected components of the equilibrium set correspond to the connected
//! components of that graph.
//!
//! Vertices are found by lexicographic pivoting (`lex_pivoting.rs`, the
//! method of lrsnash): a walk over the lexico-feasible bases of each
//! polytope, in exact integer arithmetic, which visits every vertex but
//! only as many bases as the perturbed (simple) polytope has vertices. It
//! solves a random 13×13 game in about a tenth of a second and a 15×15 in
//! seconds, and stops at a work budget. Exact rational coordinates are
//! built only for the few vertices that take part in an equilibrium.
//!
//! The previous method stays as an independent reference
//! ([`enumerate_equilibria_with_limit`]): for every support S of the
//! variables and every equally large set T of constraints, solve the square
//! system "constraints T tight on support S" and keep feasible solutions;
//! C(m+n, m) small systems, solved exactly with fraction-free (integer)
//! Gauss–Jordan elimination, in `i128` when it fits and `BigInt` otherwise.
//! A property test checks that both give identical analyses.

use std::collections::{BTreeMap, BTreeSet};

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use serde::Serialize;

use super::display::{ser_rational_rows, ser_rationals};
use super::lex_pivoting::{Constraints, FxBuild};
use super::model::{COLUMN, Game, GameError, ROW};

/// Default cap on the number of linear systems solved per polytope,
/// C(m+n, m). An 8×8 game needs 12 870 (tens of milliseconds in a release
/// build); the cap admits up to 11×11 (705 432, a few seconds) or, say,
/// 8×16. Larger games are first reduced by dominance (see `solve`).
pub const DEFAULT_SYSTEM_LIMIT: u128 = 1_000_000;

/// Default work budget of the pivoting method: lexico-feasible bases
/// visited per best-response polytope. A random 15×15 game needs tens of
/// thousands; the budget stops pathological games after about a minute.
pub const DEFAULT_BASIS_BUDGET: u64 = 3_000_000;

/// Cap on the number of candidate maximal Nash subsets examined per
/// component, so a pathological degenerate game cannot run away.
const MAX_SUBSET_CANDIDATES: usize = 20_000;

/// One extreme Nash equilibrium.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Equilibrium {
    /// Mixed strategies `[row, column]` as exact probability vectors.
    #[serde(serialize_with = "ser_rational_rows")]
    pub strategies: [Vec<BigRational>; 2],
    /// Expected payoffs `[row, column]` in the original (unshifted) payoffs.
    #[serde(serialize_with = "ser_rationals")]
    pub payoffs: [BigRational; 2],
    /// Strategies played with positive probability, per player.
    pub supports: [Vec<usize>; 2],
    /// Both players play a pure strategy.
    pub pure: bool,
    /// Index into [`EquilibriumAnalysis::components`].
    pub component: usize,
}

/// A maximal Nash subset conv(U) × conv(V): every mix of the listed row
/// strategies with every mix of the listed column strategies is an
/// equilibrium, and no extreme strategy can be added to either list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NashSubset {
    /// The extreme row strategies U.
    #[serde(serialize_with = "ser_rational_rows")]
    pub row_strategies: Vec<Vec<BigRational>>,
    /// The extreme column strategies V.
    #[serde(serialize_with = "ser_rational_rows")]
    pub column_strategies: Vec<Vec<BigRational>>,
    /// Indices (into `equilibria`) of the extreme equilibria U × V.
    pub equilibria: Vec<usize>,
}

/// A connected component of the set of Nash equilibria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// Indices (into `equilibria`) of the extreme equilibria in it.
    pub equilibria: Vec<usize>,
    /// The maximal Nash subsets whose union is this component.
    pub maximal_nash_subsets: Vec<NashSubset>,
    /// True when the component is a single point (an isolated equilibrium).
    pub isolated: bool,
}

/// Evidence of degeneracy: a mixed strategy with support size k that has
/// more than k pure best responses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DegeneracyWitness {
    /// The player whose strategy this is (0 = row, 1 = column).
    pub player: usize,
    #[serde(serialize_with = "ser_rationals")]
    pub strategy: Vec<BigRational>,
    pub support: Vec<usize>,
    /// The opponent's pure best responses to `strategy`.
    pub best_responses: Vec<usize>,
}

/// Everything the enumeration found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EquilibriumAnalysis {
    /// All extreme equilibria: pure first, then by support size.
    pub equilibria: Vec<Equilibrium>,
    /// True when some mixed strategy with support size k has more than k
    /// pure best responses. Degenerate games can have infinitely many
    /// equilibria and equilibria whose supports differ in size.
    pub degenerate: bool,
    /// Degeneracy witnesses found at vertices of the best-response polytopes.
    pub degeneracy_witnesses: Vec<DegeneracyWitness>,
    /// True when there are finitely many equilibria (every component is a
    /// single point); then `equilibria` is the complete list.
    pub finite: bool,
    /// Connected components of the equilibrium set.
    pub components: Vec<Component>,
    /// True if maximal-Nash-subset enumeration hit its safety cap; the
    /// equilibria and components are still complete.
    pub subsets_truncated: bool,
}

/// Why enumeration was not attempted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EquilibriumError {
    #[error(
        "a {rows}×{cols} game is too large for exact vertex enumeration ({systems} linear systems \
         per polytope, limit {limit}); remove strictly dominated strategies first or analyse a \
         smaller game (up to about 11×11)"
    )]
    TooLarge { rows: usize, cols: usize, systems: u128, limit: u128 },
    #[error(
        "a {rows}×{cols} game needs more than {budget} bases of a best-response polytope to enumerate its \
         equilibria (the work budget, minutes of computing); brink stops rather than run for hours: remove \
         strictly dominated strategies or analyse a smaller game"
    )]
    WorkBudget { rows: usize, cols: usize, budget: u64 },
    #[error(transparent)]
    Invalid(#[from] GameError),
}

/// Pure-strategy Nash equilibria (row, column), found by checking every
/// profile. Independent of the polytope code, so it doubles as a cross-check.
pub fn pure_equilibria(game: &Game) -> Vec<(usize, usize)> {
    let (rows, cols) = game.shape();
    let a = &game.payoffs[ROW];
    let b = &game.payoffs[COLUMN];
    let mut out = Vec::new();
    for i in 0..rows {
        for j in 0..cols {
            let row_best = (0..rows).all(|k| a[k][j] <= a[i][j]);
            let col_best = (0..cols).all(|l| b[i][l] <= b[i][j]);
            if row_best && col_best {
                out.push((i, j));
            }
        }
    }
    out
}

/// All extreme Nash equilibria, degeneracy, components and maximal Nash
/// subsets, by lexicographic pivoting (as lrsnash) within the default work
/// budget.
pub fn enumerate_equilibria(game: &Game) -> Result<EquilibriumAnalysis, EquilibriumError> {
    enumerate_equilibria_with_budget(game, DEFAULT_BASIS_BUDGET)
}

/// As [`enumerate_equilibria`], refusing (rather than running on) once
/// either best-response polytope needs more than `budget` bases.
pub fn enumerate_equilibria_with_budget(game: &Game, budget: u64) -> Result<EquilibriumAnalysis, EquilibriumError> {
    game.validate()?;
    let (m, n) = game.shape();
    let (a, bt) = small_polytopes(game).unwrap_or_else(|| {
        let (a, bt) = polytopes(game);
        (Constraints::Big(a), Constraints::Big(bt))
    });
    let walk = |c: &Constraints, dim: usize| {
        super::lex_pivoting::vertices(c, dim, budget).map(|(v, _)| v).map_err(|_| EquilibriumError::WorkBudget {
            rows: m,
            cols: n,
            budget,
        })
    };
    let p_vertices = walk(&bt, m)?;
    let q_vertices = walk(&a, n)?;
    Ok(analyse_vertices(game, p_vertices.as_ref(), q_vertices.as_ref()))
}

/// The same analysis by exhaustive vertex enumeration (every support and
/// every set of tight constraints: C(m+n, m) small systems per polytope),
/// refusing games that need more than `limit` systems. Kept as an
/// independent reference for the pivoting method.
pub fn enumerate_equilibria_with_limit(game: &Game, limit: u128) -> Result<EquilibriumAnalysis, EquilibriumError> {
    game.validate()?;
    let (m, n) = game.shape();
    let systems = binomial((m + n) as u128, m as u128);
    if systems > limit {
        return Err(EquilibriumError::TooLarge { rows: m, cols: n, systems, limit });
    }
    let (a, bt) = polytopes(game);
    let p_vertices = enumerate_vertices(&bt, m);
    let q_vertices = enumerate_vertices(&a, n);
    Ok(analyse_vertices(game, &p_vertices, &q_vertices))
}

/// The constraint matrices of the best-response polytopes: P has
/// variables x (m) and constraints Bᵀx ≤ 1 (n); Q has variables y (n) and
/// constraints Ay ≤ 1 (m). Payoffs are made positive integers first.
fn polytopes(game: &Game) -> (Vec<Vec<BigInt>>, Vec<Vec<BigInt>>) {
    let a = positive_integer_matrix(&game.payoffs[ROW]);
    let b = positive_integer_matrix(&game.payoffs[COLUMN]);
    (a, transpose(&b))
}

/// [`polytopes`] for integer payoffs that fit in `i64` with their shift,
/// without building a `BigInt` (the same matrices: the lcm of denominators
/// is 1). `None` for rational or huge payoffs.
fn small_polytopes(game: &Game) -> Option<(Constraints, Constraints)> {
    let small = |m: &[Vec<BigRational>]| -> Option<Vec<Vec<i64>>> {
        let ints: Vec<Vec<i64>> = m
            .iter()
            .map(|r| r.iter().map(|v| if v.denom().is_one() { v.numer().to_i64() } else { None }).collect())
            .collect::<Option<_>>()?;
        let min = ints.iter().flatten().copied().min().unwrap_or(0);
        let shift = 1i64.checked_sub(min)?;
        ints.into_iter().map(|r| r.into_iter().map(|v| v.checked_add(shift)).collect()).collect()
    };
    let a = small(&game.payoffs[ROW])?;
    let b = small(&game.payoffs[COLUMN])?;
    let cols = b.first().map_or(0, Vec::len);
    let bt = (0..cols).map(|j| b.iter().map(|r| r[j]).collect()).collect();
    Some((Constraints::Small(a), Constraints::Small(bt)))
}

/// The vertices of a best-response polytope as the analysis needs them:
/// labels for every vertex, exact coordinates only on request. Most
/// vertices belong to no equilibrium, so building their rational
/// coordinates (gcd reductions in `BigInt`) would dominate the run time.
pub(super) trait Vertices {
    /// Number of vertices (the origin excluded).
    fn count(&self) -> usize;
    /// (bit k set when coordinate k is zero, bit c set when constraint c is tight).
    fn labels(&self, i: usize) -> (u64, u64);
    /// Exact coordinates (unnormalised) of vertex `i`.
    fn coords(&self, i: usize) -> Vec<BigRational>;
    /// Vertex `i` scaled to sum 1: a mixed strategy.
    fn strategy(&self, i: usize) -> Vec<BigRational>;
    /// Vertices `i` and `j` in the lexicographic order of their coordinates.
    fn cmp_coords(&self, i: usize, j: usize) -> std::cmp::Ordering;
}

impl Vertices for Vec<Vertex> {
    fn count(&self) -> usize {
        self.len()
    }
    fn labels(&self, i: usize) -> (u64, u64) {
        (self[i].zero_vars, self[i].tight)
    }
    fn coords(&self, i: usize) -> Vec<BigRational> {
        self[i].coords.clone()
    }
    fn strategy(&self, i: usize) -> Vec<BigRational> {
        normalise(&self[i].coords)
    }
    fn cmp_coords(&self, i: usize, j: usize) -> std::cmp::Ordering {
        self[i].coords.cmp(&self[j].coords)
    }
}

/// Equilibria, components and subsets from the vertices of P and Q.
///
/// Equilibria are matched on labels alone; only the vertices that take part
/// in an equilibrium or witness degeneracy get exact coordinates. They are
/// then ordered by coordinates, the order of a full sorted vertex list, so
/// the result does not depend on the order in which vertices were found.
fn analyse_vertices(game: &Game, p_all: &dyn Vertices, q_all: &dyn Vertices) -> EquilibriumAnalysis {
    let (m, n) = game.shape();
    let full: u64 = (1u64 << (m + n)) - 1;
    // Label sets in the common numbering 0..m (rows), m..m+n (columns).
    let p_labels: Vec<u64> = (0..p_all.count()).map(|i| p_all.labels(i)).map(|(z, t)| z | (t << m)).collect();
    let q_labels: Vec<u64> = (0..q_all.count()).map(|i| q_all.labels(i)).map(|(z, t)| t | (z << m)).collect();

    // A vertex of Q with exactly n labels is found by its label set; the
    // few with more (degenerate) are checked against every vertex of P.
    let mut q_by_labels: std::collections::HashMap<u64, Vec<usize>, FxBuild> = Default::default();
    let mut q_extra: Vec<usize> = Vec::new();
    for (qi, &ql) in q_labels.iter().enumerate() {
        if ql.count_ones() as usize == n {
            q_by_labels.entry(ql).or_default().push(qi);
        } else {
            q_extra.push(qi);
        }
    }
    let mut found_pairs: Vec<(usize, usize)> = Vec::new();
    for (pi, &pl) in p_labels.iter().enumerate() {
        let needed = full & !pl;
        if needed.count_ones() as usize == n {
            if let Some(qs) = q_by_labels.get(&needed) {
                found_pairs.extend(qs.iter().map(|&qi| (pi, qi)));
            }
        } else {
            found_pairs.extend(
                q_by_labels.values().flatten().filter(|&&qi| q_labels[qi] & needed == needed).map(|&qi| (pi, qi)),
            );
        }
        found_pairs.extend(q_extra.iter().filter(|&&qi| pl | q_labels[qi] == full).map(|&qi| (pi, qi)));
    }

    // The vertices that matter: in an equilibrium, or with more labels than
    // their dimension (degeneracy witnesses); sorted by coordinates.
    let used = |all: &dyn Vertices, labels: &[u64], dim: usize, side: &dyn Fn(&(usize, usize)) -> usize| {
        let mut kept: Vec<usize> = found_pairs.iter().map(side).collect();
        kept.extend((0..all.count()).filter(|&i| labels[i].count_ones() as usize > dim));
        kept.sort_unstable();
        kept.dedup();
        kept.sort_by(|&i, &j| all.cmp_coords(i, j));
        let mut index = vec![usize::MAX; all.count()];
        for (new, &old) in kept.iter().enumerate() {
            index[old] = new;
        }
        (kept, index)
    };
    let (p_kept, p_index) = used(p_all, &p_labels, m, &|&(p, _)| p);
    let (q_kept, q_index) = used(q_all, &q_labels, n, &|&(_, q)| q);
    let mut pairs: Vec<(usize, usize)> = found_pairs.iter().map(|&(p, q)| (p_index[p], q_index[q])).collect();
    pairs.sort_unstable();
    pairs.dedup();

    let p_strats: Vec<Vec<BigRational>> = p_kept.iter().map(|&i| p_all.strategy(i)).collect();
    let q_strats: Vec<Vec<BigRational>> = q_kept.iter().map(|&i| q_all.strategy(i)).collect();

    let mut witnesses = Vec::new();
    for (&old, s) in p_kept.iter().zip(&p_strats) {
        let (zero_vars, tight) = p_all.labels(old);
        if (zero_vars.count_ones() + tight.count_ones()) as usize > m {
            witnesses.push(witness(ROW, s, tight));
        }
    }
    for (&old, s) in q_kept.iter().zip(&q_strats) {
        let (zero_vars, tight) = q_all.labels(old);
        if (zero_vars.count_ones() + tight.count_ones()) as usize > n {
            witnesses.push(witness(COLUMN, s, tight));
        }
    }
    let (p_count, q_count) = (p_kept.len(), q_kept.len());

    // Order the equilibria: pure first, then by total support size, then
    // larger probability on earlier strategies first (so (1,0) before (0,1)).
    let support_size = |s: &Vec<BigRational>| s.iter().filter(|p| p.is_positive()).count();
    let p_sizes: Vec<usize> = p_strats.iter().map(support_size).collect();
    let q_sizes: Vec<usize> = q_strats.iter().map(support_size).collect();
    pairs.sort_by(|&(p1, q1), &(p2, q2)| {
        let size = |p: usize, q: usize| p_sizes[p] + q_sizes[q];
        size(p1, q1)
            .cmp(&size(p2, q2))
            .then_with(|| p_strats[p2].cmp(&p_strats[p1]))
            .then_with(|| q_strats[q2].cmp(&q_strats[q1]))
    });

    // Connected components of the bipartite graph (P-vertices + Q-vertices,
    // an edge per equilibrium). Two equilibria sharing a strategy are joined
    // by a segment of equilibria, and disjoint components cannot touch.
    let mut uf = UnionFind::new(p_count + q_count);
    for &(p, q) in &pairs {
        uf.union(p, p_count + q);
    }
    let mut component_of_root: BTreeMap<usize, usize> = BTreeMap::new();
    let mut equilibria = Vec::with_capacity(pairs.len());
    for &(p, q) in &pairs {
        let root = uf.find(p);
        let next = component_of_root.len();
        let component = *component_of_root.entry(root).or_insert(next);
        let x = p_strats[p].clone();
        let y = q_strats[q].clone();
        let payoffs = game.expected_payoffs(&x, &y);
        let supports = [support(&x), support(&y)];
        let pure = supports[0].len() == 1 && supports[1].len() == 1;
        equilibria.push(Equilibrium { strategies: [x, y], payoffs, supports, pure, component });
    }

    let mut subsets_truncated = false;
    let mut components = Vec::with_capacity(component_of_root.len());
    for c in 0..component_of_root.len() {
        let members: Vec<usize> = (0..pairs.len()).filter(|&e| equilibria[e].component == c).collect();
        let (subsets, truncated) = if let [e] = members[..] {
            // An isolated equilibrium is its own maximal Nash subset.
            let x = equilibria[e].strategies[0].clone();
            let y = equilibria[e].strategies[1].clone();
            (vec![NashSubset { row_strategies: vec![x], column_strategies: vec![y], equilibria: vec![e] }], false)
        } else {
            maximal_nash_subsets(&pairs, &members, &p_strats, &q_strats)
        };
        subsets_truncated |= truncated;
        components.push(Component { isolated: members.len() == 1, equilibria: members, maximal_nash_subsets: subsets });
    }
    let finite = components.iter().all(|c| c.isolated);

    EquilibriumAnalysis {
        equilibria,
        degenerate: !witnesses.is_empty(),
        degeneracy_witnesses: witnesses,
        finite,
        components,
        subsets_truncated,
    }
}

fn witness(player: usize, strategy: &[BigRational], tight: u64) -> DegeneracyWitness {
    DegeneracyWitness { player, strategy: strategy.to_vec(), support: support(strategy), best_responses: bits(tight) }
}

/// Maximal bicliques of the compatibility graph restricted to one component.
/// The column sides of maximal bicliques are exactly the non-empty
/// intersections of neighbourhoods N(x) of row vertices; for each such V the
/// row side is every x whose neighbourhood contains V.
fn maximal_nash_subsets(
    pairs: &[(usize, usize)],
    members: &[usize],
    p_strats: &[Vec<BigRational>],
    q_strats: &[Vec<BigRational>],
) -> (Vec<NashSubset>, bool) {
    let mut neighbours: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for &e in members {
        let (p, q) = pairs[e];
        neighbours.entry(p).or_default().insert(q);
    }
    let mut family: BTreeSet<BTreeSet<usize>> = BTreeSet::new();
    let mut truncated = false;
    for nb in neighbours.values() {
        let mut new_sets = vec![nb.clone()];
        for f in &family {
            let inter: BTreeSet<usize> = f.intersection(nb).copied().collect();
            if !inter.is_empty() {
                new_sets.push(inter);
            }
        }
        family.extend(new_sets);
        if family.len() > MAX_SUBSET_CANDIDATES {
            truncated = true;
            break;
        }
    }
    let edge_index: BTreeMap<(usize, usize), usize> = members.iter().map(|&e| (pairs[e], e)).collect();
    let edge_index = &edge_index;
    let mut subsets = Vec::new();
    for v in &family {
        let u: Vec<usize> = neighbours.iter().filter(|(_, nb)| v.is_subset(nb)).map(|(&p, _)| p).collect();
        let mut eqs: Vec<usize> =
            u.iter().flat_map(|&p| v.iter().filter_map(move |&q| edge_index.get(&(p, q)).copied())).collect();
        eqs.sort_unstable();
        subsets.push(NashSubset {
            row_strategies: u.iter().map(|&p| p_strats[p].clone()).collect(),
            column_strategies: v.iter().map(|&q| q_strats[q].clone()).collect(),
            equilibria: eqs,
        });
    }
    subsets.sort_by(|a, b| a.equilibria.cmp(&b.equilibria));
    (subsets, truncated)
}

/// A vertex of a polytope { z ≥ 0 : C z ≤ 1 } other than the origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Vertex {
    /// Coordinates (unnormalised).
    pub(super) coords: Vec<BigRational>,
    /// Bit k set when coordinate k is zero.
    pub(super) zero_vars: u64,
    /// Bit c set when constraint c is tight (holds with equality).
    pub(super) tight: u64,
}

/// All vertices except the origin of { z ∈ ℝᵈ : z ≥ 0, C z ≤ 1 } where C
/// (one row per constraint, `dim` columns) is a positive integer matrix.
fn enumerate_vertices(c: &[Vec<BigInt>], dim: usize) -> Vec<Vertex> {
    let ncons = c.len();
    let small: Option<Vec<Vec<i128>>> =
        c.iter().map(|r| r.iter().map(|v| v.to_i64().map(i128::from)).collect::<Option<Vec<i128>>>()).collect();
    let mut found: BTreeMap<Vec<BigRational>, Vertex> = BTreeMap::new();
    for s_mask in 1u64..(1u64 << dim) {
        let support = bits(s_mask);
        let k = support.len();
        if k > ncons {
            continue;
        }
        for t_mask in Combinations::new(ncons, k) {
            let tight_set = bits(t_mask);
            let solution = small
                .as_ref()
                .and_then(|sm| try_vertex_small(sm, &support, &tight_set))
                .unwrap_or_else(|| try_vertex(c, &support, &tight_set));
            let Candidate::Vertex { num, den, tight } = solution else {
                continue;
            };
            let mut coords = vec![BigRational::zero(); dim];
            for (&var, v) in support.iter().zip(num) {
                coords[var] = BigRational::new(v, den.clone());
            }
            found.entry(coords.clone()).or_insert(Vertex { coords, zero_vars: !s_mask & ((1u64 << dim) - 1), tight });
        }
    }
    found.into_values().collect()
}

enum Candidate {
    /// Singular system, or a solution outside the polytope or with a zero
    /// coordinate inside the support (that vertex is found with a smaller
    /// support anyway).
    Rejected,
    Vertex {
        num: Vec<BigInt>,
        den: BigInt,
        tight: u64,
    },
}

/// Solves C[T][S] z_S = 1 exactly in `BigInt` and tests z against the
/// polytope. This is the general path, used when the `i128` fast path
/// ([`try_vertex_small`]) overflows.
///
/// Method: fraction-free Gauss–Jordan elimination (integer pivoting, as in
/// von Stengel's Lemke–Howson implementations). Every division by the
/// previous pivot is exact, and at the end every diagonal entry equals the
/// last pivot D (± the determinant), so zᵢ = rhsᵢ / D with integer rhs.
fn try_vertex(c: &[Vec<BigInt>], support: &[usize], tight_set: &[usize]) -> Candidate {
    let k = support.len();
    // Augmented k×(k+1) system, rhs all ones.
    let mut aug: Vec<Vec<BigInt>> = tight_set
        .iter()
        .map(|&t| {
            let mut row: Vec<BigInt> = support.iter().map(|&s| c[t][s].clone()).collect();
            row.push(BigInt::one());
            row
        })
        .collect();
    let mut prev = BigInt::one();
    for col in 0..k {
        let Some(p) = (col..k).find(|&r| !aug[r][col].is_zero()) else {
            return Candidate::Rejected; // singular: not a basis
        };
        aug.swap(col, p);
        let pivot_row = aug[col].clone();
        let pivot = &pivot_row[col];
        for (r, row) in aug.iter_mut().enumerate() {
            if r == col {
                continue;
            }
            let factor = row[col].clone();
            for (cc, entry) in row.iter_mut().enumerate() {
                if cc == col {
                    continue;
                }
                let v = pivot * &*entry - &factor * &pivot_row[cc];
                let (q, rem) = v.div_rem(&prev);
                if !rem.is_zero() {
                    // Impossible in exact fraction-free elimination; refuse
                    // rather than invent a vertex.
                    return Candidate::Rejected;
                }
                *entry = q;
            }
            row[col] = BigInt::zero();
        }
        prev = pivot.clone();
    }
    let mut den = prev;
    let mut num: Vec<BigInt> = aug.iter().map(|row| row[k].clone()).collect();
    if den.is_negative() {
        den = -den;
        for v in num.iter_mut() {
            *v = -&*v;
        }
    }
    if num.iter().any(|v| !v.is_positive()) {
        return Candidate::Rejected;
    }
    // Check every constraint: Σ c[j][s]·num_s ≤ den, recording equality.
    let mut tight = 0u64;
    for (j, row) in c.iter().enumerate() {
        let lhs: BigInt = support.iter().zip(&num).map(|(&s, v)| &row[s] * v).sum();
        if lhs > den {
            return Candidate::Rejected;
        }
        if lhs == den {
            tight |= 1 << j;
        }
    }
    // The chosen constraints must be tight; anything else would mean the
    // elimination went wrong, and rejecting is safer than inventing a vertex.
    if tight_set.iter().any(|&t| tight & (1 << t) == 0) {
        return Candidate::Rejected;
    }
    Candidate::Vertex { num, den, tight }
}

/// Largest system handled by the allocation-free `i128` path.
const SMALL_MAX: usize = 24;

/// [`try_vertex`] specialised to `i128` on stack arrays: the same
/// fraction-free elimination without heap allocation, which is where the
/// time goes when a game needs hundreds of thousands of tiny systems.
/// `None` means overflow (or a system too large for the arrays): retry with
/// `BigInt`.
fn try_vertex_small(c: &[Vec<i128>], support: &[usize], tight_set: &[usize]) -> Option<Candidate> {
    let k = support.len();
    if k > SMALL_MAX || tight_set.len() != k {
        return None;
    }
    let mut aug = [[0i128; SMALL_MAX + 1]; SMALL_MAX];
    for (row, &t) in aug.iter_mut().zip(tight_set) {
        for (entry, &s) in row.iter_mut().zip(support) {
            *entry = c[t][s];
        }
        row[k] = 1;
    }
    let mut prev: i128 = 1;
    for col in 0..k {
        let Some(p) = (col..k).find(|&r| aug[r][col] != 0) else {
            return Some(Candidate::Rejected); // singular: not a basis
        };
        aug.swap(col, p);
        let pivot_row = aug[col];
        let pivot = pivot_row[col];
        for (r, row) in aug.iter_mut().enumerate().take(k) {
            if r == col {
                continue;
            }
            let factor = row[col];
            if factor == 0 {
                // (pivot·a − 0)/prev: still needed to keep the common scale.
                for entry in row.iter_mut().take(k + 1) {
                    let v = pivot.checked_mul(*entry)?;
                    *entry = exact_div(v, prev)?;
                }
                continue;
            }
            for (cc, entry) in row.iter_mut().enumerate().take(k + 1) {
                if cc == col {
                    *entry = 0;
                    continue;
                }
                let v = pivot.checked_mul(*entry)?.checked_sub(factor.checked_mul(pivot_row[cc])?)?;
                *entry = exact_div(v, prev)?;
            }
        }
        prev = pivot;
    }
    let mut den = prev;
    let mut num = [0i128; SMALL_MAX];
    for (n, row) in num.iter_mut().zip(&aug).take(k) {
        *n = row[k];
    }
    if den < 0 {
        den = den.checked_neg()?;
        for v in num.iter_mut().take(k) {
            *v = v.checked_neg()?;
        }
    }
    if num[..k].iter().any(|&v| v <= 0) {
        return Some(Candidate::Rejected);
    }
    let mut tight = 0u64;
    for (j, row) in c.iter().enumerate() {
        let mut lhs: i128 = 0;
        for (&s, &v) in support.iter().zip(&num[..k]) {
            lhs = lhs.checked_add(row[s].checked_mul(v)?)?;
        }
        if lhs > den {
            return Some(Candidate::Rejected);
        }
        if lhs == den {
            tight |= 1 << j;
        }
    }
    if tight_set.iter().any(|&t| tight & (1 << t) == 0) {
        return Some(Candidate::Rejected);
    }
    Some(Candidate::Vertex { num: num[..k].iter().map(|&v| BigInt::from(v)).collect(), den: BigInt::from(den), tight })
}

/// Exact integer division, `None` if it is not exact (cannot happen in
/// fraction-free elimination; treated like overflow, i.e. redo in BigInt).
fn exact_div(a: i128, b: i128) -> Option<i128> {
    // 128-bit division is a slow library call; most values fit in 64 bits.
    if let (Ok(a64), Ok(b64)) = (i64::try_from(a), i64::try_from(b)) {
        if b64 == 0 || a64 % b64 != 0 {
            return None;
        }
        return a64.checked_div(b64).map(i128::from);
    }
    if b == 0 || a % b != 0 {
        return None;
    }
    a.checked_div(b)
}

/// Scales a rational matrix to integers (by the lcm of denominators) and
/// shifts it so every entry is at least 1. Both are positive affine
/// transformations, which change no best response and hence no equilibrium.
fn positive_integer_matrix(m: &[Vec<BigRational>]) -> Vec<Vec<BigInt>> {
    let lcm = m.iter().flatten().fold(<BigInt as One>::one(), |acc, v| {
        if v.denom().is_one() || (&acc % v.denom()).is_zero() { acc } else { acc.lcm(v.denom()) }
    });
    // v·lcm = numerator · (lcm / denominator): exact, no gcd needed.
    let scaled: Vec<Vec<BigInt>> =
        m.iter().map(|r| r.iter().map(|v| v.numer() * (&lcm / v.denom())).collect()).collect();
    let min = scaled.iter().flatten().min().cloned().unwrap_or_else(<BigInt as Zero>::zero);
    let shift = <BigInt as One>::one() - min;
    scaled.into_iter().map(|r| r.into_iter().map(|v| v + &shift).collect()).collect()
}

fn transpose(m: &[Vec<BigInt>]) -> Vec<Vec<BigInt>> {
    let cols = m.first().map_or(0, Vec::len);
    (0..cols).map(|j| m.iter().map(|r| r[j].clone()).collect()).collect()
}

/// `v` scaled to sum 1. Summed over a common denominator in integers, so
/// each entry is reduced once rather than after every addition.
pub(super) fn normalise(v: &[BigRational]) -> Vec<BigRational> {
    let den = v.iter().fold(<BigInt as One>::one(), |acc, x| {
        if x.denom().is_one() || (&acc % x.denom()).is_zero() { acc } else { acc.lcm(x.denom()) }
    });
    let num: Vec<BigInt> = v.iter().map(|x| x.numer() * (&den / x.denom())).collect();
    let total: BigInt = num.iter().sum();
    if total.is_zero() {
        return v.to_vec();
    }
    num.into_iter().map(|n| BigRational::new(n, total.clone())).collect()
}

fn support(v: &[BigRational]) -> Vec<usize> {
    v.iter().enumerate().filter(|(_, p)| p.is_positive()).map(|(i, _)| i).collect()
}

fn bits(mask: u64) -> Vec<usize> {
    (0..64).filter(|&b| mask & (1u64 << b) != 0).collect()
}

fn binomial(n: u128, k: u128) -> u128 {
    let k = k.min(n - k.min(n));
    (0..k).fold(1u128, |acc, i| acc.saturating_mul(n - i) / (i + 1))
}

/// All `n`-bit masks with exactly `k` bits set, in increasing order
/// (Gosper's hack).
struct Combinations {
    next: Option<u64>,
    limit: u64,
}

impl Combinations {
    fn new(n: usize, k: usize) -> Self {
        let limit = 1u64 << n;
        let next = if k == 0 || k > n { None } else { Some((1u64 << k) - 1) };
        Combinations { next, limit }
    }
}

impl Iterator for Combinations {
    type Item = u64;
    fn next(&mut self) -> Option<u64> {
        let cur = self.next?;
        if cur >= self.limit {
            self.next = None;
            return None;
        }
        let c = cur & cur.wrapping_neg();
        let r = cur + c;
        self.next = Some((((r ^ cur) >> 2) / c) | r);
        Some(cur)
    }
}

/// Union–find for grouping equilibria into components.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind { parent: (0..n).collect() }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::tests::q;
    use super::*;
    use proptest::prelude::*;

    fn game(rows: &[&[i64]], cols: &[&[i64]]) -> Game {
        let m = rows.len();
        let n = rows[0].len();
        let rn: Vec<String> = (0..m).map(|i| format!("r{i}")).collect();
        let cn: Vec<String> = (0..n).map(|j| format!("c{j}")).collect();
        let rr: Vec<&str> = rn.iter().map(String::as_str).collect();
        let cc: Vec<&str> = cn.iter().map(String::as_str).collect();
        Game::from_integers("test", ["Row", "Column"], [&rr, &cc], rows, cols).unwrap()
    }

    fn v(xs: &[(i64, i64)]) -> Vec<BigRational> {
        xs.iter().map(|&(n, d)| q(n, d)).collect()
    }

    fn profiles(a: &EquilibriumAnalysis) -> Vec<[Vec<BigRational>; 2]> {
        a.equilibria.iter().map(|e| e.strategies.clone()).collect()
    }

    fn check_all_nash(g: &Game, a: &EquilibriumAnalysis) {
        // Issue 11: the pivoting method and exhaustive enumeration agree.
        assert_eq!(&enumerate_equilibria_with_limit(g, u128::MAX).unwrap(), a);
        for e in &a.equilibria {
            assert!(g.is_nash_equilibrium(&e.strategies[0], &e.strategies[1]), "{e:?}");
            assert_eq!(e.payoffs, g.expected_payoffs(&e.strategies[0], &e.strategies[1]));
        }
    }

    #[test]
    fn prisoners_dilemma_unique_defect_defect() {
        let g = game(&[&[3, 0], &[5, 1]], &[&[3, 5], &[0, 1]]);
        let a = enumerate_equilibria(&g).unwrap();
        assert_eq!(profiles(&a), vec![[v(&[(0, 1), (1, 1)]), v(&[(0, 1), (1, 1)])]]);
        assert!(a.equilibria[0].pure);
        assert_eq!(a.equilibria[0].payoffs, [q(1, 1), q(1, 1)]);
        assert!(!a.degenerate && a.finite);
        assert_eq!(pure_equilibria(&g), vec![(1, 1)]);
    }

    #[test]
    fn matching_pennies_unique_half_half() {
        let g = game(&[&[1, -1], &[-1, 1]], &[&[-1, 1], &[1, -1]]);
        let a = enumerate_equilibria(&g).unwrap();
        let half = v(&[(1, 2), (1, 2)]);
        assert_eq!(profiles(&a), vec![[half.clone(), half]]);
        assert_eq!(a.equilibria[0].payoffs, [q(0, 1), q(0, 1)]);
        assert_eq!(a.equilibria[0].supports, [vec![0, 1], vec![0, 1]]);
        assert!(pure_equilibria(&g).is_empty());
    }

    #[test]
    fn battle_of_the_sexes_two_pure_one_mixed() {
        let g = game(&[&[2, 0], &[0, 1]], &[&[1, 0], &[0, 2]]);
        let a = enumerate_equilibria(&g).unwrap();
        assert_eq!(
            profiles(&a),
            vec![
                [v(&[(1, 1), (0, 1)]), v(&[(1, 1), (0, 1)])],
                [v(&[(0, 1), (1, 1)]), v(&[(0, 1), (1, 1)])],
                [v(&[(2, 3), (1, 3)]), v(&[(1, 3), (2, 3)])],
            ]
        );
        assert_eq!(a.equilibria[2].payoffs, [q(2, 3), q(2, 3)]);
        assert!(!a.degenerate && a.finite);
        assert_eq!(a.components.len(), 3);
        check_all_nash(&g, &a);
    }

    #[test]
    fn chicken_two_pure_one_mixed() {
        // Swerve / Straight: (0,0) (-1,1) / (1,-1) (-10,-10).
        let g = game(&[&[0, -1], &[1, -10]], &[&[0, 1], &[-1, -10]]);
        let a = enumerate_equilibria(&g).unwrap();
        assert_eq!(a.equilibria.len(), 3);
        assert_eq!(a.equilibria.iter().filter(|e| e.pure).count(), 2);
        assert_eq!(a.equilibria[2].strategies[0], v(&[(9, 10), (1, 10)]));
        assert_eq!(a.equilibria[2].strategies[1], v(&[(9, 10), (1, 10)]));
        assert_eq!(a.equilibria[2].payoffs, [q(-1, 10), q(-1, 10)]);
        check_all_nash(&g, &a);
    }

    #[test]
    fn stag_hunt_two_pure_one_mixed() {
        let g = game(&[&[4, 0], &[3, 3]], &[&[4, 3], &[0, 3]]);
        let a = enumerate_equilibria(&g).unwrap();
        assert_eq!(
            profiles(&a),
            vec![
                [v(&[(1, 1), (0, 1)]), v(&[(1, 1), (0, 1)])],
                [v(&[(0, 1), (1, 1)]), v(&[(0, 1), (1, 1)])],
                [v(&[(3, 4), (1, 4)]), v(&[(3, 4), (1, 4)])],
            ]
        );
        assert_eq!(a.equilibria[2].payoffs, [q(3, 1), q(3, 1)]);
    }

    #[test]
    fn degenerate_continuum_one_component() {
        let g = game(&[&[1, 1], &[0, 0]], &[&[1, 1], &[1, 1]]);
        let a = enumerate_equilibria(&g).unwrap();
        assert!(a.degenerate);
        assert!(!a.finite);
        assert_eq!(
            profiles(&a),
            vec![[v(&[(1, 1), (0, 1)]), v(&[(1, 1), (0, 1)])], [v(&[(1, 1), (0, 1)]), v(&[(0, 1), (1, 1)])],]
        );
        assert_eq!(a.components.len(), 1);
        let c = &a.components[0];
        assert_eq!(c.equilibria, vec![0, 1]);
        assert!(!c.isolated);
        assert_eq!(c.maximal_nash_subsets.len(), 1);
        let s = &c.maximal_nash_subsets[0];
        assert_eq!(s.row_strategies, vec![v(&[(1, 1), (0, 1)])]);
        assert_eq!(s.column_strategies.len(), 2);
        assert_eq!(s.equilibria, vec![0, 1]);
        // Row's first strategy has both columns as best responses.
        assert!(
            a.degeneracy_witnesses
                .iter()
                .any(|w| w.player == ROW && w.support == vec![0] && w.best_responses == vec![0, 1])
        );
    }

    #[test]
    fn degenerate_supports_of_different_sizes() {
        // von Stengel's 3×2 example made degenerate (Algorithmic Game Theory,
        // ch. 3): B[0][1] raised to 3 so Top has two best responses. The
        // equilibrium (Top, (2/3, 1/3)) has supports of size 1 and 2, which
        // equal-size support enumeration (Nashpy) cannot find.
        let g = game(&[&[3, 3], &[2, 5], &[0, 6]], &[&[3, 3], &[2, 6], &[3, 1]]);
        let a = enumerate_equilibria(&g).unwrap();
        assert!(a.degenerate);
        assert_eq!(
            profiles(&a),
            vec![
                [v(&[(1, 1), (0, 1), (0, 1)]), v(&[(1, 1), (0, 1)])],
                [v(&[(1, 1), (0, 1), (0, 1)]), v(&[(2, 3), (1, 3)])],
                [v(&[(0, 1), (1, 3), (2, 3)]), v(&[(1, 3), (2, 3)])],
            ]
        );
        assert_eq!(a.equilibria[1].supports, [vec![0], vec![0, 1]]);
        assert_eq!(a.equilibria[2].payoffs, [q(4, 1), q(8, 3)]);
        assert_eq!(a.components.len(), 2);
        assert_eq!(a.components[0].equilibria, vec![0, 1]);
        assert_eq!(a.components[1].equilibria, vec![2]);
        assert!(a.components[1].isolated);
        check_all_nash(&g, &a);
    }

    #[test]
    fn nondegenerate_von_stengel_example() {
        // The original (nondegenerate) game: three isolated equilibria.
        let g = game(&[&[3, 3], &[2, 5], &[0, 6]], &[&[3, 2], &[2, 6], &[3, 1]]);
        let a = enumerate_equilibria(&g).unwrap();
        assert!(!a.degenerate && a.finite);
        assert_eq!(
            profiles(&a),
            vec![
                [v(&[(1, 1), (0, 1), (0, 1)]), v(&[(1, 1), (0, 1)])],
                [v(&[(4, 5), (1, 5), (0, 1)]), v(&[(2, 3), (1, 3)])],
                [v(&[(0, 1), (1, 3), (2, 3)]), v(&[(1, 3), (2, 3)])],
            ]
        );
    }

    #[test]
    fn two_maximal_nash_subsets_in_one_component() {
        // Column is indifferent everywhere; Row is indifferent against
        // Left. Equilibria: (anything, Left) and (Top, anything), two
        // segments meeting at (Top, Left).
        let g = game(&[&[1, 1], &[1, 0]], &[&[0, 0], &[0, 0]]);
        let a = enumerate_equilibria(&g).unwrap();
        assert_eq!(a.components.len(), 1);
        assert_eq!(a.equilibria.len(), 3);
        let subsets = &a.components[0].maximal_nash_subsets;
        assert_eq!(subsets.len(), 2);
        for s in subsets {
            assert_eq!(s.equilibria.len(), 2);
            assert_eq!(s.row_strategies.len() * s.column_strategies.len(), 2);
        }
    }

    #[test]
    fn all_zero_game_is_one_big_subset() {
        let g = game(&[&[0, 0, 0], &[0, 0, 0]], &[&[0, 0, 0], &[0, 0, 0]]);
        let a = enumerate_equilibria(&g).unwrap();
        assert_eq!(a.equilibria.len(), 6);
        assert_eq!(a.components.len(), 1);
        assert_eq!(a.components[0].maximal_nash_subsets.len(), 1);
        assert_eq!(a.components[0].maximal_nash_subsets[0].equilibria.len(), 6);
    }

    #[test]
    fn rational_and_large_payoffs_use_exact_arithmetic() {
        let mut g = game(&[&[2, 0], &[0, 1]], &[&[1, 0], &[0, 2]]);
        // Scale Row's payoffs by a huge factor and shift by a fraction: best
        // responses and hence equilibria are unchanged; the i128 fast path
        // overflows and BigInt takes over.
        let big = BigRational::from_integer(BigInt::from(10u32).pow(30));
        for r in g.payoffs[ROW].iter_mut() {
            for x in r.iter_mut() {
                *x = &*x * &big + q(1, 7);
            }
        }
        let a = enumerate_equilibria(&g).unwrap();
        assert_eq!(a.equilibria.len(), 3);
        assert_eq!(a.equilibria[2].strategies[0], v(&[(2, 3), (1, 3)]));
        check_all_nash(&g, &a);
    }

    #[test]
    fn i128_overflow_falls_back_to_bigint() {
        // Payoffs near 10¹⁵ fit in i64, but products of 2×2 minors overflow
        // i128, so the fast path gives up mid-elimination. A positive affine
        // change of each player's payoffs must not change any equilibrium.
        let small = game(&[&[3, 3], &[2, 5], &[0, 6]], &[&[3, 3], &[2, 6], &[3, 1]]);
        let mut big = small.clone();
        let scale = BigRational::from_integer(BigInt::from(10u64.pow(15)));
        for p in [ROW, COLUMN] {
            for row in big.payoffs[p].iter_mut() {
                for x in row.iter_mut() {
                    *x = &*x * &scale + &scale + q(p as i64 + 1, 1);
                }
            }
        }
        let a = enumerate_equilibria(&small).unwrap();
        let b = enumerate_equilibria(&big).unwrap();
        assert_eq!(profiles(&a), profiles(&b));
        assert_eq!(a.degenerate, b.degenerate);
        assert_eq!(a.components.len(), b.components.len());
    }

    #[test]
    fn size_limit_is_an_error_not_a_hang() {
        let g = game(&[&[1, 2, 3], &[3, 2, 1]], &[&[1, 2, 3], &[3, 2, 1]]);
        let e = enumerate_equilibria_with_limit(&g, 5).unwrap_err();
        assert!(matches!(e, EquilibriumError::TooLarge { systems: 10, .. }));
        assert!(e.to_string().contains("dominated"));
    }

    #[test]
    fn eight_by_eight_is_fast_enough() {
        // A deterministic pseudo-random 8×8 game plus a degenerate 8×8 one.
        let mut seed: u64 = 0x9e3779b97f4a7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 19) as i64 - 9
        };
        let a: Vec<Vec<i64>> = (0..8).map(|_| (0..8).map(|_| next()).collect()).collect();
        let b: Vec<Vec<i64>> = (0..8).map(|_| (0..8).map(|_| next()).collect()).collect();
        let ar: Vec<&[i64]> = a.iter().map(Vec::as_slice).collect();
        let br: Vec<&[i64]> = b.iter().map(Vec::as_slice).collect();
        let g = game(&ar, &br);
        let start = std::time::Instant::now();
        let res = enumerate_equilibria(&g).unwrap();
        check_all_nash(&g, &res);
        if !res.degenerate {
            assert_eq!(res.equilibria.len() % 2, 1);
        }
        let id: Vec<Vec<i64>> = (0..8).map(|i| (0..8).map(|j| i64::from(i == j)).collect()).collect();
        let idr: Vec<&[i64]> = id.iter().map(Vec::as_slice).collect();
        let coord = game(&idr, &idr);
        let res = enumerate_equilibria(&coord).unwrap();
        // Coordination on the identity: one equilibrium per non-empty
        // common support, 2⁸ − 1 of them.
        assert_eq!(res.equilibria.len(), 255);
        check_all_nash(&coord, &res);
        // Generous even for an unoptimised test build.
        assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
    }

    fn arb_game() -> impl Strategy<Value = Game> {
        (2usize..=4, 2usize..=4)
            .prop_flat_map(|(m, n)| {
                (
                    proptest::collection::vec(proptest::collection::vec(-3i64..=3, n), m),
                    proptest::collection::vec(proptest::collection::vec(-3i64..=3, n), m),
                )
            })
            .prop_map(|(a, b)| {
                let ar: Vec<&[i64]> = a.iter().map(Vec::as_slice).collect();
                let br: Vec<&[i64]> = b.iter().map(Vec::as_slice).collect();
                game(&ar, &br)
            })
    }

    /// Is `t` within the closed interval spanned by the values `ends`?
    fn within(t: &BigRational, ends: impl Iterator<Item = BigRational>) -> bool {
        let ends: Vec<BigRational> = ends.collect();
        match (ends.iter().min(), ends.iter().max()) {
            (Some(lo), Some(hi)) => lo <= t && t <= hi,
            _ => false,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn reported_equilibria_are_nash_and_include_every_pure_one(g in arb_game()) {
            let a = enumerate_equilibria(&g).unwrap();
            prop_assert!(!a.equilibria.is_empty(), "every finite game has an equilibrium");
            for e in &a.equilibria {
                prop_assert!(g.is_nash_equilibrium(&e.strategies[0], &e.strategies[1]));
            }
            let (m, n) = g.shape();
            for (i, j) in pure_equilibria(&g) {
                let mut x = vec![BigRational::zero(); m];
                let mut y = vec![BigRational::zero(); n];
                x[i] = BigRational::one();
                y[j] = BigRational::one();
                prop_assert!(
                    a.equilibria.iter().any(|e| e.strategies == [x.clone(), y.clone()]),
                    "pure equilibrium ({}, {}) missing", i, j
                );
            }
            // Every reported pure equilibrium is found by brute force too.
            let pure_reported = a.equilibria.iter().filter(|e| e.pure).count();
            prop_assert_eq!(pure_reported, pure_equilibria(&g).len());
            if !a.degenerate {
                // Nondegenerate games: finitely many equilibria, an odd
                // number of them, with equal-size supports.
                prop_assert!(a.finite);
                prop_assert_eq!(a.equilibria.len() % 2, 1);
                for e in &a.equilibria {
                    prop_assert_eq!(e.supports[0].len(), e.supports[1].len());
                }
            }
            // Degeneracy witnesses are genuine: the listed best responses are
            // exactly the opponent's best replies, and there are more of them
            // than the support size.
            for w in &a.degeneracy_witnesses {
                let payoffs = if w.player == ROW {
                    g.column_payoffs_against(&w.strategy)
                } else {
                    g.row_payoffs_against(&w.strategy)
                };
                let best = payoffs.iter().max().cloned().unwrap_or_default();
                let argmax: Vec<usize> =
                    (0..payoffs.len()).filter(|&k| payoffs[k] == best).collect();
                prop_assert_eq!(&argmax, &w.best_responses);
                prop_assert!(w.best_responses.len() > w.support.len());
            }
            // Every point of a maximal Nash subset is an equilibrium; test
            // the barycentre of U × V.
            for c in &a.components {
                for sub in &c.maximal_nash_subsets {
                    let centre = |pts: &[Vec<BigRational>]| -> Vec<BigRational> {
                        let k = BigRational::from_integer(BigInt::from(pts.len()));
                        (0..pts[0].len())
                            .map(|i| pts.iter().map(|p| p[i].clone()).sum::<BigRational>() / &k)
                            .collect()
                    };
                    let x = centre(&sub.row_strategies);
                    let y = centre(&sub.column_strategies);
                    prop_assert!(g.is_nash_equilibrium(&x, &y));
                }
            }
            // Components partition the equilibria.
            let mut seen: Vec<usize> = a.components.iter().flat_map(|c| c.equilibria.clone()).collect();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..a.equilibria.len()).collect::<Vec<_>>());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Independent completeness check on 2×2 games with payoffs in
        /// {-1, 0, 1} (mostly degenerate): every equilibrium on a fine grid
        /// of mixed profiles, found by brute force, must lie in one of the
        /// reported maximal Nash subsets. With payoff differences of at most
        /// 2, every equilibrium vertex has denominator 1, 2, 3 or 4, so a
        /// grid of twelfths contains all of them.
        #[test]
        fn two_by_two_grid_equilibria_are_covered(
            a in proptest::collection::vec(-1i64..=1, 4),
            b in proptest::collection::vec(-1i64..=1, 4),
        ) {
            let g = game(&[&a[0..2], &a[2..4]], &[&b[0..2], &b[2..4]]);
            let res = enumerate_equilibria(&g).unwrap();
            let subsets: Vec<&NashSubset> =
                res.components.iter().flat_map(|c| &c.maximal_nash_subsets).collect();
            for k in 0..=12 {
                for l in 0..=12 {
                    let x = vec![q(k, 12), q(12 - k, 12)];
                    let y = vec![q(l, 12), q(12 - l, 12)];
                    if !g.is_nash_equilibrium(&x, &y) {
                        continue;
                    }
                    let covered = subsets.iter().any(|s| {
                        within(&x[0], s.row_strategies.iter().map(|r| r[0].clone()))
                            && within(&y[0], s.column_strategies.iter().map(|c| c[0].clone()))
                    });
                    prop_assert!(covered, "equilibrium x1={}/12, y1={}/12 not reported", k, l);
                }
            }
        }
    }

    /// Random games of every shape up to 6×6 with payoffs from a few
    /// values (so most are degenerate, with ties and continua) or from a
    /// wide range (mostly nondegenerate).
    fn arb_any_game() -> impl Strategy<Value = Game> {
        (1usize..=6, 1usize..=6, prop_oneof![Just(1i64), Just(2), Just(50)])
            .prop_flat_map(|(m, n, r)| {
                (
                    proptest::collection::vec(proptest::collection::vec(-r..=r, n), m),
                    proptest::collection::vec(proptest::collection::vec(-r..=r, n), m),
                )
            })
            .prop_map(|(a, b)| {
                let ar: Vec<&[i64]> = a.iter().map(Vec::as_slice).collect();
                let br: Vec<&[i64]> = b.iter().map(Vec::as_slice).collect();
                game(&ar, &br)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Issue 11: lexicographic pivoting finds exactly the equilibria,
        /// degeneracy witnesses, components and maximal Nash subsets of
        /// exhaustive vertex enumeration.
        #[test]
        fn issue_11_pivoting_equals_exhaustive_enumeration(g in arb_any_game()) {
            let pivoting = enumerate_equilibria(&g).unwrap();
            let exhaustive = enumerate_equilibria_with_limit(&g, u128::MAX).unwrap();
            prop_assert_eq!(pivoting, exhaustive);
        }
    }

    #[test]
    fn issue_11_work_budget_refuses_clearly() {
        let g = game(&[&[3, 3], &[2, 5], &[0, 6]], &[&[3, 2], &[2, 6], &[3, 1]]);
        let e = enumerate_equilibria_with_budget(&g, 2).unwrap_err();
        assert!(matches!(e, EquilibriumError::WorkBudget { budget: 2, .. }));
        assert!(e.to_string().contains("stops rather than run for hours"), "{e}");
    }
}
