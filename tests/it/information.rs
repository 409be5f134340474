//! Private information (Fearon 1995; issue 34): with no breakdown risk and no
//! other mechanism, talks fail only because the demander does not know what
//! the other side would accept. The failure share is 0 when the other side's
//! resolve is known, and rises with the spread of its possible types.

use brink::montecarlo::{RunConfig, simulate};
use brink::scenario;

/// A splits a pie by one take-it-or-leave-it offer; B's payoff from losing a
/// war (its resolve) is private, normal around −0.15 with spread `sd`.
fn private_resolve(sd: f64) -> String {
    format!(
        r#"[scenario]
name = "Private resolve"
rounds = 1
first_mover = "a"
breakdown_hazard = 0.0

[[issues]]
id = "share"
options = {{ from = 0.0, to = 1.0, steps = 101 }}

[actors.a]
strategy = "reasoning"
[actors.a.issues.share]
weight = 1.0
values = "increasing"

[actors.b]
strategy = "reasoning"
[actors.b.issues.share]
weight = 1.0
values = "decreasing"

[[disagreement]]
id = "a-wins"
probability = 0.6
payoffs = {{ a = 0.9, b = {{ normal = [-0.15, {sd:?}], min = -0.6, max = 0.3 }} }}

[[disagreement]]
id = "b-wins"
probability = 0.4
payoffs = {{ a = -0.1, b = 0.85 }}
"#
    )
}

