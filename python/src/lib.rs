//! `brink._brink`, the native half of brink's Python package: a thin layer
//! over the brink library. It loads scenarios (as the command line does),
//! plays them with the GIL released, and hands back summary.json's text and
//! runs.csv's rows as typed columns (`report::runs_table`), which the Python
//! half (`brink/__init__.py`) turns into a dict and a pandas DataFrame.
//! Nothing here computes anything the library does not.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use brink::analysis::outcomes;
use brink::model::Model;
use brink::montecarlo::{RunConfig, Tally, simulate};
use brink::report::runs_csv::Columns;
use brink::report::runs_table::{ColumnData, RunsTable};
use brink::report::summary_json::{self, Provenance};
use brink::scenario::{Adjustments, LoadError, Source, overrides};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};

create_exception!(
    _brink,
    ScenarioError,
    PyException,
    "A scenario that cannot be loaded: a missing file, a TOML error, a value out of range, a bad override or \
     variant. `file`, `line`, `column` and `path` (the TOML path) locate the first problem (None where they \
     do not apply); `problems` lists them all."
);

/// A compiled scenario, ready to play.
#[pyclass(module = "brink._brink", frozen)]
struct NativeScenario {
    model: Model,
    source: Source,
    /// The variants and overrides, as summary.json records them.
    adjustments: Vec<String>,
}

/// Loads a scenario file or built-in by name, applying `variants` in order,
/// then the `sets` ("PATH=VALUE", the value written in TOML), as
/// `brink run SCENARIO --variant ... --set ...` does.
#[pyfunction]
#[pyo3(signature = (source, sets, variants))]
fn load(py: Python<'_>, source: &str, sets: Vec<String>, variants: Vec<String>) -> PyResult<NativeScenario> {
    let mut parsed = Vec::with_capacity(sets.len());
    for s in &sets {
        match overrides::parse_override(s) {
            Ok(o) => parsed.push(o),
            Err(e) => {
                return Err(scenario_error(py, &format!("set {e}"), None, None, None, None, Vec::new()));
            }
        }
    }
    let adjustments = Adjustments { variants, overrides: parsed };
    match brink::scenario::load_named(source, &adjustments) {
        Ok((source, model)) => Ok(NativeScenario { model, source, adjustments: adjustments.describe() }),
        Err(e) => Err(load_error(py, &e)),
    }
}

/// The ScenarioError for a load failure, located at its first problem.
fn load_error(py: Python<'_>, e: &LoadError) -> PyErr {
    let (file, text) = match e {
        LoadError::Invalid { name, text, .. } => (name.clone(), text.as_str()),
        LoadError::Io { path, .. } => (path.clone(), ""),
    };
    let index = brink::scenario::diagnostic::LineIndex::new(text);
    let problems: Vec<(Option<usize>, Option<usize>, String, String)> = e
        .diagnostics()
        .iter()
        .map(|d| {
            let (line, column) = match &d.origin {
                // A problem in a `set` value has no place in the file.
                Some(_) => (None, None),
                None => {
                    let (l, c) = index.line_col(d.span.start);
                    (Some(l), Some(c))
                }
            };
            let message = match &d.help {
                Some(help) => format!("{} (help: {help})", d.message),
                None => d.message.clone(),
            };
            (line, column, d.path.clone(), message)
        })
        .collect();
    let first = problems.first().cloned();
    let path = first.as_ref().map(|p| p.2.clone()).filter(|p| !p.is_empty());
    scenario_error(
        py,
        e.to_string().trim_end(),
        Some(file),
        first.as_ref().and_then(|p| p.0),
        first.as_ref().and_then(|p| p.1),
        path,
        problems,
    )
}

fn scenario_error(
    py: Python<'_>,
    message: &str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    path: Option<String>,
    problems: Vec<(Option<usize>, Option<usize>, String, String)>,
) -> PyErr {
    let err = ScenarioError::new_err(message.to_string());
    let value = err.value(py);
    // Setting plain attributes on a fresh exception cannot fail in practice;
    // if it did, the message alone still says everything.
    let _ = value.setattr("file", file);
    let _ = value.setattr("line", line);
    let _ = value.setattr("column", column);
    let _ = value.setattr("path", path);
    let _ = value.setattr("problems", problems);
    err
}

#[pymethods]
impl NativeScenario {
    /// The scenario's name, as its file gives it.
    #[getter]
    fn name(&self) -> &str {
        &self.model.name
    }

    /// Where it came from: a file's path, or `builtin:NAME`.
    #[getter]
    fn file(&self) -> &str {
        &self.source.name
    }

    /// The actors' ids, in order.
    #[getter]
    fn actors(&self) -> Vec<String> {
        self.model.actors.iter().map(|a| a.id.clone()).collect()
    }

