//! Shifting power and the commitment problem (issue 33): Powell's (2006)
//! two-period result, checked on brink's own runs.
//!
//! In the two-period case (one unit divided each period, war ending the game
//! with the declining side's chance p_t and costing c each period) no
//! acceptable deal exists exactly when δ(p1 − p2) > 1 − p1 + c. The tests
//! compute that threshold from the formula, never from brink's code.

use brink::montecarlo::{RunConfig, simulate};
use brink::scenario;

/// The two-period scenario: the rising side offers the declining side a
/// share, take it or leave it; war gives the declining side 1 − c with
/// chance p1 now (and p2 in the deal's second period), −c otherwise, and
/// the rising side the rest, less its own cost.
fn two_period(p1: f64, p2: f64, c: f64, delta: f64, enforcement: &str) -> String {
    format!(
        r#"[scenario]
name = "Two-period commitment problem"
rounds = 1
first_mover = "rising"
breakdown_hazard = 0.0

[[issues]]
id = "share"
options = {{ from = 0.0, to = 1.0, steps = 1001 }}

[actors.rising]
strategy = "reasoning"
[actors.rising.issues.share]
weight = 1.0
values = "decreasing"

[actors.declining]
strategy = "reasoning"
[actors.declining.issues.share]
weight = 1.0
values = "increasing"

[[disagreement]]
id = "declining-wins"
probability = {p1:?}
payoffs = {{ declining = {dw:?}, rising = {rl:?} }}

[[disagreement]]
id = "rising-wins"
probability = {q1:?}
payoffs = {{ declining = {dl:?}, rising = {rw:?} }}

[power_shift]
discount = {delta:?}
enforcement = {enforcement}

[[power_shift.periods]]
probability = {{ declining-wins = {p2:?}, rising-wins = {q2:?} }}
"#,
        q1 = 1.0 - p1,
        q2 = 1.0 - p2,
        dw = 1.0 - c,
        dl = -c,
        rw = 1.0 - RISING_COST,
        rl = -RISING_COST,
    )
}

/// The share of runs that end without a deal.
fn failure_share(text: &str) -> f64 {
    let (_, model) = scenario::load_bytes("two-period.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let tally = simulate(&model, &RunConfig { seed: 1, runs: 0..8, keep_runs: false, causes: false }, |_| true);
    assert_eq!(tally.ends.iter().sum::<u64>(), tally.runs);
    // ends: agreement, deadline, breakdown, walk-away.
    1.0 - tally.ends[0] as f64 / tally.runs as f64
}

const P1: f64 = 0.8;
/// The rising side's cost of war: Powell's condition does not involve it,
/// but with none a deal would leave the rising side no better than war.
const RISING_COST: f64 = 0.1;
const STEP: f64 = 0.01;

/// p2 on a grid of `STEP` from 0 to p1.
fn grid() -> Vec<f64> {
    (0..=(P1 / STEP).round() as usize).map(|i| i as f64 * STEP).collect()
}

#[test]
fn failure_jumps_from_0_to_1_where_powell_puts_the_threshold() {
    for delta in [0.6, 0.8, 0.95] {
        for c in [0.0, 0.05, 0.1] {
            // δ(p1 − p2) = 1 − p1 + c
            let threshold = P1 - (1.0 - P1 + c) / delta;
            let mut failing = Vec::new();
            for p2 in grid() {
                let fails = failure_share(&two_period(P1, p2, c, delta, "\"informal\""));
                assert!(fails == 0.0 || fails == 1.0, "δ {delta}, c {c}, p2 {p2}: failure share {fails}");
                if (p2 - threshold).abs() > STEP {
                    let expected = if p2 < threshold { 1.0 } else { 0.0 };
                    assert_eq!(fails, expected, "δ {delta}, c {c}, p2 {p2} (threshold {threshold:.4})");
                }
                if fails == 1.0 {
                    failing.push(p2);
                }
            }
            assert!(!failing.is_empty(), "δ {delta}, c {c}: some shift is large enough (threshold {threshold:.3})");
        }
    }
}

#[test]
fn enforcement_shrinks_the_failure_region_and_a_binding_deal_removes_it() {
    let (delta, c) = (0.9, 0.05);
    let mut region = Vec::new();
    for q in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let failing = grid()
            .into_iter()
            .filter(|&p2| failure_share(&two_period(P1, p2, c, delta, &format!("{q:?}"))) > 0.0)
            .count();
        // The formula with enforcement q: the declining side's best deal is
        // worth (1 + δ(q + (1 − q)(p2 − c))) / (1 + δ) against p1 − c now.
        let theory = grid()
            .into_iter()
            .filter(|&p2| (1.0 + delta * (q + (1.0 - q) * (p2 - c))) / (1.0 + delta) < P1 - c - 1e-9)
            .count();
        assert!(failing.abs_diff(theory) <= 1, "q {q}: {failing} failing shifts, theory {theory}");
        region.push(failing);
    }
    assert!(region.windows(2).all(|w| w[1] <= w[0]), "the failure region must shrink as q grows: {region:?}");
    assert!(region[0] > region[3], "enforcement matters: {region:?}");
    assert_eq!(region[4], 0, "a fully enforceable deal removes the failure");
    // And a named level: "verified" binds.
    assert_eq!(failure_share(&two_period(P1, 0.0, c, delta, "\"verified\"")), 0.0);
}

