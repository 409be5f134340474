//! The classroom (issue 38): games played through its store are brink
//! play's games, so `brink class` reads its export unchanged.

use brink::classroom::{ClassSetup, Classroom};
use brink::engine::moves;
use brink::engine::{Move, Response};

use crate::common::{brink, fresh_path, ok, scratch};

fn setup() -> ClassSetup {
    let text = brink::scenario::find_builtin("geneva-2022").unwrap().text;
    ClassSetup::new("geneva-2022", text, &[], &[], 0, "usa")
}

/// Plays the agent's moves in the student's seat until the game ends, or
/// walks out at once if `walk` is set.
fn play_out(room: &mut Classroom, key: &str, walk: bool) {
    let mut seq = room.student(key).unwrap().moves.len() as u32;
    while !room.is_over(key).unwrap() {
        let line = {
            let game = room.game(key).unwrap();
            let h = game.hint();
            let mv = match (walk, h.answer, h.offer) {
                (true, ..) => Move::WalkAway,
                (_, Some((Response::Accept, _)), _) => Move::Accept,
                (_, Some((Response::WalkAway, _)), _) => Move::WalkAway,
                (_, _, Some(p)) => Move::Offer(p.outcome),
                (_, _, None) => Move::Reject,
            };
            moves::line(room.model(), mv)
        };
        room.play(key, seq, &line).unwrap();
        seq += 1;
    }
}

#[test]
fn the_classrooms_export_goes_through_brink_class() {
    let db = fresh_path("class.sqlite");
    let (_, model) = brink::scenario::load_bytes("geneva-2022", setup().scenario_text.as_bytes()).unwrap();
    let mut room = Classroom::create(&db, setup(), model).unwrap();
    let (_, ann) = room.join("Ann").unwrap();
    let (_, bob) = room.join("Bob").unwrap();
    let (_, _cy) = room.join("Cy").unwrap();
    play_out(&mut room, &ann, false);
    play_out(&mut room, &bob, true);
    // Cy is still playing: left out of the export.
    let exported = room.transcripts();
    assert_eq!(exported.iter().map(|(s, _)| s.nickname.as_str()).collect::<Vec<_>>(), ["Ann", "Bob"]);
    let dir = scratch("export");
    for (s, json) in &exported {
        std::fs::write(dir.join(format!("{}.json", s.nickname)), serde_json::to_string_pretty(json).unwrap()).unwrap();
    }
    // Every move, with its time, as CSV and JSON.
    let log = room.move_log().unwrap();
    let moves_of = |who: &str| log.iter().filter(|m| m.nickname == who).count();
    assert_eq!(moves_of("Ann"), room.student(&ann).unwrap().moves.len());
    assert_eq!(moves_of("Bob"), 1, "Bob walked out at once");
    assert!(log.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
    let csv = brink::report::classroom_moves::csv(&log).unwrap();
    assert_eq!(csv.lines().next(), Some("student,nickname,seq,line,at_ms"));
    assert_eq!(csv.lines().count(), log.len() + 1);
    assert!(csv.contains(",Bob,0,walk,"), "{csv}");
    let json = brink::report::classroom_moves::json(&log);
    assert_eq!(json["moves"].as_array().unwrap().len(), log.len());
    let out = fresh_path("class-out");
    let table = ok(&brink(&["class", dir.to_str().unwrap(), "--out", out.to_str().unwrap()]));
    assert!(table.contains("2 student games"), "{table}");
    let bob_row = table.lines().find(|l| l.trim_start().starts_with("Bob")).unwrap_or_else(|| panic!("{table}"));
    assert!(bob_row.contains("walk-away (usa)"), "{table}");
    assert!(table.lines().any(|l| l.trim_start().starts_with("Ann")), "{table}");
}
