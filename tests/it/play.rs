//! `brink play` driven as a class would drive it: scripted students through
//! the line-by-line text format, and one game in a pseudo-terminal.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("brink-play-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn brink(args: &[&str], stdin: impl AsRef<[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the brink binary runs");
    // brink may refuse before it reads its moves: a closed pipe is no error.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_ref());
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Plays with `moves` on stdin and returns the saved transcript.
fn play(args: &[&str], moves: &str, save: &PathBuf) -> (Output, Value) {
    let mut all = vec!["play", "--runs", "300", "--save", save.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = brink(&all, moves);
    assert!(o.status.success(), "brink {all:?} failed:\n{}\n{}", text(&o.stdout), text(&o.stderr));
    let json = serde_json::from_str(&std::fs::read_to_string(save).unwrap()).unwrap();
    (o, json)
}

fn trace(args: &[&str]) -> Value {
    let mut all = vec!["trace", "--json"];
    all.extend_from_slice(args);
    let o = brink(&all, "");
    assert!(o.status.success(), "{}", text(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The moves of `seat` in a trace, in the text format: what a student who
/// copies the agent in that seat types.
fn moves_of(trace: &Value, seat: &str, rounds: u64) -> String {
    let events = trace["events"].as_array().unwrap();
    let offer = |e: &Value| {
        let parts: Vec<String> =
            e["offer"].as_object().unwrap().iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap())).collect();
        format!("offer {}\n", parts.join(" "))
    };
    // Before the talks open (`talks_open`), the ladders move by their rules:
    // the student has nothing to type until the first offer.
    let open = events.iter().find(|e| e["event"] == "before-talks").map_or(0, |e| e["talks_open"].as_u64().unwrap());
    let first_offer = events.iter().position(|e| e["event"] == "proposal");
    let mut out = String::new();
    for (k, e) in events.iter().enumerate() {
        match e["event"].as_str().unwrap() {
            "proposal" if e["proposer"] == seat && Some(k) == first_offer => out.push_str(&offer(e)),
            "response" if e["responder"] == seat => match e["response"].as_str().unwrap() {
                "accept" => out.push_str("accept\n"),
                "walk-away" => out.push_str("walk\n"),
                // The next move of the talks (beliefs and ladder moves come
                // between): the seat's counter-offer, unless they ended.
                _ => match events[k + 1..].iter().find(|e| e["event"] == "proposal" || e["event"] == "response") {
                    Some(next) if next["event"] == "proposal" => out.push_str(&offer(next)),
                    // A breakdown swallows the counter-offer: any offer does.
                    _ if e["round"].as_u64().unwrap() + 1 < rounds => {
                        out.push_str(&offer(events.iter().find(|e| e["event"] == "proposal").unwrap()))
                    }
                    _ => out.push_str("reject\n"),
                },
            },
            // The seat's ladder move comes with its rejection, before the
            // counter-offer: the student types it first. geneva-2022's
            // ladders are permanent, so every move is a climb.
            "ladder" if e["actor"] == seat && e["round"].as_u64().unwrap() >= open => out.push_str("escalate\n"),
            _ => {}
        }
    }
    // A ladder event follows its response: move it before the counter-offer.
    let mut lines: Vec<&str> = out.lines().collect();
    for k in 1..lines.len() {
        if lines[k] == "escalate" {
            lines.swap(k - 1, k);
        }
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// The parts of a transcript that do not depend on who chose the seat's
/// moves (a strategy's targets and thresholds are not a person's).
fn game_of(t: &Value, seat: &str) -> Value {
    let mut t = t.clone();
    let o = t.as_object_mut().unwrap();
    o.remove("play");
    // The trace's counterfactual replays (why a run failed) are no part of the game.
    o.remove("causes");
    for a in o["actors"].as_array_mut().unwrap() {
        if a["id"] == seat {
            a.as_object_mut().unwrap().remove("strategy");
        }
    }
    for e in o["events"].as_array_mut().unwrap() {
        let e = e.as_object_mut().unwrap();
        if e.get("proposer").is_some_and(|p| p == seat) {
            e.remove("target");
            e.remove("reasoning");
        }
        if e.get("responder").is_some_and(|p| p == seat) {
            e.remove("threshold");
            e.remove("basis");
        }
        // A student's ladder move has no rule behind it.
        if e.get("event").is_some_and(|x| x == "ladder") && e.get("actor").is_some_and(|p| p == seat) {
            e.remove("reason");
            e.remove("text");
        }
    }
    t
}

#[test]
fn a_student_who_always_accepts_takes_the_opening_offer() {
    let dir = temp_dir("accept");
    let save = dir.join("t.json");
    // Run 1: Russia opens at an informal pause, which the United States'
    // red line on NATO allows, so the student may take the opening.
    let (o, t) = play(&["geneva-2022", "--as", "usa", "--seed", "0", "--run", "1"], "accept\n", &save);
    let agent = trace(&["geneva-2022", "--seed", "0", "--run", "1"]);
    assert_eq!(t["outcome"]["end"], "agreement");
    // The talks open at round 8, Russia's turn.
    let opening = agent["events"].as_array().unwrap().iter().find(|e| e["event"] == "proposal").unwrap();
    assert_eq!((&t["outcome"]["round"], &opening["round"]), (&8.into(), &8.into()));
    assert_eq!(t["outcome"]["agreement"], opening["offer"], "Russia opens; the student takes it");
    // Realised at round 8: the deal's value after 8 rounds of delay and costs.
    assert!(t["outcome"]["payoffs"]["usa"].as_f64().unwrap() < opening["utilities"]["usa"].as_f64().unwrap());
    assert_eq!(t["play"]["player"], "usa");
    assert_eq!(t["play"]["moves"], serde_json::json!(["accept"]));
    // Same scenario, seed, run and moves: the same transcript, byte for byte.
    let again = dir.join("again.json");
    play(&["geneva-2022", "--as", "usa", "--seed", "0", "--run", "1"], "accept\n", &again);
    assert_eq!(std::fs::read(&save).unwrap(), std::fs::read(&again).unwrap());
    let out = text(&o.stdout);
    for needle in ["What you know", "What you do not know", "breakdown risk", "your reservation value", "Beside 300"] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
}

#[test]
fn a_student_who_mimics_the_hardliner_gets_the_hardliners_results() {
    let dir = temp_dir("hardliner");
    let set = r#"actors.usa.strategy="hardliner""#;
    for run in 0..6u64 {
        let run_s = run.to_string();
        let agent = trace(&["geneva-2022", "--set", set, "--seed", "5", "--run", &run_s]);
        let moves = moves_of(&agent, "usa", 20);
        let save = dir.join(format!("run{run}.json"));
        let args = ["geneva-2022", "--set", set, "--as", "usa", "--seed", "5", "--run", &run_s];
        let (_, student) = play(&args, &moves, &save);
        assert_eq!(game_of(&student, "usa"), game_of(&agent, "usa"), "run {run}, moves:\n{moves}");
        assert_eq!(student["outcome"], agent["outcome"]);
    }
}

#[test]
fn a_student_who_copies_the_default_agent_replays_brink_trace() {
    let dir = temp_dir("copy");
    for (seat, run) in [("russia", 1u64), ("usa", 4)] {
        let run_s = run.to_string();
        // The clock-driven model: a reasoning agent's offers carry its belief
        // in the transcript, which a student's copied offers do not.
        let agent = trace(&["geneva-2022", "--variant", "clock-driven", "--seed", "9", "--run", &run_s]);
        let save = dir.join(format!("{seat}.json"));
        let args = ["geneva-2022", "--variant", "clock-driven", "--as", seat, "--seed", "9", "--run", &run_s];
        let (_, student) = play(&args, &moves_of(&agent, seat, 20), &save);
        assert_eq!(game_of(&student, seat), game_of(&agent, seat));
    }
}

#[test]
fn a_student_playing_the_subgame_perfect_strategy_agrees_at_once_on_x_star() {
    let dir = temp_dir("spe");
    // x* = (1 - 0.8) / (1 - 0.9 * 0.8) = 0.714..., 0.71 on the grid.
    let (_, t) = play(&["rubinstein", "--as", "first"], "offer share=0.71\n", &dir.join("first.json"));
    assert_eq!(t["outcome"]["end"], "agreement");
    assert_eq!(t["outcome"]["round"], 0);
    assert_eq!(t["outcome"]["agreement"]["share"], "0.71");
    assert!((t["outcome"]["payoffs"]["first"].as_f64().unwrap() - 0.71).abs() < 1e-12);
    // In the other seat the subgame-perfect responder accepts x* at once.
    let (_, t) = play(&["rubinstein", "--as", "second"], "accept\n", &dir.join("second.json"));
    assert_eq!((t["outcome"]["round"].as_u64(), t["outcome"]["agreement"]["share"].as_str()), (Some(0), Some("0.71")));
}

#[test]
fn bad_moves_are_asked_again_and_running_out_saves_nothing() {
    let dir = temp_dir("bad");
    let save = dir.join("t.json");
    let o = brink(
        &["play", "rubinstein", "--as", "first", "--runs", "0", "--save", save.to_str().unwrap()],
        "dance\noffer share=1.5\naccept\n\n# only comments follow\n",
    );
    let out = text(&o.stdout);
    assert!(out.contains("unknown move `dance`"), "{out}");
    assert!(out.contains("`1.5` is not an option of issue `share`"), "{out}");
    assert!(out.contains("no offer on the table to accept"), "{out}");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("the moves ran out at round 0"), "{}", text(&o.stderr));
    assert!(!save.exists(), "no transcript for an unfinished game");
    let o = brink(&["play", "rubinstein", "--as", "nobody"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("actors: first, second"), "{}", text(&o.stderr));
}

#[test]
fn ctrl_c_exits_130_and_leaves_no_transcript() {
    let dir = temp_dir("ctrlc");
    let save = dir.join("t.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_brink"))
        // The clock-driven model keeps the talks open long enough to interrupt.
        .args(["play", "geneva-2022", "--variant", "clock-driven", "--as", "usa", "--run", "1"])
        .args(["--save", save.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"offer open-door no-change current withdraw\n").unwrap();
    stdin.flush().unwrap();
    // Give it time to install its handler and wait for the next move.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    if !killed.is_ok_and(|s| s.success()) {
        drop(stdin);
        child.kill().ok();
        child.wait().ok();
        eprintln!("skipped: no `kill` command to send SIGINT");
        return;
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("not saved"), "{}", text(&o.stderr));
    assert!(!save.exists());
    drop(stdin);
}

/// Runs `brink play ARGS` in a pseudo-terminal (util-linux `script`),
/// typing `keys` one chunk at a time; `None` if `script` is missing.
fn in_pty(args: &str, save: &std::path::Path, keys: &[&[u8]]) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed, so no pseudo-terminal");
        return None;
    }
    let cmd = format!("{} play {args} --save {}", env!("CARGO_BIN_EXE_brink"), save.display());
    let mut child = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Read the output as it comes, so that a full pipe never blocks the game.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut bytes);
        bytes
    });
    for k in keys {
        std::thread::sleep(std::time::Duration::from_millis(700));
        stdin.write_all(k).unwrap();
        stdin.flush().unwrap();
    }
    // Keep stdin open until the game is over: `script` ends the session at EOF.
    for _ in 0..100 {
        if save.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    drop(stdin);
    // A game still waiting for a key (a menu that changed under the test)
    // fails the test in 20 s instead of hanging it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`brink play {args}` in a pseudo-terminal was still waiting 20 s after its last key");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Some(text(&reader.join().unwrap()))
}

