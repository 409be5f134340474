//! brink's integration tests, linked as one binary: each file below was a
//! test binary of its own, and compiling and linking 27 of them was most of
//! a fresh `cargo test`. Run one file's tests with a filter on its module,
//! e.g. `cargo test --test it play::` (or a test's name).
//!
//! Most tests drive the `brink` binary as a user would (`common` runs it
//! and holds the scratch folders); the rest call the library.

mod common;

mod aligned_streams;
mod audience;
mod bad_corpus;
mod bad_input;
mod brinkmanship;
mod browser;
mod calibration;
mod causes;
mod classroom;
mod classroom_browser;
mod classroom_process;
mod classroom_server;
mod cli;
mod commitment;
mod docs_match;
mod engine;
mod game_trees;
mod hostile_corpus;
mod indivisible;
mod information;
mod merge_integrity;
mod montecarlo;
mod no_ladders;
mod one_loader;
mod optimism;
mod output_safety;
mod paired;
mod play;
mod play_private;
mod properties;
mod reasoning;
mod red_lines;
mod repeated_games;
mod resource_bounds;
mod sensitivity;
mod sensitivity_limits;
mod sensitivity_shards;
mod signals_and_pipes;
mod summary_snapshots;
mod sweep_paired;
mod teaching;
mod tournament;
mod variants;
mod what_if;

/// A new file directly in `tests/` would be a test binary of its own, and
/// its own compile and link on every fresh `cargo test`: add it here as a
/// module instead.
#[test]
fn the_integration_tests_stay_one_binary() {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let stray: Vec<String> = std::fs::read_dir(&tests)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs") || p.join("main.rs").exists() && !p.ends_with("it"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(stray.is_empty(), "move these into tests/it/ as modules of main.rs: {stray:?}");
}
