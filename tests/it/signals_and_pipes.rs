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
