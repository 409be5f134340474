//! Command-line glue: clap definitions, dispatch, and exit statuses.
//! This is the only place that prints to the terminal or exits.
//!
//! Exit statuses: 0 success; 2 bad input (a scenario with problems, a bad
//! argument); 1 anything else (an output folder that cannot be written).

mod analyze;
mod check;
mod class;
mod classroom;
mod compare;
mod completions;
mod experiment;
mod merge;
mod play;
mod plots;
mod run;
mod scenario_arg;
mod scenarios;
mod sensitivity;
mod solve;
mod sweep;
mod terminal;
mod tournament;
mod trace;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use terminal::{err, errln};

/// A failure, sorted by whose fault it is.
pub enum Failure {
    /// The user's input is wrong; the message says how to fix it. Exit 2.
    Input(String),
    /// Something else went wrong (I/O). Exit 1.
    Other(anyhow::Error),
    /// Ctrl-C: the work stopped cleanly after this much; nothing was
    /// written. Exit 130, as shells expect.
    Interrupted(String),
}

impl From<brink::report::output_dir::OutputError> for Failure {
    /// A refused output folder is the user's to fix (exit 2); a file system
    /// failure is not.
    fn from(e: brink::report::output_dir::OutputError) -> Self {
        match e {
            brink::report::output_dir::OutputError::Refused(why) => Failure::Input(format!("error: {why}\n")),
            brink::report::output_dir::OutputError::Io(e) => Failure::Other(e),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Other(e)
    }
}

pub type CliResult = Result<(), Failure>;

const ABOUT: &str = "brink: a negotiation simulator for the US–Russia security talks of 2021–22 and other \
bargaining scenarios.\n\nTwo actors exchange offers over several issues, following payoff rules read \
from a TOML scenario; brink checks scenarios, traces one negotiation round by round, and plays a \
scenario many times to show what tends to happen.";

const AFTER_HELP: &str = "Examples:\n  brink run                      (plays geneva-2022 10,000 times)\n  brink run rubinstein --runs 1000\n  brink scenarios\n  brink check scenarios/geneva-2022.toml\n  brink trace scenarios/geneva-2022.toml --seed 7\n\nScenario format: docs/scenario-format.md";

#[derive(Parser)]
#[command(name = "brink", version, about = ABOUT, after_help = AFTER_HELP, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Run(run::Args),
    Check(check::Args),
    Trace(trace::Args),
    #[command(visible_alias = "analyse")]
    Analyze(analyze::Args),
    Sweep(sweep::Args),
    Compare(compare::Args),
    Solve(solve::Args),
    Merge(merge::Args),
    Scenarios(scenarios::Args),
    Sensitivity(sensitivity::Args),
    Completions(completions::CompletionsArgs),
    Man(completions::ManArgs),
    Tournament(tournament::Args),
    Play(play::Args),
    Class(class::Args),
    Classroom(classroom::Args),
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // clap prints help/version to stdout with status 0 and usage
            // errors to stderr with status 2, as we want. An error may quote
            // an argument: printed escaped, without colours.
            if e.use_stderr() {
                err!("{}", e.render());
                if let Some(tip) = completions::suggestion(&e, &Cli::command()) {
                    errln!("{tip}");
                }
            } else {
                let _ = e.print();
            }
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    let result = match cli.command {
        Command::Run(a) => run::run(a),
        Command::Check(a) => check::run(a),
        Command::Scenarios(a) => scenarios::run(a),
        Command::Trace(a) => trace::run(a),
        Command::Analyze(a) => analyze::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Solve(a) => solve::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Sensitivity(a) => sensitivity::run(a),
        Command::Completions(a) => completions::completions(a, Cli::command()),
        Command::Man(a) => completions::man(a, Cli::command()),
        Command::Tournament(a) => tournament::run(a),
        Command::Play(a) => play::run(a),
        Command::Class(a) => class::run(a),
        Command::Classroom(a) => classroom::run(a),
    };
    let status = match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            err!("{msg}");
            if !msg.ends_with('\n') {
                errln!();
            }
            ExitCode::from(2)
        }
        Err(Failure::Interrupted(done)) => {
            // Ctrl-C (SIGINT), SIGTERM (Slurm, `timeout`, docker) and SIGHUP
            // all stop the work cleanly; the status says which, as shells expect.
            let signal = experiment::signal_received().unwrap_or(2);
            let by = match signal {
                1 => " by SIGHUP",
                15 => " by SIGTERM",
                _ => "",
            };
            errln!("interrupted{by} after {done}: nothing was written, and any previous results are untouched");
            ExitCode::from(128 + signal as u8)
        }
        Err(Failure::Other(e)) => {
            errln!("error: {e:#}");
            ExitCode::from(1)
        }
    };
    match terminal::stdout_failure() {
        Some((code, line)) => {
            errln!("{line}");
            ExitCode::from(code)
        }
        None => status,
    }
}

/// Prints JSON to stdout, pretty, with a final newline (streamed, escaped).
pub fn print_json(v: &impl serde::Serialize) {
    terminal::write_json(v);
}
