//! Each actor's realised payoffs: one histogram per actor on a shared x axis,
//! the mean marked.

use plotters::coord::Shift;
use plotters::prelude::*;

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
        let (lo, hi) = if lo.is_finite() && hi > lo { (lo, hi) } else { (0.0, 1.0) };
        let panels = area.split_evenly((ps.len().max(1), 1));
        for (a, (p, panel)) in ps.iter().zip(&panels).enumerate() {
            let actor = &self.model.actors[a];
            let total: u64 = p.histogram.counts.iter().sum();
            let y_max = p.histogram.counts.iter().map(|&c| c as f64 / total.max(1) as f64).fold(0.0, f64::max) * 1.15;
            let mut chart = ChartBuilder::on(panel)
                .caption(format!("{} ({})", actor.name, actor.id), bold(PANEL_TITLE))
                .margin(10)
                .x_label_area_size(55)
                .y_label_area_size(90)
                .build_cartesian_2d(lo..hi, 0f64..y_max.max(0.01))
                .map_err(e)?;
            chart
                .configure_mesh()
                .x_desc(format!("payoff to {}", actor.id))
                .y_desc("share of runs")
                .y_label_formatter(&|y| format!("{:.0}%", 100.0 * y))
                .label_style(font(TICKS))
                .axis_desc_style(font(AXIS))
                .draw()
                .map_err(e)?;
            let c = colour(a);
            let edges = &p.histogram.edges;
            chart
                .draw_series(p.histogram.counts.iter().enumerate().map(|(k, &n)| {
                    Rectangle::new(
                        [(edges[k], 0.0), (edges[k + 1], n as f64 / total.max(1) as f64)],
                        c.mix(0.75).filled(),
                    )
                }))
                .map_err(e)?;
            if let Some(m) = p.mean {
                chart
                    .draw_series(std::iter::once(PathElement::new(vec![(m, 0.0), (m, y_max)], BLACK.stroke_width(3))))
                    .map_err(e)?;
                chart
                    .draw_series(std::iter::once(Text::new(format!(" mean {m:.3}"), (m, y_max * 0.95), font(AXIS))))
                    .map_err(e)?;
            }
        }
        Ok(())
    }
}
