//! Paired (common-random-numbers) differences in `brink compare` (issue 13).

use crate::common;
use common::*;

use std::path::Path;

/// The compare.csv row of `arm` for `label`, as (diff, low, high, interval kind).
fn diff_of(dir: &Path, arm: &str, label: &str) -> (f64, f64, f64, String) {
    let mut r = csv::Reader::from_path(dir.join("compare.csv")).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[0] == arm && &rec[3] == label {
            let f = |i: usize| rec[i].parse::<f64>().unwrap();
            return (f(7), f(8), f(9), rec[10].to_string());
        }
    }
    panic!("no row {arm}/{label}");
}

fn compare(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["compare", "geneva-2022", "--variant", "clear-eyed", "--no-plots", "--out"];
    args.push(dir.to_str().unwrap());
    args.extend_from_slice(extra);
    ok(&brink(&args))
}

#[test]
fn issue_13_clear_eyed_effect_is_significant_when_paired() {
    let dir = fresh_path("clear-eyed");
    let out = compare(&dir, &["--runs", "10000"]);
    let (d, lo, hi, kind) = diff_of(&dir, "clear-eyed", "agreement");
    assert_eq!(kind, "paired");
    assert!(lo > 0.0 && d > lo && hi > d, "the paired interval excludes 0: {d} [{lo}, {hi}]");
    assert!(out.contains("paired run by run") && out.contains("McNemar"), "{out}");
    // The same runs, treated as independent samples, give an interval at
    // least as wide (before issue 9's strategies, much wider: it included 0).
    let dir2 = fresh_path("clear-eyed-unpaired");
    let out = compare(&dir2, &["--runs", "10000", "--unpaired"]);
    let (d2, lo2, hi2, kind) = diff_of(&dir2, "clear-eyed", "agreement");
    assert_eq!(kind, "independent");
    assert!((d - d2).abs() < 1e-12, "the estimate does not depend on the interval: {d} {d2}");
    assert!(hi2 - lo2 >= 0.95 * (hi - lo), "independent [{lo2}, {hi2}] vs paired [{lo}, {hi}]");
    assert!(out.contains("independent samples"), "{out}");
}

#[test]
fn issue_13_a_variant_equal_to_the_baseline_differs_by_exactly_zero() {
    let dir = fresh_path("same");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("same.toml");
    let text = brink::scenario::find_builtin("geneva-2022").unwrap().text.to_string()
        + "\n[variants.same]\ndescription = \"the baseline again\"\n\"scenario.rounds\" = 20\n";
    std::fs::write(&file, text).unwrap();
    let out = dir.join("out");
    ok(&brink(&[
        "compare",
        file.to_str().unwrap(),
        "--variant",
        "same",
        "--runs",
        "3000",
        "--no-plots",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]));
    for label in ["agreement", "breakdown", "escalation", "usa", "russia", "mean round"] {
        let (d, lo, hi, _) = diff_of(&out, "same", label);
        assert_eq!((d, lo, hi), (0.0, 0.0, 0.0), "{label}");
    }
}

#[test]
fn paired_results_do_not_depend_on_threads() {
    let (a, b) = (fresh_path("t1"), fresh_path("t2"));
    compare(&a, &["--runs", "3000", "--threads", "1", "--quiet"]);
    compare(&b, &["--runs", "3000", "--threads", "2", "--quiet"]);
    assert_eq!(std::fs::read(a.join("compare.csv")).unwrap(), std::fs::read(b.join("compare.csv")).unwrap());
}
