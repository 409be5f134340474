//! Arbitrary bytes → the Gambit `.nfg` reader behind `brink solve`. A
//! refused file gets an error with a span inside the text; a game that
//! reads is well formed, writes back to `.nfg` and reads again as the same
//! game, and a small one solves without panicking.

#![no_main]

use brink::games::normal::{self as games, NfgFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let game = match games::from_nfg_str(text) {
        Ok(g) => g,
        Err(e) => {
            if let Some(span) = e.span() {
                assert!(span.start <= text.len() && span.end <= text.len(), "span {span:?} outside the text");
            }
            let _ = e.to_string();
            return;
        }
    };
    let written = games::to_nfg_string(&game, NfgFormat::Payoff);
    let again = games::from_nfg_str(&written).expect("brink reads the .nfg it writes");
    assert_eq!(again.payoffs, game.payoffs, "payoffs change through .nfg");
    let (m, n) = game.shape();
    let small = game.payoffs.iter().flatten().flatten().all(|x| x.numer().bits() + x.denom().bits() <= 32);
    if m * n <= 16 && small {
        let _ = games::solve(&game);
    }
});
