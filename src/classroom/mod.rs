//! The classroom (issue 38): students play the scenario's agent, one game
//! each, and every move is written to an embedded database before it is
//! acknowledged, so a crash loses no acknowledged move and `--resume`
//! continues the session from its file. The web server goes on top of this
//! room; the engine stays free of I/O. A game is its moves (the text format
//! of `brink play`'s transcripts, [`crate::engine::moves`]): it is replayed
//! through [`Session`], what `brink play` plays, whenever it is needed, so
//! the rules are `brink play`'s and nothing else is kept in memory.

pub mod server;
pub mod store;
pub mod view;

use std::path::Path;

use crate::engine::moves::{self, Command};
use crate::engine::{Awaiting, Session};
use crate::model::{ActorIdx, Model};
use store::Store;

/// At most this many students in one classroom.
pub const MAX_STUDENTS: usize = 500;
/// A nickname's length at most, in characters.
pub const MAX_NICKNAME: usize = 32;
/// A move line's length at most, in bytes (an offer names one option per issue).
pub const MAX_MOVE_LINE: usize = 2_000;

/// What a classroom plays, fixed when it is created and stored with it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassSetup {
    /// The scenario's name as given (a built-in's name or a file's path).
    pub scenario: String,
    /// The scenario's text, as played: the record replays on it.
    pub scenario_text: String,
    pub variants: Vec<String>,
    /// `--set PATH=VALUE` overrides, as written.
    pub sets: Vec<String>,
    pub seed: u64,
    /// The actor the students play (its id).
    pub seat: String,
    /// The short code students type to join.
    pub join_code: String,
    /// The secret in the teacher's link.
    pub teacher_token: String,
}

impl ClassSetup {
    /// A new classroom's setup: the scenario as played (its name and text,
    /// the variants and overrides applied to it), the seed and the seat the
    /// students take, with a fresh join code (6 characters) and teacher key.
    pub fn new(
        scenario: &str,
        scenario_text: &str,
        variants: &[String],
        sets: &[String],
        seed: u64,
        seat: &str,
    ) -> Self {
        ClassSetup {
            scenario: scenario.to_string(),
            scenario_text: scenario_text.to_string(),
            variants: variants.to_vec(),
            sets: sets.to_vec(),
            seed,
            seat: seat.to_string(),
            join_code: secret(6),
            teacher_token: secret(32),
        }
    }

    fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let list = |v: &[String]| serde_json::to_string(v).unwrap_or_default();
        vec![
            ("scenario", self.scenario.clone()),
            ("scenario_text", self.scenario_text.clone()),
            ("variants", list(&self.variants)),
            ("sets", list(&self.sets)),
            ("seed", self.seed.to_string()),
            ("seat", self.seat.clone()),
            ("join_code", self.join_code.clone()),
            ("teacher_token", self.teacher_token.clone()),
        ]
    }

    fn from_pairs(value: impl Fn(&str) -> Result<String, ClassroomError>) -> Result<Self, ClassroomError> {
        let list = |key: &str| -> Result<Vec<String>, ClassroomError> {
            serde_json::from_str(&value(key)?).map_err(|e| ClassroomError::Corrupt(format!("`{key}`: {e}")))
        };
        let seed = value("seed")?;
        Ok(ClassSetup {
            scenario: value("scenario")?,
            scenario_text: value("scenario_text")?,
            variants: list("variants")?,
            sets: list("sets")?,
            seed: seed.parse().map_err(|_| ClassroomError::Corrupt(format!("seed {seed:?}")))?,
            seat: value("seat")?,
            join_code: value("join_code")?,
            teacher_token: value("teacher_token")?,
        })
    }
}

