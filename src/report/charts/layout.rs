//! Layout every chart shares: where the legend goes, margins that keep the
//! last tick label inside the picture, and a mesh without minor gridlines.
//!
//! The legend is placed from the data, never over it: a chart describes
//! what it will draw ([`Occupancy`]: boxes, lines and points in data
//! coordinates), [`plan`] looks for a corner of the plot whose legend-sized
//! box nothing touches, and if every corner is taken the legend moves out
//! of the plot into a column on the right ([`Placement::Outside`]).

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::RGBColor;

use super::e;
use super::style::{NOTE, font};

/// Space kept right of the plot so that the last x tick label, centred on
/// the axis end, is not cut ("0.8" rather than "0.").
pub const RIGHT_MARGIN: u32 = 50;

/// A chart builder with the shared margins.
pub fn builder<'a, 'b, DB: DrawingBackend>(area: &'a DrawingArea<DB, Shift>) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.margin(15).margin_right(RIGHT_MARGIN);
    b
}

/// The right margin a categorical axis needs so that its last label,
/// centred under the last category, is not cut: at least [`RIGHT_MARGIN`].
pub fn category_margin<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, labels: &[String], style: &TextStyle) -> u32 {
    let (w, _) = area.dim_in_pixel();
    let Some(last) = labels.last() else { return RIGHT_MARGIN };
    let label_w = area.estimate_text_size(last, style).map_or(last.len() as u32 * 12, |s| s.0);
    let slot = w.saturating_sub(AXES_ALLOWANCE.0 + RIGHT_MARGIN) / labels.len().max(1) as u32;
    (label_w / 2 + 40).saturating_sub(slot / 2).max(RIGHT_MARGIN).min(w / 3)
}

/// The largest font, at most `size`, in which every label of a categorical
/// axis fits its slot, so that neighbouring labels do not run into each
/// other (never below 14 px, where a projector stops being readable).
pub fn fitting_font<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[String],
    size: u32,
) -> TextStyle<'static> {
    let (w, _) = area.dim_in_pixel();
    let slot = w.saturating_sub(AXES_ALLOWANCE.0 + RIGHT_MARGIN) as f64 / labels.len().max(1) as f64;
    let widest = labels
        .iter()
        .map(|l| area.estimate_text_size(l, &font(size)).map_or(l.len() as u32 * size / 2, |s| s.0))
        .max()
        .unwrap_or(0) as f64;
    let fitted = if widest > slot * 0.92 { (size as f64 * slot * 0.92 / widest).floor() as u32 } else { size };
    font(fitted.clamp(14, size))
}

/// The colour of the major gridlines: light, so data stands out.
pub const GRID: RGBColor = RGBColor(225, 225, 225);

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Mark {
    Line(RGBColor),
    Bar(RGBColor),
    /// A pale bar with a black outline (see `style::bar_outlined`).
    PaleBar(RGBColor),
    Dot(RGBColor),
    /// A marker of a series told apart by colour and shape.
    Marker(RGBColor, super::style::Shape),
    /// A translucent dot, for a cloud of points.
    Faint(RGBColor),
    Cross,
}

/// The legend: one mark and one label per entry.
#[derive(Debug, Clone, Default)]
pub struct Legend {
    pub entries: Vec<(Mark, String)>,
}

impl Legend {
    pub fn push(&mut self, mark: Mark, label: impl Into<String>) {
        self.entries.push((mark, label.into()));
    }

    /// Pixel size of the legend box.
    pub fn size<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> (u32, u32) {
        let text_w = self
            .entries
            .iter()
            .map(|(_, l)| area.estimate_text_size(l, &font(LEGEND_FONT)).map_or(l.len() as u32 * 11, |s| s.0))
            .max()
            .unwrap_or(0);
        (text_w + SWATCH + 3 * PAD, self.entries.len() as u32 * ROW + 2 * PAD)
    }
}

const LEGEND_FONT: u32 = NOTE + 2;
const ROW: u32 = 34;
const PAD: u32 = 12;
const SWATCH: u32 = 30;

