//! Sweeps: outcome shares and mean payoffs along one parameter (lines with
//! shaded 95% bands), or the share of one ending over two parameters
//! (a heatmap).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

use super::layout::{self, GRID, Legend, Mark, Occupancy};
use super::style::{self, AXIS, PANEL_TITLE, TICKS, bold, colour, font};
use super::{Chart, e};
use crate::report::experiments::SweepPoint;

/// One curve: a label and, per point, (x, value, CI).
type Curve = (String, Vec<(f64, f64, Option<[f64; 2]>)>);

pub struct SweepLines<'a> {
    pub name: String,
    pub title: String,
    pub caption: String,
    pub parameter: String,
    pub points: &'a [SweepPoint<'a>],
    pub kind: SweepKind,
    /// The grid was logarithmic (`LO:HI:N:log`): a log x axis.
    pub log_x: bool,
}

/// What a sweep's line chart draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepKind {
    /// Shares of the endings and conflict outcomes (95% bands).
    Shares,
    /// Mean payoffs (95% bands).
    Payoffs,
    /// Each ending's share minus the first point's, with the differences'
    /// intervals (paired unless `--unpaired`) as bars.
    Differences,
}

impl SweepLines<'_> {
    fn curves(&self) -> Vec<Curve> {
        let mut out: Vec<Curve> = Vec::new();
        let Some(first) = self.points.first() else { return out };
        match self.kind {
            SweepKind::Shares => {
                let all = first
                    .summary
                    .ends
                    .iter()
                    .map(|s| s.name.clone())
                    .chain(first.summary.disagreement.iter().map(|s| format!("no deal: {}", s.name)));
                for (k, label) in all.enumerate() {
                    let pts = self
                        .points
                        .iter()
                        .filter_map(|p| {
                            let s = p.summary.ends.iter().chain(&p.summary.disagreement).nth(k)?;
                            Some((p.values[0], s.share?, s.ci95))
                        })
                        .collect::<Vec<_>>();
                    // An ending that never happens anywhere only clutters the plot.
                    if pts.iter().any(|(_, v, _)| *v > 0.0) {
                        out.push((label, pts));
                    }
                }
            }
            SweepKind::Payoffs => {
                for (a, p0) in first.summary.payoffs.iter().enumerate() {
                    let pts = self
                        .points
                        .iter()
                        .filter_map(|p| {
                            let s = p.summary.payoffs.get(a)?;
                            Some((p.values[0], s.mean?, s.mean_ci95))
                        })
                        .collect();
                    out.push((format!("mean payoff {}", p0.actor), pts));
                }
            }
            SweepKind::Differences => {
                for end in &first.summary.ends {
                    let column = format!("end:{}", end.label);
                    let pts: Vec<_> = self
                        .points
                        .iter()
                        .filter_map(|p| {
                            let d = p.differences.get(&column)?;
                            Some((p.values[0], d.value?, d.ci95))
                        })
                        .collect();
                    // An ending whose share never moves is a flat line at 0.
                    if pts.iter().any(|(_, v, ci)| *v != 0.0 || ci.is_some_and(|c| c != [0.0, 0.0])) {
                        out.push((end.name.clone(), pts));
                    }
                }
            }
        }
        out
    }

    /// Where x is drawn: log10 of the value on a log axis.
    fn x(&self, v: f64) -> f64 {
        if self.log_x { v.log10() } else { v }
    }
}

