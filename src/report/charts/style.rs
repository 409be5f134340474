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

/// Colour-blind-safe palette: the Okabe–Ito hues, with the light ones
/// (orange) darkened, sky blue (too close to blue in a line chart) replaced
/// by grey and yellow by olive, so that every
/// colour stands out from the white background at a contrast of at least
/// 3:1 (WCAG's minimum for graphics); black is left for marks and whiskers.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(200, 130, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(90, 90, 90),
    RGBColor(140, 120, 0),
];

pub fn colour(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

/// Whether series `k`'s bars are drawn pale with a black outline: from the
/// eighth series on, colours repeat, and the second round of them is told
/// apart this way (the palette, then the palette pale and outlined).
pub fn bar_outlined(k: usize) -> bool {
    (k / PALETTE.len()) % 2 == 1
}

/// A marker's shape: with [`shape`], series whose colours repeat (more
/// series than the palette has colours) still look different.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Triangle,
}

/// The shape of series k: circles for the palette's first round of colours,
/// then squares, then triangles, so 3 × 7 = 21 series each get their own
/// (colour, shape) pair.
pub fn shape(k: usize) -> Shape {
    match (k / PALETTE.len()) % 3 {
        0 => Shape::Circle,
        1 => Shape::Square,
        _ => Shape::Triangle,
    }
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
    // The plot area keeps inside the picture: 10 px on the left and 20 on
    // the right (an area as wide as the picture, moved 10 px right, would
    // cut the last tick label and anything drawn at the right edge).
    Ok(root.margin(80, 50, 10, 20).shrink((0, 0), (w - 30, h - 130)))
}

/// A tick label with at most `decimals` decimals, trailing zeros dropped,
/// and never "-0": a tick a rounding error below zero reads "0".
pub fn tick(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// A share in [0, 1] as a percent tick label ("40%", or "0.2%" on an axis
/// that stops at a few percent; never "-0%").
pub fn percent_tick(y: f64) -> String {
    format!("{}%", tick(100.0 * y, 1))
}

/// Formats a share in [0, 1] as a percentage label.
pub fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// "Geneva talks, January 2022 — 10,000 runs, seed 42".
pub fn caption(scenario: &str, runs: u64, seed: u64) -> String {
    format!("{scenario} — {} runs, seed {seed}", crate::report::summary_table::group(runs))
}

/// WCAG contrast ratio of a colour against white.
#[cfg(test)]
fn contrast_with_white(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    let l = 0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2);
    1.05 / (l + 0.05)
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

#[cfg(test)]
mod tests {

    #[test]
    fn compare_bars_of_eleven_arms_repeated_colours() {
        let looks: Vec<_> = (0..14).map(|k| (super::colour(k), super::bar_outlined(k))).collect();
        for (i, a) in looks.iter().enumerate() {
            assert!(!looks[i + 1..].contains(a), "arm {i} looks like a later arm");
        }
    }

    #[test]
    fn ten_compared_arms_no_longer_share_seven_colours() {
        // Arms 1..=21 of a compare-differences plot: colour(a), shape(a - 1).
        let looks: Vec<_> = (1..=21).map(|a| (super::colour(a), super::shape(a - 1))).collect();
        for (i, x) in looks.iter().enumerate() {
            assert!(!looks[..i].contains(x), "arm {} looks like an earlier one", i + 1);
        }
    }
    use super::*;

    #[test]
    fn issue_16_every_colour_stands_out_from_white() {
        for c in PALETTE {
            assert!(contrast_with_white(c) >= 3.0, "{c:?}: {:.2}", contrast_with_white(c));
        }
        assert!(contrast_with_white(RGBColor(240, 228, 66)) < 2.0, "the old yellow was hard to see");
    }
}

#[cfg(test)]
mod tick_tests {
    use super::{percent_tick, tick};

    #[test]
    fn ticks_never_read_minus_zero() {
        assert_eq!(tick(-1e-17, 2), "0");
        assert_eq!(tick(-0.0, 1), "0");
        assert_eq!(percent_tick(-1e-18), "0%");
        assert_eq!(tick(0.25, 3), "0.25");
        assert_eq!(tick(-0.5, 2), "-0.5");
        assert_eq!(tick(12.0, 0), "12");
        assert_eq!(percent_tick(0.4), "40%");
        assert_eq!(percent_tick(0.002), "0.2%", "an axis to 1% has ticks in tenths of a percent");
    }
}
