//! Formatting of exact numbers for people and for JSON.
//!
//! Results stay exact inside the module; floats appear only here, next to the
//! exact text, so a reader can see "1/3" and "0.3333" side by side.

use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};
use serde::Serializer;
use serde::ser::{Serialize, SerializeStruct};

/// Exact text of a rational: `"1/3"`, `"2"`, `"-3/4"`.
pub fn fmt_rational(r: &BigRational) -> String {
    if r.is_integer() {
        r.numer().to_string()
    } else {
        // BigRational is kept reduced with a positive denominator, so the
        // sign is always on the numerator.
        format!("{}/{}", r.numer(), r.denom())
    }
}

/// Nearest `f64`, for display only. Values beyond `f64` range come out
/// infinite rather than failing.
pub fn to_f64(r: &BigRational) -> f64 {
    r.to_f64().unwrap_or_else(|| {
        let n = r.numer().to_f64().unwrap_or(f64::NAN);
        let d = r.denom().to_f64().unwrap_or(f64::NAN);
        n / d
    })
}

/// Exact text, followed by a rounded decimal when the value is not an
/// integer: `"1/3 (≈0.3333)"`, `"2"`.
pub fn fmt_with_approx(r: &BigRational) -> String {
    if r.is_integer() { fmt_rational(r) } else { format!("{} (≈{:.4})", fmt_rational(r), to_f64(r)) }
}

/// A mixed strategy in words, e.g. `"2/3 Opera + 1/3 Football"`; a pure
/// strategy is just its name. Zero-probability strategies are left out.
pub fn fmt_mixed_strategy(probabilities: &[BigRational], names: &[String]) -> String {
    let terms: Vec<String> = probabilities
        .iter()
        .zip(names)
        .filter(|(p, _)| !p.is_zero())
        .map(|(p, name)| if p.is_integer() { name.clone() } else { format!("{} {}", fmt_rational(p), name) })
        .collect();
    terms.join(" + ")
}

/// 1-based (line, column) of a byte offset, for `file:line:col` messages.
/// The column counts characters, not bytes; offsets past the end clamp.
pub fn line_col(source: &str, byte: usize) -> (usize, usize) {
    let mut end = byte.min(source.len());
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    let before = &source[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Serialises one rational as `{"exact": "1/3", "float": 0.333…}`.
struct Exact<'a>(&'a BigRational);

impl Serialize for Exact<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Rational", 2)?;
        st.serialize_field("exact", &fmt_rational(self.0))?;
        st.serialize_field("float", &to_f64(self.0))?;
        st.end()
    }
}

struct ExactSeq<'a>(&'a [BigRational]);

impl Serialize for ExactSeq<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(Exact))
    }
}

/// `serialize_with` helper for a `BigRational` field.
pub(crate) fn ser_rational<S: Serializer>(r: &BigRational, s: S) -> Result<S::Ok, S::Error> {
    Exact(r).serialize(s)
}

/// `serialize_with` helper for `Vec<BigRational>` and `[BigRational; N]`.
pub(crate) fn ser_rationals<S: Serializer>(v: &[BigRational], s: S) -> Result<S::Ok, S::Error> {
    ExactSeq(v).serialize(s)
}

/// `serialize_with` helper for `Vec<Vec<BigRational>>` and `[Vec<_>; N]`.
pub(crate) fn ser_rational_rows<S: Serializer>(v: &[Vec<BigRational>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|row| ExactSeq(row)))
}

#[cfg(test)]
mod tests {
    use super::super::model::tests::q;
    use super::*;

    #[test]
    fn formats_rationals() {
        assert_eq!(fmt_rational(&q(1, 3)), "1/3");
        assert_eq!(fmt_rational(&q(4, 2)), "2");
        assert_eq!(fmt_rational(&q(3, -4)), "-3/4");
        assert_eq!(fmt_rational(&q(0, 5)), "0");
        assert_eq!(fmt_with_approx(&q(1, 3)), "1/3 (≈0.3333)");
    }

    #[test]
    fn formats_mixed_strategies() {
        let names = vec!["Opera".to_string(), "Football".to_string(), "Home".to_string()];
        let p = vec![q(2, 3), q(1, 3), q(0, 1)];
        assert_eq!(fmt_mixed_strategy(&p, &names), "2/3 Opera + 1/3 Football");
        assert_eq!(fmt_mixed_strategy(&[q(0, 1), q(1, 1), q(0, 1)], &names), "Football");
    }

    #[test]
    fn line_and_column() {
        let src = "ab\ncdé\nf";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 8), (3, 1));
        assert_eq!(line_col(src, 999), (3, 2));
    }
}
