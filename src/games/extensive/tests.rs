//! Textbook trees with known answers.

use num_rational::BigRational;

use super::*;

fn q(n: i64, d: i64) -> BigRational {
    BigRational::new(n.into(), d.into())
}

fn tree(src: &str) -> Tree {
    from_toml_str(src).unwrap_or_else(|e| panic!("{e}"))
}

/// The chosen action's label at the information set of node `label`.
fn choice(t: &Tree, b: &Behaviour, label: &str) -> String {
    let n = t.nodes.iter().position(|n| n.label == label).unwrap();
    let h = t.nodes[n].infoset.unwrap();
    let probs = b[h].as_ref().expect("specified");
    let k = probs.iter().position(|p| *p == q(1, 1)).expect("pure");
    t.infosets[h].actions[k].clone()
}

#[test]
fn entry_deterrence_spe_is_enter_accommodate() {
    let t = tree(toml_format::tests::ENTRY);
    let s = analyse(&t);
    let spe = s.spe.as_ref().unwrap();
    assert_eq!(spe.equilibria.len(), 1);
    let e = &spe.equilibria[0];
    assert_eq!(choice(&t, &e.behaviour, "entry"), "Enter");
    assert_eq!(choice(&t, &e.behaviour, "response"), "Accommodate");
    assert_eq!(e.payoffs, vec![q(1, 1), q(1, 1)]);
}

#[test]
fn nash_equilibria_include_the_non_credible_threat_and_flag_it() {
    let t = tree(toml_format::tests::ENTRY);
    let s = analyse(&t);
    let form = s.reduced.as_ref().unwrap();
    assert_eq!(form.strategies[1], vec!["Fight", "Accommodate"]);
    // (Stay out, Fight) with Fight pure, and a continuum: Stay out against
    // any Fight probability of at least 1/2. Extreme points: Fight, and
    // Fight/Accommodate 1/2 each.
    assert!(s.nash.len() >= 2, "{:?}", s.nash);
    let threat_eq: Vec<&TreeNash> = s.nash.iter().filter(|e| !e.subgame_perfect()).collect();
    assert!(!threat_eq.is_empty());
    for e in &threat_eq {
        assert_eq!(e.payoffs, vec![q(0, 1), q(2, 1)]);
        let th = &e.threats[0];
        assert_eq!(t.players[th.player], "Incumbent");
        assert_eq!(t.infosets[th.infoset].actions[th.better_action], "Accommodate");
        assert_eq!(th.better_value, q(1, 1));
        assert!(th.planned_value < q(1, 1));
    }
    let credible: Vec<&TreeNash> = s.nash.iter().filter(|e| e.subgame_perfect()).collect();
    assert_eq!(credible.len(), 1);
    assert_eq!(credible[0].payoffs, vec![q(1, 1), q(1, 1)]);
}

const CENTIPEDE: &str = r#"
title = "Centipede, four stages"
players = ["Ann", "Bob"]
root = "c1"
[nodes.c1]
player = "Ann"
moves = [{ action = "Stop", payoffs = [1, 0] }, { action = "Continue", to = "c2" }]
[nodes.c2]
player = "Bob"
moves = [{ action = "Stop", payoffs = [0, 2] }, { action = "Continue", to = "c3" }]
[nodes.c3]
player = "Ann"
moves = [{ action = "Stop", payoffs = [3, 1] }, { action = "Continue", to = "c4" }]
[nodes.c4]
player = "Bob"
moves = [{ action = "Stop", payoffs = [2, 4] }, { action = "Continue", payoffs = [5, 3] }]
"#;

#[test]
fn four_stage_centipede_ends_at_once() {
    let t = tree(CENTIPEDE);
    let s = analyse(&t);
    let spe = s.spe.as_ref().unwrap();
    assert_eq!(spe.equilibria.len(), 1);
    let b = &spe.equilibria[0].behaviour;
    for node in ["c1", "c2", "c3", "c4"] {
        assert_eq!(choice(&t, b, node), "Stop", "{node}");
    }
    assert_eq!(spe.equilibria[0].payoffs, vec![q(1, 1), q(0, 1)]);
    // Reduced strategies: Ann has Stop, (Continue, Stop), (Continue, Continue).
    let form = s.reduced.as_ref().unwrap();
    assert_eq!(form.strategies[0], vec!["Stop", "Continue/Stop", "Continue/Continue"]);
    // Every Nash equilibrium ends at once, too.
    for e in &s.nash {
        assert_eq!(e.payoffs, vec![q(1, 1), q(0, 1)]);
    }
    assert!(s.nash.iter().any(|e| !e.subgame_perfect()));
}

