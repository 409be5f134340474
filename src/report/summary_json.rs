//! summary.json: provenance plus the outcome summary of a Monte Carlo.

use serde_json::{Value, json};

use crate::analysis::outcomes::Summary;

/// Where results came from. The thread count is deliberately absent: results
/// do not depend on it.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub scenario_name: String,
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub seed: u64,
    pub runs: u64,
    /// `--set` overrides applied, as written.
    pub overrides: Vec<String>,
}

pub fn to_json(p: &Provenance, s: &Summary) -> Value {
    json!({
        "brink_version": env!("CARGO_PKG_VERSION"),
        "scenario": {"name": p.scenario_name, "file": p.scenario_file, "sha256": p.scenario_sha256},
        "seed": p.seed,
        "runs": p.runs,
        "overrides": p.overrides,
        "summary": s,
    })
}

/// The JSON text exactly as written to disk (pretty, final newline).
pub fn to_string(p: &Provenance, s: &Summary) -> String {
    let mut text = serde_json::to_string_pretty(&to_json(p, s)).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}
