//! When the talks ended: a histogram of the final round, stacked by how the
//! talks ended.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout::{self, GRID, Legend, Mark, Occupancy};
use super::style::{self, AXIS, TICKS, colour, font};
use super::{Chart, e};
use crate::analysis::outcomes::Summary;

pub struct Rounds<'a> {
    pub summary: &'a Summary,
    pub caption: String,
}

impl Chart for Rounds<'_> {
    fn name(&self) -> &str {
        "rounds"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(root, "When the talks ended", &self.caption)?;
        let by_end = &self.summary.rounds.by_end;
        let rounds = by_end.first().map_or(0, |r| r.counts.len());
        let runs = self.summary.runs.max(1) as f64;
        let totals: Vec<f64> =
            (0..rounds).map(|t| by_end.iter().map(|r| r.counts[t] as f64).sum::<f64>() / runs).collect();
        let y_max = totals.iter().cloned().fold(0.0, f64::max).max(0.01) * 1.1;
        let x_range = -0.5f64..(rounds as f64 - 0.5);
        let mut legend = Legend::default();
        let mut occupied = Occupancy::new(x_range.clone(), 0.0..y_max);
        for (t, total) in totals.iter().enumerate() {
            occupied.rect((t as f64 - 0.4, 0.0), (t as f64 + 0.4, *total));
        }
        for (k, end) in by_end.iter().enumerate() {
            if end.counts.iter().any(|&c| c > 0) {
                legend.push(Mark::Bar(colour(k)), end.end.clone());
            }
        }
        let (area, side, placement) = layout::reserve(&area, &legend, &occupied);
        let mut chart = layout::builder(&area)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(x_range, 0f64..y_max)
            .map_err(e)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(0)
            .bold_line_style(GRID)
            .x_desc("round at which the talks ended")
            .y_desc("share of runs")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| style::percent_tick(*y))
            .label_style(font(TICKS))
            .axis_desc_style(font(AXIS))
            .draw()
            .map_err(e)?;
        let mut base = vec![0.0; rounds];
        for (k, end) in by_end.iter().enumerate() {
            if end.counts.iter().all(|&c| c == 0) {
                continue;
            }
            let c = colour(k);
            let bars: Vec<_> = (0..rounds)
                .map(|t| {
                    let lo = base[t];
                    let hi = lo + end.counts[t] as f64 / runs;
                    base[t] = hi;
                    Rectangle::new([(t as f64 - 0.4, lo), (t as f64 + 0.4, hi)], c.filled())
                })
                .collect();
            chart.draw_series(bars).map_err(e)?;
        }
        layout::draw_legend(&chart, side.as_ref(), placement, &legend)
    }
}
