//! The `brink` binary as a user runs it: exit statuses, messages, output.

use std::process::{Command, Output};

fn brink(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the brink binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_explains_and_shows_examples() {
    let o = brink(&["--help"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("Examples:"));
    for sub in ["run", "check", "trace", "analyze", "sweep", "compare", "solve", "merge", "scenarios", "play", "class"]
    {
        let o = brink(&[sub, "--help"]);
        assert!(o.status.success());
        let text = stdout(&o);
        assert!(
            text.contains("Example") && text.contains(&format!("brink {sub} ")),
            "{sub} --help lacks an example:\n{text}"
        );
    }
}

#[test]
fn check_accepts_every_shipped_scenario() {
    for name in ["geneva-2022", "rubinstein", "logrolling"] {
        let path = format!("scenarios/{name}.toml");
        let o = brink(&["check", &path]);
        assert!(o.status.success(), "{path}: {}", stderr(&o));
        assert!(stdout(&o).contains("is a valid scenario"));
    }
}

#[test]
fn check_summary_snapshot() {
    let o = brink(&["check", "rubinstein"]);
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn check_reports_problems_with_location_and_exit_status_2() {
    let dir = std::env::temp_dir().join(format!("brink-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    let text =
        std::fs::read_to_string("scenarios/rubinstein.toml").unwrap().replace("discount = 0.9 ", "discount = 1.9 ");
    std::fs::write(&bad, text).unwrap();
    let o = brink(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad.toml:26:"), "{err}");
    assert!(err.contains("actors.first.discount"), "{err}");
    assert!(err.contains("1 problem found"), "{err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "{err}");

    let o = brink(&["check", bad.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON on stdout");
    assert_eq!(v["valid"], false);
    assert_eq!(v["problems"][0]["line"], 26);
    assert_eq!(v["problems"][0]["path"], "actors.first.discount");
}

#[test]
fn missing_file_is_a_clear_error() {
    let o = brink(&["check", "no/such/file.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no such file"), "{}", stderr(&o));
    let o = brink(&["trace", "genva-2022"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("built-ins: geneva-2022"), "{}", stderr(&o));
}

#[test]
fn trace_is_reproducible_and_explains_each_move() {
    let a = brink(&["trace", "scenarios/geneva-2022.toml", "--seed", "7"]);
    let b = brink(&["trace", "scenarios/geneva-2022.toml", "--seed", "7"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let text = stdout(&a);
    for needle in
        ["Round  0", "proposes", "target", "Numbers drawn for this run", "Outcome:", "Payoffs after discounting"]
    {
        assert!(text.contains(needle), "transcript lacks {needle:?}:\n{text}");
    }
    let c = brink(&["trace", "scenarios/geneva-2022.toml", "--seed", "8"]);
    assert_ne!(a.stdout, c.stdout);
}

#[test]
fn trace_json_carries_events_and_outcome() {
    let o = brink(&["trace", "rubinstein", "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["outcome"]["end"], "agreement");
    assert_eq!(v["outcome"]["round"], 0);
    assert_eq!(v["outcome"]["agreement"]["share"], "0.71");
    assert_eq!(v["events"][0]["event"], "proposal");
    assert_eq!(v["events"][1]["response"], "accept");
}

#[test]
fn trace_text_snapshot() {
    let o = brink(&["trace", "rubinstein"]);
    insta::assert_snapshot!(stdout(&o));
}
