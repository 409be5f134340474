//! `brink solve`: exact equilibria of a normal-form game or a game tree.

use std::path::{Path, PathBuf};

use brink::games::extensive::{self as trees, Tree};
use brink::games::normal::{self as games, Game, NfgFormat};
use brink::report;
use brink::scenario::diagnostic::{Diagnostic, render};

use super::{CliResult, Failure};

/// Solve a game exactly (numbers are fractions: 1/3 prints as 1/3).
///
/// Normal-form games (brink's game TOML, Gambit .nfg): all pure and all
/// extreme mixed Nash equilibria (lexicographic pivoting as in lrsnash,
/// complete for degenerate games, with connected sets when there are
/// infinitely many; a random 13×13 game in seconds, stopping at a work
/// budget rather than running for hours),
/// iterated elimination of strictly dominated strategies (also by mixed
/// strategies), security levels and Pareto-optimal profiles.
///
/// Game trees (brink's tree TOML with [nodes.*] tables, Gambit .efg): every
/// subgame-perfect equilibrium (backward induction, ties listed; subgames
/// with imperfect information solved bottom-up through their normal form),
/// the reduced normal form and all its Nash equilibria, each flagged when it
/// rests on a threat that is not credible, and a plot of the tree with the
/// subgame-perfect choices highlighted (PNG and SVG, in
/// outputs/<game>-tree/ unless --out or --no-plots).
///
/// --to-nfg writes a normal-form game (or a tree's reduced normal form) as
/// Gambit .nfg; --to-efg writes a tree as Gambit .efg.
///
/// Examples:
///   brink solve scenarios/games/battle-of-the-sexes.toml
///   brink solve scenarios/games/deterrence-tree.toml
///   brink solve scenarios/games/us-resolve-unknown.efg --json
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Game file (.toml, .nfg or .efg).
    game: PathBuf,
    /// Print everything as JSON (fractions as strings, plus floats).
    #[arg(long)]
    json: bool,
    /// Write the game (for a tree: its reduced normal form) as a Gambit .nfg
    /// file (payoff form) and exit.
    #[arg(long, value_name = "FILE")]
    to_nfg: Option<PathBuf>,
    /// Write a game tree as a Gambit .efg file and exit.
    #[arg(long, value_name = "FILE")]
    to_efg: Option<PathBuf>,
    /// Folder for the tree plot [default: outputs/<game>-tree].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Do not draw the tree plot.
    #[arg(long)]
    no_plots: bool,
}

enum Loaded {
    Normal(Game),
    Tree(Tree),
}

pub fn run(args: Args) -> CliResult {
    match read(&args.game)? {
        Loaded::Normal(game) => run_normal(&args, &game),
        Loaded::Tree(tree) => run_tree(&args, &tree),
    }
}

fn write_file(out: &Path, text: &str) -> CliResult {
    std::fs::write(out, text).map_err(|e| Failure::Other(anyhow::anyhow!("cannot write {}: {e}", out.display())))?;
    println!("Wrote {}", out.display());
    Ok(())
}

fn run_normal(args: &Args, game: &Game) -> CliResult {
    if args.to_efg.is_some() {
        return Err(Failure::Input(
            "error: --to-efg needs a game tree; this is a normal-form game (write it with --to-nfg)\n".into(),
        ));
    }
    if let Some(out) = &args.to_nfg {
        return write_file(out, &games::to_nfg_string(game, NfgFormat::Payoff));
    }
    let solution = games::solve(game).map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    if args.json {
        super::print_json(&serde_json::to_value(&solution).unwrap_or_default());
    } else {
        print!("{}", report::games::text(game, &solution));
    }
    Ok(())
}

fn run_tree(args: &Args, tree: &Tree) -> CliResult {
    if let Some(out) = &args.to_efg {
        return write_file(out, &trees::to_efg_string(tree));
    }
    let solution = trees::analyse(tree);
    if let Some(out) = &args.to_nfg {
        return match &solution.reduced {
            Ok(trees::ReducedForm { game: Some(game), .. }) => {
                write_file(out, &games::to_nfg_string(game, NfgFormat::Payoff))
            }
            Ok(_) => Err(Failure::Input(format!(
                "error: the .nfg writer handles two-player games; this tree has {} players\n",
                tree.players.len()
            ))),
            Err(e) => Err(Failure::Input(format!("error: the reduced normal form was not built: {e}\n"))),
        };
    }
    let mut written = Vec::new();
    if !args.no_plots {
        let dir = args.out.clone().unwrap_or_else(|| {
            let stem = args.game.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "game".into());
            PathBuf::from("outputs").join(format!("{stem}-tree"))
        });
        written = super::plots::write_tree_plot(&dir, tree, &solution)?;
    }
    if args.json {
        let mut v = report::games::tree_json(tree, &solution);
        v["plots"] = serde_json::json!(written);
        super::print_json(&v);
    } else {
        print!("{}", report::games::tree_text(tree, &solution));
        if !written.is_empty() {
            println!("\nWrote {}", written.join(", "));
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<Loaded, Failure> {
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
    let has_ext = |ext: &str| path.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext));
    let start = text.trim_start();
    let result = if has_ext("efg") || start.starts_with("EFG") {
        trees::from_efg_str(&text).map(Loaded::Tree).map_err(|e| (e.message, e.span))
    } else if has_ext("nfg") || start.starts_with("NFG") {
        games::from_nfg_str(&text).map(Loaded::Normal).map_err(|e| (e.to_string(), e.span()))
    } else if trees::looks_like_tree(&text) {
        trees::from_toml_str(&text).map(Loaded::Tree).map_err(|e| (e.message, e.span))
    } else {
        games::from_toml_str(&text).map(Loaded::Normal).map_err(|e| (e.to_string(), e.span()))
    };
    result.map_err(|(message, span)| {
        let d = Diagnostic::new(span.unwrap_or(0..0), "", message);
        Failure::Input(format!("{}\n1 problem found in {name}\n", render(&name, &text, &[d])))
    })
}
