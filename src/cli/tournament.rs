//! `brink tournament FILE`: strategies against strategies. A repeated-game
//! tournament (Axelrod's strategies on a 2×2 stage game) or a negotiation
//! tournament (negotiation strategies on scenarios), then evolution on the
//! results; with `--shard K/N` (negotiation), one shard for `brink merge`.

use super::terminal::{errln, out, outln};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use brink::games::evolution::{self, MoranConfig};
use brink::games::normal::{self as games, Game};
use brink::games::repeated::{self, RoundRobinConfig, StageGame};
use brink::games::tournament::negotiation::{self, Prepared, Results};
use brink::games::tournament::partial::{self as tpartial, TOURNAMENT_PARTIAL_FORMAT, TournamentPartial};
use brink::games::tournament::spec::{self, EvolutionSpec, Kind, TournamentSpec};
use brink::limits::{MAX_GAME_BYTES, MAX_SCENARIO_BYTES, ReadError, read_capped};
use brink::montecarlo::Tally;
use brink::montecarlo::shard::{ShardSpec, sweep_pieces};
use brink::report::output_dir::OutputSet;
use brink::report::partial::write_atomically;
use brink::report::tournament::{self as treport, EvolutionReport, Report};
use brink::report::tournament_build;
use brink::scenario::diagnostic::{Diagnostic, render};
use brink::scenario::{self, LoadError};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use super::{CliResult, Failure};

/// Run a tournament: every entrant against every other (and itself), then
/// evolution on the results.
///
/// The FILE says what kind. With a [repeated] table, Axelrod's strategies
/// (Cooperator, Defector, Tit For Tat, Tit For Two Tats, Grudger,
/// Win-Stay Lose-Shift, Generous Tit For Tat, Random, Alternator,
/// Suspicious Tit For Tat, Prober, Memory One) play a 2×2 stage game for a
/// number of turns (or with a continuation probability), with noise, as in
/// Axelrod's library: same rules, same scores, self-play included. With a
/// [negotiation] table, every ordered pair of negotiation strategies
/// negotiates on the listed scenarios in both roles, with common random
/// numbers across pairings.
///
/// Writes tournament.json, tournament.csv (one row per pairing),
/// ranking.csv, evolution.csv and plots (heatmap of the results matrix,
/// ranking with 95% intervals, replicator shares, Moran fixation) into
/// outputs/<file stem>/. Results are the same bytes whatever --threads.
///
/// Examples:
///   brink tournament scenarios/tournaments/axelrod-pd.toml
///   brink tournament scenarios/tournaments/axelrod-pd.toml --noise 0.05
///   brink tournament scenarios/tournaments/sanctions-repeated.toml --json
///   brink tournament scenarios/tournaments/geneva-negotiation.toml --runs 200
///   brink tournament scenarios/tournaments/geneva-negotiation.toml --shard 2/4   (then brink merge)
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Tournament file (TOML with [repeated] or [negotiation]; see scenarios/tournaments/).
    file: PathBuf,
    /// Output folder [default: outputs/<file stem>, or outputs/<file stem>-shards with --shard].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Master seed [default: the file's `seed`, else 0].
    #[arg(long)]
    seed: Option<u64>,
    /// Repeated games: repetitions of the round-robin [default: the file's].
    #[arg(long)]
    repetitions: Option<u64>,
    /// Repeated games: turns per match (the cap with a continuation probability) [default: the file's].
    #[arg(long)]
    turns: Option<u32>,
    /// Repeated games: probability that each move is flipped, in [0, 1] [default: the file's].
    #[arg(long)]
    noise: Option<f64>,
    /// Negotiations: runs per pairing [default: the file's].
    #[arg(long)]
    runs: Option<u64>,
    /// Negotiations: play only shard K of N of the work and write a partial result for `brink merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Skip evolution (replicator dynamics and the Moran process).
    #[arg(long)]
    no_evolution: bool,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_parser = super::experiment::thread_count)]
    threads: Option<usize>,
    /// Skip the plots.
    #[arg(long)]
    no_plots: bool,
    /// No progress bar and no table; only errors.
    #[arg(long, short)]
    quiet: bool,
    /// Print tournament.json to stdout instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CliResult {
    let (json, file) = (args.json, args.file.display().to_string());
    let result = run_inner(args);
    // With --json, bad input is reported as JSON on stdout too (exit 2 all the same).
    if json && let Err(Failure::Input(message)) = &result {
        super::print_json(&json!({ "valid": false, "file": file, "error": message.trim_end() }));
    }
    result
}

