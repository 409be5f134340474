//! The content of report.html for each command: the headline sentence, the
//! table, and how to read each plot. The page itself is `html::Page`.

use std::path::Path;

use super::experiments::{SweepPoint, row_label};
use super::html::{Page, ScenarioSource, Table, points_with_ci, share_with_ci};
use crate::analysis::comparison::{Estimate, IntervalKind, Row};
use crate::analysis::outcomes::Summary;
use crate::analysis::sensitivity::Sensitivity;
use crate::model::Model;

/// What every report records about how it was made.
#[derive(Debug, Clone)]
pub struct Made<'a> {
    pub source: ScenarioSource<'a>,
    pub seed: u64,
    /// Variants and overrides, as given.
    pub adjustments: Vec<String>,
}

/// How to read each plot brink draws, by file name (without extension).
pub fn how_to_read(name: &str) -> (&'static str, &'static str) {
    match name {
        "outcomes" => (
            "How the talks ended",
            "Each bar is the share of simulated talks that ended one way: an agreement, the deadline passing, a \
             accidental breakdown (the talks collapsing by accident after a rejected offer: nobody's \
             choice) or a walk-out (a side leaving by choice); the right panel splits the \
             failed talks by what followed. Both panels count shares of all runs, but each has its own \
             scale, fitted to its bars: when most talks agree, the right panel's bars are a few percent tall, \
             and its axis (named in its title) stops there. Compare the percentages written on the bars, \
             not bar heights across panels. Whiskers are 95% confidence intervals (Wilson).",
        ),
        "payoffs" => (
            "What each side got",
            "The distribution of each actor's realised payoff over all runs (deals and failures alike), after \
             discounting and the costs of delay. The further right, the better for that actor.",
        ),
        "terms" => (
            "The terms of the deals",
            "For each issue, how often each option was part of the agreed package, among the runs that ended in \
             a deal. Whiskers are 95% confidence intervals.",
        ),
        "rounds" => (
            "When the talks ended",
            "How many runs ended at each round, by how they ended. Deals late in the talks mean both sides held \
             out; breakdowns spread over the rounds because each rejected round carries a risk of collapse.",
        ),
        "causes" => (
            "Why the talks failed",
            "Each failed run is played again with the same draws and one mechanism of failure switched off (a \
             binding deal, no red lines, no audience costs, known types, no misperception, no breakdown hazard, \
             no ladders). A bar is the share of failed runs that then ended in a deal: the mechanism was \
             necessary for those failures. A failure can need two mechanisms, so the bars overlap and need not \
             sum to 100%; \"overdetermined\" failures needed none alone but agree with all switched off, and \
             \"no mechanism\" failures fail even then. Whiskers are 95% confidence intervals (Wilson).",
        ),
        "ladder" => (
            "How the crisis climbed",
            "For each round, the share of runs in which each actor stood at each step of its escalation ladder \
             (0 = no step taken). Rising bands show a crisis climbing; flat bands at 0 mean threats were never \
             carried out.",
        ),
        "agreements" => (
            "Where the deals lie",
            "Each agreed package placed by what it is worth to each side (expected utilities at the means); \
             larger points were agreed more often. The line is the Pareto frontier (no package is better for \
             both), the marker the Nash bargaining solution.",
        ),
        "compare-outcomes" => (
            "Outcome shares by policy",
            "For each way the talks can end, one bar per policy (arm), with its 95% confidence interval. Compare \
             bars of the same colour across groups to see what a policy changes; the table above gives the \
             paired difference from the baseline, which is much more precise than comparing the whiskers by eye.",
        ),
        "compare-payoffs" => (
            "Payoffs by policy",
            "Each actor's payoff distribution under each policy: the box holds the middle half of the runs \
             (25th to 75th percentile), the whiskers reach the 5th and 95th percentiles, the dot is the mean.",
        ),
        "sweep-outcomes" => (
            "Outcomes along the parameter",
            "Each line follows the share of one ending as the swept parameter changes, with a band for its 95% \
             confidence interval. Every point uses the same random numbers (common random numbers), so the \
             lines' movements come from the parameter, not from noise.",
        ),
        "sweep-differences" => (
            "Each ending against the first grid point",
            "Each line is one ending's share at a grid point minus its share at the first point (the baseline, \
             drawn at 0), in percentage points. The bars are 95% intervals for that difference — paired run by \
             run unless the sweep was run with --unpaired, as the axis title says. A bar that does not cross 0 \
             is a change the runs can tell apart from noise.",
        ),
        "compare-differences" => (
            "What each policy changes",
            "For each ending, one dot per policy: its share minus the baseline's, in percentage points, with a \
             95% interval for the difference (paired run by run unless --unpaired; the axis title says which). \
             A bar that does not cross the line at 0 is a difference the runs can tell apart from noise; \
             endings no policy changes are left out.",
        ),
        "sweep-payoffs" => (
            "Mean payoffs along the parameter",
            "Each actor's mean payoff as the swept parameter changes, with 95% confidence intervals.",
        ),
        "tornado" => (
            "One number at a time (tornado)",
            "Each row fixes one uncertain number at its 5th percentile (blue) or 95th percentile (orange) while \
             the others keep their distributions; the bar runs from the base value (black line) to the result. \
             The longest bars, on top, are the numbers whose plausible range moves the result most. Fixing \
             a number does two things: it moves the number, and it takes away the uncertainty about it. For \
             a number private to one side (Russia's reservation value, say), the other side no longer has to \
             guess it, and private information is a cause of failed talks: so fixing it at its 5th and at \
             its 95th percentile can both raise agreement. Both bars on the same side of the base line mean \
             that, not a contradiction.",
        ),
        "sobol" => (
            "Share of the variance each number explains (Sobol indices)",
            "For each uncertain number, the blue bar is its first-order index (the share of the result's \
             variance it explains by itself) and the orange bar its total index (the share it has any part in, \
             alone or through interactions, including with the run's own randomness). Black lines are 95% \
             bootstrap intervals. A number with a total index near 0 can be fixed at any plausible value without \
             changing the result.",
        ),
        n if n.starts_with("sweep-") => (
            "Shares over the two-parameter grid",
            "Each cell is one grid point; its colour is the share of runs ending this way at that point \
             (darker: more). Read along a row or a column to see one parameter's effect with the other fixed.",
        ),
        _ => ("Plot", "See the axis titles and the caption."),
    }
}

