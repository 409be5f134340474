//! `brink class`: a folder of `brink play` transcripts beside the simulation.

use super::terminal::{out, outln};
use brink::montecarlo::RunConfig;
use std::path::{Path, PathBuf};

use anyhow::Context;
use brink::analysis::classroom::{self, AgentResult, PlayedGame};
use brink::analysis::outcomes;
use brink::engine::{Ending, Event, NoObserver, RunSetup, Session, expected_payoff};
use brink::limits::{MAX_TRANSCRIPT_BYTES, read_capped};
use brink::model::Model;
use brink::montecarlo::shard::sha256_hex;
use brink::report::charts::{self, ClassData};
use brink::report::class::{self as report, ClassProvenance, SavedPlay, SavedTranscript};
use brink::report::output_dir::OutputSet;
use brink::report::play::PLAY_FORMAT;
use brink::scenario::{self, Adjustments, overrides};

use super::experiment::Experiment;
use super::{CliResult, Failure};
use brink::engine::moves::{self, Command};

/// Compare a class's games with the simulation: reads the transcripts that
/// `brink play` saved in DIR (one per student, all of the same scenario) and
/// writes a table, class.csv, class.json and plots: each student's agreement
/// in utility space over the Pareto frontier and the Nash solution, the
/// share of students who reached a deal against the simulated share (with
/// 95% intervals), and the students' payoffs against the agents'.
///
/// Each transcript's moves are replayed to check the game, so an edited
/// file is refused. The simulation uses the transcripts' seed.
///
/// Output folder: outputs/<scenario>-class/ (replaced as a whole).
///
/// Example: brink class transcripts/
#[derive(clap::Args)]
pub struct Args {
    /// Folder of transcripts (*.json) saved by `brink play`.
    dir: PathBuf,
    /// Simulated talks to compare with.
    #[arg(long, default_value_t = 10_000)]
    runs: u64,
    /// Master seed of the simulation [default: the transcripts' seed].
    #[arg(long)]
    seed: Option<u64>,
    /// Output folder [default: outputs/<scenario>-class].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Skip the plots.
    #[arg(long)]
    no_plots: bool,
    /// Print class.json to stdout instead of the table.
    #[arg(long)]
    json: bool,
    /// No progress bar and no table; only errors.
    #[arg(long, short)]
    quiet: bool,
}

/// One transcript, read and checked.
struct Loaded {
    file: String,
    saved: SavedTranscript,
    play: SavedPlay,
}

