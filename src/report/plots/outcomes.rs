//! `outcomes`: how the talks ended (agreement, deadline, breakdown,
//! walk-away) and, beside it, which disagreement outcome followed failed
//! talks; bars of shares of all runs with 95% Wilson whiskers and the value
//! written on each bar.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{AXIS_PX, NOTE_PX, PANEL_PX, Plot, TICK_PX, bold, category, colour, font, frame, msg, percent, whisker};
use crate::analysis::outcomes::Summary;
use crate::analysis::shares::Share;

pub(super) struct Outcomes<'a> {
    pub summary: &'a Summary,
    pub caption: &'a str,
}

impl Plot for Outcomes<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = frame(root, "How the talks ended", self.caption)?;
        // The ends have four bars, the disagreement outcomes usually two or
        // three; give each panel room in proportion, but never less than a
        // third of the width.
        let (n_ends, n_dis) = (self.summary.ends.len().max(1), self.summary.disagreement.len().max(1));
        let (w, _) = area.dim_in_pixel();
        let split = (w as usize * n_ends / (n_ends + n_dis)).clamp(w as usize / 3, w as usize * 2 / 3);
        let (left, right) = area.split_horizontally(split as u32);
        let colours = self.summary.ends.len();
        bars(&left, "How the talks ended", &self.summary.ends, 0)?;
        if self.summary.disagreement.is_empty() {
            return super::message_panel(
                &right,
                "What followed failed talks",
                "the scenario defines no disagreement outcomes",
            );
        }
        bars(&right, "What followed failed talks", &self.summary.disagreement, colours)
    }
}

/// One panel of vertical bars with whiskers; `first_colour` keeps the
/// colours of the two panels distinct.
fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    shares: &[Share],
    first_colour: usize,
) -> Result<(), String> {
    // Room above the tallest whisker for its value label.
    let top = shares.iter().map(|s| s.ci95.map_or(s.share.unwrap_or(0.0), |c| c[1])).fold(0.0, f64::max);
    let y_max = (top * 1.18).clamp(0.05, 1.12);
    let n = shares.len().max(1);
    let labels: Vec<String> = shares.iter().map(|s| s.label.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .caption(title, bold(PANEL_PX))
        .margin(15)
        .x_label_area_size(55)
        .y_label_area_size(105)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..y_max)
        .map_err(msg)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| category(&labels, *x))
        .y_labels(6)
        .y_label_formatter(&|y| if *y <= 1.0 + 1e-9 { format!("{:.0}%", 100.0 * y) } else { String::new() })
        .y_desc("share of all runs (bars: 95% CI)")
        .label_style(font(TICK_PX))
        .axis_desc_style(font(AXIS_PX))
        .light_line_style(WHITE)
        .draw()
        .map_err(msg)?;
    for (k, s) in shares.iter().enumerate() {
        let x = k as f64;
        let v = s.share.unwrap_or(0.0);
        let c = colour(first_colour + k);
        chart.draw_series(std::iter::once(Rectangle::new([(x - 0.36, 0.0), (x + 0.36, v)], c.filled()))).map_err(msg)?;
        if let Some([lo, hi]) = s.ci95 {
            chart.draw_series(whisker(x, lo, hi, 0.08, true)).map_err(msg)?;
        }
        let label = s.share.map_or_else(|| "n/a".to_string(), percent);
        let y_label = s.ci95.map_or(v, |c| c[1]);
        let style = font(NOTE_PX).pos(Pos::new(HPos::Center, VPos::Bottom));
        chart
            .draw_series(std::iter::once(EmptyElement::at((x, y_label)) + Text::new(label, (0, -8), style)))
            .map_err(msg)?;
    }
    Ok(())
}
