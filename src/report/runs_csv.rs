//! runs.csv: one row per run, for re-analysis in pandas, R or a spreadsheet.
//! The row is defined once, as typed cells ([`cells`]): the CSV writer here
//! writes them as text, and [`super::runs_table`] keeps them as columns
//! (for Python's DataFrame), so the two cannot drift apart.

use std::borrow::Cow;
use std::io::Write;

use crate::engine::End;
use crate::model::Model;
use crate::montecarlo::RunRecord;
use crate::montecarlo::escalation::{cause_label, cause_of};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number, never missing.
    Int,
    /// A whole number or missing.
    OptionalInt,
    /// A number.
    Float,
    /// A name from a small set (an option, an actor, an end), or missing.
    Text,
}

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Int(i64),
    Float(f64),
    Text(Cow<'a, str>),
    /// An empty cell in the CSV.
    Missing,
}

/// The header row: run, end, walked_away_by, round, one column per issue
/// (the agreed option, empty without agreement), disagreement, one payoff
/// column per actor, one column per uncertain number (its TOML path); with
/// escalation ladders, each actor's final ladder position, the round of its
/// first climb (empty if none) and how the talks failed (`failure_cause`:
/// breakdown, deadline or walk-out); when causes are attributed, `causes`:
/// why they failed (the necessary mechanisms `;`-separated,
/// `overdetermined` or `none`; empty for an agreement).
pub fn header(model: &Model, columns: Columns) -> Vec<String> {
    schema(model, columns).into_iter().map(|(name, _)| name).collect()
}

/// The columns with what each holds, in order.
pub fn schema(model: &Model, columns: Columns) -> Vec<(String, Kind)> {
    let named = |s: &str, k: Kind| (s.to_string(), k);
    let mut h = vec![
        named("run", Kind::Int),
        named("end", Kind::Text),
        named("walked_away_by", Kind::Text),
        named("round", Kind::Int),
    ];
    h.extend(model.issues.iter().map(|i| (i.id.clone(), Kind::Text)));
    h.push(named("disagreement", Kind::Text));
    h.extend(model.actors.iter().map(|a| (format!("payoff_{}", a.id), Kind::Float)));
    h.extend(model.params.uncertain.iter().map(|u| (u.path.clone(), Kind::Float)));
    if model.has_ladders() {
        // Escalation columns, only for scenarios with ladders (so files of
        // scenarios without them keep their exact bytes).
        h.extend(model.actors.iter().map(|a| (format!("ladder_{}", a.id), Kind::Text)));
        h.extend(model.actors.iter().map(|a| (format!("first_step_round_{}", a.id), Kind::OptionalInt)));
        h.push(named("failure_cause", Kind::Text));
    }
    if columns.causes {
        h.push(named("causes", Kind::Text));
    }
    h
}

/// Which optional columns runs.csv has.
#[derive(Debug, Clone, Copy, Default)]
pub struct Columns {
    /// `causes`: each failed run's attribution (docs/model.md §12).
    pub causes: bool,
}

/// The cells of run `r`'s row, in the order of [`schema`], handed to `cell`.
pub fn cells<'m>(model: &'m Model, columns: Columns, r: &RunRecord, mut cell: impl FnMut(Cell<'m>)) {
    let e = &r.ending;
    let text = |s: &'m str| Cell::Text(Cow::Borrowed(s));
    cell(Cell::Int(r.run as i64));
    cell(text(e.end.label()));
    cell(match e.end {
        End::WalkAway(a) => text(&model.actors[a].id),
        _ => Cell::Missing,
    });
    cell(Cell::Int(e.round as i64));
    for (i, issue) in model.issues.iter().enumerate() {
        cell(e.agreement.map_or(Cell::Missing, |w| text(&issue.options[model.option_of(w, i) as usize])));
    }
    cell(e.lottery.map_or(Cell::Missing, |k| text(&model.disagreement[k as usize].id)));
    for &x in &e.payoff {
        cell(Cell::Float(x));
    }
    for &x in &r.drawn {
        cell(Cell::Float(x));
    }
    if model.has_ladders() {
        for a in 0..2 {
            let k = e.ladder.positions[a] as usize;
            cell(if k == 0 { text("none") } else { text(&model.ladders[a].steps[k - 1].id) });
        }
        for first in e.ladder.first_step {
            cell(first.map_or(Cell::Missing, |t| Cell::Int(t as i64)));
        }
        cell(cause_of(e).map_or(Cell::Missing, |c| Cell::Text(Cow::Owned(cause_label(model, c)))));
    }
    if columns.causes {
        let label = r.attribution.map(|a| a.label()).unwrap_or_default();
        cell(if label.is_empty() { Cell::Missing } else { Cell::Text(Cow::Owned(label)) });
    }
}

/// Streams rows to a CSV writer; the csv crate quotes whatever needs it.
pub struct RunsCsv<W: Write> {
    writer: csv::Writer<W>,
    columns: Columns,
    row: Vec<String>,
}

impl<W: Write> RunsCsv<W> {
    pub fn new(model: &Model, columns: Columns, out: W) -> csv::Result<Self> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(header(model, columns))?;
        Ok(RunsCsv { writer, columns, row: Vec::new() })
    }

    pub fn write(&mut self, model: &Model, r: &RunRecord) -> csv::Result<()> {
        self.row.clear();
        cells(model, self.columns, r, |c| {
            self.row.push(match c {
                Cell::Int(n) => n.to_string(),
                Cell::Float(x) => x.to_string(),
                Cell::Text(s) => s.into_owned(),
                Cell::Missing => String::new(),
            })
        });
        self.writer.write_record(&self.row)
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.writer.flush()?;
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}