/// Adds every plot brink wrote into `dir`, in the order given.
fn add_plots(page: &mut Page, dir: &Path, names: &[String]) {
    for name in names {
        let (title, how) = how_to_read(name);
        page.add_plot(dir, name, title, how);
    }
}

/// The SVG plots among `files` (names without extension, in order).
pub fn svg_names(files: &[String]) -> Vec<String> {
    files.iter().filter_map(|f| f.strip_suffix(".svg")).map(String::from).collect()
}

fn finish(page: &mut Page, made: &Made<'_>, runs: &str) {
    page.adjustments = made.adjustments.clone();
    page.provenance.push(("seed".into(), made.seed.to_string()));
    page.provenance.push(("runs".into(), runs.to_string()));
}

fn pct(e: &Estimate) -> String {
    match (e.value, e.ci95) {
        (Some(v), Some([lo, hi])) => format!("{:.1}% [{:.1}, {:.1}]", 100.0 * v, 100.0 * lo, 100.0 * hi),
        (Some(v), None) => format!("{:.1}%", 100.0 * v),
        _ => "n/a".into(),
    }
}

/// A share difference in percentage points: "+1.2 [+0.9, +1.5]", and
/// exactly "0 [0, 0]" for no difference.
fn difference_points(e: &Estimate) -> String {
    let f = |x: f64| if x == 0.0 { "0".to_string() } else { format!("{:+.1}", 100.0 * x) };
    match (e.value, e.ci95) {
        (Some(v), Some([lo, hi])) => format!("{} [{}, {}]", f(v), f(lo), f(hi)),
        (Some(v), None) => f(v),
        _ => "n/a".into(),
    }
}

