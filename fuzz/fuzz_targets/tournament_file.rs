//! Arbitrary bytes → the tournament file reader behind `brink tournament`:
//! a file is read or refused with diagnostics whose spans lie inside the
//! text, and rendering them never panics.

#![no_main]

use brink::games::tournament::spec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(diagnostics) = spec::read(text) {
        assert!(!diagnostics.is_empty(), "a refusal names at least one problem");
        for d in &diagnostics {
            assert!(d.span.start <= text.len() && d.span.end <= text.len(), "span {:?} outside the text", d.span);
        }
        let _ = brink::scenario::diagnostic::render("t.toml", text, &diagnostics);
    }
});