/// What a chart draws, in data coordinates, for finding an empty corner.
#[derive(Debug, Clone)]
pub struct Occupancy {
    pub x: Range<f64>,
    pub y: Range<f64>,
    /// Filled rectangles (bars, bands), as (x0, y0, x1, y1).
    boxes: Vec<[f64; 4]>,
    /// Points (markers, sampled lines).
    points: Vec<(f64, f64)>,
}

impl Occupancy {
    pub fn new(x: Range<f64>, y: Range<f64>) -> Self {
        Occupancy { x, y, boxes: Vec::new(), points: Vec::new() }
    }

    pub fn rect(&mut self, a: (f64, f64), b: (f64, f64)) {
        self.boxes.push([a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)]);
    }

    pub fn point(&mut self, p: (f64, f64)) {
        self.points.push(p);
    }

    /// A polyline, sampled finely enough that it cannot pass between the
    /// samples through a legend-sized box.
    pub fn line(&mut self, pts: &[(f64, f64)]) {
        for w in pts.windows(2) {
            for k in 0..=40 {
                let t = k as f64 / 40.0;
                self.points.push((w[0].0 + (w[1].0 - w[0].0) * t, w[0].1 + (w[1].1 - w[0].1) * t));
            }
        }
        if let [p] = pts {
            self.points.push(*p);
        }
    }

    /// Whether anything lies in the box given in fractions of the plot
    /// ([0, 1] from left to right and from bottom to top).
    fn touches(&self, fx: Range<f64>, fy: Range<f64>) -> bool {
        let w = self.x.end - self.x.start;
        let h = self.y.end - self.y.start;
        let (x0, x1) = (self.x.start + fx.start * w, self.x.start + fx.end * w);
        let (y0, y1) = (self.y.start + fy.start * h, self.y.start + fy.end * h);
        self.points.iter().any(|&(x, y)| x >= x0 && x <= x1 && y >= y0 && y <= y1)
            || self.boxes.iter().any(|b| b[0] <= x1 && b[2] >= x0 && b[1] <= y1 && b[3] >= y0)
    }
}

/// Where the legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// In this corner of the plot, where no data is.
    Inside(Corner),
    /// In a column right of the plot.
    Outside,
    /// No legend (no entries).
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    UpperRight,
    UpperLeft,
    LowerRight,
    LowerLeft,
}

/// Pixels the axes' labels take from the area (roughly, for planning).
pub const AXES_ALLOWANCE: (u32, u32) = (130, 110);

/// Chooses the first empty corner (upper right, upper left, lower right,
/// lower left) of a plot of `plot_px` pixels for a legend of `legend_px`
/// pixels; outside when every corner holds data.
pub fn plan(legend_px: (u32, u32), plot_px: (u32, u32), occupied: &Occupancy) -> Placement {
    if legend_px.1 <= 2 * PAD {
        return Placement::None;
    }
    // The box the legend would cover, with a little air around it.
    let fw = ((legend_px.0 + 2 * PAD) as f64 / plot_px.0.max(1) as f64).min(1.0);
    let fh = ((legend_px.1 + 2 * PAD) as f64 / plot_px.1.max(1) as f64).min(1.0);
    if fw > 0.6 || fh > 0.8 {
        return Placement::Outside;
    }
    for corner in [Corner::UpperRight, Corner::UpperLeft, Corner::LowerRight, Corner::LowerLeft] {
        let fx = match corner {
            Corner::UpperRight | Corner::LowerRight => (1.0 - fw)..1.0,
            _ => 0.0..fw,
        };
        let fy = match corner {
            Corner::UpperRight | Corner::UpperLeft => (1.0 - fh)..1.0,
            _ => 0.0..fh,
        };
        if !occupied.touches(fx, fy) {
            return Placement::Inside(corner);
        }
    }
    Placement::Outside
}

