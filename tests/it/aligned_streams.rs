//! Aligned random streams (issue 32): every draw of a run comes from a stream
//! of (seed, run, purpose), so a change moves only the draws it touches.
//!
//! - The same scenario written in another order (actor blocks, keys within
//!   a table, top-level tables) gives the same runs.csv, column by column.
//! - A behaviour-neutral change (a number drawn from a one-point
//!   distribution, an uncertain number no rule uses) changes no other
//!   column of any run.
//! - A property test: in random scenarios, changing or fixing one uncertain
//!   number leaves every other number's draw as it was.

use crate::common;
use common::*;

use std::collections::BTreeMap;
use std::path::Path;

use brink::engine::RunSetup;
use brink::model::{Distribution, Shape};
use brink::rng::RunKey;
use brink::scenario::BUILTIN;
use proptest::prelude::*;

const RUNS: &str = "1500";

/// runs.csv of `brink run FILE --per-run --seed 5` plus `extra`, by column name.
fn runs_csv(file: &Path, out: &Path, extra: &[&str]) -> BTreeMap<String, Vec<String>> {
    let mut args = vec!["run", file.to_str().unwrap(), "--per-run", "--seed", "5", "--runs", RUNS, "--no-plots"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--out", out.to_str().unwrap()]);
    ok(&brink(&args));
    let mut r = csv::Reader::from_path(out.join("runs.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let mut columns: BTreeMap<String, Vec<String>> = header.iter().map(|h| (h.clone(), Vec::new())).collect();
    for record in r.records() {
        for (h, value) in header.iter().zip(record.unwrap().iter()) {
            columns.get_mut(h).unwrap().push(value.to_string());
        }
    }
    assert_eq!(columns["run"].len(), RUNS.parse::<usize>().unwrap());
    columns
}

/// Asserts two runs.csv are equal in every column but `except`, run by run.
#[track_caller]
fn same_columns(what: &str, a: &BTreeMap<String, Vec<String>>, b: &BTreeMap<String, Vec<String>>, except: &[&str]) {
    let names = |m: &BTreeMap<String, Vec<String>>| -> Vec<String> {
        m.keys().filter(|k| !except.contains(&k.as_str())).cloned().collect()
    };
    assert_eq!(names(a), names(b), "{what}: the columns differ");
    for name in names(a) {
        if let Some(run) = (0..a[&name].len()).find(|&i| a[&name][i] != b[&name][i]) {
            panic!("{what}: column {name} differs at run {run}: {} vs {}", a[&name][run], b[&name][run]);
        }
    }
}

/// The TOML table with every table's keys in reverse order, at every depth
/// (arrays keep their order: an array element's index is part of its name).
fn reversed(v: toml::Value) -> toml::Value {
    match v {
        toml::Value::Table(t) => {
            let mut entries: Vec<(String, toml::Value)> = t.into_iter().collect();
            entries.reverse();
            toml::Value::Table(entries.into_iter().map(|(k, v)| (k, reversed(v))).collect())
        }
        toml::Value::Array(a) => toml::Value::Array(a.into_iter().map(reversed).collect()),
        other => other,
    }
}

#[test]
fn the_same_scenario_written_in_another_order_gives_the_same_runs() {
    let dir = scratch("order");
    for b in BUILTIN {
        let original: toml::Value = toml::from_str(b.text).unwrap();
        // The first mover must be named: by default it is the first actor
        // in the file, and reversing the file would change the game.
        assert!(original["scenario"].get("first_mover").is_some(), "{}: name the first mover", b.name);
        let flipped = toml::to_string(&reversed(original.clone())).unwrap();
        let actors = |text: &str| {
            let v: toml::Value = toml::from_str(text).unwrap();
            v["actors"].as_table().unwrap().keys().cloned().collect::<Vec<_>>()
        };
        let mut order = actors(b.text);
        order.reverse();
        assert_eq!(actors(&flipped), order, "{}: the actor blocks trade places", b.name);
        let (file_a, file_b) = (dir.join(format!("{}.toml", b.name)), dir.join(format!("{}-flipped.toml", b.name)));
        std::fs::write(&file_a, b.text).unwrap();
        std::fs::write(&file_b, &flipped).unwrap();
        let a = runs_csv(&file_a, &dir.join(format!("{}-a", b.name)), &[]);
        let z = runs_csv(&file_b, &dir.join(format!("{}-b", b.name)), &[]);
        same_columns(b.name, &a, &z, &[]);
        if b.name == "geneva-2022" {
            // Both sides climbing: their steps shift the same conflict
            // outcomes, and the sum once followed the actors' file order
            // (the last bits of a payoff differed).
            let climbing = [
                "--set",
                r#"actors.russia.escalate={ rule = "stalled", after = 1 }"#,
                "--set",
                r#"actors.russia.strategy="boulware""#,
                "--variant",
                "early-sanctions",
            ];
            let a = runs_csv(&file_a, &dir.join("climbing-a"), &climbing);
            let z = runs_csv(&file_b, &dir.join("climbing-b"), &climbing);
            same_columns("geneva-2022, both climbing", &a, &z, &[]);
        }
    }
}

#[test]
fn a_number_drawn_from_a_one_point_distribution_changes_no_other_column() {
    let dir = scratch("neutral");
    let file = root().join("scenarios/geneva-2022.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\ndiscount = 0.97\n"), "the US discount is fixed at 0.97 in geneva-2022");
    let base = runs_csv(&file, &dir.join("base"), &[]);
    let drawn = runs_csv(&file, &dir.join("drawn"), &["--set", "actors.usa.discount={uniform=[0.97,0.97]}"]);
    assert!(!base.contains_key("actors.usa.discount") && drawn.contains_key("actors.usa.discount"));
    same_columns("one-point distribution", &base, &drawn, &["actors.usa.discount"]);
    // And the outcome columns are not all alike, so the test can see a change.
    assert!(base["end"].iter().any(|e| e != &base["end"][0]), "geneva-2022's runs end in more than one way");
}

#[test]
fn an_uncertain_number_no_rule_uses_changes_no_other_column() {
    let dir = scratch("unused");
    let file = root().join("scenarios/geneva-2022.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    // A conflict outcome that never happens, with uncertain payoffs.
    let extra = "\n[[disagreement]]\nid = \"never\"\nname = \"Never\"\nprobability = 0.0\n\
                 payoffs = { usa = { uniform = [0.0, 1.0] }, russia = { uniform = [0.0, 1.0] } }\n";
    let (with_extra, plain) = (dir.join("extra.toml"), dir.join("plain.toml"));
    let lotteries = text.matches("[[disagreement]]").count();
    // Append it after the last disagreement outcome.
    let cut = text.rfind("[[disagreement]]").unwrap();
    let end = text[cut..].find("\n[").map_or(text.len(), |i| cut + i);
    std::fs::write(&with_extra, format!("{}{extra}{}", &text[..end], &text[end..])).unwrap();
    std::fs::write(&plain, &text).unwrap();
    let a = runs_csv(&plain, &dir.join("a"), &[]);
    let b = runs_csv(&with_extra, &dir.join("b"), &[]);
    let new: Vec<String> = b.keys().filter(|k| !a.contains_key(*k)).cloned().collect();
    let path = |actor: &str| format!("disagreement[{lotteries}].payoffs.{actor}");
    assert_eq!(new, [path("russia"), path("usa")], "the new numbers are drawn and shown");
    same_columns("an unused uncertain number", &a, &b, &[&path("russia"), &path("usa")]);
}

// ---------------------------------------------------------------------------
// The property: one number changed, every other draw the same.

/// A random scenario (from the property tests' generator) with at least
/// one uncertain number.
fn scenario_with_draws() -> impl Strategy<Value = brink::model::Model> {
    crate::properties::spec()
        .prop_map(|spec| crate::properties::load(&spec).1)
        .prop_filter("some number is uncertain", |m| !m.params.uncertain.is_empty())
}

proptest! {
    #![proptest_config(crate::properties::config())]

    #[test]
    fn one_changed_number_leaves_every_other_draw_as_it_was(
        m in scenario_with_draws(),
        pick in any::<prop::sample::Index>(),
        fix in any::<bool>(),
        value in 0.0f64..1.0,
    ) {
        let i = pick.index(m.params.uncertain.len());
        let mut changed = m.clone();
        let target = changed.params.uncertain[i].id;
        if fix {
            // The number becomes fixed: every later number moves up a place.
            changed.params.uncertain.remove(i);
        } else {
            let (lo, hi) = m.params.uncertain[i].distribution.support();
            let x = lo + (hi - lo) * value;
            changed.params.uncertain[i].distribution =
                Distribution::new(Shape::Uniform { lo: x, hi: x }, None, None).unwrap();
        }
        let (mut a, mut b) = (RunSetup::new(&m), RunSetup::new(&changed));
        for run in 0..20 {
            a.prepare(&m, RunKey::new(9, run));
            b.prepare(&changed, RunKey::new(9, run));
            for u in m.params.uncertain.iter().filter(|u| u.id != target) {
                let (x, y) = (a.params[u.id as usize], b.params[u.id as usize]);
                prop_assert_eq!(x.to_bits(), y.to_bits(), "run {}: {} drew {} then {}", run, u.path, x, y);
            }
        }
    }
}

/// Reproducibility holds because every draw of a run comes from `rng`: the
/// only thread generator in the library makes the classroom's join codes
/// and keys (`classroom::secret`), which must not be reproducible.
#[test]
fn the_only_thread_generator_makes_the_classrooms_secrets() {
    let mut found = Vec::new();
    let mut stack = vec![crate::common::root().join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                for (k, line) in text.lines().enumerate() {
                    if line.contains("rand::rng()") || line.contains("thread_rng") {
                        found.push(format!("{}:{}", p.strip_prefix(crate::common::root()).unwrap().display(), k + 1));
                    }
                }
            }
        }
    }
    assert_eq!(found.len(), 1, "thread generators in src/: {found:?}");
    assert!(found[0].starts_with("src/classroom/mod.rs"), "{found:?}");
}
