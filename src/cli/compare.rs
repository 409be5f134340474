//! `brink compare`: a baseline against its variants, or several scenarios
//! against each other.

use super::terminal::{out, outln};
use brink::montecarlo::RunConfig;
use std::path::PathBuf;

use anyhow::Context;
use brink::analysis::comparison;
use brink::report::experiments::{compare_table, explain, explain_change, write_compare_csv};
use brink::report::html::ScenarioSource;
use brink::report::output_dir::OutputSet;
use brink::report::pages::{self, Made};
use brink::scenario::Adjustments;

use super::experiment::{Experiment, MonteCarloArgs};
use super::{CliResult, Failure, scenario_arg};

/// Compare policies: run a scenario's baseline and its variants (the
/// [variants.NAME] sections of the file), or several scenario files, with
/// the same seed, and show each one's outcome shares and payoffs with 95%
/// confidence intervals and its difference from the baseline.
///
/// Run k of every arm uses the same random numbers, so differences are
/// paired run by run: for shares, the runs that switched each way with
/// Newcombe's paired interval and McNemar's exact test; for payoffs and
/// rounds, the paired t interval. --unpaired gives independent-sample
/// intervals instead (for arms whose random numbers do not line up).
///
/// Writes compare.csv and plots into the output folder.
///
/// Examples:
///   brink compare geneva-2022
///   brink compare geneva-2022 --variant severe-sanctions --variant hard-line
///   brink compare a.toml b.toml
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// One scenario (baseline and variants) or several (the first is the baseline).
    #[arg(required = true)]
    scenarios: Vec<String>,
    /// Only these variants (with one scenario); repeatable.
    #[arg(long = "variant", value_name = "NAME")]
    variants: Vec<String>,
    /// Override a value in every arm: PATH=VALUE (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    #[command(flatten)]
    mc: MonteCarloArgs,
    /// Output folder [default: outputs/<scenario>-compare].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Skip the plots.
    #[arg(long)]
    no_plots: bool,
    /// No progress bar and no table.
    #[arg(long, short)]
    quiet: bool,
    /// Intervals for arms NOT run with common random numbers (e.g. files
    /// whose uncertain numbers differ in number or order): treat the arms as
    /// independent samples instead of pairing run k with run k.
    #[arg(long)]
    unpaired: bool,
    /// Do not replay failed runs to say why they failed. By default every
    /// arm's failed runs are replayed once per mechanism of failure it uses,
    /// switched off (docs/model.md §12), and each arm's cause shares are
    /// compared: what a policy changed, in terms of why talks fail.
    #[arg(long)]
    no_causes: bool,
    /// Print the arms and the compared rows as JSON instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CliResult {
    args.mc.check()?;
    let common = scenario_arg::Adjust { set: args.set.clone(), variant: Vec::new() }.adjustments()?;
    // Each arm: (name, description, scenario argument, variant).
    let mut arms: Vec<(String, String, String, Option<String>)> = Vec::new();
    if args.scenarios.len() == 1 {
        let scenario = &args.scenarios[0];
        // Loaded and validated before its variants are looked for: a missing
        // file, a syntax error or an oversized input gets the message that
        // run and check give, not "declares no [variants]".
        let (source, _) =
            scenario_arg::load_adjusted(scenario, &common).map_err(|e| scenario_arg::failure(&e, false))?;
        let declared = brink::scenario::variants(&source.text);
        arms.push(("baseline".into(), "the scenario as written".into(), scenario.clone(), None));
        let wanted: Vec<String> = if args.variants.is_empty() {
            declared.iter().map(|v| v.name.clone()).collect()
        } else {
            args.variants.clone()
        };
        if wanted.is_empty() {
            return Err(Failure::Input(format!(
                "error: {scenario} declares no [variants]; add some, or compare several files: brink compare a.toml b.toml\n"
            )));
        }
        for name in wanted {
            let description =
                declared.iter().find(|v| v.name == name).map(|v| v.description.clone()).unwrap_or_default();
            arms.push((name.clone(), description, scenario.clone(), Some(name)));
        }
    } else {
        if !args.variants.is_empty() {
            return Err(Failure::Input("error: --variant goes with a single scenario\n".into()));
        }
        for s in &args.scenarios {
            arms.push((scenario_arg::stem(s), s.clone(), s.clone(), None));
        }
    }
    // Two arms of one name would be two indistinguishable rows in
    // compare.csv. Files with the same stem (or one file twice) are told
    // apart by their position; a variant named `baseline` or given twice is
    // the user's to fix.
    if args.scenarios.len() > 1 {
        let names: Vec<String> = arms.iter().map(|(n, ..)| n.clone()).collect();
        for (k, arm) in arms.iter_mut().enumerate() {
            if names.iter().filter(|n| **n == arm.0).count() > 1 {
                arm.0 = format!("{}-{}", arm.0, k + 1);
            }
        }
    }
    for (k, (name, ..)) in arms.iter().enumerate() {
        if arms[..k].iter().any(|(other, ..)| other == name) {
            let why = if name == "baseline" && args.scenarios.len() == 1 {
                "`baseline` is the scenario as written; rename that variant in the file".to_string()
            } else {
                "each arm needs its own name; give each variant once".to_string()
            };
            return Err(Failure::Input(format!("error: two arms are named `{name}`: {why}\n")));
        }
    }
    let mut models = Vec::new();
    let mut sources = Vec::new();
    for (_, _, scenario, variant) in &arms {
        let adj = Adjustments { variants: variant.iter().cloned().collect(), overrides: common.overrides.clone() };
        let (source, model) =
            scenario_arg::load_adjusted(scenario, &adj).map_err(|e| scenario_arg::failure(&e, false))?;
        models.push(model);
        sources.push(source);
    }
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("outputs").join(format!("{}-compare", scenario_arg::stem(&args.scenarios[0])))
    });
    let set = OutputSet::begin(&out, &scenario_arg::input_paths(&args.scenarios))?;
    let mut experiment = Experiment::new(args.mc.threads, args.mc.runs.saturating_mul(arms.len() as u64), args.quiet)?;
    let model_refs: Vec<&brink::model::Model> = models.iter().collect();
    let config = RunConfig { seed: args.mc.seed, runs: 0..args.mc.runs, keep_runs: false, causes: !args.no_causes };
    let paired = experiment.simulate_paired(&model_refs, config)?;
    experiment.finish();
    let summaries: Vec<_> =
        models.iter().zip(&paired.tallies).map(|(m, t)| brink::analysis::outcomes::summarise(m, t)).collect();

    let refs: Vec<_> = summaries.iter().collect();
    let rows =
        if args.unpaired { comparison::compare(&refs) } else { comparison::compare_paired(&refs, &paired.pairs) };
    let names: Vec<(String, String)> = arms.iter().map(|(n, d, _, _)| (n.clone(), d.clone())).collect();
    // Per arm, why it turned out as it did, and (past the baseline) what
    // moved against the baseline in terms of why talks fail.
    let why: Vec<Vec<String>> = summaries
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let mut lines = explain(s);
            if k > 0 {
                lines.extend(explain_change(&summaries[0], s));
            }
            lines
        })
        .collect();
    let file = std::fs::File::create(set.path("compare.csv")).context("cannot create compare.csv")?;
    write_compare_csv(std::io::BufWriter::new(file), &names, &rows).context("cannot write compare.csv")?;
    let mut written = vec!["compare.csv".to_string()];
    if !args.no_plots {
        written.extend(super::plots::write_compare_plots(
            set.staging(),
            &models[0],
            &names,
            &summaries,
            &rows,
            args.mc.seed,
            args.mc.runs,
        )?);
    }
    let mut adjustments: Vec<String> =
        arms.iter().filter_map(|(_, _, _, v)| v.as_ref().map(|v| format!("arm {v}: variant {v}"))).collect();
    if args.scenarios.len() > 1 {
        adjustments.extend(arms.iter().skip(1).map(|(n, _, s, _)| format!("arm {n}: scenario file {s}")));
    }
    adjustments.extend(common.describe().into_iter().map(|a| format!("every arm: {a}")));
    let made = Made {
        source: ScenarioSource { file: &sources[0].name, sha256: &sources[0].sha256, text: &sources[0].text },
        seed: args.mc.seed,
        adjustments,
    };
    let mut page =
        pages::compare_page(&models[0], &names, &rows, args.mc.runs, &made, set.staging(), &pages::svg_names(&written));
    page.tables.push(brink::report::html::Table {
        caption: "Why: each policy's deals, terms and failures".into(),
        header: vec!["policy".into(), "what happened".into()],
        rows: names.iter().zip(&why).map(|((n, _), lines)| vec![n.clone(), lines.join("; ")]).collect(),
        note: "Terms are shares among deals; the zone of possible agreement counts the packages both sides prefer \
               to no deal with every number at its mean. Why they failed: each failed run replayed with one \
               mechanism switched off; a mechanism is necessary when the replay agrees (docs/model.md §12)."
            .into(),
    });
    written.push(page.write(set.staging())?);
    let dest = set.commit()?;
    if args.json {
        let arms: Vec<_> = names
            .iter()
            .zip(&summaries)
            .zip(&why)
            .map(|(((n, d), s), why)| serde_json::json!({"name": n, "description": d, "why": why, "causes": s.causes}))
            .collect();
        super::print_json(&serde_json::json!({
            "scenario": models[0].name, "seed": args.mc.seed, "runs": args.mc.runs, "arms": arms, "rows": rows,
        }));
    } else if !args.quiet {
        let title =
            format!("{} — {} arms, {} runs each, seed {}", models[0].name, arms.len(), args.mc.runs, args.mc.seed);
        out!("{}", compare_table(&title, &names, &rows));
        outln!("\nWhy, arm by arm");
        for ((name, _), lines) in names.iter().zip(&why) {
            outln!("  [{name}]");
            for line in lines {
                outln!("    {line}");
            }
        }
        outln!("\nWrote {}/: {}", dest.display(), written.join(", "));
    }
    Ok(())
}
