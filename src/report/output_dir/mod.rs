//! The output-folder contract: brink deletes or replaces only what it can
//! prove it wrote itself.
//!
//! Files are written into a staging folder beside the destination; on
//! commit, the previous results (if any) are moved aside and the staging
//! folder takes their place, so the destination always holds one complete
//! set: the old one or the new one. The rules, documented for users in
//! docs/output-formats.md:
//!
//! - every output folder holds a marker, `.brink-output`, listing the files
//!   brink wrote; only those are ever deleted, and a folder holding anything
//!   else (a file of the user's, an input of this command) is refused;
//! - a folder without the marker is used only when it is empty;
//! - a symlinked destination is followed: the folder it points to is
//!   replaced, the link stays;
//! - one writer per folder: a lock file `.NAME.lock` beside it refuses a
//!   second brink before it starts work;
//! - staging (`.NAME.partial-PID`) and aside (`.NAME.old-PID`) folders of
//!   processes that died are cleaned by the next run into the same folder.
//!
//! Refusals are [`OutputError::Refused`] (the user's to fix, exit 2).

mod lock;
pub mod marker;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use lock::FolderLock;
pub use lock::process_alive;
use marker::{MARKER, Marker};

/// Why an output folder cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The folder is not brink's to replace, or holds an input, or is in use:
    /// the message says what to do.
    #[error("{0}")]
    Refused(String),
    /// The file system failed (permissions, a full disk).
    #[error(transparent)]
    Io(#[from] anyhow::Error),
}

fn io(e: std::io::Error, what: impl std::fmt::Display) -> OutputError {
    OutputError::Io(anyhow::anyhow!("{what}: {e}"))
}

pub struct OutputSet {
    /// The destination as the user gave it, for messages.
    shown: PathBuf,
    /// The real folder replaced: symlinks resolved, absolute.
    destination: PathBuf,
    staging: PathBuf,
    committed: bool,
    _lock: FolderLock,
}

impl OutputSet {
    /// Prepares to write into `destination`, which must be absent, empty, or
    /// a folder brink wrote holding nothing else; `inputs` are the files and
    /// folders this command reads, which must not be inside it.
    pub fn begin(destination: &Path, inputs: &[&Path]) -> Result<Self, OutputError> {
        let shown = destination.to_path_buf();
        let resolved = resolve(destination)?;
        let (parent, name) = match (resolved.parent(), resolved.file_name()) {
            (Some(p), Some(n)) => (p.to_path_buf(), n.to_string_lossy().into_owned()),
            _ => {
                return Err(OutputError::Refused(format!(
                    "{} cannot be an output folder (brink replaces output folders as a whole); choose a new folder with --out",
                    shown.display()
                )));
            }
        };
        if resolved.exists() && !resolved.is_dir() {
            return Err(OutputError::Refused(format!(
                "{} exists and is not a folder; choose another --out",
                shown.display()
            )));
        }
        for input in inputs {
            if let Ok(real) = fs::canonicalize(input)
                && real.starts_with(&resolved)
            {
                let what = if real == resolved {
                    "is an input of this command".to_string()
                } else {
                    format!("holds {}, an input of this command", input.display())
                };
                return Err(OutputError::Refused(format!(
                    "{} {what}; brink replaces its output folders as a whole, \
                     so choose another --out (or move the input elsewhere)",
                    shown.display(),
                )));
            }
        }
        let lock = FolderLock::acquire(&parent.join(format!(".{name}.lock")), &shown)?;
        clean_stale(&parent, &name);
        check_owned(&resolved, &shown, "already holds")?;
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).ok();
        }
        fs::create_dir_all(&staging).map_err(|e| io(e, format!("cannot create {}", staging.display())))?;
        fs::write(staging.join(MARKER), Marker::new(BTreeSet::new()).to_text())
            .map_err(|e| io(e, format!("cannot write in {}", staging.display())))?;
        Ok(OutputSet { shown, destination: resolved, staging, committed: false, _lock: lock })
    }

    /// Where to write `file` before commit.
    pub fn path(&self, file: &str) -> PathBuf {
        self.staging.join(file)
    }

    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Lists what was written in the marker and swaps the new set into
    /// place; returns the destination as the user gave it.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let files: BTreeSet<String> = marker::entries(&self.staging)
            .map_err(|e| io(e, format!("cannot list {}", self.staging.display())))?
            .into_iter()
            .collect();
        fs::write(self.staging.join(MARKER), Marker::new(files).to_text())
            .map_err(|e| io(e, format!("cannot write in {}", self.staging.display())))?;
        // The user may have put a file into the folder while brink ran: then
        // nothing is replaced, and the new results are kept beside it.
        if let Err(refusal) = check_owned(&self.destination, &self.shown, "gained") {
            let kept = self.destination.with_file_name(format!(
                "{}.new-{}",
                self.destination.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                std::process::id()
            ));
            fs::rename(&self.staging, &kept).map_err(|e| io(e, format!("cannot keep {}", self.staging.display())))?;
            self.committed = true;
            return Err(OutputError::Refused(format!("{refusal}; the new results are in {}", kept.display())));
        }
        let old = self.staging.with_file_name(format!(
            ".{}.old-{}",
            self.destination.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.destination.exists();
        if had_old {
            fs::rename(&self.destination, &old)
                .map_err(|e| io(e, format!("cannot move the previous results in {} aside", self.shown.display())))?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.destination) {
            if had_old {
                fs::rename(&old, &self.destination).ok();
            }
            return Err(io(e, format!("cannot move the new results into {}", self.shown.display())));
        }
        self.committed = true;
        if had_old {
            remove_owned(&old);
        }
        Ok(self.shown.clone())
    }
}

