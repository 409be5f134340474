//! Reading (and writing) games in brink's TOML format:
//!
//! ```toml
//! title = "Prisoner's Dilemma"
//! players = ["Row", "Column"]
//! [strategies]
//! row = ["Cooperate", "Defect"]
//! column = ["Cooperate", "Defect"]
//! [payoffs]
//! row = [[3, 0], [5, 1]]      # row player's payoff, one inner list per row strategy
//! column = [[3, 5], [0, 1]]   # column player's payoff, same layout
//! ```
//!
//! Payoffs may be integers, decimals (read exactly from their text, so `0.1`
//! is 1/10) or strings such as `"1/3"`. Every error carries the byte span of
//! the offending value when it is known, so the CLI can point at
//! `file:line:col`, and says what was expected and how to fix it.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;

use num_rational::BigRational;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use toml::Spanned;

use super::display::fmt_rational;
use super::model::{COLUMN, Game, GameError, MAX_STRATEGIES, ROW, parse_rational};

/// The TOML keys of the two players' entries, indexed by player.
const KEYS: [&str; 2] = ["row", "column"];

const LAYOUT_HINT: &str = "a game file needs `title = \"...\"`, `players = [\"Row\", \"Column\"]`, \
a [strategies] table with `row` and `column` name lists, and a [payoffs] table with `row` and \
`column` matrices (one inner list per row strategy)";

/// A problem in a TOML game file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TomlGameError {
    /// TOML syntax, a missing or unknown key, or a value of the wrong type.
    #[error("{message}; {hint}")]
    Syntax { message: String, hint: String, span: Option<Range<usize>> },
    #[error("`players` must name exactly 2 players (row player first, then column player), found {found}")]
    PlayerCount { found: usize, span: Range<usize> },
    #[error("`strategies.{key}` is empty: list at least one strategy name, e.g. {key} = [\"Cooperate\", \"Defect\"]")]
    EmptyStrategies { key: &'static str, span: Range<usize> },
    #[error(
        "`strategies.{key}` lists {count} strategies, but at most {max} per player are supported \
         (exact equilibrium enumeration grows exponentially); merge or drop strategies"
    )]
    TooManyStrategies { key: &'static str, count: usize, max: usize, span: Range<usize> },
    #[error("`strategies.{key}` names {name:?} twice; give each strategy a distinct name so results can refer to it")]
    DuplicateStrategy { key: &'static str, name: String, span: Range<usize> },
    #[error(
        "`payoffs.{key}` has {found_rows}, but there are {rows} row strategies: the matrix must be \
         {rows}×{cols}, one inner list per row strategy, each with {cols} numbers (one per column strategy)",
        found_rows = count_noun(*.found, "row")
    )]
    WrongRowCount { key: &'static str, found: usize, rows: usize, cols: usize, span: Range<usize> },
    #[error(
        "row {row_number} of `payoffs.{key}` (row strategy {strategy:?}) has {found_numbers}, but there \
         are {cols} column strategies: the matrix must be {rows}×{cols}",
        found_numbers = count_noun(*.found, "number")
    )]
    WrongColumnCount {
        key: &'static str,
        row_number: usize,
        strategy: String,
        found: usize,
        rows: usize,
        cols: usize,
        span: Range<usize>,
    },
    #[error(
        "payoff {text:?} is not a usable number ({reason}); write an integer (3), a decimal (0.25) \
         or a fraction in quotes (\"1/3\")"
    )]
    BadNumber { text: String, reason: String, span: Range<usize> },
    /// A check on the assembled game failed (no span is known).
    #[error("{0}")]
    Invalid(#[from] GameError),
}

/// "1 row", "3 rows".
fn count_noun(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

impl TomlGameError {
    /// Byte range in the source that the error refers to, when known.
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            TomlGameError::Syntax { span, .. } => span.clone(),
            TomlGameError::PlayerCount { span, .. }
            | TomlGameError::EmptyStrategies { span, .. }
            | TomlGameError::TooManyStrategies { span, .. }
            | TomlGameError::DuplicateStrategy { span, .. }
            | TomlGameError::WrongRowCount { span, .. }
            | TomlGameError::WrongColumnCount { span, .. }
            | TomlGameError::BadNumber { span, .. } => Some(span.clone()),
            TomlGameError::Invalid(_) => None,
        }
    }
}

