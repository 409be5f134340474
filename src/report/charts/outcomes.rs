//! How the talks ended, and what followed failed talks: bars of shares with
//! 95% confidence whiskers.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, AXIS, PANEL_TITLE, TICKS, bold, colour, font, percent};
use super::{Chart, e};
use crate::analysis::outcomes::Summary;
use crate::analysis::shares::Share;

pub struct Outcomes<'a> {
    pub summary: &'a Summary,
    pub caption: String,
}

impl Chart for Outcomes<'_> {
    fn name(&self) -> &str {
        "outcomes"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(root, "How the talks ended", &self.caption)?;
        let (w, _) = area.dim_in_pixel();
        let (left, right) = area.split_horizontally(w * 45 / 100);
        bars(&left, "Ends of the talks (share of all runs)", &self.summary.ends, 0)?;
        bars(&right, "If no deal: what followed (share of all runs)", &self.summary.disagreement, 4)
    }
}

/// One panel of bars with whiskers; `first_colour` keeps colours distinct
/// across panels.
pub fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    shares: &[Share],
    first_colour: usize,
) -> Result<(), String> {
    let top = shares.iter().filter_map(|s| s.ci95.map(|c| c[1])).fold(0.0f64, f64::max);
    let y_max = (top * 1.15).clamp(0.05, 1.0);
    let n = shares.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(title, bold(PANEL_TITLE))
        .margin(15)
        .x_label_area_size(60)
        .y_label_area_size(90)
        .build_cartesian_2d(-0.5f64..(n - 0.5), 0f64..y_max)
        .map_err(e)?;
    let labels: Vec<String> = shares.iter().map(|s| s.name.clone()).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(shares.len().max(1))
        .x_label_formatter(&|x| style::category(&labels, *x))
        .y_label_formatter(&|y| format!("{:.0}%", 100.0 * y))
        .y_desc("share of runs (95% CI)")
        .label_style(font(TICKS))
        .axis_desc_style(font(AXIS))
        .draw()
        .map_err(e)?;
    for (k, s) in shares.iter().enumerate() {
        let x = k as f64;
        let v = s.share.unwrap_or(0.0);
        let c = colour(first_colour + k);
        chart.draw_series(std::iter::once(Rectangle::new([(x - 0.35, 0.0), (x + 0.35, v)], c.filled()))).map_err(e)?;
        if let Some([lo, hi]) = s.ci95 {
            let whisker = vec![(x, lo), (x, hi)];
            chart.draw_series(std::iter::once(PathElement::new(whisker, BLACK.stroke_width(3)))).map_err(e)?;
            for y in [lo, hi] {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x - 0.1, y), (x + 0.1, y)],
                        BLACK.stroke_width(3),
                    )))
                    .map_err(e)?;
            }
        }
        let label = s.share.map_or("n/a".to_string(), percent);
        let y_text = s.ci95.map_or(v, |c| c[1]) + y_max * 0.03;
        chart
            .draw_series(std::iter::once(Text::new(label, (x - 0.2, y_text.min(y_max * 0.97)), font(TICKS))))
            .map_err(e)?;
    }
    Ok(())
}