fn num3(e: &Estimate, signed: bool) -> String {
    let f = |x: f64| if signed { format!("{x:+.3}") } else { format!("{x:.3}") };
    match (e.value, e.ci95) {
        (Some(v), Some([lo, hi])) => format!("{} [{}, {}]", f(v), f(lo), f(hi)),
        (Some(v), None) => f(v),
        _ => "n/a".into(),
    }
}

fn diff_pct(e: &Estimate) -> String {
    match (e.value, e.ci95) {
        (Some(v), Some([lo, hi])) => format!("{:+.1} [{:+.1}, {:+.1}]", 100.0 * v, 100.0 * lo, 100.0 * hi),
        (Some(v), None) => format!("{:+.1}", 100.0 * v),
        _ => "n/a".into(),
    }
}

/// `brink run`.
pub fn run_page(model: &Model, summary: &Summary, made: &Made<'_>, dir: &Path, plots: &[String]) -> Page {
    let mut page = Page::new(
        format!("{}: what tends to happen", model.name),
        format!("brink run — {} simulated negotiations", summary.runs),
        model,
        &made.source,
    );
    page.question = format!(
        "If the talks were held {} times under the scenario's assumptions, how often would they end in a deal, \
         on what terms, and at what cost?",
        summary.runs
    );
    let agree = &summary.ends[0];
    page.headline = format!(
        "The talks end in agreement in {} of {} simulated negotiations.",
        share_with_ci(agree.share, agree.ci95),
        summary.runs
    );
    if let Some(top) = summary.top_agreements.first() {
        page.findings.push(format!(
            "The most frequent deal is {} ({} of deals); the mean round of agreement is {}.",
            top.share.label,
            share_with_ci(top.share.share, top.share.ci95),
            summary.rounds.mean_agreement_round.map_or("n/a".into(), |r| format!("{r:.1}"))
        ));
    }
    let mut rows: Vec<Vec<String>> = summary
        .ends
        .iter()
        .map(|s| vec![s.label.clone(), s.count.to_string(), pct(&Estimate { value: s.share, ci95: s.ci95 })])
        .collect();
    rows.extend(summary.disagreement.iter().map(|s| {
        vec![format!("no deal: {}", s.name), s.count.to_string(), pct(&Estimate { value: s.share, ci95: s.ci95 })]
    }));
    page.tables.push(Table {
        caption: "How the talks ended".into(),
        header: vec!["outcome".into(), "runs".into(), "share [95% CI]".into()],
        rows,
        note: "Intervals are Wilson score intervals.".into(),
    });
    if let Some(c) = summary.causes.as_ref().filter(|c| c.failures > 0) {
        if let Some(top) = c.necessary.iter().max_by_key(|s| s.count).filter(|s| s.count > 0) {
            page.findings.push(format!(
                "Of the {} failed talks, {} would have been deals without {} (the same run replayed with it \
                 switched off).",
                c.failures,
                share_with_ci(top.share, top.ci95),
                top.name
            ));
        }
        page.tables.push(Table {
            caption: "Why the talks failed".into(),
            header: vec![
                "each failed run replayed".into(),
                "failed runs that then agreed".into(),
                "share [95% CI]".into(),
            ],
            rows: c
                .rows()
                .iter()
                .map(|s| {
                    let what = match s.label.as_str() {
                        "overdetermined" => {
                            "overdetermined: no single one necessary, all switched off it agrees".to_string()
                        }
                        "none" => "fails even with every mechanism switched off".to_string(),
                        _ => format!("without {}", s.name),
                    };
                    vec![what, s.count.to_string(), pct(&Estimate { value: s.share, ci95: s.ci95 })]
                })
                .collect(),
            note: format!(
                "Each of the {} failed runs is replayed with the same draws and one mechanism switched off; the \
                 mechanism was necessary when the replay agrees (model.md §12). A failure can need two mechanisms, \
                 so the shares overlap and need not sum to 100%.",
                c.failures
            ),
        });
    }
    page.tables.push(Table {
        caption: "Payoffs".into(),
        header: vec!["actor".into(), "mean [95% CI]".into(), "sd".into()],
        rows: summary
            .payoffs
            .iter()
            .map(|p| {
                vec![
                    p.actor.clone(),
                    num3(&Estimate { value: p.mean, ci95: p.mean_ci95 }, false),
                    p.sd.map_or("n/a".into(), |x| format!("{x:.3}")),
                ]
            })
            .collect(),
        note: String::new(),
    });
    add_plots(&mut page, dir, plots);
    finish(&mut page, made, &summary.runs.to_string());
    page
}

