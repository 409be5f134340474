//! `brink classroom` as a teacher runs it (issue 38): the real binary, over
//! a real socket. Killed mid-game (SIGKILL, as when a laptop dies), it
//! resumes from its database with every acknowledged move; bad command lines
//! get a clear error and exit status 2.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::common::{assert_refused, brink, fresh_path, ok};

/// A running `brink classroom`, and what it printed at the start.
pub struct Server {
    child: Child,
    /// Kept open: the server prints again when it stops.
    stdout: BufReader<ChildStdout>,
    pub addr: String,
    pub code: String,
    pub token: String,
    pub banner: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `brink classroom ARGS --listen 127.0.0.1:0` in `dir` and reads its banner.
pub fn start(dir: &Path, args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_brink"))
        .current_dir(dir)
        .arg("classroom")
        .args(args)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    while !banner.contains("Listening on") {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            panic!("brink classroom stopped before serving:\n{banner}\n{err}");
        }
        banner.push_str(&line);
    }
    let field = |label: &str| {
        let line = banner.lines().find(|l| l.trim_start().starts_with(label)).unwrap_or_else(|| panic!("{banner}"));
        line.trim_start()[label.len()..].split_whitespace().next().unwrap().to_string()
    };
    let join = field("Students join at:");
    let addr = join.trim_start_matches("http://").trim_end_matches('/').to_string();
    let teacher = field("Teacher's page:");
    let token = teacher.split("token=").nth(1).unwrap().to_string();
    Server { child, stdout, addr, code: field("Join code:"), token, banner }
}

/// A response: status, headers (lower-case names) and body.
pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Reply {
    /// The student's key from a Set-Cookie header.
    pub fn cookie(&self) -> Option<String> {
        let line = self.headers.lines().find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))?;
        Some(line.split("brink_student=").nth(1)?.split(';').next()?.to_string())
    }
}

/// One HTTP/1.1 request on a fresh connection.
pub fn http(addr: &str, method: &str, path: &str, cookie: Option<&str>, form: Option<&str>) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(key) = cookie {
        request.push_str(&format!("Cookie: brink_student={key}\r\n"));
    }
    let body = form.unwrap_or("");
    if form.is_some() {
        request.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Reply { status, headers: head.to_string(), body: body.to_string() }
}

fn game(s: &Server, key: &str) -> serde_json::Value {
    let r = http(&s.addr, "GET", "/api/game", Some(key), None);
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

#[test]
fn a_killed_classroom_resumes_with_every_acknowledged_move() {
    let dir = fresh_path("classroom-kill");
    std::fs::create_dir_all(&dir).unwrap();
    let db: PathBuf = dir.join("class.sqlite");
    let server = start(&dir, &["geneva-2022", "--as", "usa", "--db", "class.sqlite"]);
    assert!(server.banner.contains("class.sqlite"), "{}", server.banner);
    let join = http(&server.addr, "POST", "/join", None, Some(&format!("code={}&nickname=Ann", server.code)));
    assert_eq!(join.status, 303, "{}", join.body);
    let ann = join.cookie().expect("a cookie");
    // Two moves acknowledged (a climb with a counter-offer), then the laptop dies.
    let r =
        http(&server.addr, "POST", "/play", Some(&ann), Some("seq=0&action=offer&i0=0&i1=0&i2=3&i3=0&ladder=escalate"));
    assert_eq!(r.status, 303, "{}", r.body);
    let before = game(&server, &ann);
    assert_eq!(before["seq"], 2);
    let code = server.code.clone();
    let token = server.token.clone();
    drop(server); // SIGKILL: no chance to flush or close anything.

    // Resumed from the file alone: the same code and link, the same game.
    let server = start(&dir, &["--resume", db.to_str().unwrap()]);
    assert_eq!((server.code.as_str(), server.token.as_str()), (code.as_str(), token.as_str()));
    let after = game(&server, &ann);
    assert_eq!(after, before, "the resumed game is the game as acknowledged");
    if after["state"] != "over" {
        let r = http(&server.addr, "POST", "/play", Some(&ann), Some("seq=2&action=walk"));
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let page = http(&server.addr, "GET", "/game", Some(&ann), None).body;
    assert!(page.contains("The talks are over"), "{page}");
    let teacher = http(&server.addr, "GET", &format!("/teacher?token={token}"), None, None).body;
    assert!(teacher.contains("1 joined · 1 finished"), "{teacher}");
    // The finished game is in the export folder, for `brink class`.
    let export = dir.join("class-transcripts");
    let out = dir.join("class-out");
    let table = ok(&brink(&["class", export.to_str().unwrap(), "--out", out.to_str().unwrap(), "--runs", "200"]));
    assert!(table.contains("Ann"), "{table}");
}

#[cfg(unix)]
#[test]
fn a_stopped_classroom_says_where_its_record_is() {
    let dir = fresh_path("classroom-stop");
    std::fs::create_dir_all(&dir).unwrap();
    let mut server = start(&dir, &["rubinstein", "--as", "first", "--db", "s.sqlite"]);
    assert_eq!(http(&server.addr, "GET", "/", None, None).status, 200);
    // SIGTERM (as Ctrl-C): the server stops cleanly and says how to go on.
    let pid = nix::unistd::Pid::from_raw(server.child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    assert!(server.child.wait().unwrap().success());
    let mut rest = String::new();
    server.stdout.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("Stopped. Every acknowledged move is in s.sqlite"), "{rest}");
    assert!(server.banner.contains("--resume s.sqlite"), "{}", server.banner);
}

#[test]
fn bad_classroom_command_lines_are_refused_with_status_2() {
    let dir = fresh_path("classroom-refusals");
    std::fs::create_dir_all(&dir).unwrap();
    let d = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let listen = ["--listen", "127.0.0.1:0"];
    assert_refused(
        &brink(&["classroom", "geneva-2022", "--as", "nobody", "--db", &d("a.sqlite"), listen[0], listen[1]]),
        2,
        "no such actor",
    );
    assert_refused(&brink(&["classroom", "--resume", &d("absent.sqlite")]), 2, "does not exist");
    assert_refused(
        &brink(&["classroom", "geneva-2022", "--as", "usa", "--listen", "here"]),
        2,
        "expected an address and port",
    );
    assert_refused(&brink(&["classroom", "geneva-2022"]), 2, "--as");
    std::fs::write(dir.join("taken.sqlite"), "a class's record").unwrap();
    let taken = brink(&["classroom", "geneva-2022", "--as", "usa", "--db", &d("taken.sqlite"), listen[0], listen[1]]);
    assert_refused(&taken, 2, "never overwritten");
    assert_eq!(std::fs::read_to_string(dir.join("taken.sqlite")).unwrap(), "a class's record");
    assert!(!dir.join("a.sqlite").exists(), "a refused command leaves no database");
}
