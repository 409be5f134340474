//! `brink sensitivity --shard K/N` and `brink merge` (issue 13): shards of
//! the Saltelli samples and tornado runs merge into the same bytes as the
//! unsharded analysis, and partials that do not belong are refused.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn brink(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brink")).current_dir(dir).args(args).output().expect("brink runs")
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn refused(o: &Output, fragment: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(fragment), "expected {fragment:?} in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("brink-sens-shards-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).unwrap();
    d
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
    brink(dir, &[&JOB[..], &["-q", "--shard", k, "--out", out]].concat())
}

#[test]
fn merged_shards_give_the_unsharded_bytes() {
    let dir = temp("bytes");
    ok(&brink(&dir, &[&JOB[..], &["-q", "--out", "whole"]].concat()));
    for k in ["1/3", "2/3", "3/3"] {
        ok(&shard(&dir, k, "sh"));
    }
    ok(&brink(&dir, &["merge", "sh", "-q", "--out", "merged"]));
    for file in ["sensitivity.csv", "sensitivity.json", "report.html", "tornado.svg", "sobol.svg"] {
        let read = |d: &str| std::fs::read(dir.join(d).join(file)).unwrap();
        assert!(read("whole") == read("merged"), "{file} differs after merging");
    }
    // The default folder of merged shards is the analysis's own.
    ok(&brink(&dir, &["merge", "sh", "-q", "--no-plots"]));
    assert!(dir.join("outputs/geneva-2022@russia-impatient-sensitivity/sensitivity.json").exists());
}

#[test]
fn missing_foreign_and_edited_shards_are_refused() {
    let dir = temp("refused");
    ok(&shard(&dir, "1/2", "sh"));
    refused(&brink(&dir, &["merge", "sh", "-q", "--out", "m"]), "shards missing: 2");
    // Another job's shard cannot be written beside these ones.
    let mut other = JOB.to_vec();
    other[7] = "300";
    refused(&brink(&dir, &[&other[..], &["-q", "--shard", "2/2", "--out", "sh"]].concat()), "another job");
    ok(&shard(&dir, "2/2", "sh"));
    // An edited partial: one Saltelli value dropped.
    let file = dir.join("sh/sensitivity-partial-2-of-2.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    v["sobol"]["y_a"].as_array_mut().unwrap().pop();
    std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
    refused(&brink(&dir, &["merge", "sh", "-q", "--out", "m"]), "sobol");
    // An edited tornado tally.
    ok(&shard(&dir, "2/2", "sh"));
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    v["tornado_pairs"][0]["runs"] = serde_json::json!(1);
    std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
    refused(&brink(&dir, &["merge", "sh", "-q", "--out", "m"]), "tornado_pairs[0]");
}
