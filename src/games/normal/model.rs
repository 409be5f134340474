//! The bimatrix game model shared by every analysis in this module, plus the
//! exact number parser used by both file readers.
//!
//! Payoffs are exact rationals (`BigRational`) so that equilibria, security
//! levels and dominance checks are decided exactly: a lecture example whose
//! answer is 1/3 must print 1/3, and a tie must be a tie, not `0.333…` against
//! `0.333…4`.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// Index of the row player (player 1 in Gambit's numbering).
pub const ROW: usize = 0;
/// Index of the column player (player 2 in Gambit's numbering).
pub const COLUMN: usize = 1;

/// Readers refuse games with more strategies than this per player. Exact
/// vertex enumeration is exponential in the number of strategies, and a
/// lecture game is rarely above 8×8; 20 leaves room for reduction by
/// dominance before enumeration.
pub const MAX_STRATEGIES: usize = 20;

/// The largest decimal exponent accepted in a number such as `1e300`. It keeps
/// a hostile file from making us build a gigantic integer.
const MAX_EXPONENT: u32 = 1000;

/// A two-player normal-form (bimatrix) game.
///
/// `payoffs[p][i][j]` is the payoff to player `p` (0 = row, 1 = column) when
/// the row player plays strategy `i` and the column player plays strategy `j`.
/// Construct it with [`Game::new`] (or a reader), which checks the shapes that
/// the analyses rely on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Game {
    pub title: String,
    pub players: [String; 2],
    pub strategies: [Vec<String>; 2],
    pub payoffs: [Vec<Vec<BigRational>>; 2],
}

/// Why a game is not well-formed. Readers turn these into their own errors
/// with a source span; programmatic callers get them from [`Game::new`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GameError {
    #[error("{player_name} has no strategies: give at least one strategy name for the {role} player")]
    NoStrategies { player: usize, player_name: String, role: &'static str },
    #[error(
        "{player_name} has {count} strategies, but brink supports at most {max} per player \
         (exact equilibrium enumeration grows exponentially); merge or drop strategies"
    )]
    TooManyStrategies { player: usize, player_name: String, count: usize, max: usize },
    #[error(
        "the payoff matrix of {player_name} has the wrong shape: expected {expected_rows}×{expected_cols} \
         (one row per row-player strategy, one entry per column-player strategy), found {found}"
    )]
    BadShape { player: usize, player_name: String, expected_rows: usize, expected_cols: usize, found: String },
}

/// Role names used in messages, indexed by player.
pub(super) const ROLES: [&str; 2] = ["row", "column"];

impl Game {
    /// Builds a game and checks it (see [`Game::validate`]).
    pub fn new(
        title: impl Into<String>,
        players: [String; 2],
        strategies: [Vec<String>; 2],
        payoffs: [Vec<Vec<BigRational>>; 2],
    ) -> Result<Self, GameError> {
        let game = Game { title: title.into(), players, strategies, payoffs };
        game.validate()?;
        Ok(game)
    }

    /// Convenience constructor for integer payoffs (tests, built-in examples).
    pub fn from_integers(
        title: &str,
        players: [&str; 2],
        strategies: [&[&str]; 2],
        row_payoffs: &[&[i64]],
        column_payoffs: &[&[i64]],
    ) -> Result<Self, GameError> {
        let to_matrix = |rows: &[&[i64]]| -> Vec<Vec<BigRational>> {
            rows.iter().map(|r| r.iter().map(|&v| BigRational::from_integer(v.into())).collect()).collect()
        };
        let names = |s: &[&str]| s.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        Game::new(
            title,
            [players[0].to_string(), players[1].to_string()],
            [names(strategies[0]), names(strategies[1])],
            [to_matrix(row_payoffs), to_matrix(column_payoffs)],
        )
    }