impl Drop for OutputSet {
    /// An abandoned set (an error or an interruption before commit) leaves
    /// nothing behind.
    fn drop(&mut self) {
        if !self.committed {
            fs::remove_dir_all(&self.staging).ok();
        }
    }
}

/// The real folder behind `destination`: a symlink is followed (never
/// replaced), `.` and `..` are resolved, and the parent is created.
fn resolve(destination: &Path) -> Result<PathBuf, OutputError> {
    let is_link = fs::symlink_metadata(destination).is_ok_and(|m| m.file_type().is_symlink());
    if is_link || destination.exists() {
        return fs::canonicalize(destination).map_err(|e| {
            if is_link {
                OutputError::Refused(format!(
                    "{} is a symbolic link to a folder that does not exist ({e}); create the folder it points to, or choose another --out",
                    destination.display()
                ))
            } else {
                io(e, format!("cannot resolve {}", destination.display()))
            }
        });
    }
    let name = destination.file_name().ok_or_else(|| {
        OutputError::Refused(format!("{} cannot be an output folder; name a folder with --out", destination.display()))
    })?;
    let parent = match destination.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| io(e, format!("cannot create {}", parent.display())))?;
    let parent = fs::canonicalize(&parent).map_err(|e| io(e, format!("cannot resolve {}", parent.display())))?;
    Ok(parent.join(name))
}

/// Refuses a folder holding anything brink did not write there.
fn check_owned(folder: &Path, shown: &Path, verb: &str) -> Result<(), OutputError> {
    if !folder.is_dir() {
        return Ok(());
    }
    let entries = marker::entries(folder).map_err(|e| io(e, format!("cannot read {}", shown.display())))?;
    let has_marker = folder.join(MARKER).exists();
    if entries.is_empty() && !has_marker {
        return Ok(());
    }
    let owned = marker::read(folder);
    let foreign: Vec<&String> = match &owned {
        Some(owned) => entries.iter().filter(|e| !owned.contains(e)).collect(),
        None => entries.iter().collect(),
    };
    if owned.is_some() && foreign.is_empty() {
        return Ok(());
    }
    let listed = if foreign.is_empty() {
        "a marker brink cannot read".to_string()
    } else {
        let mut names: Vec<String> = foreign.iter().take(5).map(|s| s.to_string()).collect();
        if foreign.len() > 5 {
            names.push(format!("and {} more", foreign.len() - 5));
        }
        names.join(", ")
    };
    Err(OutputError::Refused(format!(
        "{} {verb} files that brink did not write ({listed}); brink replaces its output folders as a whole, \
         so move those files elsewhere or choose another --out",
        shown.display()
    )))
}

/// Deletes what the marker of `folder` lists, then the folder if that
/// leaves it empty; anything else stays.
fn remove_owned(folder: &Path) {
    let Some(owned) = marker::read(folder) else { return };
    let Ok(entries) = marker::entries(folder) else { return };
    // Files first, then folders deepest first.
    for e in entries.iter().filter(|e| !e.ends_with('/')) {
        if owned.contains(e) {
            fs::remove_file(folder.join(e)).ok();
        }
    }
    for e in entries.iter().rev().filter(|e| e.ends_with('/')) {
        if owned.contains(e) {
            fs::remove_dir(folder.join(e)).ok();
        }
    }
    if marker::entries(folder).is_ok_and(|e| e.is_empty()) {
        fs::remove_file(folder.join(MARKER)).ok();
        fs::remove_dir(folder).ok();
    }
}