impl Chart for SweepLines<'_> {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(root, &self.title, &self.caption)?;
        // On a log axis every x is drawn at its log10, and the ticks are
        // labelled with the values themselves (at 1, 2 and 5 per decade).
        let curves: Vec<Curve> = self
            .curves()
            .into_iter()
            .map(|(label, pts)| (label, pts.into_iter().map(|(x, v, ci)| (self.x(x), v, ci)).collect()))
            .collect();
        let xs: Vec<f64> = self.points.iter().map(|p| self.x(p.values[0])).collect();
        let x_lo = xs.iter().cloned().fold(f64::INFINITY, f64::min);
        let x_hi = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        // A little room either side, so the end points' interval bars are whole.
        let x_pad = (x_hi - x_lo) * 0.02;
        let x_range = if x_hi > x_lo { (x_lo - x_pad)..(x_hi + x_pad) } else { (x_lo - 0.5)..(x_lo + 0.5) };
        let all_y = curves
            .iter()
            .flat_map(|(_, p)| p.iter().flat_map(|(_, v, ci)| [Some(*v), ci.map(|c| c[0]), ci.map(|c| c[1])]));
        let ys: Vec<f64> = all_y.flatten().collect();
        let (mut y_lo, mut y_hi) =
            (ys.iter().cloned().fold(f64::INFINITY, f64::min), ys.iter().cloned().fold(f64::NEG_INFINITY, f64::max));
        let kind = self.kind;
        match kind {
            SweepKind::Shares => (y_lo, y_hi) = (0.0, (y_hi * 1.1).clamp(0.05, 1.0)),
            SweepKind::Differences => {
                // Always show 0 (no difference), and some room around it.
                (y_lo, y_hi) = (y_lo.min(0.0), y_hi.max(0.0));
                if y_hi - y_lo < 0.01 {
                    (y_lo, y_hi) = (y_lo - 0.005, y_hi + 0.005);
                }
            }
            SweepKind::Payoffs => {
                if y_hi.partial_cmp(&y_lo) != Some(std::cmp::Ordering::Greater) {
                    (y_lo, y_hi) = (y_lo - 0.5, y_lo + 0.5);
                }
            }
        }
        let pad = if kind == SweepKind::Shares { 0.0 } else { (y_hi - y_lo) * 0.1 };
        let y_range = (y_lo - pad)..(y_hi + pad);
        let mut legend = Legend::default();
        let mut occupied = Occupancy::new(x_range.clone(), y_range.clone());
        for (k, (label, pts)) in curves.iter().enumerate() {
            legend.push(Mark::Line(colour(k)), label.clone());
            occupied.line(&pts.iter().map(|(x, v, _)| (*x, *v)).collect::<Vec<_>>());
            for (x, _, ci) in pts {
                if let Some([lo, hi]) = ci {
                    occupied.rect((*x, *lo), (*x, *hi));
                }
            }
        }
        let (area, side, placement) = layout::reserve(&area, &legend, &occupied);
        let mut chart = layout::builder(&area)
            .x_label_area_size(65)
            .y_label_area_size(95)
            .build_cartesian_2d(x_range.clone(), y_range)
            .map_err(e)?;
        let log_x = self.log_x;
        let log_ticks = if log_x { log_tick_positions(x_range.start, x_range.end) } else { Vec::new() };
        let x_desc = if log_x { format!("{} (log scale)", self.parameter) } else { self.parameter.clone() };
        let y_text = |y: &f64| match kind {
            SweepKind::Shares => style::percent_tick(*y),
            SweepKind::Differences => signed_points(*y),
            SweepKind::Payoffs => style::tick(*y, 2),
        };
        let x_text = |x: &f64| style::tick(*x, 3);
        let mut mesh = chart.configure_mesh();
        mesh.max_light_lines(0)
            .bold_line_style(GRID)
            .x_desc(x_desc)
            .y_desc(match kind {
                SweepKind::Shares => "share of runs (95% CI band)".to_string(),
                SweepKind::Payoffs => "mean payoff (95% CI band)".to_string(),
                SweepKind::Differences => match self.points.first().map(|p| p.differences.interval_name()) {
                    Some("independent") => "share − first point (independent 95% CI)".to_string(),
                    _ => "share − first point (paired 95% CI)".to_string(),
                },
            })
            .y_label_formatter(&y_text)
            .x_label_formatter(&x_text)
            .label_style(font(TICKS))
            .axis_desc_style(font(AXIS));
        if log_x {
            // plotters places ticks evenly in log10 space, at values nobody
            // reads; draw our own at 1, 2 and 5 per decade instead.
            mesh.x_labels(0);
        }
        mesh.draw().map_err(e)?;
        if log_x {
            let y_bottom = chart.y_range().start;
            let y_top = chart.y_range().end;
            for t in &log_ticks {
                let x = t.log10();
                chart.draw_series(std::iter::once(PathElement::new([(x, y_bottom), (x, y_top)], GRID))).map_err(e)?;
                let (px, py) = chart.backend_coord(&(x, y_bottom));
                let label = short_number(*t);
                let style = font(TICKS).pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Top,
                ));
                root.draw(&Text::new(label, (px, py + 8), style)).map_err(e)?;
            }
        }
        if kind == SweepKind::Differences {
            chart
                .draw_series(LineSeries::new(
                    [(x_range.start, 0.0), (x_range.end, 0.0)],
                    BLACK.mix(0.6).stroke_width(2),
                ))
                .map_err(e)?;
        }
        for (k, (_, pts)) in curves.iter().enumerate() {
            let c = colour(k);
            if kind == SweepKind::Differences {
                // Interval bars with caps a few pixels wide either side.
                let cap = (x_range.end - x_range.start) * 0.008;
                for (x, _, ci) in pts {
                    let Some([lo, hi]) = *ci else { continue };
                    let bar = [
                        vec![(*x, lo), (*x, hi)],
                        vec![(x - cap, lo), (x + cap, lo)],
                        vec![(x - cap, hi), (x + cap, hi)],
                    ];
                    chart.draw_series(bar.into_iter().map(|p| PathElement::new(p, c.stroke_width(2)))).map_err(e)?;
                }
            } else {
                let mut band: Vec<(f64, f64)> = pts.iter().filter_map(|(x, _, ci)| ci.map(|c| (*x, c[1]))).collect();
                band.extend(pts.iter().rev().filter_map(|(x, _, ci)| ci.map(|c| (*x, c[0]))));
                if band.len() > 2 {
                    chart.draw_series(std::iter::once(Polygon::new(band, c.mix(0.2).filled()))).map_err(e)?;
                }
            }
            chart.draw_series(LineSeries::new(pts.iter().map(|(x, v, _)| (*x, *v)), c.stroke_width(3))).map_err(e)?;
            chart.draw_series(pts.iter().map(|(x, v, _)| Circle::new((*x, *v), 4, c.filled()))).map_err(e)?;
        }
        layout::draw_legend(&chart, side.as_ref(), placement, &legend)
    }
}

