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

/// Every file under `dir` (recursively) whose name ends with `ext`.
fn files_under(dir: &std::path::Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if p.to_string_lossy().ends_with(ext) {
            out.push(p);
        }
    }
}

/// One quantity, what an actor expects if the talks fail, had five names
/// (reservation value, perceived conflict value, perceived outside option,
/// d, walk-away threshold). docs/model.md's glossary names it once; the
/// retired names must not come back in the docs, the scenarios or the
/// program's text.
#[test]
fn the_reservation_value_went_by_five_names() {
    let mut files = vec![root().join("README.md")];
    files_under(&root().join("docs"), ".md", &mut files);
    files_under(&root().join("scenarios"), ".toml", &mut files);
    files_under(&root().join("src"), ".rs", &mut files);
    let retired = ["perceived conflict value", "perceived outside option", "walk-away threshold", "outside option"];
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (k, line) in text.lines().enumerate() {
            // The glossary names what it replaces.
            if line.contains("Not \"outside option\"") {
                continue;
            }
            for name in retired {
                if line.to_lowercase().contains(name) {
                    found.push(format!("{}:{}: {name}", f.display(), k + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "retired names for the reservation value:\n{}", found.join("\n"));
    let glossary = std::fs::read_to_string(root().join("docs/model.md")).unwrap();
    assert!(glossary.contains("## Glossary") && glossary.contains("| **reservation value** | `r_a` |"));
    assert!(glossary.contains("| **accidental breakdown** |"));
}

/// docs/teaching.md ran 1–7, then "Play first", 9, "Further reading", 8.
/// The lesson reads in order: play first (before segment 1), segments in
/// number order, further reading last; and it opens with Fearon's model.
#[test]
fn the_lesson_plan_ran_out_of_order() {
    let doc = std::fs::read_to_string(root().join("docs/teaching.md")).unwrap();
    let mut in_code = false;
    let mut headings = Vec::new();
    for line in doc.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && let Some(h) = line.strip_prefix("## ") {
            headings.push(h.to_string());
        }
    }
    let numbers: Vec<f64> = headings
        .iter()
        .filter_map(|h| {
            let n = h.split('.').next()?;
            let (digits, b) = n.split_at(n.find(|c: char| !c.is_ascii_digit()).unwrap_or(n.len()));
            // "2b" sorts just after 2.
            digits.parse::<f64>().ok().map(|x| if b == "b" { x + 0.5 } else { x })
        })
        .collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "segments out of order: {headings:?}");
    assert_eq!(numbers.first(), Some(&1.0));
    assert_eq!(headings.last().map(String::as_str), Some("Further reading"), "{headings:?}");
    let play_first = headings.iter().position(|h| h.starts_with("Play first")).expect("a play-first section");
    let one = headings.iter().position(|h| h.starts_with("1. ")).unwrap();
    assert!(play_first < one, "play first comes before segment 1, as the plan says");
    let segment_one = &doc[doc.find("## 1. ").unwrap()..];
    let first_command = &segment_one[segment_one.find("```").unwrap()..];
    assert!(first_command.lines().nth(1) == Some("brink analyze fearon"), "segment 1 opens with fearon.toml");
}

#[test]
fn the_documented_classroom_moves_csv_header_is_the_written_one() {
    let written = brink::report::classroom_moves::csv(&[]).unwrap();
    assert_eq!(documented_header("`moves.csv` (and `moves.json`"), written.trim_end());
}