/// The interactive mode: the first menu item is the counter-offer, so the
/// opening offer is accepted by moving down to it, Enter, and a yes to the
/// question; Ctrl-D at the menu, confirmed, walks away.
#[test]
fn interactive_menus_work_in_a_pseudo_terminal() {
    let dir = temp_dir("pty");
    let save = dir.join("t.json");
    let Some(out) = in_pty("rubinstein --as second --runs 100", &save, &[b"\x1b[B", b"\r", b"y"]) else { return };
    assert!(out.contains("Your move"), "no menu shown:\n{out}");
    assert!(out.contains("Accept the offer"), "{out}");
    assert!(out.contains("and the talks end with this deal"), "accepting did not ask first:\n{out}");
    let t: Value = serde_json::from_str(&std::fs::read_to_string(&save).expect("a saved transcript")).unwrap();
    assert_eq!(t["outcome"]["agreement"]["share"], "0.71");
    assert!(out.contains("Beside 100 simulated talks"), "{out}");

    let save = dir.join("walk.json");
    let Some(out) = in_pty("geneva-2022 --as usa --runs 100", &save, &[b"\x04", b"y"]) else { return };
    assert!(out.contains("Walk away?"), "no confirmation:\n{out}");
    let t: Value = serde_json::from_str(&std::fs::read_to_string(&save).expect("a saved transcript")).unwrap();
    assert_eq!((t["outcome"]["end"].as_str(), t["outcome"]["walked_away"].as_str()), (Some("walk-away"), Some("usa")));
}

