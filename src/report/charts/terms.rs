//! The terms of the deals: per issue, the share of agreements on each option.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout::{self, GRID};
use super::style::{self, PANEL_TITLE, TICKS, bold, colour, font, percent};
use super::{Chart, e};
use crate::analysis::outcomes::{IssueTerms, Summary};
use crate::model::Model;

pub struct Terms<'a> {
    pub model: &'a Model,
    pub summary: &'a Summary,
    pub caption: String,
}

/// Numeric issues can have hundreds of options; show at most this many bars.
const MAX_BARS: usize = 40;

impl Chart for Terms<'_> {
    fn name(&self) -> &str {
        "terms"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(root, "Terms of the agreements reached", &self.caption)?;
        let n = self.summary.terms.len().max(1);
        let cols = if n > 1 { 2 } else { 1 };
        let panels = area.split_evenly((n.div_ceil(cols), cols));
        for (i, (terms, panel)) in self.summary.terms.iter().zip(&panels).enumerate() {
            let issue = &self.model.issues[i];
            let title = format!("{} (share of agreements)", issue.name);
            if self.summary.ends[0].count == 0 {
                style::empty_panel(panel, &title, "no agreements were reached")?;
                continue;
            }
            let shown = shown_options(terms);
            let y_max = shown.iter().map(|(_, v)| *v).fold(0.0, f64::max).max(0.05) * 1.2;
            let labels: Vec<String> = shown.iter().map(|(l, _)| l.clone()).collect();
            let m = shown.len() as f64;
            let mut chart = layout::builder(panel)
                .caption(title, bold(PANEL_TITLE - 4))
                .x_label_area_size(50)
                .y_label_area_size(80)
                .build_cartesian_2d(-0.5f64..(m - 0.5), 0f64..y_max.min(1.1))
                .map_err(e)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .max_light_lines(0)
                .bold_line_style(GRID)
                .x_labels(shown.len().min(12))
                .x_label_formatter(&|x| style::category(&labels, *x))
                .y_label_formatter(&|y| style::percent_tick(*y))
                .label_style(font(TICKS - 2))
                .draw()
                .map_err(e)?;
            let c = colour(i);
            for (k, (_, v)) in shown.iter().enumerate() {
                let x = k as f64;
                chart
                    .draw_series(std::iter::once(Rectangle::new([(x - 0.38, 0.0), (x + 0.38, *v)], c.filled())))
                    .map_err(e)?;
                if shown.len() <= 12 {
                    chart
                        .draw_series(std::iter::once(Text::new(
                            percent(*v),
                            (x - 0.25, v + y_max * 0.04),
                            font(TICKS - 2),
                        )))
                        .map_err(e)?;
                }
            }
        }
        Ok(())
    }
}

/// The bars of one issue's panel: (option, share of agreements), in option
/// order; at most [`MAX_BARS`] of them (the most frequent) for a large
/// issue. Labels come from the shares themselves: for a large numeric issue
/// `terms.options` lists only the options agreed on, so a position in it is
/// not an index into the issue's option list.
fn shown_options(terms: &IssueTerms) -> Vec<(String, f64)> {
    let mut shown: Vec<(usize, f64)> =
        terms.options.iter().enumerate().map(|(k, s)| (k, s.share.unwrap_or(0.0))).collect();
    if shown.len() > MAX_BARS {
        shown.retain(|(_, v)| *v > 0.0);
        shown.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        shown.truncate(MAX_BARS);
        shown.sort_by_key(|(k, _)| *k);
    }
    shown.into_iter().map(|(k, v)| (terms.options[k].label.clone(), v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::shares::Share;

    #[test]
    fn issue_16_terms_bars_are_labelled_with_the_option_agreed() {
        // A numeric issue with 101 options lists only the options agreed on:
        // here one, "0.71", which was the 72nd option, not the first ("0").
        let terms =
            IssueTerms { issue: "share".into(), options: vec![Share::new("0.71", 50, 50)], options_omitted: 100 };
        assert_eq!(shown_options(&terms), vec![("0.71".to_string(), 1.0)]);
    }
}
