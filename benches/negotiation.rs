//! Negotiations per second on the shipped geneva-2022 scenario (20 rounds,
//! 192 outcomes, 8 uncertain numbers), side by side: as shipped (both actors
//! play the reasoning strategy) and its `clock-driven` variant (the
//! time-dependent strategies), with escalation ladders (issue 10) and, for
//! comparison, the reasoning scenario as it was before ladders. One
//! negotiation at a time, and a whole Monte Carlo batch on all cores.
//!
//! Scenarios with a power shift after a deal (issue 33) have a group of
//! their own.
//!
//! Run: cargo bench --bench negotiation

use brink::engine::{self, NoObserver, RunSetup};
use brink::montecarlo::{RunConfig, simulate};
use brink::scenario::{self, Adjustments};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// geneva-2022 as it was before escalation ladders (issue 10), for the
/// side-by-side figure: the same reasoning agents without ladders.
const WITHOUT_LADDERS: &str = include_str!("../tests/fixtures/no-ladders/geneva-2022-reasoning.toml");

fn geneva(variant: Option<&str>) -> brink::model::Model {
    let (name, text) = match variant {
        Some("without-ladders") => ("geneva-2022", WITHOUT_LADDERS),
        _ => ("geneva-2022", scenario::find_builtin("geneva-2022").expect("shipped").text),
    };
    let variant = variant.filter(|v| *v != "without-ladders");
    let adj = Adjustments { variants: variant.map(str::to_string).into_iter().collect(), overrides: Vec::new() };
    scenario::load_bytes_adjusted(name, text.as_bytes(), &adj).expect("loads").1
}

const ARMS: [(&str, Option<&str>); 4] = [
    ("reasoning + ladders (as shipped)", None),
    ("reasoning, sanctions from the start (early-sanctions)", Some("early-sanctions")),
    ("reasoning without ladders (before issue 10)", Some("without-ladders")),
    ("clock-driven + ladders", Some("clock-driven")),
];

fn one_negotiation(c: &mut Criterion) {
    let mut g = c.benchmark_group("geneva-2022 one negotiation (draw + play), one thread");
    g.throughput(Throughput::Elements(1));
    for (name, variant) in ARMS {
        let model = geneva(variant);
        let mut setup = RunSetup::new(&model);
        let mut run = 0u64;
        g.bench_function(name, |b| {
            b.iter(|| {
                run += 1;
                engine::play(&model, &mut setup, 42, run, &mut NoObserver)
            })
        });
    }
    g.finish();
}

fn monte_carlo(c: &mut Criterion) {
    let runs = 100_000;
    let mut g = c.benchmark_group("geneva-2022 100k-run Monte Carlo, all cores");
    g.throughput(Throughput::Elements(runs));
    g.sample_size(10);
    for (name, variant) in ARMS {
        let model = geneva(variant);
        g.bench_function(name, |b| {
            b.iter(|| simulate(&model, &RunConfig { seed: 42, runs: 0..runs, ..Default::default() }, |_| true))
        });
    }
    g.finish();
}

/// `brink run`'s default: every failed run replayed with each mechanism
/// switched off (issue 36), on geneva-2022 as shipped, whose failures
/// (about half the runs) each take one replay per mechanism it uses.
fn monte_carlo_with_causes(c: &mut Criterion) {
    let runs = 20_000;
    let mut g = c.benchmark_group("geneva-2022 20k-run Monte Carlo with cause attribution, all cores");
    g.throughput(Throughput::Elements(runs));
    g.sample_size(10);
    let model = geneva(None);
    g.bench_function("reasoning + ladders (as shipped)", |b| {
        b.iter(|| {
            simulate(&model, &RunConfig { seed: 42, runs: 0..runs, causes: true, ..Default::default() }, |_| true)
        })
    });
    g.finish();
}

