//! Parity with Axelrod's library: for deterministic strategies, a fixed
//! number of turns and no noise, match scores equal the library's.
//!
//! The expected scores are computed here, independently of brink's
//! strategy code, by replaying each strategy's published rule (Axelrod's
//! documentation) on full histories, and a few are the library's own
//! published figures.

use brink::games::repeated::registry::{EntrantSpec, Kind, build, lookup};
use brink::games::repeated::round_robin::{MatchWorkspace, play_match};
use brink::games::repeated::{MatchConfig, RoundRobinConfig, StageGame, round_robin};
use brink::rng::run_rng;

type Rule = fn(own: &[bool], opp: &[bool]) -> bool; // true = cooperate

/// The published rules, written from the documentation on full histories.
fn reference(kind: Kind) -> Rule {
    match kind {
        Kind::Cooperator => |_, _| true,
        Kind::Defector => |_, _| false,
        // "Starts by cooperating and then mimics the previous action of the opponent."
        Kind::TitForTat => |_, opp| opp.is_empty() || opp[opp.len() - 1],
        // "Defects only after two defects by opponent."
        Kind::TitForTwoTats => |_, opp| !(opp.len() >= 2 && !opp[opp.len() - 1] && !opp[opp.len() - 2]),
        // "Will defect if at any point the opponent has defected."
        Kind::Grudger => |_, opp| opp.iter().all(|&c| c),
        // Cooperate first; cooperate after CC or DD, defect after CD or DC.
        Kind::WinStayLoseShift => |own, opp| own.is_empty() || own[own.len() - 1] == opp[opp.len() - 1],
        // C, D, C, D, …
        Kind::Alternator => |own, _| own.len() % 2 == 0,
        // Starts with a defection, then mimics.
        Kind::SuspiciousTitForTat => |_, opp| !opp.is_empty() && opp[opp.len() - 1],
        // "Plays D, C, C initially. Defects forever if opponent cooperated in
        // moves 2 and 3. Otherwise plays TFT."
        Kind::Prober => |own, opp| match own.len() {
            0 => false,
            1 | 2 => true,
            _ if opp[1] && opp[2] => false,
            _ => opp[opp.len() - 1],
        },
        _ => unreachable!("stochastic"),
    }
}

const DETERMINISTIC: [Kind; 9] = [
    Kind::Cooperator,
    Kind::Defector,
    Kind::TitForTat,
    Kind::TitForTwoTats,
    Kind::Grudger,
    Kind::WinStayLoseShift,
    Kind::Alternator,
    Kind::SuspiciousTitForTat,
    Kind::Prober,
];

/// Scores of a match under the standard payoffs (R, S, T, P) = (3, 0, 5, 1).
fn reference_scores(a: Rule, b: Rule, turns: usize) -> (u64, u64) {
    let (mut ha, mut hb) = (Vec::new(), Vec::new());
    let (mut sa, mut sb) = (0, 0);
    for _ in 0..turns {
        let (x, y) = (a(&ha, &hb), b(&hb, &ha));
        let (pa, pb) = match (x, y) {
            (true, true) => (3, 3),
            (true, false) => (0, 5),
            (false, true) => (5, 0),
            (false, false) => (1, 1),
        };
        sa += pa;
        sb += pb;
        ha.push(x);
        hb.push(y);
    }
    (sa, sb)
}

fn brink_scores(a: Kind, b: Kind, turns: u32) -> (f64, f64) {
    let game = StageGame::prisoners_dilemma();
    let sa = build(&EntrantSpec::named(a), &game).unwrap();
    let sb = build(&EntrantSpec::named(b), &game).unwrap();
    let mut rng = run_rng(0, 0);
    play_match(&*sa, &*sb, turns, 0.0, &mut rng, &mut MatchWorkspace::default()).scores(&game)
}

#[test]
fn tit_for_tat_against_defector_scores_199_to_204_over_200_turns() {
    assert_eq!(brink_scores(Kind::TitForTat, Kind::Defector, 200), (199.0, 204.0));
}

#[test]
fn cooperator_against_defector_scores_0_to_1000_over_200_turns() {
    assert_eq!(brink_scores(Kind::Cooperator, Kind::Defector, 200), (0.0, 1000.0));
}

