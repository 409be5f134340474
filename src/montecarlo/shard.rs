//! Splitting a Monte Carlo across machines: `--shard K/N` plays its share of
//! the run indices and keeps its tally; `brink merge` adds the tallies up.
//! Because tallies merge exactly (see `Tally`), the merged summary is the
//! same bytes as an unsharded run.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{BadField, PairTally, Tally};
use crate::limits::MAX_SHARDS;

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
            Some((_, n)) if n > MAX_SHARDS => {
                Err(format!("`{s}`: a job is split into at most {MAX_SHARDS} shards (the limit on N)"))
            }
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
    /// `--variant` names in the order applied.
    pub variants: Vec<String>,
    /// `--set` arguments as given.
    pub overrides: Vec<String>,
    pub seed: u64,
    /// Runs of the whole (unsharded) job.
    pub runs: u64,
    pub shard: ShardSpec,
    pub tally: Tally,
    /// SHA-256 of `runs-K-of-N.csv` when the shard kept per-run rows
    /// (`--per-run`); merge uses the rows only when they match it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs_csv_sha256: Option<String>,
}

pub const PARTIAL_FORMAT: &str = "brink-partial-2";

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
    #[error("{file}: field `{field}`: {why}; this partial cannot be merged (re-run its shard)")]
    Invalid { file: String, field: String, why: String },
}

impl MergeError {
    fn invalid(file: &str, bad: BadField) -> Self {
        MergeError::Invalid { file: file.to_string(), field: bad.field, why: bad.why }
    }
}

/// What every kind of partial result shares, so that one validation serves
/// them all (run partials, sweep partials, and kinds to come): provenance,
/// the shard, and the fields that must agree between shards of one job.
pub trait ShardedResult {
    fn brink_version(&self) -> &str;
    fn scenario_text(&self) -> &str;
    fn scenario_sha256(&self) -> &str;
    fn shard(&self) -> ShardSpec;
    /// (what differs, in words; the value) for each field that shards of one
    /// job share.
    fn job(&self) -> Job;
}

