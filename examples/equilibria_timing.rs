//! One-shot timing of exact equilibrium enumeration on a random integer
//! game (payoffs 0..=99, fixed seed): lexicographic pivoting, and with
//! `--exhaustive` also the previous exhaustive vertex enumeration.
//!
//! Run: cargo run --release --example equilibria_timing -- 13 [--exhaustive] [--games=N]
//! or:  cargo run --release --example equilibria_timing -- --file=GAME.toml|GAME.nfg
//!
//! Solves taking under 0.2 s are repeated and averaged; with `--exhaustive`
//! and several games it prints the median old/new ratio.

use std::time::Instant;

use brink::games::normal::{Game, enumerate_equilibria, enumerate_equilibria_with_limit};

fn random_game(m: usize, n: usize, seed: u64) -> Game {
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

/// Seconds per solve: repeated until at least 0.2 s have passed (once if a
/// single solve takes longer), so sub-millisecond solves are timed too.
fn time_per_solve(
    solve: impl Fn() -> brink::games::normal::EquilibriumAnalysis,
) -> (f64, brink::games::normal::EquilibriumAnalysis) {
    let t = Instant::now();
    let mut result = solve();
    let mut runs = 1u32;
    while t.elapsed().as_secs_f64() < 0.2 {
        result = solve();
        runs += 1;
    }
    (t.elapsed().as_secs_f64() / f64::from(runs), result)
}

/// Times both methods on a game file (brink's game TOML or Gambit .nfg).
fn time_file(path: &str) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let game = if path.ends_with(".nfg") {
        brink::games::normal::from_nfg_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    } else {
        brink::games::normal::from_toml_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let (rows, cols) = game.shape();
    let (pivot, a) = time_per_solve(|| enumerate_equilibria(&game).expect("solves"));
    let (brute, b) = time_per_solve(|| enumerate_equilibria_with_limit(&game, u128::MAX).expect("solves"));
    assert_eq!(a, b, "the two methods disagree");
    println!(
        "{path} ({rows}x{cols}): {} equilibria; pivoting {pivot:.9} s; exhaustive {brute:.9} s; ratio {:.1}×",
        a.equilibria.len(),
        brute / pivot.max(1e-12)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(path) = args.iter().find_map(|a| a.strip_prefix("--file=")) {
        time_file(path);
        return;
    }
    let size: usize = args.first().and_then(|s| s.parse().ok()).unwrap_or(13);
    let exhaustive = args.iter().any(|a| a == "--exhaustive");
    let seeds: u64 = args.iter().find_map(|a| a.strip_prefix("--games=")).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut ratios = Vec::new();
    for k in 0..seeds {
        let game = random_game(size, size, 0x5eed + size as u64 + 1000 * k);
        let (pivot, a) = time_per_solve(|| enumerate_equilibria(&game).expect("solves"));
        print!("{size}x{size} game {k}: {} equilibria; pivoting {:.9} s", a.equilibria.len(), pivot);
        if exhaustive {
            let (brute, b) = time_per_solve(|| enumerate_equilibria_with_limit(&game, u128::MAX).expect("solves"));
            assert_eq!(a, b, "the two methods disagree");
            let ratio = brute / pivot.max(1e-12);
            ratios.push(ratio);
            print!("; exhaustive {brute:.9} s; ratio {ratio:.1}×");
        }
        println!();
    }
    if ratios.len() > 1 {
        ratios.sort_by(f64::total_cmp);
        let median = ratios[ratios.len() / 2];
        let (low, high) = (ratios[0], ratios[ratios.len() - 1]);
        println!("{size}x{size}: median ratio {median:.1}× over {} games (range {low:.1}–{high:.1}×)", ratios.len());
    }
}