/// Removes the staging and aside folders for `name` left by processes that
/// died (killed by SIGKILL, a power cut). Called under the folder's lock.
fn clean_stale(parent: &Path, name: &str) {
    let Ok(dir) = fs::read_dir(parent) else { return };
    let staging_prefix = format!(".{name}.partial-");
    let old_prefix = format!(".{name}.old-");
    for entry in dir.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let (is_staging, pid) = if let Some(pid) = file.strip_prefix(&staging_prefix) {
            (true, pid)
        } else if let Some(pid) = file.strip_prefix(&old_prefix) {
            (false, pid)
        } else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if pid == std::process::id() || process_alive(pid) != Some(false) {
            continue;
        }
        let path = entry.path();
        if is_staging && path.join(MARKER).exists() {
            // Everything in a staging folder was written by brink.
            fs::remove_dir_all(&path).ok();
        } else if !is_staging {
            remove_owned(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("brink-out-{name}-{}", std::process::id()));
        fs::remove_dir_all(&d).ok();
        d
    }

    #[test]
    fn a_new_set_replaces_the_old_one_whole() {
        let root = temp("replace");
        let dest = root.join("results");
        let set = OutputSet::begin(&dest, &[]).unwrap();
        fs::write(set.path("a.txt"), "1").unwrap();
        fs::write(set.path("b.txt"), "1").unwrap();
        set.commit().unwrap();
        let set = OutputSet::begin(&dest, &[]).unwrap();
        fs::write(set.path("a.txt"), "2").unwrap();
        set.commit().unwrap();
        assert_eq!(fs::read_to_string(dest.join("a.txt")).unwrap(), "2");
        assert!(!dest.join("b.txt").exists(), "files of the previous run must not linger");
        let leftovers: Vec<_> = fs::read_dir(&root).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging or old folders remain");
    }

    #[test]
    fn an_abandoned_set_leaves_the_previous_results_intact() {
        let dest = temp("abandon").join("results");
        let set = OutputSet::begin(&dest, &[]).unwrap();
        fs::write(set.path("a.txt"), "1").unwrap();
        set.commit().unwrap();
        let set = OutputSet::begin(&dest, &[]).unwrap();
        fs::write(set.path("a.txt"), "half").unwrap();
        drop(set);
        assert_eq!(fs::read_to_string(dest.join("a.txt")).unwrap(), "1");
    }

    #[test]
    fn a_folder_of_someone_elses_files_is_refused() {
        let dest = temp("foreign");
        fs::create_dir_all(&dest).unwrap();
        fs::write(dest.join("thesis.tex"), "precious").unwrap();
        let err = OutputSet::begin(&dest, &[]).err().unwrap().to_string();
        assert!(err.contains("did not write"), "{err}");
        assert!(dest.join("thesis.tex").exists());
    }

    #[test]
    fn only_listed_files_are_replaced_and_a_folder_holding_others_is_refused() {
        let dest = temp("listed").join("results");
        let set = OutputSet::begin(&dest, &[]).unwrap();
        fs::write(set.path("a.txt"), "1").unwrap();
        set.commit().unwrap();
        fs::write(dest.join("my.toml"), "precious").unwrap();
        let err = OutputSet::begin(&dest, &[]).err().unwrap().to_string();
        assert!(err.contains("my.toml"), "{err}");
        assert_eq!(fs::read_to_string(dest.join("my.toml")).unwrap(), "precious");
    }

    #[test]
    fn a_folder_holding_an_input_is_refused() {
        let dest = temp("input").join("results");
        fs::create_dir_all(&dest).unwrap();
        let input = dest.join("scenario.toml");
        fs::write(&input, "x").unwrap();
        let err = OutputSet::begin(&dest, &[&input]).err().unwrap();
        assert!(matches!(err, OutputError::Refused(_)));
        assert!(err.to_string().contains("an input of this command"), "{err}");
    }

    #[test]
    fn a_second_writer_is_refused_while_the_first_holds_the_lock() {
        let dest = temp("lock").join("results");
        let first = OutputSet::begin(&dest, &[]).unwrap();
        let err = OutputSet::begin(&dest, &[]).err().unwrap().to_string();
        assert!(err.contains("is writing"), "{err}");
        drop(first);
        OutputSet::begin(&dest, &[]).unwrap();
    }

    #[test]
    fn stale_staging_of_a_dead_process_is_cleaned() {
        let root = temp("stale");
        let dest = root.join("results");
        // No process has this id on Linux (the kernel's limit is 2^22).
        let stale = root.join(".results.partial-4294967");
        fs::create_dir_all(&stale).unwrap();
        fs::write(stale.join(MARKER), "").unwrap();
        fs::write(stale.join("runs.csv"), "big").unwrap();
        let set = OutputSet::begin(&dest, &[]).unwrap();
        assert_eq!(process_alive(4_294_967) == Some(false), !stale.exists());
        set.commit().unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_destination_is_followed_not_replaced() {
        let root = temp("symlink");
        let real = root.join("real");
        let set = OutputSet::begin(&real, &[]).unwrap();
        fs::write(set.path("a.txt"), "1").unwrap();
        set.commit().unwrap();
        let link = root.join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let set = OutputSet::begin(&link, &[]).unwrap();
        fs::write(set.path("a.txt"), "2").unwrap();
        set.commit().unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(real.join("a.txt")).unwrap(), "2");
    }
}
