//! `brink play`: a person negotiates against the scenario's agent, then sees
//! where their result falls among simulated talks.

mod lines;

mod terminal;

use super::terminal::{errln, out, outln};
use brink::montecarlo::RunConfig;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context;
use brink::analysis::{benchmarks, classroom};
use brink::engine::{Awaiting, Session};
use brink::report::output_file::FileTarget;
use brink::report::play::{self as view, PlayRecord};

use super::experiment::Experiment;
use super::{CliResult, Failure, scenario_arg};
use brink::engine::moves::{self, Command};

/// Negotiate yourself: take one side of a scenario against the computer.
///
/// Each round shows the offer on the table and what it is worth to you,
/// your reservation value, what delay has cost so far and the breakdown
/// risk; you accept, make a counter-offer option by option, or walk away.
/// You see only what your side may know: your own drawn numbers, the
/// scenario's public numbers and the other side's moves. The other side's
/// numbers, and the agent's reasons for each move, come in the debrief after
/// the game. Where the
/// scenario has escalation ladders, each round also shows both positions,
/// what they cost and add to the breakdown risk, and the agent's climbs; you
/// move your own ladder (escalate, or step down if reversible) with your next
/// rejection, in place of your seat's escalation rule. At the end
/// you see both payoffs, where yours falls among simulated talks of the same
/// scenario and seed, and the transcript is saved (`brink trace --json`
/// format, for `brink class`).
///
/// The numbers drawn are those of run K of seed S, so a class can replay the
/// same game, and `brink trace --seed S --run K` shows how the scenario's
/// agent played your seat.
///
/// On a terminal you choose from menus (Esc, q or Ctrl-D asks whether to walk away).
/// Otherwise, or with --plain, moves are read line by line from stdin:
///   accept | reject | walk | help | offer ISSUE=OPTION ... (one per issue)
///   escalate | step-down | hold (ladder moves, made with your next rejection)
/// Ctrl-C stops at once with status 130 and saves nothing.
///
/// Examples:
///   brink play geneva-2022 --as usa --seed 7 --run 3 --hints
///   printf 'accept\n' | brink play rubinstein --as second --runs 1000
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Scenario file, or the name of a built-in scenario (e.g. geneva-2022).
    scenario: String,
    /// The actor you play, by its id in the scenario (e.g. usa or russia).
    #[arg(long = "as", value_name = "ACTOR")]
    seat: String,
    #[command(flatten)]
    adjust: scenario_arg::Adjust,
    /// Master seed: the game uses the draws of run K of this seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Which run of the seed to play.
    #[arg(long, default_value_t = 0)]
    run: u64,
    /// Show the theory each round: the offer against the Pareto frontier and
    /// the Nash solution, what the agent believes about you, and what the
    /// scenario's agent would do in your seat (its answer, its ladder move
    /// and its counter-offer).
    #[arg(long)]
    hints: bool,
    /// Simulated talks to compare your result with (0: no comparison).
    #[arg(long, default_value_t = 10_000)]
    runs: u64,
    /// Your name, saved in the transcript and shown by `brink class`.
    #[arg(long)]
    name: Option<String>,
    /// Where to save the transcript [default: transcripts/<scenario>-<actor>-seed<S>-run<K>[-<name>].json,
    /// never overwriting another game]. Checked before the game starts: a
    /// file that exists, a folder, a link or the scenario itself is refused.
    #[arg(long, value_name = "FILE")]
    save: Option<PathBuf>,
    /// Replace the transcript at --save if it holds one brink wrote (never
    /// any other file).
    #[arg(long)]
    force: bool,
    /// Read moves as text lines even on a terminal.
    #[arg(long)]
    plain: bool,
}

/// Where the transcript went, for the Ctrl-C message.
static SAVED: Mutex<Option<String>> = Mutex::new(None);