    /// Checks that both players have between 1 and [`MAX_STRATEGIES`]
    /// strategies and that both payoff matrices are rows × columns.
    pub fn validate(&self) -> Result<(), GameError> {
        for p in [ROW, COLUMN] {
            let count = self.strategies[p].len();
            if count == 0 {
                return Err(GameError::NoStrategies {
                    player: p,
                    player_name: self.players[p].clone(),
                    role: ROLES[p],
                });
            }
            if count > MAX_STRATEGIES {
                return Err(GameError::TooManyStrategies {
                    player: p,
                    player_name: self.players[p].clone(),
                    count,
                    max: MAX_STRATEGIES,
                });
            }
        }
        let (rows, cols) = self.shape();
        for p in [ROW, COLUMN] {
            let matrix = &self.payoffs[p];
            let ragged = matrix.iter().any(|r| r.len() != cols);
            if matrix.len() != rows || ragged {
                let lens: Vec<String> = matrix.iter().map(|r| r.len().to_string()).collect();
                return Err(GameError::BadShape {
                    player: p,
                    player_name: self.players[p].clone(),
                    expected_rows: rows,
                    expected_cols: cols,
                    found: format!("{} rows with lengths [{}]", matrix.len(), lens.join(", ")),
                });
            }
        }
        Ok(())
    }

    /// (number of row strategies, number of column strategies).
    pub fn shape(&self) -> (usize, usize) {
        (self.strategies[ROW].len(), self.strategies[COLUMN].len())
    }

    /// The payoff to `player` at the pure profile (`row`, `column`).
    pub fn payoff(&self, player: usize, row: usize, column: usize) -> &BigRational {
        &self.payoffs[player][row][column]
    }

    /// Payoff of each pure row strategy against the column mixed strategy `y`.
    pub fn row_payoffs_against(&self, y: &[BigRational]) -> Vec<BigRational> {
        self.payoffs[ROW].iter().map(|r| dot(r.iter(), y.iter())).collect()
    }

    /// Payoff of each pure column strategy against the row mixed strategy `x`.
    pub fn column_payoffs_against(&self, x: &[BigRational]) -> Vec<BigRational> {
        let (_, cols) = self.shape();
        (0..cols).map(|j| dot(self.payoffs[COLUMN].iter().map(|r| &r[j]), x.iter())).collect()
    }

    /// Expected payoffs `[x·A·y, x·B·y]` of the mixed profile (`x`, `y`).
    pub fn expected_payoffs(&self, x: &[BigRational], y: &[BigRational]) -> [BigRational; 2] {
        self.expected_payoffs_small(x, y).unwrap_or_else(|| self.expected_payoffs_big(x, y))
    }

    /// [`Game::expected_payoffs`] in `BigInt`/`BigRational`, for any size.
    fn expected_payoffs_big(&self, x: &[BigRational], y: &[BigRational]) -> [BigRational; 2] {
        // Only the supports contribute. With the probabilities over common
        // denominators and integer payoffs (the usual case) the sum is
        // taken in integers and reduced once, not after every product.
        let (m, n) = self.shape();
        let (rows, x_num, x_den) = over_common_denominator(x, m);
        let (cols, y_num, y_den) = over_common_denominator(y, n);
        let integral = rows.iter().all(|&i| cols.iter().all(|&j| self.payoffs.iter().all(|p| p[i][j].is_integer())));
        let mut out = [BigRational::zero(), BigRational::zero()];
        for (player, total) in out.iter_mut().enumerate() {
            let matrix = &self.payoffs[player];
            if integral {
                let mut sum = BigInt::zero();
                for (&i, xi) in rows.iter().zip(&x_num) {
                    let inner: BigInt = cols.iter().zip(&y_num).map(|(&j, yj)| matrix[i][j].numer() * yj).sum();
                    sum += inner * xi;
                }
                *total = BigRational::new(sum, &x_den * &y_den);
            } else {
                for &i in &rows {
                    let inner = cols.iter().fold(BigRational::zero(), |acc, &j| acc + &matrix[i][j] * &y[j]);
                    *total += inner * &x[i];
                }
            }
        }
        out
    }

    /// [`Game::expected_payoffs`] in `i128` when the payoffs on the supports
    /// are integers and every number fits (the usual case): the same exact
    /// value, reduced by one integer gcd. `None` if anything would overflow.
    fn expected_payoffs_small(&self, x: &[BigRational], y: &[BigRational]) -> Option<[BigRational; 2]> {
        let (m, n) = self.shape();
        let (rows, x_num, x_den) = over_common_denominator_small(x, m)?;
        let (cols, y_num, y_den) = over_common_denominator_small(y, n)?;
        let den = x_den.checked_mul(y_den)?;
        let mut out = [BigRational::zero(), BigRational::zero()];
        for (player, total) in out.iter_mut().enumerate() {
            let matrix = &self.payoffs[player];
            let mut sum = 0i128;
            for (&i, &xi) in rows.iter().zip(&x_num) {
                let mut inner = 0i128;
                for (&j, &yj) in cols.iter().zip(&y_num) {
                    let a = &matrix[i][j];
                    if !a.denom().is_one() {
                        return None;
                    }
                    inner = inner.checked_add(i128::from(a.numer().to_i64()?).checked_mul(yj)?)?;
                }
                sum = sum.checked_add(inner.checked_mul(xi)?)?;
            }
            let g = gcd_i128(sum, den);
            // `den` > 0 and g divides both, so the fraction is in lowest terms.
            *total = BigRational::new_raw(BigInt::from(sum / g), BigInt::from(den / g));
        }
        Some(out)
    }

