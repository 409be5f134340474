//! `brink sensitivity --shard K/N` and `brink merge` (issue 13): shards of
//! the Saltelli samples and tornado runs merge into the same bytes as the
//! unsharded analysis, and partials that do not belong are refused.

use crate::common;
use common::*;

use std::path::Path;
use std::process::Output;

fn refused(o: &Output, fragment: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(fragment), "expected {fragment:?} in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

const JOB: [&str; 10] = [
    "sensitivity",
    "geneva-2022",
    "--variant",
    "russia-impatient",
    "--param",
    "actors.usa.discount=0.9:0.99",
    "--samples",
    "250",
    "--runs",
    "150",
];

fn shard(dir: &Path, k: &str, out: &str) -> Output {
    brink_in(dir, &[&JOB[..], &["-q", "--shard", k, "--out", out]].concat())
}

#[test]
fn merged_shards_give_the_unsharded_bytes() {
    let dir = scratch("bytes");
    ok(&brink_in(&dir, &[&JOB[..], &["-q", "--out", "whole"]].concat()));
    for k in ["1/3", "2/3", "3/3"] {
        ok(&shard(&dir, k, "sh"));
    }
    ok(&brink_in(&dir, &["merge", "sh", "-q", "--out", "merged"]));
    for file in ["sensitivity.csv", "sensitivity.json", "report.html", "tornado.svg", "sobol.svg"] {
        let read = |d: &str| std::fs::read(dir.join(d).join(file)).unwrap();
        assert!(read("whole") == read("merged"), "{file} differs after merging");
    }
    // The default folder of merged shards is the analysis's own.
    ok(&brink_in(&dir, &["merge", "sh", "-q", "--no-plots"]));
    assert!(dir.join("outputs/geneva-2022@russia-impatient-sensitivity/sensitivity.json").exists());
}

#[test]
fn missing_foreign_and_edited_shards_are_refused() {
    let dir = scratch("refused");
    ok(&shard(&dir, "1/2", "sh"));
    refused(&brink_in(&dir, &["merge", "sh", "-q", "--out", "m"]), "shards missing: 2");
    // Another job's shard cannot be written beside these ones.
    let mut other = JOB.to_vec();
    other[7] = "300";
    refused(&brink_in(&dir, &[&other[..], &["-q", "--shard", "2/2", "--out", "sh"]].concat()), "another job");
    ok(&shard(&dir, "2/2", "sh"));
    // An edited partial: one Saltelli value dropped.
    let file = dir.join("sh/sensitivity-partial-2-of-2.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    v["sobol"]["y_a"].as_array_mut().unwrap().pop();
    std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
    refused(&brink_in(&dir, &["merge", "sh", "-q", "--out", "m"]), "sobol");
    // An edited tornado tally.
    ok(&shard(&dir, "2/2", "sh"));
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    v["tornado_pairs"][0]["runs"] = serde_json::json!(1);
    std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
    refused(&brink_in(&dir, &["merge", "sh", "-q", "--out", "m"]), "tornado_pairs[0]");
}

#[test]
fn a_sensitivity_partial_holding_a_payoff_of_1e300_merged_into_nan_cells() {
    let dir = scratch("huge-value");
    ok(&shard(&dir, "1/2", "sh"));
    ok(&shard(&dir, "2/2", "sh"));
    let file = dir.join("sh/sensitivity-partial-2-of-2.json");
    let original: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    // y_a[j * 4 + o]: o = 2 is the first actor's payoff, o = 0 the agreement.
    for (index, value, fragment) in [
        (2, serde_json::json!(1e300), "`sobol.y_a[2]`: 1e300 is not a possible payoff:0"),
        (4, serde_json::json!(0.5), "`sobol.y_a[4]`: 0.5 is not a possible agreement (0 or 1)"),
    ] {
        let mut v = original.clone();
        v["sobol"]["y_a"][index] = value;
        std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
        let o = brink_in(&dir, &["merge", "sh", "-q", "--out", "m"]);
        refused(&o, "sensitivity-partial-2-of-2.json");
        refused(&o, fragment);
        assert!(!dir.join("m").exists(), "nothing written");
    }
}
