//! The file formats as documented are the files as written: the headers
//! shown in docs/output-formats.md are compared with the headers brink
//! writes, so the docs cannot drift from the program again.

use crate::common;

use common::*;

/// The first line of the code block that follows `marker` in
/// docs/output-formats.md.
fn documented_header(marker: &str) -> String {
    let doc = std::fs::read_to_string(root().join("docs/output-formats.md")).unwrap();
    let after = &doc[doc.find(marker).unwrap_or_else(|| panic!("{marker:?} is gone from the docs"))..];
    let block = &after[after.find("```").expect("a code block follows") + 3..];
    block.lines().nth(1).expect("a header line").trim().to_string()
}

fn written_header(args: &[&str], file: &str) -> String {
    let out = fresh_path(&file.replace('.', "-"));
    ok(&brink(&[args, &["-q", "--no-plots", "--out", out.to_str().unwrap()]].concat()));
    std::fs::read_to_string(out.join(file)).unwrap().lines().next().unwrap().to_string()
}

#[test]
fn the_documented_runs_csv_header_lacked_the_ladder_and_failure_cause_columns() {
    let written = written_header(&["run", "geneva-2022", "--runs", "2", "--per-run"], "runs.csv");
    assert_eq!(documented_header("The header for `geneva-2022`:"), written);
}

#[test]
fn the_documented_compare_csv_header_is_the_written_one() {
    let written = written_header(&["compare", "geneva-2022", "--variant", "clear-eyed", "--runs", "10"], "compare.csv");
    assert_eq!(documented_header("Excerpt (`brink compare geneva-2022 --variant clear-eyed`):"), written);
}

#[test]
fn the_documented_sweep_csv_header_is_the_written_one() {
    let grid = "actors.usa.strategy.beta=0.1,0.2,0.4,0.7,1,2,3,5";
    let args = ["sweep", "geneva-2022", "--variant", "clock-driven", "--param", grid, "--runs", "10"];
    let written = written_header(&args, "sweep.csv");
    assert_eq!(documented_header("The full header for that sweep:"), written);
}
