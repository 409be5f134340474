//! Scenario files: reading TOML, reporting problems, compiling to a [`Model`].
//!
//! The public entry points are [`load_file`] and [`load_bytes`]; both return
//! either a compiled model or a [`LoadError`] that renders every problem with
//! file, line, column, TOML path and advice.

mod builtin;
pub mod compile;
pub mod diagnostic;
pub mod overrides;
pub mod toml_tree;

use std::path::Path;

pub use builtin::{BUILTIN, Builtin, find_builtin};
pub use diagnostic::{Diagnostic, render};

use crate::model::Model;
pub use overrides::{Override, VariantInfo};

/// Changes applied to a scenario before it is compiled: variants declared in
/// the file, in order, then `--set` overrides (which win).
#[derive(Debug, Clone, Default)]
pub struct Adjustments {
    pub variants: Vec<String>,
    pub overrides: Vec<Override>,
}

impl Adjustments {
    /// The overrides as written, for provenance.
    pub fn describe(&self) -> Vec<String> {
        let mut v: Vec<String> = self.variants.iter().map(|n| format!("variant {n}")).collect();
        v.extend(self.overrides.iter().map(|o| o.arg.clone()));
        v
    }
}

/// Scenario files larger than this are refused before parsing: no teaching
/// scenario comes near it, and a runaway file should not eat memory.
pub const MAX_FILE_BYTES: usize = crate::limits::MAX_SCENARIO_BYTES as usize;

/// A scenario's text and where it came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown in messages: the path as given, or `builtin:NAME`.
    pub name: String,
    pub text: String,
    /// Hex SHA-256 of the file's bytes, recorded in results for provenance.
    pub sha256: String,
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read scenario file {path}: {reason}")]
    Io { path: String, reason: String },
    #[error("{}", render(name, text, diagnostics))]
    Invalid { name: String, text: String, diagnostics: Vec<Diagnostic> },
}

impl LoadError {
    /// The problems found, for machine-readable output.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            LoadError::Io { .. } => &[],
            LoadError::Invalid { diagnostics, .. } => diagnostics,
        }
    }
}

/// geneva-2022 as shipped, compiled: the scenario the library's unit tests use.
#[cfg(test)]
pub(crate) fn geneva_for_tests() -> Model {
    let text = find_builtin("geneva-2022").expect("geneva-2022 is built in").text;
    load_bytes("geneva-2022.toml", text.as_bytes()).map_err(|e| e.to_string()).expect("geneva-2022 loads").1
}

/// Loads a scenario by path, or by built-in name when no such file exists
/// (a path always wins over a name), with variants and overrides applied:
/// what every command's SCENARIO argument, and Python's `brink.load`, take.
pub fn load_named(arg: &str, adj: &Adjustments) -> Result<(Source, Model), LoadError> {
    let path = Path::new(arg);
    if !path.exists()
        && let Some(b) = find_builtin(arg)
    {
        return load_bytes_adjusted(&format!("builtin:{}", b.name), b.text.as_bytes(), adj);
    }
    if !path.exists() && !arg.contains(['/', '\\']) && !arg.ends_with(".toml") {
        let names: Vec<&str> = BUILTIN.iter().map(|b| b.name).collect();
        return Err(LoadError::Io {
            path: arg.to_string(),
            reason: format!("no such file, and no built-in scenario of that name (built-ins: {})", names.join(", ")),
        });
    }
    load_file_adjusted(path, adj)
}

/// Reads and compiles a scenario file.
pub fn load_file(path: &Path) -> Result<(Source, Model), LoadError> {
    load_file_adjusted(path, &Adjustments::default())
}

/// Reads a scenario file, applies `adj`, and compiles it.
pub fn load_file_adjusted(path: &Path, adj: &Adjustments) -> Result<(Source, Model), LoadError> {
    let name = path.display().to_string();
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
        && meta.len() > MAX_FILE_BYTES as u64
    {
        return Err(LoadError::Io {
            path: name,
            reason: format!("the file is {} bytes; scenario files are limited to {MAX_FILE_BYTES} bytes", meta.len()),
        });
    }
    let bytes = read_scenario_bytes(path)?;
    load_bytes_adjusted(&name, &bytes, adj)
}

