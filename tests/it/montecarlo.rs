//! The Monte Carlo runner: known answers, determinism across threads and
//! shards, and the files `brink run` writes.

use std::path::{Path, PathBuf};
use std::process::Command;

use brink::analysis::outcomes::summarise;
use brink::model::Model;
use brink::montecarlo::{RunConfig, Tally, simulate};
use brink::report::summary_json::{self, Provenance};
use brink::scenario;

fn builtin(name: &str) -> Model {
    scenario::load_bytes(name, scenario::find_builtin(name).unwrap().text.as_bytes()).unwrap().1
}

fn tally(model: &Model, seed: u64, runs: std::ops::Range<u64>, threads: usize) -> Tally {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| simulate(model, &RunConfig { seed, runs, keep_runs: false, causes: false }, |_| true))
}

fn summary_text(model: &Model, t: &Tally) -> String {
    let p = Provenance {
        scenario_name: model.name.clone(),
        scenario_file: "x".into(),
        scenario_sha256: "x".into(),
        seed: 0,
        runs: t.runs,
        overrides: vec![],
        scenario_text: String::new(),
    };
    summary_json::to_string(&p, &summarise(model, t))
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let m = builtin("geneva-2022");
    let one = tally(&m, 42, 0..20_000, 1);
    let four = tally(&m, 42, 0..20_000, 4);
    assert_eq!(one, four);
    assert_eq!(summary_text(&m, &one), summary_text(&m, &four));
}

#[test]
fn shards_merge_into_exactly_the_whole() {
    let m = builtin("geneva-2022");
    let whole = tally(&m, 3, 0..10_000, 2);
    // Shard boundaries that do not fall on chunk boundaries, merged out of order.
    let mut merged = tally(&m, 3, 7_777..10_000, 2);
    merged.merge(&tally(&m, 3, 0..2_500, 1));
    merged.merge(&tally(&m, 3, 2_500..7_777, 3));
    assert_eq!(summary_text(&m, &whole), summary_text(&m, &merged));
}

#[test]
fn rubinstein_always_agrees_at_round_zero() {
    let m = builtin("rubinstein");
    let s = summarise(&m, &tally(&m, 0, 0..500, 2));
    assert_eq!(s.ends[0].count, 500);
    assert_eq!(s.rounds.mean_agreement_round, Some(0.0));
    assert_eq!(s.top_agreements[0].terms, vec![("share".to_string(), "0.71".to_string())]);
    // No variance: degenerate statistics must still be numbers, not NaN.
    let p = &s.payoffs[0];
    assert_eq!(p.sd, Some(0.0));
    assert!(p.quantiles.iter().all(|(_, q)| (q.unwrap() - 0.71).abs() < 1e-12));
}

#[test]
fn a_stopped_simulation_reports_the_runs_it_played() {
    let m = builtin("logrolling");
    let t = simulate(&m, &RunConfig { seed: 0, runs: 0..1_000_000, keep_runs: false, causes: false }, |_| false);
    assert!(t.runs > 0 && t.runs < 1_000_000);
}

#[test]
fn per_run_records_replay_exactly_with_trace() {
    let m = builtin("geneva-2022");
    let mut records = Vec::new();
    simulate(&m, &RunConfig { seed: 11, runs: 0..3000, keep_runs: true, causes: false }, |b| {
        records.extend_from_slice(b.records);
        true
    });
    assert_eq!(records.len(), 3000);
    assert!(records.windows(2).all(|w| w[0].run + 1 == w[1].run), "records come in run order");
    let mut setup = brink::engine::RunSetup::new(&m);
    for r in records.iter().step_by(97) {
        let e = brink::engine::play(&m, &mut setup, 11, r.run, &mut brink::engine::NoObserver);
        assert_eq!(e, r.ending, "run {}", r.run);
    }
}

// ---- the binary -----------------------------------------------------------