/// The fields shards of one job share: (what differs, in words; the value).
pub type Job = Vec<(&'static str, String)>;

/// Checks the parts that every partial kind shares: each partial was written
/// by this brink, its scenario text matches its hash, its shard is in range,
/// all belong to one job, and shards 1..=N are each present once. Returns N.
pub fn validate<P: ShardedResult>(parts: &[(String, P)]) -> Result<u64, MergeError> {
    let Some((_, first)) = parts.first() else { return Err(MergeError::Empty) };
    let this = env!("CARGO_PKG_VERSION");
    for (name, p) in parts {
        let invalid = |field: &str, why: String| MergeError::Invalid { file: name.clone(), field: field.into(), why };
        if p.brink_version() != this {
            return Err(invalid(
                "brink_version",
                format!(
                    "written by brink {:?}; this is brink {this}: merge with the version that wrote it",
                    p.brink_version()
                ),
            ));
        }
        if sha256_hex(p.scenario_text().as_bytes()) != p.scenario_sha256() {
            return Err(invalid("scenario_sha256", "does not match the scenario text the partial carries".into()));
        }
        let s = p.shard();
        if !(1..=MAX_SHARDS).contains(&s.n) || !(1..=s.n).contains(&s.k) {
            return Err(invalid(
                "shard",
                format!("{}/{} is not a shard K/N with 1 <= K <= N <= {MAX_SHARDS}", s.k, s.n),
            ));
        }
        let (job, first_job) = (p.job(), first.job());
        if let Some(((why, _), _)) = job.iter().zip(&first_job).find(|(a, b)| a.1 != b.1) {
            return Err(MergeError::Mismatch(name.clone(), why.to_string()));
        }
    }
    check_complete(parts.iter().map(|(_, p)| p.shard()))
}

/// Hex SHA-256, as partials record their scenario.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks that `shards` (all of the same N, at most [`MAX_SHARDS`]) are
/// exactly 1..=N, once each; returns N.
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

impl ShardedResult for Partial {
    fn brink_version(&self) -> &str {
        &self.brink_version
    }
    fn scenario_text(&self) -> &str {
        &self.scenario_text
    }
    fn scenario_sha256(&self) -> &str {
        &self.scenario_sha256
    }
    fn shard(&self) -> ShardSpec {
        self.shard
    }
    fn job(&self) -> Job {
        vec![
            ("a different scenario file", self.scenario_sha256.clone()),
            ("a different seed", self.seed.to_string()),
            ("a different number of runs", self.runs.to_string()),
            ("a different shard count N", self.shard.n.to_string()),
            ("different --variant/--set", format!("{:?} {:?}", self.variants, self.overrides)),
            ("per-run rows kept by some shards only", self.runs_csv_sha256.is_some().to_string()),
            ("causes attributed by some shards only (--no-causes)", self.tally.causes.is_some().to_string()),
        ]
    }
}

/// Checks that `parts` are exactly shards 1..=N of one job, each a valid
/// tally of its share of the runs (`template`: an empty tally of the job's
/// model), and merges them in shard order with checked arithmetic.
pub fn merge(parts: &[(String, Partial)], template: &Tally) -> Result<Tally, MergeError> {
    validate(parts)?;
    let mut sorted: Vec<&(String, Partial)> = parts.iter().collect();
    sorted.sort_by_key(|(_, p)| p.shard.k);
    // Causes are in every partial or in none (checked above as part of the job).
    let mut total = template.clone().attributing(sorted.first().is_some_and(|(_, p)| p.tally.causes.is_some()));
    for (name, p) in sorted {
        let runs = p.shard.range(p.runs);
        p.tally.check(runs.end - runs.start, template).map_err(|b| MergeError::invalid(name, b))?;
        total.checked_merge(&p.tally).map_err(|b| MergeError::invalid(name, b))?;
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
    /// `--variant` names in the order applied.
    pub variants: Vec<String>,
    pub overrides: Vec<String>,
    /// The `--param` arguments as given.
    pub params: Vec<String>,
    pub seed: u64,
    /// Runs per grid point.
    pub runs: u64,
    pub points: u64,
    pub shard: ShardSpec,
    /// `--unpaired`: the merged sweep reports independent-sample intervals.
    pub unpaired: bool,
    /// Per grid point, the tally of this shard's runs (its share of the run
    /// indices, [`ShardSpec::range`], played at every point).
    pub tallies: Vec<PointTally>,
    /// Per grid point after the first, its runs paired run by run with the
    /// same runs at the first point (the sweep's baseline).
    pub pairs: Vec<PointPair>,
}

/// A grid point's tally in a sweep partial, bound to its point: the index
/// and the values (`PATH=VALUE`), both checked at merge, so a tally moved to
/// another place is refused rather than reported at the wrong point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointTally {
    pub point: u64,
    pub at: Vec<String>,
    pub tally: Tally,
}

/// A later grid point's pairing with the first, bound to its point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointPair {
    pub point: u64,
    pub at: Vec<String>,
    pub pair: PairTally,
}

pub const SWEEP_PARTIAL_FORMAT: &str = "brink-sweep-partial-3";

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

impl ShardedResult for SweepPartial {
    fn brink_version(&self) -> &str {
        &self.brink_version
    }
    fn scenario_text(&self) -> &str {
        &self.scenario_text
    }
    fn scenario_sha256(&self) -> &str {
        &self.scenario_sha256
    }
    fn shard(&self) -> ShardSpec {
        self.shard
    }
    fn job(&self) -> Job {
        vec![
            ("a different scenario file", self.scenario_sha256.clone()),
            ("a different seed", self.seed.to_string()),
            ("a different grid or number of runs", format!("{} {}", self.runs, self.points)),
            ("different --param", format!("{:?}", self.params)),
            ("a different shard count N", self.shard.n.to_string()),
            ("different --variant/--set", format!("{:?} {:?}", self.variants, self.overrides)),
            ("a different --unpaired", self.unpaired.to_string()),
        ]
    }
}

