//! `brink analyze` and `brink solve` as a teacher uses them (issue 4).

use crate::common;
use common::*;

#[test]
fn analyze_works_on_every_shipped_scenario() {
    let out = scratch("analyze");
    for name in ["geneva-2022", "rubinstein", "logrolling", "fearon"] {
        let dir = out.join(name);
        let text = ok(&brink(&["analyze", name, "--out", dir.to_str().unwrap()]));
        for needle in [
            "Nash bargaining",
            "Kalai–Smorodinsky",
            "Utilitarian",
            "Egalitarian",
            "Pareto frontier",
            "Zone of possible agreement",
        ] {
            assert!(text.contains(needle), "{name}: missing {needle}\n{text}");
        }
        let v: serde_json::Value =
            serde_json::from_str(&ok(&brink(&["analyze", name, "--json", "--no-plots"]))).unwrap();
        let n = v["outcome_space_size"].as_u64().unwrap();
        assert_eq!(v["outcomes"].as_array().unwrap().len() as u64, n, "every outcome is listed");
        let nash = &v["solutions"]["nash"]["outcomes"][0];
        assert!(nash["terms"].is_object() && nash["utilities"].is_object(), "{nash}");
    }
}

#[test]
fn analyze_reports_the_rubinstein_split() {
    let text = ok(&brink(&["analyze", "rubinstein", "--no-plots"]));
    assert!(text.contains("keeps x* = 0.714"), "{text}");
    let text = ok(&brink(&["analyze", "rubinstein", "--no-plots", "--set", "actors.second.discount=0.5"]));
    // x* = (1 - 0.5) / (1 - 0.9 * 0.5) = 0.909
    assert!(text.contains("keeps x* = 0.909"), "{text}");
}

#[test]
fn an_empty_zone_of_agreement_is_said_plainly() {
    let text = ok(&brink(&["analyze", "logrolling", "--no-plots", "--set", "disagreement[0].payoffs.west=0.99"]));
    assert!(text.contains("EMPTY"), "{text}");
    assert!(text.contains("none: no outcome is acceptable to both"), "{text}");
}

#[test]
fn solve_works_on_every_shipped_game() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/games")).unwrap() {
        let path = entry.unwrap().path();
        // Game trees have their own tests (tests/it/game_trees.rs).
        let source = std::fs::read_to_string(&path).unwrap();
        if path.extension().is_some_and(|e| e == "efg") || brink::games::extensive::looks_like_tree(&source) {
            continue;
        }
        let text = ok(&brink(&["solve", path.to_str().unwrap()]));
        assert!(text.contains("Pure Nash equilibria"), "{}", path.display());
        let v: serde_json::Value =
            serde_json::from_str(&ok(&brink(&["solve", path.to_str().unwrap(), "--json"]))).unwrap();
        assert!(v["equilibria"]["equilibria"].as_array().is_some_and(|e| !e.is_empty()), "{}", path.display());
    }
}

#[test]
fn matching_pennies_mixes_half_and_half_in_exact_fractions() {
    let text = ok(&brink(&["solve", "scenarios/games/matching-pennies.toml"]));
    assert!(text.contains("1/2 Heads + 1/2 Tails"), "{text}");
}

#[test]
fn a_degenerate_game_with_a_continuum_is_reported_as_such() {
    let dir = scratch("degenerate");
    let file = dir.join("continuum.toml");
    std::fs::write(
        &file,
        r#"title = "Continuum"
players = ["Row", "Column"]
[strategies]
row = ["Top", "Bottom"]
column = ["Left", "Right"]
[payoffs]
row = [[1, 1], [0, 0]]
column = [[1, 1], [1, 1]]
"#,
    )
    .unwrap();
    let text = ok(&brink(&["solve", file.to_str().unwrap()]));
    assert!(text.contains("DEGENERATE"), "{text}");
    assert!(text.contains("INFINITE"), "{text}");
    assert!(text.contains("connected set"), "{text}");
}

