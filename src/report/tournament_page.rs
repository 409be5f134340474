//! report.html for `brink tournament`: the ranking in one sentence, the
//! ranking table, the heatmap, ranking and evolution plots with how to read
//! them, and the settings as provenance.

use std::path::Path;

use super::html::{Page, Table};
use super::tournament::{Field, Report};

fn three(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |v| format!("{v:.3}"))
}

fn with_ci(mean: Option<f64>, ci: Option<[f64; 2]>) -> String {
    match ci {
        Some([lo, hi]) => format!("{} [{}, {}]", three(mean), three(Some(lo)), three(Some(hi))),
        None => three(mean),
    }
}

/// How to read each tournament plot, by file name (without extension).
fn how_to_read(name: &str) -> (&'static str, &'static str) {
    match name {
        "tournament-heatmap" => (
            "Every entrant against every other",
            "Each cell is the row entrant's mean result against the column opponent (darker: better for the \
             row). Read a row to see whom an entrant exploits and who exploits it; the diagonal is an entrant \
             against a copy of itself.",
        ),
        "tournament-ranking" => (
            "The ranking",
            "One bar per entrant, best first: its mean result over all its pairings, with the 95% confidence \
             interval as a whisker. Entrants whose whiskers overlap a lot are not clearly ranked apart.",
        ),
        "evolution-replicator" => (
            "Replicator dynamics",
            "Each line is an entrant's share of a population that starts with equal shares; entrants that do \
             better than the population average grow. Lines that end near 0 die out; the lines still standing \
             at the right are what evolution keeps.",
        ),
        "evolution-moran" => (
            "Moran process",
            "For each entrant, the probability that a single mutant of it takes over a population of the \
             others (a finite, noisy population), with its 95% interval. The line marked neutral drift is \
             the chance without selection: bars above it are favoured.",
        ),
        _ => ("Plot", "See the axis titles and the caption."),
    }
}

/// The page for a tournament folder; `plots` are the SVGs written there.
pub fn tournament_page(r: &Report, dir: &Path, plots: &[String]) -> Page {
    let kind = if r.kind == "negotiation" { "negotiation tournament" } else { "repeated-game tournament" };
    let mut page = Page {
        title: r.title.clone(),
        subtitle: format!("brink tournament — a {kind} of {} entrants, ranked by {}", r.entrants.len(), r.ranked_by),
        scenario_name: r.title.clone(),
        scenario_description: format!("A {kind}: every entrant plays every other; {}.", r.measure),
        question: "Which entrant does best against the whole field, and which would evolution keep?".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        assumptions_note: "A tournament's results rest on its file's entrants, game and settings (listed under \
                           provenance below); a negotiation tournament's scenarios carry their own FACT and \
                           ASSUMPTION comments — run `brink run` on one to see them in its report."
            .into(),
        ..Page::default()
    };
    let top: Vec<String> = r
        .ranking
        .iter()
        .take(2)
        .map(|row| format!("{} ({} {})", row.entrant, r.measure, with_ci(row.mean, row.ci95)))
        .collect();
    page.headline = match top.as_slice() {
        [first, second] => format!("Ranked by {}, {first} comes first and {second} second.", r.ranked_by),
        [only] => format!("{only} is the only entrant."),
        _ => "The tournament has no entrants.".into(),
    };
    if let Some(ev) = &r.evolution {
        let survivors: Vec<&str> = r
            .entrants
            .iter()
            .zip(ev.replicator.last().map(|s| s.as_slice()).unwrap_or(&[]))
            .filter(|(_, share)| **share >= 0.01)
            .map(|(n, _)| n.as_str())
            .collect();
        page.findings.push(format!(
            "After {} generations of replicator dynamics, {} hold at least 1% of the population.",
            ev.generations,
            if survivors.is_empty() { "no entrants".to_string() } else { survivors.join(", ") }
        ));
    }
    let extra_names: Vec<String> =
        r.ranking.first().map(|row| row.extra.iter().map(|(k, _)| k.replace('_', " ")).collect()).unwrap_or_default();
    let mut header = vec!["entrant".to_string(), "rank".into(), format!("{} [95% CI]", r.measure)];
    header.extend(extra_names);
    page.tables.push(Table {
        caption: "Ranking".into(),
        header,
        rows: r
            .ranking
            .iter()
            .map(|row| {
                let mut cells = vec![row.entrant.clone(), row.rank.to_string(), with_ci(row.mean, row.ci95)];
                cells.extend(row.extra.iter().map(|(_, v)| match v {
                    Field::Text(s) => s.clone(),
                    Field::Count(c) => c.to_string(),
                    Field::Number(x) => three(*x),
                }));
                cells
            })
            .collect(),
        note: format!("Ranked by {}. Intervals are 95% confidence intervals.", r.ranked_by),
    });
    for name in plots {
        let (title, how) = how_to_read(name);
        page.add_plot(dir, name, title, how);
    }
    if let serde_json::Value::Object(settings) = &r.settings {
        for (k, v) in settings {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            page.provenance.push((k.replace('_', " "), text));
        }
    }
    page.provenance.insert(0, ("brink version".into(), env!("CARGO_PKG_VERSION").into()));
    page
}
