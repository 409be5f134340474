//! Issue 14, resource bounds: limits checked before work starts, each
//! refused with exit 2 and a message naming the limit, no file touched.

use crate::common;

use common::*;

fn refused(name: &str, args: &[&str], fragment: &str) {
    let dir = scratch(name);
    copy_scenario("logrolling", &dir, "s.toml");
    let before = snapshot(&dir);
    let o = brink_in(&dir, args);
    assert_refused(&o, 2, fragment);
    assert_kept(&before, &dir);
    assert_eq!(snapshot(&dir).len(), before.len(), "nothing written");
}

#[cfg(unix)]
#[test]
fn issue_14_an_endless_input_is_cut_at_the_byte_cap() {
    refused("dev-zero", &["check", "/dev/zero"], "limited to 10485760 bytes");
    refused("dev-zero-game", &["solve", "/dev/zero"], "larger than the limit");
}

#[test]
fn issue_14_too_many_threads_are_refused_before_spawning() {
    refused(
        "threads",
        &["run", "s.toml", "--threads", "100000", "--runs", "10"],
        "'100000' for '--threads <THREADS>': above the limit of 1024",
    );
}

#[test]
fn threads_100000_aborted_sensitivity_and_failed_tournament_with_exit_1() {
    refused(
        "threads-sens",
        &["sensitivity", "s.toml", "--threads", "100000", "--samples", "10"],
        "above the limit of 1024",
    );
    let game = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/tournaments/axelrod-pd.toml");
    refused("threads-tour", &["tournament", game, "--threads", "100000"], "above the limit of 1024");
}

#[test]
fn issue_14_a_huge_grid_is_refused_before_compiling_it() {
    let a = "actors.west.discount=0.5:0.99:10000";
    let b = "actors.east.cost_per_round=0:0.01:10000";
    refused("grid", &["sweep", "s.toml", "--param", a, "--param", b, "--runs", "10"], "above the limit of 10000");
}

#[test]
fn issue_14_sweep_refuses_a_parameter_given_twice() {
    let args = ["sweep", "s.toml", "--param", "scenario.rounds=5,10", "--param", "scenario.rounds=7", "--runs", "10"];
    refused("dup-param", &args, "given twice");
}

#[test]
fn issue_14_shard_counts_are_bounded() {
    refused(
        "shards",
        &["run", "s.toml", "--shard", "1/18446744073709551615", "--runs", "10"],
        "at most 1000000 shards",
    );
}

#[test]
fn issue_14_compare_arms_of_one_name_are_told_apart_or_refused() {
    let dir = scratch("arms");
    copy_scenario("logrolling", &dir, "s.toml");
    let o = brink_in(&dir, &["compare", "s.toml", "s.toml", "--runs", "20", "--no-plots", "--quiet", "--out", "c"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(dir.join("c/compare.csv")).unwrap();
    assert!(csv.contains("\ns.toml-1,") || csv.contains("\ns-1,"), "{csv}");
    assert!(csv.contains("\ns-2,"), "{csv}");
    let args = ["compare", "geneva-2022", "--variant", "hard-line", "--variant", "hard-line", "--runs", "10"];
    refused("arms-twice", &args, "two arms are named `hard-line`");
}
