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
    let subcommands = [
        "run",
        "check",
        "trace",
        "analyze",
        "sweep",
        "compare",
        "solve",
        "merge",
        "scenarios",
        "play",
        "class",
        "sensitivity",
        "tournament",
    ];
    for sub in subcommands {
        let o = brink(&[sub, "--help"]);
        assert!(o.status.success());
        let text = stdout(&o);
        assert!(
            text.contains("Example") && text.contains(&format!("brink {sub} ")),
            "{sub} --help lacks an example:\n{text}"
        );
        // Each example on its own line: clap joins doc lines into one
        // paragraph unless the command keeps them verbatim (play's two
        // examples once ran together).
        for line in text.lines() {
            let calls = line.matches(&format!("brink {sub} ")).count();
            assert!(calls <= 1, "{sub} --help runs examples together:\n{line}");
        }
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

/// Runs brink in `dir` (so default output folders land there).
fn brink_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brink")).args(args).current_dir(dir).output().expect("the brink binary runs")
}

#[test]
fn issue_16_command_line_niceties() {
    // A transposed subcommand gets a suggestion; `analyse` is `analyze`.
    let o = brink(&["rnu"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("a similar subcommand exists: 'run'"), "{}", stderr(&o));
    let o = brink(&["analyse", "rubinstein", "--no-plots"]);
    assert!(o.status.success() && stdout(&o).contains("x* = 0.714"), "{}", stderr(&o));
    // Completions and a man page from the clap definitions.
    let o = brink(&["completions", "bash"]);
    assert!(o.status.success() && stdout(&o).contains("compare") && stdout(&o).contains("--runs"));
    let o = brink(&["man"]);
    assert!(o.status.success() && stdout(&o).contains(".TH brink 1") && stdout(&o).contains("brink sweep"));
    // `brink solve x.efg` reads game trees since issue 11 (tested there).
    // compare --help shows its examples one per line.
    let help = stdout(&brink(&["compare", "--help"]));
    assert!(help.contains("\n  brink compare geneva-2022\n"), "{help}");
    // A bad --set value in --json is not reported at line 1, column 1.
    let o = brink(&["check", "geneva-2022", "--set", "actors.usa.discount=1.5", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let p = &v["problems"][0];
    assert!(p["line"].is_null() && p["origin"] == "--set actors.usa.discount=1.5", "{v}");
}

#[test]
fn issue_16_variant_and_override_runs_get_their_own_folder() {
    let dir = std::env::temp_dir().join(format!("brink-i16-folders-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "geneva-2022", "--runs", "50", "--no-plots"];
        args.extend_from_slice(extra);
        let o = brink_in(&dir, &args);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let base = run(&[]);
    assert!(base.contains("Wrote outputs/geneva-2022/"), "{base}");
    let variant = run(&["--variant", "clear-eyed"]);
    assert!(variant.contains("Wrote outputs/geneva-2022@clear-eyed/"), "{variant}");
    let set = run(&["--set", "actors.usa.discount=0.99"]);
    assert!(set.contains("Wrote outputs/geneva-2022+"), "{set}");
    let folders = std::fs::read_dir(dir.join("outputs")).unwrap().count();
    assert_eq!(folders, 3, "the baseline's folder was not replaced");
}
