//! report.html for `brink class`: the students' games beside the simulated
//! agents, with the scenario's assumptions (from the transcripts' saved
//! scenario) and how to read each plot.

use std::path::Path;

use super::class::{ClassProvenance, end_label, share_text};
use super::html::{Page, ScenarioSource, Table, points_with_ci};
use crate::analysis::classroom::{ClassSummary, PlayedGame};
use crate::model::Model;

fn how_to_read(name: &str) -> (&'static str, &'static str) {
    match name {
        "class-agreements" => (
            "Where the students' deals lie",
            "Each package placed by what it is worth to each side (expected utilities at the means): every \
             possible package as a grey dot, the simulated agents' deals as blue circles (larger: more \
             frequent), the students' deals as squares (×n: n students agreed on it), with the Pareto \
             frontier and the Nash solution. Students who reached no deal are a hollow square on the \
             disagreement point d, with their number.",
        ),
        "class-deals" => (
            "Deals reached",
            "The share of students who reached a deal beside the share of simulated talks that did, each with \
             its 95% interval. Bars far apart with intervals that do not overlap mean the class negotiated \
             differently from the agents.",
        ),
        "class-payoffs" => (
            "What the students got",
            "For each seat the students took, the agents' payoff distribution in that seat (blue bars, a \
             density) with each student's payoff as a named orange line across it: a student far to the \
             right beat most of the simulated agents.",
        ),
        _ => ("Plot", "See the axis titles and the caption."),
    }
}

/// What a class page shows.
pub struct ClassPage<'a> {
    pub model: &'a Model,
    /// The scenario the students played (saved in their transcripts).
    pub source: ScenarioSource<'a>,
    pub games: &'a [PlayedGame],
    pub class: &'a ClassSummary,
    pub provenance: &'a ClassProvenance<'a>,
    /// The variants and overrides the games were played with.
    pub adjustments: Vec<String>,
}

/// The page for a class folder; `plots` are the SVGs written into `dir`.
pub fn class_page(c: &ClassPage<'_>, dir: &Path, plots: &[String]) -> Page {
    let (model, games, class, provenance) = (c.model, c.games, c.class, c.provenance);
    let source = &c.source;
    let mut page = Page::new(
        format!("{}: the class against the agents", model.name),
        format!(
            "brink class — {} student game{} beside {} simulated talks",
            games.len(),
            if games.len() == 1 { "" } else { "s" },
            super::summary_table::group(provenance.runs)
        ),
        model,
        source,
    );
    page.question = "Did the class negotiate like the model's agents: as many deals, as good payoffs?".into();
    page.headline = format!(
        "Deals: students {}; simulated agents {}.",
        share_text(&class.deals),
        share_text(&class.simulated_deals)
    );
    if let Some(v) = class.deal_share_difference.value {
        page.findings.push(format!(
            "The students' deal share minus the agents': {} (independent samples: the students played their \
             own games, not the agents' runs).",
            points_with_ci(Some(v), class.deal_share_difference.ci95)
        ));
    }
    for seat in &class.seats {
        let both = |e: &crate::analysis::comparison::Estimate| match (e.value, e.ci95) {
            (Some(v), Some([lo, hi])) => format!("{v:.3} [{lo:.3}, {hi:.3}]"),
            (Some(v), None) => format!("{v:.3}"),
            _ => "n/a".into(),
        };
        page.findings.push(format!(
            "As {} ({} student{}): mean payoff {} against the agents' {}; median percentile {}.",
            seat.actor,
            seat.students,
            if seat.students == 1 { "" } else { "s" },
            both(&seat.students_mean),
            both(&seat.agents_mean),
            seat.median_percentile.map_or("n/a".into(), |p| format!("{:.0}%", 100.0 * p))
        ));
    }
    page.tables.push(Table {
        caption: "Every student's game".into(),
        header: ["student", "as", "end", "round", "payoff", "agent's payoff", "percentile"].map(String::from).to_vec(),
        rows: games
            .iter()
            .zip(&class.percentiles)
            .map(|(g, pct)| {
                vec![
                    g.label.clone(),
                    model.actors[g.seat].id.clone(),
                    end_label(model, g),
                    g.round.to_string(),
                    format!("{:.3}", g.payoff[g.seat]),
                    format!("{:.3}", g.payoff[1 - g.seat]),
                    pct.map_or("n/a".into(), |p| format!("{:.1}%", 100.0 * p)),
                ]
            })
            .collect(),
        note: "Percentile: the share of simulated agents in the same seat whose payoff the student beat.".into(),
    });
    for name in plots {
        let (title, how) = how_to_read(name);
        page.add_plot(dir, name, title, how);
    }
    page.adjustments = c.adjustments.clone();
    page.provenance.push(("seed".into(), provenance.seed.to_string()));
    page.provenance.push(("simulated runs".into(), provenance.runs.to_string()));
    page.provenance.push(("student games".into(), games.len().to_string()));
    page
}
