//! Audience costs (issue 35; docs/model.md §11; Fearon 1994): an actor that
//! made a public demand pays a domestic cost if it agrees to less, and that
//! cost makes its demand credible.

use brink::engine::{self, NoObserver, RunSetup};

use brink::scenario;

use crate::common::{brink, ok};

/// A splits a pie with B in one round; B demanded half in public, and
/// agreeing to less costs it `cost`. War is worth `p − c` to B and 0.3 to A.
fn public_demand(proposer: &str, cost: f64, p: f64, c: f64) -> String {
    format!(
        r#"[scenario]
name = "Public demand"
rounds = 1
first_mover = "a"
breakdown_hazard = 0.0

[[issues]]
id = "share"
options = {{ from = 0.0, to = 1.0, steps = 101 }}

[actors.a]
strategy = "{proposer}"
[actors.a.issues.share]
weight = 1.0
values = "increasing"

[actors.b]
strategy = "reasoning"
[actors.b.issues.share]
weight = 1.0
values = "decreasing"
[actors.b.audience_costs]
backing_down = {cost:?}
public_demand = {{ share = 0.5 }}

[[disagreement]]
id = "b-wins"
probability = {p:?}
payoffs = {{ a = -0.1, b = {win:?} }}

[[disagreement]]
id = "a-wins"
probability = {q:?}
payoffs = {{ a = 0.4, b = {lose:?} }}
"#,
        win = 1.0 - c,
        lose = -c,
        q = 1.0 - p
    )
}

