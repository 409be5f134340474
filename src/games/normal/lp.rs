//! Exact solution of zero-sum matrix games by an exact rational simplex.
//!
//! Security levels (maxmin over mixed strategies) and domination by a mixed
//! strategy are both "value of a zero-sum game" questions, so this one small
//! LP solver serves both. It works in `BigRational` throughout, so the sign
//! of a value (is a strategy dominated or not?) is decided exactly.

use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

/// Optimal play of the zero-sum game in which the row player receives
/// `matrix[i][j]` and maximises while the column player minimises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixGameSolution {
    /// The value of the game: what the row player can guarantee.
    pub value: BigRational,
    /// An optimal (maxmin) mixed strategy for the row player.
    pub row_strategy: Vec<BigRational>,
    /// An optimal (minmax) mixed strategy for the column player.
    pub column_strategy: Vec<BigRational>,
}

/// Solves a zero-sum matrix game exactly. Returns `None` for an empty matrix
/// or a ragged one (no rows, no columns, or rows of different lengths).
///
/// Method: shift the matrix so every entry is at least 1 (this adds a
/// constant to the value and changes no optimal strategy), then solve
/// `max Σ yⱼ  s.t.  M y ≤ 1, y ≥ 0` by the simplex method with Bland's rule
/// (which cannot cycle, so the loop terminates even on degenerate games).
/// The origin is feasible, so no phase 1 is needed. The optimal y scaled to
/// sum 1 is the column player's minmax strategy; the dual prices of the
/// constraints, read off the objective row, scaled the same way are the row
/// player's maxmin strategy, and the value is 1/Σy minus the shift.
pub fn solve_matrix_game(matrix: &[Vec<BigRational>]) -> Option<MatrixGameSolution> {
    let rows = matrix.len();
    let cols = matrix.first()?.len();
    if cols == 0 || matrix.iter().any(|r| r.len() != cols) {
        return None;
    }
    let min = matrix.iter().flatten().min()?.clone();
    // M' = M - min + 1 ≥ 1 > 0 makes the LP bounded and the value positive.
    let shift = BigRational::one() - &min;

    let width = cols + rows; // structural variables y, then one slack per row
    // tableau[i] = constraint row i: coefficients (width) followed by rhs.
    let mut tableau: Vec<Vec<BigRational>> = matrix
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut t: Vec<BigRational> = r.iter().map(|v| v + &shift).collect();
            t.extend((0..rows).map(|k| if k == i { BigRational::one() } else { BigRational::zero() }));
            t.push(BigRational::one());
            t
        })
        .collect();
    // Objective row z − Σ y = 0, stored as reduced costs; last entry is z.
    let mut objective: Vec<BigRational> =
        (0..=width).map(|k| if k < cols { -BigRational::one() } else { BigRational::zero() }).collect();
    let mut basis: Vec<usize> = (cols..cols + rows).collect();

    // Bland's rule: the lowest-index improving column enters; among rows
    // tied in the ratio test the lowest-index basic variable leaves.
    while let Some(enter) = (0..width).find(|&k| objective[k].is_negative()) {
        let mut leave: Option<(usize, BigRational)> = None;
        for (i, row) in tableau.iter().enumerate() {
            if !row[enter].is_positive() {
                continue;
            }
            let ratio = &row[width] / &row[enter];
            let better = match &leave {
                None => true,
                Some((li, lr)) => ratio < *lr || (ratio == *lr && basis[i] < basis[*li]),
            };
            if better {
                leave = Some((i, ratio));
            }
        }
        // Every column of M' is positive, so some row always bounds the
        // entering variable; a missing pivot would mean an unbounded LP,
        // impossible here.
        let (pr, _) = leave?;
        pivot(&mut tableau, &mut objective, pr, enter);
        basis[pr] = enter;
    }

    let total = objective[width].clone(); // = Σ y = Σ x at the optimum
    if !total.is_positive() {
        return None;
    }
    let mut y = vec![BigRational::zero(); cols];
    for (i, &b) in basis.iter().enumerate() {
        if b < cols {
            y[b] = tableau[i][width].clone();
        }
    }
    let x: Vec<BigRational> = (0..rows).map(|i| &objective[cols + i] / &total).collect();
    let y: Vec<BigRational> = y.into_iter().map(|v| v / &total).collect();
    Some(MatrixGameSolution { value: total.recip() - shift, row_strategy: x, column_strategy: y })
}