/// (failures, runs) of 4,000 runs.
fn failures(sd: f64) -> (u64, u64) {
    let text = private_resolve(sd);
    let (_, model) = scenario::load_bytes("resolve.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let tally = simulate(&model, &RunConfig { seed: 4, runs: 0..4000, keep_runs: false, causes: false }, |_| true);
    (tally.runs - tally.ends[0], tally.runs)
}

/// Wilson's 95% interval of k of n.
fn wilson(k: u64, n: u64) -> (f64, f64) {
    let (p, n, z) = (k as f64 / n as f64, n as f64, 1.959_964);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    (centre - half, centre + half)
}

#[test]
fn failures_are_0_when_resolve_is_known_and_rise_with_its_spread() {
    let (known, _) = failures(0.0);
    assert_eq!(known, 0, "a one-point distribution is known: complete information, no failure");
    let spreads = [0.02, 0.05, 0.1, 0.2];
    let intervals: Vec<(f64, f64)> = spreads.iter().map(|&sd| failures(sd)).map(|(k, n)| wilson(k, n)).collect();
    assert!(intervals[0].0 > 0.0, "private resolve makes some talks fail: {intervals:?}");
    for (w, sd) in intervals.windows(2).zip(&spreads[1..]) {
        assert!(w[1].0 > w[0].1, "sd {sd}: failures must rise beyond the intervals: {intervals:?}");
    }
}

/// `scenario.types_known = true`: each side sees the other's drawn numbers,
/// so private resolve no longer makes talks fail; a run fails only when its
/// draws leave no deal both prefer to war (war values summing above the pie).
#[test]
fn with_types_known_a_run_fails_only_when_no_deal_exists() {
    use brink::engine::{self, NoObserver, RunSetup};
    for sd in [0.05, 0.2] {
        let text =
            private_resolve(sd).replacen("breakdown_hazard = 0.0\n", "breakdown_hazard = 0.0\ntypes_known = true\n", 1);
        let (_, model) = scenario::load_bytes("resolve.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert!(model.types_known);
        let mut setup = RunSetup::new(&model);
        let mut failed = 0;
        for run in 0..4000 {
            let ending = engine::play(&model, &mut setup, 4, run, &mut NoObserver);
            let (war_a, war_b) = (model.reservation(0, &setup.params), model.reservation(1, &setup.params));
            // A deal both strictly prefer to war, on the grid of 0.01 (at a
            // knife-edge the proposer is indifferent and may let the talks fail).
            let gain = (0..=100).map(|i| i as f64 / 100.0).any(|x| x > war_a + 1e-9 && 1.0 - x > war_b + 1e-9);
            if ending.agreement.is_none() {
                failed += 1;
                assert!(!gain, "sd {sd}, run {run}: failed although a deal beats war for both ({war_a}, {war_b})");
            }
        }
        let summary = brink::report::check::text(&model, "resolve.toml");
        assert!(!summary.contains("private information"), "known types are not private information:\n{summary}");
        // The same scenario without the key fails in more runs.
        assert!(failures(sd).0 > failed as u64, "sd {sd}");
    }
}

/// The shipped teaching scenario and its variants, as docs/teaching.md
/// quotes them (10,000 runs, seed 0).
#[test]
fn the_information_scenario_fails_without_complete_information_only() {
    let text = brink::scenario::find_builtin("information").unwrap().text;
    let failure = |variant: Option<&str>| {
        let adj =
            scenario::Adjustments { variants: variant.map(str::to_string).into_iter().collect(), overrides: vec![] };
        let (_, model) = scenario::load_bytes_adjusted("information.toml", text.as_bytes(), &adj).unwrap();
        assert_eq!(model.params.means[model.hazard as usize], 0.0, "no accidental breakdown");
        assert!(model.power.is_none());
        let tally =
            simulate(&model, &RunConfig { seed: 0, runs: 0..10_000, keep_runs: false, causes: false }, |_| true);
        (tally.runs - tally.ends[0]) as f64 / tally.runs as f64
    };
    let (base, known, wide) = (failure(None), failure(Some("types-known")), failure(Some("wide-types")));
    // `brink run` prints these as 8.2% (816 runs) and 14.2% (1,425 runs).
    assert_eq!((base * 10_000.0).round(), 816.0, "the baseline's 8.2% in the docs: {base}");
    assert_eq!(known, 0.0, "complete information: every run agrees");
    assert_eq!((wide * 10_000.0).round(), 1425.0, "wide-types' 14.2% in the docs: {wide}");
    assert!(base >= 0.05 && wide >= base + 0.05, "{base} {wide}");
}

/// Fearon (1995), the risk-return trade-off: A makes one take-it-or-leave-it
/// demand; B's war cost is private, uniform on [0, c̄]. A's best demand is
/// p + (c̄ − c_A)/2 and war follows with probability (c̄ − c_A)/(2c̄). A's
/// belief holds 16 types on a quantile grid (`belief = "quantiles"`), so the
/// discrete optimum is within 1/16 of the continuous one.
fn risk_return(p: f64, cbar: f64, c_a: f64) -> String {
    // B's reservation value is its war value, (1 − p) − c_B.
    let (lo, hi) = (1.0 - p - cbar, 1.0 - p);
    let (a_wins, b_wins) = (1.0 - c_a, -c_a);
    format!(
        r#"[scenario]
name = "Risk-return"
rounds = 1
first_mover = "a"
breakdown_hazard = 0.0

[[issues]]
id = "share"
options = {{ from = 0.0, to = 1.0, steps = 1001 }}

[actors.a]
strategy = {{ kind = "reasoning", belief = "quantiles" }}
[actors.a.issues.share]
weight = 1.0
values = "increasing"

[actors.b]
strategy = "reasoning"
reservation = {{ uniform = [{lo:?}, {hi:?}] }}
[actors.b.issues.share]
weight = 1.0
values = "decreasing"

[[disagreement]]
id = "a-wins"
probability = {p:?}
payoffs = {{ a = {a_wins:?}, b = 0.0 }}

[[disagreement]]
id = "b-wins"
probability = {q:?}
payoffs = {{ a = {b_wins:?}, b = 0.0 }}
"#,
        q = 1.0 - p
    )
}

#[test]
fn a_take_it_or_leave_it_demand_fails_as_often_as_fearons_risk_return_trade_off_says() {
    const K: f64 = 16.0;
    for p in [0.4, 0.5] {
        for cbar in [0.2, 0.4] {
            for c_a in [0.0, 0.05, 0.1] {
                let text = risk_return(p, cbar, c_a);
                let (_, model) = scenario::load_bytes("rr.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
                let runs = 4000;
                let tally =
                    simulate(&model, &RunConfig { seed: 6, runs: 0..runs, keep_runs: false, causes: false }, |_| true);
                let (k, n) = (tally.runs - tally.ends[0], tally.runs);
                let theory = (cbar - c_a) / (2.0 * cbar);
                let (lo, hi) = wilson(k, n);
                // Within 1/K of the theory, allowing for the sampling interval.
                assert!(
                    lo <= theory + 1.0 / K && hi >= theory - 1.0 / K,
                    "p {p}, c̄ {cbar}, c_A {c_a}: failure share {} [{lo:.3}, {hi:.3}], theory {theory:.3} ± 1/16",
                    k as f64 / n as f64
                );
            }
        }
    }
}

/// The quantile grid is the same every run: A's demand never changes, and
/// B refuses it exactly when its drawn war value is above what is left.
#[test]
fn a_belief_on_a_quantile_grid_makes_the_same_demand_every_run() {
    let text = risk_return(0.5, 0.4, 0.05);
    let (_, model) = scenario::load_bytes("rr.toml", text.as_bytes()).unwrap();
    let mut setup = brink::engine::RunSetup::new(&model);
    let demands: std::collections::BTreeSet<u32> = (0..200)
        .map(|run| {
            let mut t = brink::engine::Transcript::default();
            brink::engine::play(&model, &mut setup, 1, run, &mut t);
            match t.events[0] {
                brink::engine::Event::Proposal { proposal, .. } => proposal.outcome,
                _ => unreachable!("the first event is A's demand"),
            }
        })
        .collect();
    assert_eq!(demands.len(), 1, "{demands:?}");
    // p + (c̄ − c_A)/2 = 0.675; the grid's optimum is within a step of types.
    let share = *demands.iter().next().unwrap() as f64 / 1000.0;
    assert!((share - 0.675).abs() <= 0.4 / 16.0 + 1e-9, "A demands {share}");
}
