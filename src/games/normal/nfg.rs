//! Reading and writing Gambit strategic-form `.nfg` files (format version 1),
//! so games can be exchanged with Gambit and checked against its solvers.
//!
//! Both variants are supported:
//!
//! * payoff form: `NFG 1 R "title" { "P1" "P2" } { 3 2 }` followed by a flat
//!   list of payoffs, all players' payoffs for one profile at a time;
//! * outcome form: strategy names `{ { "a" "b" } { "c" "d" } }`, an outcome
//!   list `{ { "" 1, 2 } ... }`, then one outcome number per profile (0 is
//!   the null outcome, zero payoffs to everyone).
//!
//! Profiles are listed with the first player's strategy changing fastest.
//! Strategy names may be given as a nested list or as counts in either
//! form. Only two-player files are accepted: brink analyses bimatrix games.
//! Text labels follow Gambit's lexer: `\"` is a quote inside a label, a
//! backslash before anything else is kept as is.

use std::ops::Range;

use num_rational::BigRational;
use num_traits::Zero;

use super::display::fmt_rational;
use super::model::{COLUMN, Game, GameError, MAX_STRATEGIES, ROW, parse_rational};

/// Which `.nfg` variant [`to_nfg_string`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NfgFormat {
    /// Flat payoff list.
    Payoff,
    /// Outcome list plus one outcome index per profile (distinct payoff
    /// pairs become distinct outcomes).
    Outcome,
}

/// A problem in an `.nfg` file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NfgError {
    #[error("expected {expected}, found {found}")]
    Syntax { expected: String, found: String, span: Range<usize> },
    #[error(
        "this file defines a game with {count} players, but brink only analyses two-player \
         (bimatrix) games; reduce it to two players in Gambit first"
    )]
    UnsupportedPlayers { count: usize, span: Range<usize> },
    #[error("the strategy count {text:?} is not usable: each player needs between 1 and {max} strategies")]
    BadStrategyCount { text: String, max: usize, span: Range<usize> },
    #[error("invalid number {text:?} ({reason}); Gambit numbers are integers, decimals or fractions like 1/3")]
    BadNumber { text: String, reason: String, span: Range<usize> },
    #[error(
        "outcome {index} is not defined: the outcome list has {count} outcomes, so use 1 to {count} \
         (or 0 for zero payoffs)"
    )]
    UnknownOutcome { index: String, count: usize, span: Range<usize> },
    #[error("outcome {number} lists {found} payoffs, but a two-player outcome needs exactly 2, as in {{ \"\" 1, 2 }}")]
    OutcomeArity { number: usize, found: usize, span: Range<usize> },
    #[error(
        "the file ended after {found} entries, but a {rows}×{cols} game needs {expected} {what} \
         (profiles in order with the first player's strategy changing fastest)"
    )]
    TooShort { found: usize, expected: usize, rows: usize, cols: usize, what: &'static str, span: Range<usize> },
    #[error("unexpected {found} after the end of the game data; the file has more entries than the game's size")]
    TrailingData { found: String, span: Range<usize> },
    #[error("{0}")]
    Invalid(#[from] GameError),
}

impl NfgError {
    /// Byte range in the source that the error refers to, when known.
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            NfgError::Syntax { span, .. }
            | NfgError::UnsupportedPlayers { span, .. }
            | NfgError::BadStrategyCount { span, .. }
            | NfgError::BadNumber { span, .. }
            | NfgError::UnknownOutcome { span, .. }
            | NfgError::OutcomeArity { span, .. }
            | NfgError::TooShort { span, .. }
            | NfgError::TrailingData { span, .. } => Some(span.clone()),
            NfgError::Invalid(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    LBrace,
    RBrace,
    Comma,
    Number(String),
    Text(String),
    Symbol(String),
    Eof,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::LBrace => "`{`".into(),
            Tok::RBrace => "`}`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Number(n) => format!("the number {n}"),
            Tok::Text(t) => format!("the text {t:?}"),
            Tok::Symbol(s) => format!("`{s}`"),
            Tok::Eof => "the end of the file".into(),
        }
    }
}

