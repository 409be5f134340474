//! The classroom's rules are `brink play`'s, and its database keeps every
//! acknowledged move across a restart.

use super::*;
use crate::engine::{LadderChoice, Move};

use crate::scenario::geneva_for_tests as geneva;

fn setup() -> ClassSetup {
    let text = crate::scenario::find_builtin("geneva-2022").unwrap().text;
    ClassSetup::new("geneva-2022", text, &[], &[], 0, "usa")
}

fn db(name: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("brink-classroom-{name}-{}.sqlite", std::process::id()));
    for ext in ["", "-wal", "-shm"] {
        std::fs::remove_file(format!("{}{ext}", p.display())).ok();
    }
    p
}

fn load(s: &ClassSetup) -> Result<Model, String> {
    crate::scenario::load_bytes(&s.scenario, s.scenario_text.as_bytes()).map(|(_, m)| m).map_err(|e| e.to_string())
}

/// What an agent in the student's seat would do next, as a move line.
fn agents_move(m: &Model, g: &Session<'_>) -> String {
    let h = g.hint();
    match (h.answer, h.offer) {
        (Some((crate::engine::Response::Accept, _)), _) => moves::line(m, Move::Accept),
        (Some((crate::engine::Response::WalkAway, _)), _) => moves::line(m, Move::WalkAway),
        (_, Some(p)) => moves::line(m, Move::Offer(p.outcome)),
        (_, None) => moves::line(m, Move::Reject),
    }
}

fn events(g: &Session<'_>) -> String {
    format!("{:?}", g.transcript().events)
}

#[test]
fn a_classroom_game_is_brink_plays_game_and_survives_a_restart() {
    let path = db("restart");
    let mut room = Classroom::create(&path, setup(), geneva()).unwrap();
    let (_, ann) = room.join("Ann").unwrap();
    let (_, bob) = room.join("Bob").unwrap();
    assert_ne!(
        room.student(&ann).unwrap().run,
        room.student(&bob).unwrap().run,
        "each student plays a run of their own"
    );
    // Ann copies the agent in her seat for three moves; Bob offers once.
    for seq in 0..3 {
        let line = agents_move(room.model(), &room.game(&ann).unwrap());
        if room.is_over(&ann).unwrap() {
            break;
        }
        room.play(&ann, seq, &line).unwrap();
    }
    room.play(&bob, 0, "offer open-door no-change current withdraw").unwrap();
    let (ann_before, bob_before) = (events(&room.game(&ann).unwrap()), events(&room.game(&bob).unwrap()));
    let ann_moves = room.student(&ann).unwrap().moves.clone();
    // The same moves through brink play's session give the same game.
    let m = geneva();
    let mut direct = Session::start(&m, 0, room.student(&ann).unwrap().run, 0);
    for line in &ann_moves {
        match moves::parse(&m, line).unwrap() {
            Some(Command::Move(mv)) => direct.play(mv).unwrap(),
            Some(Command::Ladder(c)) => direct.choose_ladder(c).unwrap(),
            _ => unreachable!(),
        }
    }
    assert_eq!(events(&direct), ann_before);
    drop(room);
    // A new process resumes from the file alone.
    let mut room = Classroom::resume(&path, load).unwrap();
    assert_eq!(room.students().len(), 2);
    assert_eq!(events(&room.game(&ann).unwrap()), ann_before);
    assert_eq!(events(&room.game(&bob).unwrap()), bob_before);
    assert_eq!(room.student(&ann).unwrap().moves, ann_moves);
    // And the game goes on where it was.
    if !room.is_over(&bob).unwrap() {
        let line = agents_move(room.model(), &room.game(&bob).unwrap());
        room.play(&bob, 1, &line).unwrap();
        assert_eq!(room.student(&bob).unwrap().moves.len(), 2);
    }
}

#[test]
fn moves_out_of_order_refused_or_for_no_student_change_nothing() {
    let path = db("hostile");
    let mut room = Classroom::create(&path, setup(), geneva()).unwrap();
    let (_, ann) = room.join("Ann").unwrap();
    let before = events(&room.game(&ann).unwrap());
    let refused = |r: Result<Session<'_>, ClassroomError>| r.err().map(|e| e.to_string()).unwrap_or_default();
    // A replayed or skipped move number, a move the game refuses, a bad line, a forged key.
    assert!(refused(room.play(&ann, 1, "walk")).contains("the game is at move 0"));
    assert!(refused(room.play(&ann, 0, "reject")).contains("counter-offer is needed"));
    assert!(refused(room.play(&ann, 0, "offer nato=open-door")).contains("posture"));
    assert!(refused(room.play(&ann, 0, &"x".repeat(MAX_MOVE_LINE + 1))).contains("at most"));
    assert!(refused(room.play("2222222222222222222222222222222A", 0, "walk")).contains("no student has this key"));
    assert!(refused(room.play(&ann, 0, "help")).contains("not a move"));
    assert_eq!(events(&room.game(&ann).unwrap()), before);
    assert!(room.student(&ann).unwrap().moves.is_empty());
    // A ladder choice is a move of its own, and the next number must follow it.
    room.play(&ann, 0, &moves::ladder_line(LadderChoice::Escalate)).unwrap();
    assert!(refused(room.play(&ann, 0, "walk")).contains("the game is at move 1"));
    room.play(&ann, 1, "walk").unwrap();
    assert!(room.is_over(&ann).unwrap());
    assert!(refused(room.play(&ann, 2, "walk")).contains("over"));
    drop(room);
    let mut room = Classroom::resume(&path, load).unwrap();
    assert_eq!(room.students()[0].moves.len(), 2, "only the acknowledged moves were stored");
    // Closing is stored: a restart keeps it closed until it is reopened.
    room.close().unwrap();
    assert!(matches!(room.join("Bo"), Err(ClassroomError::Closed)));
    drop(room);
    let mut room = Classroom::resume(&path, load).unwrap();
    assert!(room.is_closed());
    room.reopen().unwrap();
    drop(room);
    let mut room = Classroom::resume(&path, load).unwrap();
    assert!(!room.is_closed());
    room.join("Bo").unwrap();
}

#[test]
fn joining_checks_the_nickname_and_the_file_is_never_overwritten() {
    let path = db("join");
    let mut room = Classroom::create(&path, setup(), geneva()).unwrap();
    assert!(matches!(room.join(""), Err(ClassroomError::BadNickname)));
    assert!(matches!(room.join(&"a".repeat(MAX_NICKNAME + 1)), Err(ClassroomError::BadNickname)));
    assert!(matches!(room.join("<script>"), Err(ClassroomError::BadNickname)));
    // A spreadsheet would read the moves' CSV cell "-A1" as a formula.
    assert!(matches!(room.join("-A1"), Err(ClassroomError::BadNickname)));
    assert!(matches!(room.join("_x"), Err(ClassroomError::BadNickname)));
    room.join("Ann").unwrap();
    assert!(matches!(room.join("ann"), Err(ClassroomError::NicknameTaken(_))));
    drop(room);
    assert!(matches!(Classroom::create(&path, setup(), geneva()), Err(ClassroomError::Exists(_))));
    assert!(matches!(Classroom::resume(&db("absent"), load), Err(ClassroomError::Missing(_))));
    let keys: std::collections::HashSet<String> = (0..100).map(|_| secret(32)).collect();
    assert_eq!(keys.len(), 100);
}