    /// True when (`x`, `y`) is a Nash equilibrium: both are probability
    /// vectors of the right length and no pure deviation gains, exactly.
    pub fn is_nash_equilibrium(&self, x: &[BigRational], y: &[BigRational]) -> bool {
        let (rows, cols) = self.shape();
        if !is_distribution(x, rows) || !is_distribution(y, cols) {
            return false;
        }
        let [u_row, u_col] = self.expected_payoffs(x, y);
        self.row_payoffs_against(y).iter().all(|v| *v <= u_row)
            && self.column_payoffs_against(x).iter().all(|v| *v <= u_col)
    }

    /// The sub-game keeping only the listed row and column strategies (in the
    /// given order). Indices must be in range and non-empty lists are the
    /// caller's responsibility; out-of-range indices are skipped.
    pub fn restrict(&self, rows: &[usize], cols: &[usize]) -> Game {
        let pick_names = |p: usize, idx: &[usize]| -> Vec<String> {
            idx.iter().filter_map(|&i| self.strategies[p].get(i).cloned()).collect()
        };
        let pick_matrix = |p: usize| -> Vec<Vec<BigRational>> {
            rows.iter()
                .filter_map(|&i| self.payoffs[p].get(i))
                .map(|r| cols.iter().filter_map(|&j| r.get(j).cloned()).collect())
                .collect()
        };
        Game {
            title: self.title.clone(),
            players: self.players.clone(),
            strategies: [pick_names(ROW, rows), pick_names(COLUMN, cols)],
            payoffs: [pick_matrix(ROW), pick_matrix(COLUMN)],
        }
    }
}

/// Σ aᵢ·bᵢ over two equally long sequences.
/// The non-zero entries among the first `len` of `v` as (indices,
/// integer numerators, common denominator): vᵢ = numeratorᵢ / denominator.
fn over_common_denominator(v: &[BigRational], len: usize) -> (Vec<usize>, Vec<BigInt>, BigInt) {
    let support: Vec<usize> = (0..v.len().min(len)).filter(|&i| !v[i].is_zero()).collect();
    let den = support.iter().fold(BigInt::one(), |acc, &i| {
        let d = v[i].denom();
        if d.is_one() || &acc % d == BigInt::zero() { acc } else { num_integer::Integer::lcm(&acc, d) }
    });
    let num = support.iter().map(|&i| v[i].numer() * (&den / v[i].denom())).collect();
    (support, num, den)
}

/// [`over_common_denominator`] in `i128`; `None` if a number does not fit.
fn over_common_denominator_small(v: &[BigRational], len: usize) -> Option<(Vec<usize>, Vec<i128>, i128)> {
    let support: Vec<usize> = (0..v.len().min(len)).filter(|&i| !v[i].is_zero()).collect();
    let mut den = 1i128;
    for &i in &support {
        let d = i128::from(v[i].denom().to_i64()?);
        if den % d != 0 {
            den = (den / gcd_i128(den, d)).checked_mul(d)?;
        }
    }
    let num = support
        .iter()
        .map(|&i| i128::from(v[i].numer().to_i64()?).checked_mul(den / i128::from(v[i].denom().to_i64()?)))
        .collect::<Option<Vec<i128>>>()?;
    Some((support, num, den))
}

/// Greatest common divisor of |a| and |b| (positive when b ≠ 0).
fn gcd_i128(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    // Callers pass a non-zero denominator below 2¹²⁷, so this fits.
    a as i128
}

