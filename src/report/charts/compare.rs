//! Comparisons: grouped bars of outcome shares per arm with whiskers, and
//! each arm's payoff distribution side by side (box plots from quantiles).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout::{self, GRID, Legend, Mark, Occupancy};
use super::style::{self, AXIS, PANEL_TITLE, TICKS, bold, colour, font};
use super::{Chart, e};
use crate::analysis::outcomes::Summary;

pub struct CompareOutcomes<'a> {
    pub caption: String,
    pub arms: &'a [(String, String)],
    pub summaries: &'a [Summary],
}

impl Chart for CompareOutcomes<'_> {
    fn name(&self) -> &str {
        "compare-outcomes"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(root, "Outcome shares by policy (95% CI)", &self.caption)?;
        let Some(first) = self.summaries.first() else { return Ok(()) };
        // Categories: every end and disagreement outcome that occurs in some arm.
        let labels: Vec<String> = first
            .ends
            .iter()
            .map(|s| s.name.clone())
            .chain(first.disagreement.iter().map(|s| format!("no deal: {}", s.name)))
            .collect();
        let value = |s: &Summary, k: usize| s.ends.iter().chain(&s.disagreement).nth(k).cloned();
        let shown: Vec<usize> = (0..labels.len())
            .filter(|&k| self.summaries.iter().any(|s| value(s, k).and_then(|v| v.share).unwrap_or(0.0) > 0.0))
            .collect();
        let arms = self.arms.len().max(1) as f64;
        let y_max = self
            .summaries
            .iter()
            .flat_map(|s| shown.iter().filter_map(move |&k| value(s, k).and_then(|v| v.ci95).map(|c| c[1])))
            .fold(0.05, f64::max)
            * 1.1;
        let x_range = -0.5f64..(shown.len() as f64 - 0.5);
        let y_range = 0f64..y_max.min(1.0);
        let width = 0.8 / arms;
        let mut legend = Legend::default();
        let mut occupied = Occupancy::new(x_range.clone(), y_range.clone());
        for (a, (s, (arm, _))) in self.summaries.iter().zip(self.arms).enumerate() {
            legend.push(
                if style::bar_outlined(a) { Mark::PaleBar(colour(a)) } else { Mark::Bar(colour(a)) },
                arm.clone(),
            );
            let offset = -0.4 + width * (a as f64 + 0.5);
            for (x, &k) in shown.iter().enumerate() {
                if let Some(v) = value(s, k) {
                    let top = v.ci95.map_or(v.share.unwrap_or(0.0), |c| c[1]);
                    let x = x as f64 + offset;
                    occupied.rect((x - width * 0.45, 0.0), (x + width * 0.45, top));
                }
            }
        }
        let (area, side, placement) = layout::reserve(&area, &legend, &occupied);
        let mut chart = layout::builder(&area)
            .x_label_area_size(100)
            .y_label_area_size(90)
            .build_cartesian_2d(x_range, y_range)
            .map_err(e)?;
        let names: Vec<String> = shown.iter().map(|&k| labels[k].clone()).collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(0)
            .bold_line_style(GRID)
            .x_labels(shown.len().max(1))
            .x_label_formatter(&|_| String::new())
            .y_label_formatter(&|y| style::percent_tick(*y))
            .y_desc("share of runs")
            .y_label_style(font(TICKS))
            .axis_desc_style(font(AXIS))
            .draw()
            .map_err(e)?;
        layout::draw_category_labels(&chart, &names, TICKS - 4)?;
        for (a, s) in self.summaries.iter().enumerate() {
            let c = colour(a);
            let offset = -0.4 + width * (a as f64 + 0.5);
            let bars: Vec<_> = shown
                .iter()
                .enumerate()
                .filter_map(|(x, &k)| {
                    let v = value(s, k)?.share?;
                    let x = x as f64 + offset;
                    Some([(x - width * 0.45, 0.0), (x + width * 0.45, v)])
                })
                .collect();
            if style::bar_outlined(a) {
                chart.draw_series(bars.iter().map(|&r| Rectangle::new(r, c.mix(0.35).filled()))).map_err(e)?;
                chart.draw_series(bars.iter().map(|&r| Rectangle::new(r, BLACK.stroke_width(2)))).map_err(e)?;
            } else {
                chart.draw_series(bars.iter().map(|&r| Rectangle::new(r, c.filled()))).map_err(e)?;
            }
            for (x, &k) in shown.iter().enumerate() {
                if let Some([lo, hi]) = value(s, k).and_then(|v| v.ci95) {
                    let x = x as f64 + offset;
                    chart
                        .draw_series(std::iter::once(PathElement::new(vec![(x, lo), (x, hi)], BLACK.stroke_width(2))))
                        .map_err(e)?;
                }
            }
        }
        layout::draw_legend(&chart, side.as_ref(), placement, &legend)
    }
}