/// Plans the legend for `area` and splits off a column for it when it goes
/// outside. Returns the area for the chart and the placement.
pub fn reserve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    legend: &Legend,
    occupied: &Occupancy,
) -> (DrawingArea<DB, Shift>, Option<DrawingArea<DB, Shift>>, Placement) {
    let size = legend.size(area);
    let (w, h) = area.dim_in_pixel();
    let plot_px = (w.saturating_sub(AXES_ALLOWANCE.0 + RIGHT_MARGIN), h.saturating_sub(AXES_ALLOWANCE.1));
    match plan(size, plot_px, occupied) {
        Placement::Outside => {
            let column = (size.0 + 20).min(w * 45 / 100);
            let (plot, side) = area.split_horizontally(w - column);
            (plot, Some(side), Placement::Outside)
        }
        p => (area.clone(), None, p),
    }
}

/// Draws the legend where [`reserve`] planned it: inside the chart's plot
/// in the chosen corner, or at the top of the side column.
pub fn draw_legend<DB: DrawingBackend>(
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    side: Option<&DrawingArea<DB, Shift>>,
    placement: Placement,
    legend: &Legend,
) -> Result<(), String> {
    let plot = chart.plotting_area().strip_coord_spec();
    let (pw, ph) = plot.dim_in_pixel();
    match placement {
        Placement::None => Ok(()),
        Placement::Outside => match side {
            Some(area) => draw_box(area, legend, (10, 70)),
            None => draw_box(&plot, legend, (PAD as i32, PAD as i32)),
        },
        Placement::Inside(corner) => {
            let (lw, lh) = legend.size(&plot);
            let x = match corner {
                Corner::UpperLeft | Corner::LowerLeft => PAD as i32,
                _ => pw as i32 - lw as i32 - PAD as i32,
            };
            let y = match corner {
                Corner::UpperLeft | Corner::UpperRight => PAD as i32,
                _ => ph as i32 - lh as i32 - PAD as i32,
            };
            draw_box(&plot, legend, (x, y))
        }
    }
}

fn draw_box<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    legend: &Legend,
    (x, y): (i32, i32),
) -> Result<(), String> {
    let (w, h) = legend.size(area);
    let (w, h) = (w as i32, h as i32);
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], WHITE.mix(0.9).filled())).map_err(e)?;
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], RGBColor(120, 120, 120).stroke_width(1))).map_err(e)?;
    for (k, (mark, label)) in legend.entries.iter().enumerate() {
        let cy = y + PAD as i32 + k as i32 * ROW as i32 + ROW as i32 / 2;
        let cx = x + PAD as i32 + SWATCH as i32 / 2;
        let half = SWATCH as i32 / 2;
        match *mark {
            Mark::Line(c) => area.draw(&PathElement::new(vec![(cx - half, cy), (cx + half, cy)], c.stroke_width(4))),
            Mark::Bar(c) => area.draw(&Rectangle::new([(cx - half, cy - 9), (cx + half, cy + 9)], c.filled())),
            Mark::PaleBar(c) => {
                area.draw(&Rectangle::new([(cx - half, cy - 9), (cx + half, cy + 9)], c.mix(0.35).filled())).and_then(
                    |_| area.draw(&Rectangle::new([(cx - half, cy - 9), (cx + half, cy + 9)], BLACK.stroke_width(2))),
                )
            }
            Mark::Dot(c) => area.draw(&Circle::new((cx, cy), 9, c.mix(0.6).filled())),
            Mark::Marker(c, shape) => {
                draw_marker(area, (cx, cy), shape, 9, c)?;
                Ok(())
            }
            Mark::Faint(c) => area.draw(&Circle::new((cx, cy), 5, c.filled())),
            Mark::Cross => area.draw(&Cross::new((cx, cy), 8, BLACK.stroke_width(3))),
        }
        .map_err(e)?;
        let style = font(LEGEND_FONT).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Left,
            plotters::style::text_anchor::VPos::Center,
        ));
        area.draw(&Text::new(label.clone(), (x + 2 * PAD as i32 + SWATCH as i32, cy), style)).map_err(e)?;
    }
    Ok(())
}

