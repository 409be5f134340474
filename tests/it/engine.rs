//! The negotiation engine on scenarios whose answer is known.

use brink::engine::{self, End, Ending, NoObserver, RunSetup, Transcript};
use brink::model::Model;
use brink::scenario;

fn model(toml: &str) -> Model {
    match scenario::load_bytes("test.toml", toml.as_bytes()) {
        Ok((_, m)) => m,
        Err(e) => panic!("fixture does not load:\n{e}"),
    }
}

/// One issue, three options, opposed preferences; strategies, acceptance and
/// extra actor keys are filled in per test.
fn duel(p_strategy: &str, q_strategy: &str, extra_p: &str, extra_scenario: &str) -> Model {
    model(&format!(
        r#"[scenario]
name = "Duel"
rounds = 10
{extra_scenario}

[[issues]]
id = "a"
options = ["x", "y", "z"]

[actors.p]
strategy = {p_strategy}
{extra_p}
[actors.p.issues.a]
weight = 1
values = [1.0, 0.6, 0.0]

[actors.q]
strategy = {q_strategy}
[actors.q.issues.a]
weight = 1
values = [0.0, 0.6, 1.0]

[[disagreement]]
id = "conflict"
probability = 1.0
payoffs = {{ p = 0.1, q = 0.1 }}
"#
    ))
}

fn play(m: &Model, seed: u64, run: u64) -> Ending {
    let mut setup = RunSetup::new(m);
    engine::play(m, &mut setup, seed, run, &mut NoObserver)
}

#[test]
fn two_hardliners_never_agree() {
    let m = duel("\"hardliner\"", "\"hardliner\"", "", "");
    for run in 0..50 {
        let e = play(&m, 1, run);
        assert_eq!(e.end, End::Deadline);
        assert_eq!(e.round, 9, "the deadline disagreement is realised at the last round");
        assert_eq!(e.payoff, [0.1, 0.1], "no discount, no cost: the lottery's payoff");
    }
}

#[test]
fn conceders_with_a_wide_zone_of_agreement_always_agree_on_the_compromise() {
    let m = duel("\"conceder\"", "\"conceder\"", "", "");
    for run in 0..50 {
        let e = play(&m, 2, run);
        assert_eq!(e.end, End::Agreement);
        assert_eq!(e.agreement, Some(1), "the middle option is the only mutual gain");
    }
}

#[test]
fn an_acceptable_first_offer_is_accepted_at_round_zero() {
    // q opens with its best outcome z, worth 0 to p; p accepts anything worth >= 0.
    let m = duel("\"linear\"", "\"hardliner\"", "acceptance = { threshold = 0 }", "first_mover = \"q\"");
    let e = play(&m, 0, 0);
    assert_eq!((e.end, e.round, e.agreement), (End::Agreement, 0, Some(2)));
    assert_eq!(e.payoff, [0.0, 1.0]);
}

#[test]
fn walk_away_ends_the_talks_when_an_offer_is_too_poor_and_nothing_better_is_in_reach() {
    // p walks away from anything worth less than 0.7 to it; q opens at z (0
    // for p), and the best deal q prefers to conflict (y) is worth 0.6 to p.
    let m = duel("\"hardliner\"", "\"hardliner\"", "walk_away = 0.7", "first_mover = \"q\"");
    let e = play(&m, 0, 0);
    assert_eq!((e.end, e.round), (End::WalkAway(0), 0));
}

#[test]
fn issue_9_a_floor_below_a_reachable_deal_does_not_make_an_actor_walk_out() {
    // Same opening (worth 0 to p), but y, worth 0.6 to p, is in reach: a
    // floor of 0.5 is no reason to leave.
    let m = duel("\"linear\"", "\"linear\"", "walk_away = 0.5", "first_mover = \"q\"");
    let e = play(&m, 0, 0);
    assert_eq!(e.end, End::Agreement, "{e:?}");
}

#[test]
fn breakdown_hazard_collapses_talks_after_a_rejection() {
    let m = duel("\"hardliner\"", "\"hardliner\"", "", "breakdown_hazard = 0.999");
    let breakdowns = (0..200).filter(|&r| play(&m, 5, r).end == End::Breakdown).count();
    assert!(breakdowns > 190, "{breakdowns}");
    assert!((0..200).all(|r| play(&m, 5, r).round <= 1));
}

#[test]
fn breakdown_rate_matches_theory() {
    // Two hardliners reject every round; with hazard h the talks survive
    // all T-1 breakdown chances with probability (1-h)^(T-1).
    let m = duel("\"hardliner\"", "\"hardliner\"", "", "breakdown_hazard = 0.1");
    let n = 4000;
    let survived = (0..n).filter(|&r| play(&m, 9, r).end == End::Deadline).count() as f64 / n as f64;
    let theory = 0.9f64.powi(9);
    // 4 standard errors of a binomial share: fails only if the engine is off.
    let se = (theory * (1.0 - theory) / n as f64).sqrt();
    assert!((survived - theory).abs() < 4.0 * se, "survived {survived}, theory {theory}");
}