pub(super) fn dot<'a>(
    a: impl Iterator<Item = &'a BigRational>,
    b: impl Iterator<Item = &'a BigRational>,
) -> BigRational {
    a.zip(b).fold(BigRational::zero(), |acc, (p, q)| acc + p * q)
}

fn is_distribution(v: &[BigRational], len: usize) -> bool {
    v.len() == len
        && v.iter().all(|p| !p.is_negative())
        && v.iter().fold(BigRational::zero(), |acc, p| acc + p) == BigRational::one()
}

/// Parses an exact number: an integer (`-3`), a decimal (`0.1`, `.5`,
/// `2.5e-3`) or a fraction (`1/3`, `-2/7`). Decimals are converted from
/// their text, so `0.1` is exactly 1/10 (never the binary float nearest it).
/// Underscores between digits (TOML style, `1_000`) are accepted.
pub fn parse_rational(text: &str) -> Result<BigRational, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty text".into());
    }
    if let Some((num, den)) = t.split_once('/') {
        let n = parse_integer(num.trim()).ok_or_else(|| format!("numerator {:?} is not an integer", num.trim()))?;
        let d_text = den.trim();
        if d_text.starts_with(['-', '+']) {
            return Err("put the sign on the numerator, e.g. -1/3".into());
        }
        let d = parse_integer(d_text).ok_or_else(|| format!("denominator {d_text:?} is not a positive integer"))?;
        if d.is_zero() {
            return Err("the denominator is zero".into());
        }
        return Ok(BigRational::new(n, d));
    }
    parse_decimal(t)
}

fn parse_integer(t: &str) -> Option<BigInt> {
    let (neg, digits) = split_sign(t);
    let digits = strip_underscores(digits)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: BigInt = digits.parse().ok()?;
    Some(if neg { -v } else { v })
}

fn split_sign(t: &str) -> (bool, &str) {
    match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    }
}

/// Removes `_` digit separators, refusing leading/trailing/double ones.
fn strip_underscores(t: &str) -> Option<String> {
    if t.starts_with('_') || t.ends_with('_') || t.contains("__") {
        return None;
    }
    Some(t.replace('_', ""))
}