pub struct ComparePayoffs<'a> {
    pub caption: String,
    pub arms: &'a [(String, String)],
    pub summaries: &'a [Summary],
}

impl Chart for ComparePayoffs<'_> {
    fn name(&self) -> &str {
        "compare-payoffs"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(
            root,
            "Payoff distributions by policy (box: 25–75%, whiskers: 5–95%, dot: mean)",
            &self.caption,
        )?;
        let Some(first) = self.summaries.first() else { return Ok(()) };
        let panels = area.split_evenly((1, first.payoffs.len().max(1)));
        for (p, panel) in panels.iter().enumerate() {
            let actor = &first.payoffs[p].actor;
            let stats: Vec<Option<[f64; 6]>> = self
                .summaries
                .iter()
                .map(|s| {
                    let ps = s.payoffs.get(p)?;
                    let q = |k: usize| ps.quantiles.get(k).and_then(|x| x.1);
                    Some([q(0)?, q(1)?, q(2)?, q(3)?, q(4)?, ps.mean?])
                })
                .collect();
            let lo = stats.iter().flatten().map(|s| s[0].min(s[5])).fold(f64::INFINITY, f64::min);
            let hi = stats.iter().flatten().map(|s| s[4].max(s[5])).fold(f64::NEG_INFINITY, f64::max);
            let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 0.5, lo + 0.5) };
            let pad = (hi - lo) * 0.1;
            let mut chart = layout::builder(panel)
                .caption(format!("payoff to {actor}"), bold(PANEL_TITLE))
                .x_label_area_size(100)
                .y_label_area_size(80)
                .build_cartesian_2d(-0.5f64..(self.arms.len() as f64 - 0.5), (lo - pad)..(hi + pad))
                .map_err(e)?;
            let names: Vec<String> = self.arms.iter().map(|(n, _)| n.clone()).collect();
            chart
                .configure_mesh()
                .disable_x_mesh()
                .max_light_lines(0)
                .bold_line_style(GRID)
                .x_labels(names.len().max(1))
                .x_label_formatter(&|_| String::new())
                .label_style(font(TICKS - 4))
                .draw()
                .map_err(e)?;
            layout::draw_category_labels(&chart, &names, TICKS - 4)?;
            for (a, s) in stats.iter().enumerate() {
                let Some([q05, q25, q50, q75, q95, mean]) = *s else { continue };
                let x = a as f64;
                let c = colour(a);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.25, q25), (x + 0.25, q75)],
                        c.mix(0.5).filled(),
                    )))
                    .map_err(e)?;
                for seg in [vec![(x, q05), (x, q25)], vec![(x, q75), (x, q95)], vec![(x - 0.25, q50), (x + 0.25, q50)]]
                {
                    chart.draw_series(std::iter::once(PathElement::new(seg, BLACK.stroke_width(2)))).map_err(e)?;
                }
                chart.draw_series(std::iter::once(Circle::new((x, mean), 7, BLACK.filled()))).map_err(e)?;
            }
        }
        Ok(())
    }
}

/// Each policy's difference from the baseline in every ending's share, with
/// the difference's 95% interval (paired unless `--unpaired`) as a bar.
pub struct CompareDifferences<'a> {
    pub caption: String,
    pub arms: &'a [(String, String)],
    /// The comparison rows (`compare` or `compare_paired`).
    pub rows: &'a [crate::analysis::comparison::Row],
}

