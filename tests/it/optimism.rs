//! Mutual optimism (Blainey 1973; Fearon 1995; issue 34): each side may
//! believe its own odds of winning a war (`believed_odds`). When both
//! overrate their chances so far that their expected war values sum above
//! the pie, no split satisfies both, even with complete information.

use brink::montecarlo::{RunConfig, simulate};
use brink::scenario;

/// A pie split by one take-it-or-leave-it offer; war is won by either side
/// with probability 0.5 and costs each 0.1. A believes it wins with
/// `a_odds`, B believes it wins with `b_odds` (each a TOML number or
/// distribution).
fn optimists(a_odds: &str, b_rest: f64, b_odds: &str, a_rest: f64) -> String {
    format!(
        r#"[scenario]
name = "Mutual optimism"
rounds = 1
first_mover = "a"
breakdown_hazard = 0.0

[[issues]]
id = "share"
options = {{ from = 0.0, to = 1.0, steps = 101 }}

[actors.a]
strategy = "reasoning"
believed_odds = {{ a-wins = {a_odds}, b-wins = {b_rest:?} }}
[actors.a.issues.share]
weight = 1.0
values = "increasing"

[actors.b]
strategy = "reasoning"
believed_odds = {{ a-wins = {a_rest:?}, b-wins = {b_odds} }}
[actors.b.issues.share]
weight = 1.0
values = "decreasing"

[[disagreement]]
id = "a-wins"
probability = 0.5
payoffs = {{ a = 0.9, b = -0.1 }}

[[disagreement]]
id = "b-wins"
probability = 0.5
payoffs = {{ a = -0.1, b = 0.9 }}
"#
    )
}

fn agreement_share(text: &str, runs: u64) -> f64 {
    let (_, model) = scenario::load_bytes("optimism.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let tally = simulate(&model, &RunConfig { seed: 2, runs: 0..runs, keep_runs: false, causes: false }, |_| true);
    tally.ends[0] as f64 / tally.runs as f64
}

#[test]
fn optimists_whose_war_values_sum_above_the_pie_find_no_deal() {
    for o in [0.0, 0.05, 0.08, 0.12, 0.15, 0.2, 0.3] {
        // War values: A 0.5 + o − 0.1, B the same; no split satisfies both
        // when they sum above 1, i.e. when o > 0.1.
        let sum = 2.0 * (0.5 + o - 0.1);
        let believed = 0.5 + o;
        let text = optimists(&format!("{believed:?}"), 1.0 - believed, &format!("{believed:?}"), 1.0 - believed);
        let share = agreement_share(&text, 4);
        assert_eq!(share, if sum > 1.0 { 0.0 } else { 1.0 }, "optimism {o}: war values sum to {sum}");
    }
}

#[test]
fn the_failure_share_falls_as_the_optimism_shrinks() {
    // A's and B's believed odds are drawn (private) around a mean optimism m;
    // each knows only the other's mean.
    let mut failures = Vec::new();
    for m in [0.16, 0.12, 0.08, 0.04] {
        let (lo, hi) = (0.5 + m - 0.1, 0.5 + m + 0.1);
        let odds = format!("{{ uniform = [{lo:?}, {hi:?}] }}");
        let text = optimists(&odds, 0.5 - m, &odds, 0.5 - m);
        failures.push(1.0 - agreement_share(&text, 2000));
    }
    assert!(failures.windows(2).all(|w| w[1] <= w[0]), "failures must fall with the optimism: {failures:?}");
    assert!(failures[0] > failures[3] + 0.2, "and materially: {failures:?}");
}

#[test]
fn check_names_mutual_optimism_and_the_believed_reservation() {
    let text = optimists("0.7", 0.3, "0.6", 0.4);
    let (_, model) = scenario::load_bytes("optimism.toml", text.as_bytes()).unwrap();
    let summary = brink::report::check::text(&model, "optimism.toml");
    // A: 0.7 × 0.9 + 0.3 × (−0.1) = 0.600; B: 0.6 × 0.9 + 0.4 × (−0.1) = 0.500.
    assert!(
        summary.contains("reservation  0.600 (expected value of the conflict lottery at the odds it believes)"),
        "{summary}"
    );
    assert!(
        summary.contains("reservation  0.500 (expected value of the conflict lottery at the odds it believes)"),
        "{summary}"
    );
    assert!(
        summary.contains("Mechanisms of failure (docs/model.md): mutual optimism (believed odds of war)"),
        "{summary}"
    );
}