fn brink(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_brink")).args(args).output().expect("brink runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("brink-mc-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    d
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn brink_run_is_byte_identical_across_thread_counts() {
    let (a, b) = (temp_dir("t1"), temp_dir("t4"));
    let manifest = env!("CARGO_MANIFEST_DIR");
    let scenario = format!("{manifest}/scenarios/geneva-2022.toml");
    for (dir, threads) in [(&a, "1"), (&b, "4")] {
        let o = brink(&[
            "run",
            &scenario,
            "--runs",
            "5000",
            "--seed",
            "9",
            "--threads",
            threads,
            "--per-run",
            "--no-plots",
            "--quiet",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(read(&a.join("summary.json")), read(&b.join("summary.json")));
    assert_eq!(read(&a.join("runs.csv")), read(&b.join("runs.csv")));
}

#[test]
fn brink_run_writes_parseable_files_with_the_documented_columns() {
    let dir = temp_dir("files");
    let o = brink(&[
        "run",
        "logrolling",
        "--runs",
        "2000",
        "--per-run",
        "--no-plots",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&read(&dir.join("summary.json"))).unwrap();
    assert_eq!(v["runs"], 2000);
    assert_eq!(v["scenario"]["file"], "builtin:logrolling");
    assert!(v.get("threads").is_none(), "the thread count is not part of results");
    let ends: u64 = v["summary"]["ends"].as_array().unwrap().iter().map(|e| e["count"].as_u64().unwrap()).sum();
    assert_eq!(ends, 2000);
    for e in v["summary"]["ends"].as_array().unwrap() {
        let ci = e["ci95"].as_array().unwrap();
        assert!(ci[0].as_f64().unwrap() <= e["share"].as_f64().unwrap());
    }

    let mut rdr = csv::Reader::from_path(dir.join("runs.csv")).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "run",
            "end",
            "walked_away_by",
            "round",
            "inspections",
            "deployments",
            "disagreement",
            "payoff_west",
            "payoff_east",
            "actors.east.discount",
            "causes"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2000);
    for r in &rows {
        let agreed = &r[1] == "agreement";
        assert_eq!(agreed, !r[4].is_empty(), "agreed options exactly when there is an agreement");
        assert_eq!(agreed, r[6].is_empty(), "a disagreement outcome exactly when there is none");
        r[7].parse::<f64>().unwrap();
    }
}

#[test]
fn brink_run_without_a_scenario_runs_geneva() {
    let dir = temp_dir("default");
    let o = brink(&["run", "--runs", "500", "--no-plots", "--out", dir.to_str().unwrap()]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Geneva talks, January 2022 — 500 runs"), "{out}");
    assert!(out.contains("How the talks ended"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("runs/s"));
}

#[test]
fn scenarios_lists_and_shows_the_builtins() {
    let o = brink(&["scenarios"]);
    let out = String::from_utf8_lossy(&o.stdout);
    for name in ["geneva-2022", "rubinstein", "logrolling"] {
        assert!(out.contains(name), "{out}");
    }
    let v: serde_json::Value = serde_json::from_slice(&brink(&["scenarios", "--json"]).stdout).unwrap();
    assert_eq!(v[0]["name"], "geneva-2022");
    let o = brink(&["scenarios", "show", "rubinstein"]);
    assert_eq!(o.stdout, scenario::find_builtin("rubinstein").unwrap().text.as_bytes());
    let o = brink(&["scenarios", "show", "nope"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn merging_four_shards_gives_the_unsharded_bytes() {
    let (shards, whole, merged) = (temp_dir("shards"), temp_dir("whole"), temp_dir("merged"));
    for k in 1..=4 {
        let shard = format!("{k}/4");
        let o = brink(&[
            "run",
            "geneva-2022",
            "--runs",
            "6000",
            "--seed",
            "5",
            "--per-run",
            "--quiet",
            "--shard",
            &shard,
            "--out",
            shards.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = brink(&[
        "run",
        "geneva-2022",
        "--runs",
        "6000",
        "--seed",
        "5",
        "--per-run",
        "--no-plots",
        "--quiet",
        "--out",
        whole.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let o = brink(&["merge", shards.to_str().unwrap(), "--no-plots", "--quiet", "--out", merged.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read(&whole.join("summary.json")), read(&merged.join("summary.json")));
    assert_eq!(read(&whole.join("runs.csv")), read(&merged.join("runs.csv")));

    std::fs::remove_file(shards.join("partial-2-of-4.json")).unwrap();
    let o = brink(&["merge", shards.to_str().unwrap(), "--quiet", "--out", merged.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("shards missing: 2 (of 4)"));
}

#[test]
fn ctrl_c_stops_cleanly_and_keeps_the_previous_results() {
    let dir = temp_dir("ctrlc");
    let out = dir.to_str().unwrap();
    let o = brink(&["run", "logrolling", "--runs", "100", "--no-plots", "--quiet", "--out", out]);
    assert!(o.status.success());
    let before = read(&dir.join("summary.json"));
    let child = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(["run", "logrolling", "--runs", "2000000000", "--no-plots", "--out", out])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&o.stderr).contains("interrupted after"), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read(&dir.join("summary.json")), before, "the previous results stay whole");
    let parent = dir.parent().unwrap();
    let stray = std::fs::read_dir(parent).unwrap().filter_map(|e| e.ok()).any(|e| {
        e.file_name().to_string_lossy().contains(&format!("{}.partial", dir.file_name().unwrap().to_string_lossy()))
    });
    assert!(!stray, "no staging folder is left behind");
}

#[test]
fn merging_sweep_shards_gives_the_unsharded_sweep() {
    let (shards, whole, merged) = (temp_dir("sw-shards"), temp_dir("sw-whole"), temp_dir("sw-merged"));
    let grid = "actors.east.strategy.beta=0.2:2:5";
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let o = brink(&[
            "sweep",
            "logrolling",
            "--param",
            grid,
            "--runs",
            "2500",
            "--quiet",
            "--shard",
            &shard,
            "--out",
            shards.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = brink(&[
        "sweep",
        "logrolling",
        "--param",
        grid,
        "--runs",
        "2500",
        "--quiet",
        "--no-plots",
        "--out",
        whole.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let o = brink(&["merge", shards.to_str().unwrap(), "--quiet", "--no-plots", "--out", merged.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read(&whole.join("sweep.csv")), read(&merged.join("sweep.csv")));
}

#[test]
fn trace_run_k_replays_row_k_of_runs_csv() {
    let dir = temp_dir("replay");
    let o = brink(&[
        "run",
        "geneva-2022",
        "--runs",
        "300",
        "--seed",
        "13",
        "--per-run",
        "--no-plots",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let mut rdr = csv::Reader::from_path(dir.join("runs.csv")).unwrap();
    let header = rdr.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let payoff_col = header.iter().position(|h| h == "payoff_usa").unwrap();
    for k in [0usize, 17, 299] {
        let o = brink(&["trace", "geneva-2022", "--seed", "13", "--run", &k.to_string(), "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["outcome"]["end"], rows[k][1].to_string(), "run {k}");
        assert_eq!(v["outcome"]["round"].to_string(), rows[k][3].to_string(), "run {k}");
        let payoff: f64 = rows[k][payoff_col].parse().unwrap();
        assert_eq!(v["outcome"]["payoffs"]["usa"].as_f64().unwrap(), payoff, "run {k}");
    }
}

/// Regression (found in review): a shard with no runs wrote its min/max as
/// null and `brink merge` refused it.
#[test]
fn shards_with_no_runs_still_merge() {
    let (shards, whole, merged) = (temp_dir("empty-shards"), temp_dir("empty-whole"), temp_dir("empty-merged"));
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let o = brink(&[
            "run",
            "rubinstein",
            "--runs",
            "2",
            "--quiet",
            "--shard",
            &shard,
            "--out",
            shards.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert!(
        brink(&["run", "rubinstein", "--runs", "2", "--no-plots", "--quiet", "--out", whole.to_str().unwrap()])
            .status
            .success()
    );
    let o = brink(&["merge", shards.to_str().unwrap(), "--no-plots", "--quiet", "--out", merged.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read(&whole.join("summary.json")), read(&merged.join("summary.json")));
}