/// Saves a game of `moves` as `name` into `dir`.
fn save_game(dir: &std::path::Path, name: &str, args: &[&str], moves: &str) {
    let save = dir.join(format!("{name}.json"));
    let mut all = vec!["--name", name];
    all.extend_from_slice(args);
    play(&all, moves, &save);
}

#[test]
fn brink_class_sets_the_students_beside_the_simulation() {
    let root = temp_dir("class");
    let class = root.join("transcripts");
    std::fs::create_dir_all(&class).unwrap();
    // Run 11: the United States' red line is a bluff, so ann may take
    // clock-driven Russia's opening (the treaty ban).
    save_game(&class, "ann", &["geneva-2022", "--variant", "clock-driven", "--as", "usa", "--run", "11"], "accept\n");
    save_game(
        &class,
        "bob",
        &["geneva-2022", "--variant", "clock-driven", "--as", "usa", "--run", "1"],
        "offer open-door no-change expanded withdraw\nwalk\n",
    );
    save_game(
        &class,
        "cy",
        &["geneva-2022", "--variant", "clock-driven", "--as", "russia", "--run", "2"],
        "offer treaty-ban rollback-1997 relief stay-massed\naccept\n",
    );
    let out = root.join("out");
    let o = brink(&["class", class.to_str().unwrap(), "--runs", "500", "--out", out.to_str().unwrap()], "");
    assert!(o.status.success(), "{}", text(&o.stderr));
    let table = text(&o.stdout);
    assert!(table.contains("3 student games beside 500 simulated talks (seed 0)"), "{table}");
    assert!(table.contains("Deals: students 2 of 3"), "{table}");
    for f in [
        "class.json",
        "class.csv",
        "class-agreements.png",
        "class-agreements.svg",
        "class-deals.png",
        "class-deals.svg",
        "class-payoffs.png",
        "class-payoffs.svg",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let svg = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    // class-deals labelled both bars "agreement", with no legend saying which was the class.
    let deals = svg("class-deals.svg");
    assert!(deals.contains("students (3 games)") && deals.contains("simulated agents (500 runs)"), "{deals}");
    // class-payoffs drew students as wide hollow boxes: now each is a named mark on the distribution.
    let payoffs = svg("class-payoffs.svg");
    for name in ["ann", "bob", "cy"] {
        assert!(payoffs.contains(&format!("\n{name}\n</text>")), "{name} is not named on class-payoffs");
    }
    assert!(payoffs.contains("each student&apos;s payoff") || payoffs.contains("each student's payoff"));
    // class-agreements left the games without a deal out.
    assert!(svg("class-agreements.svg").contains("no deal ×1"), "bob's walk-out is shown");
    let j: Value = serde_json::from_str(&std::fs::read_to_string(out.join("class.json")).unwrap()).unwrap();
    assert_eq!(j["summary"]["deals"]["count"], 2);
    assert_eq!(j["summary"]["deals"]["total"], 3);
    assert_eq!(j["summary"]["simulated_deals"]["total"], 500);
    assert_eq!(j["students"][1]["student"], "bob");
    assert_eq!(j["students"][1]["end"], "walk-away (usa)");
    let csv = std::fs::read_to_string(out.join("class.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv.lines().next().unwrap().starts_with("student,actor,seed,run,end,round,agreement"));
    // The same folder gives the same bytes.
    let again = root.join("again");
    brink(&["class", class.to_str().unwrap(), "--runs", "500", "--out", again.to_str().unwrap(), "-q"], "");
    assert_eq!(std::fs::read(out.join("class.json")).unwrap(), std::fs::read(again.join("class.json")).unwrap());
}

#[test]
fn brink_class_refuses_edited_and_foreign_files() {
    let root = temp_dir("class-bad");
    let class = root.join("t");
    std::fs::create_dir_all(&class).unwrap();
    save_game(&class, "ann", &["geneva-2022", "--as", "usa", "--run", "1"], "accept\n");
    let run = |dir: &std::path::Path| {
        brink(&["class", dir.to_str().unwrap(), "--runs", "100", "--out", root.join("o").to_str().unwrap()], "")
    };
    // An edited payoff: the moves replay to another result.
    let path = class.join("ann.json");
    let mut t: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    t["outcome"]["round"] = serde_json::json!(7);
    std::fs::write(&path, serde_json::to_string(&t).unwrap()).unwrap();
    let o = run(&class);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("the file was edited"), "{}", text(&o.stderr));
    // A trace is not a student's game.
    let trace_out = brink(&["trace", "geneva-2022", "--json"], "");
    std::fs::write(&path, &trace_out.stdout).unwrap();
    let o = run(&class);
    assert!(text(&o.stderr).contains("no `play` section"), "{}", text(&o.stderr));
    // An empty folder.
    std::fs::remove_file(&path).unwrap();
    let o = run(&class);
    assert!(text(&o.stderr).contains("no transcripts"), "{}", text(&o.stderr));
    // Two scenarios in one folder.
    save_game(&class, "a", &["geneva-2022", "--as", "usa", "--run", "1"], "accept\n");
    save_game(&class, "b", &["rubinstein", "--as", "second"], "accept\n");
    let o = run(&class);
    assert!(text(&o.stderr).contains("different scenarios"), "{}", text(&o.stderr));
}

/// The "play first" segment of docs/teaching.md, as printed there.
#[test]
fn the_play_first_lesson_gives_the_numbers_in_the_docs() {
    let root = temp_dir("lesson");
    let class = root.join("class");
    let bob: String = "offer moratorium missiles-and-exercises relief withdraw\n".repeat(19) + "reject\n";
    let students = [
        ("ann", "accept\n".to_string()),
        ("bob", bob),
        (
            "cy",
            "offer open-door no-change expanded withdraw\noffer open-door no-change expanded withdraw\nwalk\n".into(),
        ),
    ];
    for (name, moves) in &students {
        let save = class.join(format!("{name}.json"));
        let args = [
            "play",
            "geneva-2022",
            "--variant",
            "clock-driven",
            "--as",
            "usa",
            "--run",
            "11",
            "--name",
            name,
            "--save",
        ];
        let o = brink(&[&args[..], &[save.to_str().unwrap()]].concat(), moves);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let o = brink(&["class", class.to_str().unwrap(), "--out", root.join("out").to_str().unwrap()], "");
    let table = text(&o.stdout);
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/teaching.md")).unwrap();
    for line in [
        "  ann      usa      agreement              8     0.040     0.040      0.058     8.2%",
        "  bob      usa      deadline              19     0.058     0.033      0.058    29.3%",
        // A walk-out is ranked on its expected payoff, not on the lottery's draw.
        "  cy       usa      walk-away (usa)       12     0.105     0.074      0.058    77.5%",
        "Deals: students 1 of 3 = 33.3% (95% CI 6.1%–79.2%)",
        "       simulation 1,454 of 10,000 = 14.5% (95% CI 13.9%–15.2%)",
        "Mean payoff as usa: students 0.049 (95% CI 0.024 to 0.074); simulated agents in the same seat 0.085 (95% CI 0.083 to 0.086); median beats 29.3%",
    ] {
        assert!(table.contains(line), "brink class no longer prints {line:?}:\n{table}");
        assert!(doc.contains(line), "docs/teaching.md no longer shows {line:?}");
    }
}

/// The bug: `brink play` ignored escalation ladders (the agent's climbs, the
/// hazard and costs they add, the shifted lottery, start positions), so on
/// geneva-2022 a student copying the agent no longer replayed `brink trace`.
/// Both seats, several runs, arms where the ladders move and start high.
#[test]
fn play_ignored_escalation_ladders_copying_the_agent_replays_trace_on_geneva() {
    let dir = temp_dir("ladders");
    let climbing = [
        "--set",
        r#"actors.russia.escalate={ rule = "stalled", after = 1 }"#,
        "--set",
        r#"actors.usa.escalate="mirror""#,
        // A conceder keeps the talks going long enough for both ladders to move.
        "--set",
        r#"actors.russia.strategy="boulware""#,
    ];
    let arms: [&[&str]; 3] = [&["--variant", "early-sanctions"], &climbing, &["--variant", "clock-driven"]];
    let (mut copied_climbs, mut agent_climbs) = (0, 0);
    for (i, arm) in arms.iter().enumerate() {
        for run in 0..4u64 {
            let run_s = run.to_string();
            let mut targs = vec!["geneva-2022", "--seed", "7", "--run", &run_s];
            targs.extend_from_slice(arm);
            let agent = trace(&targs);
            for seat in ["usa", "russia"] {
                let moves = moves_of(&agent, seat, 20);
                copied_climbs += moves.matches("escalate").count();
                agent_climbs += agent["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|e| e["event"] == "ladder" && e["actor"] != seat)
                    .count();
                let save = dir.join(format!("{i}-{run}-{seat}.json"));
                let mut args = targs.clone();
                args.extend_from_slice(&["--as", seat]);
                let (_, student) = play(&args, &moves, &save);
                assert_eq!(game_of(&student, seat), game_of(&agent, seat), "arm {arm:?} run {run} {seat}:\n{moves}");
                assert_eq!(student["outcome"], agent["outcome"], "arm {arm:?} run {run} {seat}");
            }
        }
    }
    assert!(
        copied_climbs > 0 && agent_climbs > 0,
        "the ladders moved: {copied_climbs} copied, {agent_climbs} by agents"
    );
}

#[test]
fn a_student_who_escalates_at_once_sees_the_cost_and_risk_and_it_is_recorded() {
    let dir = temp_dir("escalate");
    let save = dir.join("t.json");
    // Russia opens (round 8; in run 3 no ladder moved before the talks);
    // the US student climbs with their first rejection, then takes the next offer.
    let moves = "escalate\noffer open-door no-change current withdraw\naccept\naccept\naccept\n";
    let o = brink(
        &[
            "play",
            "geneva-2022",
            "--as",
            "usa",
            "--seed",
            "0",
            "--runs",
            "0",
            "--run",
            "3",
            "--save",
            save.to_str().unwrap(),
        ],
        moves,
    );
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}\n{}", text(&o.stderr));
    let before = out.find("you: at the foot of the ladder (no step taken) (step 0 of 3); costs 0.000").expect(&out);
    let after = out
        .find("you: at \"Targeted sanctions prepared\" (step 1 of 3); costs 0.001 a round to you, 0.002 to Russia; adds 0.2%")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(before < after, "{out}");
    assert!(out.contains("United States escalates to \"Targeted sanctions prepared\": the player's move"), "{out}");
    let t: Value = serde_json::from_str(&std::fs::read_to_string(&save).unwrap()).unwrap();
    let ladder: Vec<&Value> = t["events"].as_array().unwrap().iter().filter(|e| e["event"] == "ladder").collect();
    assert_eq!(ladder[0]["actor"], "usa");
    assert_eq!((ladder[0]["from"].as_str(), ladder[0]["to"].as_str()), (Some("none"), Some("targeted-sanctions")));
    assert_eq!(ladder[0]["reason"]["rule"], "player");
    assert_eq!(t["play"]["moves"][0], "escalate");
    // `brink class` replays the ladder move and finds the recorded outcome
    // (without it the replay would differ and the file be refused).
    let out = dir.join("out");
    let o = brink(&["class", dir.to_str().unwrap(), "--runs", "100", "--out", out.to_str().unwrap()], "");
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("1 student game"), "{}", text(&o.stdout));
    let csv = std::fs::read_to_string(out.join("class.csv")).unwrap();
    let (header, row) = csv.split_once('\n').unwrap();
    assert!(header.ends_with(",percentile,escalations,ladder_end"), "{csv}");
    assert!(row.trim_end().ends_with(",1,targeted-sanctions"), "{csv}");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(out.join("class.json")).unwrap()).unwrap();
    assert_eq!(json["students"][0]["escalations"], 1);
}

#[test]
fn ladder_moves_without_a_ladder_or_past_the_top_are_explained() {
    let dir = temp_dir("badladder");
    let save = dir.join("t.json");
    let o = brink(
        &["play", "rubinstein", "--as", "second", "--runs", "0", "--save", save.to_str().unwrap()],
        "escalate\nstep-down\naccept\n",
    );
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}\n{}", text(&o.stderr));
    assert_eq!(out.matches("no escalation ladder").count(), 2, "{out}");
    // geneva-2022: the US starts on the top step of its three; a climb is
    // refused, and its steps are permanent.
    let save = dir.join("g.json");
    let o = brink(
        &[
            "play",
            "geneva-2022",
            "--as",
            "usa",
            "--set",
            r#"actors.usa.escalate={ rule = "mirror", start = "arms-to-ukraine" }"#,
            "--runs",
            "0",
            // Run 1 reaches the talks (round 8) without a breakdown.
            "--run",
            "1",
            "--save",
            save.to_str().unwrap(),
        ],
        "escalate\nstep-down\naccept\n",
    );
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}\n{}", text(&o.stderr));
    assert!(out.contains("you already stand on the top step of your ladder (3 steps)"), "{out}");
    assert!(out.contains("permanent (no reversible_escalation): you cannot step down"), "{out}");
}

