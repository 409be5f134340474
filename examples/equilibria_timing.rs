//! One-shot timing of exact equilibrium enumeration on a random integer
//! game (payoffs 0..=99, fixed seed): lexicographic pivoting, and with
//! `--exhaustive` also the previous exhaustive vertex enumeration.
//!
//! Run: cargo run --release --example equilibria_timing -- 13 [--exhaustive]

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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let size: usize = args.first().and_then(|s| s.parse().ok()).unwrap_or(13);
    let exhaustive = args.iter().any(|a| a == "--exhaustive");
    let seeds: u64 = args.iter().find_map(|a| a.strip_prefix("--games=")).and_then(|s| s.parse().ok()).unwrap_or(1);
    for k in 0..seeds {
        let game = random_game(size, size, 0x5eed + size as u64 + 1000 * k);
        let t = Instant::now();
        let a = enumerate_equilibria(&game).expect("solves");
        let pivot = t.elapsed();
        print!("{size}x{size} game {k}: {} equilibria; pivoting {:.3} s", a.equilibria.len(), pivot.as_secs_f64());
        if exhaustive {
            let t = Instant::now();
            let b = enumerate_equilibria_with_limit(&game, u128::MAX).expect("solves");
            let brute = t.elapsed();
            assert_eq!(a, b, "the two methods disagree");
            print!(
                "; exhaustive {:.3} s; ratio {:.1}×",
                brute.as_secs_f64(),
                brute.as_secs_f64() / pivot.as_secs_f64().max(1e-9)
            );
        }
        println!();
    }
}