#[test]
fn ties_give_every_subgame_perfect_equilibrium() {
    // The responder is indifferent after Enter: two SPEs.
    let t = tree(&toml_format::tests::ENTRY.replace("[-1, -1]", "[-1, 1]"));
    let spe = subgame_perfect_equilibria(&t).unwrap();
    assert_eq!(spe.equilibria.len(), 2);
    let firsts: Vec<String> = spe.equilibria.iter().map(|e| choice(&t, &e.behaviour, "entry")).collect();
    assert_eq!(firsts, vec!["Stay out", "Enter"]);
}

#[test]
fn chance_moves_are_averaged_exactly() {
    let src = r#"
title = "Chance"
players = ["A"]
root = "n"
[nodes.n]
player = "chance"
moves = [
  { action = "low", probability = "1/3", to = "a" },
  { action = "high", probability = "2/3", payoffs = [3] },
]
[nodes.a]
player = "A"
moves = [{ action = "x", payoffs = [1] }, { action = "y", payoffs = [2] }]
"#;
    let t = tree(src);
    let spe = subgame_perfect_equilibria(&t).unwrap();
    assert_eq!(spe.equilibria[0].payoffs, vec![q(8, 3)]);
    let s = analyse(&t);
    assert!(s.nash_pure_only);
    assert_eq!(s.nash.len(), 1);
}

/// Entry followed by a simultaneous-move subgame (Battle of the Sexes
/// after entry): the subgame has three equilibria, so three SPEs.
const ENTRY_THEN_BATTLE: &str = r#"
title = "Entry then battle"
players = ["Entrant", "Incumbent"]
root = "entry"
[nodes.entry]
player = "Entrant"
moves = [{ action = "Out", payoffs = [2, 3] }, { action = "In", to = "e" }]
[nodes.e]
player = "Entrant"
moves = [{ action = "Big", to = "i1" }, { action = "Small", to = "i2" }]
[nodes.i1]
player = "Incumbent"
infoset = "incumbent"
moves = [{ action = "Big", payoffs = [0, 0] }, { action = "Small", payoffs = [3, 1] }]
[nodes.i2]
player = "Incumbent"
infoset = "incumbent"
moves = [{ action = "Big", payoffs = [1, 3] }, { action = "Small", payoffs = [0, 0] }]
"#;

#[test]
fn imperfect_information_subgames_are_solved_bottom_up() {
    let t = tree(ENTRY_THEN_BATTLE);
    assert!(!t.has_perfect_information());
    let roots = t.subgame_roots();
    assert!(roots[0] && roots[2], "{roots:?}");
    let spe = subgame_perfect_equilibria(&t).unwrap();
    assert!(spe.used_normal_form);
    assert_eq!(spe.proper_subgames, 1);
    assert_eq!(spe.equilibria.len(), 3);
    // Subgame values: (3,1), (1,3), (3/4, 3/4) in the mixed one; the
    // entrant enters only in the first.
    let entries: Vec<String> = spe.equilibria.iter().map(|e| choice(&t, &e.behaviour, "entry")).collect();
    assert_eq!(entries.iter().filter(|c| *c == "In").count(), 1, "{entries:?}");
    assert!(spe.equilibria.iter().any(|e| e.payoffs == vec![q(3, 1), q(1, 1)]));
}

#[test]
fn perfect_recall_violations_are_said_plainly() {
    // Ann forgets her own first move.
    let src = r#"
title = "Forgetful"
players = ["Ann", "Bob"]
root = "a"
[nodes.a]
player = "Ann"
moves = [{ action = "L", to = "b1" }, { action = "R", to = "b2" }]
[nodes.b1]
player = "Ann"
infoset = "later"
moves = [{ action = "x", payoffs = [1, 0] }, { action = "y", payoffs = [0, 1] }]
[nodes.b2]
player = "Ann"
infoset = "later"
moves = [{ action = "x", payoffs = [0, 1] }, { action = "y", payoffs = [1, 0] }]
"#;
    let t = tree(src);
    let v = t.perfect_recall_violation().unwrap();
    assert_eq!(v.player, "Ann");
    assert!(v.explanation.contains("after L") && v.explanation.contains("after R"), "{}", v.explanation);
    let s = analyse(&t);
    assert!(matches!(s.spe, Err(SpeError::NoPerfectRecall(_))));
    assert!(s.spe.unwrap_err().to_string().contains("perfect recall"));
}

#[test]
fn gambit_entry_game_has_no_proper_subgame_beyond_the_players_moves() {
    let t = from_efg_str(include_str!("../../../tests/fixtures/efg/entry-accommodation.efg")).unwrap();
    let s = analyse(&t);
    let spe = s.spe.unwrap();
    assert!(spe.used_normal_form);
    for e in &spe.equilibria {
        assert!(s.nash.iter().any(|n| n.payoffs == e.payoffs));
    }
}

/// The issue's tree: P1 is indifferent between a and b after L, x; P2's y
/// is credible if P1 plays b there, as the SPE "R; y; b" has it.
const TIE_COMPLETION: &str = r#"EFG 2 R "tie completion" { "P1" "P2" }
""

