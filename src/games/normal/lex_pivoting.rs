//! Vertices of a best-response polytope { z ≥ 0 : C z ≤ 1 } by
//! lexicographic pivoting, the method behind lrs and lrsnash (Avis 2000;
//! Avis, Rosenberg, Savani & von Stengel 2010).
//!
//! The right-hand side is perturbed lexicographically, 1 + (ε, ε², …), which
//! makes the polytope simple without moving its vertices by more than ε:
//! every vertex of the original polytope is the limit of at least one vertex
//! of the perturbed one, also in degenerate games. The perturbed vertices
//! are exactly the *lexico-feasible* bases, and entering any nonbasic
//! variable leads, through the lexicographic minimum-ratio test, to exactly
//! one neighbouring lexico-feasible basis. A depth-first walk over that
//! graph from the slack basis (the origin) therefore reaches every vertex,
//! visiting only lexico-feasible bases, never the exponentially many
//! degenerate bases a plain basis walk would meet. (lrs avoids even the
//! visited set by reverse search; here a hash set of basis bit masks is
//! small next to the tableaux.)
//!
//! Arithmetic is exact and fraction-free (integer pivoting, Bareiss-style:
//! every division by the previous pivot is exact). It runs in `i64` (small
//! games: native multiplication), is redone in `i128` if a product
//! overflows, and in `BigInt` if that overflows too.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::equilibria::Vertices;

/// Exact integers for the tableau: `i64` or `i128` (checked, `None` on
/// overflow) or `BigInt` (never fails).
pub(super) trait Exact: Clone + Ord {
    fn from_bigint(v: &BigInt) -> Option<Self>;
    fn from_i64(v: i64) -> Self;
    fn zero() -> Self;
    fn one() -> Self;
    fn mul(&self, o: &Self) -> Option<Self>;
    fn sub(&self, o: &Self) -> Option<Self>;
    fn add(&self, o: &Self) -> Option<Self>;
    /// Exact division (the remainder is zero in integer pivoting).
    fn div_exact(&self, o: &Self) -> Option<Self>;
    fn to_bigint(&self) -> BigInt;
    fn signum_i(&self) -> i8;
    fn gcd(&self, o: &Self) -> Self;
}

impl Exact for i64 {
    fn from_bigint(v: &BigInt) -> Option<Self> {
        v.to_i64()
    }
    fn from_i64(v: i64) -> Self {
        v
    }
    fn zero() -> Self {
        0
    }
    fn one() -> Self {
        1
    }
    fn mul(&self, o: &Self) -> Option<Self> {
        self.checked_mul(*o)
    }
    fn sub(&self, o: &Self) -> Option<Self> {
        self.checked_sub(*o)
    }
    fn add(&self, o: &Self) -> Option<Self> {
        self.checked_add(*o)
    }
    fn div_exact(&self, o: &Self) -> Option<Self> {
        if *o == 0 || self % o != 0 {
            return None;
        }
        self.checked_div(*o)
    }
    fn to_bigint(&self) -> BigInt {
        BigInt::from(*self)
    }
    fn signum_i(&self) -> i8 {
        self.signum() as i8
    }
    fn gcd(&self, o: &Self) -> Self {
        let (mut a, mut b) = (self.unsigned_abs(), o.unsigned_abs());
        while b != 0 {
            (a, b) = (b, a % b);
        }
        // Both inputs are non-negative here (coordinates and determinant).
        a as i64
    }
}

impl Exact for i128 {
    fn from_bigint(v: &BigInt) -> Option<Self> {
        v.to_i64().map(i128::from)
    }
    fn from_i64(v: i64) -> Self {
        i128::from(v)
    }
    fn zero() -> Self {
        0
    }
    fn one() -> Self {
        1
    }
    fn mul(&self, o: &Self) -> Option<Self> {
        self.checked_mul(*o)
    }
    fn sub(&self, o: &Self) -> Option<Self> {
        self.checked_sub(*o)
    }
    fn add(&self, o: &Self) -> Option<Self> {
        self.checked_add(*o)
    }
    fn div_exact(&self, o: &Self) -> Option<Self> {
        // 128-bit division is a slow library call; most values fit in 64 bits.
        if let (Ok(a), Ok(b)) = (i64::try_from(*self), i64::try_from(*o)) {
            if b == 0 || a % b != 0 {
                return None;
            }
            return a.checked_div(b).map(i128::from);
        }
        if *o == 0 || self % o != 0 {
            return None;
        }
        self.checked_div(*o)
    }
    fn to_bigint(&self) -> BigInt {
        BigInt::from(*self)
    }
    fn signum_i(&self) -> i8 {
        self.signum() as i8
    }
    fn gcd(&self, o: &Self) -> Self {
        let (mut a, mut b) = (self.unsigned_abs(), o.unsigned_abs());
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a as i128
    }
}