/// Draws a filled marker of `shape` centred on `at` (in the area's own
/// coordinates), `size` pixels from its centre to its edge.
pub fn draw_marker<DB: DrawingBackend, CT: plotters::coord::CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    at: CT::From,
    shape: super::style::Shape,
    size: i32,
    c: RGBColor,
) -> Result<(), String> {
    use super::style::Shape;
    let style = c.filled();
    match shape {
        Shape::Circle => area.draw(&(EmptyElement::at(at) + Circle::new((0, 0), size, style))),
        Shape::Square => area.draw(&(EmptyElement::at(at) + Rectangle::new([(-size, -size), (size, size)], style))),
        Shape::Triangle => area.draw(&(EmptyElement::at(at) + TriangleMarker::new((0, 0), size + 2, style))),
    }
    .map_err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_16_legend_goes_to_an_empty_corner_or_outside() {
        let mut occ = Occupancy::new(0.0..1.0, 0.0..1.0);
        // A curve falling from the upper left to the lower right, as a
        // sweep whose share collapses: the upper right is free.
        occ.line(&[(0.0, 0.9), (0.5, 0.85), (0.6, 0.05), (1.0, 0.0)]);
        assert_eq!(plan((300, 120), (1000, 700), &occ), Placement::Inside(Corner::UpperRight));
        // The collapse at the right edge, between 0.7 and 0.8 of the axis,
        // takes the upper right; the upper left is free.
        let mut occ = Occupancy::new(0.0..1.0, 0.0..1.0);
        occ.line(&[(0.0, 0.3), (0.7, 0.3), (0.8, 0.95), (1.0, 0.95)]);
        assert_eq!(plan((300, 120), (1000, 700), &occ), Placement::Inside(Corner::UpperLeft));
        // A disagreement point at (0, 0) in the lower left and data
        // everywhere else: outside.
        let mut occ = Occupancy::new(-0.1..1.1, -0.1..1.1);
        occ.point((0.0, 0.0));
        occ.line(&[(0.0, 1.0), (1.0, 0.0)]);
        occ.point((1.0, 1.0));
        occ.point((0.0, 1.05));
        occ.point((1.05, 0.0));
        assert_eq!(plan((300, 120), (1000, 700), &occ), Placement::Outside);
        // Bars cover everything below their tops.
        let mut occ = Occupancy::new(-0.5..1.5, 0.0..1.0);
        occ.rect((-0.4, 0.0), (0.4, 0.95));
        occ.rect((0.6, 0.0), (1.4, 0.2));
        assert_eq!(plan((300, 120), (1000, 700), &occ), Placement::Inside(Corner::UpperRight));
        assert_eq!(plan((300, 2 * PAD), (1000, 700), &occ), Placement::None);
    }
}