/// `brink compare`.
pub fn compare_page(
    model: &Model,
    arms: &[(String, String)],
    rows: &[Row],
    runs: u64,
    made: &Made<'_>,
    dir: &Path,
    plots: &[String],
) -> Page {
    let mut page = Page::new(
        format!("{}: comparing policies", model.name),
        format!("brink compare — {} arms, {} runs each, common random numbers", arms.len(), runs),
        model,
        &made.source,
    );
    page.question = format!(
        "What does each policy change against the baseline ({})? {}",
        arms.first().map_or("", |a| a.0.as_str()),
        arms.iter().skip(1).map(|(n, d)| format!("{n}: {d}")).collect::<Vec<_>>().join(" ")
    );
    let kind = rows.first().map_or(IntervalKind::Independent, |r| r.interval);
    let agreement = rows.iter().find(|r| r.kind == "end" && r.label == "agreement");
    if let Some(row) = agreement {
        let sentences: Vec<String> = (1..arms.len())
            .map(|k| {
                let d = &row.differences[k];
                let verdict = match d.ci95 {
                    Some([0.0, 0.0]) if d.value == Some(0.0) => " — no run changed",
                    Some([lo, hi]) if lo > 0.0 || hi < 0.0 => "",
                    Some(_) => " — not distinguishable from no change",
                    None => "",
                };
                format!(
                    "{} changes the agreement share by {} against the baseline{verdict} ({} → {}).",
                    arms[k].0,
                    points_with_ci(d.value, d.ci95),
                    share_with_ci(row.values[0].value, None),
                    share_with_ci(row.values[k].value, None)
                )
            })
            .collect();
        // The headline: the policy with the largest change.
        let best = (1..arms.len()).max_by(|&a, &b| {
            let v = |k: usize| row.differences[k].value.unwrap_or(0.0).abs();
            v(a).total_cmp(&v(b)).then(b.cmp(&a))
        });
        if let Some(b) = best {
            page.headline = sentences[b - 1].clone();
        }
        page.findings = sentences.into_iter().filter(|s| *s != page.headline).collect();
    }
    let mut header = vec!["quantity".to_string()];
    header.extend(arms.iter().map(|(n, _)| n.clone()));
    let values: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let percent = r.kind != "payoff-mean" && r.kind != "mean-round";
            let mut row = vec![row_label(r)];
            row.extend(r.values.iter().map(|v| if percent { pct(v) } else { num3(v, false) }));
            row
        })
        .collect();
    page.tables.push(Table {
        caption: "Each policy's results, with 95% CI".into(),
        header: header.clone(),
        rows: values,
        note: String::new(),
    });
    let mut dheader = vec!["quantity".to_string()];
    dheader.extend(arms.iter().skip(1).map(|(n, _)| n.clone()));
    let diffs: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let percent = r.kind != "payoff-mean" && r.kind != "mean-round";
            let mut row = vec![row_label(r)];
            row.extend(r.differences.iter().zip(&r.switches).skip(1).map(|(d, s)| {
                let text = if percent { diff_pct(d) + " points" } else { num3(d, true) };
                match s {
                    Some([out, into]) => format!("{text} (runs −{out}/+{into})"),
                    None => text,
                }
            }));
            row
        })
        .collect();
    page.tables.push(Table {
        caption: match kind {
            IntervalKind::Paired => "Difference from the baseline, paired run by run (95% CI)".into(),
            IntervalKind::Independent => "Difference from the baseline, arms as independent samples (95% CI)".into(),
        },
        header: dheader,
        rows: diffs,
        note: if rows.iter().any(|r| r.kind == "cause") {
            format!("{} {}", kind.explain(), super::experiments::CAUSES_NOTE)
        } else {
            kind.explain().to_string()
        },
    });
    add_plots(&mut page, dir, plots);
    finish(&mut page, made, &format!("{runs} per arm"));
    page
}