fn run_inner(args: Args) -> CliResult {
    let name = args.file.display().to_string();
    let text = read_text(&args.file)?;
    let spec = spec::read(&text).map_err(|d| problems(&name, &text, &d))?;
    check_args(&args, &spec)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let base = args.file.parent().map(Path::to_path_buf).unwrap_or_default();
    let stem = stem(&name);
    let settings = json!({ "file": name, "sha256": sha256(text.as_bytes()) });
    match &spec.kind {
        Kind::Repeated(r) => pool.install(|| run_repeated(&args, &spec, r, &name, &text, &base, &stem, settings)),
        Kind::Negotiation(n) => {
            let scenarios = load_scenarios(n, &name, &text, &base)?;
            let seed = args.seed.unwrap_or(n.seed);
            let runs = args.runs.unwrap_or(n.runs);
            let prepared = prepare(&scenarios, &n.entrants, &name, &text)?;
            let cells = prepared.cells.len() as u64;
            if let Some(s) = &args.shard {
                let shard = ShardSpec::parse(s).map_err(|e| Failure::Input(format!("error: --shard {e}\n")))?;
                let pieces = sweep_pieces(shard, cells, runs);
                let tallies = pool.install(|| play_negotiation(&prepared, seed, &pieces, args.quiet))?;
                let dir = args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(format!("{stem}-shards")));
                let p = TournamentPartial {
                    format: TOURNAMENT_PARTIAL_FORMAT.into(),
                    brink_version: env!("CARGO_PKG_VERSION").into(),
                    tournament_file: name.clone(),
                    tournament_sha256: sha256(text.as_bytes()),
                    tournament_text: text.clone(),
                    scenarios: scenarios.clone(),
                    seed,
                    runs,
                    cells,
                    shard,
                    tallies,
                };
                std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
                let path = dir.join(tpartial::file_name(shard));
                let bytes = serde_json::to_vec(&p).context("cannot encode the partial result")?;
                write_atomically(&path, &bytes)?;
                if !args.quiet {
                    errln!(
                        "shard {}/{} written to {} (combine the shards with `brink merge {}`)",
                        shard.k,
                        shard.n,
                        path.display(),
                        dir.display()
                    );
                }
                return Ok(());
            }
            let pieces: Vec<(u64, std::ops::Range<u64>)> = (0..cells).map(|c| (c, 0..runs)).collect();
            let started = Instant::now();
            let tallies: Vec<Tally> = pool
                .install(|| play_negotiation(&prepared, seed, &pieces, args.quiet))?
                .into_iter()
                .map(|(_, t)| t)
                .collect();
            let elapsed = started.elapsed().as_secs_f64();
            let out = Output::from(&args, &stem);
            pool.install(|| finish_negotiation(&spec, &prepared, tallies, settings, seed, runs, &out))?;
            if !args.quiet && !args.json {
                errln!("{} negotiations in {elapsed:.2} s", cells * runs);
            }
            Ok(())
        }
    }
}

/// Where and how results go.
pub struct Output {
    pub dir: PathBuf,
    pub no_plots: bool,
    pub no_evolution: bool,
    pub quiet: bool,
    pub json: bool,
}

impl Output {
    fn from(args: &Args, stem: &str) -> Output {
        Output {
            dir: args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(stem)),
            no_plots: args.no_plots,
            no_evolution: args.no_evolution,
            quiet: args.quiet,
            json: args.json,
        }
    }
}

