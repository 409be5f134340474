//! runs.csv's rows kept as typed columns rather than text: numbers as
//! arrays, names as categorical codes. Built from the same cells as the CSV
//! ([`super::runs_csv::cells`]), so a DataFrame made from it (brink's Python
//! package) has runs.csv's columns, in the same order, with the same values.

use std::collections::HashMap;

use super::runs_csv::{Cell, Columns, Kind, cells, schema};
use crate::model::Model;
use crate::montecarlo::RunRecord;

/// One column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    Int(Vec<i64>),
    /// `missing[k]` marks an empty cell (its value is 0).
    OptionalInt {
        values: Vec<i64>,
        missing: Vec<bool>,
    },
    Float(Vec<f64>),
    /// Each row's code into `categories`, in order of first appearance; -1
    /// for an empty cell.
    Text {
        codes: Vec<i32>,
        categories: Vec<String>,
    },
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub data: ColumnData,
    /// Text columns: each category's code.
    index: HashMap<String, i32>,
}

/// The rows of runs.csv, as columns.
#[derive(Debug, Clone)]
pub struct RunsTable {
    columns: Vec<Column>,
    spec: Columns,
    rows: usize,
}

impl RunsTable {
    pub fn new(model: &Model, spec: Columns) -> Self {
        let columns = schema(model, spec)
            .into_iter()
            .map(|(name, kind)| Column {
                name,
                data: match kind {
                    Kind::Int => ColumnData::Int(Vec::new()),
                    Kind::OptionalInt => ColumnData::OptionalInt { values: Vec::new(), missing: Vec::new() },
                    Kind::Float => ColumnData::Float(Vec::new()),
                    Kind::Text => ColumnData::Text { codes: Vec::new(), categories: Vec::new() },
                },
                index: HashMap::new(),
            })
            .collect();
        RunsTable { columns, spec, rows: 0 }
    }

    /// Adds run `r`'s row.
    pub fn push(&mut self, model: &Model, r: &RunRecord) {
        let mut k = 0;
        cells(model, self.spec, r, |cell| {
            let column = &mut self.columns[k];
            k += 1;
            match (&mut column.data, cell) {
                (ColumnData::Int(v), Cell::Int(n)) => v.push(n),
                (ColumnData::OptionalInt { values, missing }, cell) => {
                    let n = if let Cell::Int(n) = cell { Some(n) } else { None };
                    values.push(n.unwrap_or(0));
                    missing.push(n.is_none());
                }
                (ColumnData::Float(v), Cell::Float(x)) => v.push(x),
                (ColumnData::Text { codes, categories }, Cell::Text(s)) => {
                    let code = match column.index.get(s.as_ref()) {
                        Some(&c) => c,
                        None => {
                            let c = categories.len() as i32;
                            categories.push(s.to_string());
                            column.index.insert(s.into_owned(), c);
                            c
                        }
                    };
                    codes.push(code);
                }
                (ColumnData::Text { codes, .. }, Cell::Missing) => codes.push(-1),
                (_, cell) => unreachable!("runs.csv's column {} cannot hold {cell:?}", column.name),
            }
        });
        debug_assert_eq!(k, self.columns.len(), "a row has one cell per column");
        self.rows += 1;
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::montecarlo::{RunConfig, simulate};
    use crate::report::runs_csv::RunsCsv;

    /// The table's cells, written as the CSV writes them, are runs.csv.
    #[test]
    fn the_table_holds_runs_csvs_rows() {
        let model = crate::scenario::geneva_for_tests();
        let spec = Columns { causes: true };
        let mut table = RunsTable::new(&model, spec);
        let mut csv = RunsCsv::new(&model, spec, Vec::new()).unwrap();
        let config = RunConfig { seed: 3, runs: 0..300, keep_runs: true, causes: true };
        simulate(&model, &config, |batch| {
            for r in batch.records {
                table.push(&model, r);
                csv.write(&model, r).unwrap();
            }
            true
        });
        let csv = String::from_utf8(csv.finish().unwrap()).unwrap();
        let mut lines = csv.lines();
        let names: Vec<&str> = table.columns().iter().map(|c| c.name.as_str()).collect();
        assert_eq!(lines.next().unwrap(), names.join(","));
        assert_eq!(table.rows(), 300);
        let mut kinds_seen = std::collections::HashSet::new();
        for (row, line) in lines.enumerate() {
            let written: Vec<String> = table
                .columns()
                .iter()
                .map(|c| match &c.data {
                    ColumnData::Int(v) => v[row].to_string(),
                    ColumnData::OptionalInt { values, missing } => {
                        if missing[row] {
                            String::new()
                        } else {
                            values[row].to_string()
                        }
                    }
                    ColumnData::Float(v) => v[row].to_string(),
                    ColumnData::Text { codes, categories } => {
                        if codes[row] < 0 {
                            String::new()
                        } else {
                            categories[codes[row] as usize].clone()
                        }
                    }
                })
                .collect();
            for c in table.columns() {
                kinds_seen.insert(std::mem::discriminant(&c.data));
            }
            // No cell of geneva-2022 needs quoting (the causes use ';').
            assert_eq!(line, written.join(","), "row {row}");
        }
        assert_eq!(kinds_seen.len(), 4, "every kind of column is exercised");
    }
}
