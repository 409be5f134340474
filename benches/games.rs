//! Exact equilibrium enumeration on random integer bimatrix games (issue
//! 11): lexicographic pivoting (the default of `brink solve`) against
//! exhaustive vertex enumeration (the previous method), side by side, and
//! pivoting alone at sizes exhaustive enumeration refuses (13×13, 15×15).
//!
//! Payoffs are uniform integers 0..=99 from a fixed xorshift seed, so every
//! run measures the same games.
//!
//! Run: cargo bench --bench games (the numbers in README's speed section
//! come from this and `examples/equilibria_timing.rs`).

use brink::games::normal::{Game, enumerate_equilibria, enumerate_equilibria_with_limit};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// A deterministic random m×n game with payoffs 0..=99.
pub fn random_game(m: usize, n: usize, seed: u64) -> Game {
    let mut s = seed.max(1);
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s % 100) as i64
    };
    let a: Vec<Vec<i64>> = (0..m).map(|_| (0..n).map(|_| next()).collect()).collect();
    let b: Vec<Vec<i64>> = (0..m).map(|_| (0..n).map(|_| next()).collect()).collect();
    let ar: Vec<&[i64]> = a.iter().map(Vec::as_slice).collect();
    let br: Vec<&[i64]> = b.iter().map(Vec::as_slice).collect();
    let rn: Vec<String> = (0..m).map(|i| format!("r{i}")).collect();
    let cn: Vec<String> = (0..n).map(|j| format!("c{j}")).collect();
    let rr: Vec<&str> = rn.iter().map(String::as_str).collect();
    let cc: Vec<&str> = cn.iter().map(String::as_str).collect();
    Game::from_integers("random", ["Row", "Column"], [&rr, &cc], &ar, &br).expect("valid")
}

fn side_by_side(c: &mut Criterion) {
    let mut g = c.benchmark_group("equilibria");
    g.sample_size(10);
    for size in [3usize, 4, 5, 6, 8, 10, 11] {
        let game = random_game(size, size, 0x5eed + size as u64);
        g.bench_with_input(BenchmarkId::new("exhaustive", format!("{size}x{size}")), &game, |b, game| {
            b.iter(|| enumerate_equilibria_with_limit(game, u128::MAX).expect("solves"))
        });
        g.bench_with_input(BenchmarkId::new("pivoting", format!("{size}x{size}")), &game, |b, game| {
            b.iter(|| enumerate_equilibria(game).expect("solves"))
        });
    }
    g.finish();
}

fn at_scale(c: &mut Criterion) {
    let mut g = c.benchmark_group("equilibria");
    g.sample_size(10);
    for size in [13usize, 15] {
        let game = random_game(size, size, 0x5eed + size as u64);
        g.bench_with_input(BenchmarkId::new("pivoting", format!("{size}x{size}")), &game, |b, game| {
            b.iter(|| enumerate_equilibria(game).expect("solves"))
        });
    }
    g.finish();
}

criterion_group!(benches, side_by_side, at_scale);
criterion_main!(benches);
