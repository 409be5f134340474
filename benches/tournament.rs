//! Repeated-game speed: turns per second of a 200-turn match between two
//! memory-one strategies on one thread, and the whole 15-strategy
//! round-robin of scenarios/tournaments/axelrod-pd.toml (200 turns, 100
//! repetitions, self-play included: 120 matches per repetition) on all
//! cores.
//!
//! Run: cargo bench --bench tournament

use brink::games::repeated::registry::{EntrantSpec, Kind, build};
use brink::games::repeated::round_robin::{MatchWorkspace, play_match};
use brink::games::repeated::{MatchConfig, RoundRobinConfig, StageGame, round_robin};
use brink::rng::run_rng;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn memory_one(p: [f64; 4]) -> EntrantSpec {
    EntrantSpec { probabilities: Some(p), ..EntrantSpec::named(Kind::MemoryOne) }
}

fn one_match(c: &mut Criterion) {
    let game = StageGame::prisoners_dilemma();
    // Two stochastic memory-one strategies, so every turn draws random numbers.
    let a = build(&memory_one([1.0, 0.125, 1.0, 0.25]), &game).unwrap(); // ZD-GTFT-2
    let b = build(&memory_one([0.935, 0.229, 0.266, 0.42]), &game).unwrap(); // Stochastic Cooperator
    let mut ws = MatchWorkspace::default();
    let mut g = c.benchmark_group("repeated");
    g.throughput(Throughput::Elements(200));
    let mut r = 0;
    g.bench_function("200-turn match, two memory-one strategies, one thread", |bench| {
        bench.iter(|| {
            r += 1;
            play_match(&*a, &*b, 200, 0.0, &mut run_rng(1, r), &mut ws)
        })
    });
    g.finish();
}

fn fifteen_strategy_round_robin(c: &mut Criterion) {
    let game = StageGame::prisoners_dilemma();
    let mut specs: Vec<EntrantSpec> = [
        Kind::Cooperator,
        Kind::Defector,
        Kind::TitForTat,
        Kind::TitForTwoTats,
        Kind::Grudger,
        Kind::WinStayLoseShift,
        Kind::GenerousTitForTat,
        Kind::Random,
        Kind::Alternator,
        Kind::SuspiciousTitForTat,
        Kind::Prober,
    ]
    .into_iter()
    .map(EntrantSpec::named)
    .collect();
    for p in [
        [8.0 / 9.0, 0.5, 1.0 / 3.0, 0.0],
        [1.0, 0.125, 1.0, 0.25],
        [1.0, 0.0, 1.0, 2.0 / 3.0],
        [0.935, 0.229, 0.266, 0.42],
    ] {
        specs.push(memory_one(p));
    }
    let entrants: Vec<_> = specs.iter().map(|s| build(s, &game).unwrap()).collect();
    let names: Vec<String> = (0..entrants.len()).map(|k| format!("s{k}")).collect();
    let config = RoundRobinConfig {
        matches: MatchConfig { turns: 200, continuation: None, noise: 0.0 },
        repetitions: 100,
        seed: 0,
    };
    let mut g = c.benchmark_group("repeated");
    // 15 entrants with self-play: 120 matches × 200 turns × 100 repetitions.
    g.throughput(Throughput::Elements(120 * 200 * 100));
    g.sample_size(10);
    g.bench_function("15-strategy round-robin, 200 turns, 100 repetitions, all cores", |bench| {
        bench.iter(|| round_robin(&game, names.clone(), &entrants, config, |_| true))
    });
    g.finish();
}

criterion_group!(benches, one_match, fifteen_strategy_round_robin);
criterion_main!(benches);
