//! Theory check 1 of issue 10 ("no ladders means no change"): scenarios
//! without escalation ladders give byte-identical summary.json to the engine
//! before ladders existed.
//!
//! The fixtures in `tests/fixtures/no-ladders/` are the shipped scenarios as
//! they were before ladders (geneva-2022 has since gained ladders); the
//! snapshots in `tests/snapshots/no-ladders/` were written by the engine
//! before the change, then re-taken once, in the commit that gave every
//! purpose its own random stream (issue 32), which changed every draw and
//! nothing else. Keys added to summary.json since ([`ADDED_SINCE`]) are left
//! out of the comparison; everything else must match byte for byte.
//! `BRINK_BLESS=1 cargo test --test it no_ladders` rewrites them: only ever
//! do that in a commit that deliberately changes the random streams (with the
//! summary snapshots of `summary_snapshots.rs`) and touches no ladder code,
//! or on an engine without ladder code.

use std::path::Path;

use brink::analysis::outcomes::summarise;
use brink::montecarlo::{RunConfig, simulate};
use brink::report::summary_json::{self, Provenance};
use brink::scenario::{self, Adjustments};

const RUNS: u64 = 3000;
/// summary.json keys added after the snapshots were taken (one line each).
const ADDED_SINCE: [&str; 3] = ["\"mean_nash_product\":", "\"nash_product_per_run\":", "\"nash_solution_product\":"];
const SEED: u64 = 10;

fn summary_of(file: &Path, variant: Option<&str>) -> String {
    let adj = Adjustments { variants: variant.map(str::to_string).into_iter().collect(), overrides: vec![] };
    let (source, model) = scenario::load_file_adjusted(file, &adj).unwrap_or_else(|e| panic!("{e:?}"));
    let tally = simulate(&model, &RunConfig { seed: SEED, runs: 0..RUNS, keep_runs: false, causes: false }, |_| true);
    let p = Provenance {
        scenario_name: model.name.clone(),
        scenario_file: file.file_name().unwrap().to_string_lossy().into_owned(),
        scenario_sha256: source.sha256,
        seed: SEED,
        runs: tally.runs,
        overrides: adj.describe(),
        scenario_text: source.text,
    };
    let text = summary_json::to_string(&p, &summarise(&model, &tally));
    let kept: Vec<&str> =
        text.split_inclusive('\n').filter(|l| !ADDED_SINCE.iter().any(|k| l.trim_start().starts_with(k))).collect();
    kept.concat()
}

#[test]
fn issue_10_no_ladders_means_no_change() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var_os("BRINK_BLESS").is_some();
    let mut checked = 0;
    for name in ["geneva-2022", "geneva-2022-reasoning", "logrolling", "rubinstein"] {
        let file = dir.join("tests/fixtures/no-ladders").join(format!("{name}.toml"));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains(".escalation]]"), "{name}: the fixture must have no ladders");
        let mut arms: Vec<Option<String>> = vec![None];
        arms.extend(scenario::variants(&text).into_iter().map(|v| Some(v.name)));
        for arm in arms {
            let got = summary_of(&file, arm.as_deref());
            let snap = dir
                .join("tests/snapshots/no-ladders")
                .join(format!("{name}{}.json", arm.as_deref().map(|v| format!("--{v}")).unwrap_or_default()));
            if bless {
                std::fs::write(&snap, &got).unwrap();
            } else {
                let want =
                    std::fs::read_to_string(&snap).unwrap_or_else(|_| panic!("missing snapshot {}", snap.display()));
                assert!(got == want, "{}: summary.json differs from the engine before ladders", snap.display());
            }
            checked += 1;
        }
    }
    assert!(checked >= 13, "every shipped scenario and variant is checked ({checked})");
}
