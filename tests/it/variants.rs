//! Several `--variant` flags (issue 13): applied in order so that variants
//! combine, one folder name and one provenance list for the combination, and
//! clear refusals for unknown, repeated and conflicting variants.

use crate::common;
use common::*;

use std::path::Path;
use std::process::Output;

fn refused(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(2), "stdout: {}", String::from_utf8_lossy(&o.stdout));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

const RUNS: &str = "400";

#[test]
fn two_variants_combine_in_order_and_are_recorded() {
    let dir = scratch("combine");
    let both = ok(&brink_in(
        &dir,
        &["run", "geneva-2022", "--variant", "russia-impatient", "--variant", "clear-eyed", "--runs", RUNS, "--quiet"],
    ));
    let _ = both;
    let folder = dir.join("outputs/geneva-2022@russia-impatient+clear-eyed");
    let summary = json(&folder.join("summary.json"));
    assert_eq!(summary["overrides"], serde_json::json!(["variant russia-impatient", "variant clear-eyed"]));
    // The combination is the first variant with the second's settings on top:
    // the same results as writing clear-eyed's one line out with --set.
    let by_hand = dir.join("by-hand");
    ok(&brink_in(
        &dir,
        &[
            "run",
            "geneva-2022",
            "--variant",
            "russia-impatient",
            "--set",
            "actors.russia.reservation={ normal = [0.28, 0.03], min = 0.2, max = 0.4 }",
            "--runs",
            RUNS,
            "--quiet",
            "--no-plots",
            "--out",
            by_hand.to_str().unwrap(),
        ],
    ));
    assert_eq!(summary["summary"], json(&by_hand.join("summary.json"))["summary"]);
    // ...and differs from either variant alone, so both were applied.
    for alone in ["russia-impatient", "clear-eyed"] {
        let out = dir.join(alone);
        ok(&brink_in(
            &dir,
            &[
                "run",
                "geneva-2022",
                "--variant",
                alone,
                "--runs",
                RUNS,
                "--quiet",
                "--no-plots",
                "--out",
                out.to_str().unwrap(),
            ],
        ));
        assert_ne!(summary["summary"], json(&out.join("summary.json"))["summary"], "{alone}");
    }
    // The report's provenance lists both, in order.
    let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
    let (a, b) = (html.find("variant russia-impatient"), html.find("variant clear-eyed"));
    assert!(a.is_some() && b.is_some() && a < b, "report.html should list both variants in order");
}

#[test]
fn order_is_kept_in_the_folder_name() {
    let dir = scratch("order");
    ok(&brink_in(
        &dir,
        &[
            "run",
            "geneva-2022",
            "--variant",
            "clear-eyed",
            "--variant",
            "us-offer",
            "--runs",
            "50",
            "--quiet",
            "--no-plots",
        ],
    ));
    assert!(dir.join("outputs/geneva-2022@clear-eyed+us-offer/summary.json").exists());
}

#[test]
fn unknown_repeated_and_conflicting_variants_are_refused() {
    let dir = scratch("refused");
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "geneva-2022", "--runs", "10", "--quiet", "--no-plots"];
        args.extend_from_slice(extra);
        brink_in(&dir, &args)
    };
    let err = refused(&run(&["--variant", "clear-eyed", "--variant", "nope"]));
    assert!(err.contains("no variant named `nope`"), "{err}");
    assert!(err.contains("the variants are: severe-sanctions, us-offer, hard-line, clear-eyed"), "{err}");
    let err = refused(&run(&["--variant", "clear-eye"]));
    assert!(err.contains("did you mean `clear-eyed`?") && err.contains("the variants are:"), "{err}");
    let err = refused(&run(&["--variant", "clear-eyed", "--variant", "clear-eyed"]));
    assert!(err.contains("variant `clear-eyed` is given twice"), "{err}");
    // Both set Russia's strategy: which one wins would depend on flag order.
    let err = refused(&run(&["--variant", "hard-line", "--variant", "clock-driven"]));
    assert!(
        err.contains("variants `hard-line` and `clock-driven` conflict: both set `actors.russia.strategy`"),
        "{err}"
    );
    assert!(err.contains("--set actors.russia.strategy=VALUE"), "{err}");
    // A table set by one and a key inside it by the other is a conflict too.
    let file = dir.join("nested.toml");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/logrolling.toml")).unwrap()
        + "\n[variants.whole]\ndescription = \"a\"\n\"actors.east.strategy\" = { kind = \"time\", beta = 0.3 }\n\
           \n[variants.part]\ndescription = \"b\"\n\"actors.east.strategy.beta\" = 0.5\n";
    std::fs::write(&file, text).unwrap();
    let o = brink_in(&dir, &["check", file.to_str().unwrap(), "--variant", "whole", "--variant", "part"]);
    let err = refused(&o);
    assert!(err.contains("variants `whole` and `part` conflict"), "{err}");
    assert!(!dir.join("outputs").exists(), "nothing is written for refused variants");
}

