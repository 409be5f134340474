//! Splitting a Monte Carlo across machines: `--shard K/N` plays its share of
//! the run indices and keeps its tally; `brink merge` adds the tallies up.
//! Because tallies merge exactly (see `Tally`), the merged summary is the
//! same bytes as an unsharded run.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::Tally;

/// Shard K of N, 1-based as a Slurm array index gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSpec {
    pub k: u64,
    pub n: u64,
}

impl ShardSpec {
    pub fn parse(s: &str) -> Result<ShardSpec, String> {
        let parsed = s.split_once('/').and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)));
        match parsed {
            Some((k, n)) if n >= 1 && (1..=n).contains(&k) => Ok(ShardSpec { k, n }),
            _ => Err(format!("`{s}` is not a shard K/N with 1 <= K <= N (e.g. --shard 3/8)")),
        }
    }

    /// This shard's run indices out of `0..runs`: contiguous, disjoint, and
    /// together exactly `0..runs`.
    pub fn range(&self, runs: u64) -> Range<u64> {
        let at = |k: u64| (k as u128 * runs as u128 / self.n as u128) as u64;
        at(self.k - 1)..at(self.k)
    }
}

/// A shard's result, as written to `partial-K-of-N.json`: everything needed
/// to check that shards belong together and to rebuild the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// Format tag, so that other JSON files are not mistaken for partials.
    pub format: String,
    pub brink_version: String,
    pub scenario_file: String,
    pub scenario_sha256: String,
    /// The scenario's text, so that merging needs no access to the file.
    pub scenario_text: String,
    pub variant: Option<String>,
    /// `--set` arguments as given.
    pub overrides: Vec<String>,
    pub seed: u64,
    /// Runs of the whole (unsharded) job.
    pub runs: u64,
    pub shard: ShardSpec,
    pub tally: Tally,
}

pub const PARTIAL_FORMAT: &str = "brink-partial-1";

/// Why partials cannot be merged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MergeError {
    #[error("no partial results found (look for partial-K-of-N.json files written by `brink run --shard K/N`)")]
    Empty,
    #[error("{0} does not belong with the others: {1}")]
    Mismatch(String, String),
    #[error("shard {0} of {1} appears more than once")]
    Duplicate(u64, u64),
    #[error("shards missing: {0} (of {1}); run them, then merge again")]
    Missing(String, u64),
}

/// Checks that `shards` (all of the same N) are exactly 1..=N, once each;
/// returns N.
fn check_complete(shards: impl Iterator<Item = ShardSpec>) -> Result<u64, MergeError> {
    let mut seen: Vec<bool> = Vec::new();
    let mut n = 0;
    for s in shards {
        n = s.n;
        seen.resize(n as usize, false);
        let slot = &mut seen[(s.k - 1) as usize];
        if *slot {
            return Err(MergeError::Duplicate(s.k, n));
        }
        *slot = true;
    }
    let missing: Vec<String> =
        seen.iter().enumerate().filter(|(_, s)| !**s).map(|(k, _)| (k + 1).to_string()).collect();
    if missing.is_empty() { Ok(n) } else { Err(MergeError::Missing(missing.join(", "), n)) }
}

