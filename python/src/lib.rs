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
use brink::montecarlo::{RunConfig, simulate};
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
    /// What it was loaded from and with (for its variants, in a comparison).
    arg: String,
    adjustments: Adjustments,
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
        Ok((loaded, model)) => Ok(NativeScenario { model, source: loaded, arg: source.to_string(), adjustments }),
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
    // The command line's "error: " prefix says nothing an exception does not.
    let text = e.to_string();
    scenario_error(
        py,
        text.trim_end().strip_prefix("error: ").unwrap_or(text.trim_end()),
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
        let pool = worker_pool(runs, threads)?;
        let config = RunConfig { seed, runs: 0..runs, keep_runs: per_run, causes };
        let columns = Columns { causes };
        let model = &self.model;
        let (tally, table) = interruptible(py, |stop| {
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
        })?;
        let provenance = Provenance {
            scenario_name: model.name.clone(),
            scenario_file: self.source.name.clone(),
            scenario_sha256: self.source.sha256.clone(),
            seed,
            runs: tally.runs,
            overrides: self.adjustments.describe(),
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

    /// The variants the scenario's file declares: (name, description) pairs.
    fn declared_variants(&self) -> Vec<(String, String)> {
        brink::scenario::variants(&self.source.text).into_iter().map(|v| (v.name, v.description)).collect()
    }

    /// The scenario loaded again with one more variant applied, after its
    /// own (an arm of a comparison).
    fn with_variant(&self, py: Python<'_>, name: &str) -> PyResult<NativeScenario> {
        let mut adjustments = self.adjustments.clone();
        adjustments.variants.push(name.to_string());
        match brink::scenario::load_named(&self.arg, &adjustments) {
            Ok((source, model)) => Ok(NativeScenario { model, source, arg: self.arg.clone(), adjustments }),
            Err(e) => Err(load_error(py, &e)),
        }
    }

    /// Plays run `run` of seed `seed` once: (the trace as `brink trace
    /// --json` prints it, and as its text), a failed run with why it failed
    /// unless `causes` is false.
    #[pyo3(signature = (seed, run, causes))]
    fn trace(&self, seed: u64, run: u64, causes: bool) -> (String, String) {
        use brink::engine::{self, RunSetup, Transcript};
        use brink::report::trace::{self, TraceView};
        let model = &self.model;
        let mut setup = RunSetup::new(model);
        let mut transcript = Transcript::default();
        let ending = engine::play(model, &mut setup, seed, run, &mut transcript);
        let explained = if !causes || ending.end == engine::End::Agreement {
            None
        } else {
            brink::montecarlo::causes::Counterfactuals::new(model).replays().explain(seed, run, &ending)
        };
        let view = TraceView {
            causes: explained.as_ref(),
            model,
            setup: &setup,
            transcript: &transcript,
            ending: &ending,
            seed,
            run,
            player: None,
        };
        let json = serde_json::to_string_pretty(&trace::json(&view)).unwrap_or_default();
        (json, trace::text(&view))
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

/// Compares arms (name, description, scenario): runs 0..runs of seed
/// `seed` in each, run k of every arm with the same random numbers, as
/// `brink compare` does. Returns compare.csv's text.
#[pyfunction]
#[pyo3(signature = (arms, runs, seed, threads, causes, unpaired))]
fn compare(
    py: Python<'_>,
    arms: Vec<(String, String, PyRef<'_, NativeScenario>)>,
    runs: u64,
    seed: u64,
    threads: Option<usize>,
    causes: bool,
    unpaired: bool,
) -> PyResult<String> {
    use brink::analysis::comparison;
    if arms.len() < 2 {
        return Err(PyValueError::new_err("a comparison needs at least two arms"));
    }
    let pool = worker_pool(runs, threads)?;
    let models: Vec<&Model> = arms.iter().map(|(_, _, s)| &s.model).collect();
    let config = RunConfig { seed, runs: 0..runs, keep_runs: false, causes };
    let paired = interruptible(py, |stop| {
        pool.install(|| brink::montecarlo::simulate_paired(&models, &config, |_| !stop.load(Ordering::Relaxed)))
    })?;
    let summaries: Vec<_> = models.iter().zip(&paired.tallies).map(|(m, t)| outcomes::summarise(m, t)).collect();
    let refs: Vec<_> = summaries.iter().collect();
    let rows = if unpaired { comparison::compare(&refs) } else { comparison::compare_paired(&refs, &paired.pairs) };
    let names: Vec<(String, String)> = arms.iter().map(|(n, d, _)| (n.clone(), d.clone())).collect();
    let mut csv = Vec::new();
    brink::report::experiments::write_compare_csv(&mut csv, &names, &rows)
        .map_err(|e| PyValueError::new_err(format!("cannot write the comparison: {e}")))?;
    String::from_utf8(csv).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Checks `runs` and `threads` and makes the worker pool.
fn worker_pool(runs: u64, threads: Option<usize>) -> PyResult<rayon::ThreadPool> {
    if runs == 0 {
        return Err(PyValueError::new_err("runs must be at least 1"));
    }
    if threads.is_some_and(|n| n == 0 || n > brink::limits::MAX_THREADS) {
        return Err(PyValueError::new_err(format!(
            "threads must be 1 to {} (or None for every core); results do not depend on it",
            brink::limits::MAX_THREADS
        )));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| PyValueError::new_err(format!("cannot start worker threads: {e}")))
}

/// Runs `work` on a thread of its own while this one waits without the GIL
/// (so other Python threads run), looking for Ctrl-C with it a few times a
/// second: then `stop` is set, `work` stops at its next batch, and the
/// KeyboardInterrupt is raised.
fn interruptible<T: Send>(py: Python<'_>, work: impl FnOnce(&AtomicBool) -> T + Send) -> PyResult<T> {
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| work(&stop));
        loop {
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
    })
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
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    Ok(())
}