#[test]
fn every_pair_of_deterministic_strategies_scores_as_the_published_rules() {
    for turns in [1u32, 2, 3, 4, 5, 10, 200] {
        for a in DETERMINISTIC {
            for b in DETERMINISTIC {
                let (ea, eb) = reference_scores(reference(a), reference(b), turns as usize);
                assert_eq!(brink_scores(a, b, turns), (ea as f64, eb as f64), "{a:?} vs {b:?} over {turns} turns");
            }
        }
    }
}

#[test]
fn a_few_matches_equal_axelrods_published_results() {
    // From the library's documentation and tests: Prober exploits a
    // Cooperator from turn 4 on; Tit For Two Tats is exploited by an
    // Alternator; WSLS and Suspicious TFT settle into cycles.
    assert_eq!(brink_scores(Kind::Prober, Kind::Cooperator, 5), (5.0 + 3.0 + 3.0 + 5.0 + 5.0, 0.0 + 3.0 + 3.0));
    assert_eq!(brink_scores(Kind::TitForTwoTats, Kind::Alternator, 4), (3.0 + 0.0 + 3.0 + 0.0, 3.0 + 5.0 + 3.0 + 5.0));
    assert_eq!(
        brink_scores(Kind::TitForTat, Kind::SuspiciousTitForTat, 4),
        (0.0 + 5.0 + 0.0 + 5.0, 5.0 + 0.0 + 5.0 + 0.0)
    );
}

#[test]
fn memory_one_vectors_reproduce_the_named_strategies() {
    let game = StageGame::prisoners_dilemma();
    for (kind, vector) in [(Kind::TitForTat, [1.0, 0.0, 1.0, 0.0]), (Kind::WinStayLoseShift, [1.0, 0.0, 0.0, 1.0])] {
        let spec = EntrantSpec { probabilities: Some(vector), ..EntrantSpec::named(Kind::MemoryOne) };
        let m = build(&spec, &game).unwrap();
        for other in DETERMINISTIC {
            let o = build(&EntrantSpec::named(other), &game).unwrap();
            let mut ws = MatchWorkspace::default();
            let got = play_match(&*m, &*o, 50, 0.0, &mut run_rng(1, 1), &mut ws).scores(&game);
            assert_eq!(got, brink_scores(kind, other, 50), "{kind:?} as memory-one vs {other:?}");
        }
    }
}

#[test]
fn generous_tit_for_tat_forgives_with_axelrods_default_probability() {
    // p = min(1 − (T − R)/(R − S), (R − P)/(T − P)) = min(1/3, 1/2) = 1/3.
    let game = StageGame::prisoners_dilemma();
    let gtft = build(&EntrantSpec::named(Kind::GenerousTitForTat), &game).unwrap();
    let alld = build(&EntrantSpec::named(Kind::Defector), &game).unwrap();
    let mut ws = MatchWorkspace::default();
    let turns = 200_000;
    let counts = play_match(&*gtft, &*alld, turns, 0.0, &mut run_rng(3, 0), &mut ws);
    // After the first turn, GTFT cooperates against a defector with p = 1/3.
    let share = f64::from(counts.counts[1] - 1) / f64::from(turns - 1);
    assert!((share - 1.0 / 3.0).abs() < 0.005, "cooperation share {share}");
    assert_eq!(lookup("gtft"), Some(Kind::GenerousTitForTat));
}

#[test]
fn random_cooperates_half_the_time_by_default() {
    let game = StageGame::prisoners_dilemma();
    let random = build(&EntrantSpec::named(Kind::Random), &game).unwrap();
    let c = build(&EntrantSpec::named(Kind::Cooperator), &game).unwrap();
    let counts = play_match(&*random, &*c, 100_000, 0.0, &mut run_rng(5, 0), &mut MatchWorkspace::default());
    let share = f64::from(counts.counts[0]) / 100_000.0;
    assert!((share - 0.5).abs() < 0.01, "{share}");
}

#[test]
fn noise_flips_moves_at_the_given_rate() {
    let game = StageGame::prisoners_dilemma();
    let c = build(&EntrantSpec::named(Kind::Cooperator), &game).unwrap();
    let counts = play_match(&*c, &*c, 100_000, 0.1, &mut run_rng(6, 0), &mut MatchWorkspace::default());
    let row_defections = f64::from(counts.counts[2] + counts.counts[3]) / 100_000.0;
    assert!((row_defections - 0.1).abs() < 0.005, "{row_defections}");
}

