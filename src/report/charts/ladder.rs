//! How crises climb: for each round, the share of runs at each step of each
//! actor's escalation ladder (one panel per actor), with the runs whose talks
//! had already ended shown in grey on top.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, AXIS, PANEL_TITLE, TICKS, bold, colour, font};
use super::{Chart, e};
use crate::analysis::escalation::EscalationSummary;
use crate::model::Model;

pub struct Ladder<'a> {
    pub model: &'a Model,
    pub escalation: &'a EscalationSummary,
    pub runs: u64,
    pub caption: String,
}

/// The grey of "talks over".
const OVER: RGBColor = RGBColor(205, 205, 205);

impl Chart for Ladder<'_> {
    fn name(&self) -> &str {
        "ladder"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(root, "How the crisis climbed: escalation ladders, round by round", &self.caption)?;
        let panels = area.split_evenly((1, 2));
        let runs = self.runs.max(1) as f64;
        for (a, panel) in panels.iter().enumerate() {
            let ladder = &self.escalation.ladders[a];
            let title = format!("{}: {}", self.model.actors[a].name, ladder.rule);
            let title = if title.chars().count() > 70 {
                format!("{}…", title.chars().take(69).collect::<String>())
            } else {
                title
            };
            let rounds = ladder.by_round.len();
            let mut chart = ChartBuilder::on(panel)
                .caption(title, bold(PANEL_TITLE.min(24)))
                .margin(15)
                .x_label_area_size(60)
                .y_label_area_size(80)
                .build_cartesian_2d(-0.5f64..(rounds as f64 - 0.5), 0f64..1.0)
                .map_err(e)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_desc("round")
                .y_desc("share of runs")
                .x_label_formatter(&|x| format!("{x:.0}"))
                .y_label_formatter(&|y| style::percent_tick(*y))
                .label_style(font(TICKS))
                .axis_desc_style(font(AXIS))
                .draw()
                .map_err(e)?;
            let mut base = vec![0.0; rounds];
            for (k, label) in ladder.positions.iter().enumerate() {
                let c = if k == 0 { RGBColor(160, 185, 215) } else { colour(k + 1) };
                let bars: Vec<_> = (0..rounds)
                    .map(|t| {
                        let lo = base[t];
                        let hi = lo + ladder.by_round[t][k] as f64 / runs;
                        base[t] = hi;
                        Rectangle::new([(t as f64 - 0.42, lo), (t as f64 + 0.42, hi)], c.filled())
                    })
                    .collect();
                let name = if k == 0 { "no step".to_string() } else { format!("step {k}: {label}") };
                chart
                    .draw_series(bars)
                    .map_err(e)?
                    .label(name)
                    .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 20, y + 8)], c.filled()));
            }
            let over: Vec<_> = (0..rounds)
                .map(|t| Rectangle::new([(t as f64 - 0.42, base[t]), (t as f64 + 0.42, 1.0)], OVER.filled()))
                .collect();
            chart
                .draw_series(over)
                .map_err(e)?
                .label("talks already over")
                .legend(|(x, y)| Rectangle::new([(x, y - 8), (x + 20, y + 8)], OVER.filled()));
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .label_font(font(TICKS))
                .draw()
                .map_err(e)?;
        }
        Ok(())
    }
}