/// One student and their game, as its moves.
#[derive(Debug, Clone, PartialEq)]
pub struct Student {
    pub id: i64,
    pub nickname: String,
    /// The secret of the student's cookie: it opens this game only.
    pub(crate) token: String,
    /// The run the student plays: its draws (the other side's hidden numbers) are the run's.
    pub run: u64,
    /// The moves played, in the text format, in order.
    pub moves: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ClassroomError {
    #[error("the classroom's database: {0}")]
    Store(#[from] rusqlite::Error),
    #[error(
        "{0} exists already: a classroom's database is never overwritten; resume it with --resume {0}, or name a new file"
    )]
    Exists(String),
    #[error("{0} does not exist: give the database file a classroom was started with")]
    Missing(String),
    #[error("the classroom's database is damaged or not a classroom's: {0}")]
    Corrupt(String),
    #[error("the scenario the classroom was started with no longer loads: {0}")]
    Scenario(String),
    #[error(
        "a nickname needs 1 to {MAX_NICKNAME} characters, letters, digits, spaces, '-' or '_', starting with a letter or digit"
    )]
    BadNickname,
    #[error("the nickname {0:?} is taken: choose another")]
    NicknameTaken(String),
    #[error("the classroom is full ({MAX_STUDENTS} students)")]
    Full,
    #[error("no student has this key: join the classroom again")]
    UnknownStudent,
    #[error("move {got} was sent, but the game is at move {expected}: reload the page")]
    OutOfOrder { expected: u32, got: u32 },
    #[error("a move line holds at most {MAX_MOVE_LINE} bytes")]
    LongMove,
    #[error("{0}")]
    BadMove(String),
    #[error("the teacher has closed the session: no more joins or moves")]
    Closed,
}

/// A classroom: its model, its setup, its students and its database.
pub struct Classroom {
    model: Model,
    seat: ActorIdx,
    setup: ClassSetup,
    store: Store,
    students: Vec<Student>,
    closed: bool,
}

impl Classroom {
    /// A new classroom with its database at `path` (a new file).
    pub fn create(path: &Path, setup: ClassSetup, model: Model) -> Result<Self, ClassroomError> {
        let seat = seat_of(&model, &setup)?;
        let store = Store::create(path, &setup)?;
        Ok(Classroom { model, seat, setup, store, students: Vec::new(), closed: false })
    }

    /// The classroom stored at `path`, resumed: `load` compiles the stored
    /// scenario text with the stored variants and overrides. Every stored
    /// game is replayed, so a damaged record is found now, not mid-class.
    pub fn resume(
        path: &Path,
        load: impl FnOnce(&ClassSetup) -> Result<Model, String>,
    ) -> Result<Self, ClassroomError> {
        let (store, setup, students) = Store::open(path)?;
        let model = load(&setup).map_err(ClassroomError::Scenario)?;
        let seat = seat_of(&model, &setup)?;
        let closed = store.closed()?;
        let room = Classroom { model, seat, setup, store, students, closed };
        for s in &room.students {
            room.replay(s)
                .map_err(|e| ClassroomError::Corrupt(format!("the game of {} does not replay: {e}", s.nickname)))?;
        }
        Ok(room)
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn setup(&self) -> &ClassSetup {
        &self.setup
    }

    pub fn students(&self) -> &[Student] {
        &self.students
    }

    /// Whether the teacher has closed the session (stored: it stays closed
    /// after a restart until [`reopen`](Self::reopen)).
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Closes the session: no more joins or moves; the record stays readable.
    pub fn close(&mut self) -> Result<(), ClassroomError> {
        self.store.set_closed(true)?;
        self.closed = true;
        Ok(())
    }

    /// Opens a closed session again (`brink classroom --resume`).
    pub fn reopen(&mut self) -> Result<(), ClassroomError> {
        self.store.set_closed(false)?;
        self.closed = false;
        Ok(())
    }

    /// A new student: their key (for the cookie) is returned once. Each
    /// student plays a run of their own, so each meets other hidden numbers.
    pub fn join(&mut self, nickname: &str) -> Result<(i64, String), ClassroomError> {
        if self.closed {
            return Err(ClassroomError::Closed);
        }
        let nickname = nickname.trim();
        // The first character is a letter or digit: a spreadsheet opening
        // the moves' CSV reads a cell starting with '-' as a formula.
        let fits = (1..=MAX_NICKNAME).contains(&nickname.chars().count())
            && nickname.chars().next().is_some_and(char::is_alphanumeric)
            && nickname.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '_');
        if !fits {
            return Err(ClassroomError::BadNickname);
        }
        if self.students.iter().any(|s| s.nickname.eq_ignore_ascii_case(nickname)) {
            return Err(ClassroomError::NicknameTaken(nickname.to_string()));
        }
        if self.students.len() >= MAX_STUDENTS {
            return Err(ClassroomError::Full);
        }
        let token = secret(32);
        let run = self.students.len() as u64;
        let id = self.store.add_student(nickname, &token, run)?;
        self.students.push(Student {
            id,
            nickname: nickname.to_string(),
            token: token.clone(),
            run,
            moves: Vec::new(),
        });
        Ok((id, token))
    }

