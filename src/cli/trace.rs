//! `brink trace`: play one negotiation and print its transcript.

use super::terminal::out;
use brink::engine::{self, RunSetup, Transcript};
use brink::montecarlo::causes::Counterfactuals;
use brink::report::trace::{self, TraceView};

use super::{CliResult, scenario_arg};

/// Play one negotiation and print it round by round: every offer, what it is
/// worth to each side, each answer and the reason for it, and the outcome.
///
/// The same seed always gives the same transcript. `--run K` replays run K of
/// a Monte Carlo with the same seed exactly (`brink run --seed S`).
///
/// Example: brink trace scenarios/geneva-2022.toml --seed 7
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file, or the name of a built-in scenario (e.g. geneva-2022).
    scenario: String,
    #[command(flatten)]
    adjust: scenario_arg::Adjust,
    /// Master seed of the random stream.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Which run of the seed to play (run K of `brink run` with the same seed).
    #[arg(long, default_value_t = 0)]
    run: u64,
    /// Print the transcript as JSON.
    #[arg(long)]
    json: bool,
    /// Do not replay a failed run to say why it failed. By default a failed
    /// run closes with what each mechanism of failure the scenario uses did:
    /// the same run replayed with it switched off (docs/model.md §12).
    #[arg(long)]
    no_causes: bool,
}

pub fn run(args: Args) -> CliResult {
    let (_source, model) = scenario_arg::load_adjusted(&args.scenario, &args.adjust.adjustments()?)
        .map_err(|e| scenario_arg::failure(&e, args.json))?;
    let mut setup = RunSetup::new(&model);
    let mut transcript = Transcript::default();
    let ending = engine::play(&model, &mut setup, args.seed, args.run, &mut transcript);
    let causes = if args.no_causes || ending.end == engine::End::Agreement {
        None
    } else {
        Counterfactuals::new(&model).replays().explain(args.seed, args.run, &ending)
    };
    let view = TraceView {
        causes: causes.as_ref(),
        model: &model,
        setup: &setup,
        transcript: &transcript,
        ending: &ending,
        seed: args.seed,
        run: args.run,
        player: None,
    };
    if args.json {
        super::print_json(&trace::json(&view));
    } else {
        out!("{}", trace::text(&view));
    }
    Ok(())
}