fn check_args(args: &Args, spec: &TournamentSpec) -> Result<(), Failure> {
    let bad = |m: String| Err(Failure::Input(format!("error: {m}\n")));
    if let Some(x) = args.noise
        && !(0.0..=1.0).contains(&x)
    {
        return bad(format!("--noise must be a probability in [0, 1], found {x}"));
    }
    if args.repetitions == Some(0) || args.runs == Some(0) || args.turns == Some(0) {
        return bad("--repetitions, --runs and --turns must be at least 1".into());
    }
    if let Some(t) = args.turns
        && i64::from(t) > spec::MAX_TURNS
    {
        return bad(format!("--turns is limited to {}", spec::MAX_TURNS));
    }
    let repeated = matches!(spec.kind, Kind::Repeated(_));
    let misplaced: Vec<&str> = if repeated {
        [("--runs", args.runs.is_some()), ("--shard", args.shard.is_some())]
            .iter()
            .filter(|x| x.1)
            .map(|x| x.0)
            .collect()
    } else {
        [
            ("--repetitions", args.repetitions.is_some()),
            ("--turns", args.turns.is_some()),
            ("--noise", args.noise.is_some()),
        ]
        .iter()
        .filter(|x| x.1)
        .map(|x| x.0)
        .collect()
    };
    if let Some(flag) = misplaced.first() {
        let (this, other) = if repeated { ("repeated-game", "negotiation") } else { ("negotiation", "repeated-game") };
        return bad(format!("{flag} applies to {other} tournaments; {} is a {this} tournament", args.file.display()));
    }
    Ok(())
}

fn read_text(path: &Path) -> Result<String, Failure> {
    let name = path.display().to_string();
    let bytes = read_capped(path, MAX_SCENARIO_BYTES).map_err(|e| {
        Failure::Input(format!(
            "error: cannot read tournament file {name}: {}\n",
            match e {
                ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    "no such file (the shipped ones are in scenarios/tournaments/)".into()
                }
                e => e.to_string(),
            }
        ))
    })?;
    String::from_utf8(bytes).map_err(|_| Failure::Input(format!("error: {name} is not UTF-8 text\n")))
}

fn problems(name: &str, text: &str, d: &[Diagnostic]) -> Failure {
    let n = d.len();
    Failure::Input(format!("{}\n{n} problem{} found in {name}\n", render(name, text, d), if n == 1 { "" } else { "s" }))
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The file's stem (never a path), for the default output folder.
fn stem(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty() && s != "..")
        .unwrap_or_else(|| "tournament".into())
}

fn progress_bar(total: u64, unit: &str, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template(&format!("{{bar:40}} {{human_pos}}/{{human_len}} {unit}  eta {{eta}}"))
    {
        bar.set_style(style);
    }
    bar
}

/// Reads the stage game named in the file, with errors located at `game =`.
fn load_stage_game(r: &spec::RepeatedSpec, name: &str, text: &str, base: &Path) -> Result<StageGame, Failure> {
    let at = |message: String, help: &str| {
        problems(name, text, &[Diagnostic::new(r.game_span.clone(), "repeated.game", message).with_help(help)])
    };
    let path = base.join(&r.game);
    let cannot = |why: String| {
        at(
            format!("cannot read the stage game {}: {why}", path.display()),
            "the path is relative to the tournament file, e.g. \"../games/prisoners-dilemma.toml\"",
        )
    };
    // Bounded as `brink solve` bounds a game file.
    let game_bytes = read_capped(&path, MAX_GAME_BYTES).map_err(|e| {
        cannot(match e {
            ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => "no such file".to_string(),
            e => e.to_string(),
        })
    })?;
    let game_text = String::from_utf8(game_bytes).map_err(|_| cannot("not UTF-8 text".into()))?;
    let is_nfg =
        path.extension().is_some_and(|e| e.eq_ignore_ascii_case("nfg")) || game_text.trim_start().starts_with("NFG");
    let game: Result<Game, (String, Option<std::ops::Range<usize>>)> = if is_nfg {
        games::from_nfg_str(&game_text).map_err(|e| (e.to_string(), e.span()))
    } else {
        games::from_toml_str(&game_text).map_err(|e| (e.to_string(), e.span()))
    };
    let game = game.map_err(|(message, span)| {
        let gname = path.display().to_string();
        let d = Diagnostic::new(span.unwrap_or(0..0), "", message);
        Failure::Input(format!(
            "{}\n1 problem found in the stage game {gname} (named in {name})\n",
            render(&gname, &game_text, &[d])
        ))
    })?;
    StageGame::from_game(&game).map_err(|e| at(e.to_string(), "use a 2×2 game whose first strategy is cooperate and second defect, e.g. scenarios/games/prisoners-dilemma.toml"))
}

