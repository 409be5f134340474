//! Issue 10's theory checks for escalation ladders (shared risk, deterrence,
//! costs), the located errors of the ladder keys, and determinism with
//! ladders. Theory check 1 (no ladders, no change) is `tests/it/no_ladders.rs`.

use brink::analysis::outcomes::summarise;
use brink::engine::{self, RunSetup, Transcript};
use brink::model::Model;
use brink::montecarlo::{RunConfig, Tally, simulate};
use brink::scenario::{self, LoadError};

fn load(text: &str) -> Model {
    match scenario::load_bytes("case.toml", text.as_bytes()) {
        Ok((_, m)) => m,
        Err(e) => panic!("{e}"),
    }
}

fn tally(model: &Model, runs: u64) -> Tally {
    simulate(model, &RunConfig { seed: 10, runs: 0..runs, keep_runs: false, causes: false }, |_| true)
}

/// |observed - expected| within `z` standard errors of a proportion.
#[track_caller]
fn close(count: u64, n: u64, p: f64, z: f64) {
    let observed = count as f64 / n as f64;
    let se = (p * (1.0 - p) / n as f64).sqrt();
    assert!((observed - p).abs() <= z * se, "observed {observed}, theory {p} (±{:.4})", z * se);
}

/// Two actors who never agree: the talks end by breakdown or the deadline.
fn standoff(rounds: u32, hazard: f64, step_hazard: f64, start: &str) -> String {
    format!(
        r#"[scenario]
name = "Standoff"
rounds = {rounds}
breakdown_hazard = {hazard}
[[issues]]
id = "pie"
options = ["a", "b", "c"]
[actors.usa]
strategy = "hardliner"
acceptance = {{ threshold = 2.0 }}
escalate = {{ rule = "never", start = "{start}" }}
[[actors.usa.escalation]]
id = "threat"
hazard = {step_hazard}
[[actors.usa.escalation]]
id = "unused"
hazard = 0.5
[actors.usa.issues.pie]
weight = 1
values = "increasing"
[actors.russia]
strategy = "hardliner"
acceptance = {{ threshold = 2.0 }}
[actors.russia.issues.pie]
weight = 1
values = "decreasing"
"#
    )
}

/// Theory check 3: with hazard h per rejected round, talks of T rounds
/// (T - 1 hazard draws) break down with probability 1 - (1 - h)^(T - 1); a
/// step adding h' makes it h + h', and the share of breakdowns caused by
/// escalation is h' / (h + h') (the uniform draw falls in the added part).
#[test]
fn issue_10_shared_risk_raises_breakdown_at_the_rate_theory_gives() {
    let (rounds, h, added, n) = (12u32, 0.02, 0.03, 40_000u64);
    let base = load(
        &standoff(rounds, h, added, "threat")
            .replace("escalate = { rule = \"never\", start = \"threat\" }", "escalate = \"never\""),
    );
    let with_step = load(&standoff(rounds, h, added, "threat"));
    let draws = (rounds - 1) as i32;
    for (model, hazard) in [(&base, h), (&with_step, h + added)] {
        let t = tally(model, n);
        let theory = 1.0 - (1.0 - hazard).powi(draws);
        close(t.ends[2], n, theory, 4.0);
        let x = t.escalation.as_ref().expect("ladders are tallied");
        let causes = x.causes();
        assert_eq!(causes[0] + causes[1], t.ends[2], "every breakdown has one cause");
        close(causes[1], t.ends[2], (hazard - h) / hazard, 4.0);
    }
    // The step raises the failure rate clearly beyond both intervals.
    let (a, b) = (tally(&base, n).ends[2], tally(&with_step, n).ends[2]);
    assert!(b as f64 > a as f64 * 1.5, "{a} -> {b}");
}

/// A challenger (Russia, a reasoning agent) facing a US hardliner that
/// accepts nothing (so Russia has turns to decide on), with one rung that raises the
/// risk of war; the US starts on a sanctions rung that lowers what war is
/// worth to Russia by `threat`. Russia escalates by the reasoning rule.
/// War and the standoff are worth the same to the US, so climbing moves
/// nothing at the table: it only trades Russia's deal for a chance of war.
fn challenger(threat: f64, cost: f64) -> String {
    format!(
        r#"[scenario]
name = "Deterrence"
rounds = 10
breakdown_hazard = 0.01
first_mover = "usa"
[[issues]]
id = "pie"
options = {{ from = 0.0, to = 1.0, steps = 11 }}
[actors.usa]
strategy = "hardliner"
acceptance = {{ threshold = 2.0 }}
escalate = {{ rule = "never", start = "sanctions" }}
[[actors.usa.escalation]]
id = "sanctions"
payoff_shift = {{ war = {{ russia = {neg_threat} }} }}
[actors.usa.issues.pie]
weight = 1
values = "increasing"
[actors.russia]
strategy = "reasoning"
escalate = "reasoning"
[[actors.russia.escalation]]
id = "incursion"
cost = {cost}
hazard = 0.2
probability_shift = {{ war = 0.8, standoff = -0.8 }}
[actors.russia.issues.pie]
weight = 1
values = "decreasing"
[[disagreement]]
id = "standoff"
probability = 0.9
payoffs = {{ usa = 0.3, russia = 0.1 }}
[[disagreement]]
id = "war"
probability = 0.1
payoffs = {{ usa = 0.3, russia = 0.9 }}
"#,
        neg_threat = -threat
    )
}

