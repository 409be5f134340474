//! Paired differences in `brink sweep` (issue 13): every grid point against
//! the first, run by run, as exact tallies that shard and merge.

use crate::common;
use common::*;

use std::collections::HashMap;
use std::path::Path;

/// sweep.csv as one map per row (column name → text).
fn rows(dir: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(dir.join("sweep.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records().map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(String::from)).collect()).collect()
}

fn f(row: &HashMap<String, String>, col: &str) -> f64 {
    row.get(col).unwrap_or_else(|| panic!("no column {col}")).parse().unwrap_or_else(|_| panic!("{col}: {row:?}"))
}

const GRID: &str = "actors.russia.discount=0.8:0.99:4";

fn sweep(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["sweep", "geneva-2022", "--param", GRID, "--runs", "2000", "--no-plots", "--out"];
    args.push(dir.to_str().unwrap());
    args.extend_from_slice(extra);
    ok(&brink(&args))
}

#[test]
fn each_point_is_compared_with_the_first_paired_by_default() {
    let (paired, unpaired) = (fresh_path("paired"), fresh_path("unpaired"));
    let text = sweep(&paired, &[]);
    assert!(text.contains("agreement vs first point [95% CI]"), "{text}");
    assert!(text.contains("Differences are from the first grid point. Differences are paired"), "{text}");
    sweep(&unpaired, &["--unpaired"]);
    let (p, u) = (rows(&paired), rows(&unpaired));
    assert_eq!(p.len(), 4);
    // The baseline against itself: exactly 0, zero width, in every column.
    for (col, value) in &p[0] {
        if col.starts_with("diff:") {
            assert_eq!(value, "0", "{col}");
        }
    }
    assert!(p.iter().all(|r| r["diff_interval"] == "paired"));
    assert!(u.iter().all(|r| r["diff_interval"] == "independent"));
    let mut kinds_differ = 0;
    for i in 1..4 {
        // Same runs, same shares and differences; only the intervals differ.
        assert_eq!(p[i]["end:agreement"], u[i]["end:agreement"]);
        assert!((f(&p[i], "diff:end:agreement") - f(&u[i], "diff:end:agreement")).abs() < 1e-12);
        let d = f(&p[i], "diff:end:agreement");
        assert!((d - (f(&p[i], "end:agreement") - f(&p[0], "end:agreement"))).abs() < 1e-12);
        let width = |r: &HashMap<String, String>, c: &str| f(r, &format!("{c}:ci_high")) - f(r, &format!("{c}:ci_low"));
        // The two kinds are computed differently (paired need not be
        // narrower when runs switch both ways, and Newcombe's corrected
        // correlation is 0 for weakly correlated pairs, which gives the
        // independent interval; for Russia's payoff, which moves with its
        // discount run by run, it is narrower).
        if width(&p[i], "diff:end:agreement") != width(&u[i], "diff:end:agreement") {
            kinds_differ += 1;
        }
        let col = "diff:payoff:russia:mean";
        assert!(width(&p[i], col) < width(&u[i], col), "point {i}: {} vs {}", width(&p[i], col), width(&u[i], col));
        let (lo, hi) = (f(&p[i], "diff:end:agreement:ci_low"), f(&p[i], "diff:end:agreement:ci_high"));
        assert!(lo <= d && d <= hi, "point {i}: {d} outside [{lo}, {hi}]");
    }
    assert!(kinds_differ > 0, "the paired agreement intervals are the independent ones at every point");
    // Russia's patience moves the agreement share: an effect the paired
    // intervals find (at least one excludes 0).
    assert!(p[1..].iter().any(|r| f(r, "diff:end:agreement:ci_low") > 0.0 || f(r, "diff:end:agreement:ci_high") < 0.0));
    let html = std::fs::read_to_string(paired.join("report.html")).unwrap();
    assert!(html.contains("difference from the first grid point") && html.contains("0 [0, 0]"));
}

#[test]
fn a_point_equal_to_the_baseline_differs_by_exactly_zero() {
    let dir = fresh_path("same");
    ok(&brink(&[
        "sweep",
        "geneva-2022",
        "--param",
        "actors.russia.discount=0.95,0.95",
        "--runs",
        "500",
        "--no-plots",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]));
    let r = rows(&dir);
    for (col, value) in &r[1] {
        if col.starts_with("diff:") {
            assert_eq!(value, "0", "{col} at the repeated point");
        }
    }
}

#[test]
fn unpaired_sweep_shards_merge_to_the_unsharded_bytes_and_mixed_shards_are_refused() {
    let (shards, whole, merged) = (fresh_path("u-shards"), fresh_path("u-whole"), fresh_path("u-merged"));
    let shard = |k: &str, extra: &[&str]| {
        let mut args = vec![
            "sweep",
            "geneva-2022",
            "--param",
            GRID,
            "--runs",
            "900",
            "--quiet",
            "--shard",
            k,
            "--out",
            shards.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        brink(&args)
    };
    ok(&shard("1/2", &["--unpaired"]));
    ok(&shard("2/2", &["--unpaired"]));
    let mut args =
        vec!["sweep", "geneva-2022", "--param", GRID, "--runs", "900", "--quiet", "--no-plots", "--unpaired"];
    args.extend(["--out", whole.to_str().unwrap()]);
    ok(&brink(&args));
    ok(&brink(&["merge", shards.to_str().unwrap(), "--quiet", "--no-plots", "--out", merged.to_str().unwrap()]));
    assert_eq!(std::fs::read(whole.join("sweep.csv")).unwrap(), std::fs::read(merged.join("sweep.csv")).unwrap());
    assert!(rows(&merged).iter().all(|r| r["diff_interval"] == "independent"));

    // A paired shard does not go where unpaired ones are...
    let o = shard("2/2", &[]);
    assert_eq!(o.status.code(), Some(2));
    // ...and does not merge with them.
    let mixed = fresh_path("u-mixed");
    let mut args = vec!["sweep", "geneva-2022", "--param", GRID, "--runs", "900", "--quiet", "--shard", "2/2", "--out"];
    args.push(mixed.to_str().unwrap());
    ok(&brink(&args));
    std::fs::copy(shards.join("sweep-partial-1-of-2.json"), mixed.join("sweep-partial-1-of-2.json")).unwrap();
    let o = brink(&["merge", mixed.to_str().unwrap(), "--quiet", "--no-plots", "--out", merged.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("a different --unpaired"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn an_edited_pair_tally_is_refused_by_merge() {
    let shards = fresh_path("edited");
    for k in ["1/2", "2/2"] {
        ok(&brink(&[
            "sweep",
            "geneva-2022",
            "--param",
            GRID,
            "--runs",
            "300",
            "--quiet",
            "--shard",
            k,
            "--out",
            shards.to_str().unwrap(),
        ]));
    }
    let file = shards.join("sweep-partial-1-of-2.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    v["pairs"][0]["pair"]["ends"][0][0] = serde_json::json!(v["pairs"][0]["pair"]["ends"][0][0].as_u64().unwrap() + 1);
    std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
    let o = brink(&[
        "merge",
        shards.to_str().unwrap(),
        "--quiet",
        "--no-plots",
        "--out",
        fresh_path("edited-out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("pairs[0]") && err.contains("do not add up"), "{err}");
}

#[test]
fn log_grids_get_a_log_axis_with_readable_ticks_and_human_names() {
    let (log, linear) = (fresh_path("log"), fresh_path("linear"));
    let run = |dir: &Path, grid: &str| {
        ok(&brink(&[
            "sweep",
            "geneva-2022",
            "--param",
            grid,
            "--runs",
            "300",
            "--quiet",
            "--out",
            dir.to_str().unwrap(),
        ]))
    };
    run(&log, "scenario.breakdown_hazard=0.001:0.2:5:log");
    run(&linear, "actors.russia.escalation[2].hazard=0.01:0.1:3");
    let svg = |dir: &Path, name: &str| std::fs::read_to_string(dir.join(format!("{name}.svg"))).unwrap();
    for name in ["sweep-outcomes", "sweep-payoffs", "sweep-differences"] {
        let s = svg(&log, name);
        assert!(s.contains("(log scale)"), "{name}: the axis says it is logarithmic");
        // Ticks at 1-2-5 values per decade, written as the values.
        for tick in ["0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "0.2"] {
            assert!(s.contains(&format!(">\n{tick}\n<")), "{name}: tick {tick}");
        }
        let s = svg(&linear, name);
        assert!(!s.contains("(log scale)"), "{name}");
        // A ladder parameter is named, not shown as its TOML path.
        assert!(
            s.contains("Russia&apos;s added breakdown hazard at") || s.contains("Russia's added breakdown hazard at"),
            "{name}"
        );
        assert!(!s.contains("escalation[2]"), "{name}");
    }
    assert!(svg(&log, "sweep-differences").contains("paired 95% CI"));
}

#[test]
fn a_sweep_shard_with_two_grid_points_tallies_swapped_merged_without_a_word() {
    let shards = fresh_path("swapped");
    for k in ["1/2", "2/2"] {
        let args = ["sweep", "geneva-2022", "--param", GRID, "--runs", "300", "--quiet", "--shard", k, "--out"];
        ok(&brink(&[&args[..], &[shards.to_str().unwrap()]].concat()));
    }
    let file = shards.join("sweep-partial-2-of-2.json");
    let original: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let merge = || {
        let out = fresh_path("swapped-out");
        let o = brink(&["merge", shards.to_str().unwrap(), "--quiet", "--no-plots", "--out", out.to_str().unwrap()]);
        assert!(!out.exists(), "nothing written for a refused merge");
        o
    };
    // The whole entries swapped: each names its own point.
    let mut v = original.clone();
    v["tallies"].as_array_mut().unwrap().swap(1, 2);
    std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
    let o = merge();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("sweep-partial-2-of-2.json") && err.contains("tallies[1]") && err.contains("grid point 2"),
        "{err}"
    );
    // Only the counts swapped, labels left in place: the pairings disagree.
    let mut v = original.clone();
    let (a, b) = (v["tallies"][1]["tally"].clone(), v["tallies"][2]["tally"].clone());
    assert_ne!(a["ends"], b["ends"], "the test needs two points that ended differently");
    (v["tallies"][1]["tally"], v["tallies"][2]["tally"]) = (b, a);
    std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
    let o = merge();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("pairs[0]") && err.contains("disagree with the tallies"), "{err}");
}

#[test]
fn a_sweep_that_dips_on_the_way_was_summed_up_by_its_two_ends() {
    let out = fresh_path("dip");
    let grid = "actors.russia.reservation=0.2,0.3,0.4,0.45,0.5";
    let args = ["sweep", "geneva-2022", "--param", grid, "--runs", "2000", "--no-plots", "-q", "--out"];
    ok(&brink(&[&args[..], &[out.to_str().unwrap()]].concat()));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    // The lowest agreement share on the grid, read from sweep.csv.
    let shares: Vec<(String, f64)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0].to_string(), cells[2].parse().unwrap())
        })
        .collect();
    let (at, low) = shares.iter().cloned().fold(("".to_string(), 2.0), |b, x| if x.1 < b.1 { x } else { b });
    assert!(low < shares[0].1.min(shares[shares.len() - 1].1), "the test needs a dip: {shares:?}");
    let dip = format!("dips to {:.1}%", 100.0 * low);
    assert!(html.contains(&dip) && html.contains(&format!("at {at}.")), "{dip} at {at} missing from the headline");
}
