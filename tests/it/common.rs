//! What the through-the-binary tests share: running brink, checking that it
//! succeeded, scratch folders and output paths, and snapshots of a folder
//! tree to prove no file was lost.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs brink with `args` in `dir`.
pub fn brink_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brink")).args(args).current_dir(dir).output().expect("the brink binary runs")
}

/// Runs brink with `args` from the crate root, where `scenarios/` lives.
pub fn brink(args: &[&str]) -> Output {
    brink_in(&root(), args)
}

/// Asserts that brink succeeded (showing its stderr if not) and returns its stdout.
pub fn ok(o: &Output) -> String {
    assert!(o.status.success(), "brink failed:\n{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A fresh, empty scratch folder for one test.
#[track_caller]
pub fn scratch(name: &str) -> PathBuf {
    let d = fresh_path(name);
    fs::create_dir_all(&d).unwrap();
    d
}

/// A path for one test's output folder, not yet existing (brink creates it).
/// Named after the calling test file, the name given and the process, so
/// tests of different files (all in one binary) never share one.
#[track_caller]
pub fn fresh_path(name: &str) -> PathBuf {
    let caller = std::panic::Location::caller().file();
    let file = Path::new(caller).file_stem().map_or("it".into(), |s| s.to_string_lossy().into_owned());
    let d = std::env::temp_dir().join(format!("brink-{file}-{name}-{}", std::process::id()));
    fs::remove_dir_all(&d).ok();
    d
}

/// Every file (bytes), folder and symlink (target) under `root`, by path.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap().to_path_buf();
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            let target = fs::read_link(&path).unwrap();
            out.insert(rel, format!("symlink -> {}", target.display()).into_bytes());
        } else if kind.is_dir() {
            out.insert(rel, b"folder".to_vec());
            walk(root, &path, out);
        } else {
            out.insert(rel, fs::read(&path).unwrap());
        }
    }
}

/// Asserts that every file that was in `before` is still there, byte for
/// byte (new files may have appeared).
pub fn assert_kept(before: &BTreeMap<PathBuf, Vec<u8>>, root: &Path) {
    let after = snapshot(root);
    for (path, bytes) in before {
        match after.get(path) {
            None => panic!("{} was lost", path.display()),
            Some(b) => assert!(b == bytes, "{} was changed", path.display()),
        }
    }
}

/// Asserts exit status `code`, a message containing `fragment` on stderr,
/// no panic, and no raw escape character in anything printed.
pub fn assert_refused(o: &Output, code: i32, fragment: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "stderr:\n{err}");
    assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!o.stderr.contains(&0x1b) && !o.stdout.contains(&0x1b), "raw ESC printed");
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The crate root, where `scenarios/` lives.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a shipped scenario into `dir` as `name`.
pub fn copy_scenario(builtin: &str, dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    fs::copy(root().join("scenarios").join(format!("{builtin}.toml")), &to).unwrap();
    to
}

/// Asserts that two scenario texts play the same: the same `summary` object
/// of 2,000 runs, the same ending of every run (payoffs, ladders), and the
/// same runs.csv of `brink run --per-run`, byte for byte. The guard of every
/// mechanism that must change nothing when switched off ("a red line known to
/// be a bluff", "an audience cost of 0", "a power shift without a shift").
#[track_caller]
pub fn assert_same_results(with: &str, without: &str, seed: u64) {
    use brink::analysis::outcomes::summarise;
    use brink::engine::{self, NoObserver, RunSetup};
    use brink::montecarlo::{RunConfig, simulate};
    let run = |text: &str| {
        let (_, model) = brink::scenario::load_bytes("s.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let tally = simulate(&model, &RunConfig { seed, runs: 0..2000, keep_runs: false, causes: false }, |_| true);
        let mut setup = RunSetup::new(&model);
        let endings: Vec<engine::Ending> =
            (0..2000).map(|run| engine::play(&model, &mut setup, seed, run, &mut NoObserver)).collect();
        (serde_json::to_string(&summarise(&model, &tally)).unwrap(), endings)
    };
    let (a, b) = (run(with), run(without));
    assert_eq!(a.0, b.0, "the summary object");
    assert_eq!(a.1, b.1, "every run's ending, payoffs and ladders");
    // Tests calling this run in parallel: each call gets a folder of its own.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = scratch(&format!("same-results-{call}"));
    let csv = |text: &str, name: &str| {
        let file = dir.join(format!("{name}.toml"));
        fs::write(&file, text).unwrap();
        let out = dir.join(name);
        let seed = seed.to_string();
        let args = [
            "run",
            file.to_str().unwrap(),
            "--runs",
            "500",
            "--seed",
            &seed,
            "--out",
            out.to_str().unwrap(),
            "--no-plots",
            "--per-run",
        ];
        ok(&brink(&args));
        fs::read(out.join("runs.csv")).unwrap()
    };
    assert!(csv(with, "with") == csv(without, "without"), "runs.csv differs");
}

/// `text` (a scenario) without the tables whose names start with one of
/// `prefixes` (`power_shift` also takes `[[power_shift.periods]]`), if it
/// has them: each table's header line and its lines up to the next header
/// or comment. Tests that write their own table of a mechanism start from
/// a shipped scenario without one, whatever the shipped file holds.
pub fn without_tables(text: &str, prefixes: &[&str]) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            let name = trimmed.trim_matches(|c| c == '[' || c == ']');
            skipping = prefixes.iter().any(|p| name == *p || name.starts_with(&format!("{p}.")));
        } else if trimmed.starts_with('#') {
            skipping = false;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
