//! What a student sees at `brink play`: nothing computed from the other
//! side's private numbers until the game ends. Checked by playing the same
//! game twice, with every number the student may not know moved, and
//! comparing the screens for as long as the other side's moves stay the same.

use brink::analysis::benchmarks;
use brink::engine::{Awaiting, Event, LadderChoice, Move, Session};
use brink::model::Model;
use brink::report::play::{self as view, known};

/// geneva-2022, where the US's numbers are known to all; `private_us` makes
/// some of them private draws too, so that either seat has something to hide.
fn geneva(private_us: bool) -> Model {
    use brink::scenario::{Adjustments, overrides::parse_override};
    let text = brink::scenario::find_builtin("geneva-2022").unwrap().text;
    let sets: &[&str] = if private_us {
        &[
            "actors.usa.discount={uniform=[0.94,0.99]}",
            "actors.usa.cost_per_round={uniform=[0.001,0.004]}",
            "actors.usa.reservation={normal=[0.22,0.04],min=0.1,max=0.35}",
            "actors.usa.escalation[0].cost={uniform=[0.0005,0.002]}",
        ]
    } else {
        &[]
    };
    let overrides = sets.iter().map(|s| parse_override(s).unwrap()).collect();
    let adj = Adjustments { variants: Vec::new(), overrides };
    match brink::scenario::load_bytes_adjusted("geneva-2022.toml", text.as_bytes(), &adj) {
        Ok((_, m)) => m,
        Err(e) => panic!("{e}"),
    }
}

/// A step of a scripted student.
#[derive(Clone, Copy)]
enum Step {
    Ladder(LadderChoice),
    Move(Move),
}

/// An event as anyone at the table sees it: who did what, no numbers.
fn public(e: &Event) -> Option<String> {
    Some(match e {
        Event::Proposal { round, proposer, proposal } => format!("{round} {proposer} offers {}", proposal.outcome),
        Event::Response { round, responder, response, .. } => format!("{round} {responder} {response:?}"),
        Event::BeforeTalks { round, .. } => format!("{round} no talks yet"),
        Event::Breakdown { round } | Event::EscalationBreakdown { round, .. } => format!("{round} collapse"),
        Event::Ladder { actor, step, .. } => format!("{actor} ladder {}->{}", step.from, step.to),
        // What the agent believes is not public.
        Event::RedLineBelief { .. } | Event::LadderSignal { .. } => return None,
    })
}

/// Every screen the student reads before the game ends (the briefing, then
/// one per decision, with hints), each with the public record of the moves
/// made before it.
fn screens(m: &Model, seat: usize, run: u64, fixed: &[(u32, f64)], script: &[Step]) -> Vec<(Vec<String>, String)> {
    let theory = benchmarks::analyse(m);
    let mut s = Session::start_fixed(m, 0, run, seat, fixed);
    // The briefing comes after the rounds before the talks open (their
    // ladder moves are public and may move the student's numbers).
    let opening: Vec<String> = s.transcript().events.iter().filter_map(public).collect();
    let mut out = vec![(opening, view::briefing(&s))];
    let mut shown = 0;
    for &step in script {
        if s.awaiting() == Awaiting::Over {
            break;
        }
        let events = &s.transcript().events;
        let record: Vec<String> = events.iter().filter_map(public).collect();
        out.push((record, view::turn(&s, &events[shown..], Some(&theory))));
        shown = events.len();
        match step {
            Step::Ladder(c) => {
                let _ = s.choose_ladder(c);
            }
            Step::Move(mv) => {
                if let Err(e) = s.play(mv) {
                    // An acceptance across the student's own real red line
                    // is refused; the scripted student walks away instead.
                    assert!(mv == Move::Accept, "scripted move {mv:?}: {e}");
                    s.play(Move::WalkAway).unwrap_or_else(|e| panic!("walking away: {e}"));
                }
            }
        }
    }
    out
}

/// The number each unknown parameter moves by: far enough to show at three
/// decimals, towards the scenario's mean so that it stays in range.
fn moved(m: &Model, s: &Session<'_>) -> Vec<(u32, f64)> {
    known::unknown_params(m, s.player())
        .into_iter()
        .map(|id| {
            let drawn = s.setup().params[id as usize];
            let mean = m.params.means[id as usize];
            let by = 0.003 + 0.01 * drawn.abs();
            (id, if drawn < mean { drawn + by } else { drawn - by })
        })
        .collect()
}

#[test]
fn play_showed_the_other_sides_private_numbers_before_the_game_ended() {
    let models = [geneva(false), geneva(true)];
    let m = &models[0];
    let w = |options: [&str; 4]| {
        let idx: Vec<u32> = options
            .iter()
            .enumerate()
            .map(|(i, o)| m.issues[i].options.iter().position(|x| x == o).unwrap() as u32)
            .collect();
        Move::Offer(m.space.outcome_of(&idx))
    };
    let climb = Step::Ladder(LadderChoice::Escalate);
    // The student haggles, climbs their ladder, and concedes slowly.
    let haggle = [
        Step::Move(w(["informal-pause", "missile-limits", "current", "withdraw"])),
        climb,
        Step::Move(w(["informal-pause", "missile-limits", "freeze", "withdraw"])),
        Step::Move(w(["informal-pause", "missiles-and-exercises", "current", "withdraw"])),
        climb,
        Step::Move(w(["informal-pause", "missiles-and-exercises", "freeze", "withdraw"])),
        Step::Move(w(["moratorium", "missiles-and-exercises", "freeze", "partial-pullback"])),
        Step::Move(w(["moratorium", "missiles-and-exercises", "relief", "partial-pullback"])),
        Step::Move(Move::Accept),
    ];
    // As Russia the student opens, asking for much, then comes down.
    let demand = [
        Step::Move(w(["treaty-ban", "missile-limits", "relief", "partial-pullback"])),
        climb,
        Step::Move(w(["moratorium", "rollback-1997", "freeze", "partial-pullback"])),
        Step::Move(w(["moratorium", "rollback-1997", "relief", "partial-pullback"])),
        climb,
        Step::Move(w(["moratorium", "missile-limits", "relief", "partial-pullback"])),
        Step::Move(w(["moratorium", "missile-limits", "freeze", "withdraw"])),
        Step::Move(Move::Accept),
    ];
    let mut compared = 0;
    for (m, seat, script) in [(&models[0], 0, &haggle[..]), (&models[1], 1, &demand[..])] {
        for run in 0..10 {
            let truth = Session::start(m, 0, run, seat);
            let fixed = moved(m, &truth);
            assert!(!fixed.is_empty(), "geneva-2022 gives the other side private numbers");
            let a = screens(m, seat, run, &[], script);
            let b = screens(m, seat, run, &fixed, script);
            for ((record_a, screen_a), (record_b, screen_b)) in a.iter().zip(&b) {
                if record_a != record_b {
                    break; // the other side moved differently: its moves may show, and do
                }
                assert_eq!(
                    screen_a, screen_b,
                    "seat {seat}, run {run}: the screen changed when only the other side's private numbers did"
                );
                compared += 1;
                for line in screen_a.lines() {
                    let lower = line.to_lowercase();
                    for word in ["believes", "(target ", "expected value", "threshold", "hazard 0"] {
                        assert!(
                            !lower.contains(word) || lower.contains("in your seat"),
                            "seat {seat}, run {run}: `{word}` about the other side before the end: {line}"
                        );
                    }
                }
            }
        }
    }
    // Not vacuous: most screens were compared.
    assert!(compared >= 60, "only {compared} screens compared");
}
