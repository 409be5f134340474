//! Arbitrary bytes → the `brink merge` reader: a partial result parsed from
//! JSON, validated and merged. Whatever the bytes, validation answers with a
//! `MergeError` naming the field, never a panic, an overflow or an
//! allocation sized by an untrusted number; a partial that passes merges
//! into a tally whose counts add up.

#![no_main]

use brink::montecarlo::shard::{self, Partial, SweepPartial};
use brink::montecarlo::{PairTally, Tally};
use brink::scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = serde_json::from_slice::<Partial>(data) {
        let parts = vec![("fuzz/partial-1-of-1.json".to_string(), p)];
        if shard::validate(&parts).is_err() {
            return;
        }
        let Ok((_, model)) = scenario::load_bytes("fuzz.toml", parts[0].1.scenario_text.as_bytes()) else { return };
        if let Ok(total) = shard::merge(&parts, &Tally::new(&model)) {
            assert_eq!(total.ends.iter().sum::<u64>(), total.runs, "a merged tally whose ends do not add up");
            assert!(total.payoff.iter().all(|p| p.n == total.runs));
        }
    }
    if let Ok(p) = serde_json::from_slice::<SweepPartial>(data) {
        let parts = vec![("fuzz/sweep-partial-1-of-1.json".to_string(), p)];
        if shard::validate(&parts).is_err() || parts[0].1.points > 16 {
            return;
        }
        let Ok((_, model)) = scenario::load_bytes("fuzz.toml", parts[0].1.scenario_text.as_bytes()) else { return };
        let points = parts[0].1.points as usize;
        let templates = vec![Tally::new(&model); points];
        let pair_templates = vec![PairTally::new(&model, &model); points.saturating_sub(1)];
        // Points labelled by nothing: a fuzzed partial must bind its entries
        // to `at: []` to get past the placement check.
        let labels = vec![Vec::new(); points];
        if let Ok((tallies, pairs)) = shard::merge_sweep(&parts, &templates, &pair_templates, &labels) {
            assert!(tallies.iter().all(|t| t.runs == parts[0].1.runs));
            assert!(pairs.iter().all(|p| p.runs == parts[0].1.runs));
        }
    }
});
