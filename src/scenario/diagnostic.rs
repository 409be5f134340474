//! Problems found in a scenario file, with where they are and how to fix them.
//!
//! A [`Diagnostic`] is plain data (byte span, TOML path, message, advice); the
//! rendering to the familiar `error: … ┌─ file:line:col` form happens in
//! [`render`], which returns a string and prints nothing.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

/// One problem in a scenario.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    /// Byte range in the source text the problem points at.
    pub span: Range<usize>,
    /// TOML path of the value, e.g. `actors.usa.issues.nato.values`; empty for
    /// problems with the file as a whole (syntax errors).
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
    /// How to fix it, when we can say.
    pub help: Option<String>,
    /// Where the problem comes from when not from the file: the `--set`
    /// argument it was found in. Its span then means nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

impl Diagnostic {
    pub fn new(span: Range<usize>, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { span, path: path.into(), message: message.into(), help: None, origin: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// 1-based line and column (in characters) of the span's start.
    pub fn line_col(&self, text: &str) -> (usize, usize) {
        line_col(text, self.span.start)
    }
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..at].chars().count() + 1;
    (line, col)
}

/// Line starts of a text, so that many offsets turn into line and column
/// in time proportional to the text plus the offsets (`check --json` on a
/// file with thousands of problems stays linear).
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { text, starts }
    }

    /// As [`line_col`].
    pub fn line_col(&self, at: usize) -> (usize, usize) {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= at);
        let start = self.starts[line - 1];
        (line, self.text[start..at].chars().count() + 1)
    }
}

/// Renders every diagnostic against its source, codespan style, no colours.
pub fn render(file_name: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    let file = SimpleFile::new(file_name, text);
    let config = Config::default();
    let mut out = String::new();
    for d in diagnostics {
        if let Some(origin) = &d.origin {
            // From the command line, not the file: no snippet to show.
            out.push_str(&format!("error: {}\n  in {origin}\n", d.message));
            if let Some(help) = &d.help {
                out.push_str(&format!("  = help: {help}\n"));
            }
            out.push('\n');
            continue;
        }
        let mut span = d.span.start.min(text.len())..d.span.end.min(text.len());
        if span.end < span.start {
            span.end = span.start;
        }
        let mut notes = Vec::new();
        if !d.path.is_empty() {
            notes.push(format!("at `{}`", d.path));
        }
        if let Some(help) = &d.help {
            notes.push(format!("help: {help}"));
        }
        let cs = CsDiagnostic::error()
            .with_message(&d.message)
            .with_labels(vec![Label::primary((), span)])
            .with_notes(notes);
        match term::emit_into_string(&config, &file, &cs) {
            Ok(s) => out.push_str(&s),
            // A span codespan cannot place still deserves a readable line.
            Err(_) => {
                let (l, c) = d.line_col(text);
                out.push_str(&format!("error: {}\n  --> {file_name}:{l}:{c}\n", d.message));
            }
        }
    }
    out
}

/// The closest candidate to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal-string-alignment distance: Levenshtein plus adjacent swaps, the
/// commonest typo.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_but_not_strangers() {
        let keys = ["weight", "values", "discount"];
        assert_eq!(did_you_mean("wieght", keys), Some("weight"));
        assert_eq!(did_you_mean("value", keys), Some("values"));
        assert_eq!(did_you_mean("colour", keys), None);
    }

    #[test]
    fn line_and_column_count_from_one() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 11), (2, 6));
    }

    #[test]
    fn the_line_index_agrees_with_line_col() {
        let text = "ab\nçd\n\nxyz";
        let index = LineIndex::new(text);
        for at in 0..=text.len() + 2 {
            assert_eq!(index.line_col(at), line_col(text, at), "at {at}");
        }
    }

    #[test]
    fn rendering_names_file_line_path_and_help() {
        let text = "x = 1\ndiscount = \"high\"\n";
        let d = Diagnostic::new(17..23, "actors.usa.discount", "expected a number, found a string")
            .with_help("write a number such as 0.95");
        let s = render("s.toml", text, &[d]);
        assert!(s.contains("s.toml:2:12"), "{s}");
        assert!(s.contains("actors.usa.discount"), "{s}");
        assert!(s.contains("help: write a number"), "{s}");
    }
}
