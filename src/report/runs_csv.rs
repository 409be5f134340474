//! runs.csv: one row per run, for re-analysis in pandas, R or a spreadsheet.

use std::io::Write;

use crate::engine::End;
use crate::model::Model;
use crate::montecarlo::RunRecord;
use crate::montecarlo::escalation::{cause_label, cause_of};

/// The header row: run, end, walked_away_by, round, one column per issue
/// (the agreed option, empty without agreement), disagreement, one payoff
/// column per actor, one column per uncertain number (its TOML path); with
/// escalation ladders, each actor's final ladder position, the round of its
/// first climb (empty if none) and how the talks failed (`failure_cause`:
/// breakdown, deadline or walk-out); when causes are attributed, `causes`:
/// why they failed (the necessary mechanisms `;`-separated,
/// `overdetermined` or `none`; empty for an agreement).
pub fn header(model: &Model, columns: Columns) -> Vec<String> {
    let mut h: Vec<String> = ["run", "end", "walked_away_by", "round"].iter().map(|s| s.to_string()).collect();
    h.extend(model.issues.iter().map(|i| i.id.clone()));
    h.push("disagreement".into());
    h.extend(model.actors.iter().map(|a| format!("payoff_{}", a.id)));
    h.extend(model.params.uncertain.iter().map(|u| u.path.clone()));
    if model.has_ladders() {
        // Escalation columns, only for scenarios with ladders (so files of
        // scenarios without them keep their exact bytes).
        h.extend(model.actors.iter().map(|a| format!("ladder_{}", a.id)));
        h.extend(model.actors.iter().map(|a| format!("first_step_round_{}", a.id)));
        h.push("failure_cause".into());
    }
    if columns.causes {
        h.push("causes".into());
    }
    h
}

/// Which optional columns runs.csv has.
#[derive(Debug, Clone, Copy, Default)]
pub struct Columns {
    /// `causes`: each failed run's attribution (docs/model.md §12).
    pub causes: bool,
}

/// Streams rows to a CSV writer; the csv crate quotes whatever needs it.
pub struct RunsCsv<W: Write> {
    writer: csv::Writer<W>,
    columns: Columns,
}

impl<W: Write> RunsCsv<W> {
    pub fn new(model: &Model, columns: Columns, out: W) -> csv::Result<Self> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(header(model, columns))?;
        Ok(RunsCsv { writer, columns })
    }

    pub fn write(&mut self, model: &Model, r: &RunRecord) -> csv::Result<()> {
        let e = &r.ending;
        let mut row: Vec<String> = vec![
            r.run.to_string(),
            e.end.label().to_string(),
            match e.end {
                End::WalkAway(a) => model.actors[a].id.clone(),
                _ => String::new(),
            },
            e.round.to_string(),
        ];
        for (i, issue) in model.issues.iter().enumerate() {
            row.push(e.agreement.map(|w| issue.options[model.option_of(w, i) as usize].clone()).unwrap_or_default());
        }
        row.push(e.lottery.map(|k| model.disagreement[k as usize].id.clone()).unwrap_or_default());
        row.extend(e.payoff.iter().map(|x| x.to_string()));
        row.extend(r.drawn.iter().map(|x| x.to_string()));
        if model.has_ladders() {
            for a in 0..2 {
                let k = e.ladder.positions[a] as usize;
                row.push(if k == 0 { "none".into() } else { model.ladders[a].steps[k - 1].id.clone() });
            }
            row.extend(e.ladder.first_step.iter().map(|r| r.map(|t| t.to_string()).unwrap_or_default()));
            row.push(cause_of(e).map(|c| cause_label(model, c)).unwrap_or_default());
        }
        if self.columns.causes {
            row.push(r.attribution.map(|a| a.label()).unwrap_or_default());
        }
        self.writer.write_record(&row)
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.writer.flush()?;
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}
