//! The one-file counterpart of the output-folder contract: brink writes a
//! single file (a transcript) only where nothing is, or over a file of the
//! same kind that it wrote itself, and then only when told to (`--force`).
//!
//! The rules:
//! - never over an input of the command (the scenario being played), not
//!   even with `--force`;
//! - never through a symbolic link, onto a folder or onto a special file;
//! - never over a file brink did not write; over one it did, only with force;
//! - the bytes go to a hidden temporary file beside the target, then into
//!   place in one step: a new file by a hard link that fails if the name was
//!   taken meanwhile, a replaced file by rename. The temporary file is
//!   removed whatever happens, so a refusal or a failure leaves nothing.
//!
//! Refusals are [`OutputError::Refused`] (the user's to fix, exit 2).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::output_dir::OutputError;

/// Where one output file goes, and what may already be there.
#[derive(Clone, Copy)]
pub struct FileTarget<'a> {
    pub path: &'a Path,
    /// The files this command reads: never written over.
    pub inputs: &'a [&'a Path],
    /// What the file is, for messages ("transcript").
    pub kind: &'a str,
    /// The flag that names the file ("--save"), for messages.
    pub flag: &'a str,
    /// The extension of such files ("json"), for the names suggested.
    pub extension: &'a str,
    /// Recognises a file of this kind that brink wrote.
    pub ours: fn(&Path) -> bool,
    /// Replace a file of this kind that brink wrote (`--force`).
    pub force: bool,
}

/// What a check found at the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    Nothing,
    OursToReplace,
}

impl FileTarget<'_> {
    /// Refuses a target that must not be written; call it before the work,
    /// so that nothing is done for a file that could not be saved.
    pub fn check(&self) -> Result<(), OutputError> {
        self.inspect().map(|_| ())
    }

    fn inspect(&self) -> Result<Found, OutputError> {
        let shown = self.path.display();
        let new_name = self.suggestion();
        let meta = match fs::symlink_metadata(self.path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Nothing),
            Err(e) => return Err(io(e, format!("cannot look at {shown}"))),
        };
        let kind = meta.file_type();
        if kind.is_symlink() {
            return Err(refused(format!(
                "{shown} is a symbolic link; brink never writes a {} through a link. Save to a new file: {} {new_name}",
                self.kind, self.flag
            )));
        }
        if kind.is_dir() {
            return Err(refused(format!(
                "{shown} is a folder; name a new file inside it: {} {}",
                self.flag,
                self.path.join(format!("NAME.{}", self.extension)).display()
            )));
        }
        if !kind.is_file() {
            return Err(refused(format!(
                "{shown} is not a regular file; save the {} to a new file: {} {new_name}",
                self.kind, self.flag
            )));
        }
        if let Some(input) = self.inputs.iter().find(|i| same_file(i, self.path)) {
            let which = if *input == self.path { String::new() } else { format!(" (as {})", input.display()) };
            return Err(refused(format!(
                "{shown} is an input of this command{which}; brink never writes over its inputs. \
                 Save the {} to a new file: {} {new_name}",
                self.kind, self.flag
            )));
        }
        if !(self.ours)(self.path) {
            return Err(refused(format!(
                "{shown} already exists and is not a {} brink wrote; brink never writes over it. \
                 Save to a new file: {} {new_name}",
                self.kind, self.flag
            )));
        }
        if !self.force {
            return Err(refused(format!(
                "{shown} already holds a {}; save to a new file ({} {new_name}), \
                 or replace it with --force",
                self.kind, self.flag
            )));
        }
        Ok(Found::OursToReplace)
    }

    /// Writes `bytes` to the target, checking it again first (the file
    /// system may have changed since [`FileTarget::check`]).
    pub fn write(&self, bytes: &[u8]) -> Result<(), OutputError> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(|e| io(e, format!("cannot create {}", dir.display())))?;
        }
        let found = self.inspect()?;
        let tmp = temporary_name(self.path);
        let result = self.write_through(&tmp, found, bytes);
        fs::remove_file(&tmp).ok();
        result
    }

    fn write_through(&self, tmp: &Path, found: Found, bytes: &[u8]) -> Result<(), OutputError> {
        let shown = self.path.display();
        fs::remove_file(tmp).ok();
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(tmp)
            .map_err(|e| io(e, format!("cannot write {}", tmp.display())))?;
        file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|e| io(e, format!("cannot write {shown}")))?;
        drop(file);
        match found {
            Found::OursToReplace => fs::rename(tmp, self.path).map_err(|e| io(e, format!("cannot write {shown}"))),
            Found::Nothing => match fs::hard_link(tmp, self.path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(refused(format!(
                    "{shown} appeared while brink was working; nothing was written. Save to a new file: {} {}",
                    self.flag,
                    self.suggestion()
                ))),
                // A file system without hard links: the name was free a
                // moment ago, so a rename is the next best thing.
                Err(_) => fs::rename(tmp, self.path).map_err(|e| io(e, format!("cannot write {shown}"))),
            },
        }
    }

    /// A free name beside the target: `NAME-2.EXT`, `NAME-3.EXT`, ...
    fn suggestion(&self) -> String {
        let stem = self.path.file_stem().map_or("transcript".into(), |s| s.to_string_lossy().into_owned());
        let ext = self.extension;
        let dir = self.path.parent().unwrap_or(Path::new(""));
        let mut k = 2;
        loop {
            let candidate = dir.join(format!("{stem}-{k}.{ext}"));
            if fs::symlink_metadata(&candidate).is_err() || k > 1000 {
                return candidate.display().to_string();
            }
            k += 1;
        }
    }
}