fn climbed(model: &Model) -> (u64, u64) {
    let t = tally(model, 2000);
    (t.escalation.as_ref().unwrap().climbed[1], t.runs)
}

/// Theory check 2: deterrence. War worth 0.9 to Russia makes its conflict
/// value beat any deal it can expect, so a small threat (war still worth
/// 0.8) does not stop it climbing towards war; a threat that takes war down
/// to 0.1 puts its conflict value below the deal at the table, and a
/// reasoning challenger never climbs.
#[test]
fn issue_10_deterrence_works_only_when_the_threat_takes_conflict_below_the_table() {
    let weak = load(&challenger(0.1, 0.0));
    let strong = load(&challenger(0.8, 0.0));
    let p = &weak.params.means;
    // The premise, checked on the models themselves: Russia's conflict value
    // (at the top of its ladder, with the threat in place) against the best
    // deal the US would still accept.
    let best = |m: &Model| {
        let d_usa = m.reservation_at(0, [1, 1], &m.params.means);
        brink::analysis::escalation::best_deal(&m.mean_utilities[1], &m.mean_utilities[0], d_usa).unwrap()
    };
    assert!(weak.reservation_at(1, [1, 1], p) > best(&weak) - 0.2);
    assert!(strong.reservation_at(1, [1, 1], &strong.params.means) < best(&strong));
    let (w, n) = climbed(&weak);
    let (s, _) = climbed(&strong);
    assert!(w as f64 > 0.5 * n as f64, "a weak threat does not deter: {w} of {n} climbed");
    assert_eq!(s, 0, "a strong threat deters every reasoning challenger");
}

/// Theory check 4: costs are real. The same challenger with a weak threat
/// climbs when the step is free, and never when it costs more per round than
/// anything it could gain.
#[test]
fn issue_10_escalation_that_costs_more_than_it_gains_is_never_chosen() {
    let (free, n) = climbed(&load(&challenger(0.1, 0.0)));
    let (costly, _) = climbed(&load(&challenger(0.1, 0.5)));
    assert!(free as f64 > 0.5 * n as f64, "{free} of {n}");
    assert_eq!(costly, 0);
}

/// Mirror (tit-for-tat on the ladder) and the stalled rule, seen in a trace:
/// the reasons come with the moves, and ladders end where the moves put them.
#[test]
fn issue_10_rule_agents_climb_and_the_trace_says_why() {
    let text = challenger(0.1, 0.0)
        .replace("escalate = \"reasoning\"", "escalate = { rule = \"stalled\", after = 1 }")
        .replace("escalate = { rule = \"never\", start = \"sanctions\" }", "escalate = \"mirror\"");
    let m = load(&text);
    let mut setup = RunSetup::new(&m);
    let mut transcript = Transcript::default();
    let ending = engine::play(&m, &mut setup, 1, 0, &mut transcript);
    let moves: Vec<_> = transcript
        .events
        .iter()
        .filter_map(|e| match e {
            brink::engine::Event::Ladder { actor, step, .. } => Some((*actor, step.to, step.reason)),
            _ => None,
        })
        .collect();
    assert!(
        matches!(moves.first(), Some((1, 1, brink::engine::LadderReason::Stalled { .. }))),
        "Russia climbs when stalled: {moves:?}"
    );
    if ending.round > 1 {
        assert!(moves.iter().any(|m| m.0 == 0 && matches!(m.2, brink::engine::LadderReason::Mirror { opponent: 1 })));
    }
    assert_eq!(ending.ladder.positions[1], 1);
}

/// Results with ladders are the same bytes whatever the thread count.
#[test]
fn issue_10_ladders_keep_results_thread_invariant() {
    let b = scenario::find_builtin("geneva-2022").unwrap();
    let m = scenario::load_bytes(b.name, b.text.as_bytes()).unwrap().1;
    assert!(m.has_ladders());
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| tally(&m, 5000))
    };
    let (one, three) = (run(1), run(3));
    assert_eq!(one, three);
    let s = serde_json::to_string(&summarise(&m, &one)).unwrap();
    assert_eq!(s, serde_json::to_string(&summarise(&m, &three)).unwrap());
    assert!(s.contains("\"failures_by_cause\""));
}

