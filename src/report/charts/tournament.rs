//! Tournament plots: the results matrix as a heatmap, the ranking as bars
//! with intervals, and evolution (replicator shares over generations).
//! They take plain numbers, so repeated-game and negotiation tournaments
//! draw the same way.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, AXIS, TICKS, bold, colour, font};
use super::{Chart, e};

/// Row entrant's mean payoff against each column entrant.
pub struct TournamentHeatmap<'a> {
    pub title: String,
    pub caption: String,
    pub names: &'a [String],
    /// `values[row][column]`; `None` is drawn grey with "n/a".
    pub values: &'a [Vec<Option<f64>>],
}

impl Chart for TournamentHeatmap<'_> {
    fn name(&self) -> &str {
        "tournament-heatmap"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(root, &self.title, &self.caption)?;
        let (w, _) = area.dim_in_pixel();
        let (plot, legend) = area.split_horizontally(w - 170);
        let n = self.names.len();
        let finite = self.values.iter().flatten().flatten().copied().filter(|v| v.is_finite());
        let lo = finite.clone().fold(f64::INFINITY, f64::min);
        let hi = finite.fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if lo.is_finite() && hi > lo {
            (lo, hi)
        } else if lo.is_finite() {
            (lo - 1.0, lo + 1.0)
        } else {
            (0.0, 1.0)
        };
        let mut chart = ChartBuilder::on(&plot)
            .margin(15)
            .x_label_area_size(70)
            .y_label_area_size(330)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), -0.5f64..(n as f64 - 0.5))
            .map_err(e)?;
        // Rows top to bottom in entry order; columns numbered to save room.
        let row_labels: Vec<String> = (0..n).rev().map(|i| format!("{} {}", i + 1, self.names[i])).collect();
        let col_labels: Vec<String> = (0..n).map(|j| (j + 1).to_string()).collect();
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(n.max(1))
            .y_labels(n.max(1))
            .x_label_formatter(&|x| style::category(&col_labels, *x))
            .y_label_formatter(&|y| style::category(&row_labels, *y))
            .x_desc("opponent (numbered as the rows)")
            .label_style(font(if n > 12 { TICKS - 4 } else { TICKS }))
            .axis_desc_style(font(AXIS))
            .draw()
            .map_err(e)?;
        for (i, row) in self.values.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            for (j, v) in row.iter().enumerate() {
                let x = j as f64;
                let scaled = v.map(|v| (v - lo) / (hi - lo));
                let fill = scaled.map_or(RGBColor(200, 200, 200), heat);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                        fill.filled(),
                    )))
                    .map_err(e)?;
                if n <= 16 {
                    let text = v.map_or("n/a".into(), |v| format!("{v:.2}"));
                    let ink = if scaled.unwrap_or(0.0) > 0.6 { WHITE } else { BLACK };
                    let size = if n > 10 { TICKS - 6 } else { TICKS - 2 };
                    chart
                        .draw_series(std::iter::once(Text::new(text, (x - 0.3, y + 0.1), font(size).color(&ink))))
                        .map_err(e)?;
                }
            }
        }
        legend.draw(&Text::new("payoff", (20, 10), bold(TICKS))).map_err(e)?;
        for k in 0..=10 {
            let s = 1.0 - k as f64 / 10.0;
            let y = 50 + k * 40;
            legend.draw(&Rectangle::new([(20, y), (60, y + 40)], heat(s).filled())).map_err(e)?;
            legend.draw(&Text::new(format!("{:.2}", lo + s * (hi - lo)), (70, y + 10), font(TICKS - 2))).map_err(e)?;
        }
        Ok(())
    }
}

/// White (low) to dark blue (high).
fn heat(v: f64) -> RGBColor {
    let v = v.clamp(0.0, 1.0);
    let lerp = |a: f64, b: f64| (a + (b - a) * v).round() as u8;
    RGBColor(lerp(247.0, 8.0), lerp(251.0, 48.0), lerp(255.0, 107.0))
}

/// One bar: label, value and its 95% interval (either may be n/a).
pub type Bar = (String, Option<f64>, Option<[f64; 2]>);

/// Horizontal bars, best at the top, with 95% whiskers.
pub struct RankingBars<'a> {
    /// File name without extension.
    pub file: String,
    pub title: String,
    pub caption: String,
    pub x_label: String,
    /// (label, value, interval), in the order to draw from the top.
    pub bars: &'a [Bar],
    /// Show values as percentages of 1.
    pub percent: bool,
    /// A vertical reference line and its label (e.g. neutral drift).
    pub reference: Option<(f64, String)>,
}

