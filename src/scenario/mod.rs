//! Scenario files: reading TOML, reporting problems, compiling to a [`Model`].
//!
//! The public entry points are [`load_file`] and [`load_bytes`]; both return
//! either a compiled model or a [`LoadError`] that renders every problem with
//! file, line, column, TOML path and advice.

mod builtin;
pub mod compile;
pub mod diagnostic;
pub mod toml_tree;

use std::path::Path;

pub use builtin::{BUILTIN, Builtin, find_builtin};
pub use diagnostic::{Diagnostic, render};

use crate::model::Model;

/// Scenario files larger than this are refused before parsing: no teaching
/// scenario comes near it, and a runaway file should not eat memory.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

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

/// Reads and compiles a scenario file.
pub fn load_file(path: &Path) -> Result<(Source, Model), LoadError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| LoadError::Io { path: name.clone(), reason: io_reason(&e) })?;
    if meta.is_dir() {
        return Err(LoadError::Io { path: name, reason: "it is a directory, not a scenario file".into() });
    }
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(LoadError::Io {
            path: name,
            reason: format!("the file is {} bytes; scenario files are limited to {MAX_FILE_BYTES} bytes", meta.len()),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| LoadError::Io { path: name.clone(), reason: io_reason(&e) })?;
    load_bytes(&name, &bytes)
}

/// Compiles scenario bytes; `name` is used in messages.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<(Source, Model), LoadError> {
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
    match compile::compile_text(&text) {
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
