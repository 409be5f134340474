//! Sharding a negotiation tournament: `brink tournament FILE --shard K/N`
//! plays its share of the (pairing, run) work and writes
//! `tournament-partial-K-of-N.json`; `brink merge` checks that the shards
//! belong together and cover every (pairing, run) exactly once, and adds
//! their tallies up. Tallies merge exactly, so the merged results are the
//! same bytes as an unsharded tournament.
//!
//! The partial carries the tournament file's text and every scenario's
//! text, so merging needs none of the original files.

use serde::{Deserialize, Serialize};

use crate::montecarlo::Tally;
use crate::montecarlo::shard::{self, Job, MergeError, ShardSpec, ShardedResult};

pub const TOURNAMENT_PARTIAL_FORMAT: &str = "brink-tournament-partial-1";

/// File name of shard K of N.
pub fn file_name(shard: ShardSpec) -> String {
    format!("tournament-partial-{}-of-{}.json", shard.k, shard.n)
}

/// One shard's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TournamentPartial {
    pub format: String,
    pub brink_version: String,
    pub tournament_file: String,
    pub tournament_sha256: String,
    pub tournament_text: String,
    /// (name, text) of each scenario, in the file's order.
    pub scenarios: Vec<(String, String)>,
    pub seed: u64,
    /// Runs per pairing.
    pub runs: u64,
    /// Pairings × scenarios.
    pub cells: u64,
    pub shard: ShardSpec,
    /// (cell, tally of this shard's runs of that cell).
    pub tallies: Vec<(u64, Tally)>,
}

/// Checks that the partials are shards 1..=N of one tournament, each once,
/// covering every cell, and merges them into one tally per cell.
/// `templates[c]`: an empty tally of pairing c's model, against which every
/// tally read is checked before it is added.
pub fn merge(parts: &[(String, TournamentPartial)], templates: &[Tally]) -> Result<Vec<Tally>, MergeError> {
    // Version, text against hash, shard ranges, one job, shards complete:
    // the checks every partial kind shares (issue 14).
    shard::validate(parts)?;
    let Some((_, first)) = parts.first() else { return Err(MergeError::Empty) };
    if first.cells.checked_mul(first.runs).is_none() || first.cells > crate::limits::MAX_GRID_POINTS * 1000 {
        return Err(MergeError::Invalid {
            file: parts[0].0.clone(),
            field: "cells".into(),
            why: format!("{} cells of {} runs is beyond what a tournament file can ask", first.cells, first.runs),
        });
    }
    for (name, p) in parts {
        let differs = [
            (p.format != TOURNAMENT_PARTIAL_FORMAT, "a different file format"),
            (p.tournament_sha256 != first.tournament_sha256, "a different tournament file"),
            (p.scenarios != first.scenarios, "different scenario files"),
            (p.seed != first.seed, "a different seed"),
            (p.runs != first.runs || p.cells != first.cells, "a different number of runs or pairings"),
            (p.shard.n != first.shard.n, "a different shard count N"),
        ];
        if let Some((_, why)) = differs.iter().find(|(d, _)| *d) {
            return Err(MergeError::Mismatch(name.clone(), why.to_string()));
        }
    }
    let n = first.shard.n;
    let mut seen = vec![false; n as usize];
    for (name, p) in parts {
        if p.shard.k == 0 || p.shard.k > n {
            return Err(MergeError::Mismatch(name.clone(), format!("shard {} is outside 1..={n}", p.shard.k)));
        }
        let slot = &mut seen[(p.shard.k - 1) as usize];
        if *slot {
            return Err(MergeError::Duplicate(p.shard.k, n));
        }
        *slot = true;
    }
    let missing: Vec<String> =
        seen.iter().enumerate().filter(|(_, s)| !**s).map(|(k, _)| (k + 1).to_string()).collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing(missing.join(", "), n));
    }
    // Each shard must hold exactly its own pieces, with the right run counts.
    let mut sorted: Vec<&(String, TournamentPartial)> = parts.iter().collect();
    sorted.sort_by_key(|(_, p)| p.shard.k);
    let mut out: Vec<Option<Tally>> = vec![None; first.cells as usize];
    for (name, p) in sorted {
        let expected = crate::montecarlo::shard::sweep_pieces(p.shard, p.cells, p.runs);
        let fits = expected.len() == p.tallies.len()
            && expected.iter().zip(&p.tallies).all(|((c, r), (pc, t))| c == pc && t.runs == r.end - r.start);
        if !fits {
            return Err(MergeError::Mismatch(
                name.clone(),
                "its tallies do not match its share of the work (was it edited?)".into(),
            ));
        }
        for (cell, t) in &p.tallies {
            let template = templates.get(*cell as usize).ok_or_else(|| MergeError::Invalid {
                file: name.clone(),
                field: "tallies".into(),
                why: format!("pairing {cell} is not one of the tournament's {} pairings", templates.len()),
            })?;
            t.check(t.runs, template).map_err(|b| MergeError::Invalid {
                file: name.clone(),
                field: b.field,
                why: b.why,
            })?;
            match &mut out[*cell as usize] {
                Some(total) => total.checked_merge(t).map_err(|b| MergeError::Invalid {
                    file: name.clone(),
                    field: b.field,
                    why: b.why,
                })?,
                slot @ None => *slot = Some(t.clone()),
            }
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(k, t)| t.ok_or_else(|| MergeError::Missing(format!("pairing {}", k + 1), n)))
        .collect()
}

impl ShardedResult for TournamentPartial {
    fn brink_version(&self) -> &str {
        &self.brink_version
    }
    fn scenario_text(&self) -> &str {
        &self.tournament_text
    }
    fn scenario_sha256(&self) -> &str {
        &self.tournament_sha256
    }
    fn shard(&self) -> ShardSpec {
        self.shard
    }
    fn job(&self) -> Job {
        vec![
            ("a different file format", self.format.clone()),
            ("a different tournament file", self.tournament_sha256.clone()),
            ("different scenario files", format!("{:?}", self.scenarios)),
            ("a different seed", self.seed.to_string()),
            ("a different number of runs or pairings", format!("{} {}", self.runs, self.cells)),
            ("a different shard count N", self.shard.n.to_string()),
        ]
    }
}
