//! `brink solve`: exact equilibria of a normal-form game or a game tree.

use super::terminal::{out, outln};
use std::path::{Path, PathBuf};

use brink::games::extensive::{self as trees, Tree};
use brink::games::normal::{self as games, Game, NfgFormat};
use brink::limits::{MAX_GAME_BYTES, MAX_GAME_PAYOFF_BITS, ReadError, read_capped};
use brink::report;
use brink::scenario::diagnostic::{Diagnostic, render};

use super::{CliResult, Failure};

/// Solve a game exactly (numbers are fractions: 1/3 prints as 1/3).
///
/// Normal-form games (brink's game TOML, Gambit .nfg): all pure and all
/// extreme mixed Nash equilibria (lexicographic pivoting as in lrsnash,
/// complete for degenerate games, with connected sets when there are
/// infinitely many; a random 13×13 game in a fraction of a second, 15×15
/// in seconds, stopping at a work budget rather than running for hours),
/// iterated elimination of strictly dominated strategies (also by mixed
/// strategies), security levels and Pareto-optimal profiles.
///
/// Game trees (brink's tree TOML with [nodes.*] tables, Gambit .efg): every
/// pure subgame-perfect equilibrium of a perfect-information tree (backward
/// induction, ties listed; mixing between tied moves gives mixed ones,
/// which are not listed); with imperfect information, the subgame-perfect
/// equilibria built from the extreme Nash equilibria of each subgame,
/// solved bottom-up through its normal form. Then the reduced normal form
/// and all its Nash equilibria, each flagged when it rests on a threat that
/// is not credible (one that holds however the plans' open moves are
/// completed), and a plot of the tree with the subgame-perfect choices
/// highlighted (PNG and SVG, in outputs/<game>-tree/ unless --out or
/// --no-plots).
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

/// Writes `--to-nfg`/`--to-efg` output, never onto the game being read nor
/// onto a file that is not a game file, through a temporary name.
fn write_file(out: &Path, game: &Path, text: &str) -> CliResult {
    check_nfg_target(out, game)?;
    brink::report::partial::write_atomically(out, text.as_bytes()).map_err(Failure::Other)?;
    outln!("Wrote {}", out.display());
    Ok(())
}

fn run_normal(args: &Args, game: &Game) -> CliResult {
    if args.to_efg.is_some() {
        return Err(Failure::Input(
            "error: --to-efg needs a game tree; this is a normal-form game (write it with --to-nfg)\n".into(),
        ));
    }
    if let Some(out) = &args.to_nfg {
        return write_file(out, &args.game, &games::to_nfg_string(game, NfgFormat::Payoff));
    }
    check_budget(game)?;
    let solution = games::solve(game).map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    if args.json {
        super::print_json(&solution);
    } else {
        out!("{}", report::games::text(game, &solution));
    }
    Ok(())
}

fn run_tree(args: &Args, tree: &Tree) -> CliResult {
    if let Some(out) = &args.to_efg {
        return write_file(out, &args.game, &trees::to_efg_string(tree));
    }
    let solution = trees::analyse(tree);
    if let Some(out) = &args.to_nfg {
        return match &solution.reduced {
            Ok(trees::ReducedForm { game: Some(game), .. }) => {
                write_file(out, &args.game, &games::to_nfg_string(game, NfgFormat::Payoff))
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
        written = super::plots::write_tree_plot(&dir, &[args.game.as_path()], tree, &solution)?;
    }
    if args.json {
        let mut v = report::games::tree_json(tree, &solution);
        v["plots"] = serde_json::json!(written);
        super::print_json(&v);
    } else {
        out!("{}", report::games::tree_text(tree, &solution));
        if !written.is_empty() {
            outln!("\nWrote {}", written.join(", "));
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<Loaded, Failure> {
    let name = path.display().to_string();
    let cannot = |why: String| Failure::Input(format!("error: cannot read game file {name}: {why}\n"));
    let bytes = read_capped(path, MAX_GAME_BYTES).map_err(|e| {
        cannot(match e {
            ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => "no such file".to_string(),
            e => e.to_string(),
        })
    })?;
    let text = String::from_utf8(bytes).map_err(|_| cannot("not UTF-8 text".into()))?;
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

/// `--to-nfg`/`--to-efg` never write onto the game being read (nor onto
/// anything that is not a `.nfg`/`.efg` file): the game file keeps its
/// comments.
fn check_nfg_target(out: &Path, game: &Path) -> Result<(), Failure> {
    let refuse = |why: &str| Failure::Input(format!("error: {}: {why}; choose another file name\n", out.display()));
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
        if !head.starts_with(b"NFG") && !head.starts_with(b"EFG") {
            return Err(refuse("that file exists and is not a .nfg or .efg game file, so brink will not replace it"));
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
