//! `brink solve` on game trees as a lecturer uses it (issue 11): every
//! shipped tree, the credible-threats lesson, .efg in and out, the plot and
//! located errors.

use crate::common;
use common::*;

const TREES: [&str; 8] = [
    "deterrence-tree.toml",
    "audience-costs.toml",
    "ultimatum.toml",
    "centipede.toml",
    "chain-store.toml",
    "us-resolve-unknown.toml",
    "us-resolve-unknown.efg",
    "international-interaction.toml",
];

fn solve_json(file: &str) -> serde_json::Value {
    let path = format!("scenarios/games/{file}");
    serde_json::from_str(&ok(&brink(&["solve", &path, "--json", "--no-plots"]))).unwrap()
}

#[test]
fn every_shipped_tree_prints_spe_nash_threats_and_a_plot() {
    let out = scratch("shipped");
    for file in TREES {
        let dir = out.join(file);
        let text = ok(&brink(&["solve", &format!("scenarios/games/{file}"), "--out", dir.to_str().unwrap()]));
        // Backward induction lists the pure ones, and says so.
        let backward = solve_json(file)["subgame_perfect"]["used_normal_form"] == false;
        let title = if backward { "Pure subgame-perfect equilibria (" } else { "Subgame-perfect equilibria (" };
        assert!(text.contains(title), "{file}\n{text}");
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
    let dir = scratch("costly");
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
    let dir = scratch("no-audience");
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
    let dir = scratch("efg");
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
    let dir = scratch("bad");
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

/// Outcomes of Bueno de Mesquita and Lalman's international interaction
/// game, in the order of the payoff table in
/// scenarios/games/international-interaction.toml.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Iig {
    RussiaAcquiesces,
    UsAcquiesces,
    StatusQuo,
    Negotiation,
    UsCapitulates,
    RussiaCapitulates,
    WarByRussia,
    WarByUs,
}

/// The payoff literal of each outcome in the shipped file (each outcome has
/// one literal, used wherever the outcome occurs).
const IIG_SHIPPED: [(Iig, [i64; 2]); 8] = [
    (Iig::RussiaAcquiesces, [2, 6]),
    (Iig::UsAcquiesces, [6, 2]),
    (Iig::StatusQuo, [3, 4]),
    (Iig::Negotiation, [4, 3]),
    (Iig::UsCapitulates, [5, -1]),
    (Iig::RussiaCapitulates, [-1, 5]),
    (Iig::WarByRussia, [1, 0]),
    (Iig::WarByUs, [0, 1]),
];

/// The game tree, written out independently of brink's parser.
enum IigNode {
    Leaf(Iig),
    Move(usize, Vec<(&'static str, IigNode)>),
}

fn iig_tree() -> IigNode {
    use IigNode::{Leaf, Move};
    const R: usize = 0;
    const U: usize = 1;
    // A crisis: `first` moves first; war and capitulation named by who acts.
    let crisis = |first: usize| {
        let second = 1 - first;
        let war_by = |p: usize| if p == R { Iig::WarByRussia } else { Iig::WarByUs };
        let capitulation_of = |p: usize| if p == R { Iig::RussiaCapitulates } else { Iig::UsCapitulates };
        Move(
            first,
            vec![
                (
                    "Use force",
                    Move(
                        second,
                        vec![("Retaliate", Leaf(war_by(first))), ("Capitulate", Leaf(capitulation_of(second)))],
                    ),
                ),
                (
                    "Hold back",
                    Move(
                        second,
                        vec![
                            (
                                "Use force",
                                Move(
                                    first,
                                    vec![
                                        ("Retaliate", Leaf(war_by(second))),
                                        ("Capitulate", Leaf(capitulation_of(first))),
                                    ],
                                ),
                            ),
                            ("Hold back", Leaf(Iig::Negotiation)),
                        ],
                    ),
                ),
            ],
        )
    };
    Move(
        R,
        vec![
            (
                "No demand",
                Move(
                    U,
                    vec![
                        ("No demand", Leaf(Iig::StatusQuo)),
                        (
                            "Demand",
                            Move(R, vec![("Acquiesce", Leaf(Iig::RussiaAcquiesces)), ("Counter-demand", crisis(U))]),
                        ),
                    ],
                ),
            ),
            ("Demand", Move(U, vec![("Acquiesce", Leaf(Iig::UsAcquiesces)), ("Counter-demand", crisis(R))])),
        ],
    )
}

/// A subtree's outcome and its subgame-perfect plays (action labels).
type Solved = (Iig, Vec<Vec<&'static str>>);

/// Backward induction: the value (an outcome) and every subgame-perfect
/// play from `node`. With distinct payoffs per player a tie means the same
/// outcome, so the value is unique and ties only add plays.
fn iig_solve(node: &IigNode, u: &dyn Fn(usize, Iig) -> i64) -> Solved {
    match node {
        IigNode::Leaf(o) => (*o, vec![vec![]]),
        IigNode::Move(p, moves) => {
            let solved: Vec<(&str, Solved)> = moves.iter().map(|(a, n)| (*a, iig_solve(n, u))).collect();
            let best = solved.iter().map(|(_, (o, _))| u(*p, *o)).max().unwrap();
            let mut value = None;
            let mut plays = Vec::new();
            for (a, (o, tails)) in solved {
                if u(*p, o) == best {
                    assert!(value.is_none() || value == Some(o), "distinct payoffs tie only on one outcome");
                    value = Some(o);
                    plays.extend(tails.into_iter().map(|t| std::iter::once(a).chain(t).collect()));
                }
            }
            (value.unwrap(), plays)
        }
    }
}

/// The shipped file with every outcome's payoffs replaced.
fn iig_variant(payoffs: &[(Iig, [i64; 2])]) -> String {
    let mut src =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/games/international-interaction.toml"))
            .unwrap();
    // Through placeholders, so one replacement cannot feed the next.
    for (k, (_, [a, b])) in IIG_SHIPPED.iter().enumerate() {
        src = src.replace(&format!("payoffs = [{a}, {b}]"), &format!("payoffs = @{k}@"));
    }
    for (k, (o, _)) in IIG_SHIPPED.iter().enumerate() {
        let [a, b] = payoffs.iter().find(|(p, _)| p == o).unwrap().1;
        src = src.replace(&format!("payoffs = @{k}@"), &format!("payoffs = [{a}, {b}]"));
    }
    src
}

fn iig_brink_plays(src: &str, dir: &std::path::Path, name: &str) -> Vec<String> {
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, src).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&ok(&brink(&["solve", file.to_str().unwrap(), "--json", "--no-plots"]))).unwrap();
    let mut plays: Vec<String> = v["subgame_perfect"]["equilibria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["play"].as_str().unwrap().to_string())
        .collect();
    plays.sort();
    plays.dedup();
    plays
}

fn iig_expected(payoffs: &[(Iig, [i64; 2])]) -> (Iig, Vec<String>) {
    let u = |p: usize, o: Iig| payoffs.iter().find(|(q, _)| *q == o).unwrap().1[p];
    let (outcome, plays) = iig_solve(&iig_tree(), &u);
    let mut plays: Vec<String> = plays.into_iter().map(|p| p.join(" → ")).collect();
    plays.sort();
    plays.dedup();
    (outcome, plays)
}

#[test]
fn international_interaction_game_negotiates_and_the_status_quo_needs_two_satisfied_states() {
    // The shipped preferences, derived by hand in the file's comments: both
    // would retaliate, so crises end in negotiation; Russia prefers
    // negotiation to the status quo, so it demands.
    let v = solve_json("international-interaction.toml");
    let spe = v["subgame_perfect"]["equilibria"].as_array().unwrap();
    assert_eq!(spe.len(), 1);
    assert_eq!(spe[0]["play"], "Demand → Counter-demand → Hold back → Hold back");
    assert_eq!(spe[0]["payoffs"][0]["exact"], "4");
    assert_eq!(spe[0]["payoffs"][1]["exact"], "3");
    let (outcome, plays) = iig_expected(&IIG_SHIPPED);
    assert_eq!(outcome, Iig::Negotiation);
    assert_eq!(plays, ["Demand → Counter-demand → Hold back → Hold back"]);
    // A Nash equilibrium keeps the status quo through a US plan to use force
    // in a crisis that it would not carry out (war 1 < negotiation 3).
    let nash = v["nash_equilibria"].as_array().unwrap();
    assert_eq!(nash.len(), 517, "docs/teaching.md quotes this count");
    assert!(nash.iter().any(|e| {
        e["payoffs"][0]["exact"] == "3"
            && e["non_credible_threats"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["player"] == "United States" && t["better_action"] == "Hold back")
    }));

    let dir = scratch("iig");
    // Russia satisfied too (status quo [5, 4]): the status quo survives.
    let mut satisfied = IIG_SHIPPED;
    satisfied[2].1 = [5, 4];
    let (outcome, plays) = iig_expected(&satisfied);
    assert_eq!(outcome, Iig::StatusQuo);
    assert_eq!(iig_brink_plays(&iig_variant(&satisfied), &dir, "satisfied"), plays);

    // Pre-emption: Russia would capitulate if attacked but prefers starting
    // a war to that, and the US would retaliate: a crisis ends in a war
    // started by Russia, and the US prefers that war to acquiescing.
    use Iig::*;
    let preemption = [
        (RussiaAcquiesces, [3, 2]),
        (UsAcquiesces, [7, 2]),
        (StatusQuo, [0, 0]),
        (Negotiation, [6, 5]),
        (UsCapitulates, [4, 1]),
        (RussiaCapitulates, [2, 6]),
        (WarByRussia, [5, 3]),
        (WarByUs, [1, 4]),
    ];
    let (outcome, plays) = iig_expected(&preemption);
    assert_eq!(outcome, WarByRussia);
    assert_eq!(plays, ["Demand → Counter-demand → Use force → Retaliate"]);
    assert_eq!(iig_brink_plays(&iig_variant(&preemption), &dir, "preemption"), plays);
}

#[test]
fn international_interaction_game_matches_an_independent_backward_induction() {
    // Random strict orderings (distinct payoffs per player, 0..8) that keep
    // the book's assumptions as the file states them: for each side the
    // other's acquiescence > negotiation > its own acquiescence; negotiation
    // > either war; starting a war > having one started; acquiescing >
    // capitulating; the other's acquiescence > the other's capitulation.
    use Iig::*;
    let keeps_assumptions = |u: &[(Iig, [i64; 2])]| {
        let v = |o: Iig, p: usize| u.iter().find(|(q, _)| *q == o).unwrap().1[p];
        let (own_acq, other_acq, own_cap, other_cap, own_war, other_war) = (
            [RussiaAcquiesces, UsAcquiesces],
            [UsAcquiesces, RussiaAcquiesces],
            [RussiaCapitulates, UsCapitulates],
            [UsCapitulates, RussiaCapitulates],
            [WarByRussia, WarByUs],
            [WarByUs, WarByRussia],
        );
        (0..2).all(|p| {
            v(other_acq[p], p) > v(Negotiation, p)
                && v(Negotiation, p) > v(own_acq[p], p)
                && v(Negotiation, p) > v(own_war[p], p).max(v(other_war[p], p))
                && v(own_war[p], p) > v(other_war[p], p)
                && v(own_acq[p], p) > v(own_cap[p], p)
                && v(other_acq[p], p) > v(other_cap[p], p)
        })
    };
    let dir = scratch("iig-random");
    let mut state: u64 = 0x11_9a_7e;
    let mut next = |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let mut checked = 0;
    while checked < 8 {
        let mut table = IIG_SHIPPED;
        for p in 0..2 {
            let mut values: Vec<i64> = (0..8).collect();
            for i in (1..8).rev() {
                values.swap(i, next(i + 1));
            }
            for (k, entry) in table.iter_mut().enumerate() {
                entry.1[p] = values[k];
            }
        }
        if !keeps_assumptions(&table) {
            continue;
        }
        let (outcome, plays) = iig_expected(&table);
        assert_eq!(iig_brink_plays(&iig_variant(&table), &dir, &format!("v{checked}")), plays, "{table:?}");
        // With both sides retaliating against force, crises end in
        // negotiation, and the status quo survives exactly when both prefer
        // it to negotiation.
        let u = |o: Iig, p: usize| table.iter().find(|(q, _)| *q == o).unwrap().1[p];
        if u(WarByRussia, 1) > u(UsCapitulates, 1) && u(WarByUs, 0) > u(RussiaCapitulates, 0) {
            assert!(!matches!(outcome, WarByRussia | WarByUs), "{table:?}");
            let both_satisfied = (0..2).all(|p| u(StatusQuo, p) > u(Negotiation, p));
            assert_eq!(outcome == StatusQuo, both_satisfied, "{table:?}");
        }
        checked += 1;
    }
}

/// The field names of one table of docs/output-formats.md's tree section
/// (the table after `marker`).
fn documented_fields(marker: &str) -> std::collections::BTreeSet<String> {
    let doc = std::fs::read_to_string(root().join("docs/output-formats.md")).unwrap();
    let tree = &doc[doc.find("#### Game trees (`brink solve TREE --json`)").expect("the tree section")..];
    let after = &tree[tree.find(marker).unwrap_or_else(|| panic!("{marker:?} is gone from the docs"))..];
    after
        .lines()
        .skip_while(|l| !l.starts_with("| field"))
        .skip(2)
        .take_while(|l| l.starts_with("| `"))
        .map(|l| l.trim_start_matches("| `").split('`').next().unwrap().to_string())
        .collect()
}

fn keys(v: &serde_json::Value) -> std::collections::BTreeSet<String> {
    v.as_object().unwrap_or_else(|| panic!("an object: {v}")).keys().cloned().collect()
}

/// The tree fields of `solve --json` were undocumented: each documented
/// table now matches the real output's keys, both ways.
#[test]
fn the_documented_tree_json_fields_are_the_written_ones() {
    let v = solve_json("deterrence-tree.toml");
    assert_eq!(documented_fields("For a game tree"), keys(&v));
    assert_eq!(documented_fields("`subgame_perfect`:"), keys(&v["subgame_perfect"]));
    let spe = &v["subgame_perfect"]["equilibria"][0];
    assert_eq!(keys(spe), ["behaviour", "payoffs", "play"].map(String::from).into());
    let behaviour = keys(&spe["behaviour"][0]);
    assert_eq!(behaviour, ["actions", "infoset", "player", "probabilities", "where"].map(String::from).into());
    let nash = v["nash_equilibria"].as_array().unwrap();
    assert_eq!(documented_fields("`nash_equilibria[i]`:"), keys(&nash[0]));
    let threat = nash.iter().flat_map(|e| e["non_credible_threats"].as_array().unwrap()).next().expect("a threat");
    let threat_fields = ["better_action", "better_value", "planned_value", "player", "sentence", "where"];
    assert_eq!(keys(threat), threat_fields.map(String::from).into());
    let doc = std::fs::read_to_string(root().join("docs/output-formats.md")).unwrap();
    for f in threat_fields.iter().chain(["actions", "infoset", "probabilities", "\"(no move)\""].iter()) {
        assert!(doc.contains(&format!("`{f}`")), "{f} is not documented");
    }
    assert_eq!(keys(&v["reduced_normal_form"]), ["strategies"].map(String::from).into());
}
