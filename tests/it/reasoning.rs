//! Theory checks of the reasoning strategy (issue 9): subgame perfection
//! under complete information, patience as bargaining power, failures from
//! private information, a belief that respects what it has seen, and (5)
//! the frequency opponent model learning the opponent's issue weights.

use brink::engine::{self, End, Ending, NoObserver, RunSetup};
use brink::model::Model;
use brink::scenario;

fn model(toml: &str) -> Model {
    match scenario::load_bytes("test.toml", toml.as_bytes()) {
        Ok((_, m)) => m,
        Err(e) => panic!("fixture does not load:\n{e}"),
    }
}

fn play(m: &Model, setup: &mut RunSetup, seed: u64, run: u64) -> Ending {
    engine::play(m, setup, seed, run, &mut NoObserver)
}

/// Divide a pie of size 1 on a grid of 101 shares; `first_extra` and
/// `second_extra` add keys to each actor.
fn pie(rounds: u32, hazard: f64, first_extra: &str, second_extra: &str) -> Model {
    model(&format!(
        r#"[scenario]
name = "Pie"
rounds = {rounds}
first_mover = "first"
breakdown_hazard = {hazard}

[[issues]]
id = "share"
options = {{ from = 0.0, to = 1.0, steps = 101 }}

[actors.first]
strategy = "reasoning"
{first_extra}
[actors.first.issues.share]
weight = 1.0
values = "increasing"

[actors.second]
strategy = "reasoning"
{second_extra}
[actors.second.issues.share]
weight = 1.0
values = "decreasing"
"#
    ))
}

/// The subgame-perfect first-round split of the finite alternating-offers
/// game on the grid k/100, by backward induction written out here, apart from
/// the engine: at round t the proposer keeps the largest share that leaves
/// the responder at least what it gets by rejecting (the next round's
/// equilibrium value; nothing at the deadline), if that beats rejection for
/// the proposer too. Returns the first mover's share, as a grid index.
fn finite_spe_share(rounds: u32, d1: f64, d2: f64) -> usize {
    const EPS: f64 = 1e-9;
    let d = [d1, d2];
    // value[i]: player i's realised value of the subgame from round t + 1.
    let mut value = [0.0f64; 2];
    let mut first_round_share = 0;
    for t in (0..rounds).rev() {
        let proposer = (t % 2) as usize;
        let responder = 1 - proposer;
        let reject = if t + 1 == rounds { [0.0, 0.0] } else { value };
        let now = |i: usize, u: f64| d[i].powi(t as i32) * u;
        // The proposer's own utility from grid point k (first's share k/100).
        let own = |k: usize| if proposer == 0 { k as f64 / 100.0 } else { 1.0 - k as f64 / 100.0 };
        let theirs = |k: usize| 1.0 - own(k);
        let best = (0..=100)
            .filter(|&k| now(responder, theirs(k)) >= reject[responder] - EPS)
            .max_by(|&a, &b| own(a).total_cmp(&own(b)))
            .filter(|&k| now(proposer, own(k)) >= reject[proposer] - EPS);
        value = match best {
            Some(k) => {
                if t == 0 {
                    first_round_share = k;
                }
                let mut v = [0.0; 2];
                v[proposer] = now(proposer, own(k));
                v[responder] = now(responder, theirs(k));
                v
            }
            None => reject,
        };
    }
    first_round_share
}

#[test]
fn complete_information_gives_the_finite_horizon_subgame_perfect_split_at_round_zero() {
    for (rounds, d1, d2) in
        [(1, 0.9, 0.8), (2, 0.9, 0.8), (3, 0.9, 0.8), (5, 0.7, 0.95), (10, 0.9, 0.8), (30, 0.9, 0.9)]
    {
        let m = pie(rounds, 0.0, &format!("discount = {d1}"), &format!("discount = {d2}"));
        let e = play(&m, &mut RunSetup::new(&m), 0, 0);
        let expected = finite_spe_share(rounds, d1, d2);
        assert_eq!(e.end, End::Agreement, "T={rounds}: {e:?}");
        assert_eq!(e.round, 0, "T={rounds}: agreement in the first round");
        assert_eq!(e.agreement, Some(expected as u32), "T={rounds}, d=({d1}, {d2}): the SPE share is {expected}/100");
    }
}

