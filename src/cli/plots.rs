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
