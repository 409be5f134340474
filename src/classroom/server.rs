//! The classroom's web server (axum on tokio): one router, handlers as plain
//! async functions, the state in one struct. Students join at `/` with the
//! join code and a nickname, and play at `/game` (a form per move: the
//! page works without its script, and a reload shows the game as stored).
//! The teacher's pages need the token of the teacher's link.
//!
//! Every request is checked and capped: the body size, the rate per client
//! address, the number of students (`Classroom::join`), a move line's length.
//! A student's cookie is their key: it opens their own game only. A move is
//! stored before the page that acknowledges it is sent.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Form, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::view::{GameView, TeacherView};
use super::{Classroom, ClassroomError};
use crate::analysis::benchmarks::Benchmarks;
use crate::engine::moves;
use crate::engine::{LadderChoice, Move};

/// The largest request body accepted (a move is a few hundred bytes).
pub const MAX_BODY: usize = 16 * 1024;
/// The cookie holding a student's key.
const COOKIE: &str = "brink_student";

const BASE: &str = include_str!("templates/base.html");
const JOIN: &str = include_str!("templates/join.html");
const GAME: &str = include_str!("templates/game.html");
const TEACHER: &str = include_str!("templates/teacher.html");
const CSS: &str = include_str!("assets/classroom.css");
const SCRIPT: &str = include_str!("assets/classroom.js");

/// How many requests one client address may make: a burst, then a steady rate.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    pub burst: f64,
    pub per_second: f64,
}

impl Default for RateLimit {
    /// Enough for a page, its assets and quick moves; far too few to guess a join code.
    fn default() -> Self {
        RateLimit { burst: 60.0, per_second: 10.0 }
    }
}

/// How the server runs.
pub struct ServerConfig {
    /// Show `brink play --hints`' theory on the students' pages.
    pub hints: bool,
    /// Where each finished game's transcript is written (for `brink class`).
    pub export_dir: PathBuf,
    pub rate: RateLimit,
}

/// The server's state: the classroom behind one lock (each request replays
/// one game, well under a millisecond), the theory for hints, the pages.
pub struct AppState {
    room: Mutex<Classroom>,
    theory: Option<Benchmarks>,
    export_dir: PathBuf,
    pages: minijinja::Environment<'static>,
    rate: RateLimit,
    buckets: Mutex<HashMap<Option<IpAddr>, (f64, Instant)>>,
}

impl AppState {
    pub fn new(room: Classroom, config: ServerConfig) -> Result<Arc<Self>, minijinja::Error> {
        let theory = config.hints.then(|| crate::analysis::benchmarks::analyse(room.model()));
        let mut pages = minijinja::Environment::new();
        pages.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        pages.add_template("base.html", BASE)?;
        pages.add_template("join.html", JOIN)?;
        pages.add_template("game.html", GAME)?;
        pages.add_template("teacher.html", TEACHER)?;
        Ok(Arc::new(AppState {
            room: Mutex::new(room),
            theory,
            export_dir: config.export_dir,
            pages,
            rate: config.rate,
            buckets: Mutex::new(HashMap::new()),
        }))
    }

    fn room(&self) -> MutexGuard<'_, Classroom> {
        // A handler that panicked cannot leave the classroom half-changed (a
        // move is stored, then pushed), so the lock is taken even if poisoned.
        self.room.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn page(&self, name: &str, status: StatusCode, context: minijinja::Value) -> Response {
        match self.pages.get_template(name).and_then(|t| t.render(context)) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("cannot render {name}: {e}")).into_response(),
        }
    }

    /// Writes every finished game's transcript to the export folder (at
    /// start, so a resumed classroom's folder is whole); returns how many.
    pub fn export_finished(&self) -> std::io::Result<usize> {
        let room = self.room();
        let games = room.transcripts();
        for (student, json) in &games {
            write_transcript(&self.export_dir, student.id, &student.nickname, json)?;
        }
        Ok(games.len())
    }

    /// Writes a finished game's transcript to the export folder (by rename,
    /// so a file there is always whole).
    fn export(&self, room: &Classroom, token: &str) -> std::io::Result<()> {
        let Ok(student) = room.student(token) else { return Ok(()) };
        let Some(json) = room.transcript_of(student) else { return Ok(()) };
        write_transcript(&self.export_dir, student.id, &student.nickname, &json)
    }
}