/// Checks that sweep shards belong together and that each holds, at every
/// grid point, valid tallies of exactly its share of the runs (`templates`:
/// an empty tally per grid point, `pair_templates`: an empty pairing per
/// point after the first, `labels`: each point's values), and merges them:
/// one tally per point and one pairing with the first point per later point.
/// Each tally must sit in its own point's place, and each pairing must agree
/// with the tallies of its two points: nothing is re-sorted.
pub fn merge_sweep(
    parts: &[(String, SweepPartial)],
    templates: &[Tally],
    pair_templates: &[PairTally],
    labels: &[Vec<String>],
) -> Result<(Vec<Tally>, Vec<PairTally>), MergeError> {
    validate(parts)?;
    let mut sorted: Vec<&(String, SweepPartial)> = parts.iter().collect();
    sorted.sort_by_key(|(_, p)| p.shard.k);
    let mut out: Vec<Tally> = templates.to_vec();
    let mut pairs: Vec<PairTally> = pair_templates.to_vec();
    for (name, p) in sorted {
        let invalid = |field: &str, why: String| MergeError::Invalid { file: name.clone(), field: field.into(), why };
        if p.points != templates.len() as u64 || p.runs == 0 {
            return Err(invalid(
                "points",
                format!("{} points of {} runs, but the grid has {} points", p.points, p.runs, templates.len()),
            ));
        }
        if p.tallies.len() != templates.len() || p.pairs.len() != pair_templates.len() {
            return Err(invalid(
                "tallies",
                format!(
                    "{} tallies and {} pairings, but the grid has {} points",
                    p.tallies.len(),
                    p.pairs.len(),
                    templates.len()
                ),
            ));
        }
        let range = p.shard.range(p.runs);
        let runs = range.end - range.start;
        let placed = |field: String, point: u64, at: &[String], place: usize| {
            if point == place as u64 && labels.get(place).is_some_and(|l| l.as_slice() == at) {
                return Ok(());
            }
            let expected = labels.get(place).map(|l| l.join(", ")).unwrap_or_default();
            Err(invalid(
                &field,
                format!(
                    "it holds grid point {point} ({}), but sits in the place of point {place} ({expected}): \
                     the file was edited; brink never re-sorts tallies",
                    at.join(", ")
                ),
            ))
        };
        for (place, t) in p.tallies.iter().enumerate() {
            placed(format!("tallies[{place}]"), t.point, &t.at, place)?;
            t.tally.check(runs, &templates[place]).map_err(|b| MergeError::invalid(name, b))?;
        }
        for (i, pair) in p.pairs.iter().enumerate() {
            let field = format!("pairs[{i}]");
            placed(field.clone(), pair.point, &pair.at, i + 1)?;
            pair.pair.check_shard(runs, &pair_templates[i]).map_err(|why| invalid(&field, why))?;
            // Its ends, summed one way, are the first point's; the other
            // way, its own point's.
            let (base, arm) = (&p.tallies[0].tally.ends, &p.tallies[i + 1].tally.ends);
            let ends = &pair.pair.ends;
            let agrees = (0..4).all(|e| ends[e].iter().sum::<u64>() == base[e])
                && (0..4).all(|e| ends.iter().map(|row| row[e]).sum::<u64>() == arm[e]);
            if !agrees {
                return Err(invalid(
                    &field,
                    format!(
                        "its paired ends disagree with the tallies of grid points 0 and {}: the file was edited",
                        i + 1
                    ),
                ));
            }
        }
        for (place, t) in p.tallies.iter().enumerate() {
            out[place].checked_merge(&t.tally).map_err(|b| MergeError::invalid(name, b))?;
        }
        for (i, pair) in p.pairs.iter().enumerate() {
            pairs[i].checked_merge(&pair.pair).map_err(|why| invalid(&format!("pairs[{i}]"), why))?;
        }
    }
    Ok((out, pairs))
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

/// A `brink sensitivity --shard K/N` result, as written to
/// `sensitivity-partial-K-of-N.json`: its share of the Saltelli samples and
/// of the tornado's runs (the same share of each, [`ShardSpec::range`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityPartial {
    pub format: String,
    pub brink_version: String,
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub scenario_text: String,
    /// `--variant` names in the order applied.
    pub variants: Vec<String>,
    /// `--set` arguments as given.
    pub overrides: Vec<String>,
    /// `--param PATH=LO:HI` arguments as given.
    pub params: Vec<String>,
    pub seed: u64,
    /// Saltelli samples of the whole job.
    pub samples: u64,
    /// Tornado runs per level of the whole job.
    pub runs: u64,
    pub bootstrap: usize,
    pub shard: ShardSpec,
    pub sobol: crate::montecarlo::sensitivity::SobolRuns,
    /// Per factor, the tornado's (5th, 95th percentile) levels.
    pub levels: Vec<(f64, f64)>,
    /// The tornado's arms (base, then each factor low and high), paired.
    pub tornado_tallies: Vec<Tally>,
    pub tornado_pairs: Vec<PairTally>,
}

pub const SENSITIVITY_PARTIAL_FORMAT: &str = "brink-sensitivity-partial-1";