#[allow(clippy::too_many_arguments)]
fn run_repeated(
    args: &Args,
    spec: &TournamentSpec,
    r: &spec::RepeatedSpec,
    name: &str,
    text: &str,
    base: &Path,
    stem: &str,
    mut settings: serde_json::Value,
) -> CliResult {
    let game = load_stage_game(r, name, text, base)?;
    let mut entrants = Vec::new();
    let mut bad = Vec::new();
    for (k, (e, span)) in r.entrants.iter().zip(&r.entrant_spans).enumerate() {
        match repeated::build(e, &game) {
            Ok(s) => entrants.push(s),
            Err(err) => bad.push(Diagnostic::new(span.clone(), format!("repeated.entrants[{k}]"), err.to_string())),
        }
    }
    if !bad.is_empty() {
        return Err(problems(name, text, &bad));
    }
    let mut matches = r.matches;
    if let Some(t) = args.turns {
        matches.turns = t;
    }
    if let Some(x) = args.noise {
        matches.noise = x;
    }
    let config = RoundRobinConfig {
        matches,
        repetitions: args.repetitions.unwrap_or(r.repetitions),
        seed: args.seed.unwrap_or(r.seed),
    };
    if let serde_json::Value::Object(o) = &mut settings {
        o.insert("game_file".into(), json!(base.join(&r.game).display().to_string()));
    }
    let names: Vec<String> = r.entrants.iter().map(|e| e.label.clone()).collect();
    let bar = progress_bar(config.repetitions, "repetitions", args.quiet);
    super::experiment::catch_signals();
    let started = Instant::now();
    let stop = super::experiment::interrupted;
    let rr = repeated::round_robin_until(
        &game,
        names,
        &entrants,
        config,
        |done| {
            bar.set_position(done);
            !stop()
        },
        &stop,
    );
    let elapsed = started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    if super::experiment::interrupted() {
        return Err(Failure::Interrupted(format!("{} of {} repetitions", rr.repetitions(), config.repetitions)));
    }
    let out = Output::from(args, stem);
    let evolution = match out.no_evolution {
        true => None,
        false => {
            let evolved = evolve(&rr.payoff_matrix(), &spec.evolution, config.seed);
            Some(evolved.ok_or_else(|| Failure::Interrupted("the round-robin, during evolution".into()))?)
        }
    };
    let report = tournament_build::from_repeated(&spec.title, settings, &rr, evolution);
    write_report(&report, &out)?;
    if !args.quiet && !args.json {
        let turns: u64 = rr.totals.iter().map(|t| t.turns()).sum();
        errln!(
            "{} matches, {} turns in {elapsed:.2} s ({:.1} million turns/s)",
            rr.pairs.len() * rr.repetitions(),
            turns,
            turns as f64 / elapsed.max(1e-9) / 1e6
        );
    }
    Ok(())
}

/// Replicator dynamics and the Moran process; `None` if a signal stopped it.
fn evolve(matrix: &[Vec<f64>], e: &EvolutionSpec, seed: u64) -> Option<EvolutionReport> {
    let n = matrix.len();
    // A pairing that never played (NaN) counts as the matrix's worst payoff.
    let worst = matrix.iter().flatten().copied().filter(|x| x.is_finite()).fold(f64::INFINITY, f64::min);
    let a: Vec<Vec<f64>> =
        matrix.iter().map(|row| row.iter().map(|&x| if x.is_finite() { x } else { worst }).collect()).collect();
    let replicator = evolution::replicator(&a, &vec![1.0; n], e.generations, e.selection);
    let config = MoranConfig {
        per_strategy: e.moran_per_strategy,
        runs: e.moran_runs,
        seed,
        selection: e.selection,
        max_steps: 10_000_000,
    };
    Some(EvolutionReport {
        generations: e.generations,
        selection: e.selection,
        replicator,
        moran: evolution::moran_until(&a, &config, &super::experiment::interrupted)?,
        moran_per_strategy: e.moran_per_strategy,
        moran_seed: seed,
    })
}

