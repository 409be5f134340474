//! Arbitrary bytes → `brink::scenario::load_bytes`. A refused input must give
//! diagnostics that render (file:line:col, quoted line) without panicking; a
//! loaded scenario of moderate size is summarised and played a few times,
//! and every ending must be well formed with finite payoffs.

#![no_main]

use brink::analysis::outcomes;
use brink::engine::{self, End, Event, RunSetup, Transcript};
use brink::montecarlo::{self, RunConfig};
use brink::report::summary_json::{self, Provenance};
use brink::scenario::{self, LoadError};
use libfuzzer_sys::fuzz_target;

/// Bigger scenarios load fine but make each input slow to play.
const MAX_OUTCOMES: usize = 100_000;
const MAX_ROUNDS: u32 = 200;

fuzz_target!(|data: &[u8]| {
    let model = match scenario::load_bytes("fuzz.toml", data) {
        Ok((_, model)) => model,
        Err(e) => {
            // Rendering walks the spans through codespan: it must not panic.
            let rendered = e.to_string();
            if let LoadError::Invalid { text, diagnostics, .. } = &e {
                assert!(!diagnostics.is_empty(), "an invalid scenario without a single diagnostic");
                for d in diagnostics {
                    let (line, _col) = d.line_col(text);
                    assert!(line >= 1, "line numbers start at 1");
                }
                assert!(rendered.contains("fuzz.toml"), "the rendering must name the file");
            }
            return;
        }
    };
    // The check summary reads every part of the model.
    let _ = brink::report::check::text(&model, "fuzz.toml");
    if model.space.len() > MAX_OUTCOMES || model.rounds > MAX_ROUNDS {
        return;
    }
    let mut setup = RunSetup::new(&model);
    for run in 0..4u64 {
        let mut transcript = Transcript::default();
        let e = engine::play(&model, &mut setup, 0x5eed, run, &mut transcript);
        assert!(e.payoff.iter().all(|p| p.is_finite()), "non-finite payoff {:?} in run {run}", e.payoff);
        assert!(e.round < model.rounds, "ended at round {} of {}", e.round, model.rounds);
        match e.end {
            End::Agreement => {
                let w = e.agreement.expect("an agreement names its outcome");
                assert!((w as usize) < model.space.len());
                assert!(e.lottery.is_none());
            }
            _ => {
                let k = e.lottery.expect("a disagreement draws the lottery");
                assert!((k as usize) < model.disagreement.len());
                assert!(e.agreement.is_none());
            }
        }
        for ev in &transcript.events {
            if let Event::Proposal { proposal, .. } = ev {
                assert!((proposal.outcome as usize) < model.space.len());
                assert!(!proposal.target.is_nan(), "NaN target");
            }
        }
        // Replaying the run alone gives the same ending.
        let again = engine::play(&model, &mut RunSetup::new(&model), 0x5eed, run, &mut engine::NoObserver);
        assert_eq!(again, e, "run {run} does not replay");
    }
    // What `brink run` does after playing: tally, summarise (bargaining
    // benchmarks, Pareto frontier, Nash distance), serialise.
    let config = RunConfig { seed: 0x5eed, runs: 0..16, keep_runs: false };
    let tally = montecarlo::simulate(&model, &config, |_| true);
    assert_eq!(tally.runs, 16);
    let summary = outcomes::summarise(&model, &tally);
    let provenance = Provenance {
        scenario_name: model.name.clone(),
        scenario_file: "fuzz.toml".into(),
        scenario_sha256: String::new(),
        seed: 0x5eed,
        runs: 16,
        overrides: Vec::new(),
        scenario_text: String::new(),
    };
    let json = summary_json::to_string(&provenance, &summary);
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "summary.json is not JSON:\n{json}");
});
