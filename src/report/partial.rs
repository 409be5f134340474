//! Partial results of sharded runs on disk: `partial-K-of-N.json`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::limits::{MAX_PARTIAL_BYTES, ReadError, read_capped};
use crate::montecarlo::shard::{
    Job, PARTIAL_FORMAT, Partial, SENSITIVITY_PARTIAL_FORMAT, SWEEP_PARTIAL_FORMAT, SensitivityPartial, ShardSpec,
    ShardedResult, SweepPartial,
};

pub fn file_name(shard: ShardSpec) -> String {
    format!("partial-{}-of-{}.json", shard.k, shard.n)
}

pub fn runs_csv_name(shard: ShardSpec) -> String {
    format!("runs-{}-of-{}.csv", shard.k, shard.n)
}

/// Writes `bytes` to `path` through a temporary name and a rename, so that a
/// reader never sees half a file.
/// The temporary file is removed if anything fails (a folder at `path`, a
/// full disk), so nothing stray is left behind.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let written = std::fs::write(&tmp, bytes)
        .with_context(|| format!("cannot write {}", tmp.display()))
        .and_then(|()| std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display())));
    if written.is_err() {
        std::fs::remove_file(&tmp).ok();
    }
    written
}

pub fn write(dir: &Path, p: &Partial) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(file_name(p.shard));
    let text = serde_json::to_string(p).context("cannot encode the partial result")?;
    write_atomically(&path, text.as_bytes())?;
    Ok(path)
}

/// Every run partial in `inputs` (folders are searched for `partial-*.json`;
/// files are read as given), sorted by file name.
pub fn read_all(inputs: &[PathBuf]) -> Result<Vec<(String, Partial)>> {
    read_matching(inputs, "partial-", PARTIAL_FORMAT, |p: &Partial| p.format.as_str())
}

/// Every sweep partial in `inputs` (`sweep-partial-*.json`).
pub fn read_all_sweep(inputs: &[PathBuf]) -> Result<Vec<(String, SweepPartial)>> {
    read_matching(inputs, "sweep-partial-", SWEEP_PARTIAL_FORMAT, |p: &SweepPartial| p.format.as_str())
}

/// Every sensitivity partial in `inputs` (`sensitivity-partial-*.json`).
pub fn read_all_sensitivity(inputs: &[PathBuf]) -> Result<Vec<(String, SensitivityPartial)>> {
    read_matching(inputs, "sensitivity-partial-", SENSITIVITY_PARTIAL_FORMAT, |p: &SensitivityPartial| {
        p.format.as_str()
    })
}

/// Writes `sensitivity-partial-K-of-N.json` into `dir`, refusing a folder
/// that holds another sensitivity job's partials.
pub fn write_sensitivity(dir: &Path, p: &SensitivityPartial) -> Result<PathBuf> {
    if dir.is_dir() {
        for (name, other) in read_all_sensitivity(&[dir.to_path_buf()])? {
            if let Some(((why, _), _)) = other.job().iter().zip(p.job()).find(|(a, b)| a.1 != b.1) {
                bail!(
                    "{} already holds {name}, a partial result of another job ({why}); write this job's shards into \
                     another folder with --out, or move the old partials away",
                    dir.display()
                );
            }
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("sensitivity-partial-{}-of-{}.json", p.shard.k, p.shard.n));
    let text = serde_json::to_string(p).context("cannot encode the partial result")?;
    write_atomically(&path, text.as_bytes())?;
    Ok(path)
}

pub fn sweep_file_name(shard: ShardSpec) -> String {
    format!("sweep-partial-{}-of-{}.json", shard.k, shard.n)
}

pub fn write_sweep(dir: &Path, p: &SweepPartial) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(sweep_file_name(p.shard));
    let text = serde_json::to_string(p).context("cannot encode the partial result")?;
    write_atomically(&path, text.as_bytes())?;
    Ok(path)
}