impl Exact for BigInt {
    fn from_bigint(v: &BigInt) -> Option<Self> {
        Some(v.clone())
    }
    fn from_i64(v: i64) -> Self {
        BigInt::from(v)
    }
    fn zero() -> Self {
        <BigInt as Zero>::zero()
    }
    fn one() -> Self {
        <BigInt as One>::one()
    }
    fn mul(&self, o: &Self) -> Option<Self> {
        Some(self * o)
    }
    fn sub(&self, o: &Self) -> Option<Self> {
        Some(self - o)
    }
    fn add(&self, o: &Self) -> Option<Self> {
        Some(self + o)
    }
    fn div_exact(&self, o: &Self) -> Option<Self> {
        if o.is_zero() {
            return None;
        }
        let (q, r) = self.div_rem(o);
        if r.is_zero() { Some(q) } else { None }
    }
    fn to_bigint(&self) -> BigInt {
        self.clone()
    }
    fn signum_i(&self) -> i8 {
        if self.is_positive() {
            1
        } else if self.is_negative() {
            -1
        } else {
            0
        }
    }
    fn gcd(&self, o: &Self) -> Self {
        Integer::gcd(self, o)
    }
}

/// A fast multiplicative hasher (the Fx hash of rustc) for basis masks and
/// vertex keys: no adversary chooses them, and SipHash took a fifth of the
/// run time on small games.
#[derive(Default)]
pub(super) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(super) type FxBuild = BuildHasherDefault<FxHasher>;

/// A set of bit masks (bases, vertex label sets): a short list scanned
/// linearly while small (most games walk a few dozen bases, and a hash
/// table's allocation and rehashing cost more than the scan), a hash set
/// beyond that.
#[derive(Default)]
struct MaskSet {
    few: Vec<u64>,
    many: HashSet<u64, FxBuild>,
}

impl MaskSet {
    const FEW: usize = 32;

    fn contains(&self, mask: u64) -> bool {
        if self.many.is_empty() { self.few.contains(&mask) } else { self.many.contains(&mask) }
    }

    /// True if `mask` was not in the set.
    fn insert(&mut self, mask: u64) -> bool {
        if !self.many.is_empty() {
            return self.many.insert(mask);
        }
        if self.few.contains(&mask) {
            return false;
        }
        if self.few.len() < Self::FEW {
            self.few.push(mask);
        } else {
            self.many.extend(self.few.drain(..));
            self.many.insert(mask);
        }
        true
    }
}

/// Why the walk stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WalkError {
    /// More lexico-feasible bases than the work budget allows.
    Budget,
    /// A fixed-size product overflowed (retry in a wider type).
    Overflow,
}

/// A positive integer constraint matrix, one row per constraint: in `i64`
/// when every entry fits (integer payoffs: no `BigInt` is built at all).
pub(super) enum Constraints {
    Small(Vec<Vec<i64>>),
    Big(Vec<Vec<BigInt>>),
}

impl Constraints {
    fn rows(&self) -> usize {
        match self {
            Constraints::Small(c) => c.len(),
            Constraints::Big(c) => c.len(),
        }
    }
    /// Row `r` in the tableau's integer type, `None` if it does not fit.
    fn push_row<T: Exact>(&self, r: usize, out: &mut Vec<T>) -> Option<()> {
        match self {
            Constraints::Small(c) => out.extend(c[r].iter().map(|&v| T::from_i64(v))),
            Constraints::Big(c) => {
                for v in &c[r] {
                    out.push(T::from_bigint(v)?);
                }
            }
        }
        Some(())
    }
}

/// All vertices except the origin of { z ∈ ℝᵈ : z ≥ 0, C z ≤ 1 }, C a
/// positive integer matrix (one row per constraint, `dim` columns), visiting
/// at most `budget` bases. The same vertices as the exhaustive enumeration,
/// in the order found; exact coordinates are built on request.
pub(super) fn vertices(c: &Constraints, dim: usize, budget: u64) -> Result<(Box<dyn Vertices>, u64), WalkError> {
    fn boxed<T: Exact + 'static>(r: (Found<T>, u64)) -> (Box<dyn Vertices>, u64) {
        (Box::new(r.0), r.1)
    }
    match walk::<i64>(c, dim, budget) {
        Err(WalkError::Overflow) => {}
        other => return other.map(boxed),
    }
    match walk::<i128>(c, dim, budget) {
        Err(WalkError::Overflow) => {}
        other => return other.map(boxed),
    }
    walk::<BigInt>(c, dim, budget).map(boxed)
}