/// A share difference as percentage points on an axis: "+2 pts", "0", "−1.5 pts".
fn signed_points(y: f64) -> String {
    let t = style::tick(100.0 * y, 1);
    if t == "0" {
        t
    } else if y > 0.0 {
        format!("+{t} pts")
    } else {
        format!("{t} pts")
    }
}

/// The 1-2-5 values per decade between 10^lo and 10^hi.
fn log_tick_positions(lo: f64, hi: f64) -> Vec<f64> {
    let mut out = Vec::new();
    for decade in (lo.floor() as i32)..=(hi.ceil() as i32) {
        for m in [1.0, 2.0, 5.0] {
            let v = m * 10f64.powi(decade);
            let x = v.log10();
            if x >= lo - 1e-9 && x <= hi + 1e-9 {
                out.push(v);
            }
        }
    }
    out
}

/// A heatmap of one share over a two-parameter grid.
pub struct SweepHeatmap<'a> {
    pub name: String,
    pub title: String,
    pub caption: String,
    pub parameters: [String; 2],
    pub points: &'a [SweepPoint<'a>],
    /// Which share: an index into `ends` followed by `disagreement`.
    pub share_index: usize,
}

impl Chart for SweepHeatmap<'_> {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(root, &self.title, &self.caption)?;
        let (w, _) = area.dim_in_pixel();
        let (plot, legend) = area.split_horizontally(w - 170);
        let mut xs: Vec<f64> = self.points.iter().map(|p| p.values[0]).collect();
        let mut ys: Vec<f64> = self.points.iter().map(|p| p.values[1]).collect();
        for v in [&mut xs, &mut ys] {
            v.sort_by(f64::total_cmp);
            v.dedup();
        }
        let (nx, ny) = (xs.len(), ys.len());
        let mut chart = layout::builder(&plot)
            .x_label_area_size(65)
            .y_label_area_size(110)
            .build_cartesian_2d(-0.5f64..(nx as f64 - 0.5), -0.5f64..(ny as f64 - 0.5))
            .map_err(e)?;
        let (xl, yl) = (xs.clone(), ys.clone());
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(self.parameters[0].clone())
            .y_desc(self.parameters[1].clone())
            .x_labels(nx.min(12))
            .y_labels(ny.min(12))
            .x_label_formatter(&|x| label_at(&xl, *x))
            .y_label_formatter(&|y| label_at(&yl, *y))
            .label_style(font(TICKS))
            .axis_desc_style(font(AXIS))
            .draw()
            .map_err(e)?;
        for p in self.points {
            let i = xs.iter().position(|x| *x == p.values[0]).unwrap_or(0) as f64;
            let j = ys.iter().position(|y| *y == p.values[1]).unwrap_or(0) as f64;
            let share =
                p.summary.ends.iter().chain(&p.summary.disagreement).nth(self.share_index).and_then(|s| s.share);
            let fill = share.map_or(RGBColor(200, 200, 200), heat);
            chart
                .draw_series(std::iter::once(Rectangle::new([(i - 0.5, j - 0.5), (i + 0.5, j + 0.5)], fill.filled())))
                .map_err(e)?;
            if nx * ny <= 150 {
                let text = share.map_or("n/a".into(), |s| format!("{:.0}%", 100.0 * s));
                chart.draw_series(std::iter::once(Text::new(text, (i - 0.2, j), font(TICKS - 4)))).map_err(e)?;
            }
        }
        // Colour scale.
        legend.draw(&Text::new("share", (20, 10), bold(PANEL_TITLE - 8))).map_err(e)?;
        for k in 0..=10 {
            let v = 1.0 - k as f64 / 10.0;
            let y = 50 + k * 40;
            legend.draw(&Rectangle::new([(20, y), (60, y + 40)], heat(v).filled())).map_err(e)?;
            legend.draw(&Text::new(format!("{:.0}%", 100.0 * v), (70, y + 10), font(TICKS - 2))).map_err(e)?;
        }
        Ok(())
    }
}

fn label_at(values: &[f64], x: f64) -> String {
    let labels: Vec<String> = values.iter().map(|v| short_number(*v)).collect();
    style::category(&labels, x)
}

/// White (0) to dark blue (1).
fn heat(v: f64) -> RGBColor {
    let v = v.clamp(0.0, 1.0);
    let lerp = |a: f64, b: f64| (a + (b - a) * v).round() as u8;
    RGBColor(lerp(247.0, 8.0), lerp(251.0, 48.0), lerp(255.0, 107.0))
}

/// At most three decimals, trailing zeros dropped: 0.371 rather than 0.371429.
fn short_number(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}
