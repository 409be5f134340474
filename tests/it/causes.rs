//! Why each run failed (issue 36): counterfactual replays with one
//! mechanism switched off; a mechanism is necessary when the replay agrees.

use brink::engine::{self, End, NoObserver, RunSetup};
use brink::model::Mechanism;
use brink::montecarlo::causes::{Attribution, Counterfactuals};
use brink::scenario;

/// (failed runs, per mechanism the failures it was necessary for) over
/// `runs` runs of seed 0 of a built-in scenario.
fn attribution(name: &str, runs: u64) -> (u64, Vec<(Mechanism, u64)>, Vec<Mechanism>) {
    let text = scenario::find_builtin(name).unwrap().text;
    let (_, model) = scenario::load_bytes("s.toml", text.as_bytes()).unwrap();
    let mut setup = RunSetup::new(&model);
    let counterfactuals = Counterfactuals::new(&model);
    let mut replays = counterfactuals.replays();
    let used: Vec<Mechanism> = counterfactuals.mechanisms().collect();
    let mut counts: Vec<(Mechanism, u64)> = used.iter().map(|&m| (m, 0)).collect();
    let mut failed = 0;
    for run in 0..runs {
        let e = engine::play(&model, &mut setup, 0, run, &mut NoObserver);
        let attribution = replays.attribute(0, run, &e);
        if e.end == End::Agreement {
            assert_eq!(attribution, Attribution::Agreement, "{name} run {run}: an agreement with causes");
            continue;
        }
        failed += 1;
        let Attribution::Necessary(causes) = attribution else { continue };
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

/// fearon.toml (no mechanism of failure: every run agrees) with patient
/// states (discount 1: war at the deadline is worth what war is worth now,
/// so a closed bargaining range sinks the talks), `edits` (text,
/// replacement) made and `extra` appended.
fn fearon(edits: &[(&str, &str)], extra: &str) -> brink::model::Model {
    let mut text = scenario::find_builtin("fearon").unwrap().text.replace("discount = 0.95", "discount = 1.0");
    for (from, to) in edits {
        assert!(text.contains(from), "fearon.toml lacks {from:?}");
        text = text.replacen(from, to, 1);
    }
    text.push_str(extra);
    scenario::load_bytes("s.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}")).1
}

/// A's optimism: it believes war is worth 0.9 to it (truly 0.5).
const OPTIMISM: (&str, &str) = ("strategy = \"reasoning\"\n", "strategy = \"reasoning\"\nreservation = 0.9\n");
/// A stands on a ladder step, taken before the talks, that makes war worth
/// 0.3 more to it (0.8), more than B would ever concede (at most 0.75).
const MOBILISED: (&str, &str) =
    ("strategy = \"reasoning\"\n", "strategy = \"reasoning\"\nescalate = { rule = \"never\", start = \"mobilise\" }\n");
const MOBILISE_STEP: &str = "
[[actors.a.escalation]]
id = \"mobilise\"
cost = 0.0
payoff_shift = { a-wins = { a = 0.3 }, b-wins = { a = 0.3 } }
";

const PUBLIC_DEMANDS: &str = "
[actors.a.audience_costs]
backing_down = 0.2
[actors.b.audience_costs]
backing_down = 0.2
";

/// Every attribution of the failed runs among `runs` runs of seed 0.
fn failures(model: &brink::model::Model, runs: u64) -> Vec<Attribution> {
    let counterfactuals = Counterfactuals::new(model);
    let mut replays = counterfactuals.replays();
    let mut setup = RunSetup::new(model);
    (0..runs)
        .map(|run| {
            let e = engine::play(model, &mut setup, 0, run, &mut NoObserver);
            replays.attribute(0, run, &e)
        })
        .filter(|a| *a != Attribution::Agreement)
        .collect()
}

fn only(m: Mechanism) -> Attribution {
    Attribution::Necessary(brink::montecarlo::causes::Causes(1 << brink::montecarlo::causes::index(m)))
}

/// A constructed scenario with a single known cause attributes every
/// failure to it: misperception, ladders, audience costs, the hazard
/// (logrolling's), and (above) the teaching scenarios' power shift, red
/// lines and private information: each mechanism in turn.
#[test]
fn a_single_known_cause_takes_every_failure() {
    let cases = [
        ("misperception", fearon(&[OPTIMISM], ""), Mechanism::Misperception),
        ("ladders", fearon(&[MOBILISED], MOBILISE_STEP), Mechanism::Ladders),
        // Each side's opening offer (the whole pie) is a public demand, and
        // backing down from it costs 0.2: x - 0.2 >= 0.5 and 1 - x - 0.2 >=
        // 0.25 leave no deal.
        ("audience-costs", fearon(&[], PUBLIC_DEMANDS), Mechanism::AudienceCosts),
        (
            "hazard",
            {
                let text = scenario::find_builtin("logrolling").unwrap().text;
                scenario::load_bytes("s.toml", text.as_bytes()).unwrap().1
            },
            Mechanism::Hazard,
        ),
    ];
    for (name, model, cause) in cases {
        let failed = failures(&model, 300);
        assert!(failed.len() >= 10, "{name}: only {} failures", failed.len());
        assert!(failed.iter().all(|a| *a == only(cause)), "{name}: {failed:?}");
    }
}

/// Two mechanisms each enough to sink the talks alone (A's optimism and
/// A's mobilisation): neither is necessary, so every failure is
/// overdetermined, attributed to neither, and the pair suffices.
#[test]
fn two_sufficient_causes_are_overdetermined_not_attributed_to_either() {
    let model = fearon(&[OPTIMISM, MOBILISED], MOBILISE_STEP);
    assert_eq!(model.mechanisms_used(), [Mechanism::Misperception, Mechanism::Ladders]);
    let failed = failures(&model, 200);
    assert_eq!(failed.len(), 200, "both together: every run fails");
    for a in failed {
        let Attribution::Overdetermined(pairs) = a else { panic!("{a:?}") };
        assert_eq!(pairs.iter().collect::<Vec<_>>(), [(Mechanism::Misperception, Mechanism::Ladders)]);
        assert_eq!(a.label(), "overdetermined");
    }
}

/// When war is worth more to both than the pie (no zone of agreement),
/// the talks fail with every mechanism switched off: no mechanism explains
/// it, and none is listed (here the hazard is the only one used).
#[test]
fn a_failure_without_a_bargaining_range_is_explained_by_no_mechanism() {
    let model = fearon(
        &[
            ("payoffs = { a = 0.90, b = -0.15 }", "payoffs = { a = 1.0, b = 0.2 }"),
            ("payoffs = { a = -0.10, b = 0.85 }", "payoffs = { a = 0.2, b = 1.0 }"),
            ("breakdown_hazard = 0.0", "breakdown_hazard = 0.01"),
        ],
        "",
    );
    assert_eq!(model.mechanisms_used(), [Mechanism::Hazard]);
    let failed = failures(&model, 100);
    assert_eq!(failed.len(), 100);
    assert!(failed.iter().all(|a| *a == Attribution::NoMechanism), "{failed:?}");
    assert_eq!(Attribution::NoMechanism.label(), "none");
}

/// `brink run` attributes every failure: summary.json's `causes` and
/// runs.csv's `causes` column agree run by run, agreements carry no cause,
/// and a mechanism the scenario does not use is never listed.
#[test]
fn run_writes_cause_shares_and_a_causes_column() {
    use crate::common::{brink, fresh_path, ok};
    let out = fresh_path("run-causes");
    ok(&brink(&["run", "audience", "--runs", "1500", "--per-run", "--no-plots", "-q", "--out", out.to_str().unwrap()]));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let c = &v["summary"]["causes"];
    let failures = c["failures"].as_u64().unwrap();
    assert_eq!(failures, 1500 - v["summary"]["ends"][0]["count"].as_u64().unwrap());
    let labels: Vec<&str> = c["necessary"].as_array().unwrap().iter().map(|s| s["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["audience-costs", "private-information", "hazard", "ladders"]);
    let mut rdr = csv::Reader::from_path(out.join("runs.csv")).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (end, causes) = (col("end"), col("causes"));
    let mut counted = std::collections::BTreeMap::<String, u64>::new();
    for r in rdr.records() {
        let r = r.unwrap();
        assert_eq!(&r[end] == "agreement", r[causes].is_empty(), "a cause exactly for a failure: {r:?}");
        for label in r[causes].split(';').filter(|l| !l.is_empty()) {
            *counted.entry(label.to_string()).or_default() += 1;
        }
    }
    for share in c["necessary"].as_array().unwrap() {
        let label = share["label"].as_str().unwrap();
        assert_eq!(counted.get(label).copied().unwrap_or(0), share["count"].as_u64().unwrap(), "{label}");
        assert_eq!(share["total"].as_u64().unwrap(), failures);
    }
    assert_eq!(counted.get("overdetermined").copied().unwrap_or(0), c["overdetermined"]["count"].as_u64().unwrap());
    assert_eq!(counted.get("none").copied().unwrap_or(0), c["no_mechanism"]["count"].as_u64().unwrap());
    assert!(c["overdetermined"]["count"].as_u64().unwrap() > 0, "audience has overdetermined failures: {c}");
    let table = ok(&brink(&["run", "audience", "--runs", "1500", "--no-plots", "--out", out.to_str().unwrap()]));
    assert!(table.contains("Why the talks failed (") && table.contains("audience-costs necessary"), "{table}");
    assert!(table.contains("the shares overlap"), "the table says the shares overlap:\n{table}");
}

/// The cause tallies are integer counts: the same bytes whatever the
/// thread count, and three shards merge into the unsharded summary.
#[test]
fn cause_shares_are_the_same_bytes_whatever_threads_and_shards() {
    use crate::common::{brink, fresh_path, ok};
    let run = |extra: &[&str], out: &std::path::Path| {
        let args = [
            &["run", "audience", "--runs", "2500", "--seed", "3", "--no-plots", "-q", "--out", out.to_str().unwrap()],
            extra,
        ]
        .concat();
        ok(&brink(&args));
    };
    let (t1, t2, shards) = (fresh_path("t1"), fresh_path("t2"), fresh_path("shards"));
    run(&["--threads", "1"], &t1);
    run(&["--threads", "2"], &t2);
    let one = std::fs::read(t1.join("summary.json")).unwrap();
    assert_eq!(one, std::fs::read(t2.join("summary.json")).unwrap(), "--threads 1 and 2");
    assert!(String::from_utf8_lossy(&one).contains("\"overdetermined_pairs\""));
    for k in ["1/3", "2/3", "3/3"] {
        run(&["--shard", k], &shards);
    }
    let merged = fresh_path("merged");
    ok(&brink(&["merge", shards.to_str().unwrap(), "--no-plots", "-q", "--out", merged.to_str().unwrap()]));
    assert_eq!(std::fs::read(merged.join("summary.json")).unwrap(), one, "merged shards");
}

/// `--no-causes` leaves the causes out of summary.json and runs.csv and
/// changes nothing else.
#[test]
fn no_causes_leaves_them_out_and_changes_nothing_else() {
    use crate::common::{brink, fresh_path, ok};
    let with = fresh_path("with");
    let without = fresh_path("without");
    let base = ["run", "red-lines", "--runs", "800", "--per-run", "--no-plots", "-q", "--out"];
    ok(&brink(&[&base[..], &[with.to_str().unwrap()]].concat()));
    ok(&brink(&[&base[..], &[without.to_str().unwrap(), "--no-causes"]].concat()));
    let mut a: serde_json::Value = serde_json::from_slice(&std::fs::read(with.join("summary.json")).unwrap()).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&std::fs::read(without.join("summary.json")).unwrap()).unwrap();
    assert_eq!(a["summary"]["causes"]["necessary"][0]["share"], 1.0, "red-lines: every failure its red lines'");
    assert!(b["summary"].get("causes").is_none());
    a["summary"].as_object_mut().unwrap().remove("causes");
    assert_eq!(a, b);
    let csv_a = std::fs::read_to_string(with.join("runs.csv")).unwrap();
    let csv_b = std::fs::read_to_string(without.join("runs.csv")).unwrap();
    let dropped: Vec<String> = csv_a.lines().map(|l| l.rsplit_once(',').unwrap().0.to_string()).collect();
    assert_eq!(dropped, csv_b.lines().collect::<Vec<_>>(), "runs.csv minus its last column");
    assert!(csv_a.lines().next().unwrap().ends_with(",causes"));
}

/// Shards must all attribute causes or none: a partial run with
/// `--no-causes` (here: its cause tally removed) is refused by merge,
/// naming why, rather than merged into shares of some of the failures.
#[test]
fn merge_refuses_shards_that_disagree_on_causes() {
    use crate::common::{assert_refused, brink, fresh_path, ok};
    let shards = fresh_path("mixed");
    for k in ["1/2", "2/2"] {
        ok(&brink(&["run", "audience", "--runs", "300", "--shard", k, "-q", "--out", shards.to_str().unwrap()]));
    }
    let file = shards.join("partial-1-of-2.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert!(v["tally"]["causes"].is_object());
    v["tally"].as_object_mut().unwrap().remove("causes");
    std::fs::write(&file, serde_json::to_string(&v).unwrap()).unwrap();
    let merged = fresh_path("mixed-merged");
    let o = brink(&["merge", shards.to_str().unwrap(), "-q", "--no-plots", "--out", merged.to_str().unwrap()]);
    assert_refused(&o, 2, "causes attributed by some shards only");
}

/// `brink compare` explains a variant's effect by its causes: on
/// commitment.toml, the binding treaty removes every failure, all of which
/// the power shift was necessary for; compare.csv carries `cause` rows
/// (n/a for an arm without failures), --json each arm's causes, and
/// `--no-causes` leaves them out.
#[test]
fn compare_explains_each_variant_by_its_cause_shares() {
    use crate::common::{brink, fresh_path, ok};
    let out = fresh_path("compare");
    let args = ["compare", "commitment", "--runs", "600", "--no-plots", "--out", out.to_str().unwrap()];
    let table = ok(&brink(&args));
    for line in [
        "  Why the talks failed (share of the arm's failures):",
        "    why they failed (of 600 failures): power-shift necessary in 100.0%",
        "    against the baseline: failures 100.0% -> 0.0% of runs; power-shift necessary for 100.0% -> 0.0% of runs",
    ] {
        assert!(table.contains(line), "lacks {line:?}:\n{table}");
    }
    let mut rdr = csv::Reader::from_path(out.join("compare.csv")).unwrap();
    let causes: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .filter(|r| r[2] == "cause")
        .collect();
    let cell = |arm: &str, label: &str, col: usize| {
        causes.iter().find(|r| r[0] == arm && r[3] == label).unwrap_or_else(|| panic!("{arm} {label}"))[col].clone()
    };
    assert_eq!(cell("baseline", "power-shift", 4), "1");
    assert_eq!(cell("baseline", "overdetermined", 4), "0");
    assert_eq!(cell("binding-treaty", "power-shift", 4), "", "no failures: n/a");
    assert_eq!(cell("binding-treaty", "power-shift", 10), "independent");
    let json = ok(&brink(&[&args[..], &["--json"]].concat()));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["arms"][0]["causes"]["necessary"][0]["label"], "power-shift");
    assert_eq!(v["arms"][1]["causes"]["failures"], 0);
    let quiet = ok(&brink(&[&args[..], &["--no-causes"]].concat()));
    assert!(!quiet.contains("Why the talks failed") && !quiet.contains("why they failed"), "{quiet}");
    assert!(!std::fs::read_to_string(out.join("compare.csv")).unwrap().contains(",cause,"));
}

/// The plot "why the talks failed" and the report's table come with the
/// causes: present for audience.toml, absent with --no-causes and for a
/// scenario whose talks never fail.
#[test]
fn report_and_plot_show_why_the_talks_failed() {
    use crate::common::{brink, fresh_path, ok};
    let out = fresh_path("report");
    let dir = out.to_str().unwrap();
    ok(&brink(&["run", "audience", "--runs", "1000", "-q", "--out", dir]));
    for file in ["causes.png", "causes.svg"] {
        assert!(out.join(file).is_file(), "{file}");
    }
    let svg = std::fs::read_to_string(out.join("causes.svg")).unwrap();
    for text in ["Why the talks failed", "audience costs", "share of failed runs (95% CI)", "need not sum to 100%"] {
        assert!(svg.contains(text), "the plot lacks {text:?}");
    }
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    for text in
        ["<h2>Why the talks failed</h2>", "without audience costs", "would have been deals without audience costs"]
    {
        assert!(page.contains(text), "report.html lacks {text:?}");
    }
    ok(&brink(&["run", "audience", "--runs", "1000", "-q", "--no-causes", "--out", dir]));
    assert!(!out.join("causes.png").exists(), "--no-causes: no plot");
    assert!(!std::fs::read_to_string(out.join("report.html")).unwrap().contains("Why the talks failed"));
    ok(&brink(&["run", "logrolling", "--set", "scenario.breakdown_hazard=0", "--runs", "300", "-q", "--out", dir]));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(v["summary"]["causes"]["failures"], 0, "no failures to explain");
    assert!(!out.join("causes.png").exists(), "nothing failed: no plot");
}

/// The lesson "Why did the talks fail? Geneva 2022" (docs/teaching.md,
/// segment 15) quotes two traces: run 6, both red lines real, fails for
/// them alone; run 5, Russia's line a bluff, fails for five mechanisms at
/// once, each necessary.
#[test]
fn the_geneva_lesson_traces_say_what_the_lesson_quotes() {
    use crate::common::{brink, ok};
    let both_real = ok(&brink(&["trace", "geneva-2022", "--run", "6"]));
    for line in [
        "usa now puts P(russia's red line on nato is real) at 0.59, up from 0.50",
        "usa now puts P(russia's red line on nato is real) at 0.80, up from 0.68",
        "  without red-lines: agreement at round 13",
        "Necessary for this failure: red-lines.",
    ] {
        assert!(both_real.contains(line), "run 6 lacks {line:?}:\n{both_real}");
    }
    let bluff = ok(&brink(&["trace", "geneva-2022", "--run", "5"]));
    for line in [
        "costs it 0.150: it holds",
        "usa now puts P(russia's red line on nato is real) at 0.00, down from 0.65",
        "Necessary for this failure: power-shift, red-lines, audience-costs, private-information, misperception.",
    ] {
        assert!(bluff.contains(line), "run 5 lacks {line:?}:\n{bluff}");
    }
}
