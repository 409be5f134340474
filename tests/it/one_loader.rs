//! Every input goes through one validating loader: a command never guesses
//! at a file it has not read and checked, so a missing file, a syntax
//! error or an endless device gets the same message whatever the command.

use crate::common;

use common::*;

fn refused_in(name: &str, files: &[(&str, &str)], args: &[&str], fragment: &str) -> String {
    let dir = scratch(name);
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    let before = snapshot(&dir);
    let o = brink_in(&dir, args);
    assert_refused(&o, 2, fragment);
    assert_kept(&before, &dir);
    assert_eq!(snapshot(&dir).len(), before.len(), "nothing written");
    stderr(&o)
}

#[test]
fn compare_on_a_missing_file_said_it_declares_no_variants() {
    let err = refused_in("compare-missing", &[], &["compare", "missing.toml"], "no such file");
    assert!(!err.contains("declares no"), "{err}");
}

#[test]
fn compare_on_a_syntax_error_said_it_declares_no_variants() {
    let err = refused_in("compare-syntax", &[("bad.toml", "[scenario\n")], &["compare", "bad.toml"], "bad.toml:1:10");
    assert!(err.contains("unclosed table") && !err.contains("declares no"), "{err}");
}

#[cfg(unix)]
#[test]
fn compare_on_dev_zero_said_it_declares_no_variants() {
    refused_in("compare-dev-zero", &[], &["compare", "/dev/zero"], "limited to 10485760 bytes");
}

#[cfg(unix)]
#[test]
fn tournament_on_dev_zero_ran_out_of_memory() {
    refused_in("tournament-dev-zero", &[], &["tournament", "/dev/zero"], "larger than the limit of 10485760 bytes");
}

#[cfg(unix)]
#[test]
fn tournament_with_dev_zero_as_its_stage_game_said_out_of_memory() {
    let file = "title = \"x\"\n[repeated]\ngame = \"/dev/zero\"\nentrants = [\"Cooperator\", \"Defector\"]\n";
    let err = refused_in(
        "tournament-stage-dev-zero",
        &[("t.toml", file)],
        &["tournament", "t.toml"],
        "larger than the limit of 1048576 bytes",
    );
    assert!(err.contains("t.toml:3:8") && err.contains("repeated.game"), "{err}");
}

#[cfg(unix)]
#[test]
fn tournament_with_dev_zero_as_a_scenario_said_no_scenario_file() {
    let file = "title = \"x\"\n[negotiation]\nscenarios = [\"/dev/zero\"]\n[negotiation.entrants]\nhardliner = \"hardliner\"\nrandom = \"random\"\n";
    let err = refused_in(
        "tournament-scenario-dev-zero",
        &[("t.toml", file)],
        &["tournament", "t.toml"],
        "scenario files are limited to 10485760 bytes",
    );
    assert!(err.contains("negotiation.scenarios[0]"), "{err}");
}

#[test]
fn tournament_with_a_folder_as_a_scenario_said_no_scenario_file() {
    let file = "title = \"x\"\n[negotiation]\nscenarios = [\"adir\"]\n[negotiation.entrants]\nhardliner = \"hardliner\"\nrandom = \"random\"\n";
    let dir = scratch("tournament-scenario-folder");
    std::fs::create_dir(dir.join("adir")).unwrap();
    std::fs::write(dir.join("t.toml"), file).unwrap();
    let o = brink_in(&dir, &["tournament", "t.toml"]);
    assert_refused(&o, 2, "it is a directory, not a scenario file");
}

#[test]
fn sensitivity_with_one_param_given_twice_kept_one_range_silently() {
    let a = "actors.west.discount=0.5:0.9";
    let b = "actors.west.discount=0.6:0.99";
    let err = refused_in(
        "sensitivity-param-twice",
        &[],
        &["sensitivity", "logrolling", "--param", a, "--param", b, "--samples", "10"],
        "--param actors.west.discount is given twice",
    );
    assert!(err.contains("0.5:0.9") && err.contains("0.6:0.99"), "{err}");
}
