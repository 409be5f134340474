//! Arbitrary bytes → the Gambit `.efg` reader behind `brink solve`. A
//! refused file gets an error with a span inside the text; a tree that reads
//! writes back to `.efg` and reads again with as many nodes, and a small
//! one is analysed (subgame perfection, reduced normal form) without
//! panicking.

#![no_main]

use brink::games::extensive as trees;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let tree = match trees::from_efg_str(text) {
        Ok(t) => t,
        Err(e) => {
            if let Some(span) = e.span {
                assert!(span.start <= text.len() && span.end <= text.len(), "span {span:?} outside the text");
            }
            return;
        }
    };
    let written = trees::to_efg_string(&tree);
    let again = trees::from_efg_str(&written).expect("brink reads the .efg it writes");
    assert_eq!(again.nodes.len(), tree.nodes.len(), "nodes change through .efg");
    if tree.nodes.len() <= 40 {
        let _ = trees::analyse(&tree);
    }
});
