//! The classroom's record of every move, with its time, as CSV and JSON:
//! for a teacher's spreadsheet or an analysis in pandas (the games
//! themselves export as `brink play` transcripts).

use serde::Serialize;
use serde_json::{Value, json};

/// One acknowledged move.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoveRecord {
    pub student: i64,
    pub nickname: String,
    /// The move's number in the student's game, from 0.
    pub seq: u32,
    /// The move in `brink play`'s text format.
    pub line: String,
    /// When it was acknowledged: milliseconds since 1970-01-01 UTC.
    pub at_ms: i64,
}

/// One row per move, in the order given, under a header row (there even
/// when no move has been made yet).
pub fn csv(moves: &[MoveRecord]) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    w.write_record(["student", "nickname", "seq", "line", "at_ms"])?;
    for m in moves {
        w.serialize(m)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes).expect("the CSV writer writes UTF-8 from UTF-8"))
}

/// `{"moves": [...]}`, one object per move.
pub fn json(moves: &[MoveRecord]) -> Value {
    json!({ "moves": moves })
}