impl Chart for RankingBars<'_> {
    fn name(&self) -> &str {
        &self.file
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(root, &self.title, &self.caption)?;
        let n = self.bars.len();
        let values =
            self.bars.iter().flat_map(|(_, v, ci)| v.iter().copied().chain(ci.iter().flat_map(|c| c.iter().copied())));
        let lo = values.clone().fold(0.0f64, f64::min);
        let hi = values.fold(0.0f64, f64::max);
        let pad = ((hi - lo) * 0.08).max(1e-9);
        let (x0, x1) = (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad);
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .x_label_area_size(70)
            .y_label_area_size(360)
            .build_cartesian_2d(x0..x1, -0.5f64..(n as f64 - 0.5))
            .map_err(e)?;
        let labels: Vec<String> = self.bars.iter().rev().map(|(l, _, _)| l.clone()).collect();
        let percent = self.percent;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n.max(1))
            .y_label_formatter(&|y| style::category(&labels, *y))
            .x_label_formatter(&|x| if percent { style::percent_tick(*x) } else { style::tick(*x, 2) })
            .x_desc(self.x_label.clone())
            .label_style(font(if n > 12 { TICKS - 4 } else { TICKS }))
            .axis_desc_style(font(AXIS))
            .draw()
            .map_err(e)?;
        if let Some((x, label)) = &self.reference {
            let line = vec![(*x, -0.5), (*x, n as f64 - 0.5)];
            chart
                .draw_series(DashedLineSeries::new(line, 10, 8, colour(3).stroke_width(3)))
                .map_err(e)?
                .label(label.clone())
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 30, y)], colour(3).stroke_width(3)));
        }
        for (k, (_, v, ci)) in self.bars.iter().enumerate() {
            let y = (n - 1 - k) as f64;
            let c = colour(0);
            match v {
                Some(v) => {
                    chart
                        .draw_series(std::iter::once(Rectangle::new([(0.0, y - 0.35), (*v, y + 0.35)], c.filled())))
                        .map_err(e)?;
                    let text = if percent { style::percent(*v) } else { format!("{v:.3}") };
                    let at = ci.map_or(*v, |c| c[1].max(*v));
                    chart
                        .draw_series(std::iter::once(Text::new(text, (at + pad * 0.15, y + 0.15), font(TICKS - 4))))
                        .map_err(e)?;
                }
                None => {
                    chart
                        .draw_series(std::iter::once(Text::new(
                            "n/a".to_string(),
                            (pad * 0.15, y + 0.15),
                            font(TICKS - 4),
                        )))
                        .map_err(e)?;
                }
            }
            if let Some([a, b]) = ci {
                let whisker = vec![(*a, y), (*b, y)];
                chart.draw_series(std::iter::once(PathElement::new(whisker, BLACK.stroke_width(3)))).map_err(e)?;
                for x in [*a, *b] {
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            vec![(x, y - 0.15), (x, y + 0.15)],
                            BLACK.stroke_width(3),
                        )))
                        .map_err(e)?;
                }
            }
        }
        if self.reference.is_some() {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerRight)
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK)
                .label_font(font(TICKS))
                .draw()
                .map_err(e)?;
        }
        Ok(())
    }
}

/// Each strategy's share of the population over generations.
pub struct ReplicatorShares<'a> {
    pub title: String,
    pub caption: String,
    pub names: &'a [String],
    /// `shares[generation][strategy]`.
    pub shares: &'a [Vec<f64>],
}

impl Chart for ReplicatorShares<'_> {
    fn name(&self) -> &str {
        "evolution-replicator"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(root, &self.title, &self.caption)?;
        let (w, _) = area.dim_in_pixel();
        let (plot, legend) = area.split_horizontally(w - 360);
        let g = self.shares.len().saturating_sub(1).max(1) as f64;
        let top = self.shares.iter().flatten().copied().fold(0.0f64, f64::max);
        let top = ((top * 1.1 * 10.0).ceil() / 10.0).clamp(0.1, 1.0);
        let mut chart = ChartBuilder::on(&plot)
            .margin(15)
            .x_label_area_size(70)
            .y_label_area_size(100)
            .build_cartesian_2d(0f64..g, 0f64..top)
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc("generation")
            .y_desc("share of the population")
            .y_label_formatter(&|y| style::percent_tick(*y))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .label_style(font(TICKS))
            .axis_desc_style(font(AXIS))
            .draw()
            .map_err(e)?;
        // Final shares decide the legend order, so the winners come first.
        let last = self.shares.last().cloned().unwrap_or_default();
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        order.sort_by(|&a, &b| last[b].total_cmp(&last[a]).then(a.cmp(&b)));
        for (k, &i) in order.iter().enumerate() {
            let c = line_colour(i);
            let dashed = i >= style::PALETTE.len();
            let points: Vec<(f64, f64)> = self.shares.iter().enumerate().map(|(t, x)| (t as f64, x[i])).collect();
            if dashed {
                chart.draw_series(DashedLineSeries::new(points, 12, 8, c.stroke_width(4))).map_err(e)?;
            } else {
                chart.draw_series(LineSeries::new(points, c.stroke_width(4))).map_err(e)?;
            }
            let y = 20 + k as i32 * 36;
            if dashed {
                for x in [10, 34] {
                    legend
                        .draw(&PathElement::new(vec![(x, y + 10), (x + 16, y + 10)], c.stroke_width(5)))
                        .map_err(e)?;
                }
            } else {
                legend.draw(&PathElement::new(vec![(10, y + 10), (50, y + 10)], c.stroke_width(5))).map_err(e)?;
            }
            let label = format!("{} ({})", self.names[i], style::percent(last[i]));
            legend.draw(&Text::new(label, (60, y), font(TICKS - 4))).map_err(e)?;
        }
        Ok(())
    }
}

/// Palette colours first, then the same colours dashed (drawn by the caller).
fn line_colour(i: usize) -> RGBColor {
    colour(i % style::PALETTE.len())
}
