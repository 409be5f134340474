//! `brink sensitivity` (issue 13): ranks, intervals, files, reproducibility.

use crate::common;
use common::*;

fn sensitivity(dir: &std::path::Path, extra: &[&str]) -> String {
    let mut args = vec!["sensitivity", "geneva-2022", "--out", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    for (flag, default) in [("--samples", "1024"), ("--runs", "1024")] {
        if !extra.contains(&flag) {
            args.extend([flag, default]);
        }
    }
    ok(&brink(&args))
}

#[test]
fn issue_13_clock_driven_geneva_failures_are_ranked_with_russias_perceived_outside_option_first() {
    // With clock-driven agents deals come late; among the uncertain
    // numbers, what Russia believes war is worth decides most which talks
    // fail (the hazard, small since the recalibration, comes second).
    let dir = fresh_path("geneva");
    let out = sensitivity(&dir, &["--no-plots", "--variant", "clock-driven"]);
    assert!(out.contains("agreement share") && out.contains("first order"), "{out}");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("sensitivity.json")).unwrap()).unwrap();
    let s = &v["sensitivity"];
    let failure = s["outputs"].as_array().unwrap().iter().find(|o| o["output"] == "failure").unwrap();
    let top = failure["ranking"][0].as_u64().unwrap() as usize;
    assert_eq!(s["factors"][top]["path"], "actors.russia.reservation");
    let total = &failure["indices"][top]["total"];
    let ci = total["ci95"].as_array().unwrap();
    assert!(ci[0].as_f64().unwrap() > 0.1, "its total index is clearly above 0: {total}");
    let second = failure["ranking"][1].as_u64().unwrap() as usize;
    assert_eq!(s["factors"][second]["path"], "scenario.breakdown_hazard");
    // The tornado: the higher Russia rates war, the more failures.
    let bar = &failure["tornado"][top];
    assert!(bar["high"]["value"].as_f64().unwrap() > bar["low"]["value"].as_f64().unwrap() + 0.05);
    let mut r = csv::Reader::from_path(dir.join("sensitivity.csv")).unwrap();
    assert_eq!(&r.headers().unwrap()[0], "output");
    let factors = s["factors"].as_array().unwrap().len();
    assert!(factors >= 8, "every uncertain number is a factor: {factors}");
    assert_eq!(r.records().count(), 4 * factors, "4 outputs x {factors} uncertain numbers");
}

#[test]
fn reasoning_geneva_failures_are_ranked_with_private_information_first() {
    // With reasoning agents (the baseline), among the uncertain numbers the
    // talks that fail are most those where Russia privately rates its
    // outside option high: Fearon's private information, not the hazard.
    // (The red lines' real-or-bluff draws are not numbers, so not factors.)
    let dir = fresh_path("geneva-reasoning");
    sensitivity(&dir, &["--no-plots", "--quiet"]);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("sensitivity.json")).unwrap()).unwrap();
    let s = &v["sensitivity"];
    let failure = s["outputs"].as_array().unwrap().iter().find(|o| o["output"] == "failure").unwrap();
    let top = failure["ranking"][0].as_u64().unwrap() as usize;
    assert_eq!(s["factors"][top]["path"], "actors.russia.reservation");
    let total = &failure["indices"][top]["total"];
    assert!(total["ci95"][0].as_f64().unwrap() > 0.1, "Russia's perceived outside option leads: {total}");
}

#[test]
fn sensitivity_does_not_depend_on_threads_and_writes_its_plots() {
    let (a, b) = (fresh_path("t1"), fresh_path("t2"));
    sensitivity(&a, &["--threads", "1", "--quiet", "--samples", "300"]);
    sensitivity(&b, &["--threads", "2", "--quiet", "--samples", "300", "--no-plots"]);
    for f in ["sensitivity.csv", "sensitivity.json"] {
        assert_eq!(std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap(), "{f}");
    }
    for f in ["tornado.svg", "tornado.png", "sobol.svg", "sobol.png"] {
        assert!(a.join(f).exists(), "{f}");
    }
}

#[test]
fn param_ranges_add_factors_and_bad_ones_are_refused() {
    let dir = fresh_path("param");
    sensitivity(
        &dir,
        &["--quiet", "--no-plots", "--samples", "200", "--runs", "200", "--param", "actors.usa.discount=0.9:0.99"],
    );
    let text = std::fs::read_to_string(dir.join("sensitivity.csv")).unwrap();
    assert!(text.contains("actors.usa.discount") && text.contains("United States' discount factor"), "{text}");
    let o = brink(&["sensitivity", "geneva-2022", "--param", "actors.usa.discount=0.99:0.9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("LO < HI"));
    let o = brink(&["sensitivity", "rubinstein"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no uncertain numbers"));
}
