//! Issue 14, merge integrity: `brink merge` validates everything it reads.
//! Each case edits one field of a real partial (or swaps a file) and
//! asserts exit 2 naming the file and the field, with no file lost and no
//! output written.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::{Value, json};

/// Two shards of a small job with per-run rows, in `dir/sh`.
fn shards(name: &str) -> PathBuf {
    let dir = scratch(name);
    copy_scenario("logrolling", &dir, "s.toml");
    for k in ["1/2", "2/2"] {
        let o = brink_in(&dir, &["run", "s.toml", "--runs", "60", "--shard", k, "--per-run", "--out", "sh", "--quiet"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    dir
}

fn edit(path: &Path, change: impl FnOnce(&mut Value)) {
    let mut v: Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    change(&mut v);
    fs::write(path, serde_json::to_string(&v).unwrap()).unwrap();
}

/// Edits shard 1's partial, merges, and checks the refusal.
fn refused(name: &str, change: impl FnOnce(&mut Value), fragments: &[&str]) {
    let dir = shards(name);
    edit(&dir.join("sh/partial-1-of-2.json"), change);
    let before = snapshot(&dir);
    let o = brink_in(&dir, &["merge", "sh", "--out", "merged", "--quiet", "--no-plots"]);
    for f in fragments {
        assert_refused(&o, 2, f);
    }
    assert_kept(&before, &dir);
    assert!(!dir.join("merged").exists(), "no output for a refused merge");
}

#[test]
fn issue_14_merge_refuses_edited_counts() {
    refused("counts", |v| v["tally"]["ends"][0] = json!(1000), &["partial-1-of-2.json", "tally.ends"]);
}

#[test]
fn issue_14_merge_refuses_an_overflowing_run_count() {
    refused("overflow", |v| v["tally"]["runs"] = json!(u64::MAX), &["tally.runs"]);
}

#[test]
fn issue_14_merge_refuses_a_scenario_text_that_does_not_match_its_hash() {
    refused(
        "hash",
        |v| v["scenario_text"] = json!(v["scenario_text"].as_str().unwrap().replace("0.97", "0.5")),
        &["scenario_sha256"],
    );
}

#[test]
fn issue_14_merge_refuses_another_version_of_brink() {
    refused("version", |v| v["brink_version"] = json!("0.0.1"), &["brink_version"]);
}

#[test]
fn issue_14_merge_refuses_out_of_range_shard_fields() {
    refused("shard-k", |v| v["shard"] = json!({"k": 9, "n": 2}), &["field `shard`"]);
    refused("shard-n", |v| v["shard"] = json!({"k": 1, "n": u64::MAX}), &["field `shard`"]);
}

#[test]
fn issue_14_merge_refuses_sums_beyond_what_the_runs_allow() {
    refused("sum", |v| v["tally"]["payoff"][0]["sum"] = json!("99999999999999999999999"), &["tally.payoff[0].sum"]);
    refused("bounds", |v| v["tally"]["payoff"][1]["histogram"]["lo"] = json!(-50.0), &["histogram"]);
}

#[test]
fn issue_14_merge_refuses_stale_per_run_rows_of_another_study() {
    let dir = shards("stale-rows");
    // Rows of an earlier study with another seed, under the same name.
    let o = brink_in(
        &dir,
        &["run", "s.toml", "--runs", "60", "--seed", "9", "--shard", "1/2", "--per-run", "--out", "old", "--quiet"],
    );
    assert!(o.status.success());
    fs::copy(dir.join("old/runs-1-of-2.csv"), dir.join("sh/runs-1-of-2.csv")).unwrap();
    let before = snapshot(&dir);
    let o = brink_in(&dir, &["merge", "sh", "--out", "merged", "--quiet", "--no-plots"]);
    assert_refused(&o, 2, "runs-1-of-2.csv");
    assert_refused(&o, 2, "runs_csv_sha256");
    assert_kept(&before, &dir);
}

#[test]
fn issue_14_a_valid_merge_still_gives_the_unsharded_bytes() {
    let dir = shards("valid");
    let o = brink_in(&dir, &["merge", "sh", "--out", "merged", "--quiet", "--no-plots"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = brink_in(&dir, &["run", "s.toml", "--runs", "60", "--per-run", "--out", "whole", "--quiet", "--no-plots"]);
    assert!(o.status.success());
    for f in ["summary.json", "runs.csv"] {
        assert_eq!(fs::read(dir.join("merged").join(f)).unwrap(), fs::read(dir.join("whole").join(f)).unwrap(), "{f}");
    }
}

#[test]
fn merge_panicked_on_an_agreement_index_past_the_outcome_table() {
    refused(
        "agreement-index",
        // Agreements are saved as [outcome, count] pairs.
        |v| v["tally"]["agreements"][0][0] = json!(4_000_000_000u32),
        &["partial-1-of-2.json", "tally.agreements[\"4000000000\"]", "past the scenario's"],
    );
}
