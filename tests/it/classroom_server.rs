//! The classroom's web server, in process (issue 38): requests go through the
//! router as the network would send them. Students join and play through
//! the forms; hostile requests get a clear error and change nothing; the
//! teacher's pages need the token; a student's page never carries the other
//! side's private numbers.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use brink::classroom::server::{self, AppState, RateLimit, ServerConfig};
use brink::classroom::view::GameView;
use brink::classroom::{ClassSetup, Classroom};
use brink::engine::{Awaiting, Event, Move, Session};
use brink::report::play::known;
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::common::{brink, fresh_path, ok};

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    location: Option<String>,
    cookie: Option<String>,
    body: String,
}

/// A classroom of geneva-2022 (students play the US) behind its router.
struct Class {
    app: Router,
    code: String,
    token: String,
    export: PathBuf,
}

fn class(name: &str, rate: RateLimit) -> Class {
    let text = brink::scenario::find_builtin("geneva-2022").unwrap().text;
    let setup = ClassSetup::new("geneva-2022", text, &[], &[], 0, "usa");
    let (code, token) = (setup.join_code.clone(), setup.teacher_token.clone());
    let model = brink::classroom::load_model(&setup).unwrap();
    let room = Classroom::create(&fresh_path(&format!("{name}.sqlite")), setup, model).unwrap();
    let export = fresh_path(&format!("{name}-transcripts"));
    let state: Arc<AppState> =
        AppState::new(room, ServerConfig { hints: true, export_dir: export.clone(), rate }).unwrap();
    Class { app: server::router(state), code, token, export }
}

impl Class {
    fn send(&self, method: &str, path: &str, cookie: Option<&str>, form: Option<&str>) -> Reply {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(key) = cookie {
            request = request.header(header::COOKIE, format!("brink_student={key}"));
        }
        let body = match form {
            Some(f) => {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(f.to_string())
            }
            None => Body::empty(),
        };
        self.raw(request.body(body).unwrap())
    }

    fn raw(&self, request: Request<Body>) -> Reply {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let response = self.app.clone().oneshot(request).await.unwrap();
            let header_text =
                |name| response.headers().get(name).map(|v: &header::HeaderValue| v.to_str().unwrap().to_string());
            let location = header_text(header::LOCATION);
            let cookie = header_text(header::SET_COOKIE);
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            Reply { status, headers, location, cookie, body: String::from_utf8_lossy(&bytes).into_owned() }
        })
    }

    /// Joins as `nickname`; the student's key (their cookie).
    fn join(&self, nickname: &str) -> String {
        let r = self.send("POST", "/join", None, Some(&format!("code={}&nickname={nickname}", self.code)));
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location.as_deref(), Some("/game"));
        let cookie = r.cookie.expect("a cookie");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
        cookie.trim_start_matches("brink_student=").split(';').next().unwrap().to_string()
    }

    fn game(&self, key: &str) -> serde_json::Value {
        let r = self.send("GET", "/api/game", Some(key), None);
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        serde_json::from_str(&r.body).unwrap()
    }

    /// The record of every move, through the teacher's export.
    fn move_log(&self) -> String {
        let r = self.send("GET", &format!("/teacher/moves.csv?token={}", self.token), None, None);
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body
    }

    fn teacher(&self) -> String {
        let r = self.send("GET", &format!("/teacher?token={}", self.token), None, None);
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body
    }
}

/// The form fields of an offer of `outcome`.
fn offer_form(m: &brink::model::Model, seq: u64, outcome: u32) -> String {
    let mut form = format!("seq={seq}&action=offer");
    for i in 0..m.issues.len() {
        form.push_str(&format!("&i{i}={}", m.space.option_of(outcome, i)));
    }
    form
}

fn geneva() -> brink::model::Model {
    let text = brink::scenario::find_builtin("geneva-2022").unwrap().text;
    brink::scenario::load_bytes("g.toml", text.as_bytes()).unwrap().1
}

