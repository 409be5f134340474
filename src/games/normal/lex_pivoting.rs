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

use std::collections::{BTreeMap, HashSet};

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::equilibria::Vertex;

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
/// at most `budget` bases. Same output as the exhaustive enumeration.
pub(super) fn vertices(c: &[Vec<BigInt>], dim: usize, budget: u64) -> Result<(Vec<Vertex>, u64), WalkError> {
    match walk::<i128>(c, dim, budget) {
        Err(WalkError::Overflow) => walk::<BigInt>(c, dim, budget),
        other => other,
    }
}

/// A fraction-free tableau D·B⁻¹ [C | I | 1]: `rows[r]` holds the
/// coefficients of all `dim + k` variables and then the right-hand side;
/// `basic[r]` is the variable basic in row `r`; `det` is D > 0.
#[derive(Clone)]
struct Tableau<T> {
    rows: Vec<Vec<T>>,
    basic: Vec<usize>,
    det: T,
}

fn walk<T: Exact + std::hash::Hash>(
    c: &[Vec<BigInt>],
    dim: usize,
    budget: u64,
) -> Result<(Vec<Vertex>, u64), WalkError> {
    let k = c.len();
    let width = dim + k + 1;
    let mut rows = Vec::with_capacity(k);
    for (r, row) in c.iter().enumerate() {
        let mut t = Vec::with_capacity(width);
        for v in row {
            t.push(T::from_bigint(v).ok_or(WalkError::Overflow)?);
        }
        for s in 0..k {
            t.push(if s == r { T::one() } else { T::zero() });
        }
        t.push(T::one());
        rows.push(t);
    }
    let start = Tableau { rows, basic: (dim..dim + k).collect(), det: T::one() };
    let mask = |basic: &[usize]| basic.iter().fold(0u64, |m, &v| m | (1u64 << v));

    let mut seen: HashSet<u64> = HashSet::new();
    seen.insert(mask(&start.basic));
    let mut found: Found<T> = Found::new();
    record(&start, dim, k, &mut found);
    let mut visited: u64 = 1;
    // Depth-first, the tableau of each basis on the stack beside the next
    // entering variable to try.
    let mut stack: Vec<(Tableau<T>, usize)> = vec![(start, 0)];
    while let Some((tab, next)) = stack.last_mut() {
        // Next nonbasic variable at or after `next`.
        let nonbasic = (*next..dim + k).find(|v| !tab.basic.contains(v));
        let Some(enter) = nonbasic else {
            stack.pop();
            continue;
        };
        *next = enter + 1;
        let Some(leave_row) = lex_min_ratio(tab, enter, dim, k)? else { continue };
        let mut basic = tab.basic.clone();
        basic[leave_row] = enter;
        if !seen.insert(mask(&basic)) {
            continue;
        }
        visited += 1;
        if visited > budget {
            return Err(WalkError::Budget);
        }
        let child = pivot(tab, leave_row, enter)?;
        record(&child, dim, k, &mut found);
        stack.push((child, 0));
    }
    // Same order as the exhaustive enumeration: by coordinates.
    let sorted: BTreeMap<Vec<BigRational>, Vertex> = found.into_values().map(|v| (v.coords.clone(), v)).collect();
    Ok((sorted.into_values().collect(), visited))
}

/// The leaving row for `enter`: among rows with a positive entry in its
/// column, the lexicographically smallest (rhs, B⁻¹ row) / entry. `None`
/// when no entry is positive (cannot happen in a bounded polytope).
fn lex_min_ratio<T: Exact>(tab: &Tableau<T>, enter: usize, dim: usize, k: usize) -> Result<Option<usize>, WalkError> {
    let rhs = dim + k;
    let mut best: Option<usize> = None;
    for r in 0..tab.rows.len() {
        if tab.rows[r][enter].signum_i() <= 0 {
            continue;
        }
        let Some(b) = best else {
            best = Some(r);
            continue;
        };
        // Compare row r against row b: v(r)/a(r) < v(b)/a(b)  ⇔  v(r)·a(b) < v(b)·a(r).
        let (ar, ab) = (&tab.rows[r][enter], &tab.rows[b][enter]);
        let columns = std::iter::once(rhs).chain(dim..dim + k);
        let mut order = std::cmp::Ordering::Equal;
        for col in columns {
            let left = tab.rows[r][col].mul(ab).ok_or(WalkError::Overflow)?;
            let right = tab.rows[b][col].mul(ar).ok_or(WalkError::Overflow)?;
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
    let piv = tab.rows[p][e].clone();
    let mut rows = Vec::with_capacity(tab.rows.len());
    for (r, row) in tab.rows.iter().enumerate() {
        if r == p {
            rows.push(row.clone());
            continue;
        }
        let factor = &row[e];
        let mut out = Vec::with_capacity(row.len());
        for (c, v) in row.iter().enumerate() {
            let value = if factor.signum_i() == 0 {
                v.mul(&piv).ok_or(WalkError::Overflow)?
            } else {
                v.mul(&piv)
                    .and_then(|x| factor.mul(&tab.rows[p][c]).and_then(|y| x.sub(&y)))
                    .ok_or(WalkError::Overflow)?
            };
            out.push(value.div_exact(&tab.det).ok_or(WalkError::Overflow)?);
        }
        rows.push(out);
    }
    let mut basic = tab.basic.clone();
    basic[p] = e;
    // The pivot entry is positive (ratio test), so the determinant stays so.
    debug_assert!(piv.signum_i() > 0);
    Ok(Tableau { rows, basic, det: piv })
}

/// Vertices found so far, keyed by their coordinates as integers over a
/// common denominator, all divided by their gcd: a canonical form that is
/// cheap to compute, so the exact rational vertex is built only once per
/// vertex, not once per basis.
type Found<T> = std::collections::HashMap<Vec<T>, Vertex>;

/// Adds the vertex of a basis (unless it is the origin) with its labels:
/// coordinates at zero and tight constraints.
fn record<T: Exact + std::hash::Hash>(tab: &Tableau<T>, dim: usize, k: usize, found: &mut Found<T>) {
    let rhs = dim + k;
    // Every variable is zero unless it is basic with a positive value.
    let mut nonzero = 0u64;
    let mut key = vec![T::zero(); dim + 1];
    for (r, &v) in tab.basic.iter().enumerate() {
        let value = &tab.rows[r][rhs];
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
    if found.contains_key(&key) {
        return;
    }
    let det = tab.det.to_bigint();
    let mut coords = vec![BigRational::zero(); dim];
    for (r, &v) in tab.basic.iter().enumerate() {
        if v < dim && tab.rows[r][rhs].signum_i() > 0 {
            coords[v] = BigRational::new(tab.rows[r][rhs].to_bigint(), det.clone());
        }
    }
    let zero_vars = !nonzero & ((1u64 << dim) - 1);
    let tight = (!nonzero >> dim) & ((1u64 << k) - 1);
    found.insert(key, Vertex { coords, zero_vars, tight });
}
