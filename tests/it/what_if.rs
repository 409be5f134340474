//! Overrides, variants, sweeps and comparisons (issue 5).

use crate::common;
use common::*;

use brink::montecarlo::{RunConfig, simulate};
use brink::scenario::{self, Adjustments, overrides::parse_override};

fn csv_rows(path: &std::path::Path) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r.headers().unwrap().iter().map(String::from).collect();
    (header, r.records().map(|x| x.unwrap()).collect())
}

#[test]
fn set_reaches_the_model_and_is_recorded() {
    let v: serde_json::Value =
        serde_json::from_str(&ok(&brink(&["check", "geneva-2022", "--json", "--set", "scenario.rounds=30"]))).unwrap();
    assert_eq!(v["rounds"], 30);
    let dir = fresh_path("recorded");
    let o = brink(&[
        "run",
        "logrolling",
        "--runs",
        "100",
        "--no-plots",
        "--quiet",
        "--set",
        "actors.east.discount=0.9",
        "--out",
        dir.to_str().unwrap(),
    ]);
    ok(&o);
    let s: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(s["overrides"][0], "actors.east.discount=0.9");
}

#[test]
fn bad_override_paths_and_types_get_the_promised_messages() {
    let cases: &[(&[&str], &str)] = &[
        (&["--set", "actors.usa.discont=0.5"], "no such key `actors.usa.discont`"),
        (&["--set", "actors.usa.discont=0.5"], "did you mean `discount`?"),
        (&["--set", "actors.usb.discount=0.5"], "nearest valid paths: actors.usa.discount"),
        (&["--set", "scenario.rounds=\"ten\""], "expected a whole number, found a string"),
        (&["--set", "scenario.rounds=\"ten\""], "in --set scenario.rounds=\"ten\""),
        (&["--set", "actors.usa.discount=1.5"], "expected a discount factor in (0, 1], found 1.5"),
        (&["--set", "actors.usa.strategy=boulware"], "strings need quotes"),
        (&["--set", "scenario.rounds"], "PATH=VALUE"),
        (&["--set", "disagreement[7].probability=0.1"], "index 7 is out of range"),
        (&["--set", "scenario.name.x=1"], "is a string, so `scenario.name.x` cannot be set"),
        (&["--set", "scenario.name.x.y=1"], "`scenario.name` is a string, not a table"),
        (&["--variant", "hardline"], "did you mean `hard-line`?"),
    ];
    for (extra, fragment) in cases {
        let mut args = vec!["check", "geneva-2022"];
        args.extend_from_slice(extra);
        let o = brink(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(fragment), "{args:?}: expected {fragment:?} in\n{err}");
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn a_variant_that_breaks_the_scenario_is_caught_by_check() {
    let dir = fresh_path("badvariant");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("s.toml");
    let text = scenario::find_builtin("geneva-2022").unwrap().text.to_string()
        + "\n[variants.broken]\ndescription = \"x\"\n\"actors.usa.discount\" = 7\n";
    std::fs::write(&file, text).unwrap();
    let o = brink(&["check", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("found 7") && err.contains("s.toml:"), "{err}");
}

#[test]
fn common_random_numbers_a_point_equal_to_the_baseline_reproduces_it() {
    let text = scenario::find_builtin("logrolling").unwrap().text;
    let (_, base) = scenario::load_bytes("l", text.as_bytes()).unwrap();
    // The file's own value, set explicitly: the same model, the same runs.
    let adj =
        Adjustments { variants: Vec::new(), overrides: vec![parse_override("actors.east.strategy.beta=0.5").unwrap()] };
    let (_, same) = scenario::load_bytes_adjusted("l", text.as_bytes(), &adj).unwrap();
    let config = RunConfig { seed: 4, runs: 0..3000, keep_runs: false, causes: false };
    assert_eq!(simulate(&base, &config, |_| true), simulate(&same, &config, |_| true));

    // And through the binary: the sweep row equals the run's summary.
    let (run_dir, sweep_dir) = (fresh_path("crn-run"), fresh_path("crn-sweep"));
    ok(&brink(&[
        "run",
        "logrolling",
        "--runs",
        "3000",
        "--seed",
        "4",
        "--no-plots",
        "--quiet",
        "--out",
        run_dir.to_str().unwrap(),
    ]));
    ok(&brink(&[
        "sweep",
        "logrolling",
        "--param",
        "actors.east.strategy.beta=0.25,0.5",
        "--runs",
        "3000",
        "--seed",
        "4",
        "--no-plots",
        "--quiet",
        "--out",
        sweep_dir.to_str().unwrap(),
    ]));
    let s: serde_json::Value = serde_json::from_slice(&std::fs::read(run_dir.join("summary.json")).unwrap()).unwrap();
    let (header, rows) = csv_rows(&sweep_dir.join("sweep.csv"));
    let col = header.iter().position(|h| h == "end:agreement").unwrap();
    let at_baseline: f64 = rows[1][col].parse().unwrap();
    assert_eq!(at_baseline, s["summary"]["ends"][0]["share"].as_f64().unwrap());
}

#[test]
fn a_bad_grid_value_is_blamed_on_param() {
    let o = brink(&["sweep", "geneva-2022", "--param", "actors.usa.discount=0.5:1.5:3", "--runs", "10", "--no-plots"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("in --param actors.usa.discount=1.5"), "{err}");
}

#[test]
fn a_more_conceding_agent_agrees_earlier() {
    let dir = fresh_path("beta");
    ok(&brink(&[
        "sweep",
        "logrolling",
        "--set",
        "actors.west.strategy={ kind = \"time\", beta = 1.0 }",
        "--param",
        "actors.west.strategy.beta=0.1,1,5",
        "--runs",
        "2000",
        "--no-plots",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]));
    let (header, rows) = csv_rows(&dir.join("sweep.csv"));
    assert_eq!(header[0], "actors.west.strategy.beta");
    assert_eq!(header[1], "runs");
    assert_eq!(&header[2..5], ["end:agreement", "end:agreement:ci_low", "end:agreement:ci_high"]);
    // The levels end with mean_round; the differences from the first
    // point follow (issue 13), ending with the kind of their intervals.
    let at = header.iter().position(|h| h == "mean_round").expect("a mean_round column");
    assert_eq!(header[at + 1], "diff:end:agreement");
    assert_eq!(header.last().unwrap(), "diff_interval");
    let rounds: Vec<f64> = rows.iter().map(|r| r[at].parse().unwrap()).collect();
    assert!(rounds[0] > rounds[1] && rounds[1] > rounds[2], "mean round should fall as beta rises: {rounds:?}");
}

#[test]
fn compare_runs_baseline_and_variants_with_differences() {
    let dir = fresh_path("compare");
    let out = ok(&brink(&[
        "compare",
        "geneva-2022",
        "--variant",
        "hard-line",
        "--variant",
        "clear-eyed",
        "--runs",
        "2000",
        "--no-plots",
        "--out",
        dir.to_str().unwrap(),
    ]));
    assert!(out.contains("[1] hard-line") && out.contains("Difference from the baseline"), "{out}");
    let (header, rows) = csv_rows(&dir.join("compare.csv"));
    assert_eq!(
        header,
        [
            "arm",
            "description",
            "kind",
            "label",
            "value",
            "ci_low",
            "ci_high",
            "diff",
            "diff_ci_low",
            "diff_ci_high",
            "diff_interval",
            "switched_out",
            "switched_in",
            "mcnemar_p"
        ]
    );
    // 4 ends + 3 disagreement outcomes + 2 payoff means + the mean round,
    // then why the talks failed: geneva-2022's 7 mechanisms, overdetermined
    // and none; for 3 arms.
    assert_eq!(rows.len(), (10 + 9) * 3);
    for r in rows.iter().filter(|r| &r[0] == "baseline") {
        for col in 7..10 {
            assert_eq!(r[col].parse::<f64>().unwrap(), 0.0, "the baseline differs from itself by exactly 0");
        }
    }
    let o = brink(&["compare", "rubinstein"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("declares no [variants]"));
}

#[test]
fn compare_several_files() {
    let dir = fresh_path("files");
    let manifest = env!("CARGO_MANIFEST_DIR");
    let a = format!("{manifest}/scenarios/logrolling.toml");
    let out = ok(&brink(&["compare", &a, &a, "--runs", "500", "--no-plots", "--out", dir.to_str().unwrap()]));
    assert!(out.contains("[1] logrolling"), "{out}");
}

#[test]
fn free_text_in_csvs_survives_commas_quotes_and_newlines() {
    let dir = fresh_path("quoting");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("s.toml");
    let description = "Sanctions, \\\"smart\\\" ones;\\nsecond line";
    let text = scenario::find_builtin("logrolling").unwrap().text.to_string()
        + &format!("\n[variants.odd]\ndescription = \"{description}\"\n\"actors.east.discount\" = 0.9\n");
    std::fs::write(&file, text).unwrap();
    let out = dir.join("out");
    ok(&brink(&[
        "compare",
        file.to_str().unwrap(),
        "--runs",
        "200",
        "--no-plots",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]));
    let (_, rows) = csv_rows(&out.join("compare.csv"));
    let odd = rows.iter().find(|r| &r[0] == "odd").expect("a row for the variant");
    assert_eq!(&odd[1], "Sanctions, \"smart\" ones;\nsecond line");
}

#[test]
fn sweep_and_compare_speak_json() {
    let dir = fresh_path("json");
    let v: serde_json::Value = serde_json::from_str(&ok(&brink(&[
        "sweep",
        "logrolling",
        "--param",
        "actors.east.discount=0.9,0.95",
        "--runs",
        "300",
        "--no-plots",
        "--json",
        "--out",
        dir.join("s").to_str().unwrap(),
    ])))
    .unwrap();
    assert_eq!(v["points"].as_array().unwrap().len(), 2);
    assert_eq!(v["points"][1]["values"][0], 0.95);
    let v: serde_json::Value = serde_json::from_str(&ok(&brink(&[
        "compare",
        "geneva-2022",
        "--variant",
        "hard-line",
        "--runs",
        "300",
        "--no-plots",
        "--json",
        "--out",
        dir.join("c").to_str().unwrap(),
    ])))
    .unwrap();
    assert_eq!(v["arms"][1]["name"], "hard-line");
    assert!(v["rows"].as_array().unwrap().len() >= 9);
}