#[test]
fn the_finite_horizon_split_approaches_rubinsteins_as_the_horizon_grows() {
    let (d1, d2) = (0.9, 0.8);
    let x_star = (1.0 - d2) / (1.0 - d1 * d2);
    let gap = |rounds: u32| {
        let m = pie(rounds, 0.0, &format!("discount = {d1}"), &format!("discount = {d2}"));
        let e = play(&m, &mut RunSetup::new(&m), 0, 0);
        (e.agreement.unwrap() as f64 / 100.0 - x_star).abs()
    };
    let (short, long) = (gap(2), gap(60));
    assert!(long < 0.02, "T=60: the split is within a grid step or two of x* = {x_star:.3}, gap {long}");
    assert!(short > long, "the short game is further from x*: {short} vs {long}");
}

/// Mean agreed utility of `first` (the terms, before discounting) and its
/// standard error, over `runs` runs.
fn mean_terms(m: &Model, runs: u64) -> (f64, f64) {
    let mut setup = RunSetup::new(m);
    let xs: Vec<f64> = (0..runs)
        .filter_map(|r| play(m, &mut setup, 7, r).agreement)
        .map(|w| m.mean_utilities[0][w as usize])
        .collect();
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, (var / n).sqrt())
}

#[test]
fn raising_ones_patience_never_lowers_ones_agreed_utility() {
    // Complete information: deterministic, so exactly monotone.
    let mut last = -1.0;
    for d1 in [0.5, 0.7, 0.8, 0.9, 0.95, 0.99] {
        let m = pie(20, 0.0, &format!("discount = {d1}"), "discount = 0.9");
        let (terms, _) = mean_terms(&m, 1);
        assert!(terms >= last, "d1 = {d1}: {terms} < {last}");
        last = terms;
    }
    // Private information about the second mover's patience and a breakdown
    // risk: random, so compared with 95% intervals.
    let mut last = (-1.0, 0.0);
    for d1 in [0.6, 0.8, 0.9, 0.97] {
        let m = pie(20, 0.05, &format!("discount = {d1}"), "discount = { uniform = [0.8, 0.98] }");
        let (mean, se) = mean_terms(&m, 1500);
        let slack = 1.96 * (se * se + last.1 * last.1).sqrt();
        assert!(mean + slack >= last.0, "d1 = {d1}: mean terms {mean} fell below {} (slack {slack})", last.0);
        last = (mean, se);
    }
}

/// A short game in which the uninformed first mover does not know how much
/// the second mover thinks failure is worth to it (uniform on [0.5 - w, 0.5 + w]).
fn screening(spread: f64) -> Model {
    let reservation = if spread > 0.0 {
        format!("reservation = {{ uniform = [{}, {}] }}", 0.5 - spread, 0.5 + spread)
    } else {
        "reservation = 0.5".to_string()
    };
    pie(3, 0.0, "discount = 0.95", &format!("discount = 0.95\n{reservation}"))
}

fn failure_rate(m: &Model, runs: u64) -> f64 {
    let mut setup = RunSetup::new(m);
    (0..runs).filter(|&r| play(m, &mut setup, 11, r).end != End::Agreement).count() as f64 / runs as f64
}

#[test]
fn private_information_causes_failures_without_any_breakdown_hazard() {
    let runs = 4000;
    let rates: Vec<f64> = [0.3, 0.15, 0.05, 0.0].iter().map(|&s| failure_rate(&screening(s), runs)).collect();
    assert!(rates[0] > 0.0, "a wide prior must leave some talks failing: {rates:?}");
    assert_eq!(rates[3], 0.0, "complete information: no failures: {rates:?}");
    for w in rates.windows(2) {
        let se = (w[0] * (1.0 - w[0]) / runs as f64).sqrt();
        assert!(w[1] <= w[0] + 2.0 * se, "a narrower prior must not fail more often: {rates:?}");
    }
    assert!(rates[2] < rates[0], "{rates:?}");
}

