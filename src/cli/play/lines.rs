//! Moves read from stdin line by line, with a bound: `BufRead::lines` would
//! grow one buffer without end on input with no line end (`/dev/zero`) and
//! abort on a failed allocation. Here a line longer than the bound is
//! refused, and a line that is not UTF-8 is named by its number.

use std::io::BufRead;

/// The longest line of moves read (bytes, without its line end). A real move
/// is a few hundred bytes; far longer lines are still read (and refused as
/// unknown moves) up to this bound, beyond which the input is not moves.
pub const MAX_MOVE_LINE_BYTES: usize = 64 * 1024 * 1024;

/// Why a line of moves could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    #[error("line {line} of the moves is not UTF-8 text (byte {byte} is not); save the moves as UTF-8")]
    NotUtf8 { line: u64, byte: usize },
    #[error(
        "line {line} of the moves has no line end within {limit} bytes; stdin does not hold moves \
         (one per line: accept, reject, walk, offer ISSUE=OPTION ...)"
    )]
    TooLong { line: u64, limit: usize },
    #[error("cannot read moves from stdin: {0}")]
    Io(#[from] std::io::Error),
}

/// The lines of `input`, each at most `limit` bytes.
pub struct BoundedLines<R> {
    input: R,
    limit: usize,
    line: u64,
    buf: Vec<u8>,
    /// After an error the input is not read further.
    failed: bool,
}

impl<R: BufRead> BoundedLines<R> {
    pub fn new(input: R, limit: usize) -> Self {
        BoundedLines { input, limit, line: 0, buf: Vec::new(), failed: false }
    }
}

impl<R: BufRead> Iterator for BoundedLines<R> {
    type Item = Result<String, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let next = self.read_line();
        self.failed = matches!(next, Some(Err(_)));
        next
    }
}

impl<R: BufRead> BoundedLines<R> {
    fn read_line(&mut self) -> Option<Result<String, LineError>> {
        self.buf.clear();
        self.line += 1;
        loop {
            let available = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e.into())),
            };
            if available.is_empty() {
                if self.buf.is_empty() {
                    return None;
                }
                break;
            }
            let (take, end) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (available.len(), false),
            };
            if self.buf.len() + take > self.limit {
                return Some(Err(LineError::TooLong { line: self.line, limit: self.limit }));
            }
            self.buf.extend_from_slice(&available[..take]);
            self.input.consume(take + usize::from(end));
            if end {
                break;
            }
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        match std::str::from_utf8(&self.buf) {
            Ok(s) => Some(Ok(s.to_string())),
            Err(e) => Some(Err(LineError::NotUtf8 { line: self.line, byte: e.valid_up_to() + 1 })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], limit: usize) -> Vec<Result<String, String>> {
        BoundedLines::new(input, limit).map(|r| r.map_err(|e| e.to_string())).collect()
    }

    #[test]
    fn lines_are_split_as_bufread_splits_them() {
        assert_eq!(lines(b"accept\r\nwalk\nlast", 100), [Ok("accept".into()), Ok("walk".into()), Ok("last".into())]);
        assert!(lines(b"", 100).is_empty());
        assert_eq!(lines(b"\n\n", 100), [Ok(String::new()), Ok(String::new())]);
    }

    #[test]
    fn a_line_at_the_bound_is_read_and_one_past_it_refused() {
        assert_eq!(lines(b"12345\n", 5), [Ok("12345".into())]);
        let got = lines(b"ok\n123456\n", 5);
        assert_eq!(got[0], Ok("ok".into()));
        assert!(got[1].as_ref().unwrap_err().contains("line 2 of the moves has no line end within 5 bytes"));
        assert_eq!(got.len(), 2, "nothing is read after an error");
    }

    #[test]
    fn an_endless_line_is_refused_without_reading_it_all() {
        let endless = std::io::BufReader::new(std::io::repeat(0));
        let first = BoundedLines::new(endless, 1 << 20).next().unwrap();
        assert!(matches!(first, Err(LineError::TooLong { line: 1, .. })));
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let got = lines(b"accept\nab\xffc\n", 100);
        assert_eq!(
            got[1],
            Err("line 2 of the moves is not UTF-8 text (byte 3 is not); save the moves as UTF-8".into())
        );
    }
}
