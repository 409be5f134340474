//! Turning results into text, JSON, CSV and plots: the only layer that
//! serialises. Functions here return strings or write files; they never
//! decide anything about the negotiation.

pub mod charts;
pub mod check;
pub mod class;
pub mod class_page;
pub mod classroom_moves;
pub mod trace;

/// A number for tables: three decimals, and "n/a" for what is not a number.
pub fn fmt3(x: f64) -> String {
    if x.is_finite() { format!("{x:.3}") } else { "n/a".to_string() }
}
pub mod assumptions;
pub mod benchmarks;
pub mod experiments;
pub mod games;
pub mod html;
pub mod output_dir;
pub mod output_file;
pub mod pages;
pub mod partial;
pub mod play;
pub mod runs_csv;
pub mod runs_table;
pub mod sensitivity;
pub mod summary_json;
pub mod summary_table;
pub mod tournament;
pub mod tournament_build;
pub mod tournament_page;

/// A share in [0, 1] as a percentage with one decimal.
pub fn charts_percent(x: f64) -> String {
    if x.is_finite() { format!("{:.1}%", 100.0 * x) } else { "n/a".to_string() }
}