impl Chart for CompareDifferences<'_> {
    fn name(&self) -> &str {
        "compare-differences"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let base = self.arms.first().map_or("the baseline", |(n, _)| n.as_str());
        let title = format!("How each policy changes the endings, against {base}");
        let area = style::frame(root, &title, &self.caption)?;
        // Endings that some policy moves; an ending no policy changes is a row of zeros.
        let rows: Vec<_> = self
            .rows
            .iter()
            .filter(|r| r.kind == "end")
            .filter(|r| r.differences.iter().skip(1).any(|d| d.value.is_some_and(|v| v != 0.0)))
            .collect();
        let kind = self.rows.first().map(|r| r.interval);
        let arms = self.arms.len().saturating_sub(1).max(1) as f64;
        let width = 0.8 / arms;
        let (mut y_lo, mut y_hi) = (0.0f64, 0.0f64);
        for r in &rows {
            for d in r.differences.iter().skip(1) {
                for y in d.value.into_iter().chain(d.ci95.into_iter().flatten()) {
                    (y_lo, y_hi) = (y_lo.min(y), y_hi.max(y));
                }
            }
        }
        if y_hi - y_lo < 0.01 {
            (y_lo, y_hi) = (y_lo - 0.005, y_hi + 0.005);
        }
        let pad = (y_hi - y_lo) * 0.1;
        let x_range = -0.5f64..(rows.len().max(1) as f64 - 0.5);
        let y_range = (y_lo - pad)..(y_hi + pad);
        let mut legend = Legend::default();
        let mut occupied = Occupancy::new(x_range.clone(), y_range.clone());
        let at = |x: usize, a: usize| x as f64 - 0.4 + width * ((a - 1) as f64 + 0.5);
        for (a, (arm, _)) in self.arms.iter().enumerate().skip(1) {
            // Colour and shape together: more arms than colours stay apart.
            legend.push(Mark::Marker(colour(a), style::shape(a - 1)), arm.clone());
            for (x, r) in rows.iter().enumerate() {
                let d = &r.differences[a];
                if let (Some(v), ci) = (d.value, d.ci95) {
                    let [lo, hi] = ci.unwrap_or([v, v]);
                    occupied.rect((at(x, a) - width * 0.3, lo), (at(x, a) + width * 0.3, hi));
                }
            }
        }
        let (area, side, placement) = layout::reserve(&area, &legend, &occupied);
        let mut chart = layout::builder(&area)
            .x_label_area_size(100)
            .y_label_area_size(110)
            .build_cartesian_2d(x_range.clone(), y_range)
            .map_err(e)?;
        let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
        let y_desc = match kind {
            Some(crate::analysis::comparison::IntervalKind::Independent) => "share − baseline (independent 95% CI)",
            _ => "share − baseline (paired 95% CI)",
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(0)
            .bold_line_style(GRID)
            .x_labels(rows.len().max(1))
            .x_label_formatter(&|_| String::new())
            .y_label_formatter(&|y| {
                let t = style::tick(100.0 * y, 1);
                if t == "0" {
                    t
                } else if *y > 0.0 {
                    format!("+{t} pts")
                } else {
                    format!("{t} pts")
                }
            })
            .y_desc(y_desc)
            .y_label_style(font(TICKS))
            .axis_desc_style(font(AXIS))
            .draw()
            .map_err(e)?;
        layout::draw_category_labels(&chart, &names, TICKS - 4)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x_range.start, 0.0), (x_range.end, 0.0)],
                BLACK.mix(0.6).stroke_width(2),
            )))
            .map_err(e)?;
        for (a, _) in self.arms.iter().enumerate().skip(1) {
            let c = colour(a);
            for (x, r) in rows.iter().enumerate() {
                let d = &r.differences[a];
                let Some(v) = d.value else { continue };
                let x = at(x, a);
                if let Some([lo, hi]) = d.ci95 {
                    let cap = width * 0.15;
                    for p in
                        [vec![(x, lo), (x, hi)], vec![(x - cap, lo), (x + cap, lo)], vec![(x - cap, hi), (x + cap, hi)]]
                    {
                        chart.draw_series(std::iter::once(PathElement::new(p, c.stroke_width(2)))).map_err(e)?;
                    }
                }
                layout::draw_marker(chart.plotting_area(), (x, v), style::shape(a - 1), 6, c)?;
            }
        }
        layout::draw_legend(&chart, side.as_ref(), placement, &legend)
    }
}
