//! Why each run failed (issue 36): counterfactual replays with one
//! mechanism switched off; a mechanism is necessary when the replay agrees.

use brink::engine::{self, End, NoObserver, RunSetup};
use brink::model::Mechanism;
use brink::montecarlo::causes::Replays;
use brink::scenario;

/// (failed runs, per mechanism the failures it was necessary for) over
/// `runs` runs of seed 0 of a built-in scenario.
fn attribution(name: &str, runs: u64) -> (u64, Vec<(Mechanism, u64)>, Vec<Mechanism>) {
    let text = scenario::find_builtin(name).unwrap().text;
    let (_, model) = scenario::load_bytes("s.toml", text.as_bytes()).unwrap();
    let mut setup = RunSetup::new(&model);
    let mut replays = Replays::new(&model);
    let used: Vec<Mechanism> = replays.mechanisms().collect();
    let mut counts: Vec<(Mechanism, u64)> = used.iter().map(|&m| (m, 0)).collect();
    let mut failed = 0;
    for run in 0..runs {
        let e = engine::play(&model, &mut setup, 0, run, &mut NoObserver);
        let causes = replays.causes(0, run, &e);
        if e.end == End::Agreement {
            assert!(causes.is_empty(), "{name} run {run}: an agreement with causes");
            continue;
        }
        failed += 1;
        for m in causes.iter() {
            assert!(used.contains(&m), "{name}: {m:?} listed but not used");
            counts.iter_mut().find(|(x, _)| *x == m).unwrap().1 += 1;
        }
    }
    (failed, counts, used)
}

/// Each teaching scenario's failures are its own mechanism's: on
/// red-lines, commitment and information every failure, on audience at
/// least 95%, would have been a deal without it (1,000 runs, seed 0).
/// A scenario lists only the mechanisms it uses.
#[test]
fn each_teaching_scenario_fails_for_its_own_mechanism() {
    for (name, own, only) in [
        ("red-lines", Mechanism::RedLines, true),
        ("commitment", Mechanism::PowerShift, true),
        ("information", Mechanism::PrivateInformation, true),
        ("audience", Mechanism::AudienceCosts, false),
    ] {
        let (failed, counts, used) = attribution(name, 1000);
        assert!(failed > 50, "{name}: only {failed} failures");
        let necessary = counts.iter().find(|(m, _)| *m == own).map_or(0, |c| c.1);
        assert!(necessary * 100 >= failed * 95, "{name}: {own:?} necessary in {necessary} of {failed}");
        if only {
            assert_eq!(used, vec![own], "{name} uses one mechanism");
            assert_eq!(necessary, failed, "{name}");
        }
    }
    let (_, _, used) = attribution("audience", 10);
    assert_eq!(
        used,
        [Mechanism::AudienceCosts, Mechanism::PrivateInformation, Mechanism::Hazard, Mechanism::Ladders],
        "audience.toml: no power shift, red lines or misperception"
    );
}

/// A replay is the same run: the counterfactual model is rebuilt (its
/// derived tables recomputed), so switching off a mechanism the scenario
/// does not use must give every run exactly as it was.
#[test]
fn a_replay_keeps_the_runs_draws() {
    let text = scenario::find_builtin("audience").unwrap().text;
    let (_, model) = scenario::load_bytes("s.toml", text.as_bytes()).unwrap();
    let mut setup = RunSetup::new(&model);
    for m in [Mechanism::PowerShift, Mechanism::RedLines, Mechanism::Misperception] {
        assert!(!model.uses(m));
        let without = model.without(m);
        let mut other = RunSetup::new(&without);
        for run in 0..300 {
            let x = engine::play(&model, &mut setup, 3, run, &mut NoObserver);
            let y = engine::play(&without, &mut other, 3, run, &mut NoObserver);
            assert_eq!(format!("{x:?}"), format!("{y:?}"), "{m:?}, run {run}");
        }
    }
}

/// `brink trace` closes a failed run with what each replay did, and which
/// mechanisms were necessary; `--no-causes` leaves the paragraph out; an
/// agreement has none; the JSON carries the same.
#[test]
fn trace_says_why_a_run_failed() {
    use crate::common::{brink, ok};
    let text = ok(&brink(&["trace", "audience", "--run", "9"]));
    for line in [
        "Why the talks failed (the same run replayed with one mechanism switched off; docs/model.md §12):",
        "  without audience-costs: agreement at round 0 on nato = moratorium, troops = partial-pullback: necessary",
        "  without hazard: no agreement (breakdown, round 2): not necessary",
        "Necessary for this failure: audience-costs.",
    ] {
        assert!(text.contains(line), "lacks {line:?}:\n{text}");
    }
    let quiet = ok(&brink(&["trace", "audience", "--run", "9", "--no-causes"]));
    assert!(!quiet.contains("Why the talks failed"), "{quiet}");
    assert!(text.starts_with(&quiet), "the paragraph only closes the trace");
    let agreed = ok(&brink(&["trace", "audience", "--variant", "no-audience-cost", "--run", "0"]));
    assert!(agreed.contains("Outcome: agreement") && !agreed.contains("Why the talks failed"), "{agreed}");
    let json = ok(&brink(&["trace", "red-lines", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["causes"]["necessary"], serde_json::json!(["red-lines"]));
    assert_eq!(v["causes"]["replays"][0]["end"], "agreement");
}