fn read_matching<T: serde::de::DeserializeOwned>(
    inputs: &[PathBuf],
    prefix: &str,
    format: &str,
    format_of: impl Fn(&T) -> &str,
) -> Result<Vec<(String, T)>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            for entry in std::fs::read_dir(input).with_context(|| format!("cannot read {}", input.display()))? {
                let path = entry?.path();
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                if name.starts_with(prefix) && name.ends_with(".json") {
                    files.push(path);
                }
            }
        } else if input.exists() {
            let name = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name.starts_with(prefix) {
                files.push(input.clone());
            }
        } else {
            bail!("{} does not exist", input.display());
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let name = f.display().to_string();
            let bytes = read_capped(&f, MAX_PARTIAL_BYTES).map_err(|e| match e {
                ReadError::TooLarge { limit } => {
                    anyhow::anyhow!("{name} is larger than the limit of {limit} bytes for a partial result")
                }
                e => anyhow::anyhow!("cannot read {name}: {e}"),
            })?;
            let p: T = serde_json::from_slice(&bytes)
                .with_context(|| format!("{name} is not a partial result written by brink with --shard"))?;
            if format_of(&p) != format {
                bail!("{name} has format {:?}, expected {format:?}", format_of(&p));
            }
            Ok((name, p))
        })
        .collect()
}

/// Refuses to write a shard of one job into a folder that holds partials of
/// another (another scenario, seed, runs, N, grid or --set): writing there
/// would overwrite their shards or mix the two at merge time. Called before
/// any work, with the new partial's job (`ShardedResult::job`); a partial of
/// the same job (a shard being re-run) may be replaced.
pub fn check_shard_folder(dir: &Path, job: &Job, sweep: bool) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    let runs = read_all(&[dir.to_path_buf()]);
    let sweeps = read_all_sweep(&[dir.to_path_buf()]);
    let refuse = |name: &str, why: &str| {
        anyhow::anyhow!(
            "{} already holds {name}, a partial result of another job ({why}); write this job's shards into \
             another folder with --out, or move the old partials away",
            dir.display()
        )
    };
    let mut jobs: Vec<(String, Job, bool)> = Vec::new();
    match runs {
        Ok(parts) => jobs.extend(parts.into_iter().map(|(n, p)| (n, p.job(), false))),
        Err(e) => bail!("{e:#}; move it out of {} or choose another --out", dir.display()),
    }
    match sweeps {
        Ok(parts) => jobs.extend(parts.into_iter().map(|(n, p)| (n, p.job(), true))),
        Err(e) => bail!("{e:#}; move it out of {} or choose another --out", dir.display()),
    }
    for (name, other, is_sweep) in jobs {
        if is_sweep != sweep {
            return Err(refuse(&name, if sweep { "a run, not a sweep" } else { "a sweep, not a run" }));
        }
        if let Some(((why, _), _)) = other.iter().zip(job).find(|(a, b)| a.1 != b.1) {
            return Err(refuse(&name, why));
        }
    }
    Ok(())
}

/// Removes temporary files (`*.tmp-PID`) left in a shard folder by
/// processes that died before renaming them into place.
pub fn clean_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_ours = name.starts_with("partial-")
            || name.starts_with("sweep-partial-")
            || name.starts_with("sensitivity-partial-")
            || name.starts_with("runs-");
        let Some(pid) = name.rsplit_once(".tmp-").and_then(|(_, pid)| pid.parse::<u32>().ok()) else { continue };
        if is_ours && crate::report::output_dir::process_alive(pid) == Some(false) {
            std::fs::remove_file(entry.path()).ok();
        }
    }
}

/// A writer that hashes what passes through it, so that a shard's per-run
/// rows are streamed to disk and their SHA-256 recorded in its partial.
pub struct HashingWriter<W: std::io::Write> {
    inner: W,
    hasher: sha2::Sha256,
}

impl<W: std::io::Write> HashingWriter<W> {
    pub fn new(inner: W) -> Self {
        use sha2::Digest;
        HashingWriter { inner, hasher: sha2::Sha256::new() }
    }

    /// The writer and the hex SHA-256 of everything written.
    pub fn finish(self) -> (W, String) {
        use sha2::Digest;
        let hex = self.hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        (self.inner, hex)
    }
}

impl<W: std::io::Write> std::io::Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