/// A scenario file's bytes, bounded: every reader of scenario files (run,
/// check, compare, a tournament's scenarios) goes through it, so each gets
/// the same refusals.
pub fn read_scenario_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    let name = path.display().to_string();
    // The bytes are counted, not the reported length: `/dev/zero` or a
    // FIFO is cut at the limit rather than read until memory runs out.
    crate::limits::read_capped(path, MAX_FILE_BYTES as u64).map_err(|e| LoadError::Io {
        path: name,
        reason: match e {
            crate::limits::ReadError::Io(e) => io_reason(&e),
            crate::limits::ReadError::Directory => "it is a directory, not a scenario file".into(),
            crate::limits::ReadError::TooLarge { limit } => {
                format!("it holds more than {limit} bytes; scenario files are limited to {limit} bytes")
            }
        },
    })
}

/// Compiles scenario bytes; `name` is used in messages.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<(Source, Model), LoadError> {
    load_bytes_adjusted(name, bytes, &Adjustments::default())
}

/// Compiles scenario bytes after applying a variant and overrides.
pub fn load_bytes_adjusted(name: &str, bytes: &[u8], adj: &Adjustments) -> Result<(Source, Model), LoadError> {
    use sha2::Digest;
    let sha256 = sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(e) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let at = e.valid_up_to();
            let d = Diagnostic::new(at..at, "", "the file is not UTF-8 text (is it a scenario file?)")
                .with_help("scenario files are TOML text; save the file as UTF-8");
            return Err(LoadError::Invalid { name: name.to_string(), text, diagnostics: vec![d] });
        }
    };
    if bytes.len() > MAX_FILE_BYTES {
        let d =
            Diagnostic::new(0..0, "", format!("the scenario is {} bytes; the limit is {MAX_FILE_BYTES}", bytes.len()));
        return Err(LoadError::Invalid { name: name.to_string(), text: String::new(), diagnostics: vec![d] });
    }
    match compile_adjusted(&text, adj) {
        Ok(model) => Ok((Source { name: name.to_string(), text, sha256 }, model)),
        Err(diagnostics) => Err(LoadError::Invalid { name: name.to_string(), text, diagnostics }),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            "no such file (check the path, or run `brink scenarios` for the built-in ones)".into()
        }
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The variants a scenario declares (name and description), in file order.
pub fn variants(text: &str) -> Vec<VariantInfo> {
    match toml::de::DeTable::parse(text) {
        Ok(root) => overrides::variants(root.get_ref()).0,
        Err(_) => Vec::new(),
    }
}

fn compile_adjusted(text: &str, adj: &Adjustments) -> Result<Model, Vec<Diagnostic>> {
    let mut root = toml::de::DeTable::parse(text).map_err(|e| vec![compile::syntax_diagnostic(&e, text)])?;
    overrides::apply_variants(root.get_mut(), &adj.variants, text)?;
    for ov in &adj.overrides {
        let from_command_line = |message: String| {
            let mut d = Diagnostic::new(0..0, ov.path_text.clone(), message);
            d.origin = Some(format!("{} {}", ov.flag, ov.arg));
            vec![d]
        };
        let value = toml::de::DeValue::parse(&ov.value).map_err(|e| from_command_line(e.message().to_string()))?;
        overrides::apply(root.get_mut(), &ov.path, value).map_err(from_command_line)?;
    }
    compile::compile_tree(&root, text).map_err(|mut diagnostics| {
        // A problem at an overridden path is the override's, not the file's.
        for d in &mut diagnostics {
            let Some(ov) = adj.overrides.iter().rev().find(|ov| {
                d.path == ov.path_text
                    || d.path.starts_with(&format!("{}.", ov.path_text))
                    || d.path.starts_with(&format!("{}[", ov.path_text))
            }) else {
                continue;
            };
            d.origin = Some(format!("{} {}", ov.flag, ov.arg));
            if d.message.starts_with("unknown key") {
                d.message = format!("no such key `{}`", d.path);
            }
        }
        diagnostics
    })
}