/// Writes `json` as `DIR/NNN-nickname.json`, whole (temporary file, then rename).
pub fn write_transcript(
    dir: &std::path::Path,
    id: i64,
    nickname: &str,
    json: &serde_json::Value,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let stem: String = nickname.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' }).collect();
    let path = dir.join(format!("{id:03}-{stem}.json"));
    let tmp = dir.join(format!(".{id:03}-{stem}.json.tmp"));
    let text = serde_json::to_string_pretty(json).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, format!("{text}\n"))?;
    std::fs::rename(&tmp, &path)
}

/// The router: the students' pages, the teacher's pages, the assets.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(join_page))
        .route("/join", post(join))
        .route("/game", get(game_page))
        .route("/play", post(play))
        .route("/api/game", get(game_json))
        .route("/teacher", get(teacher_page))
        .route("/teacher/status", get(teacher_json))
        .route("/teacher/close", post(close))
        .route("/teacher/moves.csv", get(moves_csv))
        .route("/teacher/moves.json", get(moves_json))
        .route("/teacher/transcripts/{id}", get(transcript))
        .route("/assets/classroom.css", get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS) }))
        .route(
            "/assets/classroom.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT) }),
        )
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit))
        .layer(middleware::from_fn(security_headers))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

/// Serves until `shutdown` completes (Ctrl-C at the command line).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// A token bucket per client address; a client over its rate gets 429.
async fn rate_limit(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let ip = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let allowed = {
        let mut buckets = state.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 10_000 {
            // Memory stays bounded whatever the number of addresses.
            buckets.clear();
        }
        let now = Instant::now();
        let RateLimit { burst, per_second } = state.rate;
        let (tokens, last) = buckets.entry(ip).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * per_second).min(burst);
        *last = now;
        let ok = *tokens >= 1.0;
        if ok {
            *tokens -= 1.0;
        }
        ok
    };
    if !allowed {
        return (StatusCode::TOO_MANY_REQUESTS, "too many requests from this address: wait a second and reload\n")
            .into_response();
    }
    next.run(request).await
}

/// Every response: scripts, styles, requests and forms from this server only
/// (the pages have no inline script), no framing, no referrer (the teacher's
/// link carries its token), and nothing cached (a page shows the game as stored).
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let policy = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The student's key from the request's cookie.
fn student_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(COOKIE).and_then(|v| v.strip_prefix('=')).map(str::to_string))
}

