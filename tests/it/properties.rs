//! Property tests on random valid scenarios.
//!
//! A generator writes random *valid* scenario files as TOML text (1–3
//! labelled issues or one numeric issue; two actors with random weights,
//! values, strategies, patience and thresholds; a conflict lottery; payoff
//! rules; some numbers uncertain), loads them with `load_bytes`, plays runs
//! with a `Transcript`, and checks one property per test:
//!
//! (a) utilities lie within the bounds implied by the file, and equal the
//!     file's formula at the means;
//! (b) the realised payoffs are what the transcript implies;
//! (c) every offer meets its proposer's target;
//! (d) a run replays identically by its index, with a fresh or reused setup;
//! (e) no payoff is NaN (or infinite).

use brink::engine::{self, End, Ending, Event, Response, RunSetup, Transcript};
use brink::model::{Model, StrategyConfig};
use brink::scenario;
use proptest::prelude::*;
use proptest::test_runner::Config;

// ---------------------------------------------------------------------------
// The generator: a scenario as data, then as TOML.

/// A number in the file: fixed or a distribution whose support (after clamps)
/// lies in the range it was generated for.
#[derive(Debug, Clone)]
enum Num {
    Fixed(f64),
    Uniform(f64, f64),
    Normal { mean: f64, sd: f64, min: f64, max: f64 },
    Triangular(f64, f64, f64),
    Beta { a: f64, b: f64, min: f64, max: f64 },
}

impl Num {
    fn toml(&self) -> String {
        match *self {
            Num::Fixed(x) => format!("{x:?}"),
            Num::Uniform(lo, hi) => format!("{{ uniform = [{lo:?}, {hi:?}] }}"),
            Num::Normal { mean, sd, min, max } => {
                format!("{{ normal = [{mean:?}, {sd:?}], min = {min:?}, max = {max:?} }}")
            }
            Num::Triangular(lo, mode, hi) => format!("{{ triangular = [{lo:?}, {mode:?}, {hi:?}] }}"),
            Num::Beta { a, b, min, max } => format!("{{ beta = [{a:?}, {b:?}], min = {min:?}, max = {max:?} }}"),
        }
    }

    /// The smallest and largest value a run can draw.
    fn support(&self) -> (f64, f64) {
        match *self {
            Num::Fixed(x) => (x, x),
            Num::Uniform(lo, hi) | Num::Triangular(lo, _, hi) => (lo, hi),
            Num::Normal { min, max, .. } => (min, max),
            Num::Beta { min, max, .. } => (0f64.max(min).min(max), 1f64.max(min).min(max)),
        }
    }

    /// The scenario's mean as documented: the shape's mean, clamped.
    fn mean(&self) -> f64 {
        match *self {
            Num::Fixed(x) => x,
            Num::Uniform(lo, hi) => (lo + hi) / 2.0,
            Num::Normal { mean, min, max, .. } => mean.clamp(min, max),
            Num::Triangular(lo, mode, hi) => (lo + mode + hi) / 3.0,
            Num::Beta { a, b, min, max } => (a / (a + b)).clamp(min, max),
        }
    }
}

/// A number (or distribution) whose every draw lies in [lo, hi].
fn num(lo: f64, hi: f64) -> BoxedStrategy<Num> {
    let clamps = (lo..=hi, lo..=hi).prop_map(|(x, y)| (x.min(y), x.max(y)));
    prop_oneof![
        4 => (lo..=hi).prop_map(Num::Fixed),
        1 => (lo..=hi, lo..=hi).prop_map(|(x, y)| Num::Uniform(x.min(y), x.max(y))),
        1 => (lo..=hi, 0.001f64..0.3, clamps.clone())
            .prop_map(|(mean, sd, (min, max))| Num::Normal { mean, sd, min, max }),
        1 => (lo..=hi, lo..=hi, lo..=hi).prop_map(|(x, y, z)| {
            let mut v = [x, y, z];
            v.sort_by(f64::total_cmp);
            Num::Triangular(v[0], v[1], v[2])
        }),
        1 => (0.2f64..5.0, 0.2f64..5.0, clamps).prop_map(|(a, b, (min, max))| Num::Beta { a, b, min, max }),
    ]
    .boxed()
}

