//! Resolving the SCENARIO argument: a path to a file, or a built-in name.

use std::path::Path;

use brink::model::Model;
use brink::scenario::{self, BUILTIN, LoadError, Source};
use serde_json::json;

use super::Failure;

/// Loads a scenario by path, or by built-in name when no such file exists
/// (a path always wins over a name).
pub fn load(arg: &str) -> Result<(Source, Model), LoadError> {
    let path = Path::new(arg);
    if !path.exists()
        && let Some(b) = scenario::find_builtin(arg)
    {
        return scenario::load_bytes(&format!("builtin:{}", b.name), b.text.as_bytes());
    }
    if !path.exists() && !arg.contains(['/', '\\']) && !arg.ends_with(".toml") {
        let names: Vec<&str> = BUILTIN.iter().map(|b| b.name).collect();
        return Err(LoadError::Io {
            path: arg.to_string(),
            reason: format!("no such file, and no built-in scenario of that name (built-ins: {})", names.join(", ")),
        });
    }
    scenario::load_file(path)
}

/// The user-facing failure for a scenario that did not load, as text or JSON.
pub fn failure(e: &LoadError, as_json: bool) -> Failure {
    if as_json {
        let (file, text) = match e {
            LoadError::Invalid { name, text, .. } => (name.clone(), text.as_str()),
            LoadError::Io { path, .. } => (path.clone(), ""),
        };
        let problems: Vec<_> = e
            .diagnostics()
            .iter()
            .map(|d| {
                let (line, column) = d.line_col(text);
                json!({"line": line, "column": column, "path": d.path, "message": d.message, "help": d.help})
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