fn status_of(e: &ClassroomError) -> StatusCode {
    match e {
        ClassroomError::BadNickname | ClassroomError::BadMove(_) => StatusCode::BAD_REQUEST,
        ClassroomError::LongMove => StatusCode::PAYLOAD_TOO_LARGE,
        ClassroomError::NicknameTaken(_) | ClassroomError::OutOfOrder { .. } => StatusCode::CONFLICT,
        ClassroomError::UnknownStudent => StatusCode::UNAUTHORIZED,
        ClassroomError::Full | ClassroomError::Closed => StatusCode::FORBIDDEN,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn join_context(message: Option<String>, closed: bool) -> minijinja::Value {
    minijinja::context! { message => message, closed => closed }
}

async fn join_page(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let room = state.room();
    if student_key(&headers).is_some_and(|k| room.student(&k).is_ok()) {
        return Redirect::to("/game").into_response();
    }
    state.page("join.html", StatusCode::OK, join_context(None, room.is_closed()))
}

#[derive(Deserialize)]
struct JoinForm {
    code: String,
    nickname: String,
}

async fn join(State(state): State<Arc<AppState>>, Form(form): Form<JoinForm>) -> Response {
    let mut room = state.room();
    let closed = room.is_closed();
    let code = form.code.trim();
    if !same_secret(&code.to_ascii_uppercase(), &room.setup().join_code) {
        let message = "That is not this classroom's join code: check the code on the teacher's screen.";
        return state.page("join.html", StatusCode::FORBIDDEN, join_context(Some(message.into()), closed));
    }
    match room.join(&form.nickname) {
        Ok((_, key)) => {
            let cookie = format!("{COOKIE}={key}; Path=/; HttpOnly; SameSite=Strict; Max-Age=86400");
            ([(header::SET_COOKIE, cookie)], Redirect::to("/game")).into_response()
        }
        Err(e) => state.page("join.html", status_of(&e), join_context(Some(e.to_string()), closed)),
    }
}

/// The student's game page, with `error` above it if their last move was refused.
fn game_response(state: &AppState, room: &Classroom, key: &str, status: StatusCode, error: Option<String>) -> Response {
    let game = match room.game(key) {
        Ok(game) => game,
        Err(e) => return no_game(state, room, &e),
    };
    let Ok(student) = room.student(key) else { return no_game(state, room, &ClassroomError::UnknownStudent) };
    let view = GameView::of(&student.nickname, student.moves.len() as u32, &game, state.theory.as_ref());
    let context = minijinja::context! { g => view, error => error, closed => room.is_closed() };
    state.page("game.html", status, context)
}

/// The join page, saying why there is no game to show.
fn no_game(state: &AppState, room: &Classroom, e: &ClassroomError) -> Response {
    let message = match e {
        ClassroomError::UnknownStudent => "This browser has no game in this classroom: join with the code.".into(),
        e => e.to_string(),
    };
    state.page("join.html", status_of(e), join_context(Some(message), room.is_closed()))
}

async fn game_page(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let room = state.room();
    let key = student_key(&headers).unwrap_or_default();
    game_response(&state, &room, &key, StatusCode::OK, None)
}

async fn game_json(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let room = state.room();
    let key = student_key(&headers).unwrap_or_default();
    match (room.game(&key), room.student(&key)) {
        (Ok(game), Ok(student)) => {
            axum::Json(GameView::of(&student.nickname, student.moves.len() as u32, &game, state.theory.as_ref()))
                .into_response()
        }
        (Err(e), _) | (_, Err(e)) => json_error(&e),
    }
}

fn json_error(e: &ClassroomError) -> Response {
    (status_of(e), axum::Json(serde_json::json!({ "error": e.to_string() }))).into_response()
}

/// A move from the game page's form: `seq`, `action` (accept, offer,
/// reject, walk), `ladder` (hold, escalate, step-down) and, for an offer,
/// one field `iN` per issue holding the chosen option's index.
async fn play(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut room = state.room();
    let key = student_key(&headers).unwrap_or_default();
    if let Err(e) = room.student(&key) {
        return no_game(&state, &room, &e);
    }
    let lines = match form_lines(&room, &key, &form) {
        Ok(lines) => lines,
        Err(message) => return game_response(&state, &room, &key, StatusCode::BAD_REQUEST, Some(message)),
    };
    let seq = match form.get("seq").map(|s| s.trim().parse::<u32>()) {
        Some(Ok(seq)) => seq,
        _ => {
            let message = "the move has no valid `seq` (the number of the move): reload the page".to_string();
            return game_response(&state, &room, &key, StatusCode::BAD_REQUEST, Some(message));
        }
    };
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let over = match room.play_all(&key, seq, &refs) {
        Ok(game) => game.ending().is_some(),
        Err(e) => return game_response(&state, &room, &key, status_of(&e), Some(e.to_string())),
    };
    if over && let Err(e) = state.export(&room, &key) {
        eprintln!("warning: cannot write the finished game's transcript to {}: {e}", state.export_dir.display());
    }
    Redirect::to("/game").into_response()
}

/// The move lines (`brink play`'s text format) a form stands for.
fn form_lines(room: &Classroom, key: &str, form: &HashMap<String, String>) -> Result<Vec<String>, String> {
    let m = room.model();
    let action = form.get("action").map(String::as_str).unwrap_or("");
    let mv = match action {
        "accept" => Move::Accept,
        "walk" => Move::WalkAway,
        "reject" => Move::Reject,
        "offer" => {
            let mut options = Vec::with_capacity(m.issues.len());
            for (i, issue) in m.issues.iter().enumerate() {
                let chosen = form.get(&format!("i{i}")).and_then(|v| v.trim().parse::<u32>().ok());
                match chosen {
                    Some(k) if (k as usize) < issue.options.len() => options.push(k),
                    _ => return Err(format!("the offer names no option on {}: choose one", issue.name)),
                }
            }
            Move::Offer(m.space.outcome_of(&options))
        }
        other => {
            return Err(format!("unknown action {other:?}: accept, offer, reject or walk"));
        }
    };
    let mut lines = Vec::with_capacity(2);
    if matches!(mv, Move::Offer(_) | Move::Reject)
        && let Some(ladder) = form.get("ladder")
    {
        let choice = match ladder.as_str() {
            "hold" => LadderChoice::Hold,
            "escalate" => LadderChoice::Escalate,
            "step-down" => LadderChoice::StepDown,
            other => return Err(format!("unknown ladder move {other:?}: hold, escalate or step-down")),
        };
        let chosen = room.game(key).map(|g| g.ladder_choice()).unwrap_or_default();
        if choice != chosen {
            lines.push(moves::ladder_line(choice));
        }
    }
    lines.push(moves::line(m, mv));
    Ok(lines)
}

/// Compares two secrets in full, whatever the first difference: no timing hint.
fn same_secret(given: &str, secret: &str) -> bool {
    given.len() == secret.len() && given.bytes().zip(secret.bytes()).fold(0, |d, (a, b)| d | (a ^ b)) == 0
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// `Err` with a 403 page unless `token` is the teacher's.
fn teacher_only(room: &Classroom, token: Option<&str>) -> Result<(), Response> {
    if token.is_some_and(|t| same_secret(t, &room.setup().teacher_token)) {
        Ok(())
    } else {
        Err((
            StatusCode::FORBIDDEN,
            "the teacher's pages need the teacher's link (with its token), as `brink classroom` printed it\n",
        )
            .into_response())
    }
}

async fn teacher_page(State(state): State<Arc<AppState>>, Query(q): Query<TokenQuery>) -> Response {
    let room = state.room();
    if let Err(r) = teacher_only(&room, q.token.as_deref()) {
        return r;
    }
    match TeacherView::of(&room) {
        Ok(view) => {
            let context = minijinja::context! {
                t => view,
                token => q.token,
                export_dir => state.export_dir.display().to_string(),
            };
            state.page("teacher.html", StatusCode::OK, context)
        }
        Err(e) => (status_of(&e), e.to_string()).into_response(),
    }
}

async fn teacher_json(State(state): State<Arc<AppState>>, Query(q): Query<TokenQuery>) -> Response {
    let room = state.room();
    if let Err(r) = teacher_only(&room, q.token.as_deref()) {
        return r;
    }
    match TeacherView::of(&room) {
        Ok(view) => axum::Json(view).into_response(),
        Err(e) => json_error(&e),
    }
}

async fn close(State(state): State<Arc<AppState>>, Form(q): Form<TokenQuery>) -> Response {
    let mut room = state.room();
    if let Err(r) = teacher_only(&room, q.token.as_deref()) {
        return r;
    }
    if let Err(e) = room.close() {
        return (status_of(&e), e.to_string()).into_response();
    }
    let token = q.token.unwrap_or_default();
    Redirect::to(&format!("/teacher?token={token}")).into_response()
}

async fn moves_csv(State(state): State<Arc<AppState>>, Query(q): Query<TokenQuery>) -> Response {
    let room = state.room();
    if let Err(r) = teacher_only(&room, q.token.as_deref()) {
        return r;
    }
    let csv = room
        .move_log()
        .map_err(|e| e.to_string())
        .and_then(|log| crate::report::classroom_moves::csv(&log).map_err(|e| e.to_string()));
    match csv {
        Ok(csv) => ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e).into_response(),
    }
}

async fn moves_json(State(state): State<Arc<AppState>>, Query(q): Query<TokenQuery>) -> Response {
    let room = state.room();
    if let Err(r) = teacher_only(&room, q.token.as_deref()) {
        return r;
    }
    match room.move_log() {
        Ok(log) => axum::Json(crate::report::classroom_moves::json(&log)).into_response(),
        Err(e) => json_error(&e),
    }
}

/// One finished game's transcript, as `brink class` reads it.
async fn transcript(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Response {
    let room = state.room();
    if let Err(r) = teacher_only(&room, q.token.as_deref()) {
        return r;
    }
    let id = id.strip_suffix(".json").unwrap_or(&id).parse::<i64>().ok();
    let Some(student) = room.students().iter().find(|s| Some(s.id) == id) else {
        return (StatusCode::NOT_FOUND, "no student has this number\n").into_response();
    };
    match room.transcript_of(student) {
        Some(json) => axum::Json(json).into_response(),
        None => (StatusCode::CONFLICT, "this game is still being played: its transcript comes when it ends\n")
            .into_response(),
    }
}
