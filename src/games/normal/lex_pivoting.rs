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
//! every division by the previous pivot is exact). It runs in `i128` and is
//! redone in `BigInt` if a product ever overflows.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::equilibria::Vertices;

/// Exact integers for the tableau: `i128` (checked, `None` on overflow) or
/// `BigInt` (never fails).
pub(super) trait Exact: Clone + Ord {
    fn from_bigint(v: &BigInt) -> Option<Self>;
    fn zero() -> Self;
    fn one() -> Self;
    fn mul(&self, o: &Self) -> Option<Self>;
    fn sub(&self, o: &Self) -> Option<Self>;
    /// Exact division (the remainder is zero in integer pivoting).
    fn div_exact(&self, o: &Self) -> Option<Self>;
    fn to_bigint(&self) -> BigInt;
    fn signum_i(&self) -> i8;
    fn gcd(&self, o: &Self) -> Self;
}

impl Exact for i128 {
    fn from_bigint(v: &BigInt) -> Option<Self> {
        v.to_i64().map(i128::from)
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
struct FxHasher(u64);

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

type FxBuild = BuildHasherDefault<FxHasher>;

/// Why the walk stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WalkError {
    /// More lexico-feasible bases than the work budget allows.
    Budget,
    /// An `i128` product overflowed (retry in `BigInt`).
    Overflow,
}

/// All vertices except the origin of { z ∈ ℝᵈ : z ≥ 0, C z ≤ 1 }, C a
/// positive integer matrix (one row per constraint, `dim` columns), visiting
/// at most `budget` bases. The same vertices as the exhaustive enumeration,
/// in the order found; exact coordinates are built on request.
pub(super) fn vertices(c: &[Vec<BigInt>], dim: usize, budget: u64) -> Result<(Box<dyn Vertices>, u64), WalkError> {
    match walk::<i128>(c, dim, budget) {
        Ok((found, visited)) => Ok((Box::new(found), visited)),
        Err(WalkError::Overflow) => walk::<BigInt>(c, dim, budget).map(|(f, v)| (Box::new(f) as Box<dyn Vertices>, v)),
        Err(e) => Err(e),
    }
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

fn walk<T: Exact + std::hash::Hash>(c: &[Vec<BigInt>], dim: usize, budget: u64) -> Result<(Found<T>, u64), WalkError> {
    let k = c.len();
    let width = dim + k + 1;
    let mut cells = Vec::with_capacity(k * width);
    for (r, row) in c.iter().enumerate() {
        for v in row {
            cells.push(T::from_bigint(v).ok_or(WalkError::Overflow)?);
        }
        for s in 0..k {
            cells.push(if s == r { T::one() } else { T::zero() });
        }
        cells.push(T::one());
    }
    let basic: Vec<usize> = (dim..dim + k).collect();
    let basic_mask = basic.iter().fold(0u64, |m, &v| m | (1u64 << v));
    let start = Tableau { cells, width, basic, basic_mask, det: T::one() };

    let mut seen: HashSet<u64, FxBuild> = HashSet::default();
    seen.insert(start.basic_mask);
    let mut found = Found::default();
    found.record(&start, dim, k);
    let mut visited: u64 = 1;
    // Depth-first, the tableau of each basis on the stack beside the next
    // entering variable to try.
    let mut stack: Vec<(Tableau<T>, usize)> = vec![(start, 0)];
    while let Some((tab, next)) = stack.last_mut() {
        // Next nonbasic variable at or after `next`.
        let nonbasic = (*next..dim + k).find(|&v| tab.basic_mask & (1u64 << v) == 0);
        let Some(enter) = nonbasic else {
            stack.pop();
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
        let child = pivot(tab, leave_row, enter)?;
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
        let mut order = std::cmp::Ordering::Equal;
        for col in columns {
            let left = tab.at(r, col).mul(ab).ok_or(WalkError::Overflow)?;
            let right = tab.at(b, col).mul(ar).ok_or(WalkError::Overflow)?;
            order = left.cmp(&right);
            if order != std::cmp::Ordering::Equal {
                break;
            }
        }
        if order == std::cmp::Ordering::Less {
            best = Some(r);
        }
    }
    Ok(best)
}

/// Integer pivot on (row p, column e): the new determinant is the pivot
/// entry, every other row becomes (a·pivot − a_e·row_p) / old determinant.
fn pivot<T: Exact>(tab: &Tableau<T>, p: usize, e: usize) -> Result<Tableau<T>, WalkError> {
    let width = tab.width;
    let piv = tab.at(p, e).clone();
    let pivot_row = &tab.cells[p * width..(p + 1) * width];
    let mut cells = Vec::with_capacity(tab.cells.len());
    for (r, row) in tab.cells.chunks_exact(width).enumerate() {
        if r == p {
            cells.extend_from_slice(row);
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
            cells.push(value.div_exact(&tab.det).ok_or(WalkError::Overflow)?);
        }
    }
    let mut basic = tab.basic.clone();
    let basic_mask = tab.basic_mask & !(1u64 << basic[p]) | (1u64 << e);
    basic[p] = e;
    // The pivot entry is positive (ratio test), so the determinant stays so.
    debug_assert!(piv.signum_i() > 0);
    Ok(Tableau { cells, width, basic, basic_mask, det: piv })
}

/// The vertices found so far. Each is kept as its coordinates over a common
/// denominator, (z₁·D, …, z_d·D, D) divided by their gcd: a canonical key,
/// cheap to compute, so a vertex met at several (degenerate) bases is stored
/// once and its rational coordinates are built only if the analysis asks.
struct Found<T> {
    index: HashMap<Vec<T>, usize, FxBuild>,
    keys: Vec<Vec<T>>,
    labels: Vec<(u64, u64)>,
}

impl<T> Default for Found<T> {
    fn default() -> Self {
        Found { index: HashMap::default(), keys: Vec::new(), labels: Vec::new() }
    }
}

impl<T: Exact + std::hash::Hash> Found<T> {
    /// Adds the vertex of a basis (unless it is the origin or known) with
    /// its labels: coordinates at zero and tight constraints.
    fn record(&mut self, tab: &Tableau<T>, dim: usize, k: usize) {
        let rhs = dim + k;
        // Every variable is zero unless it is basic with a positive value.
        let mut nonzero = 0u64;
        let mut key = vec![T::zero(); dim + 1];
        for (r, &v) in tab.basic.iter().enumerate() {
            let value = tab.at(r, rhs);
            if value.signum_i() > 0 {
                nonzero |= 1u64 << v;
                if v < dim {
                    key[v] = value.clone();
                }
            }
        }
        if nonzero & ((1u64 << dim) - 1) == 0 {
            return; // the origin
        }
        key[dim] = tab.det.clone();
        let g = key.iter().fold(T::zero(), |g, v| g.gcd(v));
        for v in key.iter_mut() {
            *v = v.div_exact(&g).expect("gcd divides");
        }
        if self.index.contains_key(&key) {
            return;
        }
        let zero_vars = !nonzero & ((1u64 << dim) - 1);
        let tight = (!nonzero >> dim) & ((1u64 << k) - 1);
        self.index.insert(key.clone(), self.keys.len());
        self.keys.push(key);
        self.labels.push((zero_vars, tight));
    }
}

impl<T: Exact> Vertices for Found<T> {
    fn count(&self) -> usize {
        self.keys.len()
    }
    fn labels(&self, i: usize) -> (u64, u64) {
        self.labels[i]
    }
    fn coords(&self, i: usize) -> Vec<BigRational> {
        let key = &self.keys[i];
        let (num, den) = key.split_at(key.len() - 1);
        let den = den[0].to_bigint();
        num.iter().map(|v| BigRational::new(v.to_bigint(), den.clone())).collect()
    }
}