/// Checks that `parts` are exactly shards 1..=N of one job and merges them
/// (in shard order, though the order does not change the result).
pub fn merge(parts: &[(String, Partial)]) -> Result<Tally, MergeError> {
    let Some((_, first)) = parts.first() else { return Err(MergeError::Empty) };
    for (name, p) in parts {
        let differs = [
            (p.scenario_sha256 != first.scenario_sha256, "a different scenario file"),
            (p.seed != first.seed, "a different seed"),
            (p.runs != first.runs, "a different number of runs"),
            (p.shard.n != first.shard.n, "a different shard count N"),
            (p.variant != first.variant || p.overrides != first.overrides, "different --variant/--set"),
        ];
        if let Some((_, why)) = differs.iter().find(|(d, _)| *d) {
            return Err(MergeError::Mismatch(name.clone(), why.to_string()));
        }
    }
    check_complete(parts.iter().map(|(_, p)| p.shard))?;
    let mut sorted: Vec<&Partial> = parts.iter().map(|(_, p)| p).collect();
    sorted.sort_by_key(|p| p.shard.k);
    let mut total = sorted[0].tally.clone();
    for p in &sorted[1..] {
        total.merge(&p.tally);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_run_exactly_once() {
        for (runs, n) in [(10, 3), (7, 7), (5, 8), (1_000_003, 16)] {
            let mut next = 0;
            for k in 1..=n {
                let r = ShardSpec { k, n }.range(runs);
                assert_eq!(r.start, next);
                next = r.end;
            }
            assert_eq!(next, runs);
        }
    }

    #[test]
    fn shard_specs_parse_like_slurm_indices() {
        assert_eq!(ShardSpec::parse("3/8"), Ok(ShardSpec { k: 3, n: 8 }));
        assert!(ShardSpec::parse("0/8").is_err());
        assert!(ShardSpec::parse("9/8").is_err());
        assert!(ShardSpec::parse("x").is_err());
    }
}

/// A sweep shard's result, as written to `sweep-partial-K-of-N.json`. The
/// work of a sweep is the flattened space of (grid point, run index) pairs;
/// shard K takes its contiguous share of it, so a shard may hold whole
/// points, part of one, or pieces of two.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPartial {
    pub format: String,
    pub brink_version: String,
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub scenario_text: String,
    pub variant: Option<String>,
    pub overrides: Vec<String>,
    /// The `--param` arguments as given.
    pub params: Vec<String>,
    pub seed: u64,
    /// Runs per grid point.
    pub runs: u64,
    pub points: u64,
    pub shard: ShardSpec,
    /// (grid point index, tally of this shard's runs at that point).
    pub tallies: Vec<(u64, Tally)>,
}

pub const SWEEP_PARTIAL_FORMAT: &str = "brink-sweep-partial-1";

/// The (point, run range) pieces of shard `s` of a sweep of `points` points
/// with `runs` runs each.
pub fn sweep_pieces(s: ShardSpec, points: u64, runs: u64) -> Vec<(u64, Range<u64>)> {
    let total = points.saturating_mul(runs);
    let all = ShardSpec { k: s.k, n: s.n }.range(total);
    let mut out = Vec::new();
    let mut g = all.start;
    while g < all.end {
        let point = g / runs;
        let end = ((point + 1) * runs).min(all.end);
        out.push((point, (g - point * runs)..(end - point * runs)));
        g = end;
    }
    out
}

/// Checks that sweep shards belong together and cover every (point, run)
/// exactly once, and merges them into one tally per point.
pub fn merge_sweep(parts: &[(String, SweepPartial)]) -> Result<Vec<Tally>, MergeError> {
    let Some((_, first)) = parts.first() else { return Err(MergeError::Empty) };
    for (name, p) in parts {
        let differs = [
            (p.scenario_sha256 != first.scenario_sha256, "a different scenario file"),
            (p.seed != first.seed, "a different seed"),
            (p.runs != first.runs || p.points != first.points, "a different grid or number of runs"),
            (p.params != first.params, "different --param"),
            (p.shard.n != first.shard.n, "a different shard count N"),
            (p.variant != first.variant || p.overrides != first.overrides, "different --variant/--set"),
        ];
        if let Some((_, why)) = differs.iter().find(|(d, _)| *d) {
            return Err(MergeError::Mismatch(name.clone(), why.to_string()));
        }
    }
    let n = check_complete(parts.iter().map(|(_, p)| p.shard))?;
    let mut sorted: Vec<&SweepPartial> = parts.iter().map(|(_, p)| p).collect();
    sorted.sort_by_key(|p| p.shard.k);
    let mut out: Vec<Option<Tally>> = vec![None; first.points as usize];
    for p in sorted {
        for (point, t) in &p.tallies {
            let Some(slot) = out.get_mut(*point as usize) else {
                return Err(MergeError::Mismatch(format!("shard {}", p.shard.k), "a grid point out of range".into()));
            };
            match slot {
                Some(total) => total.merge(t),
                None => *slot = Some(t.clone()),
            }
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(k, t)| t.ok_or_else(|| MergeError::Missing(format!("grid point {}", k + 1), n)))
        .collect()
}

#[cfg(test)]
mod sweep_tests {
    use super::*;

    #[test]
    fn sweep_pieces_cover_every_point_and_run_once() {
        let (points, runs) = (5u64, 7u64);
        let mut covered = vec![vec![0u32; runs as usize]; points as usize];
        for k in 1..=3 {
            for (p, r) in sweep_pieces(ShardSpec { k, n: 3 }, points, runs) {
                for run in r {
                    covered[p as usize][run as usize] += 1;
                }
            }
        }
        assert!(covered.iter().flatten().all(|&c| c == 1));
    }
}
