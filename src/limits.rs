//! Every resource limit brink enforces, in one place, with the reading of
//! input under a hard byte cap. Each limit is checked before work starts and
//! refused with a message naming it; docs/scenario-format.md lists them.

use std::io::Read;
use std::path::Path;

/// Largest scenario file (bytes).
pub const MAX_SCENARIO_BYTES: u64 = 10 * 1024 * 1024;
/// Largest game file, TOML or `.nfg` (bytes).
pub const MAX_GAME_BYTES: u64 = 1024 * 1024;
/// Largest partial result file read by `brink merge` (bytes).
pub const MAX_PARTIAL_BYTES: u64 = 1024 * 1024 * 1024;
/// Largest transcript of `brink play` read back (bytes): the scenario's text
/// is inside it, so it allows a largest scenario and its game many times over.
pub const MAX_TRANSCRIPT_BYTES: u64 = 64 * 1024 * 1024;
/// Most grid points of a sweep, all parameters together.
pub const MAX_GRID_POINTS: u64 = 10_000;
/// Most runs of a Sobol design, `--samples` × (uncertain numbers + 2):
/// every run's outputs are held in memory until the indices are estimated
/// (about 32 bytes a run for two actors, so 640 MB at the limit).
pub const MAX_SOBOL_RUNS: u64 = 20_000_000;
/// Most bootstrap resamples of `brink sensitivity` (`--bootstrap`); each
/// goes over every sample again.
pub const MAX_BOOTSTRAP: usize = 10_000;
/// Most worker threads (`--threads`).
pub const MAX_THREADS: usize = 1024;
/// Most shards of one job (`--shard K/N`).
pub const MAX_SHARDS: u64 = 1_000_000;
/// Most problems listed for one scenario; the rest are counted.
pub const MAX_PROBLEMS: usize = 1000;
/// Most (rule, outcome) pairs a scenario may ask brink to evaluate when it
/// builds its utility tables: rules × outcomes.
pub const MAX_RULE_WORK: u64 = 500_000_000;
/// Most later periods of a `[power_shift]`.
pub const MAX_POWER_PERIODS: usize = 100;
/// Most (period, outcome) pairs a power shift may ask brink to value:
/// later periods × outcomes, once per run when a number is uncertain.
pub const MAX_POWER_WORK: u64 = 50_000_000;

/// Work budget of `brink solve`: the total size of a game's payoffs in bits
/// (numerators and denominators of both players' payoffs). Exact
/// arithmetic slows with both the number of strategies and the size of the
/// numbers; a 20×20 game of one-digit payoffs is about 3,400 bits and takes
/// seconds, one of three-digit payoffs is about 8,800 and takes tens of
/// seconds.
pub const MAX_GAME_PAYOFF_BITS: u64 = 6_000;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(std::io::Error),
    #[error("it is a directory, not a file")]
    Directory,
    #[error("it is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
}

/// Reads at most `limit` bytes of `path`, whatever it is (a file, a pipe,
/// `/dev/zero`): the reported length is not trusted, the bytes are counted.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(ReadError::Directory);
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| match e.raw_os_error() {
        // EISDIR on platforms where opening a directory succeeds.
        Some(21) => ReadError::Directory,
        _ => ReadError::Io(e),
    })?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn an_endless_device_is_cut_at_the_limit() {
        let e = read_capped(Path::new("/dev/zero"), 1000).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { limit: 1000 }));
    }
}