    /// The student whose key is `token`.
    pub fn student(&self, token: &str) -> Result<&Student, ClassroomError> {
        Ok(&self.students[self.position(token)?])
    }

    fn position(&self, token: &str) -> Result<usize, ClassroomError> {
        // Keys are compared in full, whatever the first difference: no timing hint.
        let same = |key: &str| {
            key.len() == token.len() && key.bytes().zip(token.bytes()).fold(0, |d, (a, b)| d | (a ^ b)) == 0
        };
        self.students.iter().position(|s| same(&s.token)).ok_or(ClassroomError::UnknownStudent)
    }

    /// The student's game as it stands.
    pub fn game(&self, token: &str) -> Result<Session<'_>, ClassroomError> {
        let s = self.student(token)?;
        self.replay(s).map_err(ClassroomError::Corrupt)
    }

    /// Plays move number `seq` (0 for the first) of the student with key
    /// `token`, written as `brink play` writes it. The move is checked on
    /// the replayed game, then stored; only then is the game returned. A
    /// move out of order (a replayed request, a stale page) or one the game
    /// refuses changes nothing.
    pub fn play(&mut self, token: &str, seq: u32, line: &str) -> Result<Session<'_>, ClassroomError> {
        self.play_all(token, seq, &[line])
    }

    /// Plays moves `seq`, `seq + 1`, ... as one: all are checked, then all
    /// stored in one transaction, or none is (a ladder move goes with the
    /// rejection that makes it).
    pub fn play_all(&mut self, token: &str, seq: u32, lines: &[&str]) -> Result<Session<'_>, ClassroomError> {
        if self.closed {
            return Err(ClassroomError::Closed);
        }
        if lines.iter().map(|l| l.len()).sum::<usize>() > MAX_MOVE_LINE {
            return Err(ClassroomError::LongMove);
        }
        let k = self.position(token)?;
        let expected = self.students[k].moves.len() as u32;
        if seq != expected {
            return Err(ClassroomError::OutOfOrder { expected, got: seq });
        }
        let mut game = self.replay(&self.students[k]).map_err(ClassroomError::Corrupt)?;
        let mut written = Vec::with_capacity(lines.len());
        for line in lines {
            written.push(match moves::parse(&self.model, line) {
                Ok(Some(Command::Move(mv))) => {
                    game.play(mv).map_err(|e| ClassroomError::BadMove(e.to_string()))?;
                    moves::line(&self.model, mv)
                }
                Ok(Some(Command::Ladder(choice))) => {
                    game.choose_ladder(choice).map_err(|e| ClassroomError::BadMove(e.to_string()))?;
                    moves::ladder_line(choice)
                }
                Ok(Some(Command::Help) | None) => return Err(ClassroomError::BadMove("not a move".into())),
                Err(e) => return Err(ClassroomError::BadMove(e)),
            });
        }
        drop(game);
        self.store.add_moves(self.students[k].id, seq, &written)?;
        self.students[k].moves.extend(written);
        self.replay(&self.students[k]).map_err(ClassroomError::Corrupt)
    }

    /// A student's game replayed from its stored moves.
    fn replay(&self, s: &Student) -> Result<Session<'_>, String> {
        let mut game = Session::start(&self.model, self.setup.seed, s.run, self.seat);
        for (k, line) in s.moves.iter().enumerate() {
            let bad = |e: String| format!("move {} ({line:?}): {e}", k + 1);
            match moves::parse(&self.model, line).map_err(bad)? {
                Some(Command::Move(mv)) => game.play(mv).map_err(|e| bad(e.to_string()))?,
                Some(Command::Ladder(choice)) => game.choose_ladder(choice).map_err(|e| bad(e.to_string()))?,
                Some(Command::Help) | None => return Err(bad("not a move".into())),
            }
        }
        Ok(game)
    }

    /// Each finished game as the transcript `brink play --save` writes (what
    /// `brink class` reads, replays and ranks), named by the student's
    /// nickname, in the order the students joined. Games still in play are
    /// left out.
    pub fn transcripts(&self) -> Vec<(&Student, serde_json::Value)> {
        self.students.iter().filter_map(|s| Some((s, self.transcript_of(s)?))).collect()
    }

    /// The student's game as the transcript `brink play --save` writes, if it is over.
    pub fn transcript_of(&self, s: &Student) -> Option<serde_json::Value> {
        let sha = crate::montecarlo::shard::sha256_hex(self.setup.scenario_text.as_bytes());
        let game = self.replay(s).ok()?;
        let ending = *game.ending()?;
        let record = crate::report::play::PlayRecord {
            name: Some(&s.nickname),
            scenario_file: &self.setup.scenario,
            scenario_sha256: &sha,
            scenario_text: &self.setup.scenario_text,
            variants: &self.setup.variants,
            overrides: &self.setup.sets,
            moves: &s.moves,
        };
        Some(crate::report::play::transcript_json(&game, &ending, self.setup.seed, s.run, &record))
    }

    /// Every acknowledged move with its student and time (for the CSV and
    /// JSON export: `report::classroom_moves`).
    pub fn move_log(&self) -> Result<Vec<crate::report::classroom_moves::MoveRecord>, ClassroomError> {
        self.store.move_log()
    }

    /// Whether the student's game is over.
    pub fn is_over(&self, token: &str) -> Result<bool, ClassroomError> {
        Ok(self.game(token)?.awaiting() == Awaiting::Over)
    }
}

/// The model a stored classroom plays: its scenario text with its variants
/// and overrides, compiled as when it was created (for [`Classroom::resume`]).
pub fn load_model(setup: &ClassSetup) -> Result<Model, String> {
    let overrides = setup
        .sets
        .iter()
        .map(|s| crate::scenario::overrides::parse_override(s).map_err(|e| format!("--set {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let adjustments = crate::scenario::Adjustments { variants: setup.variants.clone(), overrides };
    crate::scenario::load_bytes_adjusted(&setup.scenario, setup.scenario_text.as_bytes(), &adjustments)
        .map(|(_, model)| model)
        .map_err(|e| e.to_string())
}

fn seat_of(model: &Model, setup: &ClassSetup) -> Result<ActorIdx, ClassroomError> {
    model
        .actor_index(&setup.seat)
        .ok_or_else(|| ClassroomError::Scenario(format!("the scenario has no actor `{}`", setup.seat)))
}

/// `n` characters a person can read aloud and type (no 0/O, 1/I/l), from
/// the operating system's randomness by way of the thread's generator: not
/// guessable in practice, and nothing to do with any run's randomness.
pub fn secret(n: usize) -> String {
    use rand::RngExt;
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    (0..n).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests;
