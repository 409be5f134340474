//! Red lines and bluffs (issue 34; docs/model.md §10): two real red lines
//! with no common level leave no deal; a line known to be a bluff changes
//! nothing; a private line fails more talks the likelier it is real, and the
//! other side learns from the answers it gets (screening).

use brink::engine::{self, NoObserver, RunSetup};
use brink::montecarlo::{RunConfig, simulate};
use brink::scenario::{self, Adjustments};

use crate::common::{brink, ok};

const RED_LINES: &str = "red-lines";

fn builtin(name: &str) -> &'static str {
    scenario::find_builtin(name).unwrap().text
}

/// (agreements, runs) of 2,000 runs of `text` with a variant and overrides.
fn agreements(text: &str, variant: Option<&str>, sets: &[&str]) -> (u64, u64) {
    let adj = Adjustments {
        variants: variant.map(str::to_string).into_iter().collect(),
        overrides: sets.iter().map(|s| scenario::overrides::parse_override(s).unwrap()).collect(),
    };
    let (_, model) = scenario::load_bytes_adjusted("s.toml", text.as_bytes(), &adj).unwrap_or_else(|e| panic!("{e}"));
    let tally = simulate(&model, &RunConfig { seed: 0, runs: 0..2000, keep_runs: false, causes: false }, |_| true);
    (tally.ends[0], tally.runs)
}

fn share(text: &str, variant: Option<&str>, sets: &[&str]) -> f64 {
    let (k, n) = agreements(text, variant, sets);
    k as f64 / n as f64
}

/// Wilson's 95% interval of k of n.
fn wilson(k: u64, n: u64) -> (f64, f64) {
    let (p, n, z) = (k as f64 / n as f64, n as f64, 1.959_964);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    (centre - half, centre + half)
}

#[test]
fn two_real_red_lines_with_no_common_level_leave_no_deal() {
    assert_eq!(agreements(builtin(RED_LINES), None, &[]).0, 0, "both lines real and incompatible: no deal is possible");
}

#[test]
fn the_teaching_variants_show_what_a_bluff_buys() {
    let text = builtin(RED_LINES);
    let known = share(text, Some("bluff-known"), &[]);
    assert!(known >= 0.95, "a red line known to be a bluff leaves a deal: agreement {known}");
    let (bluff, real) = (share(text, Some("likely-bluff"), &[]), share(text, Some("likely-real"), &[]));
    assert!(
        real + 0.10 <= bluff,
        "likely-real must agree at least 10 points less than likely-bluff: {real} vs {bluff}"
    );
}

/// A red line known to be a bluff (probability 0 that it is real) is no red
/// line: the same summary object and the same ending of every run (what
/// runs.csv writes) as the scenario without it.
#[test]
fn a_red_line_known_to_be_a_bluff_changes_nothing() {
    let base = crate::common::without_tables(
        builtin("geneva-2022"),
        &["actors.russia.red_lines", "actors.usa.red_lines", "variants.moratorium"],
    );
    let base = base.as_str();
    let bluff = format!(
        "{base}\n[actors.russia.red_lines.nato]\nat = \"moratorium\"\nprobability_real = 0.0\n\n\
         [actors.usa.red_lines]\nsanctions = {{ at = \"current\", probability_real = 0.0 }}\n"
    );
    crate::common::assert_same_results(&bluff, base, 3);
}

/// Russia's line on NATO is real with probability p (each run draws it):
/// the failure share rises with p, beyond the intervals at each step.
#[test]
fn a_private_red_line_fails_more_talks_the_likelier_it_is_real() {
    let text = builtin(RED_LINES);
    let priors = [0.0, 0.25, 0.5, 0.75, 1.0];
    let intervals: Vec<(f64, f64)> = priors
        .iter()
        .map(|p| {
            let set = format!("actors.russia.red_lines.nato.probability_real={p}");
            let (k, n) = agreements(text, None, &[&set]);
            wilson(n - k, n)
        })
        .collect();
    for (w, p) in intervals.windows(2).zip(&priors[1..]) {
        assert!(w[1].0 > w[0].1, "prior {p}: failures must rise beyond the intervals: {intervals:?}");
    }
}