/// A fraction-free tableau D·B⁻¹ [C | I | 1], stored row after row in one
/// flat vector of `width` = `dim + k + 1` entries per row: the coefficients
/// of all variables, then the right-hand side. `basic[r]` is the variable
/// basic in row `r`, `basic_mask` the same set as bits; `det` is D > 0.
#[derive(Clone)]
struct Tableau<T> {
    cells: Vec<T>,
    width: usize,
    basic: Vec<usize>,
    basic_mask: u64,
    det: T,
}

impl<T> Tableau<T> {
    fn at(&self, r: usize, c: usize) -> &T {
        &self.cells[r * self.width + c]
    }
}

fn walk<T: Exact>(c: &Constraints, dim: usize, budget: u64) -> Result<(Found<T>, u64), WalkError> {
    let k = c.rows();
    let width = dim + k + 1;
    let mut cells = Vec::with_capacity(k * width);
    for r in 0..k {
        c.push_row(r, &mut cells).ok_or(WalkError::Overflow)?;
        for s in 0..k {
            cells.push(if s == r { T::one() } else { T::zero() });
        }
        cells.push(T::one());
    }
    let basic: Vec<usize> = (dim..dim + k).collect();
    let basic_mask = basic.iter().fold(0u64, |m, &v| m | (1u64 << v));
    let start = Tableau { cells, width, basic, basic_mask, det: T::one() };

    let mut seen = MaskSet::default();
    seen.insert(start.basic_mask);
    let mut found = Found::default();
    found.record(&start, dim, k);
    let mut visited: u64 = 1;
    // Tableaux popped off the stack, reused so the walk allocates only
    // while the stack grows.
    let mut spare: Vec<Tableau<T>> = Vec::new();
    // Depth-first, the tableau of each basis on the stack beside the next
    // entering variable to try.
    let mut stack: Vec<(Tableau<T>, usize)> = vec![(start, 0)];
    while let Some((tab, next)) = stack.last_mut() {
        // Next nonbasic variable at or after `next`.
        let nonbasic = (*next..dim + k).find(|&v| tab.basic_mask & (1u64 << v) == 0);
        let Some(enter) = nonbasic else {
            if let Some((tab, _)) = stack.pop() {
                spare.push(tab);
            }
            continue;
        };
        *next = enter + 1;
        let Some(leave_row) = lex_min_ratio(tab, enter, dim, k)? else { continue };
        let mask = tab.basic_mask & !(1u64 << tab.basic[leave_row]) | (1u64 << enter);
        if !seen.insert(mask) {
            continue;
        }
        visited += 1;
        if visited > budget {
            return Err(WalkError::Budget);
        }
        let mut child = spare.pop().unwrap_or_else(|| tab.clone());
        pivot(tab, leave_row, enter, &mut child)?;
        found.record(&child, dim, k);
        stack.push((child, 0));
    }
    Ok((found, visited))
}

/// The leaving row for `enter`: among rows with a positive entry in its
/// column, the lexicographically smallest (rhs, B⁻¹ row) / entry. `None`
/// when no entry is positive (cannot happen in a bounded polytope).
fn lex_min_ratio<T: Exact>(tab: &Tableau<T>, enter: usize, dim: usize, k: usize) -> Result<Option<usize>, WalkError> {
    let rhs = dim + k;
    let mut best: Option<usize> = None;
    for r in 0..k {
        if tab.at(r, enter).signum_i() <= 0 {
            continue;
        }
        let Some(b) = best else {
            best = Some(r);
            continue;
        };
        // Compare row r against row b: v(r)/a(r) < v(b)/a(b)  ⇔  v(r)·a(b) < v(b)·a(r).
        let (ar, ab) = (tab.at(r, enter), tab.at(b, enter));
        let columns = std::iter::once(rhs).chain(dim..dim + k);
        let mut order = Ordering::Equal;
        for col in columns {
            let left = tab.at(r, col).mul(ab).ok_or(WalkError::Overflow)?;
            let right = tab.at(b, col).mul(ar).ok_or(WalkError::Overflow)?;
            order = left.cmp(&right);
            if order != Ordering::Equal {
                break;
            }
        }
        if order == Ordering::Less {
            best = Some(r);
        }
    }
    Ok(best)
}

