//! Which charts each command writes.

use std::path::Path;

use super::style::caption;
use super::{
    ChartError, CompareDifferences, CompareOutcomes, ComparePayoffs, Outcomes, Payoffs, Rounds, SweepHeatmap,
    SweepKind, SweepLines, Terms, UtilityOverlay, UtilitySpace, write,
};
use crate::analysis::benchmarks::Benchmarks;
use crate::analysis::outcomes::Summary;
use crate::model::Model;
use crate::report::experiments::SweepPoint;

fn reservations(model: &Model) -> [f64; 2] {
    [0, 1].map(|a| model.reservation(a, &model.params.means))
}

/// Markers for a solution: one per outcome while ties are few; a large tie
/// gets a single marker that says how many outcomes share it.
fn markers(name: &str, outcomes: &[u32]) -> Vec<(String, u32)> {
    match outcomes.len() {
        0 => Vec::new(),
        n if n <= 5 => outcomes.iter().map(|&w| (name.to_string(), w)).collect(),
        // The middle one of the tie, so the label sits mid-way along it.
        n => vec![(format!("{name} ({n} tied)"), outcomes[n / 2])],
    }
}

/// Rubinstein's x*, the first mover's subgame-perfect share, as a line on
/// the first mover's axis (for divide-the-pie scenarios).
fn rubinstein_line(model: &Model, b: &Benchmarks) -> Option<(usize, f64, String)> {
    let r = b.rubinstein.as_ref()?;
    let name = &model.actors[model.first_mover].name;
    Some((
        model.first_mover,
        r.first_mover_share,
        format!("Rubinstein x* = {:.3}: {name}'s share", r.first_mover_share),
    ))
}

/// `brink run`: outcomes, payoffs, terms, rounds, agreements in utility space.
pub fn run_charts(dir: &Path, model: &Model, summary: &Summary, seed: u64) -> Result<Vec<String>, ChartError> {
    let cap = caption(&model.name, summary.runs, seed);
    let mut files = Vec::new();
    files.extend(write(dir, &Outcomes { summary, caption: cap.clone() })?);
    files.extend(write(dir, &Payoffs { model, summary, caption: cap.clone() })?);
    files.extend(write(dir, &Terms { model, summary, caption: cap.clone() })?);
    files.extend(write(dir, &Rounds { summary, caption: cap.clone() })?);
    if let Some(escalation) = &summary.escalation {
        files.extend(write(dir, &super::Ladder { model, escalation, runs: summary.runs, caption: cap.clone() })?);
    }
    if let Some(causes) = summary.causes.as_ref().filter(|c| c.failures > 0) {
        files.extend(write(dir, &super::Causes { causes, caption: cap.clone() })?);
    }
    let b = &summary.benchmarks;
    let overlay = UtilityOverlay {
        frontier: b.frontier.clone(),
        labelled: markers("Nash", &b.nash.outcomes),
        reference: rubinstein_line(model, b),
        range: range_line(model, b),
    };
    files.extend(write(
        dir,
        &UtilitySpace {
            name: "agreements".into(),
            title: "Agreements reached, in expected-utility space".into(),
            caption: cap,
            model,
            agreements: &summary.agreements,
            disagreement: reservations(model),
            overlay,
        },
    )?);
    Ok(files)
}

/// `brink analyze`: the utility space with the frontier and the solutions.
pub fn analysis_chart(dir: &Path, model: &Model, b: &Benchmarks) -> Result<Vec<String>, ChartError> {
    let mut labelled = Vec::new();
    for (name, sol) in [("Nash", &b.nash), ("Kalai–Smorodinsky", &b.kalai_smorodinsky), ("utilitarian", &b.utilitarian)]
    {
        labelled.extend(markers(name, &sol.outcomes));
    }
    write(
        dir,
        &UtilitySpace {
            name: "utility-space".into(),
            title: "Outcomes, Pareto frontier and bargaining solutions".into(),
            caption: format!("{} — {} outcomes, uncertain numbers at their means", model.name, model.space.size),
            model,
            agreements: &[],
            disagreement: b.disagreement_point,
            overlay: UtilityOverlay {
                frontier: b.frontier.clone(),
                labelled,
                reference: rubinstein_line(model, b),
                range: range_line(model, b),
            },
        },
    )
}