#[derive(Debug, Clone)]
enum IssueKind {
    Labels(usize),
    Numeric { from: f64, to: f64, steps: usize },
}

impl IssueKind {
    fn len(&self) -> usize {
        match *self {
            IssueKind::Labels(n) => n,
            IssueKind::Numeric { steps, .. } => steps,
        }
    }

    /// Option k's number on a numeric issue (the format's formula).
    fn number(&self, k: usize) -> f64 {
        match *self {
            IssueKind::Numeric { from, to, steps } => from + (to - from) * k as f64 / (steps - 1) as f64,
            IssueKind::Labels(_) => unreachable!(),
        }
    }
}

#[derive(Debug, Clone)]
enum Values {
    List(Vec<Num>),
    Increasing,
    Decreasing,
    Points(Vec<(f64, f64)>),
}

impl Values {
    fn toml(&self) -> String {
        match self {
            Values::List(v) => format!("[{}]", v.iter().map(Num::toml).collect::<Vec<_>>().join(", ")),
            Values::Increasing => "\"increasing\"".into(),
            Values::Decreasing => "\"decreasing\"".into(),
            Values::Points(p) => {
                let pts: Vec<String> = p.iter().map(|(x, v)| format!("[{x:?}, {v:?}]")).collect();
                format!("{{ points = [{}] }}", pts.join(", "))
            }
        }
    }

    /// (lowest draw, highest draw, mean) of option k of `issue`.
    fn option(&self, issue: &IssueKind, k: usize) -> (f64, f64, f64) {
        let n = issue.len();
        let fixed = |x: f64| (x, x, x);
        match self {
            Values::List(v) => {
                let (lo, hi) = v[k].support();
                (lo, hi, v[k].mean())
            }
            Values::Increasing => fixed(k as f64 / (n - 1) as f64),
            Values::Decreasing => fixed(1.0 - k as f64 / (n - 1) as f64),
            Values::Points(p) => fixed(interpolate(p, issue.number(k))),
        }
    }
}

/// The piecewise-linear curve through `p`, flat outside it.
fn interpolate(p: &[(f64, f64)], x: f64) -> f64 {
    if x <= p[0].0 {
        return p[0].1;
    }
    for w in p.windows(2) {
        let ((x0, v0), (x1, v1)) = (w[0], w[1]);
        if x <= x1 {
            return v0 + (v1 - v0) * (x - x0) / (x1 - x0);
        }
    }
    p[p.len() - 1].1
}

fn values_for(issue: &IssueKind) -> BoxedStrategy<Values> {
    let n = issue.len();
    let list = prop::collection::vec(num(0.0, 1.0), n).prop_map(Values::List);
    match *issue {
        IssueKind::Labels(_) => {
            prop_oneof![3 => list, 1 => Just(Values::Increasing), 1 => Just(Values::Decreasing)].boxed()
        }
        IssueKind::Numeric { from, to, .. } => {
            let points = prop::collection::vec((from - 1.0..to + 1.0, 0.0f64..=1.0), 1..=4).prop_map(|mut p| {
                p.sort_by(|a, b| a.0.total_cmp(&b.0));
                p.dedup_by(|a, b| a.0 == b.0);
                Values::Points(p)
            });
            prop_oneof![1 => list, 1 => Just(Values::Increasing), 1 => Just(Values::Decreasing), 1 => points].boxed()
        }
    }
}

