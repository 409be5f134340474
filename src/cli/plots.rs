//! Glue between `brink run` and the plot writers (filled in when the report
//! layer's plots land).

use std::path::Path;

use brink::analysis::outcomes::Summary;
use brink::model::Model;

/// Writes the run's plots into `dir`; returns the file names written.
pub fn write_run_plots(dir: &Path, model: &Model, summary: &Summary, seed: u64) -> anyhow::Result<Vec<String>> {
    let _ = (dir, model, summary, seed);
    Ok(Vec::new())
}

/// Writes the analysis plot into `dir`; returns the paths written.
pub fn write_analysis_plot(
    dir: &Path,
    model: &Model,
    b: &brink::analysis::benchmarks::Benchmarks,
) -> anyhow::Result<Vec<String>> {
    let _ = (dir, model, b);
    Ok(Vec::new())
}

/// Writes the sweep's plots into `dir`.
pub fn write_sweep_plots(
    dir: &Path,
    model: &Model,
    params: &[String],
    points: &[brink::report::experiments::SweepPoint<'_>],
    seed: u64,
    runs: u64,
) -> anyhow::Result<Vec<String>> {
    let _ = (dir, model, params, points, seed, runs);
    Ok(Vec::new())
}

/// Writes the comparison's plots into `dir`.
pub fn write_compare_plots(
    dir: &Path,
    model: &Model,
    arms: &[(String, String)],
    summaries: &[Summary],
    rows: &[brink::analysis::comparison::Row],
    seed: u64,
    runs: u64,
) -> anyhow::Result<Vec<String>> {
    let _ = (dir, model, arms, summaries, rows, seed, runs);
    Ok(Vec::new())
}
