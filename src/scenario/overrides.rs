//! Overrides and variants: replacing values in a scenario's TOML tree before
//! it is compiled.
//!
//! `--set actors.usa.strategy.beta=0.2` and `[variants.NAME]` tables both
//! come down to [`apply`]: walk the tree along a TOML path and put a value
//! there. The value is parsed as TOML, so numbers, strings and inline tables
//! (a distribution) all work. The compiled result is then validated like any
//! scenario, so a wrong type gets the same message as in a file.

use std::borrow::Cow;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, did_you_mean};
use super::toml_tree::{Value, join};

/// One step of a TOML path.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A `--set PATH=VALUE` argument, parsed.
#[derive(Debug, Clone)]
pub struct Override {
    /// The argument as given, for messages and provenance.
    pub arg: String,
    pub path: Vec<Segment>,
    /// The path in the canonical form diagnostics use.
    pub path_text: String,
    /// The value's TOML text.
    pub value: String,
    /// The command-line flag it came from, for messages (`--set`, `--param`).
    pub flag: &'static str,
}

/// Formats a path the way diagnostics do: `a.b[2]."odd key"`.
pub fn path_text(path: &[Segment]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Segment::Key(k) => s = join(&s, k),
            Segment::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Parses `a.b[2].c` (keys may be quoted: `a."b c"`).
pub fn parse_path(s: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    let mut expect_key = true;
    while let Some(&c) = chars.peek() {
        match c {
            '.' if !expect_key => {
                chars.next();
                expect_key = true;
            }
            '[' => {
                chars.next();
                let digits: String = chars.by_ref().take_while(|&c| c != ']').collect();
                let i = digits.trim().parse().map_err(|_| format!("`[{digits}]` is not an array index"))?;
                out.push(Segment::Index(i));
                expect_key = false;
            }
            '"' if expect_key => {
                chars.next();
                let key: String = chars.by_ref().take_while(|&c| c != '"').collect();
                out.push(Segment::Key(key));
                expect_key = false;
            }
            _ if expect_key => {
                let mut key = String::new();
                while let Some(&c) = chars.peek() {
                    if c == '.' || c == '[' {
                        break;
                    }
                    key.push(c);
                    chars.next();
                }
                let key = key.trim().to_string();
                if key.is_empty() {
                    return Err("empty key in path".into());
                }
                out.push(Segment::Key(key));
                expect_key = false;
            }
            _ => return Err(format!("unexpected `{c}` in path")),
        }
    }
    if out.is_empty() || expect_key {
        return Err("the path is empty or ends with a dot".into());
    }
    Ok(out)
}

/// Parses a `--set PATH=VALUE` argument.
pub fn parse_override(arg: &str) -> Result<Override, String> {
    let Some((path, value)) = arg.split_once('=') else {
        return Err(format!("`{arg}` is not PATH=VALUE (e.g. actors.usa.discount=0.9)"));
    };
    let path = parse_path(path.trim()).map_err(|e| format!("in `{arg}`: {e}"))?;
    let value = value.trim().to_string();
    if let Err(e) = DeValue::parse(&value) {
        return Err(format!(
            "in `{arg}`: the value is not TOML ({}); strings need quotes, e.g. strategy='\"boulware\"'",
            e.message().trim()
        ));
    }
    Ok(Override { arg: arg.to_string(), path_text: path_text(&path), path, value, flag: "--set" })
}

/// Every path present in a tree, for "nearest valid paths" suggestions.
fn all_paths(t: &DeTable<'_>, prefix: &str, out: &mut Vec<String>) {
    for (k, v) in t.iter() {
        let p = join(prefix, k.get_ref());
        out.push(p.clone());
        match v.get_ref() {
            DeValue::Table(inner) => all_paths(inner, &p, out),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let DeValue::Table(inner) = item.get_ref() {
                        all_paths(inner, &format!("{p}[{i}]"), out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The existing paths closest to `wanted`, best first.
pub fn nearest_paths(root: &DeTable<'_>, wanted: &str) -> Vec<String> {
    let mut paths = Vec::new();
    all_paths(root, "", &mut paths);
    let mut out = Vec::new();
    let mut pool: Vec<&str> = paths.iter().map(String::as_str).collect();
    for _ in 0..3 {
        let Some(best) = did_you_mean(wanted, pool.iter().copied()).map(str::to_string) else { break };
        pool.retain(|p| *p != best);
        out.push(best);
    }
    if out.is_empty() {
        // Nothing is a near typo: offer the siblings of the deepest existing prefix.
        let parent = wanted.rsplit_once('.').map_or("", |(p, _)| p);
        out = paths.into_iter().filter(|p| p.rsplit_once('.').map_or("", |(q, _)| q) == parent).take(6).collect();
    }
    out
}

/// Puts `value` at `path` in `root`. Intermediate tables and array entries
/// must exist; the last key is inserted if absent (the compiler then rejects
/// it if it is not a key of the format).
pub fn apply<'a>(root: &mut DeTable<'a>, path: &[Segment], value: Spanned<DeValue<'a>>) -> Result<(), String> {
    let nearest = |root: &DeTable<'_>| {
        let wanted = path_text(path);
        let near = nearest_paths(root, &wanted);
        if near.is_empty() { String::new() } else { format!("; nearest valid paths: {}", near.join(", ")) }
    };
    let Some((last, init)) = path.split_last() else { return Err("empty path".into()) };
    // First check that the walk succeeds without mutating, to build good messages.
    {
        let mut node: Option<&DeValue<'_>> = None; // None: the root table
        for (k, seg) in init.iter().enumerate() {
            let at = path_text(&path[..k]);
            let next = match (node, seg) {
                (None, Segment::Key(key)) => root.get(key.as_str()).map(|v| v.get_ref()),
                (Some(DeValue::Table(t)), Segment::Key(key)) => t.get(key.as_str()).map(|v| v.get_ref()),
                (Some(DeValue::Array(a)), Segment::Index(i)) => match a.get(*i) {
                    Some(v) => Some(v.get_ref()),
                    None => return Err(format!("`{at}` has {} entries; index {i} is out of range", a.len())),
                },
                (Some(DeValue::Array(_)), Segment::Key(_)) => {
                    return Err(format!("`{at}` is an array: give an index, e.g. `{at}[0]`"));
                }
                (Some(other), _) => {
                    return Err(format!(
                        "`{at}` is {}, not a table: set the whole value instead, e.g. --set '{at}={{ kind = \"time\", beta = 0.3 }}'",
                        super::toml_tree::type_name(other)
                    ));
                }
                (None, Segment::Index(_)) => return Err("a path cannot start with an index".into()),
            };
            match next {
                Some(v) => node = Some(v),
                None => return Err(format!("no such key `{}`{}", path_text(&path[..=k]), nearest(root))),
            }
        }
        let at = path_text(init);
        match (node, last) {
            (None | Some(DeValue::Table(_)), Segment::Key(_)) => {}
            (Some(DeValue::Array(a)), Segment::Index(i)) if *i < a.len() => {}
            (Some(DeValue::Array(a)), Segment::Index(i)) => {
                return Err(format!("`{at}` has {} entries; index {i} is out of range", a.len()));
            }
            (Some(other), _) => {
                return Err(format!(
                    "`{at}` is {}, so `{}` cannot be set inside it",
                    super::toml_tree::type_name(other),
                    path_text(path)
                ));
            }
            (None, Segment::Index(_)) => return Err("a path cannot start with an index".into()),
        }
    }
    // The walk is known to succeed: now mutate.
    put_in_table(root, path, value)
}

fn put_in_table<'a>(t: &mut DeTable<'a>, path: &[Segment], value: Spanned<DeValue<'a>>) -> Result<(), String> {
    match path {
        [Segment::Key(k)] => {
            match t.get_mut(k.as_str()) {
                Some(slot) => *slot = value,
                None => {
                    let span = value.span();
                    t.insert(Spanned::new(span, Cow::Owned(k.clone())), value);
                }
            }
            Ok(())
        }
        [Segment::Key(k), rest @ ..] => match t.get_mut(k.as_str()) {
            Some(slot) => put_in_value(slot.get_mut(), rest, value),
            None => Err(format!("no such key `{k}`")),
        },
        _ => Err("the path does not fit the scenario".into()),
    }
}

fn put_in_value<'a>(node: &mut DeValue<'a>, path: &[Segment], value: Spanned<DeValue<'a>>) -> Result<(), String> {
    match node {
        DeValue::Table(t) => put_in_table(t, path, value),
        DeValue::Array(a) => {
            let items: &mut [Spanned<DeValue<'a>>] = std::ops::DerefMut::deref_mut(a);
            match path {
                [Segment::Index(i)] if *i < items.len() => {
                    items[*i] = value;
                    Ok(())
                }
                [Segment::Index(i), rest @ ..] if *i < items.len() => put_in_value(items[*i].get_mut(), rest, value),
                _ => Err("the path does not fit the scenario".into()),
            }
        }
        _ => Err("the path does not fit the scenario".into()),
    }
}

/// A variant declared in the scenario file: `[variants.NAME]` with a
/// description and `"path" = value` entries.
#[derive(Debug, Clone)]
pub struct VariantInfo {
    pub name: String,
    pub description: String,
}

/// The variants declared in a parsed file, with structural problems.
pub fn variants(root: &DeTable<'_>) -> (Vec<VariantInfo>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let Some(v) = root.get("variants") else { return (out, problems) };
    let DeValue::Table(t) = v.get_ref() else {
        problems.push(
            Diagnostic::new(v.span(), "variants", "expected a table of variants")
                .with_help("write [variants.NAME] with description = \"...\" and \"path\" = value lines"),
        );
        return (out, problems);
    };
    for (name, body) in t.iter() {
        let path = join("variants", name.get_ref());
        let DeValue::Table(b) = body.get_ref() else {
            problems.push(
                Diagnostic::new(body.span(), &path, "expected a table")
                    .with_help("write [variants.NAME] with description = \"...\" and \"path\" = value lines"),
            );
            continue;
        };
        let description = match b.get("description").map(|d| d.get_ref()) {
            Some(DeValue::String(s)) => s.to_string(),
            _ => {
                problems.push(
                    Diagnostic::new(
                        body.span(),
                        join(&path, "description"),
                        "a variant needs a description (a string)",
                    )
                    .with_help("say what policy the variant stands for: description = \"...\""),
                );
                String::new()
            }
        };
        out.push(VariantInfo { name: name.get_ref().to_string(), description });
    }
    (out, problems)
}

/// Applies variant `name` from `root` onto `root` itself.
pub fn apply_variant<'a>(root: &mut DeTable<'a>, name: &str) -> Result<(), Vec<Diagnostic>> {
    let entries: Vec<(Spanned<Cow<'a, str>>, Value<'a>)> = match root.get("variants").map(|v| v.get_ref()) {
        Some(DeValue::Table(t)) => match t.get(name).map(|v| v.get_ref()) {
            Some(DeValue::Table(b)) => b.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            _ => return Err(vec![unknown_variant(root, name)]),
        },
        _ => return Err(vec![unknown_variant(root, name)]),
    };
    let mut problems = Vec::new();
    for (key, value) in entries {
        if key.get_ref() == "description" {
            continue;
        }
        let vpath = join(&join("variants", name), key.get_ref());
        match parse_path(key.get_ref()) {
            Ok(path) => {
                if let Err(e) = apply(root, &path, value) {
                    problems.push(Diagnostic::new(key.span(), vpath, e));
                }
            }
            Err(e) => problems.push(Diagnostic::new(
                key.span(),
                vpath,
                format!("`{}` is not a TOML path: {e}", key.get_ref()),
            )),
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// Applies several variants in the order given, so that they combine. A
/// variant named twice, an unknown one, or two variants that set the same
/// path (or one inside the other) to different values are refused before
/// anything is applied: which value wins would otherwise depend on the order
/// of flags, silently. `text` is the file the tree was parsed from (values
/// are compared as written).
pub fn apply_variants(root: &mut DeTable<'_>, names: &[String], text: &str) -> Result<(), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    // (variant, path, path as text, value as written)
    let mut settings: Vec<(&str, Vec<Segment>, String, &str)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            let mut d = Diagnostic::new(0..0, join("variants", name), format!("variant `{name}` is given twice"))
                .with_help("give each --variant once");
            d.origin = Some(format!("--variant {name}"));
            problems.push(d);
            continue;
        }
        let Some(DeValue::Table(body)) = root
            .get("variants")
            .and_then(|v| match v.get_ref() {
                DeValue::Table(t) => t.get(name.as_str()),
                _ => None,
            })
            .map(|v| v.get_ref())
        else {
            problems.push(unknown_variant(root, name));
            continue;
        };
        for (key, value) in body.iter().filter(|(k, _)| k.get_ref() != "description") {
            let Ok(path) = parse_path(key.get_ref()) else { continue }; // apply_variant reports it
            let written = text.get(value.span()).unwrap_or("").trim();
            settings.push((name.as_str(), path.clone(), path_text(&path), written));
        }
    }
    for (j, (later, path, shown, value)) in settings.iter().enumerate() {
        let clash = settings[..j].iter().find(|(earlier, p, _, v)| {
            earlier != later && (p.starts_with(path) || path.starts_with(p)) && (p != path || v != value)
        });
        if let Some((earlier, _, earlier_shown, _)) = clash {
            let mut d = Diagnostic::new(
                0..0,
                shown.clone(),
                format!("variants `{earlier}` and `{later}` conflict: both set `{earlier_shown}`{}", if earlier_shown == shown { String::new() } else { format!(" / `{shown}`") }),
            )
            .with_help(format!(
                "drop one of them (then --set {shown}=VALUE, or --set for the dropped one's other settings, says what you want)"
            ));
            d.origin = Some(format!("--variant {earlier} --variant {later}"));
            problems.push(d);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for name in names {
        apply_variant(root, name)?;
    }
    Ok(())
}

fn unknown_variant(root: &DeTable<'_>, name: &str) -> Diagnostic {
    let (known, _) = variants(root);
    let names: Vec<&str> = known.iter().map(|v| v.name.as_str()).collect();
    let help = match did_you_mean(name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? the variants are: {}", names.join(", ")),
        None if names.is_empty() => "this scenario declares no [variants]".to_string(),
        None => format!("the variants are: {}", names.join(", ")),
    };
    let mut d = Diagnostic::new(0..0, join("variants", name), format!("no variant named `{name}`")).with_help(help);
    d.origin = Some(format!("--variant {name}"));
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_keys_indices_and_quotes() {
        assert_eq!(
            parse_path("disagreement[1].payoffs.\"odd key\"").unwrap(),
            vec![
                Segment::Key("disagreement".into()),
                Segment::Index(1),
                Segment::Key("payoffs".into()),
                Segment::Key("odd key".into())
            ]
        );
        assert!(parse_path("a.").is_err());
        assert!(parse_path("").is_err());
        assert_eq!(path_text(&parse_path("actors.usa.discount").unwrap()), "actors.usa.discount");
    }

    #[test]
    fn an_override_needs_a_toml_value() {
        assert!(parse_override("scenario.rounds=30").is_ok());
        assert!(parse_override("actors.usa.discount={ normal = [0.9, 0.05], max = 1 }").is_ok());
        let e = parse_override("actors.usa.strategy=boulware").unwrap_err();
        assert!(e.contains("strings need quotes"), "{e}");
        assert!(parse_override("scenario.rounds").unwrap_err().contains("PATH=VALUE"));
    }
}
