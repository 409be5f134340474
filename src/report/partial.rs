//! Partial results of sharded runs on disk: `partial-K-of-N.json`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::montecarlo::shard::{PARTIAL_FORMAT, Partial, SWEEP_PARTIAL_FORMAT, ShardSpec, SweepPartial};

pub fn file_name(shard: ShardSpec) -> String {
    format!("partial-{}-of-{}.json", shard.k, shard.n)
}

pub fn runs_csv_name(shard: ShardSpec) -> String {
    format!("runs-{}-of-{}.csv", shard.k, shard.n)
}

/// Writes `bytes` to `path` through a temporary name and a rename, so that a
/// reader never sees half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
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
            let text = std::fs::read_to_string(&f).with_context(|| format!("cannot read {name}"))?;
            let p: T = serde_json::from_str(&text)
                .with_context(|| format!("{name} is not a partial result written by brink with --shard"))?;
            if format_of(&p) != format {
                bail!("{name} has format {:?}, expected {format:?}", format_of(&p));
            }
            Ok((name, p))
        })
        .collect()
}
