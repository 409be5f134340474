//! summary.json of every shipped scenario and each of its variants, as
//! insta snapshots (3,000 runs, seed 10): the picture that a deliberate
//! change of the engine's random streams ("aligned random streams") re-takes
//! in one commit, and that any other change must leave alone. Update with
//! `INSTA_UPDATE=always cargo test --test it summary_snapshots` only for a
//! change meant to move results, and say so in the commit.

use brink::analysis::outcomes::summarise;
use brink::montecarlo::{RunConfig, simulate};
use brink::report::summary_json::{self, Provenance};
use brink::scenario::{self, Adjustments, BUILTIN};

const RUNS: u64 = 3000;
const SEED: u64 = 10;

fn summary_of(name: &str, text: &str, variant: Option<&str>) -> String {
    let adj = Adjustments { variants: variant.map(str::to_string).into_iter().collect(), overrides: vec![] };
    let (source, model) = match scenario::load_bytes_adjusted(&format!("builtin:{name}"), text.as_bytes(), &adj) {
        Ok(x) => x,
        Err(e) => panic!("{name}: {e}"),
    };
    let tally = simulate(&model, &RunConfig { seed: SEED, runs: 0..RUNS, keep_runs: false, causes: false }, |_| true);
    let p = Provenance {
        scenario_name: model.name.clone(),
        scenario_file: format!("builtin:{name}"),
        scenario_sha256: source.sha256,
        seed: SEED,
        runs: tally.runs,
        overrides: adj.describe(),
        scenario_text: source.text,
    };
    summary_json::to_string(&p, &summarise(&model, &tally))
}

#[test]
fn summary_json_of_every_shipped_scenario_and_variant() {
    let mut taken = 0;
    for b in BUILTIN {
        let mut arms: Vec<Option<String>> = vec![None];
        arms.extend(scenario::variants(b.text).into_iter().map(|v| Some(v.name)));
        for arm in arms {
            let snapshot =
                format!("summary__{}{}", b.name, arm.as_deref().map(|v| format!("__{v}")).unwrap_or_default());
            insta::assert_snapshot!(snapshot, summary_of(b.name, b.text, arm.as_deref()));
            taken += 1;
        }
    }
    // geneva-2022 and its 12 variants, the other scenarios and their variants.
    assert!(taken >= 15, "every shipped scenario and variant is pictured ({taken})");
}
