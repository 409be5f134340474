//! summary.json: provenance plus the outcome summary of a Monte Carlo.

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
    /// The scenario's text, for the report's assumptions (not in summary.json).
    pub scenario_text: String,
}

/// The JSON text exactly as written to disk (pretty, final newline).
/// Serialised straight from the structs (no intermediate `Value`), so large
/// summaries cost their text and no more.
pub fn to_string(p: &Provenance, s: &Summary) -> String {
    #[derive(serde::Serialize)]
    struct Scenario<'a> {
        name: &'a str,
        file: &'a str,
        sha256: &'a str,
    }
    #[derive(serde::Serialize)]
    struct File<'a> {
        brink_version: &'a str,
        scenario: Scenario<'a>,
        seed: u64,
        runs: u64,
        overrides: &'a [String],
        summary: &'a Summary,
    }
    let file = File {
        brink_version: env!("CARGO_PKG_VERSION"),
        scenario: Scenario { name: &p.scenario_name, file: &p.scenario_file, sha256: &p.scenario_sha256 },
        seed: p.seed,
        runs: p.runs,
        overrides: &p.overrides,
        summary: s,
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}
