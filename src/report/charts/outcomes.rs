//! How the talks ended, and what followed failed talks: bars of shares with
//! 95% confidence whiskers.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

use super::layout::{self, GRID};
use super::style::{self, AXIS, NOTE, PANEL_TITLE, TICKS, bold, colour, font, percent};
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
        // Each panel has its own y scale: when nearly every run agrees, the
        // failed talks split by what followed are a few percent, and on the
        // left panel's scale their bars would be invisible. The right
        // panel's title says its scale is its own.
        let left_max = y_max(self.summary.ends.iter());
        let right_max = y_max(self.summary.disagreement.iter());
        let ends = shown(&self.summary.ends, 0);
        let lottery = shown(&self.summary.disagreement, 4);
        // Panel widths follow the room the bars' labels need (the conflict
        // outcomes' names are long), so that no two labels overlap.
        let room = |shares: &[(Share, usize)]| -> usize {
            shares
                .iter()
                .map(|(s, _)| {
                    let est = area.estimate_text_size(&s.name, &font(TICKS)).map_or(s.name.len() as u32 * 9, |d| d.0);
                    est.max(110) as usize + 30
                })
                .sum::<usize>()
                .max(1)
        };
        let (l, r) = (room(&ends), room(&lottery));
        // At least as wide as its title (plus the y labels' room): a single
        // bar on the left once cut "Ends of the talks" at the picture's edge.
        let left_title = "Ends of the talks (share of all runs)";
        let title_w =
            area.estimate_text_size(left_title, &bold(PANEL_TITLE)).map_or(left_title.len() as u32 * 16, |d| d.0);
        let left_w = left_width(w as usize, l, r, title_w as usize) as u32;
        let (left, right) = area.split_horizontally(left_w);
        let runs = "share of runs (95% CI)";
        panel(&left, left_title, &ends, left_max, &hidden_note(&self.summary.ends), runs)?;
        let right_title = if right_max < left_max {
            format!("If no deal: what followed (share of all runs; own scale, to {})", style::percent_tick(right_max))
        } else {
            "If no deal: what followed (share of all runs)".to_string()
        };
        panel(&right, &right_title, &lottery, right_max, &hidden_note(&self.summary.disagreement), runs)
    }
}

/// The left panel's width in a picture `w` wide: its bars' share of the
/// room the labels need (`l` left, `r` right), between a quarter and 60%
/// of the width, and never narrower than its title (plus the y labels).
fn left_width(w: usize, l: usize, r: usize, title_w: usize) -> usize {
    let min_left = (title_w + 120).max(w / 4).min(w * 6 / 10);
    (w * l / (l + r).max(1)).clamp(min_left, w * 6 / 10)
}

/// A y range that fits every share's interval (and its label), up to a
/// round number.
fn y_max<'a>(shares: impl Iterator<Item = &'a Share>) -> f64 {
    let top = shares.filter_map(|s| s.ci95.map(|c| c[1])).fold(0.0f64, f64::max);
    let need = (top * 1.15).clamp(0.01, 1.0);
    [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1.0].into_iter().find(|&m| m >= need).unwrap_or(1.0)
}

/// The shares worth a bar (those that happened at least once), each with
/// its colour: a category at 0% takes no room, and is named under the
/// panel instead. Colours stay tied to the category, not its position.
fn shown(shares: &[Share], first_colour: usize) -> Vec<(Share, usize)> {
    let any = shares.iter().any(|s| s.count > 0);
    shares.iter().enumerate().filter(|(_, s)| s.count > 0 || !any).map(|(k, s)| (s.clone(), first_colour + k)).collect()
}

/// "not shown, at 0%: deadline, walk-away" (empty when all are shown).
fn hidden_note(shares: &[Share]) -> String {
    if shares.iter().all(|s| s.count == 0) {
        return String::new();
    }
    let hidden: Vec<&str> = shares.iter().filter(|s| s.count == 0).map(|s| s.name.as_str()).collect();
    if hidden.is_empty() { String::new() } else { format!("not shown, at 0%: {}", hidden.join(", ")) }
}

/// One panel of bars with whiskers, its own y scale, and categories at 0%
/// named under the axis instead of drawn; `first_colour` keeps colours
/// distinct across panels.
pub fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    shares: &[Share],
    first_colour: usize,
) -> Result<(), String> {
    panel(
        area,
        title,
        &shown(shares, first_colour),
        y_max(shares.iter()),
        &hidden_note(shares),
        "share of runs (95% CI)",
    )
}