#[test]
fn a_power_shift_without_a_shift_changes_nothing() {
    let base = crate::common::without_tables(
        brink::scenario::find_builtin("geneva-2022").unwrap().text,
        &["power_shift", "variants.written-treaty"],
    );
    let base = base.as_str();
    // The schedule's period repeats the lottery as it is.
    let same = format!(
        "{base}\n[power_shift]\ndiscount = 0.9\nenforcement = \"informal\"\n\n[[power_shift.periods]]\n\
         probability = {{ status-quo = 0.40 }}\n"
    );
    crate::common::assert_same_results(&same, base, 3);
}

#[test]
fn check_names_the_commitment_problem_and_shows_the_schedule() {
    let dir = crate::common::scratch("check");
    let file = dir.join("two-period.toml");
    std::fs::write(&file, two_period(P1, 0.2, 0.05, 0.9, "\"written\"")).unwrap();
    let text = crate::common::ok(&crate::common::brink(&["check", file.to_str().unwrap()]));
    assert!(text.contains("Mechanisms of failure (docs/model.md): commitment problem (shifting power)"), "{text}");
    assert!(text.contains("a deal binds with probability 0.5 (written)"), "{text}");
    // War in the second period: 0.2 × 0.95 + 0.8 × (−0.05) = 0.15 to the declining side.
    assert!(
        text.contains(
            "period 1: declining-wins p = 0.2, rising-wins p = 0.8; war then worth rising 0.700, declining 0.150"
        ),
        "{text}"
    );
    let json = crate::common::ok(&crate::common::brink(&["check", file.to_str().unwrap(), "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["mechanisms"], serde_json::json!(["commitment problem (shifting power)"]));
    assert_eq!(v["power_shift"]["enforcement_level"], "written");
    // A scenario without the keys names none.
    let plain = crate::common::ok(&crate::common::brink(&["check", "rubinstein", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&plain).unwrap();
    assert_eq!(v["mechanisms"], serde_json::json!([]));
    assert!(v["power_shift"].is_null());
}

/// The shipped teaching scenario: the talks fail in the baseline, and each
/// variant (a binding treaty, a shift below the threshold) brings a deal.
#[test]
fn the_commitment_scenario_fails_unless_the_deal_binds_or_the_shift_is_slow() {
    let text = brink::scenario::find_builtin("commitment").unwrap().text;
    let share = |variant: Option<&str>| {
        let adj =
            scenario::Adjustments { variants: variant.map(str::to_string).into_iter().collect(), overrides: vec![] };
        let (_, model) = scenario::load_bytes_adjusted("commitment.toml", text.as_bytes(), &adj).unwrap();
        assert!(model.params.uncertain.is_empty(), "complete information");
        assert_eq!(model.params.means[model.hazard as usize], 0.0, "no accidental breakdown");
        assert_eq!(model.issues.len(), 1);
        let tally = simulate(&model, &RunConfig { seed: 0, runs: 0..2000, keep_runs: false, causes: false }, |_| true);
        tally.ends[0] as f64 / tally.runs as f64
    };
    assert!(1.0 - share(None) >= 0.9, "the baseline fails: agreement {}", share(None));
    for variant in ["binding-treaty", "slow-shift"] {
        assert!(share(Some(variant)) >= 0.99, "{variant}: agreement {}", share(Some(variant)));
    }
}

#[test]
fn trace_says_why_the_declining_side_fights_with_the_numbers() {
    let text = crate::common::ok(&crate::common::brink(&["trace", "commitment"]));
    for line in [
        "Shifting power after a deal: it binds with probability 0.000 (informal)",
        "period 1: war would be worth rising 0.500, declining 0.350 (now 0.100, 0.750): rising would revise a deal to give declining no more than its war value then",
        // (1 + 0.9 (0.4 − 0.05)) / 1.9 = 0.692 < 0.8 × 0.95 − 0.2 × 0.05 = 0.750
        "declining: the best deal is worth 0.692 over its life, conflict now 0.750: no deal is worth more than fighting now",
        "the deadline passed with no deal",
    ] {
        assert!(text.contains(line), "brink trace commitment lacks {line:?}:\n{text}");
    }
    let doc = std::fs::read_to_string(crate::common::root().join("docs/teaching.md")).unwrap();
    for line in [
        "    period 1: war would be worth rising 0.500, declining 0.350 (now 0.100, 0.750): rising would revise a deal to give declining no more than its war value then",
        "    declining: the best deal is worth 0.692 over its life, conflict now 0.750: no deal is worth more than fighting now",
    ] {
        assert!(text.contains(line) && doc.contains(line), "docs/teaching.md and the trace must both show {line:?}");
    }
    let text = crate::common::ok(&crate::common::brink(&["trace", "commitment", "--variant", "binding-treaty"]));
    assert!(
        text.contains("it binds with probability 1.000 (verified)") && text.contains("Outcome: agreement"),
        "{text}"
    );
}

/// The sweeps of docs/teaching.md, segment 10: where a deal appears.
#[test]
fn the_sweeps_in_the_lesson_find_the_thresholds_the_formula_gives() {
    let agreement_by_point = |param: &str| -> Vec<(f64, f64)> {
        let out = crate::common::fresh_path(param.split('=').next().unwrap());
        crate::common::ok(&crate::common::brink(&[
            "sweep",
            "commitment",
            "--param",
            param,
            "--runs",
            "200",
            "--no-plots",
            "--out",
            out.to_str().unwrap(),
        ]));
        let mut r = csv::Reader::from_path(out.join("sweep.csv")).unwrap();
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let (x, agree) = (0, header.iter().position(|h| h == "end:agreement").expect("an agreement column"));
        r.records()
            .map(|rec| {
                let rec = rec.unwrap();
                (rec[x].parse().unwrap(), rec[agree].parse().unwrap())
            })
            .collect()
    };
    // δ(p1 − p2) = 1 − p1 + c: δ* = 0.25 / 0.4 = 0.625.
    for (delta, agreement) in agreement_by_point("power_shift.discount=0.5:1:11") {
        assert_eq!(agreement, if delta < 0.625 { 1.0 } else { 0.0 }, "δ = {delta}");
    }
    // (1 + δ(q + (1 − q)(p2 − c))) / (1 + δ) = p1 − c: q* = 0.188.
    let q_star = ((0.75 * 1.9 - 1.0) / 0.9 - 0.35) / (1.0 - 0.35);
    for (q, agreement) in agreement_by_point("power_shift.enforcement=0:1:11") {
        assert_eq!(agreement, if q > q_star { 1.0 } else { 0.0 }, "q = {q} (q* = {q_star:.3})");
    }
}

/// A student playing the declining side is told that offers are worth their
/// value over the deal's life, and sees that value on every offer.
#[test]
fn play_tells_the_declining_side_what_a_deal_is_worth_over_its_life() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    // The game is saved in a scratch folder, not in the checkout's transcripts/.
    let dir = crate::common::scratch("play-commitment");
    let mut child = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(["play", "commitment", "--as", "declining"])
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(b"reject\n");
    let o = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(text.contains("power shifts after a deal: a deal binds with probability 0.000"), "{text}");
    assert!(text.contains("War would then be worth to you: period 1: 0.350"), "{text}");
    // The rising side's offer of share 0: 0.9 × 0.35 / 1.9 = 0.166 over its life.
    assert!(text.contains("worth 0.166 to you"), "{text}");
}