/// Ctrl-C ends the program at once with status 130 (the shell's convention),
/// restoring the cursor the menus hide. Nothing partial is ever on disk: the
/// transcript is written whole, by rename, at the end of the game.
fn exit_on_ctrl_c() {
    let _ = ctrlc::set_handler(|| {
        let _ = dialoguer::console::Term::stderr().show_cursor();
        match SAVED.lock().ok().and_then(|s| s.clone()) {
            Some(path) => errln!("\ninterrupted: the game itself was saved to {path}"),
            None => errln!("\ninterrupted: the game was not saved"),
        }
        std::process::exit(130);
    });
}

pub fn run(args: Args) -> CliResult {
    let adjustments = args.adjust.adjustments()?;
    let (source, model) =
        scenario_arg::load_adjusted(&args.scenario, &adjustments).map_err(|e| scenario_arg::failure(&e, false))?;
    let Some(seat) = model.actor_index(&args.seat) else {
        let ids: Vec<&str> = model.actors.iter().map(|a| a.id.as_str()).collect();
        return Err(Failure::Input(format!(
            "error: --as {}: no such actor in {} (actors: {})\n",
            args.seat,
            source.name,
            ids.join(", ")
        )));
    };
    let save = match &args.save {
        Some(p) => p.clone(),
        None => default_save_path(&args, &model.actors[seat].id),
    };
    let scenario_path = Path::new(&args.scenario);
    let inputs = [scenario_path];
    let target = FileTarget {
        path: &save,
        inputs: &inputs,
        kind: "transcript",
        flag: "--save",
        extension: "json",
        ours: view::is_transcript,
        force: args.force,
    };
    // Refused before the game, so that no one plays a game that cannot be saved.
    target.check()?;
    exit_on_ctrl_c();
    let theory = args.hints.then(|| benchmarks::analyse(&model));
    let interactive = !args.plain && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let term = dialoguer::console::Term::stdout();
    let stdin = std::io::stdin();
    let mut lines = lines::BoundedLines::new(stdin.lock(), lines::MAX_MOVE_LINE_BYTES);

    let mut session = Session::start(&model, args.seed, args.run, seat);
    out!("{}", view::briefing(&session));
    if !interactive {
        out!("\n{}", moves::help(&model));
    }
    let mut shown = 0;
    let mut played: Vec<String> = Vec::new();
    while session.awaiting() != Awaiting::Over {
        let events = &session.transcript().events;
        out!("{}", view::turn(&session, &events[shown..], theory.as_ref()));
        shown = events.len();
        loop {
            let command = if interactive {
                std::io::stdout().flush().ok();
                terminal::next_move(&term, &session, theory.as_ref())?
            } else {
                match read_line(&mut lines, &model, &session)? {
                    Some(c) => c,
                    None => continue,
                }
            };
            match command {
                Command::Help => out!("{}", moves::help(&model)),
                Command::Ladder(choice) => match session.choose_ladder(choice) {
                    Ok(()) => {
                        played.push(moves::ladder_line(choice));
                        outln!(
                            "  (your ladder move is made with your rejection: now make your counter-offer, or reject at the last round)"
                        );
                    }
                    Err(e) => outln!("  ! {e}"),
                },
                Command::Move(mv) => match session.play(mv) {
                    Ok(()) => {
                        played.push(moves::line(&model, mv));
                        break;
                    }
                    Err(e) => outln!("  ! {e}"),
                },
            }
        }
    }
    out!("{}", view::events(&session, &session.transcript().events[shown..]));
    let Some(&ending) = session.ending() else {
        return Err(Failure::Other(anyhow::anyhow!("the talks ended without an ending")));
    };
    out!("{}", view::ending_text(&session, &ending));
    out!("{}", view::debrief(&session, &ending));

    let record = PlayRecord {
        name: args.name.as_deref(),
        scenario_file: &source.name,
        scenario_sha256: &source.sha256,
        scenario_text: &source.text,
        variants: &adjustments.variants,
        overrides: &args.adjust.set,
        moves: &played,
    };
    let json = view::transcript_json(&session, &ending, args.seed, args.run, &record);
    let text = serde_json::to_string_pretty(&json).context("cannot encode the transcript")?;
    target.write(format!("{text}\n").as_bytes())?;
    if let Ok(mut s) = SAVED.lock() {
        *s = Some(save.display().to_string());
    }
    outln!("Transcript saved to {}", save.display());

    if args.runs > 0 {
        let mut experiment = Experiment::new(None, args.runs, false)?;
        let tally = experiment.simulate_range(
            &model,
            RunConfig { seed: args.seed, runs: 0..args.runs, ..Default::default() },
            |_| true,
        )?;
        experiment.finish();
        let agents_expected = brink::montecarlo::expected::expected_payoffs(&model, args.seed, 0..args.runs);
        let expected = brink::engine::expected_payoff(&model, session.setup(), &ending)[seat];
        let standing = classroom::standing(&tally, seat, &ending, expected, &agents_expected[seat]);
        out!("{}", view::standing_text(&session, &standing, tally.runs, args.seed));
    }
    outln!(
        "See how the scenario's agent played your seat: {}",
        trace_command(&args.scenario, &adjustments.variants, &args.adjust.set, args.seed, args.run)
    );
    Ok(())
}