/// A Gambit-compatible tokenizer that records byte spans.
pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    pub(crate) tok: Tok,
    pub(crate) span: Range<usize>,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str) -> Result<Self, NfgError> {
        let mut lx = Lexer { src, pos: 0, tok: Tok::Eof, span: 0..0 };
        lx.advance()?;
        Ok(lx)
    }

    fn peek_char(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    /// Moves to the next token.
    pub(crate) fn advance(&mut self) -> Result<(), NfgError> {
        while let Some(c) = self.peek_char() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            self.tok = Tok::Eof;
            self.span = start..start;
            return Ok(());
        };
        self.tok = match c {
            '{' => {
                self.pos += 1;
                Tok::LBrace
            }
            '}' => {
                self.pos += 1;
                Tok::RBrace
            }
            ',' => {
                self.pos += 1;
                Tok::Comma
            }
            '"' => Tok::Text(self.read_text(start)?),
            c if c.is_ascii_digit() || matches!(c, '-' | '+' | '.') => {
                let rest = &self.src[self.pos..];
                let len = rest
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || matches!(ch, '-' | '+' | '.' | '/')))
                    .unwrap_or(rest.len());
                self.pos += len;
                Tok::Number(rest[..len].to_string())
            }
            _ => {
                let rest = &self.src[self.pos..];
                let len = rest
                    .find(|ch: char| ch.is_whitespace() || matches!(ch, '{' | '}' | '"' | ','))
                    .unwrap_or(rest.len());
                self.pos += len;
                Tok::Symbol(rest[..len].to_string())
            }
        };
        self.span = start..self.pos;
        Ok(())
    }

    /// Reads a quoted label starting at the opening quote.
    fn read_text(&mut self, start: usize) -> Result<String, NfgError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        let mut chars = self.src[self.pos..].char_indices();
        while let Some((i, ch)) = chars.next() {
            match ch {
                '"' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\\' => match chars.clone().next() {
                    Some((_, '"')) => {
                        out.push('"');
                        chars.next();
                    }
                    _ => out.push('\\'),
                },
                _ => out.push(ch),
            }
        }
        Err(NfgError::Syntax {
            expected: "a closing `\"` for this label".into(),
            found: "the end of the file".into(),
            span: start..self.src.len(),
        })
    }

    pub(crate) fn tok_description(&self) -> String {
        self.tok.describe()
    }

    pub(crate) fn error(&self, expected: &str) -> NfgError {
        NfgError::Syntax { expected: expected.into(), found: self.tok.describe(), span: self.span.clone() }
    }

    pub(crate) fn expect(&mut self, want: &Tok, expected: &str) -> Result<Range<usize>, NfgError> {
        if &self.tok != want {
            return Err(self.error(expected));
        }
        let span = self.span.clone();
        self.advance()?;
        Ok(span)
    }

    pub(crate) fn expect_text(&mut self, expected: &str) -> Result<String, NfgError> {
        let Tok::Text(t) = &self.tok else {
            return Err(self.error(expected));
        };
        let t = t.clone();
        self.advance()?;
        Ok(t)
    }

    /// The current token as an exact number, then advance.
    pub(crate) fn expect_number(&mut self, expected: &str) -> Result<(BigRational, Range<usize>), NfgError> {
        let Tok::Number(text) = &self.tok else {
            return Err(self.error(expected));
        };
        let span = self.span.clone();
        let value = parse_rational(text).map_err(|reason| NfgError::BadNumber {
            text: text.clone(),
            reason,
            span: span.clone(),
        })?;
        self.advance()?;
        Ok((value, span))
    }
}

