//! `brink solve`: equilibria of a small normal-form game.

use std::path::{Path, PathBuf};

use brink::games::normal::{self as games, Game, NfgFormat};
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
        std::fs::write(out, games::to_nfg_string(&game, NfgFormat::Payoff))
            .map_err(|e| Failure::Other(anyhow::anyhow!("cannot write {}: {e}", out.display())))?;
        println!("Wrote {}", out.display());
        return Ok(());
    }
    let solution = games::solve(&game).map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    if args.json {
        super::print_json(&serde_json::to_value(&solution).unwrap_or_default());
    } else {
        print!("{}", report::games::text(&game, &solution));
    }
    Ok(())
}

fn read(path: &Path) -> Result<Game, Failure> {
    let name = path.display().to_string();
    // Not a TOML syntax error: say what the file is and what to do instead.
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("efg")) {
        return Err(Failure::Input(format!(
            "error: {name} is a Gambit extensive-form game (.efg); `brink solve` reads normal-form games only \
             (brink's game TOML or Gambit's .nfg)\n  help: export the game's strategic form from Gambit as .nfg \
             and solve that\n"
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::Input(format!(
            "error: cannot read game file {name}: {}\n",
            match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::InvalidData => "not UTF-8 text".to_string(),
                _ => e.to_string(),
            }
        ))
    })?;
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
