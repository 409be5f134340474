//! `brink class`: the students' games beside the simulation. Their
//! agreements in utility space over the frontier and Nash, the share of
//! deals against the simulated share, and payoff histograms against the
//! agents'.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

use super::outcomes::bars;
use super::style::{self, AXIS, NOTE, PANEL_TITLE, TICKS, bold, colour, font};
use super::{Chart, ChartError, e, write};
use crate::analysis::classroom::{ClassSummary, PlayedGame};
use crate::analysis::outcomes::Summary;
use crate::model::Model;

/// Everything the class charts draw.
pub struct ClassData<'a> {
    pub model: &'a Model,
    pub games: &'a [PlayedGame],
    pub class: &'a ClassSummary,
    /// The simulation of the same scenario and seed.
    pub simulated: &'a Summary,
    pub caption: String,
}

/// Writes class-agreements, class-deals and class-payoffs (PNG and SVG).
pub fn class_charts(dir: &Path, data: &ClassData<'_>) -> Result<Vec<String>, ChartError> {
    let mut files = Vec::new();
    files.extend(write(dir, &ClassAgreements { data })?);
    files.extend(write(dir, &ClassDeals { data })?);
    files.extend(write(dir, &ClassPayoffs { data })?);
    Ok(files)
}

pub struct ClassAgreements<'a> {
    pub data: &'a ClassData<'a>,
}

impl Chart for ClassAgreements<'_> {
    fn name(&self) -> &str {
        "class-agreements"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let d = self.data;
        let m = d.model;
        let (u0, u1) = (&m.mean_utilities[0], &m.mean_utilities[1]);
        let no_deal = d.games.iter().filter(|g| g.agreement.is_none()).count();
        let area =
            style::frame(root, "Students' agreements beside the agents', in expected-utility space", &d.caption)?;
        let p = &m.params.means;
        let disagreement = (m.reservation(0, p), m.reservation(1, p));
        let span = |u: &[f64], x: f64| {
            let lo = u.iter().cloned().fold(x, f64::min);
            let hi = u.iter().cloned().fold(x, f64::max);
            let pad = ((hi - lo) * 0.06).max(0.02);
            (lo - pad)..(hi + pad)
        };
        let (a0, a1) = (&m.actors[0], &m.actors[1]);
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .x_label_area_size(65)
            .y_label_area_size(95)
            .build_cartesian_2d(span(u0, disagreement.0), span(u1, disagreement.1))
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc(format!("{} ({}): expected utility", a0.name, a0.id))
            .y_desc(format!("{} ({}): expected utility", a1.name, a1.id))
            .label_style(font(TICKS))
            .x_label_formatter(&|x| style::tick(*x, 2))
            .y_label_formatter(&|y| style::tick(*y, 2))
            .axis_desc_style(font(AXIS))
            .draw()
            .map_err(e)?;
        let grey = RGBColor(150, 150, 150);
        // Class scenarios are small; a huge space is thinned like `brink run`'s plot.
        let step = u0.len().div_ceil(20_000).max(1);
        chart
            .draw_series((0..u0.len()).step_by(step).map(|w| Circle::new((u0[w], u1[w]), 3, grey.mix(0.4).filled())))
            .map_err(e)?
            .label("possible outcomes")
            .legend(move |(x, y)| Circle::new((x + 10, y), 5, grey.filled()));
        let b = &d.simulated.benchmarks;
        if !b.frontier.is_empty() {
            let c = colour(2);
            let line: Vec<(f64, f64)> = b.frontier.iter().map(|&w| (u0[w as usize], u1[w as usize])).collect();
            chart
                .draw_series(LineSeries::new(line, c.stroke_width(3)))
                .map_err(e)?
                .label("Pareto frontier")
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3)));
        }
        if let Some(max) = d.simulated.agreements.iter().map(|&(_, c)| c).max() {
            let c = colour(0);
            chart
                .draw_series(d.simulated.agreements.iter().map(|&(w, count)| {
                    let r = 4.0 + 26.0 * (count as f64 / max as f64).sqrt();
                    Circle::new((u0[w as usize], u1[w as usize]), r as i32, c.mix(0.3).filled())
                }))
                .map_err(e)?
                .label("agents' agreements in the simulation (larger = more frequent)")
                .legend(move |(x, y)| Circle::new((x + 10, y), 8, c.mix(0.5).filled()));
        }
        chart
            .draw_series(std::iter::once(Cross::new(disagreement, 12, BLACK.stroke_width(4))))
            .map_err(e)?
            .label("disagreement point d (reservation values)")
            .legend(|(x, y)| Cross::new((x + 10, y), 8, BLACK.stroke_width(3)));
        // Students: one square per agreed outcome, larger when several
        // students agreed on it, with the count written beside it.
        let mut counts: Vec<(u32, usize)> = Vec::new();
        for w in d.games.iter().filter_map(|g| g.agreement) {
            match counts.iter_mut().find(|(x, _)| *x == w) {
                Some((_, c)) => *c += 1,
                None => counts.push((w, 1)),
            }
        }
        let c = colour(1);
        chart
            .draw_series(counts.iter().map(|&(w, n)| {
                let pt = (u0[w as usize], u1[w as usize]);
                let s = 9 + 4 * (n as i32 - 1).min(6);
                EmptyElement::at(pt)
                    + Rectangle::new([(-s, -s), (s, s)], c.filled())
                    + Rectangle::new([(-s, -s), (s, s)], BLACK.stroke_width(2))
                    // Below the square: the Nash label sits above and to the right of its marker.
                    + Text::new(if n > 1 { format!("×{n}") } else { String::new() }, (-s, s + 4), bold(NOTE + 2))
            }))
            .map_err(e)?
            .label("students' agreements (×n: n students)")
            .legend(move |(x, y)| Rectangle::new([(x + 2, y - 8), (x + 18, y + 8)], c.filled()));
        // Students without a deal: a hollow square on the disagreement point.
        if no_deal > 0 {
            let s = 9 + 4 * (no_deal as i32 - 1).min(6);
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at(disagreement)
                        + Rectangle::new([(-s, -s), (s, s)], c.stroke_width(4))
                        + Text::new(format!("no deal ×{no_deal}"), (-s, s + 6), bold(NOTE + 2).color(&c)),
                ))
                .map_err(e)?
                .label("students without a deal, at d (×n: n students)")
                .legend(move |(x, y)| Rectangle::new([(x + 2, y - 8), (x + 18, y + 8)], c.stroke_width(3)));
        }
        // Nash last, so that no student's square hides it.
        for &w in b.nash.outcomes.iter().take(5) {
            let pt = (u0[w as usize], u1[w as usize]);
            let c = colour(3);
            chart.draw_series(std::iter::once(TriangleMarker::new(pt, 14, c.filled()))).map_err(e)?;
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at(pt) + Text::new("Nash", (14, -30), bold(NOTE + 2).color(&c)),
                ))
                .map_err(e)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(font(NOTE + 2))
            .draw()
            .map_err(e)?;
        Ok(())
    }
}