pub fn run(args: Args) -> CliResult {
    if args.runs == 0 {
        return Err(Failure::Input("error: --runs must be at least 1\n".into()));
    }
    let loaded = read_folder(&args.dir)?;
    let first = &loaded[0].play;
    let key = first.scenario_key();
    if let Some(other) = loaded.iter().find(|l| l.play.scenario_key() != key) {
        return Err(Failure::Input(format!(
            "error: the transcripts are of different scenarios: {} played {key}, but {} played {}\n\
             Put each scenario's transcripts in a folder of its own.\n",
            loaded[0].file,
            other.file,
            other.play.scenario_key()
        )));
    }
    let adjustments = Adjustments {
        variants: first.all_variants(),
        overrides: first
            .overrides
            .iter()
            .map(|o| overrides::parse_override(o))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Failure::Input(format!("error: {}: --set {e}\n", loaded[0].file)))?,
    };
    let (_, model) = scenario::load_bytes_adjusted(&first.scenario_file, first.scenario_text.as_bytes(), &adjustments)
        .map_err(|e| {
            Failure::Input(format!("error: {}: the scenario saved in it does not load: {e}\n", loaded[0].file))
        })?;
    let mut games = loaded.iter().map(|l| replay(&model, l)).collect::<Result<Vec<_>, _>>()?;
    games.sort_by(|a, b| classroom::natural_order(&a.label, &b.label));
    let seed = args.seed.unwrap_or(loaded[0].saved.seed);

    let mut experiment = Experiment::new(None, args.runs, args.quiet || args.json)?;
    let tally =
        experiment.simulate_range(&model, RunConfig { seed, runs: 0..args.runs, ..Default::default() }, |_| true)?;
    experiment.finish();
    let simulated = outcomes::summarise(&model, &tally);
    let agents_expected = brink::montecarlo::expected::expected_payoffs(&model, seed, 0..args.runs);
    let class = classroom::summarise_class(&model, &games, &tally, &agents_expected);
    let provenance = ClassProvenance {
        scenario_file: &first.scenario_file,
        scenario_sha256: &first.scenario_sha256,
        seed,
        runs: tally.runs,
    };

    let stem = Path::new(first.scenario_file.trim_start_matches("builtin:"))
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into());
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(format!("{stem}-class")));
    let set = OutputSet::begin(&out, &[args.dir.as_path()])?;
    let json = report::json(&model, &games, &class, &provenance);
    let json_text = serde_json::to_string_pretty(&json).context("cannot encode class.json")?;
    std::fs::write(set.path("class.json"), format!("{json_text}\n")).context("cannot write class.json")?;
    let csv = report::csv(&model, &games, &class).context("cannot encode class.csv")?;
    std::fs::write(set.path("class.csv"), csv).context("cannot write class.csv")?;
    let mut written = vec!["class.json".to_string(), "class.csv".to_string()];
    if !args.no_plots {
        let caption = format!(
            "{} — {} students; simulation: {} runs, seed {seed}",
            model.name,
            games.len(),
            brink::report::summary_table::group(tally.runs)
        );
        let data = ClassData { model: &model, games: &games, class: &class, simulated: &simulated, caption };
        written.extend(charts::class_charts(set.staging(), &data).map_err(|e| Failure::Other(e.into()))?);
    }
    let page = brink::report::class_page::ClassPage {
        model: &model,
        source: brink::report::html::ScenarioSource {
            file: &first.scenario_file,
            sha256: &first.scenario_sha256,
            text: &first.scenario_text,
        },
        games: &games,
        class: &class,
        provenance: &provenance,
        adjustments: adjustments.describe(),
    };
    let plots = brink::report::pages::svg_names(&written);
    written.push(brink::report::class_page::class_page(&page, set.staging(), &plots).write(set.staging())?);
    let dest = set.commit()?;
    if args.json {
        outln!("{json_text}");
    } else if !args.quiet {
        out!("{}", report::text(&model, &games, &class, &provenance));
        outln!("\nWrote {}/: {}", dest.display(), written.join(", "));
    }
    Ok(())
}

/// Every `*.json` in `dir`, sorted by name; each must be a `brink play`
/// transcript.
fn read_folder(dir: &Path) -> Result<Vec<Loaded>, Failure> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failure::Input(format!("error: cannot read the folder {}: {e}\n", dir.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Failure::Input(format!(
            "error: no transcripts (*.json) in {}; `brink play` saves them in transcripts/ unless told otherwise with --save\n",
            dir.display()
        )));
    }
    files
        .into_iter()
        .map(|path| {
            let file = path.display().to_string();
            let bytes = read_capped(&path, MAX_TRANSCRIPT_BYTES)
                .map_err(|e| Failure::Input(format!("error: cannot read {file}: {e}\n")))?;
            let text = String::from_utf8(bytes).map_err(|_| {
                Failure::Input(format!(
                    "error: {file} is not UTF-8 text, so not a transcript; move it out of the folder\n"
                ))
            })?;
            let not_play = |why: String| {
                Failure::Input(format!(
                    "error: {file} is not a transcript saved by `brink play` ({why}); move it out of the folder\n"
                ))
            };
            let saved: SavedTranscript = serde_json::from_str(&text).map_err(|e| not_play(e.to_string()))?;
            let Some(play) = saved.play.clone() else {
                return Err(not_play(
                    "it has no `play` section: `brink trace --json` output is not a student's game".into(),
                ));
            };
            if play.format != PLAY_FORMAT {
                return Err(not_play(format!("format {:?}, expected {PLAY_FORMAT:?}", play.format)));
            }
            // The scenario a game is replayed on must be the one it was played on.
            if sha256_hex(play.scenario_text.as_bytes()) != play.scenario_sha256 {
                let recorded: String = play.scenario_sha256.chars().take(64).collect();
                return Err(Failure::Input(format!(
                    "error: {file}: play.scenario_text does not match play.scenario_sha256 ({recorded:?}): \
                     the file was edited. Replay the game with `brink play`, or move the file out of the folder\n"
                )));
            }
            Ok(Loaded { file, saved, play })
        })
        .collect()
}