#[test]
fn a_student_joins_plays_through_the_forms_and_a_reload_shows_the_stored_game() {
    let c = class("server-play", RateLimit::default());
    let join_page = c.send("GET", "/", None, None);
    assert_eq!(join_page.status, StatusCode::OK);
    // Scripts from this server only, no framing, no referrer, nothing cached.
    let policy = join_page.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'"), "{policy}");
    assert_eq!(join_page.headers[header::REFERRER_POLICY], "no-referrer");
    assert_eq!(join_page.headers[header::CACHE_CONTROL], "no-store");
    assert!(join_page.body.contains("Join code") && join_page.body.contains("Nickname"), "{}", join_page.body);
    let ann = c.join("Ann");
    // With the cookie, the join page sends Ann to her game.
    assert_eq!(c.send("GET", "/", Some(&ann), None).location.as_deref(), Some("/game"));
    let page = c.send("GET", "/game", Some(&ann), None);
    assert_eq!(page.status, StatusCode::OK);
    for shown in ["Russia&#x27;s offer", "Accept the offer", "Reject and offer this", "Walk away", "Hints from theory"]
    {
        assert!(page.body.contains(shown), "{shown:?} missing from\n{}", page.body);
    }
    let g = c.game(&ann);
    assert_eq!((g["seq"].as_u64(), g["round"].as_u64(), g["state"].as_str()), (Some(0), Some(8), Some("answer")));
    // The agent's move in Ann's seat, sent through the form, as brink play's session plays it.
    let m = geneva();
    let mut session = Session::start(&m, 0, 0, 0);
    let hint = session.hint();
    let Some(counter) = hint.offer else { panic!("the agent in Ann's seat makes a counter-offer at round 8") };
    let r = c.send("POST", "/play", Some(&ann), Some(&offer_form(&m, 0, counter.outcome)));
    assert_eq!((r.status, r.location.as_deref()), (StatusCode::SEE_OTHER, Some("/game")), "{}", r.body);
    session.play(Move::Offer(counter.outcome)).unwrap();
    // A reload (a new request, as after a lost connection) shows the game as stored.
    let g = c.game(&ann);
    assert_eq!(g["seq"].as_u64(), Some(1));
    assert_eq!(g["round"].as_u64(), Some(session.round() as u64));
    assert!(c.move_log().contains(",Ann,0,offer nato="), "{}", c.move_log());
    // Ann walks out: the game ends, the teacher sees it, and its transcript
    // is written where `brink class` reads it.
    if session.awaiting() != Awaiting::Over {
        let r = c.send("POST", "/play", Some(&ann), Some("seq=1&action=walk"));
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = c.send("GET", "/game", Some(&ann), None).body;
    assert!(page.contains("The talks are over") && page.contains("Your payoff"), "{page}");
    assert!(!page.contains("name=\"action\""), "no move is offered after the end:\n{page}");
    let teacher = c.teacher();
    assert!(teacher.contains("1 joined · 1 finished"), "{teacher}");
    assert!(teacher.contains("<td>Ann</td>") && teacher.contains("no deal"), "{teacher}");
    let files: Vec<_> = std::fs::read_dir(&c.export).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let out = fresh_path("server-play-class");
    let table = ok(&brink(&["class", c.export.to_str().unwrap(), "--out", out.to_str().unwrap(), "--runs", "200"]));
    assert!(table.contains("1 student game"), "{table}");
}

/// A hostile request: what it is, its path, cookie and form, and the status
/// and words of the error it must get.
type Hostile<'a> = (&'a str, &'a str, Option<&'a str>, Option<String>, StatusCode, &'a str);

#[test]
fn hostile_requests_get_a_clear_error_and_change_nothing() {
    let c = class("server-hostile", RateLimit::default());
    let ann = c.join("Ann");
    let bob = c.join("Bob");
    let r = c.send("POST", "/play", Some(&ann), Some("seq=0&action=walk"));
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let log = c.move_log();
    let bob_before = c.game(&bob);
    let forged = "A".repeat(32);
    let token = &c.token;
    let ann_as_token = format!("/teacher/status?token={ann}");
    let big = format!("seq=0&action=walk&pad={}", "x".repeat(server::MAX_BODY));
    let cases: Vec<Hostile> = vec![
        (
            "a move with a forged cookie",
            "/play",
            Some(&forged),
            Some("seq=0&action=walk".into()),
            StatusCode::UNAUTHORIZED,
            "has no game",
        ),
        (
            "a move without a cookie",
            "/play",
            None,
            Some("seq=0&action=walk".into()),
            StatusCode::UNAUTHORIZED,
            "has no game",
        ),
        (
            "the game page with a forged cookie",
            "/game",
            Some(&forged),
            None,
            StatusCode::UNAUTHORIZED,
            "join with the code",
        ),
        (
            "the game's JSON without a cookie",
            "/api/game",
            None,
            None,
            StatusCode::UNAUTHORIZED,
            "no student has this key",
        ),
        (
            "a replayed move",
            "/play",
            Some(&ann),
            Some("seq=0&action=walk".into()),
            StatusCode::CONFLICT,
            "reload the page",
        ),
        (
            "a move after the end",
            "/play",
            Some(&ann),
            Some("seq=1&action=walk".into()),
            StatusCode::BAD_REQUEST,
            "the talks are over",
        ),
        (
            "a move out of turn",
            "/play",
            Some(&bob),
            Some("seq=0&action=reject".into()),
            StatusCode::BAD_REQUEST,
            "a counter-offer is needed",
        ),
        (
            "an unknown action",
            "/play",
            Some(&bob),
            Some("seq=0&action=nuke".into()),
            StatusCode::BAD_REQUEST,
            "unknown action",
        ),
        (
            "an offer missing an issue",
            "/play",
            Some(&bob),
            Some("seq=0&action=offer&i0=0".into()),
            StatusCode::BAD_REQUEST,
            "names no option",
        ),
        (
            "an option out of range",
            "/play",
            Some(&bob),
            Some("seq=0&action=offer&i0=9&i1=0&i2=0&i3=0".into()),
            StatusCode::BAD_REQUEST,
            "names no option",
        ),
        (
            "a bad ladder move",
            "/play",
            Some(&bob),
            Some("seq=0&action=offer&i0=0&i1=0&i2=0&i3=0&ladder=nuke".into()),
            StatusCode::BAD_REQUEST,
            "unknown ladder move",
        ),
        (
            "a move with no number",
            "/play",
            Some(&bob),
            Some("action=walk".into()),
            StatusCode::BAD_REQUEST,
            "no valid `seq`",
        ),
        (
            "a move with a future number",
            "/play",
            Some(&bob),
            Some("seq=5&action=walk".into()),
            StatusCode::CONFLICT,
            "reload the page",
        ),
        ("an oversized body", "/play", Some(&bob), Some(big), StatusCode::PAYLOAD_TOO_LARGE, ""),
        (
            "a join with a wrong code",
            "/join",
            None,
            Some("code=WRONG1&nickname=Eve".into()),
            StatusCode::FORBIDDEN,
            "not this classroom",
        ),
        (
            "a join with a taken nickname",
            "/join",
            None,
            Some(format!("code={}&nickname=ann", c.code)),
            StatusCode::CONFLICT,
            "is taken",
        ),
        (
            "a join with a bad nickname",
            "/join",
            None,
            Some(format!("code={}&nickname=%3Cscript%3E", c.code)),
            StatusCode::BAD_REQUEST,
            "a nickname needs",
        ),
        (
            "a join with no nickname",
            "/join",
            None,
            Some(format!("code={}", c.code)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "nickname",
        ),
        (
            "the teacher's page with a bad token",
            "/teacher?token=NOPE",
            None,
            None,
            StatusCode::FORBIDDEN,
            "teacher's link",
        ),
        ("the teacher's page without a token", "/teacher", None, None, StatusCode::FORBIDDEN, "teacher's link"),
        (
            "the move log with a bad token",
            "/teacher/moves.csv?token=NOPE",
            None,
            None,
            StatusCode::FORBIDDEN,
            "teacher's link",
        ),
        (
            "a transcript with a bad token",
            "/teacher/transcripts/1.json?token=NOPE",
            None,
            None,
            StatusCode::FORBIDDEN,
            "teacher's link",
        ),
        (
            "closing with a bad token",
            "/teacher/close",
            None,
            Some("token=NOPE".into()),
            StatusCode::FORBIDDEN,
            "teacher's link",
        ),
        ("a student's key as the teacher's token", &ann_as_token, None, None, StatusCode::FORBIDDEN, "teacher's link"),
    ];
    for (what, path, cookie, form, status, says) in &cases {
        let method = if form.is_some() { "POST" } else { "GET" };
        let r = c.send(method, path, cookie.as_deref(), form.as_deref());
        assert_eq!(r.status, *status, "{what}: {}", r.body);
        assert!(r.body.contains(says), "{what}: expected {says:?} in\n{}", r.body);
    }
    // A body that is not a form at all.
    let r = c.raw(
        Request::post("/play")
            .header(header::COOKIE, format!("brink_student={bob}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{\"seq\":0}"))
            .unwrap(),
    );
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.body);
    // Nothing changed: the same moves, Bob's game untouched, no Eve, and
    // the teacher's token still works (it was never the session's closing).
    assert_eq!(c.move_log(), log);
    assert_eq!(c.game(&bob), bob_before);
    let status = c.send("GET", &format!("/teacher/status?token={token}"), None, None);
    let status: serde_json::Value = serde_json::from_str(&status.body).unwrap();
    assert_eq!(status["joined"], 2);
    assert_eq!(status["closed"], false);
}

#[test]
fn a_closed_session_takes_no_joins_and_no_moves() {
    let c = class("server-close", RateLimit::default());
    let ann = c.join("Ann");
    let r = c.send("POST", "/teacher/close", None, Some(&format!("token={}", c.token)));
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(c.teacher().contains("id=\"closed\""));
    let r = c.send("POST", "/play", Some(&ann), Some("seq=0&action=walk"));
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("closed the session"), "{}", r.body);
    let r = c.send("POST", "/join", None, Some(&format!("code={}&nickname=Bob", c.code)));
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(c.send("GET", "/", None, None).body.contains("closed this session"));
    assert_eq!(c.move_log(), "student,nickname,seq,line,at_ms\n", "only the header");
}