#[test]
fn the_belief_never_keeps_a_threshold_that_a_rejection_ruled_out() {
    let m = screening(0.3);
    let mut setup = RunSetup::new(&m);
    for run in 0..200 {
        setup.prepare(&m, brink::rng::RunKey::new(5, run));
        let mind = &setup.minds[0];
        assert_eq!(mind.types(), engine::SAMPLES);
        let mut belief = mind.prior();
        // A rejection at round 0 of an offer worth x to the opponent, then
        // another at round 2 (first proposes at even rounds).
        for (t, x) in [(0u32, 0.2 + 0.001 * run as f64), (2, 0.45)] {
            mind.learn_rejection(&mut belief, t, 0, x);
            for k in 0..mind.types() {
                if belief.weight[k] > 0.0 && belief.floor < x {
                    assert!(mind.threshold(t, k) > x, "run {run}: type {k} would have accepted {x} at round {t}");
                }
            }
            for later in t..m.rounds {
                for y in [x - 0.1, x - 1e-6, x] {
                    assert_eq!(mind.acceptance_probability(&belief, later, y), 0.0, "run {run}: {y} <= rejected {x}");
                }
            }
        }
    }
}

#[test]
fn reasoning_runs_are_reproducible_and_independent_of_workspace_reuse() {
    let m = screening(0.3);
    let mut reused = RunSetup::new(&m);
    for run in 0..50 {
        let fresh = play(&m, &mut RunSetup::new(&m), 3, run);
        assert_eq!(play(&m, &mut reused, 3, run), fresh);
    }
}

/// A learner (hardliner, frequency model) against a time-dependent teacher
/// with known weights on three issues of five options each. The teacher has
/// no model of the learner (`opponent_model = "none"`): each offer is the
/// outcome just above its target, so it moves least on what it weights most,
/// the pattern the frequency model assumes (a teacher making trade-off
/// offers instead gives its light issues away at once and then never moves
/// them, which the model misreads: docs/strategies.md). The teacher never
/// accepts (its threshold is out of reach) and there is no hazard, so the
/// talks run to the deadline and the learner sees `rounds / 2` offers.
fn learning(rounds: u32, weights: [f64; 3], beta: f64) -> Model {
    learning_from(rounds, weights, beta, "none")
}

/// As [`learning`], with the teacher on opponent model `teacher_model`.
fn learning_from(rounds: u32, weights: [f64; 3], beta: f64, teacher_model: &str) -> Model {
    let issue = |id: &str| format!("[[issues]]\nid = \"{id}\"\noptions = [\"o0\", \"o1\", \"o2\", \"o3\", \"o4\"]\n");
    let side = |actor: &str, id: &str, w: f64, values: &str| {
        format!("[actors.{actor}.issues.{id}]\nweight = {w}\nvalues = {values}\n")
    };
    let mut toml = format!("[scenario]\nname = \"Learn\"\nrounds = {rounds}\nfirst_mover = \"teacher\"\n\n");
    for id in ["a", "b", "c"] {
        toml += &issue(id);
    }
    toml += "\n[actors.learner]\nstrategy = \"hardliner\"\nopponent_model = \"frequency\"\n";
    for id in ["a", "b", "c"] {
        toml += &side("learner", id, 1.0, "[1.0, 0.75, 0.5, 0.25, 0.0]");
    }
    toml += &format!(
        "\n[actors.teacher]\nstrategy = {{ kind = \"time\", beta = {beta} }}\nacceptance = {{ threshold = 2.0 }}\nopponent_model = \"{teacher_model}\"\n"
    );
    for (id, w) in ["a", "b", "c"].iter().zip(weights) {
        toml += &side("teacher", id, w, "[0.0, 0.25, 0.5, 0.75, 1.0]");
    }
    model(&toml)
}

/// The issues ordered by weight, heaviest first.
fn rank(weights: [f64; 3]) -> [usize; 3] {
    let mut order = [0, 1, 2];
    order.sort_by(|&i, &j| weights[j].total_cmp(&weights[i]));
    order
}

