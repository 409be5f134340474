//! `brink solve` on game trees as a lecturer uses it (issue 11): every
//! shipped tree, the credible-threats lesson, .efg in and out, the plot and
//! located errors.

use std::process::{Command, Output};

fn brink(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("brink runs")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn temp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("brink-trees-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).unwrap();
    d
}

const TREES: [&str; 7] = [
    "deterrence-tree.toml",
    "audience-costs.toml",
    "ultimatum.toml",
    "centipede.toml",
    "chain-store.toml",
    "us-resolve-unknown.toml",
    "us-resolve-unknown.efg",
];

fn solve_json(file: &str) -> serde_json::Value {
    let path = format!("scenarios/games/{file}");
    serde_json::from_str(&ok(&brink(&["solve", &path, "--json", "--no-plots"]))).unwrap()
}

#[test]
fn every_shipped_tree_prints_spe_nash_threats_and_a_plot() {
    let out = temp("shipped");
    for file in TREES {
        let dir = out.join(file);
        let text = ok(&brink(&["solve", &format!("scenarios/games/{file}"), "--out", dir.to_str().unwrap()]));
        assert!(text.contains("Subgame-perfect equilibria ("), "{file}\n{text}");
        assert!(text.contains("of the reduced normal form:"), "{file}\n{text}");
        assert!(
            text.contains("NOT subgame perfect"),
            "{file}: a shipped tree should show a non-credible threat\n{text}"
        );
        assert!(text.contains("not credible:"), "{file}");
        for f in ["tree.png", "tree.svg"] {
            let bytes = std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{file}: {f}: {e}"));
            assert!(bytes.len() > 5000, "{file}: {f} is suspiciously small");
        }
        assert!(text.contains("tree.png"), "{file}: the plot path is printed");
    }
}

#[test]
fn deterrence_spe_is_the_status_quo_and_concession_rests_on_a_non_credible_plan() {
    let v = solve_json("deterrence-tree.toml");
    let spe = v["subgame_perfect"]["equilibria"].as_array().unwrap();
    assert_eq!(spe.len(), 1);
    assert_eq!(spe[0]["play"], "Status quo");
    let nash = v["nash_equilibria"].as_array().unwrap();
    assert_eq!(nash.iter().filter(|e| e["subgame_perfect"] == true).count(), 1);
    // Some equilibrium keeps the status quo only through a US plan it
    // would abandon: acquiescing after an invasion, or conceding.
    let threats: Vec<&serde_json::Value> =
        nash.iter().flat_map(|e| e["non_credible_threats"].as_array().unwrap()).collect();
    assert!(threats.iter().any(|t| t["player"] == "United States" && t["better_action"] == "Sanction"));
    assert!(threats.iter().any(|t| t["player"] == "United States" && t["better_action"] == "Stand firm"));
}

#[test]
fn costly_sanctions_make_the_threat_incredible() {
    // The lesson's exercise: sanctions worse for the US than acquiescing.
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/games/deterrence-tree.toml"))
        .unwrap()
        .replace("{ action = \"Sanction\", payoffs = [-3, -1] }", "{ action = \"Sanction\", payoffs = [-3, -4] }");
    let dir = temp("costly");
    let file = dir.join("costly.toml");
    std::fs::write(&file, src).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&ok(&brink(&["solve", file.to_str().unwrap(), "--json", "--no-plots"]))).unwrap();
    assert_eq!(v["subgame_perfect"]["equilibria"][0]["play"], "Threaten → Concede");
}

#[test]
fn fearon_audience_costs_make_the_challenge_succeed() {
    let v = solve_json("audience-costs.toml");
    assert_eq!(v["subgame_perfect"]["equilibria"][0]["play"], "Challenge → Concede");
    // Without the audience cost the same challenge is a bluff.
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/games/audience-costs.toml"))
        .unwrap()
        .replace("[\"-3/5\", \"1/10\"]", "[\"-1/10\", \"1/10\"]");
    let dir = temp("no-audience");
    let file = dir.join("g.toml");
    std::fs::write(&file, src).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&ok(&brink(&["solve", file.to_str().unwrap(), "--json", "--no-plots"]))).unwrap();
    assert_eq!(v["subgame_perfect"]["equilibria"][0]["play"], "Status quo");
}