/// Splits a category label into lines that fit `width` pixels: breaks after
/// hyphens and at spaces, never inside a word.
fn wrap_label(label: &str, width: f64, measure: &dyn Fn(&str) -> f64) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut piece = String::new();
    for ch in label.chars() {
        piece.push(ch);
        if ch == '-' || ch == ' ' {
            pieces.push(std::mem::take(&mut piece));
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    let mut lines: Vec<String> = Vec::new();
    for p in pieces {
        match lines.last_mut() {
            Some(line) if measure(format!("{line}{p}").trim_end()) <= width => line.push_str(&p),
            _ => lines.push(p),
        }
    }
    lines.iter().map(|l| l.trim_end().to_string()).collect()
}

/// Where each line of each category label goes: (category, line, pixels
/// below the first row), for categories `slot` pixels apart.
fn place_labels(
    labels: &[String],
    slot: f64,
    measure: &dyn Fn(&str) -> f64,
    line_height: i32,
) -> Vec<(usize, String, i32)> {
    let mut wrapped: Vec<Vec<String>> = labels.iter().map(|l| wrap_label(l, slot * 0.92, measure)).collect();
    let stagger = wrapped.iter().flatten().any(|line| measure(line) > slot * 0.92);
    if stagger {
        // Alternate rows: each label has two slots' width.
        wrapped = labels.iter().map(|l| wrap_label(l, 2.0 * slot * 0.92, measure)).collect();
    }
    let rows = wrapped.iter().map(Vec::len).max().unwrap_or(1) as i32;
    let mut placed = Vec::new();
    for (k, lines) in wrapped.into_iter().enumerate() {
        let drop = if stagger && k % 2 == 1 { rows * line_height } else { 0 };
        for (i, line) in lines.into_iter().enumerate() {
            placed.push((k, line, drop + i as i32 * line_height));
        }
    }
    placed
}

/// Category labels under a chart's x axis (categories at x = 0, 1, ...),
/// drawn here rather than by plotters so that long names with many
/// categories stay apart: each label wraps after hyphens and at spaces to
/// fit its slot, and if a word is still wider than the slot, alternate
/// labels drop below the others (each then has two slots' width). Configure the mesh with `x_label_formatter(&|_|
/// String::new())` and room under the axis for four lines.
pub fn draw_category_labels<DB: DrawingBackend>(
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    labels: &[String],
    size: u32,
) -> Result<(), String> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let area = chart.plotting_area();
    let y0 = area.get_y_range().start;
    let slot = (chart.backend_coord(&(1.0, y0)).0 - chart.backend_coord(&(0.0, y0)).0).abs() as f64;
    let style = font(size).pos(Pos::new(HPos::Center, VPos::Top));
    let measure =
        |s: &str| area.estimate_text_size(s, &font(size)).map_or(s.len() as f64 * size as f64 / 2.0, |d| d.0 as f64);
    let line_height = (size as f64 * 1.15).round() as i32;
    for (k, line, dy) in place_labels(labels, slot, &measure, line_height) {
        area.draw(&(EmptyElement::at((k as f64, y0)) + Text::new(line, (0, 10 + dy), style.clone()))).map_err(e)?;
    }
    Ok(())
}

#[cfg(test)]
mod label_tests {
    use super::wrap_label;

    #[test]
    fn category_labels_wrap_after_hyphens_and_at_spaces() {
        let measure = |s: &str| 10.0 * s.chars().count() as f64;
        assert_eq!(wrap_label("russia-impatient", 100.0, &measure), ["russia-", "impatient"]);
        assert_eq!(wrap_label("no-threats", 100.0, &measure), ["no-threats"]);
        assert_eq!(
            wrap_label("no deal: Limited incursion in Donbas", 150.0, &measure),
            ["no deal:", "Limited", "incursion in", "Donbas"]
        );
        assert_eq!(wrap_label("baseline", 20.0, &measure), ["baseline"], "a word is never split");
    }

    #[test]
    fn compare_labels_of_eleven_arms_ran_into_each_other() {
        // geneva-2022's arms, in a half-width panel at 18 px (about 9 px a character).
        let arms = [
            "baseline",
            "severe-sanctions",
            "us-offer",
            "hard-line",
            "clear-eyed",
            "clock-driven",
            "russia-impatient",
            "early-sanctions",
            "arms-before-talks",
            "offer-and-threat",
            "no-threats",
        ]
        .map(String::from);
        let measure = |s: &str| 9.0 * s.chars().count() as f64;
        for slot in [50.0, 70.0, 120.0] {
            let placed = super::place_labels(&arms, slot, &measure, 21);
            for (i, (k, line, dy)) in placed.iter().enumerate() {
                for (j, (k2, line2, dy2)) in placed.iter().enumerate().skip(i + 1) {
                    if dy != dy2 || k == k2 {
                        continue;
                    }
                    let (c1, c2) = (*k as f64 * slot, *k2 as f64 * slot);
                    let gap = (c1 - c2).abs() - (measure(line) + measure(line2)) / 2.0;
                    assert!(gap > 0.0, "slot {slot}: `{line}` ({i}) and `{line2}` ({j}) overlap by {:.0} px", -gap);
                }
            }
            let shown: String = placed.iter().map(|p| p.1.as_str()).collect();
            assert_eq!(shown.len(), arms.iter().map(|a| a.len()).sum::<usize>(), "every letter is drawn");
        }
    }
}