#[test]
fn variants_that_agree_on_a_value_combine() {
    // us-offer and offer-and-threat set the US posture values identically.
    let dir = scratch("agree");
    let o = brink_in(&dir, &["check", "geneva-2022", "--variant", "us-offer", "--variant", "offer-and-threat"]);
    ok(&o);
}

#[test]
fn trace_and_analyze_take_several_variants_too() {
    let dir = scratch("trace");
    let one = ok(&brink_in(&dir, &["trace", "geneva-2022", "--variant", "russia-impatient", "--json"]));
    let two = ok(&brink_in(
        &dir,
        &["trace", "geneva-2022", "--variant", "russia-impatient", "--variant", "severe-sanctions", "--json"],
    ));
    assert_ne!(one, two, "the second variant must change the traced run");
    let err =
        refused(&brink_in(&dir, &["analyze", "geneva-2022", "--variant", "hard-line", "--variant", "clock-driven"]));
    assert!(err.contains("conflict"), "{err}");
}

#[test]
fn a_variant_sensitivity_analysis_gets_its_own_folder() {
    let dir = scratch("sens");
    let args =
        ["sensitivity", "geneva-2022", "--samples", "16", "--runs", "10", "--bootstrap", "5", "-q", "--no-plots"];
    ok(&brink_in(&dir, &args));
    ok(&brink_in(&dir, &[&args[..], &["--variant", "russia-impatient", "--variant", "clear-eyed"]].concat()));
    assert!(dir.join("outputs/geneva-2022-sensitivity/sensitivity.json").exists());
    let v = json(&dir.join("outputs/geneva-2022@russia-impatient+clear-eyed-sensitivity/sensitivity.json"));
    assert_eq!(v["variants"], serde_json::json!(["russia-impatient", "clear-eyed"]));
}

#[test]
fn shards_of_a_combined_run_merge_under_the_combined_name() {
    let dir = scratch("shards");
    let args = |k: &str| {
        vec![
            "run",
            "geneva-2022",
            "--variant",
            "russia-impatient",
            "--variant",
            "clear-eyed",
            "--runs",
            "300",
            "--quiet",
            "--no-plots",
            "--shard",
            k,
            "--out",
            "sh",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()
    };
    for k in ["1/2", "2/2"] {
        let a = args(k);
        ok(&brink_in(&dir, &a.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    ok(&brink_in(&dir, &["merge", "sh", "--quiet", "--no-plots"]));
    let merged = json(&dir.join("outputs/geneva-2022@russia-impatient+clear-eyed/summary.json"));
    ok(&brink_in(
        &dir,
        &[
            "run",
            "geneva-2022",
            "--variant",
            "russia-impatient",
            "--variant",
            "clear-eyed",
            "--runs",
            "300",
            "--quiet",
            "--no-plots",
            "--out",
            "whole",
        ],
    ));
    assert_eq!(merged, json(&dir.join("whole/summary.json")));
}
