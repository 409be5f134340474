//! Reading a spanned TOML tree with precise, collected diagnostics.
//!
//! serde stops at the first error; a teacher fixing a file wants all of them.
//! So the scenario is parsed into toml's spanned tree ([`DeTable`]) and read
//! by hand through these helpers: each accessor returns `None` after
//! recording a [`Diagnostic`] with the value's span and TOML path, and the
//! caller carries on reading the rest of the file.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, did_you_mean};
use crate::model::{Distribution, Shape};

pub type Value<'i> = Spanned<DeValue<'i>>;

/// A number that may be uncertain (MODEL.md §4).
#[derive(Debug, Clone)]
pub enum Num {
    Fixed(f64),
    Uncertain(Distribution),
}

impl Num {
    /// The range of values this number can take.
    pub fn support(&self) -> (f64, f64) {
        match self {
            Num::Fixed(x) => (*x, *x),
            Num::Uncertain(d) => d.support(),
        }
    }
}

/// The diagnostics collected so far, and the source text for span fixes.
pub struct Reader<'s> {
    pub text: &'s str,
    pub diagnostics: Vec<Diagnostic>,
}

/// A table being read: remembers which keys were used so that the rest can
/// be reported as unknown.
pub struct Table<'t, 'i> {
    entries: &'t DeTable<'i>,
    pub span: Range<usize>,
    pub path: String,
    used: Vec<bool>,
}

/// Joins a TOML path and a key, quoting keys that need it.
pub fn join(path: &str, key: &str) -> String {
    let bare = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let key = if bare { key.to_string() } else { format!("{key:?}") };
    if path.is_empty() { key } else { format!("{path}.{key}") }
}

/// Describes a TOML value's type for "expected X, found Y" messages.
pub fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'s> Reader<'s> {
    pub fn new(text: &'s str) -> Self {
        Reader { text, diagnostics: Vec::new() }
    }

    /// Records a problem; returns it so the caller can add advice.
    pub fn error(&mut self, span: Range<usize>, path: &str, message: impl Into<String>) -> &mut Diagnostic {
        let span = self.first_line(span);
        self.diagnostics.push(Diagnostic::new(span, path, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Shrinks a span to its first line, so that a table's "missing key"
    /// points at its header instead of quoting the whole table.
    fn first_line(&self, span: Range<usize>) -> Range<usize> {
        // A span may come from another text (a `--set` value parsed on its
        // own), so keep it on character boundaries of this one.
        let mut start = span.start.min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = span.end.min(self.text.len()).max(start);
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        let end = self.text[start..end].find('\n').map_or(end, |i| start + i);
        start..end
    }

    fn expected(&mut self, v: &Value<'_>, path: &str, what: &str) {
        let found = type_name(v.get_ref());
        self.error(v.span(), path, format!("expected {what}, found {found}"));
    }

    pub fn table<'t, 'i>(&mut self, v: &'t Value<'i>, path: &str) -> Option<Table<'t, 'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(Table::new(t, v.span(), path.to_string())),
            _ => {
                self.expected(v, path, "a table");
                None
            }
        }
    }

    pub fn array<'t, 'i>(&mut self, v: &'t Value<'i>, path: &str) -> Option<&'t [Value<'i>]> {
        match v.get_ref() {
            DeValue::Array(a) => Some(a),
            _ => {
                self.expected(v, path, "an array");
                None
            }
        }
    }

    pub fn string(&mut self, v: &Value<'_>, path: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.expected(v, path, "a string");
                None
            }
        }
    }

    /// An identifier: a non-empty string of letters, digits, `-` and `_`, so
    /// that it is safe in file names, CSV headers and `issue = option` text.
    pub fn identifier(&mut self, v: &Value<'_>, path: &str) -> Option<String> {
        let s = self.string(v, path)?;
        if valid_identifier(&s) {
            Some(s)
        } else {
            self.error(v.span(), path, format!("`{s}` is not a valid id")).help =
                Some("ids use letters, digits, `-` and `_` only, e.g. \"treaty-ban\"".into());
            None
        }
    }

    /// A finite number (integer or float).
    pub fn number(&mut self, v: &Value<'_>, path: &str) -> Option<f64> {
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok().map(|x| x as f64),
            DeValue::Float(f) => parse_float(f.as_str()),
            _ => {
                self.expected(v, path, "a number");
                return None;
            }
        };
        match parsed {
            Some(x) if x.is_finite() && x.abs() <= 1e12 => Some(x),
            Some(x) if x.is_nan() => {
                self.error(v.span(), path, "expected a number, found nan").help =
                    Some("write an ordinary number".into());
                None
            }
            _ => {
                self.error(v.span(), path, "this number is too large (the limit is 1e12 in size)").help =
                    Some("scenario numbers are utilities, probabilities and factors: write an ordinary number".into());
                None
            }
        }
    }

    /// A whole number within `lo..=hi`.
    pub fn integer(&mut self, v: &Value<'_>, path: &str, lo: i64, hi: i64) -> Option<i64> {
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok(),
            _ => {
                self.expected(v, path, "a whole number");
                return None;
            }
        };
        match parsed {
            Some(x) if (lo..=hi).contains(&x) => Some(x),
            _ => {
                let shown = match v.get_ref() {
                    DeValue::Integer(i) => i.to_string(),
                    _ => String::new(),
                };
                self.error(v.span(), path, format!("expected a whole number from {lo} to {hi}, found {shown}"));
                None
            }
        }
    }

    /// A number that may be a distribution: `0.9`, `{ normal = [0.9, 0.05] }`,
    /// `{ uniform = [lo, hi] }`, `{ triangular = [lo, mode, hi] }`,
    /// `{ beta = [a, b] }`, each with optional `min` / `max` clamps.
    pub fn num(&mut self, v: &Value<'_>, path: &str) -> Option<Num> {
        let DeValue::Table(_) = v.get_ref() else {
            return match v.get_ref() {
                DeValue::Integer(_) | DeValue::Float(_) => self.number(v, path).map(Num::Fixed),
                _ => {
                    self.expected(v, path, "a number or a distribution such as { normal = [0.9, 0.05] }");
                    None
                }
            };
        };
        let mut t = self.table(v, path)?;
        let mut shape = None;
        let mut ok = true;
        for (kind, arity) in [("normal", 2), ("uniform", 2), ("triangular", 3), ("beta", 2)] {
            let Some(params) = t.get(kind) else { continue };
            let ppath = join(path, kind);
            if shape.is_some() {
                self.error(params.span(), &ppath, "a distribution has exactly one shape").help =
                    Some("keep one of normal, uniform, triangular, beta".into());
                ok = false;
                continue;
            }
            let Some(items) = self.array(params, &ppath) else {
                ok = false;
                continue;
            };
            if items.len() != arity {
                let form = match kind {
                    "normal" => "[mean, sd]",
                    "uniform" => "[lo, hi]",
                    "triangular" => "[lo, mode, hi]",
                    _ => "[a, b]",
                };
                self.error(params.span(), &ppath, format!("a {kind} takes {arity} numbers, found {}", items.len()))
                    .help = Some(format!("write {{ {kind} = {form} }}"));
                ok = false;
                continue;
            }
            let xs: Vec<Option<f64>> =
                items.iter().enumerate().map(|(k, x)| self.number(x, &format!("{ppath}[{k}]"))).collect();
            let Some(xs) = xs.into_iter().collect::<Option<Vec<f64>>>() else {
                ok = false;
                continue;
            };
            shape = Some((
                params.span(),
                ppath,
                match kind {
                    "normal" => Shape::Normal { mean: xs[0], sd: xs[1] },
                    "uniform" => Shape::Uniform { lo: xs[0], hi: xs[1] },
                    "triangular" => Shape::Triangular { lo: xs[0], mode: xs[1], hi: xs[2] },
                    _ => Shape::Beta { a: xs[0], b: xs[1] },
                },
            ));
        }
        let min = t.get("min").map(|m| self.number(m, &join(path, "min")));
        let max = t.get("max").map(|m| self.number(m, &join(path, "max")));
        t.finish(self, &["normal", "uniform", "triangular", "beta", "min", "max"]);
        if matches!(min, Some(None)) || matches!(max, Some(None)) || !ok {
            return None;
        }
        let Some((span, ppath, shape)) = shape else {
            self.error(v.span(), path, "a distribution needs a shape")
                .help = Some("write e.g. { normal = [0.9, 0.05] }, { uniform = [0.2, 0.4] }, { triangular = [0, 0.3, 1] } or { beta = [2, 5] }".into());
            return None;
        };
        match Distribution::new(shape, min.flatten(), max.flatten()) {
            Ok(d) => Some(Num::Uncertain(d)),
            Err(e) => {
                self.error(span, &ppath, e.0);
                None
            }
        }
    }
}

