//! The lock file that serialises writers of one output folder.
//!
//! `.NAME.lock` beside the folder is created with `create_new` (atomic on
//! local and NFS file systems) and holds the writer's process id and host.
//! A second brink aiming at the same folder is refused before it starts any
//! work; a lock left by a process that has died on this host is taken over.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::OutputError;

/// Held while a process prepares and commits one output folder; dropping it
/// removes the lock file.
#[derive(Debug)]
pub struct FolderLock {
    path: PathBuf,
}

impl FolderLock {
    /// Takes the lock at `path`, or says who holds it.
    pub fn acquire(path: &Path, folder_shown: &Path) -> Result<FolderLock, OutputError> {
        for _ in 0..2 {
            match fs::OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(mut f) => {
                    let _ = writeln!(f, "{} {}", std::process::id(), host());
                    return Ok(FolderLock { path: path.to_path_buf() });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(path).unwrap_or_default();
                    let mut words = holder.split_whitespace();
                    let pid: Option<u32> = words.next().and_then(|p| p.parse().ok());
                    let same_host = words.next().is_some_and(|h| h == host());
                    let dead = match pid {
                        Some(pid) if same_host => process_alive(pid) == Some(false),
                        _ => false,
                    };
                    if dead {
                        // The holder died (SIGKILL, power cut): its lock is stale.
                        fs::remove_file(path).ok();
                        continue;
                    }
                    let who = match pid {
                        Some(pid) => format!(
                            "process {pid}{}",
                            if same_host { String::new() } else { " on another host".into() }
                        ),
                        None => "another process".into(),
                    };
                    return Err(OutputError::Refused(format!(
                        "another brink ({who}) is writing {}; wait for it to finish, or choose another --out \
                         (if no brink is running, delete {})",
                        folder_shown.display(),
                        path.display()
                    )));
                }
                Err(e) => {
                    return Err(OutputError::Io(anyhow::anyhow!(
                        "cannot create the lock file {}: {e}",
                        path.display()
                    )));
                }
            }
        }
        Err(OutputError::Refused(format!("cannot take the lock {}; delete it if no brink is running", path.display())))
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        fs::remove_file(&self.path).ok();
    }
}

/// This machine's name, to tell a lock of this host from one of another
/// host sharing the file system (a cluster's NFS home).
fn host() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty() && !h.contains(char::is_whitespace))
        .unwrap_or_else(|| "unknown-host".into())
}

/// Whether process `pid` of this host is alive: `None` where brink cannot
/// tell (then nothing of it is ever treated as stale).
pub fn process_alive(pid: u32) -> Option<bool> {
    if pid == std::process::id() {
        return Some(true);
    }
    if cfg!(target_os = "linux") && Path::new("/proc/self").exists() {
        return Some(Path::new("/proc").join(pid.to_string()).exists());
    }
    None
}
