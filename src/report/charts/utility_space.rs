//! The utility space: every outcome as a faint point (x = first actor's
//! expected utility, y = second's), the agreements reached sized by
//! frequency, the disagreement point, and the theory (Pareto frontier, Nash
//! and other solutions) on top.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

use super::layout::{self, GRID, Legend, Mark, Occupancy};
use super::style::{self, AXIS, NOTE, TICKS, bold, colour, font};
use super::{Chart, e};
use crate::model::Model;

/// Theory drawn over the outcomes.
#[derive(Debug, Clone, Default)]
pub struct UtilityOverlay {
    /// Pareto-optimal outcomes, by the first actor's utility.
    pub frontier: Vec<u32>,
    /// Named points, e.g. ("Nash", outcome).
    pub labelled: Vec<(String, u32)>,
    /// A reference line with its label, e.g. Rubinstein's x* for the first
    /// mover: `(actor, value, label)`, a vertical line for actor 0, a
    /// horizontal one for actor 1.
    pub reference: Option<(usize, f64, String)>,
    /// Fearon's bargaining range, as the outcomes from one end to the
    /// other (in the order), with its label.
    pub range: Option<(Vec<u32>, String)>,
}

pub struct UtilitySpace<'a> {
    pub name: String,
    pub title: String,
    pub caption: String,
    pub model: &'a Model,
    /// Agreements reached and their counts (empty for the analysis plot).
    pub agreements: &'a [(u32, u64)],
    /// Each actor's reservation value at the means.
    pub disagreement: [f64; 2],
    pub overlay: UtilityOverlay,
}

/// Above this many outcomes, only every k-th is drawn as a background point
/// (an SVG with more points would be tens of megabytes and no clearer).
const MAX_BACKGROUND: usize = 20_000;
/// The frontier line is drawn through at most this many of its points.
const MAX_FRONTIER_POINTS: usize = 5_000;