    /// Plays runs 0..runs of seed `seed` on `threads` worker threads (None:
    /// every core), with the GIL released; Ctrl-C (or any signal Python
    /// turns into an exception) stops it at the next batch and raises.
    /// Returns summary.json's text and, with `per_run`, runs.csv's columns
    /// as (name, kind, data...) tuples.
    #[pyo3(signature = (runs, seed, threads, causes, per_run))]
    fn run(
        &self,
        py: Python<'_>,
        runs: u64,
        seed: u64,
        threads: Option<usize>,
        causes: bool,
        per_run: bool,
    ) -> PyResult<(String, Option<Py<PyList>>)> {
        if runs == 0 {
            return Err(PyValueError::new_err("runs must be at least 1"));
        }
        if threads.is_some_and(|n| n == 0 || n > brink::limits::MAX_THREADS) {
            return Err(PyValueError::new_err(format!(
                "threads must be 1 to {} (or None for every core); results do not depend on it",
                brink::limits::MAX_THREADS
            )));
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.unwrap_or(0))
            .build()
            .map_err(|e| PyValueError::new_err(format!("cannot start worker threads: {e}")))?;
        let config = RunConfig { seed, runs: 0..runs, keep_runs: per_run, causes };
        let columns = Columns { causes };
        let stop = AtomicBool::new(false);
        let model = &self.model;
        let play = || {
            let mut table = per_run.then(|| RunsTable::new(model, columns));
            let tally = pool.install(|| {
                simulate(model, &config, |batch| {
                    if let Some(t) = table.as_mut() {
                        for r in batch.records {
                            t.push(model, r);
                        }
                    }
                    !stop.load(Ordering::Relaxed)
                })
            });
            (tally, table)
        };
        let (tally, table) = std::thread::scope(|scope| -> PyResult<(Tally, Option<RunsTable>)> {
            let worker = scope.spawn(play);
            loop {
                // Wait without the GIL, so other Python threads run; look for
                // Ctrl-C with it, a few times a second.
                py.allow_threads(|| {
                    for _ in 0..10 {
                        if worker.is_finished() {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(5));
                    }
                });
                if worker.is_finished() {
                    return worker.join().map_err(|_| PyValueError::new_err("the simulation failed"));
                }
                if let Err(e) = py.check_signals() {
                    stop.store(true, Ordering::Relaxed);
                    let _ = py.allow_threads(|| worker.join());
                    return Err(e);
                }
            }
        })?;
        let provenance = Provenance {
            scenario_name: model.name.clone(),
            scenario_file: self.source.name.clone(),
            scenario_sha256: self.source.sha256.clone(),
            seed,
            runs: tally.runs,
            overrides: self.adjustments.clone(),
            scenario_text: self.source.text.clone(),
        };
        let summary = outcomes::summarise(model, &tally);
        let json = summary_json::to_string(&provenance, &summary);
        let columns = match table {
            Some(t) => Some(columns_to_python(py, &t)?),
            None => None,
        };
        Ok((json, columns))
    }
}

/// Each column as (name, kind, ...): ("int", bytes of i64), ("optional_int",
/// bytes of i64, bytes of bool), ("float", bytes of f64), ("text", bytes of
/// i32 codes, list of categories). Little-endian, native to every machine
/// brink runs on; numpy reads them without a copy.
fn columns_to_python(py: Python<'_>, table: &RunsTable) -> PyResult<Py<PyList>> {
    fn bytes<'py, T: Copy, const N: usize>(py: Python<'py>, v: &[T], to: impl Fn(T) -> [u8; N]) -> Bound<'py, PyBytes> {
        let mut out = Vec::with_capacity(v.len() * N);
        for &x in v {
            out.extend_from_slice(&to(x));
        }
        PyBytes::new(py, &out)
    }
    let list = PyList::empty(py);
    for c in table.columns() {
        let item = match &c.data {
            ColumnData::Int(v) => {
                (c.name.as_str(), "int", bytes(py, v, i64::to_le_bytes)).into_pyobject(py)?.into_any()
            }
            ColumnData::OptionalInt { values, missing } => (
                c.name.as_str(),
                "optional_int",
                bytes(py, values, i64::to_le_bytes),
                bytes(py, missing, |b| [b as u8]),
            )
                .into_pyobject(py)?
                .into_any(),
            ColumnData::Float(v) => {
                (c.name.as_str(), "float", bytes(py, v, f64::to_le_bytes)).into_pyobject(py)?.into_any()
            }
            ColumnData::Text { codes, categories } => {
                (c.name.as_str(), "text", bytes(py, codes, i32::to_le_bytes), categories.clone())
                    .into_pyobject(py)?
                    .into_any()
            }
        };
        list.append(item)?;
    }
    Ok(list.unbind())
}

/// The built-in scenarios' names.
#[pyfunction]
fn builtins() -> Vec<&'static str> {
    brink::scenario::BUILTIN.iter().map(|b| b.name).collect()
}

#[pymodule]
fn _brink(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<NativeScenario>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(builtins, m)?)?;
    Ok(())
}
