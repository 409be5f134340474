//! Shared look: fonts, sizes, colours, and small drawing helpers.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

pub const FAMILY: &str = "sans-serif";
pub const TITLE: u32 = 40;
pub const PANEL_TITLE: u32 = 30;
pub const AXIS: u32 = 26;
pub const TICKS: u32 = 22;
pub const NOTE: u32 = 20;

/// Colour-blind-safe palette (Okabe–Ito).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];

pub fn colour(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

pub fn font(size: u32) -> TextStyle<'static> {
    (FAMILY, size).into_font().into()
}

pub fn bold(size: u32) -> TextStyle<'static> {
    (FAMILY, size, FontStyle::Bold).into_font().into()
}

/// Draws the title and the caption line, and returns the area left for the plot.
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    caption: &str,
) -> Result<DrawingArea<DB, Shift>, String> {
    let (w, h) = root.dim_in_pixel();
    root.draw(&Text::new(title.to_string(), (30, 18), bold(TITLE))).map_err(super::e)?;
    root.draw(&Text::new(caption.to_string(), (30, h as i32 - 34), font(NOTE).color(&RGBColor(90, 90, 90))))
        .map_err(super::e)?;
    Ok(root.margin(80, 50, 10, 20).shrink((0, 0), (w, h - 130)))
}

/// Formats a share in [0, 1] as a percentage label.
pub fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// "Geneva talks, January 2022 — 10,000 runs, seed 42".
pub fn caption(scenario: &str, runs: u64, seed: u64) -> String {
    format!("{scenario} — {} runs, seed {seed}", crate::report::summary_table::group(runs))
}

/// A message in place of an empty chart.
pub fn empty_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    message: &str,
) -> Result<(), String> {
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(title.to_string(), (20, 10), bold(PANEL_TITLE))).map_err(super::e)?;
    area.draw(&Text::new(message.to_string(), (w as i32 / 6, h as i32 / 2), font(AXIS))).map_err(super::e)?;
    Ok(())
}

/// The label of the category at integer position `x` of a categorical axis
/// (drawn on an f64 axis from -0.5 to n - 0.5); empty between categories.
pub fn category(labels: &[String], x: f64) -> String {
    let k = x.round();
    if (x - k).abs() < 1e-6 && k >= 0.0 { labels.get(k as usize).cloned().unwrap_or_default() } else { String::new() }
}