/// Integer pivot on (row p, column e) of `tab`, written into `out` (whose
/// buffers are reused): the new determinant is the pivot entry, every other
/// row becomes (a·pivot − a_e·row_p) / old determinant.
fn pivot<T: Exact>(tab: &Tableau<T>, p: usize, e: usize, out: &mut Tableau<T>) -> Result<(), WalkError> {
    let width = tab.width;
    let piv = tab.at(p, e).clone();
    let pivot_row = &tab.cells[p * width..(p + 1) * width];
    out.cells.clear();
    for (r, row) in tab.cells.chunks_exact(width).enumerate() {
        if r == p {
            out.cells.extend_from_slice(row);
            continue;
        }
        let factor = &row[e];
        let zero_factor = factor.signum_i() == 0;
        for (v, pv) in row.iter().zip(pivot_row) {
            let value = if zero_factor {
                v.mul(&piv).ok_or(WalkError::Overflow)?
            } else {
                v.mul(&piv).and_then(|x| factor.mul(pv).and_then(|y| x.sub(&y))).ok_or(WalkError::Overflow)?
            };
            out.cells.push(value.div_exact(&tab.det).ok_or(WalkError::Overflow)?);
        }
    }
    out.width = width;
    out.basic.clone_from(&tab.basic);
    out.basic_mask = tab.basic_mask & !(1u64 << tab.basic[p]) | (1u64 << e);
    out.basic[p] = e;
    // The pivot entry is positive (ratio test), so the determinant stays so.
    debug_assert!(piv.signum_i() > 0);
    out.det = piv;
    Ok(())
}

/// The vertices found so far, each with its labels and its coordinates
/// over a common denominator, (z₁·D, …, z_d·D, D). A vertex is the only
/// point where its tight inequalities hold, so its label set (coordinates
/// at zero, tight constraints) identifies it: a vertex met at several
/// (degenerate) bases is recognised by one `u64`, and its rational
/// coordinates are built only if the analysis asks.
struct Found<T> {
    known: MaskSet,
    /// Vertex i's (z·D, D) at `keys[i * stride..(i + 1) * stride]`.
    keys: Vec<T>,
    stride: usize,
    labels: Vec<(u64, u64)>,
}

impl<T> Default for Found<T> {
    fn default() -> Self {
        Found { known: MaskSet::default(), keys: Vec::new(), stride: 0, labels: Vec::new() }
    }
}

impl<T> Found<T> {
    fn key(&self, i: usize) -> &[T] {
        &self.keys[i * self.stride..(i + 1) * self.stride]
    }
}

impl<T: Exact> Found<T> {
    /// Adds the vertex of a basis (unless it is the origin or known) with
    /// its labels: coordinates at zero and tight constraints.
    fn record(&mut self, tab: &Tableau<T>, dim: usize, k: usize) {
        let rhs = dim + k;
        // Every variable is zero unless it is basic with a positive value.
        let mut nonzero = 0u64;
        for (r, &v) in tab.basic.iter().enumerate() {
            if tab.at(r, rhs).signum_i() > 0 {
                nonzero |= 1u64 << v;
            }
        }
        if nonzero & ((1u64 << dim) - 1) == 0 {
            return; // the origin
        }
        let all = if rhs == 64 { u64::MAX } else { (1u64 << rhs) - 1 };
        let label_set = !nonzero & all;
        if self.known.contains(label_set) {
            return;
        }
        self.stride = dim + 1;
        let start = self.keys.len();
        self.keys.resize(start + dim + 1, T::zero());
        for (r, &v) in tab.basic.iter().enumerate() {
            if v < dim {
                self.keys[start + v] = tab.at(r, rhs).clone();
            }
        }
        self.keys[start + dim] = tab.det.clone();
        let zero_vars = label_set & ((1u64 << dim) - 1);
        let tight = (label_set >> dim) & ((1u64 << k) - 1);
        self.known.insert(label_set);
        self.labels.push((zero_vars, tight));
    }
}