impl ShardedResult for SensitivityPartial {
    fn brink_version(&self) -> &str {
        &self.brink_version
    }
    fn scenario_text(&self) -> &str {
        &self.scenario_text
    }
    fn scenario_sha256(&self) -> &str {
        &self.scenario_sha256
    }
    fn shard(&self) -> ShardSpec {
        self.shard
    }
    fn job(&self) -> Job {
        vec![
            ("a different scenario file", self.scenario_sha256.clone()),
            ("a different seed", self.seed.to_string()),
            (
                "a different --samples, --runs or --bootstrap",
                format!("{} {} {}", self.samples, self.runs, self.bootstrap),
            ),
            ("different --param", format!("{:?}", self.params)),
            ("a different shard count N", self.shard.n.to_string()),
            ("different --variant/--set", format!("{:?} {:?}", self.variants, self.overrides)),
        ]
    }
}

/// Checks that sensitivity shards belong together and hold exactly their
/// share of the samples and tornado runs, and joins them: the Saltelli runs
/// concatenated in sample order, the tornado's tallies and pairings added
/// with checked arithmetic. `base` is the tornado of the job's model over no
/// runs (its levels and empty tallies), for checking against.
pub fn merge_sensitivity(
    parts: &[(String, SensitivityPartial)],
    base: &crate::montecarlo::sensitivity::TornadoRuns,
) -> Result<(crate::montecarlo::sensitivity::SobolRuns, crate::montecarlo::sensitivity::TornadoRuns), MergeError> {
    validate(parts)?;
    let mut sorted: Vec<&(String, SensitivityPartial)> = parts.iter().collect();
    sorted.sort_by_key(|(_, p)| p.shard.k);
    let mut tornado = base.clone();
    let mut sobol = Vec::with_capacity(sorted.len());
    for (name, p) in sorted {
        let invalid = |field: &str, why: String| MergeError::Invalid { file: name.clone(), field: field.into(), why };
        let samples = p.shard.range(p.samples);
        if p.sobol.samples != samples || p.sobol.factors != base.levels.len() {
            return Err(invalid(
                "sobol",
                format!(
                    "holds samples {:?} of {} factors; shard {}/{} of {} samples over {} factors is {samples:?}",
                    p.sobol.samples,
                    p.sobol.factors,
                    p.shard.k,
                    p.shard.n,
                    p.samples,
                    base.levels.len()
                ),
            ));
        }
        p.sobol.check().map_err(|why| invalid("sobol", why))?;
        // Shares are 0 or 1; payoffs lie in the scenario's payoff range (the
        // tally's histogram range, widened by at most 0.5, plus a margin).
        let payoff = |a: usize| {
            base.paired.tallies.first().map_or((f64::NEG_INFINITY, f64::INFINITY), |t| {
                (t.payoff[a].histogram.lo - 1.0, t.payoff[a].histogram.hi + 1.0)
            })
        };
        let bounds = [(0.0, 1.0), (0.0, 1.0), payoff(0), payoff(1)];
        p.sobol.check_values(&bounds).map_err(|(field, why)| invalid(&field, why))?;
        if p.levels != base.levels {
            return Err(invalid("levels", "the tornado's levels are not the scenario's percentiles".into()));
        }
        let runs = p.shard.range(p.runs);
        let runs = runs.end - runs.start;
        if p.tornado_tallies.len() != tornado.paired.tallies.len()
            || p.tornado_pairs.len() != tornado.paired.pairs.len()
        {
            return Err(invalid("tornado_tallies", "the number of tornado arms does not match the scenario".into()));
        }
        for (i, (t, slot)) in p.tornado_tallies.iter().zip(tornado.paired.tallies.iter_mut()).enumerate() {
            t.check(runs, &base.paired.tallies[i]).map_err(|b| MergeError::invalid(name, b))?;
            slot.checked_merge(t).map_err(|b| MergeError::invalid(name, b))?;
        }
        for (i, (pair, slot)) in p.tornado_pairs.iter().zip(tornado.paired.pairs.iter_mut()).enumerate() {
            let field = format!("tornado_pairs[{i}]");
            pair.check_shard(runs, &base.paired.pairs[i]).map_err(|why| invalid(&field, why))?;
            slot.checked_merge(pair).map_err(|why| invalid(&field, why))?;
        }
        sobol.push(p.sobol.clone());
    }
    let sobol = crate::montecarlo::sensitivity::SobolRuns::concat(&sobol).ok_or_else(|| MergeError::Invalid {
        file: parts[0].0.clone(),
        field: "sobol".into(),
        why: "the shards' samples do not line up".into(),
    })?;
    Ok((sobol, tornado))
}