/// Screening: the United States offers a pause; a refusal raises its belief
/// that Russia's line is real, and the trace says so in words.
#[test]
fn trace_says_why_an_offer_was_refused_and_what_the_other_side_now_believes() {
    let text = ok(&brink(&["trace", RED_LINES, "--variant", "likely-real"]));
    for line in [
        "Russia rejects: nato = pause is below its red line on nato (at least moratorium), and the line is real",
        "usa now puts P(russia's red line on nato is real) at 1.00, up from 0.80",
    ] {
        assert!(text.contains(line), "brink trace lacks {line:?}:\n{text}");
    }
    let json = ok(&brink(&["trace", RED_LINES, "--variant", "likely-real", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let events = v["events"].as_array().unwrap();
    assert!(events.iter().any(|e| e["basis"] == "red-line"), "{json}");
    let belief = events.iter().find(|e| e["event"] == "red-line-belief").expect("a belief event");
    assert_eq!((belief["actor"].as_str(), belief["about"].as_str()), (Some("usa"), Some("russia")));
    assert_eq!((belief["before"].as_f64(), belief["after"].as_f64()), (Some(0.8), Some(1.0)));
}

/// The other way: a reasoning actor never offers across a real red line of
/// its own, so an offer across it shows the line to be a bluff.
#[test]
fn an_offer_across_ones_own_red_line_shows_it_to_be_a_bluff() {
    let text = builtin(RED_LINES);
    // Russia opens, so that a bluffing Russia makes offers.
    let adj = Adjustments {
        variants: vec!["likely-bluff".into()],
        overrides: vec![scenario::overrides::parse_override("scenario.first_mover=\"russia\"").unwrap()],
    };
    let (_, model) = scenario::load_bytes_adjusted("r.toml", text.as_bytes(), &adj).unwrap();
    let mut setup = RunSetup::new(&model);
    let mut seen = 0;
    for run in 0..200 {
        let mut t = engine::Transcript::default();
        engine::play(&model, &mut setup, 0, run, &mut t);
        for e in &t.events {
            if let engine::Event::Proposal { proposer: 1, proposal, .. } = e
                && model.crosses(1, proposal.outcome) != 0
            {
                assert_eq!(setup.red_real[1], 0, "run {run}: Russia offered across a real red line");
                seen += 1;
            }
            if let engine::Event::RedLineBelief { actor: 0, after, .. } = e
                && *after == 0.0
            {
                assert_eq!(setup.red_real[1], 0, "run {run}: a real line was believed a bluff");
            }
        }
    }
    assert!(seen > 0, "a bluffing Russia offers across its line in some run");
}

#[test]
fn check_names_the_mechanisms() {
    let v: serde_json::Value =
        serde_json::from_str(&ok(&brink(&["check", RED_LINES, "--variant", "likely-bluff", "--json"]))).unwrap();
    let names: Vec<&str> = v["mechanisms"].as_array().unwrap().iter().filter_map(|m| m.as_str()).collect();
    assert!(names.contains(&"indivisible stakes (red lines)"), "{names:?}");
    assert!(names.contains(&"bluffs (red lines that may not be real)"), "{names:?}");
    let v: serde_json::Value = serde_json::from_str(&ok(&brink(&["check", RED_LINES, "--json"]))).unwrap();
    assert_eq!(v["mechanisms"], serde_json::json!(["indivisible stakes (red lines)"]));
    assert_eq!(v["red_lines"][1]["refuses"], serde_json::json!(["open-door", "pause"]));
    let text = ok(&brink(&["check", RED_LINES, "--variant", "likely-bluff"]));
    for line in [
        "  usa on nato: at least pause (refuses moratorium, ban); real with probability 1 (known to be real)",
        "  russia on nato: at least moratorium (refuses open-door, pause); real with probability 0.2 (drawn per run; usa knows only the probability)",
        "No uncertain numbers; each run draws only which red lines are real.",
    ] {
        assert!(text.contains(line), "brink check lacks {line:?}:\n{text}");
    }
}

/// The figures of docs/teaching.md, segment 12 (10,000 runs, seed 0).
#[test]
fn the_red_lines_lesson_gives_the_numbers_in_the_docs() {
    let text = builtin(RED_LINES);
    let count = |variant: Option<&str>| {
        let adj = Adjustments { variants: variant.map(str::to_string).into_iter().collect(), overrides: vec![] };
        let (_, model) = scenario::load_bytes_adjusted("r.toml", text.as_bytes(), &adj).unwrap();
        simulate(&model, &RunConfig { seed: 0, runs: 0..10_000, keep_runs: false, causes: false }, |_| true).ends[0]
    };
    let doc = std::fs::read_to_string(crate::common::root().join("docs/teaching.md")).unwrap();
    for (variant, agreements, shown) in [
        (None, 0, "**no** run ends in a deal"),
        (Some("bluff-known"), 10_000, "**every** run agrees"),
        (Some("likely-bluff"), 7_975, "**79.8%** of runs agree (7,975)"),
        (Some("likely-real"), 2_023, "**20.2%** (2,023)"),
    ] {
        assert_eq!(count(variant), agreements, "{variant:?}");
        assert!(doc.contains(shown), "docs/teaching.md lacks {shown:?}");
    }
}

/// A student's real red line binds the student too, and the briefing says
/// what each side knows: one's own line as drawn, the other's probability.
#[test]
fn play_briefs_the_student_on_red_lines_and_holds_them_to_a_real_one() {
    use brink::engine::{Move, MoveError, Session};
    use brink::report::play as view;
    let text = builtin(RED_LINES);
    let adj = Adjustments { variants: vec!["likely-real".into()], overrides: vec![] };
    let (_, model) = scenario::load_bytes_adjusted("r.toml", text.as_bytes(), &adj).unwrap();
    // As Russia: find a game whose line is real; the United States opens with a pause.
    let run = (0..50).find(|&r| Session::start(&model, 0, r, 1).setup().red_real[1] != 0).expect("a real line");
    let mut s = Session::start(&model, 0, run, 1);
    let briefing = view::briefing(&s);
    assert!(briefing.contains("your red line on nato: at least moratorium; it is real this game"), "{briefing}");
    assert!(
        briefing.contains("United States's red line on nato: at least pause; real with probability 1.000"),
        "{briefing}"
    );
    assert_eq!(s.play(Move::Accept), Err(MoveError::AcrossRedLine("nato".into())));
    // As the United States: Russia's line at its prior.
    let s = Session::start(&model, 0, run, 0);
    let briefing = view::briefing(&s);
    assert!(
        briefing.contains("Russia's red line on nato: at least moratorium; real with probability 0.800"),
        "{briefing}"
    );
}

/// The theory at the means leaves out what a surely real red line forbids:
/// with both lines real there is no frontier and no Nash solution; with only
/// the United States' line sure, Nash is the deal the agents reach.
#[test]
fn the_frontier_and_nash_leave_out_outcomes_across_a_surely_real_red_line() {
    use brink::analysis::benchmarks;
    let text = builtin(RED_LINES);
    let load = |variant: Option<&str>| {
        let adj = Adjustments { variants: variant.map(str::to_string).into_iter().collect(), overrides: vec![] };
        scenario::load_bytes_adjusted("r.toml", text.as_bytes(), &adj).unwrap().1
    };
    let both = benchmarks::analyse(&load(None));
    assert!(both.frontier.is_empty() && both.nash.is_empty(), "both lines real: nothing is feasible");
    let model = load(Some("likely-real"));
    let b = benchmarks::analyse(&model);
    let nash: Vec<String> = b.nash.outcomes.iter().map(|&w| model.describe_outcome(w)).collect();
    assert_eq!(nash, ["nato = pause, troops = massed"]);
    assert!(b.frontier.iter().all(|&w| model.crosses(0, w) == 0), "no frontier point crosses the sure line");
    // Russia's line, which may be a bluff, leaves its outcomes in.
    assert!(b.frontier.iter().any(|&w| model.crosses(1, w) != 0), "{:?}", b.frontier);
}

/// On a numeric issue the line may fall between steps: B, which values its
/// share 1 − x, draws a line at x = 0.63 (it accepts no share for A above
/// it); A, demanding once, gets the largest share on the grid below it.
#[test]
fn a_red_line_on_a_numeric_issue_caps_the_demand_between_steps() {
    let pie = |line: &str| {
        format!(
            r#"[scenario]
name = "Pie"
rounds = 1
first_mover = "a"
breakdown_hazard = 0.0

[[issues]]
id = "share"
options = {{ from = 0.0, to = 1.0, steps = 11 }}

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
{line}
[[disagreement]]
id = "war"
probability = 1.0
payoffs = {{ a = 0.0, b = 0.0 }}
"#
        )
    };
    let deal = |text: &str| {
        let (_, model) = scenario::load_bytes("pie.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let mut setup = RunSetup::new(&model);
        let e = engine::play(&model, &mut setup, 0, 0, &mut NoObserver);
        model.describe_outcome(e.agreement.expect("a deal"))
    };
    assert_eq!(deal(&pie("")), "share = 1", "without a line A takes the whole pie");
    assert_eq!(deal(&pie("[actors.b.red_lines]\nshare = 0.63\n")), "share = 0.6");
    let v: serde_json::Value = {
        let dir = crate::common::scratch("numeric-red-line");
        let file = dir.join("pie.toml");
        std::fs::write(&file, pie("[actors.b.red_lines]\nshare = 0.63\n")).unwrap();
        serde_json::from_str(&ok(&brink(&["check", file.to_str().unwrap(), "--json"]))).unwrap()
    };
    assert_eq!(v["red_lines"][0]["refuses"], serde_json::json!(["0.7", "0.8", "0.9", "1"]));
}

/// The bug: an actor whose strategy concedes on a clock (geneva-2022's
/// `clock-driven` variant) proposed, and so signed, deals across its own
/// real red line: the United States conceded a treaty ban it refuses when
/// Russia offers it. No proposal crosses its proposer's real lines now, and
/// the proposals that meet none are the strategy's own (a line known to be
/// a bluff changes nothing, above).
#[test]
fn a_clock_driven_actor_proposed_across_its_own_real_red_line() {
    let adj = Adjustments { variants: vec!["clock-driven".into()], overrides: Vec::new() };
    let (_, m) = scenario::load_bytes_adjusted("g.toml", builtin("geneva-2022").as_bytes(), &adj).unwrap();
    let mut setup = RunSetup::new(&m);
    let (mut proposals, mut deals_across_a_bluff) = (0, 0);
    for run in 0..200 {
        let mut t = engine::Transcript::default();
        let e = engine::play(&m, &mut setup, 0, run, &mut t);
        let real = engine::red_lines_real(&m, brink::rng::RunKey::new(0, run));
        for ev in &t.events {
            if let engine::Event::Proposal { proposer, proposal, round } = ev {
                proposals += 1;
                assert_eq!(m.crosses(*proposer, proposal.outcome) & real[*proposer], 0, "run {run} round {round}");
            }
        }
        // Where the United States' line is a bluff, the clock still concedes across it.
        if real[0] == 0 && e.agreement.is_some_and(|w| m.crosses(0, w) != 0) {
            deals_across_a_bluff += 1;
        }
    }
    assert!(proposals > 1000, "{proposals} proposals");
    assert!(deals_across_a_bluff > 0, "no deal across the US's bluffed line in 200 runs");
}
