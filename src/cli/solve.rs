//! `brink solve`: equilibria of a small normal-form game.

use super::terminal::{out, outln};
use std::path::{Path, PathBuf};

use brink::games::normal::{self as games, Game, NfgFormat};
use brink::limits::{MAX_GAME_BYTES, MAX_GAME_PAYOFF_BITS, ReadError, read_capped};
use brink::report;
use brink::scenario::diagnostic::{Diagnostic, render};

use super::{CliResult, Failure};

/// Solve a two-player normal-form game exactly: all pure and all extreme
/// mixed Nash equilibria (vertex enumeration, complete for degenerate games,
/// with connected sets when there are infinitely many), iterated
/// elimination of strictly dominated strategies (also by mixed strategies),
/// security levels and Pareto-optimal profiles. Numbers are exact
/// fractions: 1/3 prints as 1/3.
///
/// Reads brink's game TOML or Gambit's strategic-form .nfg files; --to-nfg
/// writes the game as .nfg for cross-checking with Gambit.
///
/// Example: brink solve scenarios/games/battle-of-the-sexes.toml
#[derive(clap::Args)]
pub struct Args {
    /// Game file (.toml or .nfg).
    game: PathBuf,
    /// Print everything as JSON (fractions as strings, plus floats).
    #[arg(long)]
    json: bool,
    /// Write the game as a Gambit .nfg file (payoff form) and exit.
    #[arg(long, value_name = "FILE")]
    to_nfg: Option<PathBuf>,
}

pub fn run(args: Args) -> CliResult {
    let game = read(&args.game)?;
    if let Some(out) = &args.to_nfg {
        check_nfg_target(out, &args.game)?;
        brink::report::partial::write_atomically(out, games::to_nfg_string(&game, NfgFormat::Payoff).as_bytes())
            .map_err(Failure::Other)?;
        outln!("Wrote {}", out.display());
        return Ok(());
    }
    check_budget(&game)?;
    let solution = games::solve(&game).map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    if args.json {
        super::print_json(&solution);
    } else {
        out!("{}", report::games::text(&game, &solution));
    }
    Ok(())
}

fn read(path: &Path) -> Result<Game, Failure> {
    let name = path.display().to_string();
    let cannot = |why: String| Failure::Input(format!("error: cannot read game file {name}: {why}\n"));
    let bytes = read_capped(path, MAX_GAME_BYTES).map_err(|e| {
        cannot(match e {
            ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => "no such file".to_string(),
            e => e.to_string(),
        })
    })?;
    let text = String::from_utf8(bytes).map_err(|_| cannot("not UTF-8 text".into()))?;
    let is_nfg =
        path.extension().is_some_and(|e| e.eq_ignore_ascii_case("nfg")) || text.trim_start().starts_with("NFG");
    let result = if is_nfg {
        games::from_nfg_str(&text).map_err(|e| (e.to_string(), e.span()))
    } else {
        games::from_toml_str(&text).map_err(|e| (e.to_string(), e.span()))
    };
    result.map_err(|(message, span)| {
        let d = Diagnostic::new(span.unwrap_or(0..0), "", message);
        Failure::Input(format!("{}\n1 problem found in {name}\n", render(&name, &text, &[d])))
    })
}

/// `--to-nfg` never writes onto the game it read (nor onto anything that
/// is not a `.nfg` file): the game file keeps its comments.
fn check_nfg_target(out: &Path, game: &Path) -> Result<(), Failure> {
    let refuse =
        |why: &str| Failure::Input(format!("error: --to-nfg {}: {why}; choose another file name\n", out.display()));
    if let (Ok(a), Ok(b)) = (std::fs::canonicalize(out), std::fs::canonicalize(game))
        && a == b
    {
        return Err(refuse("that is the game file being read, which would lose its comments"));
    }
    if out.is_dir() {
        return Err(refuse("that is a folder"));
    }
    if out.exists() {
        let head = read_capped(out, MAX_GAME_BYTES).ok().unwrap_or_default();
        if !head.starts_with(b"NFG") {
            return Err(refuse("that file exists and is not a .nfg game file, so brink will not replace it"));
        }
    }
    Ok(())
}

/// Refuses, before any work, a game whose exact solution would run for
/// minutes: the budget is the total size of its payoffs in bits.
fn check_budget(game: &Game) -> Result<(), Failure> {
    let bits: u64 = game
        .payoffs
        .iter()
        .flatten()
        .flatten()
        .map(|x| x.numer().bits().max(1) + x.denom().bits())
        .fold(0u64, u64::saturating_add);
    if bits > MAX_GAME_PAYOFF_BITS {
        let (m, n) = game.shape();
        return Err(Failure::Input(format!(
            "error: this {m}×{n} game's payoffs take {bits} bits, above brink's work budget of {MAX_GAME_PAYOFF_BITS} \
             for exact solving (it could run for minutes); use fewer strategies or smaller numbers \
             (payoffs can be rescaled: equilibria do not change when a player's payoffs are multiplied by a positive number)\n"
        )));
    }
    Ok(())
}
