//! Everything brink prints goes through here: control characters from
//! user-supplied strings (scenario names, comments shown in diagnostics,
//! file names) are escaped so that they cannot drive the terminal, and a
//! closed stdout (`brink analyze … | head -1`) or a full disk ends brink
//! with one line on stderr instead of a panic.

use std::borrow::Cow;
use std::io::Write;
use std::sync::Mutex;

/// The first error writing stdout; later writes are skipped.
static STDOUT_FAILED: Mutex<Option<std::io::ErrorKind>> = Mutex::new(None);

/// `text` with every control character except newline and tab written as
/// `\u001b` (valid inside JSON strings too, where serde_json leaves C1
/// controls such as U+009B raw).
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Writes to stdout, escaped. After the first failure (a closed pipe, a
/// full disk) nothing more is written; [`stdout_failure`] reports it.
pub fn write_out(args: std::fmt::Arguments<'_>) {
    let mut failed = STDOUT_FAILED.lock().unwrap_or_else(|e| e.into_inner());
    if failed.is_some() {
        return;
    }
    let text = std::fmt::format(args);
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(escape_controls(&text).as_bytes()).and_then(|_| stdout.flush()) {
        *failed = Some(e.kind());
    }
}

/// Writes to stderr, escaped; a failure to write stderr is ignored (there
/// is nowhere left to report it).
pub fn write_err(args: std::fmt::Arguments<'_>) {
    let text = std::fmt::format(args);
    let _ = std::io::stderr().lock().write_all(escape_controls(&text).as_bytes());
}

/// Writes `value` to stdout as pretty JSON and a newline, streaming (no
/// string of the whole document is built), with the same escaping as text.
pub fn write_json(value: &impl serde::Serialize) {
    let mut failed = STDOUT_FAILED.lock().unwrap_or_else(|e| e.into_inner());
    if failed.is_some() {
        return;
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, SafeFormatter::default());
    let result = value
        .serialize(&mut serializer)
        .map_err(|e| e.io_error_kind().unwrap_or(std::io::ErrorKind::InvalidData))
        .and_then(|_| out.write_all(b"\n").and_then(|_| out.flush()).map_err(|e| e.kind()));
    if let Err(kind) = result {
        *failed = Some(kind);
    }
}

/// serde_json's pretty printer, escaping in strings the control characters
/// serde_json leaves raw (C1 controls, bidirectional overrides).
#[derive(Default)]
struct SafeFormatter(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, fragment: &str) -> std::io::Result<()> {
        w.write_all(escape_controls(fragment).as_bytes())
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Flushes stdout and says whether writing it failed, as the exit status
/// and the one line to print.
pub fn stdout_failure() -> Option<(u8, String)> {
    let mut failed = STDOUT_FAILED.lock().unwrap_or_else(|e| e.into_inner());
    if failed.is_none()
        && let Err(e) = std::io::stdout().lock().flush()
    {
        *failed = Some(e.kind());
    }
    match (*failed)? {
        // 141 = 128 + SIGPIPE, what a shell reports for a writer whose reader went away.
        std::io::ErrorKind::BrokenPipe => {
            Some((141, "brink: stdout was closed before all output was written; stopped".into()))
        }
        kind => Some((1, format!("error: cannot write to stdout: {}", std::io::Error::from(kind)))),
    }
}

/// `print!` through [`write_out`].
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::terminal::write_out(format_args!($($arg)*)) };
}

/// `println!` through [`write_out`].
macro_rules! outln {
    () => { $crate::cli::terminal::write_out(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::terminal::write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprint!` through [`write_err`].
macro_rules! err {
    ($($arg:tt)*) => { $crate::cli::terminal::write_err(format_args!($($arg)*)) };
}

/// `eprintln!` through [`write_err`].
macro_rules! errln {
    () => { $crate::cli::terminal::write_err(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::terminal::write_err(format_args!("{}\n", format_args!($($arg)*))) };
}

pub(crate) use {err, errln, out, outln};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_made_visible_and_newlines_kept() {
        assert_eq!(escape_controls("a\u{1b}[2Jb\n\tc"), "a\\u001b[2Jb\n\tc");
        assert_eq!(escape_controls("\u{9b}31m"), "\\u009b31m");
        assert!(matches!(escape_controls("plain"), Cow::Borrowed(_)));
    }
}
