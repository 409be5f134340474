//! `brink classroom`: a web server from the brink binary, where a class plays
//! the scenario's agent from phones and laptops. Glue only: the classroom
//! (store, games, pages) is `brink::classroom`.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use brink::classroom::server::{self, AppState, RateLimit, ServerConfig};
use brink::classroom::{ClassSetup, Classroom};

use super::{CliResult, Failure, scenario_arg};

/// Run a classroom: students play the scenario's agent in their browsers.
///
/// Starts a web server. Students open the join address on the room's
/// network (a phone or a laptop is enough), type the join code and a
/// nickname, and each plays one game against the scenario's agent, as
/// `brink play` plays it: the same rules, the same table, the same
/// `--hints`. Each student plays another run of the seed, so each meets
/// other hidden numbers. They see their own numbers only, never the other
/// side's.
///
/// The teacher's link (printed with a secret token; keep it to yourself)
/// shows who has joined, each student's round and state and the deals so
/// far, offers every move as CSV and JSON, and closes the session. Each
/// finished game is written as a transcript to the export folder, so
/// `brink class FOLDER` puts the class beside the simulation.
///
/// Every move is written to the database file before the student's page
/// acknowledges it: if the laptop dies, `brink classroom --resume FILE`
/// goes on with every acknowledged move. The file is never overwritten.
///
/// By default the server listens on 0.0.0.0:8000: every device that can
/// reach this computer on its networks can open the join page (joining
/// needs the code; the teacher's pages need the token). Use
/// --listen 127.0.0.1:8000 to try it on this computer only. The pages are
/// plain HTTP: use it on a network you trust, such as the room's Wi-Fi.
///
/// Examples:
///   brink classroom geneva-2022 --as usa --hints
///   brink classroom --resume classroom-geneva-2022-K7M2QX.sqlite
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Scenario file, or the name of a built-in scenario (e.g. geneva-2022).
    #[arg(required_unless_present = "resume")]
    scenario: Option<String>,
    /// The actor the students play, by its id in the scenario (e.g. usa).
    #[arg(long = "as", value_name = "ACTOR", required_unless_present = "resume")]
    seat: Option<String>,
    #[command(flatten)]
    adjust: scenario_arg::Adjust,
    /// Master seed: student N (in the order they join) plays run N of it.
    #[arg(long)]
    seed: Option<u64>,
    /// Show the theory on the students' pages, as `brink play --hints` does.
    #[arg(long)]
    hints: bool,
    /// The address and port to listen on.
    #[arg(long, value_name = "ADDR", default_value = "0.0.0.0:8000")]
    listen: String,
    /// The new database file [default: classroom-<scenario>-<join code>.sqlite in the current folder].
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
    /// Continue the classroom stored in FILE (its scenario, seat, seed,
    /// variants, overrides, join code and teacher link are the stored ones).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["scenario", "seat", "db", "seed"])]
    resume: Option<PathBuf>,
    /// Where finished games' transcripts go [default: the database's name with -transcripts].
    #[arg(long, value_name = "DIR")]
    export: Option<PathBuf>,
}