#[test]
fn a_flood_of_requests_from_one_address_is_refused() {
    let c = class("server-flood", RateLimit { burst: 5.0, per_second: 0.001 });
    for _ in 0..5 {
        assert_eq!(c.send("GET", "/", None, None).status, StatusCode::OK);
    }
    let r = c.send("GET", "/", None, None);
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("too many requests"), "{}", r.body);
}

/// The student's view of a game is the same whatever the other side's
/// private numbers, as long as its moves are the same: nothing computed from
/// them reaches the page or its JSON (the page renders this view only).
#[test]
fn the_other_sides_private_numbers_never_reach_the_students_page() {
    let m = geneva();
    let hidden = known::unknown_params(&m, 0);
    assert!(hidden.len() >= 5, "Russia has private numbers in geneva-2022");
    let theory = brink::analysis::benchmarks::analyse(&m);
    let view = |run: u64, shift: f64, walk: bool| {
        let fixed: Vec<(u32, f64)> = hidden.iter().map(|&p| (p, m.params.means[p as usize] * (1.0 + shift))).collect();
        let mut s = Session::start_fixed(&m, 0, run, 0, &fixed);
        if walk && s.awaiting() != Awaiting::Over {
            s.play(Move::WalkAway).unwrap();
        }
        let offer = s.transcript().events.iter().find_map(|e| match e {
            Event::Proposal { proposal, .. } => Some(proposal.outcome),
            _ => None,
        });
        (serde_json::to_string(&GameView::of("Ann", 0, &s, Some(&theory))).unwrap(), offer)
    };
    // Where Russia opens alike with other numbers (its offer is public), the
    // view must be the same, before and after the end.
    let mut compared = 0;
    for run in 0..20 {
        for walk in [false, true] {
            let (a, offer_a) = view(run, 0.0, walk);
            let (b, offer_b) = view(run, 0.02, walk);
            if offer_a == offer_b {
                assert_eq!(a, b, "run {run}: the view changed with Russia's private numbers (walked out: {walk})");
                compared += 1;
            }
        }
    }
    assert!(compared >= 10, "only {compared} games to compare");
    // And what the server serves: no debrief, no other side's payoff.
    let c = class("server-private", RateLimit::default());
    let ann = c.join("Ann");
    c.send("POST", "/play", Some(&ann), Some("seq=0&action=walk"));
    for path in ["/game", "/api/game"] {
        let body = c.send("GET", path, Some(&ann), None).body;
        assert!(body.contains("Your payoff"), "{body}");
        for never in ["Debrief", "russia 0.", "Russia's payoff", "actors.russia.reservation = "] {
            assert!(!body.contains(never), "{path} shows {never:?}:\n{body}");
        }
    }
}