/// Bars of shares of something else than runs (`y_desc` says of what),
/// with `note` before the list of categories at 0%.
pub(super) fn bars_of<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    shares: &[Share],
    y_desc: &str,
    note: &str,
) -> Result<(), String> {
    let hidden = hidden_note(shares);
    let note = if hidden.is_empty() { note.to_string() } else { format!("{note} {}", capitalised(&hidden)) };
    panel(area, title, &shown(shares, 0), y_max(shares.iter()), &note, y_desc)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// One panel of bars with whiskers, on a y axis from 0 to `y_max`; `note`
/// is written under the axis.
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    shares: &[(Share, usize)],
    y_max: f64,
    note: &str,
    y_desc: &str,
) -> Result<(), String> {
    let n = shares.len().max(1) as f64;
    let labels: Vec<String> = shares.iter().map(|(s, _)| s.name.clone()).collect();
    let mut chart = layout::builder(area)
        .margin_right(layout::category_margin(area, &labels, &font(TICKS)))
        .caption(title, bold(PANEL_TITLE))
        .x_label_area_size(95)
        .y_label_area_size(90)
        .build_cartesian_2d(-0.5f64..(n - 0.5), 0f64..y_max)
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID)
        .x_labels(shares.len().max(1))
        .x_label_formatter(&|x| style::category(&labels, *x))
        .y_label_formatter(&|y| style::percent_tick(*y))
        .y_desc(y_desc)
        .label_style(font(TICKS))
        .x_label_style(layout::fitting_font(area, &labels, TICKS))
        .axis_desc_style(font(AXIS))
        .draw()
        .map_err(e)?;
    if !note.is_empty() {
        let (_, h) = area.dim_in_pixel();
        area.draw(&Text::new(note.to_string(), (100, h as i32 - 40), font(NOTE).color(&RGBColor(90, 90, 90))))
            .map_err(e)?;
    }
    for (k, (s, colour_index)) in shares.iter().enumerate() {
        let x = k as f64;
        let v = s.share.unwrap_or(0.0);
        let c = colour(*colour_index);
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
        // Above the whisker if there is room; a bar that fills its panel
        // gets its label inside, in white, under the whisker.
        let (y_text, text_colour) =
            if y_text <= y_max * 0.97 { (y_text, BLACK) } else { (s.ci95.map_or(v, |c| c[0]) - y_max * 0.02, WHITE) };
        chart
            .draw_series(std::iter::once(Text::new(label, (x - 0.2, y_text), font(TICKS).color(&text_colour))))
            .map_err(e)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_16_outcome_panels_hide_empty_categories() {
        let ends =
            [Share::new("agreement", 660, 1000), Share::new("deadline", 0, 1000), Share::new("breakdown", 340, 1000)];
        let lottery = [Share::new("status-quo", 200, 1000).named("Status quo"), Share::new("war", 140, 1000)];
        let shown = shown(&ends, 0);
        assert_eq!(
            shown.iter().map(|(s, c)| (s.label.as_str(), *c)).collect::<Vec<_>>(),
            [("agreement", 0), ("breakdown", 2)]
        );
        assert_eq!(hidden_note(&ends), "not shown, at 0%: deadline");
        assert_eq!(hidden_note(&lottery), "");
    }

    #[test]
    fn the_left_panel_cut_its_title_when_one_end_had_every_run() {
        // commitment.toml: one bar on the left, two long labels on the right.
        let (w, title_w) = (1550, 520);
        assert!(left_width(w, 140, 700, title_w) >= title_w + 120);
        // Room enough already: the labels' share decides.
        assert_eq!(left_width(w, 600, 700, title_w), w * 600 / 1300);
    }

    #[test]
    fn the_no_deal_panel_looked_empty_on_the_agreement_panels_scale() {
        // geneva-2022 today: 99% agree, the failures split three ways.
        let ends = [Share::new("agreement", 9920, 10_000), Share::new("walk-away", 80, 10_000)];
        let failed = [Share::new("status-quo", 17, 10_000), Share::new("escalation", 40, 10_000)];
        let (left, right) = (y_max(ends.iter()), y_max(failed.iter()));
        assert_eq!(left, 1.0);
        // The tallest no-deal bar fills at least a third of its own panel.
        assert!(0.004 / right > 1.0 / 3.0, "the right panel's scale runs to {right}");
        assert!(right >= failed[1].ci95.unwrap()[1], "its interval fits");
    }
}
