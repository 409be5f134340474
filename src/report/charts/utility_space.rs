//! The utility space: every outcome as a faint point (x = first actor's
//! expected utility, y = second's), the agreements reached sized by
//! frequency, the disagreement point, and the theory (Pareto frontier, Nash
//! and other solutions) on top.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

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
        let (a0, a1) = (&self.model.actors[0], &self.model.actors[1]);
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .x_label_area_size(65)
            .y_label_area_size(95)
            .build_cartesian_2d(span(u1, self.disagreement[0]), span(u2, self.disagreement[1]))
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc(format!("{} ({}): expected utility", a0.name, a0.id))
            .y_desc(format!("{} ({}): expected utility", a1.name, a1.id))
            .label_style(font(TICKS))
            .axis_desc_style(font(AXIS))
            .draw()
            .map_err(e)?;
        let grey = RGBColor(150, 150, 150);
        chart
            .draw_series((0..n).step_by(step).map(|w| Circle::new((u1[w], u2[w]), 3, grey.mix(0.45).filled())))
            .map_err(e)?
            .label("possible outcomes")
            .legend(move |(x, y)| Circle::new((x + 10, y), 5, grey.filled()));
        if !self.overlay.frontier.is_empty() {
            let f = &self.overlay.frontier;
            let every = f.len().div_ceil(MAX_FRONTIER_POINTS).max(1);
            let mut line: Vec<(f64, f64)> =
                f.iter().step_by(every).map(|&w| (u1[w as usize], u2[w as usize])).collect();
            if let Some(&last) = f.last()
                && !(f.len() - 1).is_multiple_of(every)
            {
                line.push((u1[last as usize], u2[last as usize]));
            }
            let c = colour(2);
            chart
                .draw_series(LineSeries::new(line, c.stroke_width(3)))
                .map_err(e)?
                .label("Pareto frontier")
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3)));
        }
        if let Some(max) = self.agreements.iter().map(|&(_, c)| c).max() {
            let c = colour(0);
            chart
                .draw_series(self.agreements.iter().map(|&(w, count)| {
                    let r = 4.0 + 30.0 * (count as f64 / max as f64).sqrt();
                    Circle::new((u1[w as usize], u2[w as usize]), r as i32, c.mix(0.45).filled())
                }))
                .map_err(e)?
                .label("agreements reached (larger = more frequent)")
                .legend(move |(x, y)| Circle::new((x + 10, y), 8, c.mix(0.6).filled()));
        }
        let d = (self.disagreement[0], self.disagreement[1]);
        chart
            .draw_series(std::iter::once(Cross::new(d, 12, BLACK.stroke_width(4))))
            .map_err(e)?
            .label("disagreement point d (reservation values)")
            .legend(|(x, y)| Cross::new((x + 10, y), 8, BLACK.stroke_width(3)));
        for (k, (label, w)) in self.overlay.labelled.iter().enumerate() {
            let p = (u1[*w as usize], u2[*w as usize]);
            let c = colour(3 + k);
            chart.draw_series(std::iter::once(TriangleMarker::new(p, 14, c.filled()))).map_err(e)?;
            // Offset the label up and to the right of its marker; stack the
            // labels of tied or coinciding solutions.
            let label_style = bold(NOTE + 2).color(&c);
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at(p) + Text::new(label.clone(), (14, -30 - 24 * k as i32), label_style),
                ))
                .map_err(e)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(font(NOTE + 2))
            .draw()
            .map_err(e)?;
        Ok(())
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
