//! Arbitrary bytes → the transcript reader behind `brink class`: a saved
//! game parses or is refused, never panics; its scenario key (shown when a
//! folder mixes scenarios) is built from any text; and the scenario text it
//! carries loads or is refused with located diagnostics.

#![no_main]

use brink::report::class::SavedTranscript;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(saved) = serde_json::from_slice::<SavedTranscript>(data) else { return };
    let Some(play) = saved.play else { return };
    let _ = play.scenario_key();
    let _ = play.all_variants();
    if play.scenario_text.len() <= 20_000 {
        match brink::scenario::load_bytes(&play.scenario_file, play.scenario_text.as_bytes()) {
            Ok(_) => {}
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
});