/// `.NAME.tmp-PID` beside `path`: hidden, and never the target itself.
fn temporary_name(path: &Path) -> PathBuf {
    let name = path.file_name().map_or("output".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Whether `a` and `b` are one file (the same inode, whatever the path).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (fs::metadata(a), fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
        false
    }
    #[cfg(not(unix))]
    {
        matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
    }
}

fn refused(why: String) -> OutputError {
    OutputError::Refused(why)
}

fn io(e: std::io::Error, what: impl std::fmt::Display) -> OutputError {
    OutputError::Io(anyhow::anyhow!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("brink-output-file-{name}-{}", std::process::id()));
        fs::remove_dir_all(&d).ok();
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn starts_with_ours(p: &Path) -> bool {
        fs::read(p).is_ok_and(|b| b.starts_with(b"ours"))
    }

    fn target<'a>(path: &'a Path, inputs: &'a [&'a Path], force: bool) -> FileTarget<'a> {
        FileTarget {
            path,
            inputs,
            kind: "transcript",
            flag: "--save",
            extension: "json",
            ours: starts_with_ours,
            force,
        }
    }

    fn refusal(r: Result<(), OutputError>) -> String {
        match r {
            Err(OutputError::Refused(why)) => why,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_new_file_is_written_and_nothing_else_is_left() {
        let d = scratch("new");
        let p = d.join("sub/t.json");
        target(&p, &[], false).write(b"ours 1").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"ours 1");
        assert_eq!(fs::read_dir(d.join("sub")).unwrap().count(), 1);
    }

    #[test]
    fn a_foreign_file_is_refused_even_with_force() {
        let d = scratch("foreign");
        let p = d.join("notes.json");
        fs::write(&p, "mine").unwrap();
        let why = refusal(target(&p, &[], true).write(b"ours"));
        assert!(why.contains("not a transcript brink wrote") && why.contains("--save"), "{why}");
        assert_eq!(fs::read(&p).unwrap(), b"mine");
        assert_eq!(fs::read_dir(&d).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn our_own_file_is_replaced_only_with_force() {
        let d = scratch("own");
        let p = d.join("t.json");
        fs::write(&p, "ours old").unwrap();
        assert!(refusal(target(&p, &[], false).write(b"ours new")).contains("--force"));
        assert_eq!(fs::read(&p).unwrap(), b"ours old");
        target(&p, &[], true).write(b"ours new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"ours new");
        assert_eq!(fs::read_dir(&d).unwrap().count(), 1);
    }

    #[test]
    fn an_input_is_refused_even_when_it_looks_like_ours() {
        let d = scratch("input");
        let p = d.join("s.toml");
        fs::write(&p, "ours").unwrap();
        let link = d.join("hard.toml");
        fs::hard_link(&p, &link).unwrap();
        let why = refusal(target(&link, &[&p], true).write(b"ours x"));
        assert!(why.contains("an input of this command"), "{why}");
        assert_eq!(fs::read(&p).unwrap(), b"ours");
    }

    #[cfg(unix)]
    #[test]
    fn links_and_folders_are_refused_and_leave_nothing() {
        let d = scratch("links");
        let real = d.join("real.json");
        fs::write(&real, "ours").unwrap();
        let link = d.join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(refusal(target(&link, &[], true).write(b"ours x")).contains("symbolic link"));
        let folder = d.join("adir");
        fs::create_dir(&folder).unwrap();
        assert!(refusal(target(&folder, &[], true).write(b"ours x")).contains("is a folder"));
        let mut names: Vec<String> =
            fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert_eq!(names, ["adir", "link.json", "real.json"]);
        assert_eq!(fs::read(&real).unwrap(), b"ours");
    }
}
