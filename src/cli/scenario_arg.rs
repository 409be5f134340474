//! Resolving the SCENARIO argument: a path to a file, or a built-in name.

use std::path::{Path, PathBuf};

use brink::model::Model;
use brink::scenario::{self, Adjustments, LoadError, Source, overrides};
use serde_json::json;

use super::Failure;

/// The "what if" arguments every scenario command takes.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct Adjust {
    /// Override a scenario value: PATH=VALUE, with PATH a TOML path such as
    /// actors.usa.strategy.beta and VALUE written as TOML (a number, a
    /// quoted string, or an inline table such as { normal = [0.9, 0.05] }).
    /// Repeatable; applied after --variant.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Apply a variant declared in the scenario's [variants.NAME] section.
    /// Repeatable: variants are applied in the order given, so they combine;
    /// two variants that set the same value differently are refused.
    #[arg(long, value_name = "NAME")]
    pub variant: Vec<String>,
}

impl Adjust {
    /// What a default output folder name gets so that a variant or an
    /// override run never lands in (and replaces) the baseline's folder:
    /// see [`folder_tag`].
    pub fn folder_tag(&self) -> String {
        folder_tag(&self.variant, &self.set)
    }

    /// `--out` if given, else the default folder for `scenario`:
    /// `outputs/<stem><tag><suffix>`, e.g. `outputs/geneva-2022@hard-line-sweep`.
    pub fn out_dir(&self, out: &Option<PathBuf>, scenario: &str, suffix: &str) -> PathBuf {
        out.clone().unwrap_or_else(|| {
            PathBuf::from("outputs").join(format!("{}{}{suffix}", stem(scenario), self.folder_tag()))
        })
    }

    /// Parses the overrides; a malformed one is the user's to fix (exit 2).
    pub fn adjustments(&self) -> Result<Adjustments, Failure> {
        let overrides = self
            .set
            .iter()
            .map(|a| overrides::parse_override(a))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Failure::Input(format!("error: --set {e}\n")))?;
        Ok(Adjustments { variants: self.variant.clone(), overrides })
    }
}

/// The suffix of a default output folder for an adjusted run: `@VARIANT`
/// for `--variant` (`@A+B` for several, in the order given), `+HASH` for `--set` (the first 8 hex digits of the
/// SHA-256 of the overrides, one per line, in order), both when both are
/// given; empty for the scenario as written. Characters other than letters,
/// digits, `-`, `_` and `.` in a variant name become `_`, so that the name
/// cannot steer the path.
pub fn folder_tag(variants: &[String], set: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let mut tag = String::new();
    for (i, v) in variants.iter().enumerate() {
        let clean: String =
            v.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
        tag.push(if i == 0 { '@' } else { '+' });
        tag.push_str(clean.trim_start_matches('.'));
    }
    if !set.is_empty() {
        let digest = Sha256::digest(set.join("\n").as_bytes());
        tag.push('+');
        tag.extend(digest.iter().take(4).map(|b| format!("{b:02x}")));
    }
    tag
}

/// Loads a scenario by path, or by built-in name when no such file exists
/// (a path always wins over a name), with a variant and overrides applied.
pub fn load_adjusted(arg: &str, adj: &Adjustments) -> Result<(Source, Model), LoadError> {
    scenario::load_named(arg, adj)
}

/// The user-facing failure for a scenario that did not load, as text or JSON.
pub fn failure(e: &LoadError, as_json: bool) -> Failure {
    if as_json {
        let (file, text) = match e {
            LoadError::Invalid { name, text, .. } => (name.clone(), text.as_str()),
            LoadError::Io { path, .. } => (path.clone(), ""),
        };
        let index = brink::scenario::diagnostic::LineIndex::new(text);
        let problems: Vec<_> = e
            .diagnostics()
            .iter()
            .map(|d| match &d.origin {
                // A problem found in a --set value has no place in the file:
                // say which argument it came from instead of "line 1".
                Some(origin) => json!({"line": null, "column": null, "origin": origin, "path": d.path,
                    "message": d.message, "help": d.help}),
                None => {
                    let (line, column) = index.line_col(d.span.start);
                    json!({"line": line, "column": column, "path": d.path, "message": d.message, "help": d.help})
                }
            })
            .collect();
        let v = json!({"valid": false, "file": file, "error": e.diagnostics().is_empty().then(|| e.to_string()), "problems": problems});
        super::print_json(&v);
        return Failure::Input(String::new());
    }
    let n = e.diagnostics().len();
    let mut msg = e.to_string();
    if n > 0 {
        let name = match e {
            LoadError::Invalid { name, .. } => name.as_str(),
            LoadError::Io { path, .. } => path.as_str(),
        };
        msg.push_str(&format!("\n{n} problem{} found in {name}\n", if n == 1 { "" } else { "s" }));
    } else {
        msg = format!("error: {msg}\n");
    }
    Failure::Input(msg)
}

/// The scenario arguments that are files (not built-in names), for the
/// output-folder check that no output folder holds its own inputs.
pub fn input_paths(args: &[String]) -> Vec<&Path> {
    args.iter().map(Path::new).filter(|p| p.exists()).collect()
}

/// The name results are filed under: a built-in's name or the file's stem.
/// Only the stem of the argument is used, so nothing inside a scenario (nor
/// a path like ../../x) can steer where brink writes.
pub fn stem(arg: &str) -> String {
    let path = Path::new(arg);
    if !path.exists()
        && let Some(b) = scenario::find_builtin(arg)
    {
        return b.name.to_string();
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty() && s != "..")
        .unwrap_or_else(|| "scenario".into())
}

#[cfg(test)]
mod tests {
    use super::folder_tag;

    #[test]
    fn issue_16_adjusted_runs_get_their_own_folder_name() {
        let v = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(folder_tag(&[], &[]), "");
        assert_eq!(folder_tag(&v(&["clear-eyed"]), &[]), "@clear-eyed");
        assert_eq!(folder_tag(&v(&["russia-impatient", "clear-eyed"]), &[]), "@russia-impatient+clear-eyed");
        let a = folder_tag(&[], &["actors.usa.discount=0.99".into()]);
        assert!(a.starts_with('+') && a.len() == 9, "{a}");
        assert_ne!(a, folder_tag(&[], &["actors.usa.discount=0.98".into()]));
        assert_eq!(folder_tag(&v(&["../x"]), &[]), "@_x");
        assert!(folder_tag(&v(&["v"]), &["a=1".into()]).starts_with("@v+"));
    }
}