/// `brink sweep` (and the merge of a sharded sweep).
pub fn sweep_page(
    model: &Model,
    names: &[String],
    points: &[SweepPoint<'_>],
    runs: u64,
    made: &Made<'_>,
    dir: &Path,
    plots: &[String],
) -> Page {
    let mut page = Page::new(
        format!("{}: sweeping {}", model.name, names.join(" and ")),
        format!("brink sweep — {} grid points, {} runs each, common random numbers", points.len(), runs),
        model,
        &made.source,
    );
    page.question = format!("How do the outcomes move as {} varies?", names.join(" and "));
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let at =
            |p: &SweepPoint<'_>| p.values.iter().map(|v| crate::model::number_label(*v)).collect::<Vec<_>>().join(", ");
        let a = |p: &SweepPoint<'_>| share_with_ci(p.summary.ends[0].share, p.summary.ends[0].ci95);
        page.headline = format!(
            "As {} goes from {} to {}, the agreement share goes from {} to {}{}.",
            names.join(" and "),
            at(first),
            at(last),
            a(first),
            a(last),
            interior_extremes(points, &at, &a)
        );
    }
    let mut header = names.to_vec();
    header.extend(["agreement", "deadline", "breakdown", "walk-away"].map(|h| format!("{h} [95% CI]")));
    header.push("mean round".into());
    header.push("agreement − first point [95% CI]".into());
    let rows = points
        .iter()
        .map(|p| {
            let mut row: Vec<String> = p.values.iter().map(|v| crate::model::number_label(*v)).collect();
            row.extend(p.summary.ends.iter().map(|s| pct(&Estimate { value: s.share, ci95: s.ci95 })));
            row.push(p.summary.rounds.mean.map_or("n/a".into(), |r| format!("{r:.2}")));
            row.push(p.differences.get("end:agreement").map_or("n/a".into(), difference_points));
            row
        })
        .collect();
    let kind = points.first().and_then(|p| p.differences.interval);
    page.tables.push(Table {
        caption: "Outcomes at every grid point".into(),
        header,
        rows,
        note: format!(
            "Every point uses the same seed and run indices (common random numbers). The last column is each \
             point's difference from the first grid point (the baseline), in percentage points. {}",
            kind.map_or("", |k| k.explain())
        ),
    });
    add_plots(&mut page, dir, plots);
    finish(&mut page, made, &format!("{runs} per grid point"));
    page
}