p "" 1 1 "root" { "L" "R" } 0
p "" 2 1 "p2" { "x" "y" } 0
p "" 1 2 "p1again" { "a" "b" } 0
t "" 1 "" { 1, 1 }
t "" 2 "" { 1, 0 }
t "" 3 "" { 0, 0 }
t "" 4 "" { 2, 0 }
"#;

#[test]
fn a_subgame_perfect_equilibrium_was_flagged_not_subgame_perfect_for_want_of_the_right_completion() {
    let t = from_efg_str(TIE_COMPLETION).unwrap();
    let s = analyse(&t);
    let spe = s.spe.as_ref().unwrap();
    assert_eq!(spe.equilibria.len(), 3, "R with (x, a), (x, b) and (y, b)");
    let set = |label: &str| t.infosets.iter().position(|h| h.label == label).unwrap();
    let (root, p2) = (set("root"), set("p2"));
    let second = Some(vec![q(0, 1), q(1, 1)]);
    let ry: Vec<&TreeNash> =
        s.nash.iter().filter(|e| e.behaviour[root] == second && e.behaviour[p2] == second).collect();
    assert!(!ry.is_empty(), "P1: R; P2: y is a Nash equilibrium of the reduced form: {:?}", s.nash);
    for e in ry {
        assert!(e.subgame_perfect(), "it is the SPE R; y; b reduced to plans: {:?}", e.threats);
    }
}

/// A random perfect-information tree in Gambit's format: two players,
/// chance moves, payoffs 0 to 2 (ties everywhere), some at inner nodes.
fn random_efg(rng: &mut rand_chacha::ChaCha8Rng) -> String {
    use rand::RngExt;
    fn node(rng: &mut rand_chacha::ChaCha8Rng, depth: u32, sets: &mut [u32; 2], outcomes: &mut u32, out: &mut String) {
        let terminal = depth >= 3 || (depth > 0 && rng.random_range(0..10) < 3);
        *outcomes += 1;
        let payoff = format!("{}, {}", rng.random_range(0..3), rng.random_range(0..3));
        if terminal {
            out.push_str(&format!("t \"\" {outcomes} \"\" {{ {payoff} }}\n"));
            return;
        }
        // An inner node's own payoff now and then.
        let inner = if rng.random_range(0..4) == 0 { format!("{outcomes} \"\" {{ {payoff} }}") } else { "0".into() };
        if depth > 0 && rng.random_range(0..6) == 0 {
            let k = *outcomes;
            out.push_str(&format!("c \"\" {k} \"\" {{ \"h\" 1/3 \"t\" 2/3 }} {inner}\n"));
        } else {
            let p = rng.random_range(0..2usize);
            sets[p] += 1;
            let actions = if rng.random_range(0..4) == 0 { "{ \"a\" \"b\" \"c\" }" } else { "{ \"a\" \"b\" }" };
            out.push_str(&format!("p \"\" {} {} \"\" {actions} {inner}\n", p + 1, sets[p]));
            let n = if actions.contains("\"c\"") { 3 } else { 2 };
            for _ in 0..n {
                node(rng, depth + 1, sets, outcomes, out);
            }
            return;
        }
        for _ in 0..2 {
            node(rng, depth + 1, sets, outcomes, out);
        }
    }
    let mut out = String::from("EFG 2 R \"random\" { \"P1\" \"P2\" }\n\"\"\n\n");
    node(rng, 0, &mut [0, 0], &mut 0, &mut out);
    out
}

/// In a perfect-information tree, a pure Nash equilibrium of the reduced
/// normal form is subgame perfect exactly when it is one of the listed
/// (pure) subgame-perfect equilibria reduced to plans, whatever the ties.
#[test]
fn a_pure_equilibrium_is_flagged_subgame_perfect_exactly_when_it_reduces_a_listed_spe() {
    use rand::SeedableRng;
    let mut checked = 0;
    for seed in 0..300u64 {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let src = random_efg(&mut rng);
        let t = match from_efg_str(&src) {
            Ok(t) => t,
            Err(e) => panic!("seed {seed}: {e}\n{src}"),
        };
        let s = analyse(&t);
        let Ok(spe) = s.spe.as_ref() else { continue };
        for e in &s.nash {
            let pure = e.mixed.iter().flatten().all(|w| w.is_zero() || w.is_one());
            if !pure {
                continue;
            }
            let reduces = spe
                .equilibria
                .iter()
                .any(|sp| e.behaviour.iter().enumerate().all(|(h, b)| b.is_none() || *b == sp.behaviour[h]));
            assert_eq!(e.subgame_perfect(), reduces, "seed {seed}: {:?}\n{src}", e.threats);
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} pure equilibria checked");
}
