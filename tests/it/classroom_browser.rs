//! `brink classroom` in a real browser (issue 38): headless Chromium, driven
//! over the DevTools protocol, as a teacher and two students would use it.
//! The teacher opens the monitor; Ann and Bob join (each in a browser
//! context of their own, so each has their own cookie); Ann accepts
//! Russia's offer, Bob walks out (both through the pages' confirmations);
//! the teacher's page updates itself to show both; the export goes through
//! `brink class`. The assertions read what the pages show.
//!
//! Like the report's browser test, it needs Debian's `chromium` (.ci/run
//! installs it and sets BRINK_REQUIRE_BROWSER=1, so CI never skips it).

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::browser::chromium_or_skip;
use crate::classroom_process::start;
use crate::common::{brink, fresh_path, ok};

/// Headless Chromium and one DevTools connection to it.
struct Browser {
    child: Child,
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn launch(binary: &std::path::Path, profile: &std::path::Path) -> Browser {
        let mut child = Command::new(binary)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            .args(["--disable-component-update", "--disable-sync", "--no-first-run", "--remote-debugging-port=0"])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let url = loop {
            let mut line = String::new();
            assert!(stderr.read_line(&mut line).unwrap() > 0, "chromium stopped without a DevTools address");
            if let Some(url) = line.trim().strip_prefix("DevTools listening on ") {
                break url.to_string();
            }
        };
        // Chromium keeps writing to stderr: drain it so it never blocks.
        std::thread::spawn(move || for _ in stderr.lines() {});
        let (ws, _) = tungstenite::connect(url.as_str()).expect("a DevTools connection");
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
        }
        Browser { child, ws, next_id: 0 }
    }

    fn send(&mut self, session: Option<&str>, method: &str, params: Value) -> u64 {
        self.next_id += 1;
        let mut message = json!({ "id": self.next_id, "method": method, "params": params });
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        self.ws.send(Message::text(message.to_string())).unwrap();
        self.next_id
    }

    /// Calls `method` and waits for its answer, accepting every dialog
    /// (`confirm`) the page opens meanwhile, as a user clicking OK.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<Value, String> {
        let id = self.send(session, method, params);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            assert!(Instant::now() < deadline, "no answer to {method}");
            let text = match self.ws.read() {
                Ok(Message::Text(t)) => t.as_str().to_string(),
                Ok(_) => continue,
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) =>
                {
                    continue;
                }
                Err(e) => panic!("DevTools connection: {e}"),
            };
            let v: Value = serde_json::from_str(&text).unwrap();
            if v["method"] == "Page.javascriptDialogOpening" {
                let s = v["sessionId"].as_str().map(str::to_string);
                self.send(s.as_deref(), "Page.handleJavaScriptDialog", json!({ "accept": true }));
                continue;
            }
            if v["id"] == id {
                return match v.get("error") {
                    Some(e) => Err(e.to_string()),
                    None => Ok(v["result"].clone()),
                };
            }
        }
    }

    /// A new tab at `url` in a browser context of its own (its own cookies).
    fn open(&mut self, url: &str) -> String {
        let context = self.call(None, "Target.createBrowserContext", json!({})).unwrap();
        let target = self
            .call(
                None,
                "Target.createTarget",
                json!({ "url": "about:blank", "browserContextId": context["browserContextId"] }),
            )
            .unwrap();
        let session = self
            .call(None, "Target.attachToTarget", json!({ "targetId": target["targetId"], "flatten": true }))
            .unwrap()["sessionId"]
            .as_str()
            .unwrap()
            .to_string();
        self.call(Some(&session), "Page.enable", json!({})).unwrap();
        self.call(Some(&session), "Page.navigate", json!({ "url": url })).unwrap();
        session
    }

    /// Shows the tab as a phone shows it (390 × 844 CSS pixels, touch).
    fn as_phone(&mut self, tab: &str) {
        let metrics = json!({ "width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true });
        self.call(Some(tab), "Emulation.setDeviceMetricsOverride", metrics).unwrap();
    }

    /// With BRINK_SCREENSHOTS=DIR, saves the whole page as DIR/NAME.png (to look at the pages).
    fn screenshot(&mut self, tab: &str, name: &str) {
        let Some(dir) = std::env::var_os("BRINK_SCREENSHOTS") else { return };
        let shot = self
            .call(Some(tab), "Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true }))
            .unwrap();
        let png = base64_decode(shot["data"].as_str().unwrap());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }

    /// The value of `js` in the tab's page.
    fn eval(&mut self, tab: &str, js: &str) -> Result<Value, String> {
        let params = json!({ "expression": js, "returnByValue": true, "awaitPromise": true });
        let r = self.call(Some(tab), "Runtime.evaluate", params)?;
        match r.get("exceptionDetails") {
            Some(e) => Err(e.to_string()),
            None => Ok(r["result"]["value"].clone()),
        }
    }

    /// Waits until the page's text contains `text` (pages load and reload meanwhile).
    fn wait_for_text(&mut self, tab: &str, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut shown = String::new();
        while Instant::now() < deadline {
            if let Ok(Value::String(body)) = self.eval(tab, "document.body ? document.body.innerText : ''") {
                if body.contains(text) {
                    return body;
                }
                shown = body;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the page never showed {text:?}; it shows:\n{shown}");
    }

    /// Clicks the element `selector` (a button submitting its form).
    fn click(&mut self, tab: &str, selector: &str) {
        let js = format!("document.querySelector({}).click(); true", json!(selector));
        assert_eq!(self.eval(tab, &js), Ok(json!(true)), "cannot click {selector}");
    }
}

/// Standard base64, as DevTools sends screenshots.
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut n) = (0u32, 0);
    for c in text.bytes().filter(|&c| c != b'=') {
        let v = ALPHABET.iter().position(|&a| a == c).expect("base64") as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

#[test]
fn a_class_plays_in_a_real_browser_and_the_teacher_sees_it() {
    let Some(binary) = chromium_or_skip() else { return };
    let dir = fresh_path("classroom-browser");
    std::fs::create_dir_all(&dir).unwrap();
    let server = start(&dir, &["geneva-2022", "--as", "usa", "--hints", "--db", "class.sqlite"]);
    let base = format!("http://{}", server.addr);
    let mut browser = Browser::launch(&binary, &dir.join("profile"));

    let teacher = browser.open(&format!("{base}/teacher?token={}", server.token));
    browser.wait_for_text(&teacher, "0 joined · 0 finished · 0 deals");
    assert!(browser.wait_for_text(&teacher, "No one has joined yet").contains(&server.code));

    let join = |browser: &mut Browser, nickname: &str| {
        let tab = browser.open(&format!("{base}/"));
        browser.as_phone(&tab);
        browser.wait_for_text(&tab, "Join code");
        browser.screenshot(&tab, "join");
        let fill = format!(
            "document.querySelector('[name=code]').value = {}; document.querySelector('[name=nickname]').value = {}; true",
            json!(server.code.to_lowercase()),
            json!(nickname)
        );
        assert_eq!(browser.eval(&tab, &fill), Ok(json!(true)));
        browser.click(&tab, "#join button");
        let page = browser.wait_for_text(&tab, &format!("{nickname} plays United States against Russia"));
        (tab, page)
    };

    // Ann (run 0) takes Russia's offer at round 8, when the talks open.
    let (ann, page) = join(&mut browser, "Ann");
    assert!(page.contains("Round 8 of rounds 0–19") && page.contains("Russia's offer"), "{page}");
    assert!(page.contains("Hints from theory"), "{page}");
    // The page's script shows what the counter-offer being built is worth.
    let worth = browser.wait_for_text(&ann, "This offer is worth");
    assert!(worth.contains("to you."), "{worth}");
    browser.screenshot(&ann, "game");
    browser.click(&ann, "#accept");
    let end = browser.wait_for_text(&ann, "The talks are over");
    assert!(end.contains("Agreement at round 8 on nato = "), "{end}");
    assert!(end.contains("Your payoff after discounting and costs"), "{end}");
    browser.screenshot(&ann, "ended");

    // Bob (run 1) walks out.
    let (bob, _) = join(&mut browser, "Bob");
    browser.click(&bob, "#walk");
    let end = browser.wait_for_text(&bob, "The talks are over");
    assert!(end.contains("round 8: you walked away;"), "{end}");
    // A reload shows the same end: the game is the stored one.
    browser.call(Some(&bob), "Page.reload", json!({})).unwrap();
    browser.wait_for_text(&bob, "round 8: you walked away;");

    // The teacher's page updates itself (every 5 seconds) to show both.
    let monitor = browser.wait_for_text(&teacher, "2 joined · 2 finished · 1 deal");
    browser.screenshot(&teacher, "teacher");
    let row = |who: &str| {
        monitor
            .lines()
            .find(|l| l.starts_with(&format!("{who}\t")) || l.contains(&format!("\t{who}\t")))
            .map(str::to_string)
    };
    assert!(row("Ann").is_some_and(|r| r.contains("deal: nato = ")), "{monitor}");
    assert!(row("Bob").is_some_and(|r| r.contains("no deal: walked away")), "{monitor}");

    // The export goes through `brink class` unchanged.
    let export = dir.join("class-transcripts");
    let out = dir.join("class-out");
    let table = ok(&brink(&["class", export.to_str().unwrap(), "--out", out.to_str().unwrap(), "--runs", "500"]));
    assert!(table.contains("2 student games"), "{table}");
    assert!(table.lines().any(|l| l.trim_start().starts_with("Bob") && l.contains("walk-away (usa)")), "{table}");
    assert!(table.lines().any(|l| l.trim_start().starts_with("Ann") && l.contains("agreement")), "{table}");
}