fn classic_round_robin(noise: f64, threads: usize) -> brink::games::repeated::RoundRobin {
    let game = StageGame::prisoners_dilemma();
    let kinds = [Kind::TitForTat, Kind::Defector, Kind::Cooperator, Kind::GenerousTitForTat, Kind::Random];
    let entrants: Vec<_> = kinds.iter().map(|&k| build(&EntrantSpec::named(k), &game).unwrap()).collect();
    let names = kinds.iter().map(|&k| format!("{k:?}")).collect();
    let config =
        RoundRobinConfig { matches: MatchConfig { turns: 200, continuation: None, noise }, repetitions: 20, seed: 9 };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| round_robin(&game, names, &entrants, config, |_| true))
}

#[test]
fn round_robin_includes_self_play_but_scores_exclude_it() {
    let rr = classic_round_robin(0.0, 1);
    // 5 entrants, symmetric game: 15 pairings with self-play.
    assert_eq!(rr.pairs.len(), 15);
    let m = rr.payoff_matrix();
    assert_eq!(m[0][0], 3.0); // TFT with itself cooperates throughout
    assert_eq!(m[1][1], 1.0);
    assert_eq!(m[0][1], 199.0 / 200.0);
    assert_eq!(m[1][0], 204.0 / 200.0);
    // Self-play adds nothing to scores: among TFT, Defector and Cooperator
    // only, Defector scores 204 + 1000 per repetition, not + 200 more.
    let game = StageGame::prisoners_dilemma();
    let kinds = [Kind::TitForTat, Kind::Defector, Kind::Cooperator];
    let entrants: Vec<_> = kinds.iter().map(|&k| build(&EntrantSpec::named(k), &game).unwrap()).collect();
    let config = RoundRobinConfig {
        matches: MatchConfig { turns: 200, continuation: None, noise: 0.0 },
        repetitions: 3,
        seed: 0,
    };
    let rr = round_robin(&game, vec!["TFT".into(), "ALLD".into(), "ALLC".into()], &entrants, config, |_| true);
    assert_eq!(rr.scores[1], vec![1204.0; 3]);
    assert_eq!(rr.scores[0], vec![199.0 + 600.0; 3]);
    assert_eq!(rr.wins[1], vec![2; 3]);
    assert_eq!(rr.normalised[2], vec![(3.0 + 0.0) / 2.0; 3]);
}

#[test]
fn round_robins_are_the_same_whatever_the_thread_count() {
    for noise in [0.0, 0.05] {
        assert_eq!(classic_round_robin(noise, 1), classic_round_robin(noise, 2));
    }
}

#[test]
fn noise_changes_who_wins_between_tit_for_tat_and_generous_tit_for_tat() {
    // Without noise TFT and GTFT tie in self-play; with noise GTFT recovers
    // from errors and TFT echoes them, so TFT's self-play payoff falls more.
    let quiet = classic_round_robin(0.0, 2).payoff_matrix();
    let noisy = classic_round_robin(0.05, 2).payoff_matrix();
    assert_eq!(quiet[0][0], quiet[3][3]);
    assert!(noisy[3][3] > noisy[0][0], "GTFT {} vs TFT {}", noisy[3][3], noisy[0][0]);
}

#[test]
fn every_deterministic_pair_equals_axelrods_library_output() {
    // Recorded from the Python library itself (see the file's `source`).
    let text = include_str!("../data/axelrod-4.14-deterministic-200-turns.json");
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let scores = v["scores"].as_object().unwrap();
    assert_eq!(scores.len(), 81);
    for (pair, s) in scores {
        let (a, b) = pair.split_once(" | ").unwrap();
        // Axelrod spells Tit For Two Tats "Tit For 2 Tats"; our registry accepts both.
        let (ka, kb) = (lookup(a).unwrap(), lookup(b).unwrap());
        let expected = (s[0].as_f64().unwrap(), s[1].as_f64().unwrap());
        assert_eq!(brink_scores(ka, kb, 200), expected, "{pair}");
    }
}