#[test]
fn hints_say_what_the_seats_agent_would_do_on_its_ladder() {
    let dir = temp_dir("ladderhints");
    let set = [
        "--set",
        r#"actors.russia.escalate={ rule = "stalled", after = 1 }"#,
        "--set",
        r#"actors.usa.escalate="mirror""#,
        "--set",
        r#"actors.russia.strategy="boulware""#,
        // The United States' red line known to be a bluff: its agent's
        // rejections come from its threshold, which the hint names.
        "--set",
        "actors.usa.red_lines.nato.probability_real=0",
        // Talks from round 0: the hints come with the offers, and the
        // "stalled" rule would otherwise climb before them.
        "--set",
        "scenario.talks_open=0",
    ];
    let mut targs = vec!["geneva-2022", "--seed", "7", "--run", "0"];
    targs.extend_from_slice(&set);
    let agent = trace(&targs);
    let moves = moves_of(&agent, "usa", 20);
    assert!(moves.contains("escalate"), "{moves}");
    let mut args = targs.clone();
    args.extend_from_slice(&["--as", "usa", "--hints"]);
    let (o, _) = play(&args, &moves, &dir.join("t.json"));
    let out = text(&o.stdout);
    assert!(
        out.contains("would reject (threshold") && out.contains(r#"then escalate to "Targeted sanctions prepared" on its ladder (tit-for-tat: Russia stands at "Reinforce the border")"#),
        "{out}"
    );
}

#[test]
fn the_closing_trace_command_keeps_variants_and_overrides() {
    // The closing hint once dropped --variant and --set, so the command it
    // printed replayed a different game from the one just played.
    let dir = temp_dir("trace-hint");
    let save = dir.join("game.json");
    let (o, _) = play(
        &[
            "geneva-2022",
            "--as",
            "usa",
            "--plain",
            "--variant",
            "early-sanctions",
            "--set",
            "actors.usa.strategy={ kind = \"time\", beta = 0.4 }",
            "--seed",
            "3",
            "--run",
            "2",
        ],
        // Walking away ends any game at once (an acceptance may cross the
        // player's red line).
        "walk\n",
        &save,
    );
    let out = text(&o.stdout);
    let hint = out.lines().find(|l| l.starts_with("See how the scenario's agent played your seat")).expect("the hint");
    let expected = "brink trace geneva-2022 --variant early-sanctions \
                    --set 'actors.usa.strategy={ kind = \"time\", beta = 0.4 }' --seed 3 --run 2";
    assert!(hint.ends_with(expected), "{hint}");
}

/// `brink play rubinstein`-like game from `scenario`, the student accepting
/// at once, saved to `save`, with `extra` flags.
fn accept_and_save(scenario: &std::path::Path, save: &std::path::Path, extra: &[&str]) -> Output {
    let mut args =
        vec!["play", scenario.to_str().unwrap(), "--as", "second", "--runs", "0", "--save", save.to_str().unwrap()];
    args.extend_from_slice(extra);
    brink(&args, "accept\n")
}

/// The names in `dir`, sorted.
fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn assert_refused(o: &Output, needle: &str) {
    assert_eq!(o.status.code(), Some(2), "{}\n{}", text(&o.stdout), text(&o.stderr));
    assert!(text(&o.stderr).contains(needle), "missing {needle:?} in:\n{}", text(&o.stderr));
    assert!(!text(&o.stdout).contains("Transcript saved"), "{}", text(&o.stdout));
    assert!(!text(&o.stderr).contains("panicked"), "{}", text(&o.stderr));
}

fn rubinstein_copy(dir: &std::path::Path) -> PathBuf {
    let scenario = dir.join("my.toml");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/rubinstein.toml"), &scenario).unwrap();
    scenario
}

#[test]
fn play_saving_onto_the_scenario_being_played_overwrote_the_scenario() {
    let dir = temp_dir("save-over-scenario");
    let scenario = rubinstein_copy(&dir);
    let before = std::fs::read(&scenario).unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let o = accept_and_save(&scenario, &scenario, extra);
        assert_refused(&o, "an input of this command");
        assert_eq!(std::fs::read(&scenario).unwrap(), before, "the scenario was changed");
    }
    // The same file by another name (a relative path from its folder).
    let o = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(["play", "my.toml", "--as", "second", "--runs", "0", "--save", "./my.toml", "--force"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_refused(&o, "an input of this command");
    assert_eq!(std::fs::read(&scenario).unwrap(), before);
    assert_eq!(names_in(&dir), ["my.toml"]);
}

#[test]
fn play_saving_onto_an_existing_file_replaced_it_silently() {
    let dir = temp_dir("save-over-file");
    let scenario = rubinstein_copy(&dir);
    let notes = dir.join("notes.json");
    std::fs::write(&notes, "{\"mine\": true}").unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let o = accept_and_save(&scenario, &notes, extra);
        assert_refused(&o, "is not a transcript brink wrote");
        assert!(text(&o.stderr).contains("--save"), "says what to do: {}", text(&o.stderr));
    }
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "{\"mine\": true}");
    assert_eq!(names_in(&dir), ["my.toml", "notes.json"]);
}

