//! Negotiations per second on the shipped geneva-2022 scenario (20 rounds,
//! 192 outcomes, 8 uncertain numbers): one negotiation at a time, and a
//! whole Monte Carlo batch on all cores.
//!
//! Run: cargo bench --bench negotiation

use brink::engine::{self, NoObserver, RunSetup};
use brink::montecarlo::{RunConfig, simulate};
use brink::scenario;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn geneva() -> brink::model::Model {
    let b = scenario::find_builtin("geneva-2022").expect("shipped");
    scenario::load_bytes(b.name, b.text.as_bytes()).expect("loads").1
}

fn one_negotiation(c: &mut Criterion) {
    let model = geneva();
    let mut setup = RunSetup::new(&model);
    let mut run = 0u64;
    let mut g = c.benchmark_group("geneva-2022");
    g.throughput(Throughput::Elements(1));
    g.bench_function("one negotiation (draw + play), one thread", |b| {
        b.iter(|| {
            run += 1;
            engine::play(&model, &mut setup, 42, run, &mut NoObserver)
        })
    });
    g.finish();
}

fn monte_carlo(c: &mut Criterion) {
    let model = geneva();
    let runs = 100_000;
    let mut g = c.benchmark_group("geneva-2022");
    g.throughput(Throughput::Elements(runs));
    g.sample_size(10);
    g.bench_function("100k-run Monte Carlo, all cores", |b| {
        b.iter(|| simulate(&model, &RunConfig { seed: 42, runs: 0..runs, keep_runs: false }, |_| true))
    });
    g.finish();
}

criterion_group!(benches, one_negotiation, monte_carlo);
criterion_main!(benches);
