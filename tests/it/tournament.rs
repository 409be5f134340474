//! `brink tournament` as a user runs it: shipped files, outputs,
//! reproducibility, sharding and merging, and located errors.

use crate::common;
use common::*;

use std::path::PathBuf;

fn read(dir: &std::path::Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn the_axelrod_tournament_writes_its_files_and_ranks_nice_strategies_above_defector() {
    let out = fresh_path("pd");
    let text = ok(&brink(&[
        "tournament",
        "scenarios/tournaments/axelrod-pd.toml",
        "--repetitions",
        "5",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(text.contains("Tit For Tat") && text.contains("fixation"), "{text}");
    for f in [
        "tournament.json",
        "tournament.csv",
        "ranking.csv",
        "evolution.csv",
        "tournament-heatmap.png",
        "tournament-heatmap.svg",
        "tournament-ranking.png",
        "evolution-replicator.png",
        "evolution-moran.png",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let v: serde_json::Value = serde_json::from_str(&read(&out, "tournament.json")).unwrap();
    assert_eq!(v["entrants"].as_array().unwrap().len(), 15);
    let rank_of = |name: &str| {
        v["ranking"].as_array().unwrap().iter().find(|r| r["entrant"] == name).unwrap()["rank"].as_u64().unwrap()
    };
    assert!(rank_of("Tit For Tat") < rank_of("Defector"));
    // The results matrix holds the parity figure: TFT vs Defector 199/200.
    let m = &v["matrix"];
    assert_eq!(m[2][1].as_f64().unwrap(), 199.0 / 200.0);
    assert_eq!(m[1][2].as_f64().unwrap(), 204.0 / 200.0);
    // Tidy CSV: one row per (entrant, opponent), self-play once.
    let csv = read(&out, "tournament.csv");
    assert!(csv.starts_with("entrant,opponent,side,score_per_turn,"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 15 * 15);
    let evo = read(&out, "evolution.csv");
    assert_eq!(evo.lines().count(), 1 + 151 * 15);
}

#[test]
fn repeated_tournaments_are_the_same_bytes_whatever_the_thread_count() {
    let a = fresh_path("threads-1");
    let b = fresh_path("threads-2");
    for (dir, threads) in [(&a, "1"), (&b, "2")] {
        ok(&brink(&[
            "tournament",
            "scenarios/tournaments/sanctions-repeated.toml",
            "--repetitions",
            "30",
            "--noise",
            "0.05",
            "--threads",
            threads,
            "--no-plots",
            "-q",
            "--out",
            dir.to_str().unwrap(),
        ]));
    }
    for f in ["tournament.json", "tournament.csv", "ranking.csv", "evolution.csv"] {
        assert_eq!(read(&a, f), read(&b, f), "{f}");
    }
}

#[test]
fn an_asymmetric_stage_game_makes_every_entrant_play_both_sides() {
    let out = fresh_path("asym");
    let json = ok(&brink(&[
        "tournament",
        "scenarios/tournaments/sanctions-repeated.toml",
        "--repetitions",
        "3",
        "--no-plots",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["settings"]["symmetric"], false);
    let sides: std::collections::BTreeSet<String> =
        v["pairs"].as_array().unwrap().iter().map(|p| p["side"].as_str().unwrap().to_string()).collect();
    assert!(sides.contains("United States") && sides.contains("Russia"), "{sides:?}");
}

#[test]
fn negotiation_tournament_shards_merge_to_the_same_bytes() {
    let whole = fresh_path("neg-whole");
    let shards = fresh_path("neg-shards");
    let merged = fresh_path("neg-merged");
    let file = "scenarios/tournaments/geneva-negotiation.toml";
    ok(&brink(&["tournament", file, "--runs", "50", "--no-plots", "-q", "--out", whole.to_str().unwrap()]));
    for k in ["1/3", "2/3", "3/3"] {
        ok(&brink(&["tournament", file, "--runs", "50", "--shard", k, "-q", "--out", shards.to_str().unwrap()]));
    }
    ok(&brink(&["merge", shards.to_str().unwrap(), "--no-plots", "-q", "--out", merged.to_str().unwrap()]));
    for f in ["tournament.json", "tournament.csv", "ranking.csv", "evolution.csv"] {
        assert_eq!(read(&whole, f), read(&merged, f), "{f}");
    }
    let v: serde_json::Value = serde_json::from_str(&read(&whole, "tournament.json")).unwrap();
    assert_eq!(v["kind"], "negotiation");
    // 6 entrants: 36 ordered pairings, each with agreement rate and Nash product.
    assert_eq!(v["pairs"].as_array().unwrap().len(), 36);
    assert!(v["pairs"][0]["nash_product"].is_number());
    // A missing shard is refused.
    std::fs::remove_file(shards.join("tournament-partial-2-of-3.json")).unwrap();
    let o = brink(&["merge", shards.to_str().unwrap(), "--out", merged.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("shards missing: 2"));
}

fn bad_file(name: &str, text: &str) -> (i32, String) {
    let dir = fresh_path(name);
    std::fs::create_dir_all(&dir).unwrap();
    let games = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/games");
    let text = text.replace("GAMES", games.to_str().unwrap());
    let path = dir.join("t.toml");
    std::fs::write(&path, text).unwrap();
    let o = brink(&["tournament", path.to_str().unwrap(), "--no-plots", "--out", dir.join("out").to_str().unwrap()]);
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn an_unknown_strategy_is_located_with_did_you_mean() {
    let (code, err) = bad_file(
        "unknown",
        "[repeated]\ngame = \"GAMES/prisoners-dilemma.toml\"\nentrants = [\"Tit For Tat\", \"Grduger\"]\n",
    );
    assert_eq!(code, 2);
    assert!(err.contains("unknown strategy `Grduger`") && err.contains("did you mean \"Grudger\""), "{err}");
    assert!(err.contains("t.toml:3:"), "{err}");
}

#[test]
fn noise_outside_the_unit_interval_is_refused_in_the_file_and_on_the_command_line() {
    let (code, err) = bad_file(
        "noise",
        "[repeated]\ngame = \"GAMES/prisoners-dilemma.toml\"\nnoise = -0.1\nentrants = [\"Tit For Tat\", \"Defector\"]\n",
    );
    assert_eq!(code, 2);
    assert!(err.contains("noise must be a probability in [0, 1], found -0.1") && err.contains("t.toml:3:"), "{err}");
    let o = brink(&["tournament", "scenarios/tournaments/axelrod-pd.toml", "--noise", "1.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--noise must be a probability in [0, 1], found 1.5"));
}

#[test]
fn a_stage_game_that_is_not_two_by_two_is_refused_at_its_key() {
    let (code, err) = bad_file(
        "3x3",
        "[repeated]\ngame = \"GAMES/sanctions-escalation.toml\"\nentrants = [\"Tit For Tat\", \"Defector\"]\n",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("the stage game is 3×3") && err.contains("repeated.game") && err.contains("t.toml:2:"),
        "{err}"
    );
}

#[test]
fn a_negotiation_entrant_the_scenario_refuses_is_named() {
    let (code, err) = bad_file(
        "neg",
        "[negotiation]\nscenarios = [\"geneva-2022\"]\n[negotiation.entrants]\nfirm = \"hardliner\"\nodd = { kind = \"boulwre\" }\n",
    );
    assert_eq!(code, 2);
    assert!(err.contains("does not accept entrant `odd`") && err.contains("did you mean `boulware`"), "{err}");
}

#[test]
fn tournament_help_teaches_with_examples() {
    let text = ok(&brink(&["tournament", "--help"]));
    assert!(text.contains("Examples:") && text.contains("brink tournament scenarios/tournaments/axelrod-pd.toml"));
}

#[test]
fn issue_12_merge_refuses_a_tournament_shard_with_edited_counts() {
    let shards = fresh_path("neg-edited");
    let file = "scenarios/tournaments/geneva-negotiation.toml";
    for k in ["1/2", "2/2"] {
        ok(&brink(&["tournament", file, "--runs", "20", "--shard", k, "-q", "--out", shards.to_str().unwrap()]));
    }
    let path = shards.join("tournament-partial-2-of-2.json");
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let runs = v["tallies"][0][1]["runs"].as_u64().unwrap();
    v["tallies"][0][1]["runs"] = serde_json::json!(runs + 1);
    std::fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
    let o = brink(&["merge", shards.to_str().unwrap(), "--out", fresh_path("neg-edited-out").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("do not match its share"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn bad_input_with_json_is_reported_as_json_and_exit_status_2() {
    let o = brink(&["tournament", "scenarios/tournaments/axelrod-pd.toml", "--noise", "2", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert!(v["error"].as_str().unwrap().contains("--noise must be a probability"));
}

#[test]
fn merge_used_a_tournament_shards_tallies_unchecked() {
    let shards = fresh_path("neg-unchecked");
    let file = "scenarios/tournaments/geneva-negotiation.toml";
    for k in ["1/2", "2/2"] {
        ok(&brink(&["tournament", file, "--runs", "20", "--shard", k, "-q", "--out", shards.to_str().unwrap()]));
    }
    let path = shards.join("tournament-partial-2-of-2.json");
    let original: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    // An agreement past the outcome table, then ends that do not add up.
    type Edit = fn(&mut serde_json::Value);
    let edits: [(&str, Edit); 2] = [
        ("past the scenario's", |t| t["agreements"] = serde_json::json!([[4_000_000_000u32, t["ends"][0]]])),
        ("tally.ends", |t| t["ends"][0] = serde_json::json!(t["ends"][0].as_u64().unwrap() + 1)),
    ];
    for (fragment, edit) in edits {
        let mut v = original.clone();
        edit(&mut v["tallies"][0][1]);
        std::fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
        let out = fresh_path("neg-unchecked-out");
        let o = brink(&["merge", shards.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("tournament-partial-2-of-2.json") && err.contains(fragment), "{err}");
        assert!(!out.exists());
    }
}