/// Writes the output set and prints the table or the JSON.
pub fn write_report(report: &Report, out: &Output) -> CliResult {
    // The tournament file and its game are outside: the folder must hold
    // only brink's own files (the contract refuses anything else).
    let set = OutputSet::begin(&out.dir, &[])?;
    let json_text = treport::json_text(report);
    std::fs::write(set.path("tournament.json"), &json_text).context("cannot write tournament.json")?;
    std::fs::write(set.path("tournament.csv"), treport::pairs_csv(report).context("cannot encode tournament.csv")?)
        .context("cannot write tournament.csv")?;
    std::fs::write(set.path("ranking.csv"), treport::ranking_csv(report).context("cannot encode ranking.csv")?)
        .context("cannot write ranking.csv")?;
    let mut written: Vec<String> = ["tournament.json", "tournament.csv", "ranking.csv"].map(String::from).to_vec();
    if let Some(ev) = &report.evolution {
        std::fs::write(
            set.path("evolution.csv"),
            treport::evolution_csv(report, ev).context("cannot encode evolution.csv")?,
        )
        .context("cannot write evolution.csv")?;
        written.push("evolution.csv".into());
    }
    if !out.no_plots {
        written.extend(treport::write_plots(set.staging(), report).map_err(anyhow::Error::from)?);
    }
    let plots = brink::report::pages::svg_names(&written);
    written.push(brink::report::tournament_page::tournament_page(report, set.staging(), &plots).write(set.staging())?);
    let dest = set.commit()?;
    if out.json {
        out!("{json_text}");
    } else if !out.quiet {
        out!("{}", treport::text(report));
        outln!("\nWrote {}/: {}", dest.display(), written.join(", "));
    }
    Ok(())
}

/// The scenarios of a negotiation tournament, as (name, text): a path
/// relative to the tournament file, or a built-in name.
fn load_scenarios(
    n: &spec::NegotiationSpec,
    name: &str,
    text: &str,
    base: &Path,
) -> Result<Vec<(String, String)>, Failure> {
    let mut out = Vec::new();
    for (k, (s, span)) in n.scenarios.iter().enumerate() {
        let path = base.join(s);
        // Anything at the path is read as a scenario file (bounded, as `run`
        // reads one), so /dev/zero or a folder gets run's refusal.
        if std::fs::symlink_metadata(&path).is_ok() {
            let bad = |why: String| {
                problems(name, text, &[Diagnostic::new(span.clone(), format!("negotiation.scenarios[{k}]"), why)])
            };
            let bytes = scenario::read_scenario_bytes(&path).map_err(|e| bad(e.to_string()))?;
            let t = String::from_utf8(bytes)
                .map_err(|_| bad(format!("{} is not UTF-8 text (is it a scenario file?)", path.display())))?;
            out.push((path.display().to_string(), t));
        } else if let Some(b) = scenario::find_builtin(s) {
            out.push((format!("builtin:{}", b.name), b.text.to_string()));
        } else {
            let names: Vec<&str> = scenario::BUILTIN.iter().map(|b| b.name).collect();
            return Err(problems(
                name,
                text,
                &[Diagnostic::new(
                    span.clone(),
                    format!("negotiation.scenarios[{k}]"),
                    format!("no scenario file {} and no built-in scenario `{s}`", path.display()),
                )
                .with_help(format!("paths are relative to the tournament file; built-ins: {}", names.join(", ")))],
            ));
        }
    }
    Ok(out)
}

fn prepare(
    scenarios: &[(String, String)],
    entrants: &[spec::NegotiationEntrant],
    name: &str,
    text: &str,
) -> Result<Prepared, Failure> {
    negotiation::prepare(scenarios, entrants).map_err(|e| {
        let scenario_msg = match &e.error {
            LoadError::Invalid { .. } => e.error.to_string(),
            LoadError::Io { .. } => format!("error: {}\n", e.error),
        };
        match e.entrant {
            Some(k) => {
                let entrant = &entrants[k];
                let d = Diagnostic::new(
                    entrant.span.clone(),
                    format!("negotiation.entrants.{}", entrant.name),
                    format!("scenario {} does not accept entrant `{}`'s strategy (its problems are below)", e.scenario, entrant.name),
                )
                .with_help("an entrant is written like a scenario's `strategy` value, e.g. { kind = \"time\", beta = 0.2 } or \"hardliner\"");
                Failure::Input(format!("{}{scenario_msg}", render(name, text, &[d])))
            }
            None => Failure::Input(scenario_msg),
        }
    })
}

fn play_negotiation(
    prepared: &Prepared,
    seed: u64,
    pieces: &[(u64, std::ops::Range<u64>)],
    quiet: bool,
) -> Result<Vec<(u64, Tally)>, Failure> {
    let total: u64 = pieces.iter().map(|(_, r)| r.end - r.start).sum();
    let bar = progress_bar(total, "negotiations", quiet);
    let tallies = negotiation::play(prepared, seed, pieces, &|done| bar.set_position(done));
    bar.finish_and_clear();
    Ok(tallies)
}