fn parse_float(s: &str) -> Option<f64> {
    let s = s.replace('_', "");
    match s.as_str() {
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        "nan" | "+nan" | "-nan" => Some(f64::NAN),
        _ => s.parse().ok(),
    }
}

pub fn valid_identifier(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl<'t, 'i> Table<'t, 'i> {
    pub fn new(entries: &'t DeTable<'i>, span: Range<usize>, path: String) -> Self {
        Table { entries, span, path, used: vec![false; entries.len()] }
    }

    /// The value at `key`, marking it as used.
    pub fn get(&mut self, key: &str) -> Option<&'t Value<'i>> {
        for (n, (k, v)) in self.entries.iter().enumerate() {
            if k.get_ref().as_ref() == key {
                self.used[n] = true;
                return Some(v);
            }
        }
        None
    }

    /// The value at `key`, or a "missing key" diagnostic.
    pub fn require(&mut self, r: &mut Reader<'_>, key: &str, example: &str) -> Option<&'t Value<'i>> {
        let v = self.get(key);
        if v.is_none() {
            let what = if self.path.is_empty() { "the file".to_string() } else { format!("`{}`", self.path) };
            r.error(self.span.clone(), &join(&self.path, key), format!("{what} is missing the required key `{key}`"))
                .help = Some(format!("add `{example}`"));
        }
        v
    }

    pub fn path_of(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// Every entry, in file order, marking all as used.
    pub fn entries(&mut self) -> Vec<(&'t Spanned<std::borrow::Cow<'i, str>>, &'t Value<'i>)> {
        self.used.iter_mut().for_each(|u| *u = true);
        self.entries.iter().collect()
    }

    /// Reports the keys nobody asked for, with a "did you mean" when one of
    /// the allowed keys is close.
    pub fn finish(self, r: &mut Reader<'_>, allowed: &[&str]) {
        for (n, (k, _)) in self.entries.iter().enumerate() {
            if self.used[n] {
                continue;
            }
            let key = k.get_ref().as_ref();
            let path = join(&self.path, key);
            let where_ =
                if self.path.is_empty() { "at the top level".to_string() } else { format!("in `{}`", self.path) };
            let d = r.error(k.span(), &path, format!("unknown key `{key}` {where_}"));
            d.help = Some(match did_you_mean(key, allowed.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the keys allowed here are: {}", allowed.join(", ")),
            });
        }
    }
}