pub fn run(args: Args) -> CliResult {
    // The address first: a port in use leaves no new database behind.
    let listen: SocketAddr = args.listen.parse().map_err(|_| {
        Failure::Input(format!("error: --listen {}: expected an address and port such as 0.0.0.0:8000\n", args.listen))
    })?;
    let listener = std::net::TcpListener::bind(listen).map_err(|e| {
        Failure::Input(format!(
            "error: cannot listen on {listen}: {e}\nChoose another port with --listen, e.g. --listen 0.0.0.0:8001\n"
        ))
    })?;
    listener.set_nonblocking(true).map_err(|e| Failure::Other(e.into()))?;
    let (room, db) = match &args.resume {
        Some(path) => {
            if !args.adjust.variant.is_empty() || !args.adjust.set.is_empty() {
                return Err(Failure::Input(
                    "error: --resume plays the stored scenario with its stored variants and overrides: drop --variant and --set\n"
                        .into(),
                ));
            }
            let mut room = Classroom::resume(path, brink::classroom::load_model).map_err(input)?;
            if room.is_closed() {
                room.reopen().map_err(input)?;
                println!("The session had been closed: it is open again.");
            }
            (room, path.clone())
        }
        None => create(&args)?,
    };
    let export_dir = args.export.clone().unwrap_or_else(|| default_export_dir(&db));
    let bound = listener.local_addr().map_err(|e| Failure::Other(e.into()))?;

    let setup = room.setup().clone();
    let seat_name = {
        let m = room.model();
        let seat = m.actor_index(&setup.seat).unwrap_or(0);
        format!("{} ({})", m.actors[seat].name, m.actors[seat].id)
    };
    let state = AppState::new(
        room,
        ServerConfig { hints: args.hints, export_dir: export_dir.clone(), rate: RateLimit::default() },
    )
    .map_err(|e| Failure::Other(anyhow::anyhow!("cannot load the classroom's pages: {e}")))?;
    let written = state.export_finished().map_err(|e| {
        Failure::Other(anyhow::anyhow!("cannot write the finished games to {}: {e}", export_dir.display()))
    })?;

    let host = shown_host(bound);
    let base = format!("http://{host}/");
    println!("brink classroom: {}, the students play {seat_name} against the scenario's agent", setup.scenario);
    println!("  Students join at:  {base}");
    println!("  Join code:         {}", setup.join_code);
    println!("  Teacher's page:    {base}teacher?token={}  (keep this link to yourself)", setup.teacher_token);
    println!("  Database:          {}  (every move is written here before it is acknowledged)", db.display());
    println!("  Finished games:    {}  (then: brink class {})", export_dir.display(), export_dir.display());
    if written > 0 {
        println!("  {written} finished game(s) written there again from the database.");
    }
    println!(
        "Listening on {bound}{}. Ctrl-C stops the server; `brink classroom --resume {}` continues the session.",
        if bound.ip().is_unspecified() {
            ": any device that can reach this computer can open the join page"
        } else {
            ""
        },
        db.display()
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::Other(anyhow::anyhow!("cannot start the server's runtime: {e}")))?;
    runtime
        .block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            server::serve(listener, state, stop_signal()).await
        })
        .map_err(|e| Failure::Other(anyhow::anyhow!("the server stopped: {e}")))?;
    println!("Stopped. Every acknowledged move is in {}.", db.display());
    Ok(())
}

/// A new classroom from the command line's scenario, seat and seed.
fn create(args: &Args) -> Result<(Classroom, PathBuf), Failure> {
    let (Some(scenario), Some(seat)) = (&args.scenario, &args.seat) else {
        return Err(Failure::Input("error: give a SCENARIO and --as ACTOR, or --resume FILE\n".into()));
    };
    let adjustments = args.adjust.adjustments()?;
    let (source, model) =
        scenario_arg::load_adjusted(scenario, &adjustments).map_err(|e| scenario_arg::failure(&e, false))?;
    if model.actor_index(seat).is_none() {
        let ids: Vec<&str> = model.actors.iter().map(|a| a.id.as_str()).collect();
        return Err(Failure::Input(format!(
            "error: --as {seat}: no such actor in {} (actors: {})\n",
            source.name,
            ids.join(", ")
        )));
    }
    let setup =
        ClassSetup::new(scenario, &source.text, &args.adjust.variant, &args.adjust.set, args.seed.unwrap_or(0), seat);
    let db = args.db.clone().unwrap_or_else(|| {
        PathBuf::from(format!("classroom-{}-{}.sqlite", scenario_arg::stem(scenario), setup.join_code))
    });
    let room = Classroom::create(&db, setup, model).map_err(input)?;
    Ok((room, db))
}

fn input(e: brink::classroom::ClassroomError) -> Failure {
    Failure::Input(format!("error: {e}\n"))
}

/// `classroom-x.sqlite` -> `classroom-x-transcripts`, beside it.
fn default_export_dir(db: &Path) -> PathBuf {
    let stem = db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "classroom".into());
    db.with_file_name(format!("{stem}-transcripts"))
}

/// The address to give students: the bound one, or for 0.0.0.0 this
/// computer's address on its main network (found by asking the system which
/// address it would send from; nothing is sent).
fn shown_host(bound: SocketAddr) -> String {
    let ip = if bound.ip().is_unspecified() {
        std::net::UdpSocket::bind("0.0.0.0:0")
            .and_then(|s| s.connect("192.0.2.1:9").map(|_| s))
            .and_then(|s| s.local_addr())
            .map(|a| a.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]))
    } else {
        bound.ip()
    };
    SocketAddr::new(ip, bound.port()).to_string()
}

/// Completes at Ctrl-C or SIGTERM.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