/// Parses a two-player Gambit `.nfg` file (payoff or outcome form).
pub fn from_nfg_str(source: &str) -> Result<Game, NfgError> {
    let mut lx = Lexer::new(source)?;
    if lx.tok != Tok::Symbol("NFG".into()) {
        return Err(lx.error(
            "`NFG` at the start of a Gambit strategic-form file (extensive-form .efg files are not supported)",
        ));
    }
    lx.advance()?;
    if lx.tok != Tok::Number("1".into()) {
        return Err(lx.error("the format version `1` after `NFG`"));
    }
    lx.advance()?;
    match &lx.tok {
        Tok::Symbol(s) if s == "R" || s == "D" => lx.advance()?,
        _ => return Err(lx.error("the data type `R` (as in `NFG 1 R \"title\" ...`)")),
    }
    let title = lx.expect_text("the quoted game title")?;

    // Players.
    let players_start = lx.expect(&Tok::LBrace, "`{` opening the list of player names")?.start;
    let mut players = Vec::new();
    while let Tok::Text(t) = &lx.tok {
        players.push(t.clone());
        lx.advance()?;
    }
    let players_end = lx.expect(&Tok::RBrace, "a quoted player name or `}`")?.end;
    if players.len() != 2 {
        return Err(NfgError::UnsupportedPlayers { count: players.len(), span: players_start..players_end });
    }

    // Strategies: nested name lists or counts.
    lx.expect(&Tok::LBrace, "`{` opening the strategy list")?;
    let mut strategies: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    if lx.tok == Tok::LBrace {
        for names in strategies.iter_mut() {
            let start = lx.expect(&Tok::LBrace, "`{` opening a player's strategy names")?.start;
            while let Tok::Text(t) = &lx.tok {
                names.push(t.clone());
                lx.advance()?;
            }
            let end = lx.expect(&Tok::RBrace, "a quoted strategy name or `}`")?.end;
            if names.is_empty() || names.len() > MAX_STRATEGIES {
                return Err(NfgError::BadStrategyCount {
                    text: names.len().to_string(),
                    max: MAX_STRATEGIES,
                    span: start..end,
                });
            }
        }
    } else {
        for names in strategies.iter_mut() {
            let Tok::Number(text) = &lx.tok else {
                return Err(lx.error("the number of strategies of each player, as in { 2 2 }"));
            };
            let count = text.parse::<usize>().ok().filter(|c| (1..=MAX_STRATEGIES).contains(c)).ok_or_else(|| {
                NfgError::BadStrategyCount { text: text.clone(), max: MAX_STRATEGIES, span: lx.span.clone() }
            })?;
            *names = (1..=count).map(|s| s.to_string()).collect();
            lx.advance()?;
        }
    }
    lx.expect(&Tok::RBrace, "`}` closing the strategy list (two players only)")?;

    // Optional comment.
    if let Tok::Text(_) = lx.tok {
        lx.advance()?;
    }

    let (rows, cols) = (strategies[ROW].len(), strategies[COLUMN].len());
    let mut payoffs = [vec![vec![BigRational::zero(); cols]; rows], vec![vec![BigRational::zero(); cols]; rows]];
    // Gambit order: profile k has row k % rows, column k / rows.
    let cell = |k: usize| (k % rows, k / rows);
    let profiles = rows * cols;

    match lx.tok {
        Tok::LBrace => {
            lx.advance()?;
            let mut outcomes: Vec<[BigRational; 2]> = Vec::new();
            while lx.tok == Tok::LBrace {
                let start = lx.span.start;
                lx.advance()?;
                lx.expect_text("the outcome's quoted label (may be \"\")")?;
                let mut values = Vec::new();
                while let Tok::Number(_) = lx.tok {
                    values.push(lx.expect_number("a payoff")?.0);
                    if lx.tok == Tok::Comma {
                        lx.advance()?;
                    }
                }
                let end = lx.expect(&Tok::RBrace, "a payoff or `}` closing the outcome")?.end;
                let Ok(pair) = <[BigRational; 2]>::try_from(values.clone()) else {
                    return Err(NfgError::OutcomeArity {
                        number: outcomes.len() + 1,
                        found: values.len(),
                        span: start..end,
                    });
                };
                outcomes.push(pair);
            }
            lx.expect(&Tok::RBrace, "`{` starting an outcome or `}` ending the outcome list")?;
            for k in 0..profiles {
                let Tok::Number(text) = &lx.tok else {
                    if lx.tok == Tok::Eof {
                        return Err(too_short(&lx, k, profiles, rows, cols, "outcome indices"));
                    }
                    return Err(lx.error("an outcome index"));
                };
                let index = text.parse::<usize>().ok().filter(|&i| i <= outcomes.len()).ok_or_else(|| {
                    NfgError::UnknownOutcome { index: text.clone(), count: outcomes.len(), span: lx.span.clone() }
                })?;
                if index > 0 {
                    let (i, j) = cell(k);
                    let [a, b] = &outcomes[index - 1];
                    payoffs[ROW][i][j] = a.clone();
                    payoffs[COLUMN][i][j] = b.clone();
                }
                lx.advance()?;
            }
        }
        Tok::Number(_) => {
            for k in 0..2 * profiles {
                if lx.tok == Tok::Eof {
                    return Err(too_short(&lx, k, 2 * profiles, rows, cols, "payoffs"));
                }
                let (value, _) = lx.expect_number("a payoff")?;
                let (i, j) = cell(k / 2);
                payoffs[k % 2][i][j] = value;
            }
        }
        _ => return Err(lx.error("`{` starting the outcome list, or the first payoff")),
    }
    if lx.tok != Tok::Eof {
        return Err(NfgError::TrailingData { found: lx.tok.describe(), span: lx.span.clone() });
    }
    let [p1, p2] = <[String; 2]>::try_from(players)
        .map_err(|p| NfgError::UnsupportedPlayers { count: p.len(), span: players_start..players_end })?;
    Ok(Game::new(title, [p1, p2], strategies, payoffs)?)
}

