//! Issue 14, data loss: brink deletes or replaces only what it can prove it
//! wrote. Every case asserts the exit status, the message, and that every
//! file the user had is byte-identical afterwards.

use crate::common;

use std::fs;

use common::*;

fn run_into(dir: &std::path::Path, scenario: &str, out: &str) -> std::process::Output {
    brink_in(dir, &["run", scenario, "--out", out, "--runs", "50", "--no-plots", "--quiet"])
}

#[test]
fn issue_14_merge_refuses_to_write_into_the_folder_it_reads() {
    let dir = scratch("merge-self");
    copy_scenario("logrolling", &dir, "s.toml");
    for k in ["1/2", "2/2"] {
        let o = brink_in(&dir, &["run", "s.toml", "--runs", "50", "--shard", k, "--out", "res", "--quiet"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let before = snapshot(&dir);
    let o = brink_in(&dir, &["merge", "res", "--out", "res", "--quiet"]);
    assert_refused(&o, 2, "is an input of this command");
    assert_kept(&before, &dir);
}

#[test]
fn issue_14_run_refuses_an_output_folder_holding_its_scenario() {
    let dir = scratch("run-self");
    copy_scenario("logrolling", &dir, "my.toml");
    assert!(run_into(&dir, "my.toml", "res").status.success());
    fs::copy(dir.join("my.toml"), dir.join("res/my.toml")).unwrap();
    let before = snapshot(&dir);
    let o = run_into(&dir, "res/my.toml", "res");
    assert_refused(&o, 2, "an input of this command");
    assert_kept(&before, &dir);
}

#[test]
fn issue_14_a_brink_folder_that_gained_a_users_file_is_not_replaced() {
    let dir = scratch("gained");
    copy_scenario("logrolling", &dir, "s.toml");
    assert!(run_into(&dir, "s.toml", "res").status.success());
    fs::write(dir.join("res/notes.md"), "my notes").unwrap();
    let before = snapshot(&dir);
    let o = run_into(&dir, "s.toml", "res");
    assert_refused(&o, 2, "notes.md");
    assert_kept(&before, &dir);
    // Without the user's file the folder is brink's again and is replaced.
    fs::remove_file(dir.join("res/notes.md")).unwrap();
    assert!(run_into(&dir, "s.toml", "res").status.success());
}

#[test]
fn issue_14_solve_never_writes_onto_the_game_it_reads() {
    let dir = scratch("to-nfg");
    fs::copy(root().join("scenarios/games/chicken.toml"), dir.join("game.toml")).unwrap();
    fs::write(dir.join("notes.txt"), "not a game").unwrap();
    let before = snapshot(&dir);
    let o = brink_in(&dir, &["solve", "game.toml", "--to-nfg", "game.toml"]);
    assert_refused(&o, 2, "the game file being read");
    let o = brink_in(&dir, &["solve", "game.toml", "--to-nfg", "notes.txt"]);
    assert_refused(&o, 2, "not a .nfg or .efg game file");
    assert_kept(&before, &dir);
    let o = brink_in(&dir, &["solve", "game.toml", "--to-nfg", "game.nfg"]);
    assert!(o.status.success());
    let o = brink_in(&dir, &["solve", "game.nfg", "--to-nfg", "game.nfg"]);
    assert_refused(&o, 2, "the game file being read");
}

#[cfg(unix)]
#[test]
fn issue_14_a_symlinked_out_is_followed_never_replaced() {
    let dir = scratch("symlink");
    copy_scenario("logrolling", &dir, "s.toml");
    fs::create_dir(dir.join("real")).unwrap();
    std::os::unix::fs::symlink(dir.join("real"), dir.join("link")).unwrap();
    let o = run_into(&dir, "s.toml", "link");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(fs::symlink_metadata(dir.join("link")).unwrap().file_type().is_symlink());
    assert!(dir.join("real/summary.json").exists());
    // A dangling link is refused, and stays.
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling")).unwrap();
    let before = snapshot(&dir);
    assert_refused(&run_into(&dir, "s.toml", "dangling"), 2, "symbolic link");
    assert_kept(&before, &dir);
}

#[test]
fn issue_14_shards_refuse_a_folder_holding_another_studys_partials() {
    let dir = scratch("other-study");
    copy_scenario("logrolling", &dir, "s.toml");
    let shard = |seed: &str, k: &str| {
        brink_in(&dir, &["run", "s.toml", "--runs", "50", "--seed", seed, "--shard", k, "--out", "sh", "--quiet"])
    };
    assert!(shard("1", "1/2").status.success());
    let before = snapshot(&dir);
    assert_refused(&shard("2", "1/2"), 2, "a different seed");
    assert_refused(&shard("2", "2/2"), 2, "another job");
    assert_kept(&before, &dir);
    // The same study may re-run its own shard.
    assert!(shard("1", "1/2").status.success());
}

#[test]
fn issue_14_a_second_writer_is_refused_before_work_and_stale_leftovers_are_cleaned() {
    let dir = scratch("lock");
    copy_scenario("logrolling", &dir, "s.toml");
    assert!(run_into(&dir, "s.toml", "res").status.success());
    // A live process (this test) holds the lock: refused, nothing touched.
    let host = fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    fs::write(dir.join(".res.lock"), format!("{} {}", std::process::id(), host.trim())).unwrap();
    let before = snapshot(&dir);
    assert_refused(&run_into(&dir, "s.toml", "res"), 2, "is writing");
    assert_kept(&before, &dir);
    fs::remove_file(dir.join(".res.lock")).unwrap();
    if cfg!(target_os = "linux") {
        // A dead process's lock and staging folder are taken over and cleaned.
        let dead = 4_194_305u32; // above Linux's largest process id
        fs::write(dir.join(".res.lock"), format!("{dead} {}", host.trim())).unwrap();
        let staging = dir.join(format!(".res.partial-{dead}"));
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join(".brink-output"), "").unwrap();
        fs::write(staging.join("runs.csv"), "big").unwrap();
        let o = run_into(&dir, "s.toml", "res");
        assert!(o.status.success(), "{}", stderr(&o));
        let left: Vec<_> = fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(left.len(), 2, "only s.toml and res remain: {left:?}");
    }
}
