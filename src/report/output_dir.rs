//! Writing a set of result files so that a reader never sees a mix.
//!
//! Files are written into a staging folder beside the destination; on
//! commit, the previous results (if any) are moved aside and the staging
//! folder takes their place, so the destination always holds one complete
//! set: the old one or the new one. An interrupted run leaves the old set
//! untouched and a `.NAME.partial-PID` folder that is clearly not results.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Marks a folder as brink's, so that replacing it cannot delete a user's files.
const MARKER: &str = ".brink-output";

pub struct OutputSet {
    destination: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl OutputSet {
    /// Prepares to write into `destination`, which must be absent, empty, or
    /// a previous brink output folder.
    pub fn begin(destination: &Path) -> Result<Self> {
        if destination.exists() {
            if !destination.is_dir() {
                bail!("{} exists and is not a folder; choose another --out", destination.display());
            }
            let mut entries =
                fs::read_dir(destination).with_context(|| format!("cannot read {}", destination.display()))?;
            let empty = entries.next().is_none();
            if !empty && !destination.join(MARKER).exists() {
                bail!(
                    "{} already holds files that brink did not write; choose another --out (brink replaces its output folders as a whole)",
                    destination.display()
                );
            }
        }
        let parent = match destination.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
        let name = destination.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).ok();
        }
        fs::create_dir_all(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
        fs::write(staging.join(MARKER), "written by brink; this folder is replaced as a whole by the next run\n")?;
        Ok(OutputSet { destination: destination.to_path_buf(), staging, committed: false })
    }

    /// Where to write `file` before commit.
    pub fn path(&self, file: &str) -> PathBuf {
        self.staging.join(file)
    }

    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Swaps the new set into place.
    pub fn commit(mut self) -> Result<PathBuf> {
        let old = self.staging.with_file_name(format!(
            ".{}.old-{}",
            self.destination.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            std::process::id()
        ));
        if self.destination.exists() {
            fs::rename(&self.destination, &old)
                .with_context(|| format!("cannot move the previous results in {} aside", self.destination.display()))?;
        }
        fs::rename(&self.staging, &self.destination)
            .with_context(|| format!("cannot move the new results into {}", self.destination.display()))?;
        self.committed = true;
        if old.exists() {
            fs::remove_dir_all(&old).ok();
        }
        Ok(self.destination.clone())
    }
}

impl Drop for OutputSet {
    /// An abandoned set (an error before commit) leaves nothing behind.
    fn drop(&mut self) {
        if !self.committed {
            fs::remove_dir_all(&self.staging).ok();
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
        let set = OutputSet::begin(&dest).unwrap();
        fs::write(set.path("a.txt"), "1").unwrap();
        fs::write(set.path("b.txt"), "1").unwrap();
        set.commit().unwrap();
        let set = OutputSet::begin(&dest).unwrap();
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
        let set = OutputSet::begin(&dest).unwrap();
        fs::write(set.path("a.txt"), "1").unwrap();
        set.commit().unwrap();
        let set = OutputSet::begin(&dest).unwrap();
        fs::write(set.path("a.txt"), "half").unwrap();
        drop(set);
        assert_eq!(fs::read_to_string(dest.join("a.txt")).unwrap(), "1");
    }

    #[test]
    fn a_folder_of_someone_elses_files_is_refused() {
        let dest = temp("foreign");
        fs::create_dir_all(&dest).unwrap();
        fs::write(dest.join("thesis.tex"), "precious").unwrap();
        let err = OutputSet::begin(&dest).err().unwrap().to_string();
        assert!(err.contains("did not write"), "{err}");
        assert!(dest.join("thesis.tex").exists());
    }
}