fn too_short(lx: &Lexer, found: usize, expected: usize, rows: usize, cols: usize, what: &'static str) -> NfgError {
    NfgError::TooShort { found, expected, rows, cols, what, span: lx.span.clone() }
}

/// Writes a game as a Gambit `.nfg` file, with strategy names, in the
/// requested variant. Numbers are exact (`1/3`, `-2`).
pub fn to_nfg_string(game: &Game, format: NfgFormat) -> String {
    let (rows, cols) = game.shape();
    let labels = |names: &[String]| names.iter().map(|n| quote(n)).collect::<Vec<_>>().join(" ");
    let mut out = format!(
        "NFG 1 R {} {{ {} }}\n\n{{ {{ {} }}\n{{ {} }}\n}}\n\"\"\n\n",
        quote(&game.title),
        labels(&game.players),
        labels(&game.strategies[ROW]),
        labels(&game.strategies[COLUMN]),
    );
    let profiles = (0..cols).flat_map(|j| (0..rows).map(move |i| (i, j)));
    match format {
        NfgFormat::Payoff => {
            let cells: Vec<String> = profiles
                .map(|(i, j)| {
                    format!("{} {}", fmt_rational(game.payoff(ROW, i, j)), fmt_rational(game.payoff(COLUMN, i, j)))
                })
                .collect();
            out.push_str(&cells.join(" "));
            out.push('\n');
        }
        NfgFormat::Outcome => {
            let mut outcomes: Vec<[&BigRational; 2]> = Vec::new();
            let mut indices = Vec::new();
            for (i, j) in profiles {
                let pair = [game.payoff(ROW, i, j), game.payoff(COLUMN, i, j)];
                let index = match outcomes.iter().position(|o| *o == pair) {
                    Some(k) => k,
                    None => {
                        outcomes.push(pair);
                        outcomes.len() - 1
                    }
                };
                indices.push((index + 1).to_string());
            }
            out.push_str("{\n");
            for [a, b] in &outcomes {
                out.push_str(&format!("{{ \"\" {}, {} }}\n", fmt_rational(a), fmt_rational(b)));
            }
            out.push_str("}\n");
            out.push_str(&indices.join(" "));
            out.push('\n');
        }
    }
    out
}

