//! Sensitivity plots: a tornado (each uncertain number at its 5th and 95th
//! percentile) and Sobol indices (first order and total, with bootstrap
//! intervals), one panel per output, factors ranked by influence.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, AXIS, PANEL_TITLE, TICKS, bold, colour, font};
use super::{Chart, e};
use crate::analysis::sensitivity::{OutputSensitivity, Sensitivity};

/// The outputs plotted: agreement share and each actor's mean payoff (the
/// failure share mirrors the agreement share in most scenarios; it is in the
/// CSV and JSON).
fn plotted(s: &Sensitivity) -> Vec<&OutputSensitivity> {
    s.outputs.iter().filter(|o| o.output != "failure").collect()
}

/// Factor names short enough for an axis.
fn short(name: &str) -> String {
    if name.chars().count() <= 44 { name.to_string() } else { name.chars().take(43).collect::<String>() + "…" }
}

/// At most this many factors per panel (the most influential).
const SHOWN: usize = 8;

pub struct Tornado<'a> {
    pub caption: String,
    pub sensitivity: &'a Sensitivity,
}

impl Chart for Tornado<'_> {
    fn name(&self) -> &str {
        "tornado"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(
            root,
            "One at a time: each uncertain number at its 5th (blue) and 95th (orange) percentile",
            &self.caption,
        )?;
        let outputs = plotted(self.sensitivity);
        let panels = area.split_evenly((outputs.len().max(1), 1));
        for (out, panel) in outputs.iter().zip(panels.iter()) {
            let swing = |i: usize| {
                let b = &out.tornado[i];
                match (b.low.value, b.high.value) {
                    (Some(l), Some(h)) => (h - l).abs(),
                    _ => 0.0,
                }
            };
            let mut order: Vec<usize> = (0..out.tornado.len()).collect();
            order.sort_by(|&a, &b| swing(b).total_cmp(&swing(a)).then(a.cmp(&b)));
            order.truncate(SHOWN);
            // Largest swing on top: the last row of the axis.
            order.reverse();
            let Some(base) = out.base.value else {
                style::empty_panel(panel, &out.name, "n/a: no runs")?;
                continue;
            };
            let values: Vec<f64> = order
                .iter()
                .flat_map(|&i| [out.tornado[i].low.value, out.tornado[i].high.value])
                .flatten()
                .chain([base])
                .collect();
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let pad = ((hi - lo) * 0.08).max(1e-3);
            let span_points = 100.0 * (hi - lo + 2.0 * pad);
            let pct_decimals = if span_points < 0.5 {
                2
            } else if span_points < 8.0 {
                1
            } else {
                0
            };
            let names: Vec<String> = order.iter().map(|&i| short(&self.sensitivity.factors[i].name)).collect();
            let percent = out.output == "agreement";
            let mut chart = ChartBuilder::on(panel)
                .caption(
                    format!(
                        "{} (base {})",
                        out.name,
                        if percent { style::percent(base) } else { format!("{base:.3}") }
                    ),
                    bold(PANEL_TITLE - 4),
                )
                .margin(10)
                .x_label_area_size(40)
                .y_label_area_size(560)
                .build_cartesian_2d((lo - pad)..(hi + pad), -0.5f64..(order.len() as f64 - 0.5))
                .map_err(e)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(order.len().max(1))
                .y_label_formatter(&|y| style::category(&names, *y))
                .x_label_formatter(&|x| {
                    // Enough decimals that neighbouring ticks differ (a
                    // range of 2 points needs tenths of a point).
                    if percent { format!("{:.*}%", pct_decimals, 100.0 * x) } else { format!("{x:.3}") }
                })
                .label_style(font(TICKS - 2))
                .axis_desc_style(font(AXIS))
                .draw()
                .map_err(e)?;
            for (row, &i) in order.iter().enumerate() {
                let y = row as f64;
                let b = &out.tornado[i];
                for (k, v) in [(0, b.low.value), (1, b.high.value)] {
                    let Some(v) = v else { continue };
                    let c = colour(k);
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(base.min(v), y - 0.32), (base.max(v), y + 0.32)],
                            c.mix(0.85).filled(),
                        )))
                        .map_err(e)?;
                }
            }
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(base, -0.5), (base, order.len() as f64 - 0.5)],
                    BLACK.stroke_width(2),
                )))
                .map_err(e)?;
        }
        Ok(())
    }
}

pub struct SobolBars<'a> {
    pub caption: String,
    pub sensitivity: &'a Sensitivity,
}

impl Chart for SobolBars<'_> {
    fn name(&self) -> &str {
        "sobol"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(
            root,
            "Share of the variance explained: first order (blue) and total (orange), 95% bootstrap CI",
            &self.caption,
        )?;
        let outputs = plotted(self.sensitivity);
        let panels = area.split_evenly((outputs.len().max(1), 1));
        for (out, panel) in outputs.iter().zip(panels.iter()) {
            let mut order = out.ranking.clone();
            order.truncate(SHOWN);
            order.reverse();
            if out.indices.iter().all(|f| f.total.value.is_none()) {
                style::empty_panel(panel, &out.name, "n/a: this output does not vary")?;
                continue;
            }
            let names: Vec<String> = order.iter().map(|&i| short(&self.sensitivity.factors[i].name)).collect();
            let hi = order
                .iter()
                .flat_map(|&i| {
                    let f = &out.indices[i];
                    [f.first_order.ci95.map(|c| c[1]), f.total.ci95.map(|c| c[1]), f.total.value]
                })
                .flatten()
                .fold(0.05f64, f64::max)
                .min(1.2);
            let lo = order
                .iter()
                .flat_map(|&i| [out.indices[i].first_order.ci95.map(|c| c[0])])
                .flatten()
                .fold(0.0f64, f64::min)
                .max(-0.2);
            let mut chart = ChartBuilder::on(panel)
                .caption(out.name.clone(), bold(PANEL_TITLE - 4))
                .margin(10)
                .x_label_area_size(40)
                .y_label_area_size(560)
                .build_cartesian_2d(lo..(hi * 1.05), -0.5f64..(order.len() as f64 - 0.5))
                .map_err(e)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(order.len().max(1))
                .y_label_formatter(&|y| style::category(&names, *y))
                .x_label_formatter(&|x| style::tick(*x, 2))
                .label_style(font(TICKS - 2))
                .draw()
                .map_err(e)?;
            for (row, &i) in order.iter().enumerate() {
                let f = &out.indices[i];
                for (k, est) in [(0, f.first_order), (1, f.total)] {
                    let y = row as f64 + if k == 0 { 0.18 } else { -0.18 };
                    let Some(v) = est.value else { continue };
                    let c = colour(k);
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(0.0f64.min(v), y - 0.16), (0.0f64.max(v), y + 0.16)],
                            c.filled(),
                        )))
                        .map_err(e)?;
                    if let Some([l, h]) = est.ci95 {
                        chart
                            .draw_series(std::iter::once(PathElement::new(vec![(l, y), (h, y)], BLACK.stroke_width(2))))
                            .map_err(e)?;
                    }
                }
            }
        }
        Ok(())
    }
}
