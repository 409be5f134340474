//! Glue between the commands and the report layer's charts: where each
//! command's plots go, and turning chart errors into CLI failures.

use std::path::Path;

use brink::analysis::benchmarks::Benchmarks;
use brink::analysis::outcomes::Summary;
use brink::games::extensive::{Tree, TreeSolution};
use brink::model::Model;
use brink::report::charts;
use brink::report::experiments::SweepPoint;
use brink::report::output_dir::OutputSet;

/// The run's plots, into the run's output folder.
pub fn write_run_plots(dir: &Path, model: &Model, summary: &Summary, seed: u64) -> anyhow::Result<Vec<String>> {
    Ok(charts::run_charts(dir, model, summary, seed)?)
}

/// The analysis plot, into its own folder (replaced as a set).
pub fn write_analysis_plot(
    dir: &Path,
    inputs: &[&Path],
    model: &Model,
    b: &Benchmarks,
) -> Result<Vec<String>, super::Failure> {
    let set = OutputSet::begin(dir, inputs)?;
    let files = charts::analysis_chart(set.staging(), model, b).map_err(anyhow::Error::from)?;
    let dest = set.commit()?;
    Ok(files.iter().map(|f| dest.join(f).display().to_string()).collect())
}

pub fn write_sweep_plots(
    dir: &Path,
    model: &Model,
    params: &[String],
    log_axes: &[bool],
    points: &[SweepPoint<'_>],
    seed: u64,
    runs: u64,
) -> anyhow::Result<Vec<String>> {
    Ok(charts::sweep_charts(dir, model, params, log_axes, points, seed, runs)?)
}

pub fn write_compare_plots(
    dir: &Path,
    model: &Model,
    arms: &[(String, String)],
    summaries: &[Summary],
    rows: &[brink::analysis::comparison::Row],
    seed: u64,
    runs: u64,
) -> anyhow::Result<Vec<String>> {
    Ok(charts::compare_charts(dir, model, arms, summaries, rows, seed, runs)?)
}

/// `brink solve` on a game tree: the tree plot, into its own folder
/// (replaced as a set).
pub fn write_tree_plot(
    dir: &Path,
    inputs: &[&Path],
    tree: &Tree,
    solution: &TreeSolution,
) -> Result<Vec<String>, super::Failure> {
    let set = OutputSet::begin(dir, inputs)?;
    let caption = format!(
        "{} — {} players, {} terminal nodes; exact subgame-perfect analysis by brink solve",
        tree.title,
        tree.players.len(),
        tree.terminal_count()
    );
    let files =
        charts::write(set.staging(), &charts::TreeChart { tree, solution, caption }).map_err(anyhow::Error::from)?;
    let dest = set.commit()?;
    Ok(files.iter().map(|f| dest.join(f).display().to_string()).collect())
}
