//! Indivisible stakes (Fearon 1995; issue 34): when the issue takes only
//! "all to A" or "all to B", costly war no longer guarantees a deal. With
//! war won by A with probability p and costing A c_A and B c_B, conflict
//! occurs exactly when p − c_A > 0 (A prefers war to giving everything up)
//! and p + c_B < 1 (B prefers war to giving everything up). The test checks
//! brink's runs against that condition, computed here, over a grid of p,
//! c_A and c_B.

use brink::montecarlo::{RunConfig, simulate};
use brink::scenario;

/// One issue with two options, one take-it-or-leave-it offer by A, complete
/// information, no breakdown risk.
fn indivisible(p: f64, c_a: f64, c_b: f64) -> String {
    format!(
        r#"[scenario]
name = "Indivisible stake"
rounds = 1
first_mover = "a"
breakdown_hazard = 0.0

[[issues]]
id = "stake"
options = ["to-b", "to-a"]

[actors.a]
strategy = "reasoning"
[actors.a.issues.stake]
weight = 1.0
values = [0.0, 1.0]

[actors.b]
strategy = "reasoning"
[actors.b.issues.stake]
weight = 1.0
values = [1.0, 0.0]

[[disagreement]]
id = "a-wins"
probability = {p:?}
payoffs = {{ a = {a_win:?}, b = {b_lose:?} }}

[[disagreement]]
id = "b-wins"
probability = {q:?}
payoffs = {{ a = {a_lose:?}, b = {b_win:?} }}
"#,
        q = 1.0 - p,
        a_win = 1.0 - c_a,
        a_lose = -c_a,
        b_win = 1.0 - c_b,
        b_lose = -c_b,
    )
}

#[test]
fn indivisible_stakes_fail_exactly_where_fearon_says() {
    let mut conflicts = 0;
    let mut cases = 0;
    for p in [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95] {
        for c_a in [0.0, 0.1, 0.3, 0.6] {
            for c_b in [0.0, 0.1, 0.3, 0.6] {
                // Fearon: conflict iff p − c_A > 0 and p + c_B < 1 (the grid
                // avoids the knife-edge cases of equality).
                let expected = p - c_a > 1e-9 && p + c_b < 1.0 - 1e-9;
                let text = indivisible(p, c_a, c_b);
                let (_, model) = scenario::load_bytes("indivisible.toml", text.as_bytes()).unwrap();
                let tally =
                    simulate(&model, &RunConfig { seed: 0, runs: 0..4, keep_runs: false, causes: false }, |_| true);
                let agreements = tally.ends[0];
                assert_eq!(
                    agreements == 0,
                    expected,
                    "p {p}, c_A {c_a}, c_B {c_b}: {agreements} of {} runs agreed; Fearon expects {}",
                    tally.runs,
                    if expected { "conflict" } else { "a deal" }
                );
                assert!(agreements == 0 || agreements == tally.runs, "complete information: all or none");
                conflicts += usize::from(expected);
                cases += 1;
            }
        }
    }
    // Not vacuous: the grid holds both kinds of case.
    assert!(conflicts > 10 && cases - conflicts > 10, "{conflicts} conflicts in {cases} cases");
}