#[test]
fn nfg_round_trip_through_the_command_line() {
    let dir = scratch("nfg");
    let nfg = dir.join("bos.nfg");
    ok(&brink(&["solve", "scenarios/games/battle-of-the-sexes.toml", "--to-nfg", nfg.to_str().unwrap()]));
    let from_toml: serde_json::Value =
        serde_json::from_str(&ok(&brink(&["solve", "scenarios/games/battle-of-the-sexes.toml", "--json"]))).unwrap();
    let from_nfg: serde_json::Value =
        serde_json::from_str(&ok(&brink(&["solve", nfg.to_str().unwrap(), "--json"]))).unwrap();
    assert_eq!(from_toml["equilibria"], from_nfg["equilibria"]);
}

#[test]
fn a_broken_game_file_gets_a_located_error() {
    let dir = scratch("badgame");
    let file = dir.join("bad.toml");
    std::fs::write(&file, "title = \"x\"\nplayers = [\"A\", \"B\"]\n[strategies]\nrow = [\"a\"]\ncolumn = [\"b\"]\n[payoffs]\nrow = [[1, 2]]\ncolumn = [[1]]\n").unwrap();
    let o = brink(&["solve", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.toml:"), "{err}");
    assert!(!err.contains("panicked"));
}

/// Runs a shipped tournament as the lesson plan does and returns its JSON.
fn tournament(file: &str, extra: &[&str]) -> serde_json::Value {
    // One folder per file and flags: tests run in parallel, and two brinks
    // writing one folder is refused by the output lock (issue 14).
    let stem = std::path::Path::new(file).file_stem().unwrap().to_string_lossy().into_owned();
    let out = scratch(&format!("tournament-{stem}-{}", extra.join("").replace(['.', '-'], "")));
    let mut args = vec!["tournament", file, "--json", "--no-plots", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    serde_json::from_str(&ok(&brink(&args))).unwrap()
}

fn rank(v: &serde_json::Value, entrant: &str) -> u64 {
    v["ranking"].as_array().unwrap().iter().find(|r| r["entrant"] == entrant).unwrap()["rank"].as_u64().unwrap()
}

fn wins(v: &serde_json::Value, entrant: &str) -> u64 {
    v["ranking"].as_array().unwrap().iter().find(|r| r["entrant"] == entrant).unwrap()["wins"].as_u64().unwrap()
}

fn final_share(v: &serde_json::Value, entrant: &str) -> f64 {
    let shares = v["evolution"]["replicator"]["final_shares"].as_array().unwrap();
    shares.iter().find(|s| s["entrant"] == entrant).unwrap()["share"].as_f64().unwrap()
}

#[test]
fn lesson_8_axelrods_tournament_reads_as_the_lesson_plan_says() {
    let v = tournament("scenarios/tournaments/axelrod-pd.toml", &[]);
    assert!(rank(&v, "Tit For Tat") <= 4);
    assert_eq!(wins(&v, "Tit For Tat"), 0);
    assert_eq!(rank(&v, "Defector"), 14);
    assert_eq!(rank(&v, "ZD-Extort-2"), 15);
    assert!(wins(&v, "Defector") > wins(&v, "Prober"));
    assert!(final_share(&v, "Defector") < 0.001);
    let tft = final_share(&v, "Tit For Tat");
    assert!((0.17..0.18).contains(&tft), "{tft}");

    let noisy = tournament("scenarios/tournaments/axelrod-pd.toml", &["--noise", "0.05"]);
    let mean = |v: &serde_json::Value| {
        v["ranking"].as_array().unwrap().iter().find(|r| r["entrant"] == "Tit For Tat").unwrap()["mean"]
            .as_f64()
            .unwrap()
    };
    assert!(mean(&v) > 2.5 && mean(&noisy) < 2.3, "{} {}", mean(&v), mean(&noisy));
    assert!(final_share(&noisy, "Tit For Tat") < 0.07);
    assert!(final_share(&noisy, "Grudger") < 0.01);
    assert!(final_share(&noisy, "Firm But Fair") > 0.25);
}

#[test]
fn lesson_8_the_sanctions_and_negotiation_tournaments_read_as_the_lesson_plan_says() {
    let v = tournament("scenarios/tournaments/sanctions-repeated.toml", &[]);
    assert_eq!(rank(&v, "Tit For Tat"), 1);
    assert_eq!(rank(&v, "Generous Tit For Tat"), 2);
    assert_eq!(rank(&v, "Defector"), 10);
    let g = tournament("scenarios/tournaments/geneva-negotiation.toml", &[]);
    assert_eq!(rank(&g, "hardliner"), 6);
    assert!(final_share(&g, "conceder") > 0.5);
}

/// fearon.toml with A winning with probability `p`, at costs `c_a` and `c_b`.
fn fearon(p: f64, c_a: f64, c_b: f64) -> brink::model::Model {
    let text = brink::scenario::find_builtin("fearon").unwrap().text;
    let text = text
        .replace("probability = 0.6\n", &format!("probability = {p}\n"))
        .replace("probability = 0.4\n", &format!("probability = {}\n", 1.0 - p))
        .replace("payoffs = { a = 0.90, b = -0.15 }", &format!("payoffs = {{ a = {}, b = {} }}", 1.0 - c_a, -c_b))
        .replace("payoffs = { a = -0.10, b = 0.85 }", &format!("payoffs = {{ a = {}, b = {} }}", -c_a, 1.0 - c_b));
    match brink::scenario::load_bytes("fearon.toml", text.as_bytes()) {
        Ok((_, m)) => m,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn fearon_bargaining_range_is_p_minus_c_a_to_p_plus_c_b() {
    for (p, c_a, c_b) in [(0.6, 0.1, 0.15), (0.5, 0.2, 0.2), (0.3, 0.05, 0.25), (0.8, 0.3, 0.1), (0.45, 0.0, 0.0)] {
        let b = brink::analysis::benchmarks::analyse(&fearon(p, c_a, c_b));
        let r = b.bargaining_range.unwrap_or_else(|| panic!("p {p}: no range"));
        let (low, high) = (f64::max(p - c_a, 0.0), f64::min(p + c_b, 1.0));
        // The pie is a grid of hundredths: the ends are the grid points inside the range.
        assert!((r.low - low).abs() < 0.0051 && r.low >= low - 1e-9, "p {p}, c_A {c_a}: low {} != {low}", r.low);
        assert!((r.high - high).abs() < 0.0051 && r.high <= high + 1e-9, "p {p}, c_B {c_b}: high {} != {high}", r.high);
    }
    // Other scenarios have no single pie to split.
    let geneva = brink::scenario::find_builtin("geneva-2022").unwrap().text;
    let m = brink::scenario::load_bytes("g.toml", geneva.as_bytes()).map_err(|e| e.to_string()).unwrap().1;
    assert!(brink::analysis::benchmarks::analyse(&m).bargaining_range.is_none());
}

#[test]
fn brink_analyze_names_fearons_range_in_words_on_its_plot_and_in_json() {
    let out = scratch("fearon");
    let text = ok(&brink(&["analyze", "fearon", "--out", out.to_str().unwrap()]));
    assert!(text.contains("Bargaining range (Fearon 1995): A's share of the pie from 0.5 to 0.75"), "{text}");
    let svg = std::fs::read_to_string(out.join("utility-space.svg")).unwrap();
    assert!(svg.contains("bargaining range: share 0.5–0.75"), "the plot names the range");
    let json = ok(&brink(&["analyze", "fearon", "--variant", "mutual-optimism", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["bargaining_range"]["low"], 0.6, "{json}");
    assert_eq!(v["bargaining_range"]["high"], 0.65, "{json}");
}