/// Replays a transcript's moves and checks the result is the one it records.
fn replay(model: &Model, l: &Loaded) -> Result<PlayedGame, Failure> {
    let bad = |why: String| Failure::Input(format!("error: {}: {why}\n", l.file));
    let seat = model.actor_index(&l.play.player).ok_or_else(|| bad(format!("no actor `{}`", l.play.player)))?;
    let mut s = Session::start(model, l.saved.seed, l.saved.run, seat);
    for (k, line) in l.play.moves.iter().enumerate() {
        let mv = match moves::parse(model, line) {
            Ok(Some(Command::Move(mv))) => mv,
            Ok(Some(Command::Ladder(choice))) => {
                s.choose_ladder(choice).map_err(|e| bad(format!("move {} ({line:?}): {e}", k + 1)))?;
                continue;
            }
            Ok(_) => continue,
            Err(e) => return Err(bad(format!("move {} ({line:?}): {e}", k + 1))),
        };
        s.play(mv).map_err(|e| bad(format!("move {} ({line:?}): {e}", k + 1)))?;
    }
    let Some(&ending) = s.ending() else {
        return Err(bad("its moves do not finish the game (an unfinished or edited transcript)".into()));
    };
    check_recorded(model, &ending, l).map_err(bad)?;
    // The scenario's agent in the same seat, seed and run.
    let mut setup = RunSetup::new(model);
    let agents = brink::engine::play(model, &mut setup, l.saved.seed, l.saved.run, &mut NoObserver);
    let agent = AgentResult { payoff: agents.payoff[seat], expected: expected_payoff(model, &setup, &agents)[seat] };
    Ok(PlayedGame {
        label: l.play.name.clone().unwrap_or_else(|| {
            Path::new(&l.file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
        }),
        seat,
        seed: l.saved.seed,
        run: l.saved.run,
        end: ending.end,
        round: ending.round,
        agreement: ending.agreement,
        payoff: ending.payoff,
        expected: expected_payoff(model, s.setup(), &ending),
        agent,
        escalations: s
            .transcript()
            .events
            .iter()
            .filter(|e| matches!(e, Event::Ladder { actor, step, .. } if *actor == seat && step.to > step.from))
            .count() as u32,
        ladder_end: ending.ladder.positions[seat],
    })
}

fn check_recorded(model: &Model, ending: &Ending, l: &Loaded) -> Result<(), String> {
    let o = &l.saved.outcome;
    let edited = |field: String, recorded: String, replayed: String| {
        Err(format!(
            "{field} records {recorded}, but its moves replay to {replayed}: the file was edited, \
             or saved by another brink version"
        ))
    };
    if o.end != ending.end.label() {
        return edited("outcome.end".into(), format!("{:?}", o.end), format!("{:?}", ending.end.label()));
    }
    if o.round != ending.round {
        return edited("outcome.round".into(), o.round.to_string(), ending.round.to_string());
    }
    for (a, actor) in model.actors.iter().enumerate() {
        let recorded = o.payoffs.get(&actor.id);
        if !recorded.and_then(|v| v.as_f64()).is_some_and(|x| (x - ending.payoff[a]).abs() <= 1e-9) {
            let shown = recorded.map_or("nothing".into(), |v| v.to_string());
            return edited(format!("outcome.payoffs.{}", actor.id), shown, ending.payoff[a].to_string());
        }
    }
    Ok(())
}