fn parse_decimal(t: &str) -> Result<BigRational, String> {
    let lower = t.to_ascii_lowercase();
    if lower.trim_start_matches(['+', '-']).starts_with("inf")
        || lower.trim_start_matches(['+', '-']).starts_with("nan")
    {
        return Err("not a finite number".into());
    }
    let (neg, rest) = split_sign(t);
    let rest = strip_underscores(rest).ok_or("misplaced `_` digit separator")?;
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(pos) => (&rest[..pos], Some(&rest[pos + 1..])),
        None => (rest.as_str(), None),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int_part.is_empty() && frac_part.is_empty()) || !all_digits(int_part) || !all_digits(frac_part) {
        return Err("expected digits, optionally with a decimal point, exponent or `/`".into());
    }
    let digits = format!("{int_part}{frac_part}");
    let mut value = BigRational::from_integer(digits.parse::<BigInt>().map_err(|e| e.to_string())?);
    let mut exp: i64 = -(frac_part.len() as i64);
    if let Some(e) = exponent {
        let (eneg, edigits) = split_sign(e);
        if edigits.is_empty() || !all_digits(edigits) || edigits.len() > 6 {
            return Err(format!("bad exponent {e:?}"));
        }
        let ev: i64 = edigits.parse().map_err(|_| format!("bad exponent {e:?}"))?;
        exp += if eneg { -ev } else { ev };
    }
    if exp.unsigned_abs() > u64::from(MAX_EXPONENT) {
        return Err(format!("exponent too large (at most ±{MAX_EXPONENT})"));
    }
    let ten = BigInt::from(10u32);
    let scale = num_traits::pow(ten, exp.unsigned_abs() as usize);
    if exp >= 0 {
        value *= BigRational::from_integer(scale);
    } else {
        value /= BigRational::from_integer(scale);
    }
    Ok(if neg { -value } else { value })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn small_expected_payoffs_equal_the_bigint_ones() {
        // Random integer games and random rational profiles (zeros included,
        // so supports vary); the i128 path must give the same exact values.
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |bound: u64| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s % bound
        };
        let mut checked = 0;
        for _ in 0..300 {
            let (m, n) = (1 + next(5) as usize, 1 + next(5) as usize);
            let big = next(4) == 0;
            let mut entry = || {
                let v = next(201) as i64 - 100;
                if big { v * 1_000_000_000_000 } else { v }
            };
            let a: Vec<Vec<i64>> = (0..m).map(|_| (0..n).map(|_| entry()).collect()).collect();
            let b: Vec<Vec<i64>> = (0..m).map(|_| (0..n).map(|_| entry()).collect()).collect();
            let ar: Vec<&[i64]> = a.iter().map(Vec::as_slice).collect();
            let br: Vec<&[i64]> = b.iter().map(Vec::as_slice).collect();
            let rows: Vec<String> = (0..m).map(|i| format!("r{i}")).collect();
            let cols: Vec<String> = (0..n).map(|j| format!("c{j}")).collect();
            let rr: Vec<&str> = rows.iter().map(String::as_str).collect();
            let cc: Vec<&str> = cols.iter().map(String::as_str).collect();
            let g = Game::from_integers("g", ["R", "C"], [&rr, &cc], &ar, &br).unwrap();
            let mut profile = |len: usize| -> Vec<BigRational> {
                let weights: Vec<u64> = (0..len).map(|_| next(4) * (1 + next(7))).collect();
                let total: u64 = weights.iter().sum::<u64>().max(1);
                weights.iter().map(|&w| BigRational::new(BigInt::from(w), BigInt::from(total))).collect()
            };
            let (x, y) = (profile(m), profile(n));
            let exact = g.expected_payoffs_big(&x, &y);
            if let Some(small) = g.expected_payoffs_small(&x, &y) {
                assert_eq!(small, exact, "{a:?} {b:?} {x:?} {y:?}");
                checked += 1;
            }
            assert_eq!(g.expected_payoffs(&x, &y), exact);
        }
        assert!(checked > 200, "the small path ran on {checked} of 300 profiles");
    }

    /// The Prisoner's Dilemma (C/D, payoffs 3/0/5/1), shared by the tests.
    pub fn prisoners_dilemma() -> Game {
        Game::from_integers(
            "PD",
            ["Row", "Column"],
            [&["C", "D"], &["C", "D"]],
            &[&[3, 0], &[5, 1]],
            &[&[3, 5], &[0, 1]],
        )
        .unwrap()
    }

    pub fn q(n: i64, d: i64) -> BigRational {
        BigRational::new(n.into(), d.into())
    }

    #[test]
    fn parses_exact_numbers() {
        assert_eq!(parse_rational("0.1"), Ok(q(1, 10)));
        assert_eq!(parse_rational("-3/4"), Ok(q(-3, 4)));
        assert_eq!(parse_rational(" 2 "), Ok(q(2, 1)));
        assert_eq!(parse_rational("2.5e-3"), Ok(q(1, 400)));
        assert_eq!(parse_rational("1E2"), Ok(q(100, 1)));
        assert_eq!(parse_rational(".5"), Ok(q(1, 2)));
        assert_eq!(parse_rational("5."), Ok(q(5, 1)));
        assert_eq!(parse_rational("1_000"), Ok(q(1000, 1)));
        assert_eq!(parse_rational("+4/6"), Ok(q(2, 3)));
        for bad in ["", "abc", "1/0", "1/-2", "inf", "nan", "1e99999999", "1..2", "--1", "1/2/3"] {
            assert!(parse_rational(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn validation_reports_shapes() {
        let g = Game::from_integers("x", ["A", "B"], [&["a", "b"], &["c"]], &[&[1], &[2]], &[&[1]]);
        assert!(matches!(g, Err(GameError::BadShape { player: 1, .. })));
        let g = Game::from_integers("x", ["A", "B"], [&[], &["c"]], &[], &[]);
        assert!(matches!(g, Err(GameError::NoStrategies { player: 0, .. })));
    }

    #[test]
    fn nash_check_is_exact() {
        let g = Game::from_integers(
            "MP",
            ["A", "B"],
            [&["H", "T"], &["H", "T"]],
            &[&[1, -1], &[-1, 1]],
            &[&[-1, 1], &[1, -1]],
        )
        .unwrap();
        let half = vec![q(1, 2), q(1, 2)];
        assert!(g.is_nash_equilibrium(&half, &half));
        let off = vec![q(1, 2) + q(1, 1000), q(1, 2) - q(1, 1000)];
        assert!(!g.is_nash_equilibrium(&off, &half));
    }
}