impl Chart for UtilitySpace<'_> {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (u1, u2) = (&self.model.mean_utilities[0], &self.model.mean_utilities[1]);
        let n = u1.len();
        let step = background_step(n);
        let mut caption = self.caption.clone();
        if step > 1 {
            caption.push_str(&format!(" — every {step}th of {n} outcomes drawn"));
        }
        let area = style::frame(root, &self.title, &caption)?;
        let span = |u: &[f64], d: f64| {
            let lo = u.iter().cloned().fold(d, f64::min);
            let hi = u.iter().cloned().fold(d, f64::max);
            let pad = ((hi - lo) * 0.06).max(0.02);
            (lo - pad)..(hi + pad)
        };
        let (x_range, y_range) = (span(u1, self.disagreement[0]), span(u2, self.disagreement[1]));
        let (a0, a1) = (&self.model.actors[0], &self.model.actors[1]);
        let grey = RGBColor(150, 150, 150);
        let frontier_colour = colour(2);
        let agreement_colour = colour(0);
        let d = (self.disagreement[0], self.disagreement[1]);
        let at = |w: u32| (u1[w as usize], u2[w as usize]);

        // What is drawn, for the legend to keep clear of it.
        let mut legend = Legend::default();
        let mut occupied = Occupancy::new(x_range.clone(), y_range.clone());
        legend.push(Mark::Faint(grey), "possible outcomes");
        (0..n).step_by(step).for_each(|w| occupied.point((u1[w], u2[w])));
        let frontier_line = self.frontier_line();
        if !frontier_line.is_empty() {
            legend.push(Mark::Line(frontier_colour), "Pareto frontier");
            occupied.line(&frontier_line);
        }
        if !self.agreements.is_empty() {
            legend.push(Mark::Dot(agreement_colour), "agreements reached (larger = more frequent)");
            self.agreements.iter().for_each(|&(w, _)| occupied.point(at(w)));
        }
        let range_colour = colour(1);
        if let Some((outcomes, label)) = &self.overlay.range {
            legend.push(Mark::Line(range_colour), label.clone());
            let line: Vec<(f64, f64)> = outcomes.iter().map(|&w| at(w)).collect();
            occupied.line(&line);
        }
        legend.push(Mark::Cross, "disagreement point d (reservation values)");
        occupied.point(d);
        if let Some((axis, v, label)) = &self.overlay.reference {
            legend.push(Mark::Line(BLACK), label.clone());
            let line = if *axis == 0 {
                [(*v, y_range.start), (*v, y_range.end)]
            } else {
                [(x_range.start, *v), (x_range.end, *v)]
            };
            occupied.line(&line);
            // The "x* = …" tag at the line's foot.
            let (w, h) = (x_range.end - x_range.start, y_range.end - y_range.start);
            occupied.rect(line[0], (line[0].0 + 0.15 * w, line[0].1 + 0.08 * h));
        }
        self.overlay.labelled.iter().for_each(|(_, w)| occupied.point(at(*w)));
        let (area, side, placement) = layout::reserve(&area, &legend, &occupied);

        let mut chart = layout::builder(&area)
            .x_label_area_size(65)
            .y_label_area_size(95)
            .build_cartesian_2d(x_range.clone(), y_range.clone())
            .map_err(e)?;
        chart
            .configure_mesh()
            .max_light_lines(0)
            .bold_line_style(GRID)
            .x_desc(format!("{} ({}): expected utility", a0.name, a0.id))
            .y_desc(format!("{} ({}): expected utility", a1.name, a1.id))
            .label_style(font(TICKS))
            .x_label_formatter(&|x| style::tick(*x, 2))
            .y_label_formatter(&|y| style::tick(*y, 2))
            .axis_desc_style(font(AXIS))
            .draw()
            .map_err(e)?;
        chart
            .draw_series((0..n).step_by(step).map(|w| Circle::new((u1[w], u2[w]), 3, grey.mix(0.45).filled())))
            .map_err(e)?;
        if let Some((axis, v, _)) = &self.overlay.reference {
            let line = if *axis == 0 {
                vec![(*v, y_range.start), (*v, y_range.end)]
            } else {
                vec![(x_range.start, *v), (x_range.end, *v)]
            };
            chart.draw_series(std::iter::once(PathElement::new(line, BLACK.stroke_width(2)))).map_err(e)?;
        }
        if let Some((outcomes, _)) = &self.overlay.range {
            // Under the frontier, wide, so the frontier shows through it.
            let line: Vec<(f64, f64)> = outcomes.iter().map(|&w| at(w)).collect();
            chart.draw_series(LineSeries::new(line, range_colour.mix(0.6).stroke_width(14))).map_err(e)?;
        }
        if !frontier_line.is_empty() {
            chart.draw_series(LineSeries::new(frontier_line, frontier_colour.stroke_width(3))).map_err(e)?;
        }
        if let Some(max) = self.agreements.iter().map(|&(_, c)| c).max() {
            chart
                .draw_series(self.agreements.iter().map(|&(w, count)| {
                    let r = 4.0 + 30.0 * (count as f64 / max as f64).sqrt();
                    Circle::new(at(w), r as i32, agreement_colour.mix(0.45).filled())
                }))
                .map_err(e)?;
        }
        chart.draw_series(std::iter::once(Cross::new(d, 12, BLACK.stroke_width(4)))).map_err(e)?;
        // Solutions: a marker each, the label beside it on the side with
        // room, inside the plot; labels of coinciding solutions stack.
        let plot = chart.plotting_area().strip_coord_spec();
        let (pw, ph) = plot.dim_in_pixel();
        let (origin_x, origin_y) =
            (chart.plotting_area().get_pixel_range().0.start, chart.plotting_area().get_pixel_range().1.start);
        let mut placed: Vec<(i32, i32)> = Vec::new();
        for (k, (label, w)) in self.overlay.labelled.iter().enumerate() {
            let p = at(*w);
            let c = colour(3 + k);
            chart.draw_series(std::iter::once(TriangleMarker::new(p, 14, c.filled()))).map_err(e)?;
            let (px, py) = chart.backend_coord(&p);
            let (px, py) = (px - origin_x, py - origin_y);
            let stack = placed.iter().filter(|q| (q.0 - px).abs() < 40 && (q.1 - py).abs() < 40).count() as i32;
            placed.push((px, py));
            let style = bold(NOTE + 2).color(&c);
            let (tw, th) = plot.estimate_text_size(label, &style).map_or((200, 24), |(w, h)| (w as i32, h as i32));
            let x = if px + 18 + tw < pw as i32 { px + 18 } else { (px - 18 - tw).max(0) };
            let above = py - 20 - th - stack * (th + 4);
            let y = if above >= 0 { above } else { (py + 20 + stack * (th + 4)).min(ph as i32 - th) };
            plot.draw(&Text::new(label.clone(), (x, y), style)).map_err(e)?;
        }
        if let Some((axis, v, _)) = &self.overlay.reference {
            // A short tag at the foot of the line; the legend says the rest.
            let tag = format!("x* = {v:.3}");
            let style = bold(NOTE + 2);
            let p = if *axis == 0 { (*v, y_range.start) } else { (x_range.start, *v) };
            let (px, py) = chart.backend_coord(&p);
            let (px, py) = (px - origin_x, py - origin_y);
            let (tw, th) = plot.estimate_text_size(&tag, &style).map_or((120, 24), |(w, h)| (w as i32, h as i32));
            let (x, y) = if *axis == 0 {
                (if px + 10 + tw < pw as i32 { px + 10 } else { px - 10 - tw }, py - th - 10)
            } else {
                (px + 10, py - th - 6)
            };
            plot.draw(&Text::new(tag, (x, y), style)).map_err(e)?;
        }
        layout::draw_legend(&chart, side.as_ref(), placement, &legend)
    }
}

impl UtilitySpace<'_> {
    /// The frontier as a line through at most [`MAX_FRONTIER_POINTS`] of
    /// its points (its last point always included).
    fn frontier_line(&self) -> Vec<(f64, f64)> {
        let (u1, u2) = (&self.model.mean_utilities[0], &self.model.mean_utilities[1]);
        let f = &self.overlay.frontier;
        if f.is_empty() {
            return Vec::new();
        }
        let every = f.len().div_ceil(MAX_FRONTIER_POINTS).max(1);
        let mut line: Vec<(f64, f64)> = f.iter().step_by(every).map(|&w| (u1[w as usize], u2[w as usize])).collect();
        if let Some(&last) = f.last()
            && !(f.len() - 1).is_multiple_of(every)
        {
            line.push((u1[last as usize], u2[last as usize]));
        }
        line
    }
}

/// The stride for background points: at least n / MAX_BACKGROUND, and
/// sharing no factor with n, so that the sample cycles through every option
/// of every issue instead of striping the cloud (every 2nd outcome of a
/// 4-option issue would only ever show two of its options).
fn background_step(n: usize) -> usize {
    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let mut step = n.div_ceil(MAX_BACKGROUND).max(1);
    while step > 1 && gcd(step, n) != 1 {
        step += 1;
    }
    step
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_samples_do_not_stripe() {
        assert_eq!(background_step(1000), 1);
        let n = 4usize.pow(9);
        let step = background_step(n);
        assert!(step > 1 && n / step <= MAX_BACKGROUND + 1);
        // Every option of the fastest-varying 4-option issue appears.
        let seen: std::collections::BTreeSet<usize> = (0..n).step_by(step).map(|w| w % 4).collect();
        assert_eq!(seen.len(), 4);
    }
}