impl<T: Exact> Vertices for Found<T> {
    fn count(&self) -> usize {
        self.labels.len()
    }
    fn labels(&self, i: usize) -> (u64, u64) {
        self.labels[i]
    }
    fn coords(&self, i: usize) -> Vec<BigRational> {
        let key = self.key(i);
        let (num, den) = key.split_at(key.len() - 1);
        let den = den[0].to_bigint();
        num.iter().map(|v| BigRational::new(v.to_bigint(), den.clone())).collect()
    }
    /// z / Σz: each entry reduced by one gcd in the tableau's integer type
    /// (the common denominator cancels), so no `BigInt` gcd is needed.
    fn strategy(&self, i: usize) -> Vec<BigRational> {
        let key = self.key(i);
        let num = &key[..key.len() - 1];
        let total = num.iter().try_fold(T::zero(), |acc, v| acc.add(v));
        let Some(total) = total else {
            return super::equilibria::normalise(&self.coords(i));
        };
        num.iter()
            .map(|v| {
                let g = v.gcd(&total);
                let (n, d) = (v.div_exact(&g).expect("gcd divides"), total.div_exact(&g).expect("gcd divides"));
                BigRational::new_raw(n.to_bigint(), d.to_bigint())
            })
            .collect()
    }
    /// Coordinates compared as z·D / D by cross-multiplication.
    fn cmp_coords(&self, i: usize, j: usize) -> Ordering {
        let (a, b) = (self.key(i), self.key(j));
        let d = a.len() - 1;
        for c in 0..d {
            let order = match (a[c].mul(&b[d]), b[c].mul(&a[d])) {
                (Some(x), Some(y)) => x.cmp(&y),
                _ => (a[c].to_bigint() * b[d].to_bigint()).cmp(&(b[c].to_bigint() * a[d].to_bigint())),
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vertex's labels, coordinates and mixed strategy.
    type Seen = ((u64, u64), Vec<BigRational>, Vec<BigRational>);

    /// Everything a walk found, comparable across integer types.
    fn summary<T: Exact>(found: &Found<T>) -> Vec<Seen> {
        (0..found.count()).map(|i| (found.labels(i), found.coords(i), found.strategy(i))).collect()
    }

    #[test]
    fn each_integer_type_takes_over_when_the_narrower_one_overflows() {
        // Entries near 10⁵: 3×3 determinants reach about 10¹⁵, their
        // products overflow i64 but not i128; near 10¹² they overflow i128.
        let matrix = |scale: i64| {
            let base = [[3i64, 7, 2], [5, 1, 6], [4, 8, 9]];
            base.iter().map(|r| r.iter().map(|&v| v * scale + 1).collect()).collect::<Vec<Vec<i64>>>()
        };
        let medium = Constraints::Small(matrix(100_000));
        assert_eq!(walk::<i64>(&medium, 3, 1000).err(), Some(WalkError::Overflow));
        let (narrow, visited) = walk::<i128>(&medium, 3, 1000).expect("fits in i128");
        let (wide, wide_visited) = walk::<BigInt>(&medium, 3, 1000).unwrap();
        assert_eq!(summary(&narrow), summary(&wide));
        assert_eq!(visited, wide_visited);

        let large = Constraints::Small(matrix(1_000_000_000_000));
        assert_eq!(walk::<i128>(&large, 3, 1000).err(), Some(WalkError::Overflow));
        let (huge, _) = walk::<BigInt>(&large, 3, 1000).unwrap();
        let (through_vertices, _) = vertices(&large, 3, 1000).unwrap();
        let all = |v: &dyn Vertices| (0..v.count()).map(|i| (v.labels(i), v.coords(i))).collect::<Vec<_>>();
        assert_eq!(all(through_vertices.as_ref()), all(&huge));

        let small = Constraints::Small(matrix(1));
        let (fast, _) = walk::<i64>(&small, 3, 1000).unwrap();
        let (slow, _) = walk::<BigInt>(&small, 3, 1000).unwrap();
        assert_eq!(summary(&fast), summary(&slow));
        assert!(fast.count() >= 3, "a 3-dimensional polytope has at least 3 vertices besides the origin");
    }

    #[test]
    fn mask_set_is_a_set_before_and_after_it_grows() {
        let mut set = MaskSet::default();
        for v in 0..100u64 {
            assert!(set.insert(v * 7), "{v}");
            assert!(!set.insert(v * 7), "{v} again");
            assert!(set.contains(v * 7) && !set.contains(v * 7 + 1));
        }
        assert!((0..100u64).all(|v| set.contains(v * 7)));
        assert_eq!(set.many.len(), 100);
    }

    #[test]
    fn coordinate_order_and_strategies_match_the_rational_ones() {
        let c = Constraints::Small(vec![vec![2, 5, 1], vec![4, 1, 3], vec![1, 2, 6], vec![3, 3, 3]]);
        let (found, _) = walk::<i64>(&c, 3, 1000).unwrap();
        for i in 0..found.count() {
            for j in 0..found.count() {
                assert_eq!(found.cmp_coords(i, j), found.coords(i).cmp(&found.coords(j)), "{i} {j}");
            }
            assert_eq!(found.strategy(i), super::super::equilibria::normalise(&found.coords(i)));
        }
    }
}