/// Summarises a negotiation tournament (from a run or a merge) and writes it.
pub fn finish_negotiation(
    spec: &TournamentSpec,
    prepared: &Prepared,
    tallies: Vec<Tally>,
    settings: serde_json::Value,
    seed: u64,
    runs: u64,
    out: &Output,
) -> CliResult {
    let results = Results { prepared, tallies };
    let evolution = match out.no_evolution {
        true => None,
        false => {
            let m: Vec<Vec<f64>> =
                results.matrix().iter().map(|row| row.iter().map(|x| x.mean().unwrap_or(f64::NAN)).collect()).collect();
            let evolved = evolve(&m, &spec.evolution, seed);
            Some(evolved.ok_or_else(|| Failure::Interrupted("the negotiations, during evolution".into()))?)
        }
    };
    let report = tournament_build::from_negotiation(&spec.title, settings, &results, seed, runs, evolution);
    write_report(&report, out)
}

/// `brink merge` of tournament partials: true if `inputs` held any.
pub fn merge(
    inputs: &[PathBuf],
    out: Option<PathBuf>,
    no_plots: bool,
    quiet: bool,
    json: bool,
) -> Result<bool, Failure> {
    let parts = read_partials(inputs)?;
    if parts.is_empty() {
        return Ok(false);
    }
    // Version, text against hash, shard ranges, one job, before the text is read.
    brink::montecarlo::shard::validate(&parts).map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    let first = &parts[0].1;
    let spec =
        spec::read(&first.tournament_text).map_err(|d| problems(&first.tournament_file, &first.tournament_text, &d))?;
    let Kind::Negotiation(n) = &spec.kind else {
        return Err(Failure::Input("error: the partials hold a tournament that is not a negotiation\n".into()));
    };
    let prepared = prepare(&first.scenarios, &n.entrants, &first.tournament_file, &first.tournament_text)?;
    if prepared.cells.len() as u64 != first.cells {
        return Err(Failure::Input("error: the partials' pairings do not match their tournament file\n".into()));
    }
    // Every tally is checked against its pairing's model before it is used.
    let templates: Vec<Tally> = prepared.models.iter().map(Tally::new).collect();
    let tallies = tpartial::merge(&parts, &templates).map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    let stem = stem(&first.tournament_file);
    let settings = json!({ "file": first.tournament_file, "sha256": first.tournament_sha256 });
    let output = Output {
        dir: out.unwrap_or_else(|| PathBuf::from("outputs").join(&stem)),
        no_plots,
        no_evolution: false,
        quiet,
        json,
    };
    finish_negotiation(&spec, &prepared, tallies, settings, first.seed, first.runs, &output)?;
    Ok(true)
}

fn read_partials(inputs: &[PathBuf]) -> Result<Vec<(String, TournamentPartial)>, Failure> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input).with_context(|| format!("cannot read {}", input.display()))?;
            for entry in entries.flatten() {
                let path = entry.path();
                let fname = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                if fname.starts_with("tournament-partial-") && fname.ends_with(".json") {
                    files.push(path);
                }
            }
        } else if input.file_name().is_some_and(|n| n.to_string_lossy().starts_with("tournament-partial-")) {
            files.push(input.clone());
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let name = f.display().to_string();
            let bytes = read_capped(&f, brink::limits::MAX_PARTIAL_BYTES)
                .map_err(|e| Failure::Input(format!("error: cannot read {name}: {e}\n")))?;
            let text = String::from_utf8(bytes).map_err(|_| {
                Failure::Input(format!("error: {name} is not UTF-8 text, so not a tournament partial\n"))
            })?;
            let p: TournamentPartial = serde_json::from_str(&text).map_err(|e| {
                Failure::Input(format!(
                    "error: {name} is not a tournament partial written by `brink tournament --shard`: {e}\n"
                ))
            })?;
            if p.format != TOURNAMENT_PARTIAL_FORMAT {
                return Err(Failure::Input(format!(
                    "error: {name} has format {:?}, expected {TOURNAMENT_PARTIAL_FORMAT:?}\n",
                    p.format
                )));
            }
            Ok((name, p))
        })
        .collect()
}