#[cfg(unix)]
#[test]
fn play_saving_onto_a_symlink_replaced_the_file_it_points_to() {
    let dir = temp_dir("save-over-link");
    let scenario = rubinstein_copy(&dir);
    let link = dir.join("link.json");
    std::os::unix::fs::symlink(&scenario, &link).unwrap();
    let before = std::fs::read(&scenario).unwrap();
    let o = accept_and_save(&scenario, &link, &["--force"]);
    assert_refused(&o, "symbolic link");
    assert_eq!(std::fs::read(&scenario).unwrap(), before);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(names_in(&dir), ["link.json", "my.toml"]);
}

#[test]
fn play_saving_onto_a_folder_left_a_stray_temporary_file() {
    let dir = temp_dir("save-over-folder");
    let scenario = rubinstein_copy(&dir);
    let folder = dir.join("adir");
    std::fs::create_dir(&folder).unwrap();
    let o = accept_and_save(&scenario, &folder, &[]);
    assert_refused(&o, "is a folder");
    assert_eq!(names_in(&dir), ["adir", "my.toml"], "nothing stray beside the folder");
    assert!(names_in(&folder).is_empty());
}

#[test]
fn play_replaces_its_own_transcript_only_with_force() {
    let dir = temp_dir("save-over-transcript");
    let scenario = rubinstein_copy(&dir);
    let save = dir.join("t.json");
    assert!(accept_and_save(&scenario, &save, &[]).status.success());
    let first = std::fs::read(&save).unwrap();
    let o = accept_and_save(&scenario, &save, &["--name", "again"]);
    assert_refused(&o, "--force");
    assert_eq!(std::fs::read(&save).unwrap(), first, "kept without --force");
    let o = accept_and_save(&scenario, &save, &["--name", "again", "--force"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let t: Value = serde_json::from_slice(&std::fs::read(&save).unwrap()).unwrap();
    assert_eq!(t["play"]["name"], "again");
    assert_eq!(names_in(&dir), ["my.toml", "t.json"]);
}

#[cfg(unix)]
#[test]
fn play_aborted_on_an_endless_line_on_stdin() {
    let dir = temp_dir("endless-line");
    let save = dir.join("t.json");
    let o = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(["play", "rubinstein", "--as", "second", "--runs", "0", "--save", save.to_str().unwrap()])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("line 1 of the moves has no line end within 67108864 bytes"),
        "{}",
        text(&o.stderr)
    );
    assert!(!save.exists());
}

#[test]
fn play_exited_1_on_invalid_utf8_on_stdin() {
    let dir = temp_dir("not-utf8");
    let save = dir.join("t.json");
    let args = ["play", "rubinstein", "--as", "second", "--runs", "0", "--save", save.to_str().unwrap()];
    let o = brink(&args, b"help\nacc\xffept\n");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("line 2 of the moves is not UTF-8 text"), "{}", text(&o.stderr));
    assert!(!save.exists());
}

