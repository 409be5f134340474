//! What the classroom's pages show, as data: a student's game (what the
//! page renders and `/api/game` serves) and the teacher's overview. Built
//! only from what the student may know, through `report::play` and its
//! `known` module, as `brink play` shows it; the other side's numbers, its
//! payoff and the agent's reasons never enter a student's view (the reveal
//! beside the simulation comes with part 2).

use serde::Serialize;

use super::{Classroom, ClassroomError};
use crate::analysis::benchmarks::Benchmarks;
use crate::engine::{Awaiting, End, Ending, LadderChoice, Session};
use crate::report::fmt3;
use crate::report::play as shown;

/// Outcome spaces up to this size carry each outcome's worth to the player,
/// so the page can show what an offer is worth while it is being built.
const WORTH_TABLE_MAX: u32 = 10_000;

/// A student's game, as their page shows it.
#[derive(Debug, Serialize)]
pub struct GameView {
    pub nickname: String,
    pub scenario: String,
    /// The actor the student plays, and the other side (names).
    pub seat: String,
    pub other: String,
    /// The number of the next move (what the page sends back with it).
    pub seq: u32,
    pub round: u32,
    pub last_round: u32,
    /// "opening", "answer" or "over".
    pub state: &'static str,
    /// The offer on the table and its worth to the student.
    pub offer: Option<String>,
    pub offer_worth: Option<String>,
    /// Why the offer cannot be accepted (the student's own real red line).
    pub offer_forbidden: Option<String>,
    pub can_accept: bool,
    pub can_counter: bool,
    pub can_reject: bool,
    pub can_walk: bool,
    pub issues: Vec<IssueView>,
    /// Each issue's stride in the outcome index, and each outcome's worth to
    /// the student (empty for very large outcome spaces).
    pub strides: Vec<u32>,
    pub worth: Vec<f64>,
    pub ladder: Option<LadderView>,
    /// The table now (round, offer, reservation value, delay, risk,
    /// ladders), as `brink play` prints it.
    pub table: String,
    /// `--hints`: the theory beside the offer, as `brink play --hints` prints it.
    pub hints: Option<String>,
    /// The briefing and every move so far, as `brink play` prints them.
    pub history: String,
    /// How the game ended, with the student's own payoff.
    pub ending: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct IssueView {
    pub index: usize,
    pub name: String,
    pub options: Vec<OptionView>,
}

#[derive(Debug, Serialize)]
pub struct OptionView {
    pub index: usize,
    pub name: String,
    /// What choosing it adds to the student's utility.
    pub worth: f64,
}

/// The student's own ladder, where the scenario gives their seat one and an
/// offer is on the table (a ladder move is made with a rejection).
#[derive(Debug, Serialize)]
pub struct LadderView {
    pub at: String,
    /// The next step's name, if there is one to climb.
    pub next: Option<String>,
    pub can_step_down: bool,
    /// "hold", "escalate" or "step-down": the move already chosen.
    pub chosen: &'static str,
}

impl GameView {
    /// The view of `game`, played by `nickname`, whose next move is number `seq`.
    pub fn of(nickname: &str, seq: u32, game: &Session<'_>, theory: Option<&Benchmarks>) -> Self {
        let m = game.model();
        let me = game.player();
        let awaiting = game.awaiting();
        let (state, offer) = match awaiting {
            Awaiting::Opening => ("opening", None),
            Awaiting::Answer { offer } => ("answer", Some(offer)),
            Awaiting::Over => ("over", None),
        };
        let utilities = game.setup().utilities(m, me);
        let offer_forbidden = offer.and_then(|w| game.red_line_forbids(w));
        let playing = awaiting != Awaiting::Over;
        let contributions = shown::contributions(m, me, &game.setup().params);
        let issues = m
            .issues
            .iter()
            .enumerate()
            .map(|(i, issue)| IssueView {
                index: i,
                name: issue.name.clone(),
                options: issue
                    .options
                    .iter()
                    .enumerate()
                    .map(|(k, name)| OptionView { index: k, name: name.clone(), worth: round3(contributions[i][k]) })
                    .collect(),
            })
            .collect();
        let worth =
            if m.space.size <= WORTH_TABLE_MAX { utilities.iter().map(|&u| round3(u)).collect() } else { Vec::new() };
        let events = &game.transcript().events;
        let mut history = shown::briefing(game);
        history.push_str(&shown::events(game, events));
        GameView {
            nickname: nickname.to_string(),
            scenario: m.name.clone(),
            seat: m.actors[me].name.clone(),
            other: m.actors[1 - me].name.clone(),
            seq,
            round: game.round(),
            last_round: m.rounds - 1,
            state,
            offer: offer.map(|w| m.describe_outcome(w)),
            offer_worth: offer.map(|w| fmt3(utilities[w as usize])),
            can_accept: offer.is_some() && offer_forbidden.is_none(),
            offer_forbidden,
            can_counter: playing && !game.is_last_round(),
            can_reject: offer.is_some() && game.is_last_round(),
            can_walk: playing,
            issues,
            strides: m.space.stride.clone(),
            worth,
            ladder: ladder_view(game),
            table: if playing { shown::status(game) } else { String::new() },
            hints: theory.filter(|_| playing).map(|b| shown::hints(game, b)),
            history,
            ending: game.ending().map(|e| ending_text(game, e)),
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn ladder_view(game: &Session<'_>) -> Option<LadderView> {
    let m = game.model();
    let me = game.player();
    let steps = &m.ladders[me].steps;
    if steps.is_empty() || !matches!(game.awaiting(), Awaiting::Answer { .. }) {
        return None;
    }
    let here = game.ladder().pos[me] as usize;
    Some(LadderView {
        at: if here == 0 { "the foot of your ladder".into() } else { format!("\"{}\"", steps[here - 1].name) },
        next: steps.get(here).map(|s| s.name.clone()),
        can_step_down: m.reversible && here > 0,
        chosen: match game.ladder_choice() {
            LadderChoice::Hold => "hold",
            LadderChoice::Escalate => "escalate",
            LadderChoice::StepDown => "step-down",
        },
    })
}

/// How the game ended and the student's own payoff (the other side's payoff
/// is computed from its private numbers: it is not shown).
fn ending_text(game: &Session<'_>, ending: &Ending) -> String {
    let m = game.model();
    let me = game.player();
    let how = match ending.end {
        End::Agreement => {
            format!("Agreement at round {} on {}.", ending.round, m.describe_outcome(ending.agreement.unwrap_or(0)))
        }
        end => {
            let why = shown::why_no_deal(m, me, end);
            let drawn = &m.disagreement[ending.lottery.unwrap_or(0) as usize].name;
            format!("No deal at round {}: {why}; the conflict lottery drew: {drawn}.", ending.round)
        }
    };
    format!("{how} Your payoff after discounting and costs: {}.", fmt3(ending.payoff[me]))
}

/// One student's line on the teacher's page.
#[derive(Debug, Serialize)]
pub struct StudentRow {
    pub id: i64,
    pub nickname: String,
    pub run: u64,
    pub moves: usize,
    pub round: u32,
    /// "playing", or how the game ended.
    pub state: String,
    pub over: bool,
    pub deal: bool,
}

/// The teacher's overview: who has joined, where each student is, the deals so far.
#[derive(Debug, Serialize)]
pub struct TeacherView {
    pub scenario: String,
    pub seat: String,
    pub join_code: String,
    pub closed: bool,
    pub joined: usize,
    pub finished: usize,
    pub deals: usize,
    pub students: Vec<StudentRow>,
}

impl TeacherView {
    pub fn of(room: &Classroom) -> Result<Self, ClassroomError> {
        let m = room.model();
        let mut students = Vec::with_capacity(room.students().len());
        for s in room.students() {
            let game = room.replay(s).map_err(ClassroomError::Corrupt)?;
            let ending = game.ending();
            let state = match ending {
                None => "playing".to_string(),
                Some(e) => match e.end {
                    End::Agreement => format!("deal: {}", m.describe_outcome(e.agreement.unwrap_or(0))),
                    End::Deadline => "no deal: deadline".into(),
                    End::Breakdown => "no deal: breakdown".into(),
                    End::WalkAway(a) if a == game.player() => "no deal: walked away".into(),
                    End::WalkAway(a) => format!("no deal: {} walked away", m.actors[a].id),
                },
            };
            students.push(StudentRow {
                id: s.id,
                nickname: s.nickname.clone(),
                run: s.run,
                moves: s.moves.len(),
                round: game.round(),
                state,
                over: ending.is_some(),
                deal: ending.is_some_and(|e| e.end == End::Agreement),
            });
        }
        Ok(TeacherView {
            scenario: m.name.clone(),
            seat: m.actors[room.seat].name.clone(),
            join_code: room.setup().join_code.clone(),
            closed: room.is_closed(),
            joined: students.len(),
            finished: students.iter().filter(|s| s.over).count(),
            deals: students.iter().filter(|s| s.deal).count(),
            students,
        })
    }
}