/// The `brink trace` command that replays this game with the seat's agent:
/// the same scenario, variants, overrides, seed and run, quoted for a POSIX
/// shell so it can be pasted.
fn trace_command(scenario: &str, variants: &[String], overrides: &[String], seed: u64, run: u64) -> String {
    let mut words = vec!["brink".to_string(), "trace".to_string(), shell_word(scenario)];
    for v in variants {
        words.push(format!("--variant {}", shell_word(v)));
    }
    for o in overrides {
        words.push(format!("--set {}", shell_word(o)));
    }
    words.push(format!("--seed {seed} --run {run}"));
    words.join(" ")
}

/// `s` as one shell word: bare when it holds only safe characters, else in
/// single quotes.
fn shell_word(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "._-/=:,@+".contains(c);
    if !s.is_empty() && s.chars().all(safe) { s.to_string() } else { format!("'{}'", s.replace('\'', "'\\''")) }
}

/// One line of the text format, echoed so a log of a scripted game reads
/// like the game. `Ok(None)` for a line to skip (blank, comment, or a bad
/// move, which is explained and asked for again).
fn read_line(
    lines: &mut impl Iterator<Item = Result<String, lines::LineError>>,
    model: &brink::model::Model,
    s: &Session<'_>,
) -> Result<Option<Command>, Failure> {
    out!("> ");
    std::io::stdout().flush().ok();
    let Some(line) = lines.next() else {
        outln!();
        return Err(Failure::Input(format!(
            "error: the moves ran out at round {} before the talks ended; nothing was saved.\n\
             End a script of moves with `accept`, `reject` (last round) or `walk`.\n",
            s.round()
        )));
    };
    let line = match line {
        Ok(line) => line,
        Err(lines::LineError::Io(e)) => {
            return Err(Failure::Other(anyhow::anyhow!("cannot read moves from stdin: {e}")));
        }
        Err(e) => {
            outln!();
            return Err(Failure::Input(format!("error: {e}; nothing was saved.\n")));
        }
    };
    outln!("{}", line.trim());
    match moves::parse(model, &line) {
        Ok(c) => Ok(c),
        Err(e) => {
            outln!("  ! {e} (type help for the format)");
            Ok(None)
        }
    }
}

/// `transcripts/<scenario>-<actor>-seed<S>-run<K>[-<name>].json`, with `-2`,
/// `-3`, ... added rather than overwriting another student's game.
fn default_save_path(args: &Args, actor: &str) -> PathBuf {
    let mut stem = format!("{}-{actor}-seed{}-run{}", scenario_arg::stem(&args.scenario), args.seed, args.run);
    if let Some(name) = &args.name {
        let clean: String =
            name.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
        stem.push('-');
        stem.push_str(&clean);
    }
    let dir = Path::new("transcripts");
    let mut path = dir.join(format!("{stem}.json"));
    let mut k = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{k}.json"));
        k += 1;
    }
    path
}