#[test]
fn ultimatum_ties_give_two_spes_and_centipede_stops_at_once() {
    let v = solve_json("ultimatum.toml");
    let plays: Vec<&str> =
        v["subgame_perfect"]["equilibria"].as_array().unwrap().iter().map(|e| e["play"].as_str().unwrap()).collect();
    assert_eq!(plays, ["Offer 0 → Accept 0", "Offer 1 → Accept 1"]);
    // docs/teaching.md quotes this count.
    assert_eq!(v["nash_equilibria"].as_array().unwrap().len(), 173);
    let v = solve_json("centipede.toml");
    assert_eq!(v["subgame_perfect"]["equilibria"][0]["play"], "Stop");
    for e in v["nash_equilibria"].as_array().unwrap() {
        assert_eq!(e["payoffs"][0]["exact"], "1");
    }
}

#[test]
fn chain_store_paradox_and_unknown_resolve() {
    let v = solve_json("chain-store.toml");
    assert_eq!(v["subgame_perfect"]["equilibria"][0]["play"], "Defy → Accommodate → Defy → Accommodate");
    assert_eq!(v["nash_pure_only"], true);
    assert_eq!(v["nash_equilibria"].as_array().unwrap().len(), 28);
    let v = solve_json("us-resolve-unknown.toml");
    let e = &v["subgame_perfect"]["equilibria"][0];
    assert_eq!(e["payoffs"][0]["exact"], "1/3");
    assert_eq!(v["perfect_information"], false);
    // The .efg twin gives the same analysis.
    let w = solve_json("us-resolve-unknown.efg");
    assert_eq!(v["subgame_perfect"], w["subgame_perfect"]);
    assert_eq!(v["nash_equilibria"], w["nash_equilibria"]);
}

#[test]
fn efg_written_from_toml_is_the_shipped_efg_and_reads_back() {
    let dir = temp("efg");
    let out = dir.join("g.efg");
    ok(&brink(&["solve", "scenarios/games/us-resolve-unknown.toml", "--to-efg", out.to_str().unwrap()]));
    let written = std::fs::read_to_string(&out).unwrap();
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/games/us-resolve-unknown.efg"))
            .unwrap();
    assert_eq!(written, shipped);
    let again = dir.join("again.efg");
    ok(&brink(&["solve", out.to_str().unwrap(), "--to-efg", again.to_str().unwrap()]));
    assert_eq!(std::fs::read_to_string(&again).unwrap(), written);
    // The reduced normal form goes to .nfg for Gambit.
    let nfg = dir.join("centipede.nfg");
    ok(&brink(&["solve", "scenarios/games/centipede.toml", "--to-nfg", nfg.to_str().unwrap()]));
    let g = brink::games::normal::from_nfg_str(&std::fs::read_to_string(&nfg).unwrap()).unwrap();
    assert_eq!(g.shape(), (4, 4));
}

#[test]
fn gambit_written_files_solve() {
    let text = ok(&brink(&["solve", "tests/fixtures/efg/one-card-poker.efg", "--no-plots"]));
    assert!(text.contains("Fred"), "{text}");
    assert!(text.contains("imperfect information"), "{text}");
    // Myerson's poker: Fred raises with red, bluffs with black 1/3 of the
    // time; Alice meets with probability 2/3; Fred's value is 1/3.
    assert!(text.contains("Fred 1/3"), "{text}");
}

#[test]
fn bad_trees_are_located_with_exit_status_2() {
    let dir = temp("bad");
    let file = dir.join("bad.toml");
    std::fs::write(
        &file,
        "title = \"t\"\nplayers = [\"A\", \"B\"]\nroot = \"a\"\n[nodes.a]\nplayer = \"chance\"\nmoves = [\n  { action = \"x\", probability = 0.5, payoffs = [1, 0] },\n  { action = \"y\", probability = 0.4, payoffs = [0, 1] },\n]\n",
    )
    .unwrap();
    let o = brink(&["solve", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("sum to 9/10"), "{err}");
    assert!(err.contains("bad.toml:6:"), "{err}");
    let o = brink(&["solve", "scenarios/games/chicken.toml", "--to-efg", dir.join("x.efg").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}