/// The cost of one purpose: starting its stream for a run and drawing one
/// number, with the purpose-keyed SplitMix64 of `brink::rng` and, for
/// comparison, a ChaCha8 stream keyed per purpose (its first block must be
/// computed before the first draw).
fn purpose_streams(c: &mut Criterion) {
    use brink::rng::{Purpose, RunKey};
    use rand::{RngExt, SeedableRng};
    let mut g = c.benchmark_group("one purpose: start its stream and draw once");
    g.throughput(Throughput::Elements(1));
    let purpose = Purpose::named("actors.russia.reservation");
    let mut run = 0u64;
    g.bench_function("purpose-keyed SplitMix64 (brink::rng)", |b| {
        b.iter(|| {
            run += 1;
            RunKey::new(42, run).stream(purpose).random::<f64>()
        })
    });
    g.bench_function("ChaCha8 keyed per purpose", |b| {
        b.iter(|| {
            run += 1;
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42 ^ brink::rng::mix(run));
            rng.set_stream(run);
            rng.random::<f64>()
        })
    });
    g.finish();
}

/// Scenarios with a power schedule (issue 33): `commitment` (every number
/// fixed, so each deal's value over its life is computed once, at compile
/// time) and geneva-2022 with its own power shift (uncertain numbers, so
/// every run recomputes both actors' tables), as 100,000-run Monte Carlos on
/// all cores.
fn power_shift(c: &mut Criterion) {
    let runs = 100_000;
    let mut g = c.benchmark_group("power shift, 100k-run Monte Carlo, all cores");
    g.throughput(Throughput::Elements(runs));
    g.sample_size(10);
    let commitment = scenario::find_builtin("commitment").expect("shipped").text.to_string();
    // geneva-2022 ships with its own power shift (drawn per run); appending
    // a second [power_shift] made the bench refuse to load.
    let geneva = scenario::find_builtin("geneva-2022").expect("shipped").text.to_string();
    for (name, text) in [("commitment (fixed numbers)", commitment), ("geneva-2022, its power shift (per run)", geneva)]
    {
        let model = scenario::load_bytes("bench.toml", text.as_bytes()).expect("loads").1;
        g.bench_function(name, |b| {
            b.iter(|| {
                simulate(&model, &RunConfig { seed: 42, runs: 0..runs, keep_runs: false, causes: false }, |_| true)
            })
        });
    }
    g.finish();
}

/// The teaching scenarios of the "why talks fail" mechanisms (issues 33 to
/// 35), as 100,000-run Monte Carlos on all cores.
fn teaching_scenarios(c: &mut Criterion) {
    let runs = 100_000;
    let mut g = c.benchmark_group("teaching scenarios, 100k-run Monte Carlo, all cores");
    g.throughput(Throughput::Elements(runs));
    g.sample_size(10);
    for name in ["information", "red-lines", "audience"] {
        let text = scenario::find_builtin(name).expect("shipped").text;
        let model = scenario::load_bytes(name, text.as_bytes()).expect("loads").1;
        g.bench_function(name, |b| {
            b.iter(|| {
                simulate(&model, &RunConfig { seed: 42, runs: 0..runs, keep_runs: false, causes: false }, |_| true)
            })
        });
    }
    // A private red line: each run draws whether it is real.
    let adj = scenario::Adjustments { variants: vec!["likely-bluff".into()], overrides: vec![] };
    let text = scenario::find_builtin("red-lines").expect("shipped").text;
    let model = scenario::load_bytes_adjusted("red-lines", text.as_bytes(), &adj).expect("loads").1;
    g.bench_function("red-lines --variant likely-bluff", |b| {
        b.iter(|| simulate(&model, &RunConfig { seed: 42, runs: 0..runs, keep_runs: false, causes: false }, |_| true))
    });
    g.finish();
}

criterion_group!(
    benches,
    one_negotiation,
    monte_carlo,
    monte_carlo_with_causes,
    purpose_streams,
    power_shift,
    teaching_scenarios
);
criterion_main!(benches);