/// A list of strategy names, each name and the list keeping its span.
type SpannedNames = Spanned<Vec<Spanned<String>>>;
/// A payoff matrix keeping the span of the matrix, each row and each cell.
type SpannedMatrix = Spanned<Vec<Spanned<Vec<Spanned<RawNumber>>>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGame {
    title: String,
    players: Spanned<Vec<String>>,
    strategies: RawPair<SpannedNames>,
    payoffs: RawPair<SpannedMatrix>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPair<T> {
    row: T,
    column: T,
}

impl<T> RawPair<T> {
    fn get(&self, player: usize) -> &T {
        if player == ROW { &self.row } else { &self.column }
    }
}

/// A payoff as TOML typed it. Floats keep only a marker: their exact value
/// is re-read from the source text via the span, because the `f64` that
/// TOML hands us has already lost decimal exactness (0.1 ≠ 1/10).
pub(crate) enum RawNumber {
    Integer(i128),
    Float(f64),
    Text(String),
}

impl<'de> Deserialize<'de> for RawNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a payoff number: an integer, a decimal, or a string like \"1/3\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNumber, E> {
                Ok(RawNumber::Integer(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNumber, E> {
                Ok(RawNumber::Integer(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawNumber, E> {
                Ok(RawNumber::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawNumber, E> {
                Ok(RawNumber::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses a game from TOML source text.
pub fn from_toml_str(source: &str) -> Result<Game, TomlGameError> {
    let raw: RawGame = toml::from_str(source).map_err(|e| {
        let message = e.message().trim().to_string();
        let hint = if message.contains("unknown field") {
            format!("remove or rename the key; {LAYOUT_HINT}")
        } else {
            LAYOUT_HINT.to_string()
        };
        TomlGameError::Syntax { message, hint, span: e.span() }
    })?;

    let players = raw.players.get_ref();
    let [row_player, column_player] = players.as_slice() else {
        return Err(TomlGameError::PlayerCount { found: players.len(), span: raw.players.span() });
    };

    let mut strategies: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    for p in [ROW, COLUMN] {
        let list = raw.strategies.get(p);
        let key = KEYS[p];
        if list.get_ref().is_empty() {
            return Err(TomlGameError::EmptyStrategies { key, span: list.span() });
        }
        if list.get_ref().len() > MAX_STRATEGIES {
            return Err(TomlGameError::TooManyStrategies {
                key,
                count: list.get_ref().len(),
                max: MAX_STRATEGIES,
                span: list.span(),
            });
        }
        let mut seen = BTreeSet::new();
        for name in list.get_ref() {
            if !seen.insert(name.get_ref().as_str()) {
                return Err(TomlGameError::DuplicateStrategy { key, name: name.get_ref().clone(), span: name.span() });
            }
        }
        strategies[p] = list.get_ref().iter().map(|s| s.get_ref().clone()).collect();
    }

    let (rows, cols) = (strategies[ROW].len(), strategies[COLUMN].len());
    let mut payoffs: [Vec<Vec<BigRational>>; 2] = [Vec::new(), Vec::new()];
    for p in [ROW, COLUMN] {
        let key = KEYS[p];
        let matrix = raw.payoffs.get(p);
        if matrix.get_ref().len() != rows {
            return Err(TomlGameError::WrongRowCount {
                key,
                found: matrix.get_ref().len(),
                rows,
                cols,
                span: matrix.span(),
            });
        }
        for (i, row) in matrix.get_ref().iter().enumerate() {
            if row.get_ref().len() != cols {
                return Err(TomlGameError::WrongColumnCount {
                    key,
                    row_number: i + 1,
                    strategy: strategies[ROW][i].clone(),
                    found: row.get_ref().len(),
                    rows,
                    cols,
                    span: row.span(),
                });
            }
            let values = row.get_ref().iter().map(|cell| to_rational(source, cell)).collect::<Result<Vec<_>, _>>()?;
            payoffs[p].push(values);
        }
    }

    Ok(Game::new(raw.title, [row_player.clone(), column_player.clone()], strategies, payoffs)?)
}

pub(crate) fn to_rational(source: &str, cell: &Spanned<RawNumber>) -> Result<BigRational, TomlGameError> {
    let span = cell.span();
    let bad =
        |text: &str, reason: String| TomlGameError::BadNumber { text: text.to_string(), reason, span: span.clone() };
    match cell.get_ref() {
        RawNumber::Integer(v) => Ok(BigRational::from_integer((*v).into())),
        RawNumber::Text(t) => parse_rational(t).map_err(|reason| bad(t, reason)),
        RawNumber::Float(f) => {
            // Re-read the literal as written; fall back to the float's exact
            // binary value only if the span does not lead back to it.
            match source.get(span.clone()) {
                Some(text) => parse_rational(text).map_err(|reason| bad(text, reason)),
                None => BigRational::from_float(*f).ok_or_else(|| bad(&f.to_string(), "not a finite number".into())),
            }
        }
    }
}

/// Writes a game in the TOML format read by [`from_toml_str`]. Integers are
/// written as TOML integers, other rationals as strings like `"1/3"`, so
/// reading the output back gives exactly the same game.
pub fn to_toml_string(game: &Game) -> String {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let list = |items: &[String]| {
        let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
        format!("[{}]", quoted.join(", "))
    };
    let number = |r: &BigRational| {
        if r.is_integer() { fmt_rational(r) } else { quote(&fmt_rational(r)) }
    };
    let mut out = String::new();
    out.push_str(&format!("title = {}\n", quote(&game.title)));
    out.push_str(&format!("players = {}\n\n", list(&game.players)));
    out.push_str("[strategies]\n");
    for p in [ROW, COLUMN] {
        out.push_str(&format!("{} = {}\n", KEYS[p], list(&game.strategies[p])));
    }
    out.push_str("\n[payoffs]\n");
    for p in [ROW, COLUMN] {
        out.push_str(&format!(
            "# Payoffs to {}: one line per row strategy, one entry per column strategy\n",
            game.players[p]
        ));
        out.push_str(&format!("{} = [\n", KEYS[p]));
        for (row, name) in game.payoffs[p].iter().zip(&game.strategies[ROW]) {
            let cells: Vec<String> = row.iter().map(number).collect();
            let comment = name.replace(['\n', '\r'], " ");
            out.push_str(&format!("  [{}],  # {}\n", cells.join(", "), comment));
        }
        out.push_str("]\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::display::line_col;
    use super::super::model::tests::q;
    use super::*;

    const PD: &str = r#"
title = "Prisoner's Dilemma"
players = ["Row", "Column"]
[strategies]
row = ["Cooperate", "Defect"]
column = ["Cooperate", "Defect"]
[payoffs]
row = [[3, 0], [5, 1]]
column = [[3, 5], [0, 1]]
"#;

    #[test]
    fn reads_the_example() {
        let g = from_toml_str(PD).unwrap();
        assert_eq!(g.title, "Prisoner's Dilemma");
        assert_eq!(g.players, ["Row".to_string(), "Column".to_string()]);
        assert_eq!(g.strategies[ROW], vec!["Cooperate", "Defect"]);
        assert_eq!(g.payoffs[ROW][1][0], q(5, 1));
        assert_eq!(g.payoffs[COLUMN][0][1], q(5, 1));
    }

    #[test]
    fn decimals_are_exact_and_fractions_allowed() {
        let src = PD
            .replace("[[3, 0], [5, 1]]", "[[0.1, \"1/3\"], [-2.5e-1, 1_000]]")
            .replace("[[3, 5], [0, 1]]", "[[\"-3/4\", 0.30000000000000004], [\" 2 \", 1.0]]");
        let g = from_toml_str(&src).unwrap();
        assert_eq!(g.payoffs[ROW][0], vec![q(1, 10), q(1, 3)]);
        assert_eq!(g.payoffs[ROW][1], vec![q(-1, 4), q(1000, 1)]);
        assert_eq!(
            g.payoffs[COLUMN][0][1],
            BigRational::new(30000000000000004i64.into(), 100000000000000000i64.into())
        );
        assert_eq!(g.payoffs[COLUMN][1], vec![q(2, 1), q(1, 1)]);
    }

    #[test]
    fn round_trips_through_the_writer() {
        let mut g = from_toml_str(PD).unwrap();
        g.payoffs[ROW][0][1] = q(-7, 3);
        g.title = "Quotes \"inside\" and \\ backslash".into();
        g.strategies[COLUMN][1] = "Défect # not a comment".into();
        let text = to_toml_string(&g);
        assert_eq!(from_toml_str(&text).unwrap(), g, "{text}");
    }

    fn err(src: &str) -> TomlGameError {
        from_toml_str(src).expect_err("should fail")
    }

    fn spanned_text<'a>(src: &'a str, e: &TomlGameError) -> &'a str {
        let span = e.span().expect("span");
        &src[span]
    }

    #[test]
    fn wrong_shapes_name_the_expected_shape() {
        let src = PD.replace("column = [[3, 5], [0, 1]]", "column = [[3, 5], [0, 1], [2, 2]]");
        let e = err(&src);
        assert!(matches!(e, TomlGameError::WrongRowCount { found: 3, rows: 2, cols: 2, .. }));
        assert!(e.to_string().contains("2×2"), "{e}");
        assert_eq!(spanned_text(&src, &e), "[[3, 5], [0, 1], [2, 2]]");

        let src = PD.replace("row = [[3, 0], [5, 1]]", "row = [[3, 0], [5, 1, 7]]");
        let e = err(&src);
        assert!(matches!(e, TomlGameError::WrongColumnCount { row_number: 2, found: 3, .. }));
        assert!(e.to_string().contains("\"Defect\""), "{e}");
        assert_eq!(spanned_text(&src, &e), "[5, 1, 7]");
        let (line, col) = line_col(&src, e.span().unwrap().start);
        assert_eq!((line, col), (8, 16));
    }

    #[test]
    fn rejects_bad_inputs_with_spans() {
        let e = err(&PD.replace("[\"Row\", \"Column\"]", "[\"A\", \"B\", \"C\"]"));
        assert!(matches!(e, TomlGameError::PlayerCount { found: 3, .. }));

        let e = err(&PD.replace("row = [\"Cooperate\", \"Defect\"]", "row = []"));
        assert!(matches!(e, TomlGameError::EmptyStrategies { key: "row", .. }));

        let src = PD.replace("[[3, 0], [5, 1]]", "[[3, \"one\"], [5, 1]]");
        let e = err(&src);
        assert!(matches!(e, TomlGameError::BadNumber { .. }));
        assert_eq!(spanned_text(&src, &e), "\"one\"");

        for bad in ["nan", "inf", "true", "\"1/0\"", "[1]"] {
            let src = PD.replace("[[3, 0], [5, 1]]", &format!("[[3, {bad}], [5, 1]]"));
            let e = err(&src);
            assert!(e.span().is_some(), "{bad}: {e}");
        }

        let src = format!("{PD}\nextra = 1\n");
        let e = err(&src);
        assert!(matches!(e, TomlGameError::Syntax { .. }));
        assert!(e.to_string().contains("unknown field"), "{e}");
        assert_eq!(spanned_text(&src, &e), "extra");

        let e = err(&PD.replace("players = [\"Row\", \"Column\"]\n", ""));
        assert!(e.to_string().contains("players"), "{e}");

        let e = err("title = \"x\"\nplayers = [");
        assert!(matches!(e, TomlGameError::Syntax { span: Some(_), .. }));

        let e = err(&PD.replace("column = [\"Cooperate\", \"Defect\"]", "column = [\"C\", \"C\"]"));
        assert!(matches!(e, TomlGameError::DuplicateStrategy { .. }));
    }

    #[test]
    fn refuses_more_than_twenty_strategies() {
        let names: Vec<String> = (0..21).map(|i| format!("\"s{i}\"")).collect();
        let src = PD.replace("row = [\"Cooperate\", \"Defect\"]", &format!("row = [{}]", names.join(", ")));
        let e = err(&src);
        assert!(matches!(e, TomlGameError::TooManyStrategies { count: 21, max: 20, .. }));
        assert!(e.to_string().contains("at most 20"));
    }

    #[test]
    fn accepts_eight_by_eight() {
        let names: Vec<String> = (0..8).map(|i| format!("\"s{i}\"")).collect();
        let row: Vec<String> = (0..8).map(|i| format!("[{}]", vec![i.to_string(); 8].join(", "))).collect();
        let src = format!(
            "title = \"big\"\nplayers = [\"A\", \"B\"]\n[strategies]\nrow = [{n}]\ncolumn = [{n}]\n[payoffs]\nrow = [{m}]\ncolumn = [{m}]\n",
            n = names.join(", "),
            m = row.join(", ")
        );
        assert_eq!(from_toml_str(&src).unwrap().shape(), (8, 8));
    }

    proptest::proptest! {
        /// Damaged versions of a valid file are errors (or games), never
        /// panics, and spans always lie inside the source.
        #[test]
        fn never_panics_on_damaged_files(
            cut in 0usize..300,
            insert in "[\\[\\]\",0-9./eE+_a-z =\\-]{0,6}",
        ) {
            let mut damaged: String = PD.chars().take(cut).collect();
            damaged.push_str(&insert);
            damaged.extend(PD.chars().skip(cut + 1));
            if let Some(span) = from_toml_str(&damaged).err().and_then(|e| e.span()) {
                proptest::prop_assert!(damaged.get(span).is_some());
            }
        }
    }
}