/// Asserts that `input` is refused with a diagnostic containing `fragment` at `path`.
#[track_caller]
fn refused(input: &str, fragment: &str, path: &str) {
    let err = match scenario::load_bytes("case.toml", input.as_bytes()) {
        Ok(_) => panic!("expected an error containing {fragment:?}"),
        Err(e) => e,
    };
    let LoadError::Invalid { ref diagnostics, .. } = err else { panic!("unexpected I/O error") };
    assert!(
        diagnostics.iter().any(|d| d.message.contains(fragment) && d.path == path),
        "no diagnostic {fragment:?} at {path}; got:\n{err}"
    );
}

#[test]
fn issue_10_bad_ladders_get_located_errors() {
    let base = challenger(0.1, 0.0);
    refused(
        &base.replace("war = 0.8, standoff = -0.8", "wat = 0.8, standoff = -0.8"),
        "unknown disagreement outcome `wat`",
        "actors.russia.escalation[0].probability_shift.wat",
    );
    refused(
        &base.replace("war = 0.8, standoff = -0.8", "war = 0.8, standoff = -0.7"),
        "sum to",
        "actors.russia.escalation[0].probability_shift",
    );
    refused(&base.replace("cost = 0\n", "cost = 1.5\n"), "per-round cost", "actors.russia.escalation[0].cost");
    refused(
        &base.replace("start = \"sanctions\"", "start = \"sanction\""),
        "no step `sanction`",
        "actors.usa.escalate.start",
    );
    refused(
        &base.replace("escalate = \"reasoning\"", "escalate = \"reasonable\""),
        "unknown escalation rule",
        "actors.russia.escalate",
    );
    refused(
        &base.replace(
            "payoffs = { usa = 0.3, russia = 0.9 }",
            "payoffs = { usa = 0.3, russia = 0.9 }\nprobability_by_ending = { walk-away-russia = 0.5 }",
        ),
        "after a walk-away-russia, the probabilities",
        "disagreement",
    );
}

/// Clamping and renormalising: shifts that push a probability below 0 never
/// make the lottery NaN; it still sums to 1.
#[test]
fn issue_10_shifted_lottery_is_clamped_and_renormalised() {
    let text = challenger(0.1, 0.0).replace("war = 0.8, standoff = -0.8", "war = 0.95, standoff = -0.95");
    let m = load(&text);
    for column in 0..brink::model::escalation::LOTTERY_COLUMNS {
        let p: Vec<f64> = (0..2).map(|k| m.lottery_probability(k, column, [1, 1])).collect();
        assert!(p.iter().all(|x| x.is_finite() && *x >= 0.0), "{p:?}");
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // standoff 0.9 - 0.95 clamps to 0, war 0.1 + 0.95 clamps to 1.
        assert_eq!(p, vec![0.0, 1.0]);
    }
}

/// B (reasoning) opens; A (a hardliner) rejects B's offers, climbs a step
/// that shifts the war's odds its way when B's second offer is no better
/// than its first (round 2), and demands the whole pie in the last round.
/// Before the climb war is worth 0.1 to B, after it −0.1.
fn climb_then_demand() -> String {
    r#"[scenario]
name = "Climb, then demand"
rounds = 4
first_mover = "b"
breakdown_hazard = 0.0

[[issues]]
id = "share"
options = { from = 0.0, to = 1.0, steps = 11 }

[actors.a]
strategy = "hardliner"
escalate = { rule = "stalled", after = 1 }
[actors.a.issues.share]
weight = 1.0
values = "increasing"

[[actors.a.escalation]]
id = "mobilise"
probability_shift = { a-wins = 0.25, b-wins = -0.25 }

[actors.b]
strategy = "reasoning"
[actors.b.issues.share]
weight = 1.0
values = "decreasing"

[[disagreement]]
id = "a-wins"
probability = 0.5
payoffs = { a = 0.5, b = -0.3 }

[[disagreement]]
id = "b-wins"
probability = 0.5
payoffs = { a = -0.3, b = 0.5 }
"#
    .to_string()
}

/// A reasoning actor re-plans after every ladder move (issue 35): once A has
/// climbed, B's last-round threshold is its war value at the new positions
/// (−0.1), so it takes the whole-pie demand (worth 0 to it) that it would
/// have refused at its old war value (0.1).
#[test]
fn a_reasoning_actor_replans_after_the_other_side_climbs() {
    let model = load(&climb_then_demand());
    let mut t = Transcript::default();
    let ending = engine::play(&model, &mut RunSetup::new(&model), 0, 0, &mut t);
    let climbed = t.events.iter().any(|e| matches!(e, engine::Event::Ladder { round: 2, actor: 0, .. }));
    assert!(climbed, "A climbs after B's second offer: {:?}", t.events);
    let threshold = t.events.iter().find_map(|e| match e {
        engine::Event::Response { round: 3, responder: 1, verdict, .. } => Some(verdict.threshold),
        _ => None,
    });
    assert!((threshold.expect("B answers at round 3") + 0.1).abs() < 1e-9, "{threshold:?}");
    assert_eq!(ending.end, engine::End::Agreement, "{:?}", t.events);
    assert_eq!(ending.round, 3);
}