#[derive(Debug, Clone)]
enum StrategySpec {
    Named(&'static str),
    /// A time-dependent family member with an explicit beta.
    Time(&'static str, Num),
}

impl StrategySpec {
    fn toml(&self) -> String {
        match self {
            StrategySpec::Named(s) => format!("{s:?}"),
            StrategySpec::Time(kind, beta) => format!("{{ kind = {kind:?}, beta = {} }}", beta.toml()),
        }
    }
}

fn strategy_spec() -> BoxedStrategy<StrategySpec> {
    let named =
        prop::sample::select(vec!["boulware", "linear", "conceder", "hardliner", "tit-for-tat", "random", "reasoning"])
            .prop_map(StrategySpec::Named);
    let time = (prop::sample::select(vec!["time", "boulware", "linear", "conceder"]), num(0.1, 5.0))
        .prop_map(|(k, b)| StrategySpec::Time(k, b));
    prop_oneof![3 => named, 1 => time].boxed()
}

#[derive(Debug, Clone)]
enum AcceptanceSpec {
    Next,
    Reservation,
    Threshold(Num),
}

#[derive(Debug, Clone)]
struct ActorSpec {
    strategy: StrategySpec,
    discount: Option<Num>,
    cost: Option<Num>,
    reservation: Option<Num>,
    walk_away: Option<Num>,
    acceptance: Option<AcceptanceSpec>,
    weights: Vec<Num>,
    values: Vec<Values>,
}

fn actor(issues: &[IssueKind]) -> BoxedStrategy<ActorSpec> {
    let n = issues.len();
    // The first weight is kept away from 0, so the weights never all have mean 0.
    let weights = (num(0.1, 1.0), prop::collection::vec(num(0.0, 1.0), n - 1)).prop_map(|(w0, mut rest)| {
        rest.insert(0, w0);
        rest
    });
    let values: Vec<BoxedStrategy<Values>> = issues.iter().map(values_for).collect();
    let acceptance = prop_oneof![
        Just(AcceptanceSpec::Next),
        Just(AcceptanceSpec::Reservation),
        num(0.0, 1.0).prop_map(AcceptanceSpec::Threshold),
    ];
    (
        strategy_spec(),
        prop::option::of(num(0.51, 1.0)),
        prop::option::of(num(0.0, 0.02)),
        prop::option::weighted(0.3, num(-0.2, 0.6)),
        prop::option::weighted(0.3, num(-0.2, 0.5)),
        prop::option::of(acceptance),
        weights,
        values,
    )
        .prop_map(|(strategy, discount, cost, reservation, walk_away, acceptance, weights, values)| ActorSpec {
            strategy,
            discount,
            cost,
            reservation,
            walk_away,
            acceptance,
            weights,
            values,
        })
        .boxed()
}

#[derive(Debug, Clone)]
struct Outcome {
    weight: u32,
    payoffs: [Num; 2],
}

#[derive(Debug, Clone)]
struct RuleSpec {
    issue: usize,
    option: usize,
    payoffs: [Option<Num>; 2],
}

#[derive(Debug, Clone)]
pub(crate) struct Spec {
    rounds: u32,
    second_moves_first: bool,
    hazard: Option<Num>,
    issues: Vec<IssueKind>,
    actors: [ActorSpec; 2],
    lottery: Option<Vec<Outcome>>,
    rules: Vec<RuleSpec>,
}

const IDS: [&str; 2] = ["p", "q"];

impl Spec {
    /// The probabilities of the lottery: integer weights over their sum.
    fn probabilities(&self) -> Vec<f64> {
        match &self.lottery {
            None => vec![1.0],
            Some(l) => {
                let total: u32 = l.iter().map(|o| o.weight).sum();
                l.iter().map(|o| o.weight as f64 / total as f64).collect()
            }
        }
    }

    fn option_label(&self, issue: usize, k: usize) -> String {
        match self.issues[issue] {
            IssueKind::Labels(_) => format!("\"o{k}\""),
            ref numeric => format!("{:?}", numeric.number(k)),
        }
    }

    fn toml(&self) -> String {
        let mut s = format!("[scenario]\nname = \"Generated\"\nrounds = {}\n", self.rounds);
        if self.second_moves_first {
            s.push_str("first_mover = \"q\"\n");
        }
        if let Some(h) = &self.hazard {
            s.push_str(&format!("breakdown_hazard = {}\n", h.toml()));
        }
        for (i, issue) in self.issues.iter().enumerate() {
            s.push_str(&format!("\n[[issues]]\nid = \"i{i}\"\n"));
            match *issue {
                IssueKind::Labels(n) => {
                    let labels: Vec<String> = (0..n).map(|k| format!("\"o{k}\"")).collect();
                    s.push_str(&format!("options = [{}]\n", labels.join(", ")));
                }
                IssueKind::Numeric { from, to, steps } => {
                    s.push_str(&format!("options = {{ from = {from:?}, to = {to:?}, steps = {steps} }}\n"));
                }
            }
        }
        for (a, actor) in self.actors.iter().enumerate() {
            let id = IDS[a];
            s.push_str(&format!("\n[actors.{id}]\nstrategy = {}\n", actor.strategy.toml()));
            let opt = |s: &mut String, key: &str, n: &Option<Num>| {
                if let Some(n) = n {
                    s.push_str(&format!("{key} = {}\n", n.toml()));
                }
            };
            opt(&mut s, "discount", &actor.discount);
            opt(&mut s, "cost_per_round", &actor.cost);
            opt(&mut s, "reservation", &actor.reservation);
            opt(&mut s, "walk_away", &actor.walk_away);
            // The reasoning strategy decides acceptance itself.
            let acceptance =
                if matches!(actor.strategy, StrategySpec::Named("reasoning")) { &None } else { &actor.acceptance };
            match acceptance {
                None => {}
                Some(AcceptanceSpec::Next) => s.push_str("acceptance = \"next\"\n"),
                Some(AcceptanceSpec::Reservation) => s.push_str("acceptance = \"reservation\"\n"),
                Some(AcceptanceSpec::Threshold(t)) => {
                    s.push_str(&format!("acceptance = {{ threshold = {} }}\n", t.toml()))
                }
            }
            for i in 0..self.issues.len() {
                s.push_str(&format!(
                    "[actors.{id}.issues.i{i}]\nweight = {}\nvalues = {}\n",
                    actor.weights[i].toml(),
                    actor.values[i].toml()
                ));
            }
        }
        if let Some(lottery) = &self.lottery {
            let probabilities = self.probabilities();
            for (k, o) in lottery.iter().enumerate() {
                s.push_str(&format!(
                    "\n[[disagreement]]\nid = \"d{k}\"\nprobability = {:?}\npayoffs = {{ p = {}, q = {} }}\n",
                    probabilities[k],
                    o.payoffs[0].toml(),
                    o.payoffs[1].toml()
                ));
            }
        }
        for r in &self.rules {
            let payoffs: Vec<String> =
                (0..2).filter_map(|a| r.payoffs[a].as_ref().map(|n| format!("{} = {}", IDS[a], n.toml()))).collect();
            s.push_str(&format!(
                "\n[[rules]]\nwhen = {{ i{} = {} }}\npayoffs = {{ {} }}\n",
                r.issue,
                self.option_label(r.issue, r.option),
                payoffs.join(", ")
            ));
        }
        s
    }

    /// Option of `issue` in outcome `w`: the last issue varies fastest.
    fn options_of(&self, mut w: usize) -> Vec<usize> {
        let mut o = vec![0; self.issues.len()];
        for i in (0..self.issues.len()).rev() {
            let n = self.issues[i].len();
            o[i] = w % n;
            w /= n;
        }
        o
    }

    fn outcomes(&self) -> usize {
        self.issues.iter().map(IssueKind::len).product()
    }

    /// (lowest, highest) utility actor `a` can have in any run, from the file:
    /// a weighted average of values lies within the values' range, plus
    /// whatever the rules can add or take away.
    fn utility_bounds(&self, a: usize) -> (f64, f64) {
        let actor = &self.actors[a];
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for (i, issue) in self.issues.iter().enumerate() {
            for k in 0..issue.len() {
                let (l, h, _) = actor.values[i].option(issue, k);
                lo = lo.min(l);
                hi = hi.max(h);
            }
        }
        for r in &self.rules {
            if let Some(n) = &r.payoffs[a] {
                let (l, h) = n.support();
                lo += l.min(0.0);
                hi += h.max(0.0);
            }
        }
        (lo, hi)
    }

    /// Actor `a`'s utility of outcome `w` with every number at its mean.
    fn mean_utility(&self, a: usize, w: usize) -> f64 {
        let actor = &self.actors[a];
        let options = self.options_of(w);
        let total: f64 = actor.weights.iter().map(Num::mean).sum();
        let mut u = 0.0;
        for (i, issue) in self.issues.iter().enumerate() {
            u += actor.weights[i].mean() / total * actor.values[i].option(issue, options[i]).2;
        }
        for r in &self.rules {
            if options[r.issue] == r.option
                && let Some(n) = &r.payoffs[a]
            {
                u += n.mean();
            }
        }
        u
    }
}

fn issues() -> BoxedStrategy<Vec<IssueKind>> {
    prop_oneof![
        3 => prop::collection::vec(2usize..=5, 1..=3).prop_map(|v| v.into_iter().map(IssueKind::Labels).collect()),
        1 => (-5.0f64..5.0, 0.1f64..10.0, 2usize..=30)
            .prop_map(|(from, width, steps)| vec![IssueKind::Numeric { from, to: from + width, steps }]),
    ]
    .boxed()
}

pub(crate) fn spec() -> impl Strategy<Value = Spec> {
    issues().prop_flat_map(|issues| {
        let n = issues.len();
        let lottery = prop::collection::vec(
            (1u32..=10, num(-0.5, 0.8), num(-0.5, 0.8)).prop_map(|(weight, p, q)| Outcome { weight, payoffs: [p, q] }),
            1..=3,
        );
        let rule = (0..n, 0usize..5, prop::option::of(num(-0.3, 0.3)), prop::option::of(num(-0.3, 0.3)));
        (
            1u32..=40,
            any::<bool>(),
            prop::option::of(num(0.0, 0.1)),
            actor(&issues),
            actor(&issues),
            prop::option::weighted(0.8, lottery),
            prop::collection::vec(rule, 0..=2),
            Just(issues),
        )
            .prop_map(|(rounds, second_moves_first, hazard, p, q, lottery, rules, issues)| {
                let rules = rules
                    .into_iter()
                    .map(|(issue, option, bp, bq)| RuleSpec {
                        issue,
                        option: option % issues[issue].len(),
                        payoffs: [bp, bq],
                    })
                    .collect();
                Spec { rounds, second_moves_first, hazard, issues, actors: [p, q], lottery, rules }
            })
    })
}

// ---------------------------------------------------------------------------
// Helpers.

pub(crate) fn load(spec: &Spec) -> (String, Model) {
    let text = spec.toml();
    match scenario::load_bytes("generated.toml", text.as_bytes()) {
        Ok((_, m)) => (text, m),
        Err(e) => panic!("the generator made an invalid scenario:\n{text}\n{e}"),
    }
}

/// 64 cases by default, so the file runs in a few seconds; set
/// PROPTEST_CASES for a longer hunt.
pub(crate) fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    Config { cases, failure_persistence: None, ..Config::default() }
}

const SEED: u64 = 20_250;
const RUNS: u64 = 6;

fn play(m: &Model, setup: &mut RunSetup, run: u64) -> (Ending, Transcript) {
    let mut t = Transcript::default();
    let e = engine::play(m, setup, SEED, run, &mut t);
    (e, t)
}

fn close(x: f64, y: f64) -> bool {
    (x - y).abs() <= 1e-9 * (1.0 + x.abs().max(y.abs()))
}

// ---------------------------------------------------------------------------
// The properties.

proptest! {
    #![proptest_config(config())]

    /// (a) Utilities stay within what the file allows, in every run; at the
    /// means they are exactly the file's weighted sum plus bonuses.
    #[test]
    fn utilities_lie_within_the_bounds_the_file_implies(spec in spec()) {
        let (text, m) = load(&spec);
        prop_assert_eq!(m.space.len(), spec.outcomes());
        for a in 0..2 {
            for w in 0..spec.outcomes() {
                let want = spec.mean_utility(a, w);
                let got = m.mean_utilities[a][w];
                prop_assert!(close(got, want), "actor {a}, outcome {w}: mean utility {got}, file says {want}\n{text}");
            }
        }
        let mut setup = RunSetup::new(&m);
        for run in 0..RUNS {
            play(&m, &mut setup, run);
            for a in 0..2 {
                let (lo, hi) = spec.utility_bounds(a);
                for (w, &u) in setup.utilities(&m, a).iter().enumerate() {
                    prop_assert!(u >= lo - 1e-9 && u <= hi + 1e-9,
                        "run {run}, actor {a}, outcome {w}: utility {u} outside [{lo}, {hi}]\n{text}");
                }
            }
        }
    }

    /// (b) The payoffs are δ^t·x − c·t for what the transcript shows: the
    /// accepted offer's utility, or the drawn conflict outcome's payoff.
    #[test]
    fn payoffs_follow_from_the_transcript(spec in spec()) {
        let (text, m) = load(&spec);
        let mut setup = RunSetup::new(&m);
        for run in 0..RUNS {
            let (e, t) = play(&m, &mut setup, run);
            // The transcript alternates proposal / response, round by round.
            let mut proposer = m.first_mover;
            let mut last_offer = None;
            for (k, ev) in t.events.iter().enumerate() {
                match *ev {
                    Event::Proposal { round, proposer: who, proposal } => {
                        prop_assert_eq!(round as usize, k / 2, "{}", text);
                        prop_assert_eq!(who, proposer);
                        last_offer = Some(proposal.outcome);
                    }
                    Event::Response { round, responder, .. } => {
                        prop_assert_eq!(round as usize, k / 2);
                        prop_assert_eq!(responder, 1 - proposer);
                        proposer = responder;
                    }
                    Event::Breakdown { .. } => prop_assert_eq!(k, t.events.len() - 1),
                    // Generated scenarios have no escalation ladders.
                    Event::EscalationBreakdown { .. } | Event::Ladder { .. } => prop_assert!(m.has_ladders()),
                    // Generated scenarios have no red lines.
                    Event::RedLineBelief { .. } => prop_assert!(false, "a belief about a red line without red lines"),
                    Event::LadderSignal { .. } => prop_assert!(false, "a ladder move read without ladders"),
                    Event::BeforeTalks { .. } => prop_assert!(false, "generated scenarios open the talks at round 0"),
                }
            }
            let (end, round) = match t.events.last() {
                Some(Event::Response { round, responder, response: Response::Accept, .. }) => {
                    let _ = responder;
                    (End::Agreement, *round)
                }
                Some(Event::Response { round, responder, response: Response::WalkAway, .. }) => {
                    (End::WalkAway(*responder), *round)
                }
                Some(Event::Response { round, response: Response::Reject, .. }) => {
                    prop_assert_eq!(*round, m.rounds - 1, "a rejection ends the talks only at the deadline");
                    (End::Deadline, *round)
                }
                Some(Event::Breakdown { round }) => (End::Breakdown, *round),
                other => return Err(TestCaseError::fail(format!("transcript ends with {other:?}\n{text}"))),
            };
            prop_assert_eq!(e.end, end, "run {}\n{}", run, text);
            prop_assert_eq!(e.round, round);
            for a in 0..2 {
                let side = &setup.sides[a];
                let x = match end {
                    End::Agreement => {
                        let w = last_offer.unwrap();
                        prop_assert_eq!(e.agreement, Some(w));
                        setup.utilities(&m, a)[w as usize]
                    }
                    _ => {
                        let k = e.lottery.expect("a disagreement draws the lottery") as usize;
                        prop_assert!(k < m.disagreement.len());
                        prop_assert!(m.disagreement[k].probability > 0.0, "drew an outcome of probability 0");
                        setup.params[m.disagreement[k].payoff[a] as usize]
                    }
                };
                let want = side.discount.powi(round as i32) * x - side.cost * round as f64;
                prop_assert!(close(e.payoff[a], want),
                    "run {run}, actor {a}: payoff {} but the transcript implies {want}\n{text}", e.payoff[a]);
            }
        }
    }

    /// (c) Every offer is worth at least its proposer's target to it; the
    /// target never exceeds the best outcome; `random` offers at least its
    /// reservation value whenever some outcome is worth that much.
    #[test]
    fn every_offer_meets_its_proposers_target(spec in spec()) {
        let (text, m) = load(&spec);
        let mut setup = RunSetup::new(&m);
        for run in 0..RUNS {
            let (_, t) = play(&m, &mut setup, run);
            for ev in &t.events {
                let Event::Proposal { round, proposer, proposal } = *ev else { continue };
                let side = &setup.sides[proposer];
                let own = setup.utilities(&m, proposer)[proposal.outcome as usize];
                prop_assert!(proposal.target <= side.u_max + 1e-12, "target above the best outcome\n{}", text);
                prop_assert!(own >= proposal.target - 1e-9,
                    "run {run}, round {round}: actor {proposer} offered {own} below its target {}\n{text}",
                    proposal.target);
                if m.actors[proposer].strategy == StrategyConfig::Random {
                    let floor = side.reservation.min(side.u_max);
                    prop_assert!(own >= floor - 1e-9,
                        "run {run}, round {round}: random offered {own} below its reservation {}\n{text}",
                        side.reservation);
                }
            }
        }
    }

    /// (d) A run depends on (seed, run index) alone: replayed by itself, with
    /// a fresh setup or one reused after other runs, it is the same.
    #[test]
    fn a_run_replays_identically_by_its_index(spec in spec(), run in 0u64..1000) {
        let (text, m) = load(&spec);
        let (first, t1) = play(&m, &mut RunSetup::new(&m), run);
        let mut reused = RunSetup::new(&m);
        for other in [run + 1, run.wrapping_mul(7) + 3, 0] {
            play(&m, &mut reused, other);
        }
        let (second, t2) = play(&m, &mut reused, run);
        let (third, t3) = play(&m, &mut RunSetup::new(&m), run);
        prop_assert_eq!(first, second, "{}", text);
        prop_assert_eq!(&t1, &t2);
        prop_assert_eq!(first, third);
        prop_assert_eq!(&t1, &t3);
    }

    /// (e) No payoff is NaN or infinite, in any way a run can end.
    #[test]
    fn no_payoff_is_nan(spec in spec()) {
        let (text, m) = load(&spec);
        let mut setup = RunSetup::new(&m);
        for run in 0..4 * RUNS {
            let e = engine::play(&m, &mut setup, SEED, run, &mut engine::NoObserver);
            prop_assert!(e.payoff.iter().all(|x| x.is_finite()), "run {run}: payoffs {:?}\n{text}", e.payoff);
            prop_assert!(e.round < m.rounds);
        }
    }
}

/// The generator itself: its files are valid and varied (every strategy,
/// both issue kinds, uncertain numbers, rules and lotteries all show up).
#[test]
fn the_generator_makes_valid_and_varied_scenarios() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..300 {
        let spec = spec().new_tree(&mut runner).unwrap().current();
        let text = spec.toml();
        let (_, m) = load(&spec);
        for a in &m.actors {
            seen.insert(format!("{:?}", a.strategy).split([' ', '{']).next().unwrap().to_string());
        }
        if m.issues[0].numbers.is_some() {
            seen.insert("numeric".into());
        }
        if !m.params.uncertain.is_empty() {
            seen.insert("uncertain".into());
        }
        if !m.rules.is_empty() {
            seen.insert("rules".into());
        }
        if text.contains("points") {
            seen.insert("points".into());
        }
        if m.disagreement.len() > 1 {
            seen.insert("lottery".into());
        }
    }
    for want in ["Time", "Hardliner", "TitForTat", "Random", "numeric", "uncertain", "rules", "points", "lottery"] {
        assert!(seen.contains(want), "the generator never made {want}: {seen:?}");
    }
}