pub struct ClassDeals<'a> {
    pub data: &'a ClassData<'a>,
}

impl Chart for ClassDeals<'_> {
    fn name(&self) -> &str {
        "class-deals"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let d = self.data.class;
        let area = style::frame(root, "Deals reached: students against the simulated agents", &self.data.caption)?;
        let group = crate::report::summary_table::group;
        let shares = [
            d.deals.clone().named(format!("students ({} games)", group(d.deals.total))),
            d.simulated_deals.clone().named(format!("simulated agents ({} runs)", group(d.simulated_deals.total))),
        ];
        let title = match (d.deal_share_difference.value, d.deal_share_difference.ci95) {
            (Some(v), Some([lo, hi])) => format!(
                "Share of talks ending in a deal (95% CI); difference {:+.1} points ({:+.1} to {:+.1})",
                100.0 * v,
                100.0 * lo,
                100.0 * hi
            ),
            _ => "Share of talks ending in a deal (95% CI)".to_string(),
        };
        bars(&area, &title, &shares, 1)
    }
}

pub struct ClassPayoffs<'a> {
    pub data: &'a ClassData<'a>,
}

impl Chart for ClassPayoffs<'_> {
    fn name(&self) -> &str {
        "class-payoffs"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let d = self.data;
        let area = style::frame(root, "Payoffs: students against the agents in the same seat", &d.caption)?;
        let seats: Vec<usize> = (0..2).filter(|&a| d.games.iter().any(|g| g.seat == a)).collect();
        let panels = area.split_evenly((seats.len().max(1), 1));
        for (&a, panel) in seats.iter().zip(&panels) {
            let actor = &d.model.actors[a];
            let agents = &d.simulated.payoffs[a].histogram;
            let students: Vec<(&str, f64)> =
                d.games.iter().filter(|g| g.seat == a).map(|g| (g.label.as_str(), g.payoff[a])).collect();
            let lo = agents
                .edges
                .first()
                .copied()
                .unwrap_or(0.0)
                .min(students.iter().map(|s| s.1).fold(f64::INFINITY, f64::min));
            let hi = agents
                .edges
                .last()
                .copied()
                .unwrap_or(1.0)
                .max(students.iter().map(|s| s.1).fold(f64::NEG_INFINITY, f64::max));
            let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 0.5, lo + 0.5) };
            let pad = (hi - lo) * 0.03;
            let total_agents: u64 = agents.counts.iter().sum::<u64>().max(1);
            let agent_share = |n: u64| n as f64 / total_agents as f64;
            let agent_width = agents.edges.windows(2).next().map_or(1.0, |w| w[1] - w[0]).max(1e-12);
            let top = agents.counts.iter().map(|&n| agent_share(n) / agent_width).fold(0.0, f64::max).max(0.01);
            // Room above the histogram for the students' names.
            let y_max = top * 1.35;
            let mut chart = ChartBuilder::on(panel)
                .caption(
                    format!(
                        "{} ({}): {} student{}, agents in {} simulated talks",
                        actor.name,
                        actor.id,
                        students.len(),
                        if students.len() == 1 { "" } else { "s" },
                        crate::report::summary_table::group(total_agents)
                    ),
                    bold(PANEL_TITLE),
                )
                .margin(10)
                .x_label_area_size(55)
                .y_label_area_size(90)
                .build_cartesian_2d((lo - pad)..(hi + pad), 0f64..y_max)
                .map_err(e)?;
            chart
                .configure_mesh()
                .x_desc(format!("payoff to {} (after discounting and costs)", actor.id))
                .y_desc("agents: density (share per unit of payoff)")
                .label_style(font(TICKS))
                .x_label_formatter(&|x| style::tick(*x, 2))
                .y_label_formatter(&|y| style::tick(*y, 2))
                .axis_desc_style(font(AXIS))
                .draw()
                .map_err(e)?;
            let ca = colour(0);
            chart
                .draw_series(agents.counts.iter().enumerate().map(|(k, &n)| {
                    Rectangle::new(
                        [(agents.edges[k], 0.0), (agents.edges[k + 1], agent_share(n) / agent_width)],
                        ca.mix(0.45).filled(),
                    )
                }))
                .map_err(e)?
                .label("agents (simulation): density of payoffs")
                .legend(move |(x, y)| Rectangle::new([(x + 2, y - 8), (x + 18, y + 8)], ca.mix(0.45).filled()));
            // Each student's payoff as a line across the distribution, named
            // at its top (names staggered over three heights so that
            // neighbours do not overwrite each other; left out in a big class).
            let cs = colour(1);
            let named = students.len() <= 24;
            chart
                .draw_series(students.iter().enumerate().map(|(k, &(name, x))| {
                    let y = top * (1.04 + 0.1 * (k % 3) as f64);
                    EmptyElement::at((x, y))
                        + TriangleMarker::new((0, 0), 7, cs.filled())
                        + Text::new(if named { name.to_string() } else { String::new() }, (6, -8), font(NOTE))
                }))
                .map_err(e)?
                .label("each student's payoff (one line each)")
                .legend(move |(x, y)| PathElement::new(vec![(x + 10, y - 9), (x + 10, y + 9)], cs.stroke_width(3)));
            chart
                .draw_series(students.iter().enumerate().map(|(k, &(_, x))| {
                    let y = top * (1.04 + 0.1 * (k % 3) as f64);
                    PathElement::new(vec![(x, 0.0), (x, y)], cs.stroke_width(3))
                }))
                .map_err(e)?;
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .label_font(font(NOTE + 2))
                .draw()
                .map_err(e)?;
        }
        if seats.is_empty() {
            style::empty_panel(&area, "Payoffs", "no student games")?;
        }
        Ok(())
    }
}