fn ending(text: &str) -> engine::Ending {
    let (_, model) = scenario::load_bytes("pd.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let mut setup = RunSetup::new(&model);
    engine::play(&model, &mut setup, 0, 0, &mut NoObserver)
}

/// Fearon (1994): a public demand binds, and its maker fights rather than
/// back down, exactly when the cost a of backing down exceeds what backing
/// down gains over fighting: a > v_backdown − (p − c). The hardliner demands
/// the whole pie, so backing down is worth 0 to B before the cost.
#[test]
fn a_public_demand_binds_exactly_when_backing_down_costs_more_than_it_gains() {
    for (p, c) in [(0.2f64, 0.3f64), (0.1, 0.35), (0.4, 0.45)] {
        let v_backdown: f64 = 0.0;
        let threshold = v_backdown - (p - c);
        for a in [0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.16, 0.2, 0.24, 0.3, 0.5] {
            if (a - threshold).abs() < 1e-6 {
                continue; // indifferent: either answer is rational
            }
            let e = ending(&public_demand("hardliner", a, p, c));
            let holds = e.end != engine::End::Agreement;
            assert_eq!(holds, a > threshold, "p {p}, c {c}, a {a}: threshold {threshold}, ended {:?}", e.end);
        }
    }
}

/// A proposer who reasons sees the cost too: when backing down would cost B
/// more than any deal below its demand leaves it over war, A concedes
/// exactly B's public demand (lock-in); with no cost it takes more.
#[test]
fn a_reasoning_proposer_concedes_the_public_demand_when_backing_down_is_too_costly() {
    let share = |cost: f64| {
        let e = ending(&public_demand("reasoning", cost, 0.2, 0.3));
        let w = e.agreement.expect("a deal");
        w as f64 / 100.0
    };
    assert_eq!(share(0.0), 1.0, "no cost: B's war value is below 0, so A takes the whole pie");
    assert_eq!(share(0.3), 0.8, "1 − x − 0.3 ≥ −0.1: A still pushes B below its demand, to 0.8");
    assert_eq!(share(0.7), 0.5, "no deal below B's demand is worth the cost: A concedes the demand");
}

/// An audience cost of 0 is no audience cost: the same summary object and
/// the same ending of every run as the scenario without the key.
#[test]
fn an_audience_cost_of_0_changes_nothing() {
    let base = geneva_without_audience_costs();
    let zero = format!(
        "{base}\n[actors.russia.audience_costs]\nbacking_down = 0.0\npublic_demand = {{ nato = \"treaty-ban\" }}\n"
    );
    crate::common::assert_same_results(&zero, &base, 5);
}

/// geneva-2022 with its two audience-cost tables taken out, for tests that
/// write their own.
fn geneva_without_audience_costs() -> String {
    let base = scenario::find_builtin("geneva-2022").unwrap().text;
    crate::common::without_tables(base, &["actors.russia.audience_costs", "actors.usa.audience_costs"])
}

/// Without a declared demand, the actor's demand is its opening offer: its
/// favourite option on every issue it weighs. On geneva-2022 Russia's
/// favourites are written out, and both scenarios give the same results;
/// `brink check` lists the demand it found.
#[test]
fn without_a_declared_demand_the_opening_offer_is_the_demand() {
    let base = geneva_without_audience_costs();
    let base = base.as_str();
    let model = scenario::load_bytes("g.toml", base.as_bytes()).unwrap().1;
    let russia = model.actors.iter().position(|a| a.id == "russia").unwrap();
    let favourites: Vec<String> = model
        .issues
        .iter()
        .enumerate()
        .map(|(i, issue)| {
            let values: Vec<f64> =
                model.actors[russia].values[i].iter().map(|&p| model.params.means[p as usize]).collect();
            let best = (0..values.len()).fold(0, |b, k| if values[k] > values[b] { k } else { b });
            format!("{} = {:?}", issue.id, issue.options[best])
        })
        .collect();
    let opening = format!("{base}\n[actors.russia.audience_costs]\nbacking_down = 0.05\n");
    let declared = format!(
        "{base}\n[actors.russia.audience_costs]\nbacking_down = 0.05\npublic_demand = {{ {} }}\n",
        favourites.join(", ")
    );
    crate::common::assert_same_results(&opening, &declared, 5);
    // And the cost does something: the default demand is not an empty one.
    let model = scenario::load_bytes("o.toml", opening.as_bytes()).unwrap().1;
    let demand = model.describe_demand(russia).expect("a demand");
    assert_eq!(demand, favourites.join(", ").replace('"', ""));
    let space = model.space.len() as u32;
    assert!((0..space).any(|w| model.backs_down(russia, w)) && (0..space).any(|w| !model.backs_down(russia, w)));
}

/// The trace says why B holds, with the cost; `brink check` names the
/// mechanism and lists the demand.
#[test]
fn trace_and_check_say_what_backing_down_costs() {
    let dir = crate::common::scratch("audience-trace");
    let file = dir.join("pd.toml");
    std::fs::write(&file, public_demand("hardliner", 0.15, 0.2, 0.3)).unwrap();
    let f = file.to_str().unwrap();
    let text = ok(&brink(&["trace", f]));
    let line =
        "b would accept share = 1, but backing down from its public demand (share = 0.5) costs it 0.150: it holds";
    assert!(text.contains(line), "brink trace lacks {line:?}:\n{text}");
    let text = ok(&brink(&["check", f]));
    assert!(
        text.contains(
            "Audience costs (docs/model.md §11):\n  b: public demand share = 0.5; agreeing to less costs it 0.15"
        ),
        "{text}"
    );
    assert!(text.contains("audience costs (public demands)"), "{text}");
    // And an acceptance that backs down says what it cost.
    std::fs::write(&file, public_demand("hardliner", 0.05, 0.2, 0.3)).unwrap();
    let text = ok(&brink(&["trace", f]));
    assert!(text.contains("b backs down from its public demand (share = 0.5): the deal is worth -0.050 to it after the audience cost of 0.050"), "{text}");
}

/// B starts one step up a ladder whose step only costs it and adds risk;
/// A, a hardliner, demands everything, so B rejects and may move: its
/// reasoning rule steps down, unless the audience cost of stepping down is
/// larger than what the step down gains.
fn mobilised(step_down: f64) -> String {
    format!(
        r#"[scenario]
name = "Mobilised"
rounds = 6
first_mover = "a"
breakdown_hazard = 0.0
reversible_escalation = true

[[issues]]
id = "share"
options = {{ from = 0.0, to = 1.0, steps = 21 }}

[actors.a]
strategy = "hardliner"
discount = 0.9
[actors.a.issues.share]
weight = 1.0
values = "increasing"

[actors.b]
strategy = "reasoning"
discount = 0.9
escalate = {{ rule = "reasoning", start = "mobilise" }}
[actors.b.issues.share]
weight = 1.0
values = "decreasing"
[actors.b.audience_costs]
step_down = {step_down:?}

[[actors.b.escalation]]
id = "mobilise"
cost = 0.05
hazard = 0.1

[[disagreement]]
id = "war"
probability = 1.0
payoffs = {{ a = 0.3, b = 0.3 }}
"#
    )
}

/// Whether B stepped down in run 0, and the reason its rule gave.
fn b_steps_down(step_down: f64) -> (bool, Option<engine::LadderReason>) {
    let (_, model) = scenario::load_bytes("m.toml", mobilised(step_down).as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let mut setup = RunSetup::new(&model);
    let mut t = engine::Transcript::default();
    engine::play(&model, &mut setup, 0, 0, &mut t);
    let down = t.events.iter().find_map(|e| match e {
        engine::Event::Ladder { actor: 1, step, .. } if step.to < step.from => Some(step.reason),
        _ => None,
    });
    (down.is_some(), down)
}

/// After a climb, the climber steps down only where it pays after the
/// audience cost: free, B steps down; with a cost above the gain it holds.
#[test]
fn a_costly_step_down_is_taken_only_where_it_pays() {
    let (free, reason) = b_steps_down(0.0);
    assert!(free, "a step that only costs is taken back when that is free");
    let Some(engine::LadderReason::ExpectedValue { before, after, .. }) = reason else { panic!("{reason:?}") };
    let gain = after - before;
    assert!(gain > 0.0);
    assert!(b_steps_down(gain * 0.5).0, "a cost below the gain ({gain}) still pays");
    assert!(!b_steps_down(gain * 1.5).0, "a cost above the gain ({gain}) locks B in");
}

/// The trace says what a step down cost.
#[test]
fn trace_says_what_a_step_down_cost() {
    let dir = crate::common::scratch("step-down-trace");
    let file = dir.join("m.toml");
    std::fs::write(&file, mobilised(0.001)).unwrap();
    let text = ok(&brink(&["trace", file.to_str().unwrap()]));
    assert!(text.contains("b steps down from \"mobilise\" to no step"), "{text}");
    assert!(text.contains("backing down a step costs b an audience cost of 0.001"), "{text}");
}

/// `brink check` lists a step-down cost and names the mechanism; --json
/// carries both kinds of audience cost.
#[test]
fn check_lists_a_step_down_cost() {
    let dir = crate::common::scratch("step-down-check");
    let file = dir.join("m.toml");
    std::fs::write(&file, mobilised(0.04)).unwrap();
    let f = file.to_str().unwrap();
    let text = ok(&brink(&["check", f]));
    assert!(text.contains("  b: each step down its escalation ladder costs it 0.04\n"), "{text}");
    assert!(text.contains("audience costs (public demands)"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&ok(&brink(&["check", f, "--json"]))).unwrap();
    assert_eq!(v["audience_costs"][0]["step_down_mean"], 0.04);
    assert_eq!(v["audience_costs"][0]["backing_down_mean"], 0.0);
    std::fs::write(&file, public_demand("hardliner", 0.15, 0.2, 0.3)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(&brink(&["check", f, "--json"]))).unwrap();
    assert_eq!(v["audience_costs"][0]["public_demand"], serde_json::json!({ "share": "0.5" }));
    assert_eq!(v["audience_costs"][0]["backing_down_mean"], 0.15);
}

/// Stepping down costs the audience cost once, in the payoff.
#[test]
fn stepping_down_costs_the_audience_cost_once() {
    let payoff = |cost: f64| {
        let (_, model) = scenario::load_bytes("m.toml", mobilised(cost).as_bytes()).unwrap();
        let mut setup = RunSetup::new(&model);
        engine::play(&model, &mut setup, 0, 0, &mut NoObserver).payoff[1]
    };
    let (free, cheap) = (payoff(0.0), payoff(0.001));
    assert!((free - cheap - 0.001).abs() < 1e-12, "{free} − {cheap} is the cost of one step down");
}

/// What 10,000 runs (seed 0) of the shipped `audience` scenario did, with a
/// variant and `--set` overrides.
#[derive(Debug, Default)]
struct Lesson {
    agreements: u64,
    /// Runs that end with some ladder above its foot.
    ladder_up: u64,
    /// Runs in which the United States climbed during the talks.
    usa_climbed: u64,
    /// Runs in which Russia ends below where it started (it stepped down).
    russia_stepped_down: u64,
}

fn lesson(variant: Option<&str>, sets: &[&str]) -> Lesson {
    let text = scenario::find_builtin("audience").unwrap().text;
    let adj = scenario::Adjustments {
        variants: variant.map(str::to_string).into_iter().collect(),
        overrides: sets.iter().map(|s| scenario::overrides::parse_override(s).unwrap()).collect(),
    };
    let (_, model) = scenario::load_bytes_adjusted("a.toml", text.as_bytes(), &adj).unwrap_or_else(|e| panic!("{e}"));
    let start = model.ladder_start();
    let mut setup = RunSetup::new(&model);
    let mut out = Lesson::default();
    for run in 0..10_000 {
        let e = engine::play(&model, &mut setup, 0, run, &mut NoObserver);
        out.agreements += u64::from(e.end == engine::End::Agreement);
        out.ladder_up += u64::from(e.ladder.positions != [0, 0]);
        out.usa_climbed += u64::from(e.ladder.first_step[0].is_some());
        out.russia_stepped_down += u64::from(e.ladder.positions[1] < start[1]);
    }
    out
}

/// docs/teaching.md's segment on audience costs: its figures, and the
/// issue's bounds: without the costs agreement is more than 10 points
/// higher; with private costs some talks fail and some do not; a ladder
/// stands above its foot at the end of at least 20% of runs.
#[test]
fn the_audience_lesson_gives_the_numbers_in_the_docs() {
    let base = lesson(None, &[]);
    let free = lesson(Some("no-audience-cost"), &[]);
    let private = lesson(Some("private-cost"), &[]);
    assert_eq!((base.agreements, free.agreements, private.agreements), (6_238, 9_900, 4_635));
    assert!(free.agreements > base.agreements + 1_000);
    assert!(private.agreements > 0 && private.agreements < 10_000);
    assert!(base.ladder_up >= 2_000, "{base:?}");
    assert_eq!(base.usa_climbed, 3_664);
    let doc = std::fs::read_to_string(crate::common::root().join("docs/teaching.md")).unwrap();
    for shown in [
        "**62.4%** of runs agree (6,238)",
        "**99.0%** (9,900)",
        "**46.4%** (4,635)",
        "prepares sanctions in **36.6%** of runs (3,664)",
    ] {
        assert!(doc.contains(shown), "docs/teaching.md lacks {shown:?}");
    }
}

/// Lock-in: Russia's troops start massed. Stepping down costs 0.2 in the
/// baseline and it never does; with the step down free (the demand's cost
/// kept) it pulls back in some runs, and so it does without any audience
/// cost: the climber steps down only where that pays after the cost.
#[test]
fn a_costly_climb_down_keeps_the_troops_massed() {
    let base = lesson(None, &[]);
    assert_eq!(base.russia_stepped_down, 0, "{base:?}");
    let free_step =
        lesson(None, &["actors.russia.audience_costs.step_down=0", "actors.usa.audience_costs.step_down=0"]);
    assert!(free_step.russia_stepped_down > 500, "{free_step:?}");
    let free = lesson(Some("no-audience-cost"), &[]);
    assert!(free.russia_stepped_down > 500, "{free:?}");
}

/// A climb is a signal (issue 35): preparing sanctions is dear, so by the
/// reasoning ladder rule only a United States for which war is worth
/// enough prepares them, and Russia reads the climb as resolve (Bayes' rule
/// over its types): wherever it reads one, it then expects war to be worth
/// more to the United States than before. `brink trace` and its JSON say it.
#[test]
fn a_climb_is_read_as_resolve() {
    let text = scenario::find_builtin("audience").unwrap().text;
    let (_, model) = scenario::load_bytes("a.toml", text.as_bytes()).unwrap();
    let mut setup = RunSetup::new(&model);
    let mut signals = 0;
    for run in 0..300 {
        let mut t = engine::Transcript::default();
        engine::play(&model, &mut setup, 0, run, &mut t);
        for e in &t.events {
            if let engine::Event::LadderSignal { actor, before, after, .. } = *e {
                assert_eq!(actor, 1, "Russia reads the United States' climb");
                assert!(after > before, "run {run}: a climb read as weakness, {before} -> {after}");
                signals += 1;
            }
        }
    }
    assert!(signals >= 20, "only {signals} climbs read in 300 runs");
    let trace = ok(&brink(&["trace", "audience", "--run", "9"]));
    let line = "russia reads usa's move as resolve: it now expects war to be worth 0.416 to usa (without the ladders), up from 0.378";
    assert!(trace.contains(line), "{trace}");
    let json = ok(&brink(&["trace", "audience", "--run", "9", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let signal = v["events"].as_array().unwrap().iter().find(|e| e["event"] == "ladder-signal").expect("a signal");
    assert_eq!((signal["actor"].as_str(), signal["about"].as_str()), (Some("russia"), Some("usa")));
}

/// The "stalled" rule weighs the audience cost too: B (a hardliner, one step
/// up from the start) steps down when A's concessions make progress, but
/// only on progress worth more than the cost of stepping down.
#[test]
fn the_stalled_rule_steps_down_only_on_progress_worth_the_cost() {
    let first_step_down = |step_down: f64| {
        let text = mobilised(step_down)
            .replace("strategy = \"hardliner\"", "strategy = { kind = \"time\", beta = 1.0 }")
            .replace("strategy = \"reasoning\"", "strategy = \"hardliner\"")
            .replace("rule = \"reasoning\"", "rule = \"stalled\", after = 1")
            .replace("rounds = 6", "rounds = 12")
            .replace("hazard = 0.1", "hazard = 0.0");
        let (_, model) = scenario::load_bytes("s.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let mut t = engine::Transcript::default();
        engine::play(&model, &mut RunSetup::new(&model), 0, 0, &mut t);
        t.events.iter().find_map(|e| match e {
            engine::Event::Ladder { actor: 1, step, .. } if step.to < step.from => Some(step.reason),
            _ => None,
        })
    };
    let Some(engine::LadderReason::Progress { gain }) = first_step_down(0.0) else {
        panic!("with a free step down, B steps down on progress");
    };
    assert!(gain > 0.0);
    assert_eq!(first_step_down(gain / 2.0), Some(engine::LadderReason::Progress { gain }));
    assert_eq!(first_step_down(1.0), None, "no progress on a pie is worth 1");
}

/// A private cost of backing down is known to the other side only by its
/// distribution: a reasoning proposer's belief holds types that differ in
/// it. Known at its mean (0.15), every type takes B's share of 0.05 (A keeps
/// 0.95, surely accepted); drawn from 0 to 0.3, A hedges against the costly
/// types and asks less; drawn from 0 to 1, no offer below the demand is
/// safe, and A screens: some types accept its offer and others do not.
#[test]
fn a_private_cost_of_backing_down_is_known_by_its_distribution() {
    let first_offer = |text: &str| {
        let (_, model) = scenario::load_bytes("pd.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let mut t = engine::Transcript::default();
        engine::play(&model, &mut RunSetup::new(&model), 0, 0, &mut t);
        t.events
            .iter()
            .find_map(|e| match e {
                engine::Event::Proposal { round: 0, proposal, .. } => {
                    Some((proposal.target, proposal.reasoning.expect("a reasoning offer").accept_probability))
                }
                _ => None,
            })
            .expect("an opening offer")
    };
    let known = public_demand("reasoning", 0.15, 0.2, 0.3);
    let private =
        |range: &str| known.replace("backing_down = 0.15", &format!("backing_down = {{ uniform = {range} }}"));
    let (keep, p) = first_offer(&known);
    assert!((keep - 0.95).abs() < 1e-9 && p == 1.0, "known at its mean: {keep} {p}");
    let (keep, p) = first_offer(&private("[0.0, 0.3]"));
    assert!(keep < 0.95 - 1e-9 && p == 1.0, "hedged: {keep} {p}");
    let (_, p) = first_offer(&private("[0.0, 1.0]"));
    assert!(p > 0.0 && p < 1.0, "screens: {p}");
    // `brink check` says who knows what.
    let text = ok(&brink(&["check", "audience", "--variant", "private-cost"]));
    let line = "russia: public demand nato = ban, troops = massed; agreeing to less costs it uniform(0, 0.4) (mean 0.200); drawn per run, usa knows only its distribution";
    assert!(text.contains(line), "{text}");
}