/// What the two ends of a sweep hide: the lowest and the highest agreement
/// share between them, when they fall outside the ends' range (a dip or a
/// peak on the way), as ", but dips to X at V" (empty for a path that
/// stays between its ends).
fn interior_extremes(
    points: &[SweepPoint<'_>],
    at: &dyn Fn(&SweepPoint<'_>) -> String,
    share: &dyn Fn(&SweepPoint<'_>) -> String,
) -> String {
    let value = |p: &SweepPoint<'_>| p.summary.ends[0].share.filter(|x| x.is_finite());
    let (Some(first), Some(last)) = (points.first().and_then(value), points.last().and_then(value)) else {
        return String::new();
    };
    let (lo, hi) = (first.min(last), first.max(last));
    let inner = &points[1..points.len().saturating_sub(1).max(1)];
    // The first of equal extremes, so the sentence is the same every time.
    let pick = |better: fn(f64, f64) -> bool| {
        inner.iter().filter_map(|p| value(p).map(|v| (p, v))).fold(
            None,
            |best: Option<(&SweepPoint<'_>, f64)>, (p, v)| match best {
                Some((_, b)) if !better(v, b) => best,
                _ => Some((p, v)),
            },
        )
    };
    let mut parts = Vec::new();
    if let Some((p, _)) = pick(|v, b| v < b).filter(|&(_, v)| v < lo) {
        parts.push(format!("dips to {} at {}", share(p), at(p)));
    }
    if let Some((p, _)) = pick(|v, b| v > b).filter(|&(_, v)| v > hi) {
        parts.push(format!("peaks at {} at {}", share(p), at(p)));
    }
    if parts.is_empty() { String::new() } else { format!(", but on the way it {}", parts.join(" and ")) }
}

/// `brink sensitivity`.
pub fn sensitivity_page(model: &Model, s: &Sensitivity, made: &Made<'_>, dir: &Path, plots: &[String]) -> Page {
    let runs = s.samples * (s.factors.len() as u64 + 2) + s.tornado_runs * (2 * s.factors.len() as u64 + 1);
    let mut page = Page::new(
        format!("{}: which assumption matters most", model.name),
        format!("brink sensitivity — {} uncertain numbers, {} runs", s.factors.len(), runs),
        model,
        &made.source,
    );
    page.question = "Which of the scenario's uncertain numbers drives the results: the agreement share, the \
                     failure share and each side's mean payoff?"
        .into();
    let sentence = |o: &crate::analysis::sensitivity::OutputSensitivity| {
        let top = o.ranking.first()?;
        let f = &s.factors[*top];
        let t = o.indices[*top].total;
        let ci = t.ci95.map_or(String::new(), |[lo, hi]| format!(" (95% CI {lo:.2}–{hi:.2})"));
        Some(format!(
            "For the {}, {} matters most: it has a part in {:.0}% of the variance{ci} (total Sobol index {:.2}).",
            o.name,
            f.name,
            100.0 * t.value?,
            t.value?
        ))
    };
    page.findings = s.outputs.iter().filter_map(sentence).collect();
    page.headline = page.findings.first().cloned().unwrap_or_else(|| "n/a: no output varies.".into());
    for o in &s.outputs {
        let percent = o.output == "agreement" || o.output == "failure";
        let v = |e: &Estimate| if percent { pct(e) } else { num3(e, false) };
        let idx = |e: &Estimate| match (e.value, e.ci95) {
            (Some(x), Some([lo, hi])) => format!("{x:.2} [{lo:.2}, {hi:.2}]"),
            (Some(x), None) => format!("{x:.2}"),
            _ => "n/a".into(),
        };
        page.tables.push(Table {
            caption: format!("{} (base {})", o.name, v(&o.base)),
            header: vec![
                "uncertain number".into(),
                "first order [95% CI]".into(),
                "total [95% CI]".into(),
                "at its 5th percentile".into(),
                "at its 95th percentile".into(),
            ],
            rows: o
                .ranking
                .iter()
                .map(|&i| {
                    vec![
                        format!("{} ({})", s.factors[i].name, s.factors[i].distribution),
                        idx(&o.indices[i].first_order),
                        idx(&o.indices[i].total),
                        v(&o.tornado[i].low),
                        v(&o.tornado[i].high),
                    ]
                })
                .collect(),
            note: String::new(),
        });
    }
    add_plots(&mut page, dir, plots);
    finish(
        &mut page,
        made,
        &format!(
            "{} Saltelli samples ({} runs); tornado {} runs per level",
            s.samples,
            s.samples * (s.factors.len() as u64 + 2),
            s.tornado_runs
        ),
    );
    page
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tornado_read_as_a_contradiction_when_both_ends_raised_agreement() {
        let (_, text) = super::how_to_read("tornado");
        assert!(text.contains("takes away the uncertainty") && text.contains("not a contradiction"), "{text}");
    }
}
