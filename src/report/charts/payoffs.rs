//! Each actor's realised payoffs: one histogram per actor on a shared x axis,
//! the mean marked.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::layout::{self, GRID};
use super::style::{self, AXIS, PANEL_TITLE, TICKS, bold, colour, font};
use super::{Chart, e};
use crate::analysis::outcomes::Summary;
use crate::model::Model;

pub struct Payoffs<'a> {
    pub model: &'a Model,
    pub summary: &'a Summary,
    pub caption: String,
}

impl Chart for Payoffs<'_> {
    fn name(&self) -> &str {
        "payoffs"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(root, "Realised payoffs (after discounting and per-round costs)", &self.caption)?;
        let ps = &self.summary.payoffs;
        let lo = ps.iter().filter_map(|p| p.histogram.edges.first()).cloned().fold(f64::INFINITY, f64::min);
        let hi = ps.iter().filter_map(|p| p.histogram.edges.last()).cloned().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = x_range(lo, hi);
        let panels = area.split_evenly((ps.len().max(1), 1));
        for (a, (p, panel)) in ps.iter().zip(&panels).enumerate() {
            let actor = &self.model.actors[a];
            let total: u64 = p.histogram.counts.iter().sum();
            let y_max = p.histogram.counts.iter().map(|&c| c as f64 / total.max(1) as f64).fold(0.0, f64::max) * 1.15;
            let mut chart = layout::builder(panel)
                .caption(format!("{} ({})", actor.name, actor.id), bold(PANEL_TITLE))
                .x_label_area_size(55)
                .y_label_area_size(90)
                .build_cartesian_2d(lo..hi, 0f64..y_max.max(0.01))
                .map_err(e)?;
            chart
                .configure_mesh()
                .max_light_lines(0)
                .bold_line_style(GRID)
                .x_desc(format!("payoff to {}", actor.id))
                .y_desc("share of runs")
                .y_label_formatter(&|y| style::percent_tick(*y))
                .label_style(font(TICKS))
                .axis_desc_style(font(AXIS))
                .draw()
                .map_err(e)?;
            let c = colour(a);
            let edges = &p.histogram.edges;
            chart
                .draw_series(p.histogram.counts.iter().enumerate().map(|(k, &n)| {
                    // A bin narrower than 1% of the axis (all payoffs equal)
                    // is drawn 1% wide, so that it shows.
                    let min_w = (hi - lo) * 0.01;
                    let (a, b) = (edges[k], edges[k + 1].max(edges[k] + min_w));
                    Rectangle::new([(a, 0.0), (b, n as f64 / total.max(1) as f64)], c.mix(0.75).filled())
                }))
                .map_err(e)?;
            if let Some(m) = p.mean {
                chart
                    .draw_series(std::iter::once(PathElement::new(vec![(m, 0.0), (m, y_max)], BLACK.stroke_width(3))))
                    .map_err(e)?;
                // The label goes on the side of the line with more room.
                let right_half = m > (lo + hi) / 2.0;
                let (text, h) = if right_half {
                    (format!("mean {m:.3} "), HPos::Right)
                } else {
                    (format!(" mean {m:.3}"), HPos::Left)
                };
                let style = font(AXIS).pos(Pos::new(h, VPos::Top));
                chart.draw_series(std::iter::once(Text::new(text, (m, y_max * 0.97), style))).map_err(e)?;
            }
        }
        Ok(())
    }
}

/// The x axis for payoffs from `lo` to `hi`, padded so that the outer bars
/// and the mean's label stay inside; a window around the value when all
/// payoffs are the same (or there are none).
fn x_range(lo: f64, hi: f64) -> (f64, f64) {
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let span = hi - lo;
    let pad = if span > 1e-9 * lo.abs().max(hi.abs()).max(1.0) { span * 0.05 } else { 0.1 * lo.abs().max(1.0) };
    (lo - pad, hi + pad)
}

#[cfg(test)]
mod tests {
    #[test]
    fn issue_16_identical_payoffs_sit_inside_the_axis() {
        let (lo, hi) = super::x_range(0.3, 0.3 + 1e-12);
        assert!(lo < 0.29 && hi > 0.31);
        let (lo, hi) = super::x_range(-1.0, 1.0);
        assert!(lo < -1.0 && hi > 1.0);
        assert_eq!(super::x_range(f64::INFINITY, f64::NEG_INFINITY), (0.0, 1.0));
    }
}