#[test]
fn play_a_ten_megabyte_line_stays_an_unknown_move() {
    let dir = temp_dir("long-line");
    let save = dir.join("t.json");
    let args = ["play", "rubinstein", "--as", "second", "--runs", "0", "--save", save.to_str().unwrap()];
    let mut moves = vec![b'x'; 10 << 20];
    moves.extend_from_slice(b"\naccept\n");
    let o = brink(&args, moves);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("type help for the format"));
    assert!(save.exists());
}

/// A class folder with one accepted geneva game, and a runner of
/// `brink class` on it after `edit` changed the transcript's JSON.
fn class_after_edit(name: &str, edit: impl FnOnce(&mut Value)) -> Output {
    let root = temp_dir(name);
    let class = root.join("t");
    std::fs::create_dir_all(&class).unwrap();
    save_game(&class, "ann", &["geneva-2022", "--as", "usa", "--run", "1"], "accept\n");
    let path = class.join("ann.json");
    let mut t: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut t);
    std::fs::write(&path, serde_json::to_string(&t).unwrap()).unwrap();
    let out = root.join("o");
    let o = brink(&["class", class.to_str().unwrap(), "--runs", "100", "--out", out.to_str().unwrap()], "");
    assert!(!text(&o.stderr).contains("panicked"), "{}", text(&o.stderr));
    assert!(!out.exists(), "nothing written for a refused class");
    o
}