#[test]
fn theory_5_the_frequency_model_learns_the_rank_order_of_the_opponents_weights() {
    for (weights, beta) in
        [([0.6, 0.3, 0.1], 1.0), ([0.1, 0.6, 0.3], 1.0), ([0.3, 0.1, 0.6], 2.0), ([0.55, 0.15, 0.3], 1.0)]
    {
        let m = learning(60, weights, beta);
        let mut setup = RunSetup::new(&m);
        for run in 0..5 {
            let e = play(&m, &mut setup, 1, run);
            assert_eq!(e.end, End::Deadline, "the talks run to the deadline");
            let learner = &setup.learners[0];
            let learnt = [learner.weight(0), learner.weight(1), learner.weight(2)];
            assert!((learnt.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{learnt:?}");
            assert_eq!(rank(learnt), rank(weights), "true {weights:?}, learnt {learnt:?} (beta {beta}, run {run})");
        }
    }
}

#[test]
fn the_frequency_model_needs_offers_to_learn_from() {
    // Two rounds: the learner has seen one offer, and no pair to compare,
    // so its weights are still the uniform prior.
    let m = learning(2, [0.6, 0.3, 0.1], 1.0);
    let mut setup = RunSetup::new(&m);
    play(&m, &mut setup, 1, 0);
    for i in 0..3 {
        assert!((setup.learners[0].weight(i) - 1.0 / 3.0).abs() < 1e-12);
    }
}

#[test]
fn known_and_none_models_learn_nothing_and_frequency_runs_are_reproducible() {
    let m = learning(40, [0.6, 0.3, 0.1], 1.0);
    assert!(setup_learns(&m));
    let mut reused = RunSetup::new(&m);
    for run in 0..20 {
        assert_eq!(play(&m, &mut reused, 9, run), play(&m, &mut RunSetup::new(&m), 9, run));
    }
    let known = pie(10, 0.0, "", "");
    assert!(!RunSetup::new(&known).learners.iter().any(|l| l.active));
}

fn setup_learns(m: &Model) -> bool {
    let s = RunSetup::new(m);
    s.learners[0].active && !s.learners[1].active
}

/// Logrolling with both sides on one opponent model, summarised as `brink run` does.
fn logrolling_summary(opponent_model: &str, runs: u64) -> brink::analysis::outcomes::Summary {
    use brink::scenario::{Adjustments, overrides::parse_override};
    let text = scenario::find_builtin("logrolling").unwrap().text;
    let overrides = ["west", "east"]
        .iter()
        .map(|a| parse_override(&format!("actors.{a}.opponent_model=\"{opponent_model}\"")).unwrap())
        .collect();
    let adj = Adjustments { variants: Vec::new(), overrides };
    let m = match scenario::load_bytes_adjusted("logrolling.toml", text.as_bytes(), &adj) {
        Ok((_, m)) => m,
        Err(e) => panic!("{e}"),
    };
    let tally = brink::montecarlo::simulate(
        &m,
        &brink::montecarlo::RunConfig { seed: 0, runs: 0..runs, keep_runs: false, causes: false },
        |_| true,
    );
    brink::analysis::outcomes::summarise(&m, &tally)
}

#[test]
fn on_logrolling_the_frequency_model_reaches_the_nash_solution_and_the_known_one_does_not() {
    // The figures docs/strategies.md reports, on fewer runs.
    let learnt = logrolling_summary("frequency", 2000);
    let known = logrolling_summary("known", 2000);
    let best = learnt.nash_solution_product.unwrap();
    assert_eq!(learnt.mean_distance_to_nash, Some(0.0), "every learnt deal is the Nash outcome");
    assert!((learnt.mean_nash_product.unwrap() - best).abs() < 1e-12);
    assert!(known.mean_nash_product.unwrap() < 0.6 * best, "{:?}", known.mean_nash_product);
    assert!(known.mean_distance_to_nash.unwrap() > 0.2);
    // Per run, failures count 0: the agreements' mean scaled by the agreement share.
    for s in [&learnt, &known] {
        let share = s.ends[0].share.unwrap();
        assert!((s.nash_product_per_run.unwrap() - s.mean_nash_product.unwrap() * share).abs() < 1e-12);
    }
    assert!(learnt.nash_product_per_run > known.nash_product_per_run);
}

#[test]
fn the_frequency_model_misreads_a_teacher_making_trade_off_offers() {
    // The limit docs/strategies.md states: a teacher making trade-off offers
    // (known model of the learner) gives its light issues away at once and
    // keeps them there, so the model ranks its heaviest issue last.
    let weights = [0.6, 0.3, 0.1];
    let m = learning_from(60, weights, 1.0, "known");
    let mut setup = RunSetup::new(&m);
    play(&m, &mut setup, 1, 0);
    let l = &setup.learners[0];
    let learnt = [l.weight(0), l.weight(1), l.weight(2)];
    assert_eq!(rank(learnt)[2], 0, "the heaviest issue is learnt as the lightest: {learnt:?}");
}