/// Quotes a label the way Gambit reads it back: `"` becomes `\"`.
pub(crate) fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::super::model::tests::q;
    use super::*;

    // The examples from Gambit's documentation of the .nfg format
    // (Selten, IJGT 1975, Figure 2, normal form): payoff version (e02.nfg)
    // and outcome version of the same game.
    const GAMBIT_PAYOFF_EXAMPLE: &str = r#"NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
{ "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
"#;

    const GAMBIT_OUTCOME_EXAMPLE: &str = r#"NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }

{
{ "1" "2" "3" }
{ "1" "2" }
}

{
{ "" 1, 1 }
{ "" 0, 2 }
{ "" 0, 2 }
{ "" 1, 1 }
{ "" 0, 3 }
{ "" 2, 0 }
}
1 2 3 4 5 6
"#;

    fn selten_matrices() -> [Vec<Vec<BigRational>>; 2] {
        let m = |rows: [[i64; 2]; 3]| -> Vec<Vec<BigRational>> {
            rows.iter().map(|r| r.iter().map(|&v| q(v, 1)).collect()).collect()
        };
        [m([[1, 1], [0, 0], [0, 2]]), m([[1, 1], [2, 3], [2, 0]])]
    }

    #[test]
    fn parses_gambit_payoff_example() {
        let g = from_nfg_str(GAMBIT_PAYOFF_EXAMPLE).unwrap();
        assert_eq!(g.title, "Selten (IJGT, 75), Figure 2, normal form");
        assert_eq!(g.players, ["Player 1".to_string(), "Player 2".to_string()]);
        assert_eq!(g.strategies[ROW], vec!["1", "2", "3"]);
        assert_eq!(g.strategies[COLUMN], vec!["1", "2"]);
        assert_eq!(g.payoffs, selten_matrices());
    }

    #[test]
    fn parses_gambit_outcome_example() {
        let g = from_nfg_str(GAMBIT_OUTCOME_EXAMPLE).unwrap();
        assert_eq!(g.payoffs, selten_matrices());
        assert_eq!(g, from_nfg_str(GAMBIT_PAYOFF_EXAMPLE).unwrap());
    }

    #[test]
    fn parses_escaped_quotes_comments_decimals_and_null_outcome() {
        let src = r#"NFG 1 R "An example of a \"Bayesian game\"" { "A" "B" }
{ { "x" "y" } { "z" } }
"a comment"
{ { "first" 0.5 -1/3 } { "" 1e1, +2 } }
1 0
"#;
        let g = from_nfg_str(src).unwrap();
        assert_eq!(g.title, "An example of a \"Bayesian game\"");
        assert_eq!(g.payoffs[ROW], vec![vec![q(1, 2)], vec![q(0, 1)]]);
        assert_eq!(g.payoffs[COLUMN], vec![vec![q(-1, 3)], vec![q(0, 1)]]);
    }

    fn sample_game() -> Game {
        let mut g = Game::from_integers(
            "Chicken \"classic\"",
            ["Driver 1", "Driver 2"],
            [&["Swerve", "Straight", "Brake"], &["Swerve", "Straight"]],
            &[&[0, -1], &[1, -10], &[0, 0]],
            &[&[0, 1], &[-1, -10], &[0, 0]],
        )
        .unwrap();
        g.payoffs[ROW][2][1] = q(-7, 3);
        g.payoffs[COLUMN][2][0] = q(1, 10);
        g
    }

    #[test]
    fn round_trips_both_forms() {
        let g = sample_game();
        for format in [NfgFormat::Payoff, NfgFormat::Outcome] {
            let text = to_nfg_string(&g, format);
            assert_eq!(from_nfg_str(&text).unwrap(), g, "{format:?}:\n{text}");
        }
        let outcome_text = to_nfg_string(&g, NfgFormat::Outcome);
        // (0,0) appears twice and is written once.
        assert_eq!(outcome_text.matches("{ \"\" 0, 0 }").count(), 1, "{outcome_text}");
    }

    #[test]
    fn rejects_three_players_clearly() {
        let src = r#"NFG 1 R "three" { "A" "B" "C" } { 2 2 2 }
1 1 1 2 2 2 3 3 3 4 4 4 5 5 5 6 6 6 7 7 7 8 8 8"#;
        let e = from_nfg_str(src).unwrap_err();
        assert!(matches!(e, NfgError::UnsupportedPlayers { count: 3, .. }));
        assert!(e.to_string().contains("two-player"));
        assert_eq!(&src[e.span().unwrap()], r#"{ "A" "B" "C" }"#);
    }

    #[test]
    fn malformed_files_are_errors_with_spans() {
        let cases = [
            ("EFG 2 R \"x\" { \"A\" }", "NFG"),
            ("NFG 2 R \"x\" { \"A\" \"B\" } { 1 1 } 1 1", "version"),
            ("NFG 1 R \"x\" { \"A\" \"B\" } { 2 2 } 1 2 3", "needs 8"),
            ("NFG 1 R \"x\" { \"A\" \"B\" } { 1 1 } 1 2 3", "unexpected"),
            ("NFG 1 R \"x\" { \"A\" \"B\" } { 1 1 } 1 abc", "expected a payoff"),
            ("NFG 1 R \"x\" { \"A\" \"B\" } { 1 1 } 1 1/0", "denominator"),
            ("NFG 1 R \"x\" { \"A\" \"B\" } { 0 1 } ", "between 1 and 20"),
            ("NFG 1 R \"x\" { \"A\" \"B\" } { 99999999999999999999 1 } ", "between 1 and 20"),
            ("NFG 1 R \"x\" { \"A\" \"B\" } { { \"a\" } { \"b\" } } { { \"\" 1 2 } } 2", "outcome 2"),
            ("NFG 1 R \"x\" { \"A\" \"B\" } { { \"a\" } { \"b\" } } { { \"\" 1 2 3 } } 1", "exactly 2"),
            ("NFG 1 R \"x\" { \"A\" \"B\" } { { \"a\" } { \"b\" } } { { \"\" 1 2 } }", "needs 1"),
            ("NFG 1 R \"unterminated", "closing"),
            ("", "NFG"),
        ];
        for (src, needle) in cases {
            let e = from_nfg_str(src).expect_err(src);
            assert!(e.to_string().contains(needle), "{src}: {e}");
            assert!(e.span().is_some(), "{src}: no span");
        }
    }

    proptest::proptest! {
        /// Arbitrary text and damaged versions of valid files never panic.
        #[test]
        fn never_panics_on_garbage(
            text in "\\PC{0,200}",
            cut in 0usize..400,
            insert in "[{}\",0-9./eE+\\-]{0,5}",
        ) {
            let _ = from_nfg_str(&text);
            for base in [GAMBIT_PAYOFF_EXAMPLE, GAMBIT_OUTCOME_EXAMPLE] {
                let mut damaged: String = base.chars().take(cut).collect();
                damaged.push_str(&insert);
                damaged.extend(base.chars().skip(cut + insert.len() / 2));
                if let Some(span) = from_nfg_str(&damaged).err().and_then(|e| e.span()) {
                    proptest::prop_assert!(damaged.get(span).is_some());
                }
            }
        }
    }
}