fn pivot(tableau: &mut [Vec<BigRational>], objective: &mut [BigRational], pr: usize, pc: usize) {
    let p = tableau[pr][pc].clone();
    for v in tableau[pr].iter_mut() {
        *v /= &p;
    }
    let pivot_row = tableau[pr].clone();
    for (i, row) in tableau.iter_mut().enumerate() {
        if i == pr || row[pc].is_zero() {
            continue;
        }
        let f = row[pc].clone();
        for (v, pv) in row.iter_mut().zip(&pivot_row) {
            *v -= &f * pv;
        }
    }
    if !objective[pc].is_zero() {
        let f = objective[pc].clone();
        for (v, pv) in objective.iter_mut().zip(&pivot_row) {
            *v -= &f * pv;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::tests::q;
    use super::*;

    fn int_matrix(rows: &[&[i64]]) -> Vec<Vec<BigRational>> {
        rows.iter().map(|r| r.iter().map(|&v| q(v, 1)).collect()).collect()
    }

    /// The returned strategies must guarantee the value from both sides.
    fn check_optimal(m: &[Vec<BigRational>], s: &MatrixGameSolution) {
        let cols = m[0].len();
        for j in 0..cols {
            let guaranteed: BigRational = m.iter().zip(&s.row_strategy).map(|(r, x)| &r[j] * x).sum();
            assert!(guaranteed >= s.value, "row strategy does not guarantee the value");
        }
        for row in m {
            let conceded: BigRational = row.iter().zip(&s.column_strategy).map(|(a, y)| a * y).sum();
            assert!(conceded <= s.value, "column strategy concedes more than the value");
        }
        let one = BigRational::one();
        assert_eq!(s.row_strategy.iter().sum::<BigRational>(), one);
        assert_eq!(s.column_strategy.iter().sum::<BigRational>(), one);
    }

    #[test]
    fn matching_pennies_value_zero() {
        let m = int_matrix(&[&[1, -1], &[-1, 1]]);
        let s = solve_matrix_game(&m).unwrap();
        assert_eq!(s.value, q(0, 1));
        assert_eq!(s.row_strategy, vec![q(1, 2), q(1, 2)]);
        check_optimal(&m, &s);
    }

    #[test]
    fn rock_paper_scissors_and_saddle_point() {
        let rps = int_matrix(&[&[0, -1, 1], &[1, 0, -1], &[-1, 1, 0]]);
        let s = solve_matrix_game(&rps).unwrap();
        assert_eq!(s.value, q(0, 1));
        assert_eq!(s.row_strategy, vec![q(1, 3); 3]);
        check_optimal(&rps, &s);

        let saddle = int_matrix(&[&[3, 1, 4], &[2, 0, -1]]);
        let s = solve_matrix_game(&saddle).unwrap();
        assert_eq!(s.value, q(1, 1));
        check_optimal(&saddle, &s);
    }

    #[test]
    fn degenerate_and_fractional_games() {
        let m = int_matrix(&[&[2, -1], &[-1, 1], &[0, 0]]);
        let s = solve_matrix_game(&m).unwrap();
        assert_eq!(s.value, q(1, 5));
        check_optimal(&m, &s);
        let flat = int_matrix(&[&[5, 5], &[5, 5]]);
        let s = solve_matrix_game(&flat).unwrap();
        assert_eq!(s.value, q(5, 1));
        check_optimal(&flat, &s);
        assert!(solve_matrix_game(&[]).is_none());
        assert!(solve_matrix_game(&[vec![]]).is_none());
    }
}