/// `brink sweep`: lines for one parameter, heatmaps for two.
pub fn sweep_charts(
    dir: &Path,
    model: &Model,
    params: &[String],
    log_axes: &[bool],
    points: &[SweepPoint<'_>],
    seed: u64,
    runs: u64,
) -> Result<Vec<String>, ChartError> {
    let cap = format!(
        "{} ({} points × {} runs, common random numbers)",
        caption(&model.name, runs, seed),
        points.len(),
        runs
    );
    let mut files = Vec::new();
    match params {
        [p] => {
            let mut charts = vec![
                ("sweep-outcomes", format!("How the talks end as {} varies", model.param_name(p)), SweepKind::Shares),
                ("sweep-payoffs", format!("Mean payoffs as {} varies", model.param_name(p)), SweepKind::Payoffs),
            ];
            if points.len() > 1 && points.iter().any(|pt| !pt.differences.values.is_empty()) {
                charts.push((
                    "sweep-differences",
                    format!(
                        "How each ending's share differs from {} = {}",
                        model.param_name(p),
                        crate::model::number_label(points[0].values[0])
                    ),
                    SweepKind::Differences,
                ));
            }
            for (name, title, kind) in charts {
                files.extend(write(
                    dir,
                    &SweepLines {
                        name: name.into(),
                        title,
                        caption: cap.clone(),
                        parameter: model.param_name(p),
                        points,
                        kind,
                        log_x: log_axes.first().copied().unwrap_or(false),
                    },
                )?);
            }
        }
        [p, q] => {
            // One map for agreements and one per conflict outcome, so that
            // none is silently left out (the files keep the outcome's id,
            // the titles its name).
            let ends = points.first().map_or(4, |pt| pt.summary.ends.len());
            let lottery = points.first().map_or(&[][..], |pt| &pt.summary.disagreement[..]);
            let mut maps = vec![("sweep-agreement".to_string(), "Share of runs ending in an agreement".to_string(), 0)];
            for (k, d) in lottery.iter().enumerate() {
                maps.push((format!("sweep-{}", d.label), format!("Share of runs ending in: {}", d.name), ends + k));
            }
            for (name, title, share_index) in maps {
                files.extend(write(
                    dir,
                    &SweepHeatmap {
                        name,
                        title,
                        caption: cap.clone(),
                        parameters: [model.param_name(p), model.param_name(q)],
                        points,
                        share_index,
                    },
                )?);
            }
        }
        _ => {}
    }
    Ok(files)
}

/// `brink compare`: grouped outcome bars and payoff box plots.
pub fn compare_charts(
    dir: &Path,
    model: &Model,
    arms: &[(String, String)],
    summaries: &[Summary],
    rows: &[crate::analysis::comparison::Row],
    seed: u64,
    runs: u64,
) -> Result<Vec<String>, ChartError> {
    let cap = format!("{} per policy", caption(&model.name, runs, seed));
    let mut files = write(dir, &CompareOutcomes { caption: cap.clone(), arms, summaries })?;
    files.extend(write(dir, &ComparePayoffs { caption: cap.clone(), arms, summaries })?);
    if arms.len() > 1 {
        files.extend(write(dir, &CompareDifferences { caption: cap, arms, rows })?);
    }
    Ok(files)
}

/// `brink sensitivity`: the tornado and the Sobol indices.
pub fn sensitivity_charts(
    dir: &Path,
    model: &Model,
    s: &crate::analysis::sensitivity::Sensitivity,
    seed: u64,
) -> Result<Vec<String>, ChartError> {
    let cap = format!(
        "{} — Sobol: {} samples ({} runs), tornado: {} runs per level, seed {seed}",
        model.name,
        crate::report::summary_table::group(s.samples),
        crate::report::summary_table::group(s.samples * (s.factors.len() as u64 + 2)),
        crate::report::summary_table::group(s.tornado_runs),
    );
    let mut files = Vec::new();
    files.extend(write(dir, &super::Tornado { caption: cap.clone(), sensitivity: s })?);
    files.extend(write(dir, &super::SobolBars { caption: cap, sensitivity: s })?);
    Ok(files)
}

/// Fearon's bargaining range as a band along its outcomes, labelled with the
/// issue's name and ends.
fn range_line(model: &Model, b: &Benchmarks) -> Option<(Vec<u32>, String)> {
    let r = b.bargaining_range.as_ref()?;
    let issue = &model.issues[0];
    let numbers = issue.numbers.as_ref()?;
    let outcomes: Vec<u32> = (0..model.space.len() as u32)
        .filter(|&w| {
            let x = numbers[model.option_of(w, 0) as usize];
            x >= r.low && x <= r.high
        })
        .collect();
    let label =
        format!("bargaining range: {} {}–{}", issue.id, super::style::tick(r.low, 3), super::style::tick(r.high, 3));
    Some((outcomes, label))
}