#[test]
fn brink_class_panicked_on_a_non_ascii_sha256() {
    let o = class_after_edit("class-sha-non-ascii", |t| t["play"]["scenario_sha256"] = "ééééééééééééééé".into());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("does not match play.scenario_sha256"), "{}", text(&o.stderr));
}

#[test]
fn brink_class_accepted_a_scenario_text_that_does_not_match_its_sha256() {
    let o = class_after_edit("class-text-edited", |t| {
        let edited = format!("{}\n# edited\n", t["play"]["scenario_text"].as_str().unwrap());
        t["play"]["scenario_text"] = edited.into();
    });
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("the file was edited"), "{}", text(&o.stderr));
}

#[test]
fn brink_class_did_not_say_which_field_was_edited() {
    let o = class_after_edit("class-payoff-edited", |t| t["outcome"]["payoffs"]["usa"] = 0.99.into());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("outcome.payoffs.usa records 0.99") && err.contains("the file was edited"), "{err}");
}

/// The CLI end to end: the agent's reasons and the other side's numbers come
/// only in the debrief, after the outcome.
#[test]
fn play_printed_russias_reasons_while_the_game_was_on() {
    let dir = temp_dir("debrief");
    let (o, _) = play(
        &["geneva-2022", "--as", "usa", "--seed", "0", "--run", "4", "--plain"],
        "offer informal-pause missile-limits current withdraw\nwalk\n",
        &dir.join("t.json"),
    );
    let out = text(&o.stdout);
    let (during, after) = out.split_at(out.find("Outcome:").expect("an outcome"));
    for word in ["believes", "(target ", "expected value of this offer", "russia 0."] {
        assert!(!during.contains(word), "`{word}` before the end:\n{during}");
    }
    let debrief = &after[after.find("Debrief").expect("a debrief")..];
    assert!(debrief.contains("actors.russia.reservation") && debrief.contains("believes"), "{debrief}");
}
