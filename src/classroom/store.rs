//! The classroom's embedded database (SQLite, bundled into the binary): the
//! classroom's setup, its students and every move, each written and
//! committed before the move is acknowledged. A game is its moves, so the
//! file alone resumes a session after a crash.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::{ClassSetup, ClassroomError, Student};
use crate::report::classroom_moves::MoveRecord;

/// The schema's version, kept in the file: a file of another version is refused.
const SCHEMA: &str = "1";

pub struct Store {
    db: Connection,
}

impl Store {
    /// A new database at `path` for `setup`; an existing file is never
    /// overwritten (it is a class's record).
    pub fn create(path: &Path, setup: &ClassSetup) -> Result<Self, ClassroomError> {
        if path.exists() {
            return Err(ClassroomError::Exists(path.display().to_string()));
        }
        let db = Connection::open(path)?;
        durable(&db)?;
        db.execute_batch(
            "CREATE TABLE classroom (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE students (
                 id INTEGER PRIMARY KEY, nickname TEXT NOT NULL UNIQUE, token TEXT NOT NULL UNIQUE,
                 run INTEGER NOT NULL, joined_at INTEGER NOT NULL);
             CREATE TABLE moves (
                 student INTEGER NOT NULL REFERENCES students(id), seq INTEGER NOT NULL,
                 line TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (student, seq));",
        )?;
        let tx = db.unchecked_transaction()?;
        for (key, value) in setup.to_pairs().into_iter().chain([("schema", SCHEMA.to_string())]) {
            tx.execute("INSERT INTO classroom (key, value) VALUES (?1, ?2)", params![key, value])?;
        }
        tx.commit()?;
        Ok(Store { db })
    }

    /// An existing database, its setup and its students with their moves in order.
    pub fn open(path: &Path) -> Result<(Self, ClassSetup, Vec<Student>), ClassroomError> {
        if !path.exists() {
            return Err(ClassroomError::Missing(path.display().to_string()));
        }
        let db = Connection::open(path)?;
        durable(&db)?;
        let value = |key: &str| -> Result<String, ClassroomError> {
            db.query_row("SELECT value FROM classroom WHERE key = ?1", [key], |r| r.get(0))
                .optional()?
                .ok_or_else(|| ClassroomError::Corrupt(format!("no `{key}` in the classroom table")))
        };
        let schema = value("schema")?;
        if schema != SCHEMA {
            return Err(ClassroomError::Corrupt(format!("schema version {schema}, this brink reads {SCHEMA}")));
        }
        let setup = ClassSetup::from_pairs(value)?;
        let mut students = Vec::new();
        {
            let mut q = db.prepare("SELECT id, nickname, token, run FROM students ORDER BY id")?;
            let rows = q.query_map([], |r| {
                Ok(Student {
                    id: r.get(0)?,
                    nickname: r.get(1)?,
                    token: r.get(2)?,
                    run: r.get::<_, i64>(3)? as u64,
                    moves: Vec::new(),
                })
            })?;
            for s in rows {
                students.push(s?);
            }
            let mut q = db.prepare("SELECT seq, line FROM moves WHERE student = ?1 ORDER BY seq")?;
            for s in &mut students {
                let rows = q.query_map([s.id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
                for (k, row) in rows.enumerate() {
                    let (seq, line) = row?;
                    if seq != k as i64 {
                        return Err(ClassroomError::Corrupt(format!("student {} misses move {k}", s.nickname)));
                    }
                    s.moves.push(line);
                }
            }
        }
        Ok((Store { db }, setup, students))
    }

    /// Records a student; committed when this returns.
    pub fn add_student(&self, nickname: &str, token: &str, run: u64) -> Result<i64, ClassroomError> {
        self.db.execute(
            "INSERT INTO students (nickname, token, run, joined_at) VALUES (?1, ?2, ?3, ?4)",
            params![nickname, token, run as i64, now_ms()],
        )?;
        Ok(self.db.last_insert_rowid())
    }

    /// Records moves `seq`, `seq + 1`, ... of a student in one transaction
    /// (a ladder move and the rejection it goes with land together or not at
    /// all); committed (on disk, `synchronous = FULL`) when this returns. The
    /// key (student, seq) refuses a second move with the same number.
    pub fn add_moves(&self, student: i64, seq: u32, lines: &[String]) -> Result<(), ClassroomError> {
        let tx = self.db.unchecked_transaction()?;
        let at = now_ms();
        for (k, line) in lines.iter().enumerate() {
            tx.execute(
                "INSERT INTO moves (student, seq, line, at) VALUES (?1, ?2, ?3, ?4)",
                params![student, seq + k as u32, line, at],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Whether the teacher closed the session.
    pub fn closed(&self) -> Result<bool, ClassroomError> {
        let v: Option<String> =
            self.db.query_row("SELECT value FROM classroom WHERE key = 'closed'", [], |r| r.get(0)).optional()?;
        Ok(v.as_deref() == Some("1"))
    }

    /// Records that the session is closed (or open again).
    pub fn set_closed(&self, closed: bool) -> Result<(), ClassroomError> {
        self.db.execute(
            "INSERT OR REPLACE INTO classroom (key, value) VALUES ('closed', ?1)",
            [if closed { "1" } else { "0" }],
        )?;
        Ok(())
    }
}

impl Store {
    /// Every stored move with its student and time, in the order they were made.
    pub fn move_log(&self) -> Result<Vec<MoveRecord>, ClassroomError> {
        let mut q = self.db.prepare(
            "SELECT m.student, s.nickname, m.seq, m.line, m.at FROM moves m JOIN students s ON s.id = m.student
             ORDER BY m.at, m.student, m.seq",
        )?;
        let rows = q.query_map([], |r| {
            Ok(MoveRecord {
                student: r.get(0)?,
                nickname: r.get(1)?,
                seq: r.get(2)?,
                line: r.get(3)?,
                at_ms: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Each write reaches the disk before it is acknowledged: WAL with a full
/// sync at every commit.
fn durable(db: &Connection) -> Result<(), ClassroomError> {
    db.pragma_update(None, "journal_mode", "WAL")?;
    db.pragma_update(None, "synchronous", "FULL")?;
    db.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}
