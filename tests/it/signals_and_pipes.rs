//! Issue 14, signals and pipes: SIGTERM and SIGHUP stop a run like Ctrl-C
//! (exit 143 and 129, previous results intact, staging removed); a closed
//! stdout or a full disk ends brink with one line, never a panic.

#![cfg(unix)]

use crate::common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::*;

fn interrupt_with(signal: &str, code: i32) {
    let dir = scratch(&format!("signal-{signal}"));
    let o = brink_in(&dir, &["run", "logrolling", "--runs", "100", "--no-plots", "--quiet", "--out", "res"]);
    assert!(o.status.success());
    let before = snapshot(&dir);
    let child = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(["run", "logrolling", "--runs", "2000000000", "--no-plots", "--out", "res"])
        .current_dir(&dir)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    assert!(Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status().unwrap().success());
    let o = child.wait_with_output().unwrap();
    assert_refused(&o, code, &format!("interrupted by SIG{signal}"));
    assert_kept(&before, &dir);
    assert_eq!(snapshot(&dir).len(), before.len(), "no staging folder is left behind");
}

#[test]
fn issue_14_sigterm_stops_like_ctrl_c() {
    interrupt_with("TERM", 143);
}

#[test]
fn issue_14_sighup_stops_like_ctrl_c() {
    interrupt_with("HUP", 129);
}

#[test]
fn issue_14_a_closed_stdout_is_one_line_not_a_panic() {
    let dir = scratch("pipe");
    let text = std::fs::read_to_string(root().join("scenarios/rubinstein.toml")).unwrap();
    std::fs::write(dir.join("big.toml"), text.replace("steps = 101", "steps = 20000")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(["analyze", "big.toml", "--json", "--no-plots"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take()); // like `| head -c 16`
    let o = child.wait_with_output().unwrap();
    assert_refused(&o, 141, "stdout was closed");
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
}

#[cfg(target_os = "linux")]
#[test]
fn issue_14_a_full_disk_is_one_line_not_a_panic() {
    let full = std::fs::File::create("/dev/full").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_brink")).args(["check", "geneva-2022"]).stdout(full).output().unwrap();
    assert_refused(&o, 1, "cannot write to stdout");
    assert_eq!(stderr(&o).lines().count(), 1);
}

/// Starts brink with `args` in `dir`, sends SIGTERM after `after_ms`, and
/// checks it stopped within 20 s (killed at 60 s, so a hang fails rather
/// than blocks) with exit 143, saying `what` was under way, writing nothing.
fn stops_on_sigterm(dir: &std::path::Path, args: &[&str], after_ms: u64, what: &str) {
    let before = snapshot(dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(after_ms));
    assert!(child.try_wait().unwrap().is_none(), "brink {args:?} ended before the signal: make its work longer");
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let sent = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() && sent.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let waited = sent.elapsed();
    child.kill().ok();
    let o = child.wait_with_output().unwrap();
    assert!(waited.as_secs() < 20, "brink {args:?} took {waited:?} to stop after SIGTERM");
    assert_refused(&o, 143, "interrupted by SIGTERM");
    assert!(stderr(&o).contains(what), "{}", stderr(&o));
    assert_kept(&before, dir);
    assert_eq!(snapshot(dir).len(), before.len(), "nothing written, no staging folder left");
}

#[test]
fn sigterm_during_a_repeated_game_tournament_did_not_stop_it_within_20_s() {
    let dir = scratch("sigterm-round-robin");
    let file = root().join("scenarios/tournaments/axelrod-pd.toml");
    let args = ["tournament", file.to_str().unwrap(), "--turns", "1000000", "--repetitions", "1000", "--out", "res"];
    stops_on_sigterm(&dir, &args, 1500, "repetitions");
}

#[test]
fn sigterm_during_a_tournaments_evolution_did_not_stop_it() {
    let dir = scratch("sigterm-evolution");
    let game = root().join("scenarios/games/prisoners-dilemma.toml");
    let text = std::fs::read_to_string(root().join("scenarios/tournaments/axelrod-pd.toml"))
        .unwrap()
        .replace("../games/prisoners-dilemma.toml", game.to_str().unwrap())
        .replace("moran_runs = 1000 ", "moran_runs = 10000000 ")
        .replace("moran_per_strategy = 5", "moran_per_strategy = 1000");
    std::fs::write(dir.join("long-evolution.toml"), text).unwrap();
    let args = ["tournament", "long-evolution.toml", "--turns", "10", "--repetitions", "2", "--out", "res"];
    stops_on_sigterm(&dir, &args, 1500, "during evolution");
}

#[test]
fn sigterm_during_sensitivitys_bootstrap_did_not_stop_it() {
    let dir = scratch("sigterm-bootstrap");
    // The runs take a fraction of a second; 10,000 resamples of 20,000
    // samples take many seconds.
    let args =
        ["sensitivity", "logrolling", "--samples", "20000", "--bootstrap", "10000", "--no-plots", "--out", "res"];
    stops_on_sigterm(&dir, &args, 3000, "during the bootstrap");
}