/// `scenario.talks_open`: the rounds before it pass without offers, then
/// the actor whose turn it is by the round's parity makes the first offer
/// (round 3 is odd: q, though p is the first mover); time runs all along.
#[test]
fn no_offer_is_made_before_the_talks_open() {
    let m = duel("\"conceder\"", "\"conceder\"", "discount = 0.9\ncost_per_round = 0.01", "talks_open = 3");
    let mut setup = RunSetup::new(&m);
    let mut t = Transcript::default();
    let e = engine::play(&m, &mut setup, 0, 0, &mut t);
    let rounds: Vec<String> = t
        .events
        .iter()
        .map(|e| match e {
            engine::Event::BeforeTalks { round, open } => format!("{round}: talks open at {open}"),
            engine::Event::Proposal { round, proposer, .. } => format!("{round}: actor {proposer} proposes"),
            engine::Event::Response { round, responder, response, .. } => {
                format!("{round}: actor {responder} {response:?}")
            }
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        rounds,
        ["0: talks open at 3", "1: talks open at 3", "2: talks open at 3", "3: actor 1 proposes", "3: actor 0 Accept"]
    );
    // Conceders near a third of the way to the deadline: the first offer is taken.
    assert_eq!((e.end, e.round), (End::Agreement, 3), "{rounds:?}");
    // The rounds before the talks cost and discount like any other.
    let r = e.round as i32;
    let u = m.mean_utilities[0][e.agreement.unwrap() as usize];
    assert!((e.payoff[0] - (0.9f64.powi(r) * u - 0.01 * r as f64)).abs() < 1e-12, "{e:?}");
}

/// The breakdown hazard runs before the talks open: with a large hazard,
/// most runs end before any offer is made.
#[test]
fn the_talks_can_break_down_before_they_open() {
    let m = duel("\"conceder\"", "\"conceder\"", "", "talks_open = 5\nbreakdown_hazard = 0.5");
    let early = (0..200).map(|r| play(&m, 5, r)).filter(|e| e.end == End::Breakdown && e.round < 5).count();
    // All but (1 - 0.5)^5 = 1/32 of the runs.
    assert!(early > 170, "{early} of 200 broke down before the talks opened");
    assert!((0..200).map(|r| play(&m, 5, r)).all(|e| e.end != End::Agreement || e.round >= 5));
}

#[test]
fn payoffs_are_discounted_and_charged_per_round() {
    let m = duel("\"linear\"", "\"linear\"", "discount = 0.9\ncost_per_round = 0.01", "");
    let e = play(&m, 0, 0);
    assert_eq!(e.end, End::Agreement);
    assert!(e.round > 0, "linear concession takes a few rounds");
    let t = e.round as i32;
    let u = m.mean_utilities[0][e.agreement.unwrap() as usize];
    assert!((e.payoff[0] - (0.9f64.powi(t) * u - 0.01 * t as f64)).abs() < 1e-12);
}

#[test]
fn weights_are_normalised_and_rules_add_bonuses() {
    let m = model(
        r#"[scenario]
name = "Weights"
rounds = 5
[[issues]]
id = "a"
options = ["lo", "hi"]
[[issues]]
id = "b"
options = ["lo", "hi"]
[actors.p]
strategy = "linear"
issues.a = { weight = 2, values = [0.0, 1.0] }
issues.b = { weight = 6, values = [0.0, 1.0] }
[actors.q]
strategy = "linear"
issues.a = { weight = 1, values = [1.0, 0.0] }
issues.b = { weight = 1, values = [1.0, 0.0] }
[[rules]]
when = { a = "hi", b = "hi" }
payoffs = { p = 0.5 }
"#,
    );
    let u = &m.mean_utilities[0];
    let at = |a: u32, b: u32| u[m.space.outcome_of(&[a, b]) as usize];
    assert!((at(1, 0) - 0.25).abs() < 1e-12);
    assert!((at(0, 1) - 0.75).abs() < 1e-12);
    assert!((at(1, 1) - 1.5).abs() < 1e-12, "1.0 plus the rule's 0.5");
    assert!((m.mean_utilities[1][m.space.outcome_of(&[0, 0]) as usize] - 1.0).abs() < 1e-12);
}

fn rubinstein(d1: f64, d2: f64) -> Model {
    let text = scenario::find_builtin("rubinstein").unwrap().text;
    model(
        &text
            .replace("discount = 0.9 ", &format!("discount = {d1} "))
            .replace("discount = 0.8 ", &format!("discount = {d2} ")),
    )
}

#[test]
fn subgame_perfect_players_agree_at_once_on_the_rubinstein_split() {
    for (d1, d2) in [(0.9, 0.8), (0.5, 0.5), (0.95, 0.6), (0.6, 0.95), (0.99, 0.99)] {
        let m = rubinstein(d1, d2);
        assert_eq!(m.params.means[m.actors[0].discount as usize], d1, "fixture edit failed");
        let e = play(&m, 0, 0);
        assert_eq!((e.end, e.round), (End::Agreement, 0), "d = ({d1}, {d2})");
        let share = m.issues[0].numbers.as_ref().unwrap()[e.agreement.unwrap() as usize];
        let x = (1.0 - d2) / (1.0 - d1 * d2);
        assert!((share - x).abs() <= 0.01 + 1e-9, "d = ({d1}, {d2}): share {share}, theory {x}");
    }
}

#[test]
fn the_same_seed_gives_the_same_transcript_and_another_seed_differs() {
    let m = model(scenario::find_builtin("geneva-2022").unwrap().text);
    let trace = |seed, run| {
        let mut setup = RunSetup::new(&m);
        let mut t = Transcript::default();
        let e = engine::play(&m, &mut setup, seed, run, &mut t);
        (t, e, setup.params.clone())
    };
    assert_eq!(trace(7, 0), trace(7, 0));
    assert_ne!(trace(7, 0).2, trace(8, 0).2, "different seeds draw different numbers");
    assert_ne!(trace(7, 0).2, trace(7, 1).2, "different runs draw different numbers");
}

#[test]
fn every_shipped_scenario_loads_and_plays() {
    for b in scenario::BUILTIN {
        let m = model(b.text);
        for run in 0..20 {
            let e = play(&m, 0, run);
            assert!(e.payoff.iter().all(|x| x.is_finite()), "{}: {e:?}", b.name);
            assert!(e.round < m.rounds);
        }
    }
}
