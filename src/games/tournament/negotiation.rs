//! The negotiation tournament: every ordered pair of entrants (self-pairs
//! included) negotiates on every scenario, the first entrant as the
//! scenario's first actor (e.g. the United States) and the second as the
//! other, so each pair meets in both roles.
//!
//! Each pairing is a Monte Carlo of `runs` negotiations through the engine.
//! Run k of every pairing uses the same random stream `run_rng(seed, k)`
//! (common random numbers): differences between pairings come from the
//! strategies, not from luck. Results are [`Tally`]s, which merge exactly,
//! so the tournament is thread-invariant and can be sharded
//! ([`super::partial`]).

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::spec::NegotiationEntrant;
use crate::analysis::shares::wilson;
use crate::model::Model;
use crate::montecarlo::{self, RunConfig, Tally};
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::overrides::{Override, parse_override};
use crate::scenario::{Adjustments, LoadError, load_bytes_adjusted};

/// Fixed-point scale of the tally's payoff sums (see `montecarlo::Tally`).
const SCALE: f64 = 4_294_967_296.0;
const Z95: f64 = 1.959_963_984_540_054;

/// One pairing on one scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub scenario: usize,
    /// The entrants playing the scenario's first and second actor.
    pub entrants: [usize; 2],
}

/// The compiled tournament: one model per cell.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub scenario_names: Vec<String>,
    /// Each scenario's actor names, in order.
    pub actors: Vec<[String; 2]>,
    /// Each scenario's disagreement point at the parameter means.
    pub disagreement: Vec<[f64; 2]>,
    pub entrants: Vec<String>,
    pub cells: Vec<Cell>,
    pub models: Vec<Model>,
}

/// Why the tournament cannot be set up: a scenario does not compile, or
/// does not accept an entrant's strategy.
#[derive(Debug)]
pub struct PrepareError {
    pub scenario: String,
    /// The entrant whose strategy the scenario refused, if any.
    pub entrant: Option<usize>,
    pub error: LoadError,
}

/// The cells of `s` scenarios and `n` entrants, in a fixed order.
pub fn cells(s: usize, n: usize) -> Vec<Cell> {
    let mut out = Vec::with_capacity(s * n * n);
    for scenario in 0..s {
        for a in 0..n {
            for b in 0..n {
                out.push(Cell { scenario, entrants: [a, b] });
            }
        }
    }
    out
}

/// Compiles every cell: the scenario with its actors' `strategy` replaced
/// by the entrants'. `scenarios` are (name, text) pairs.
pub fn prepare(scenarios: &[(String, String)], entrants: &[NegotiationEntrant]) -> Result<Prepared, PrepareError> {
    let mut actors = Vec::new();
    let mut disagreement = Vec::new();
    let mut ids = Vec::new();
    for (name, text) in scenarios {
        let (_, base) = load_bytes_adjusted(name, text.as_bytes(), &Adjustments::default())
            .map_err(|error| PrepareError { scenario: name.clone(), entrant: None, error })?;
        actors.push([base.actors[0].name.clone(), base.actors[1].name.clone()]);
        disagreement.push([base.reservation(0, &base.params.means), base.reservation(1, &base.params.means)]);
        ids.push([base.actors[0].id.clone(), base.actors[1].id.clone()]);
    }
    let all = cells(scenarios.len(), entrants.len());
    // Check each entrant alone first, so that an error names one entrant.
    for (s, (name, text)) in scenarios.iter().enumerate() {
        for (e, entrant) in entrants.iter().enumerate() {
            compile(name, text, &ids[s], [entrant, entrant]).map_err(|error| PrepareError {
                scenario: name.clone(),
                entrant: Some(e),
                error,
            })?;
        }
    }
    let models = all
        .par_iter()
        .map(|c| {
            let (name, text) = &scenarios[c.scenario];
            compile(name, text, &ids[c.scenario], [&entrants[c.entrants[0]], &entrants[c.entrants[1]]])
                .map_err(|error| PrepareError { scenario: name.clone(), entrant: Some(c.entrants[0]), error })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Prepared {
        scenario_names: scenarios.iter().map(|(n, _)| n.clone()).collect(),
        actors,
        disagreement,
        entrants: entrants.iter().map(|e| e.name.clone()).collect(),
        cells: all,
        models,
    })
}

fn compile(name: &str, text: &str, ids: &[String; 2], who: [&NegotiationEntrant; 2]) -> Result<Model, LoadError> {
    let mut overrides = Vec::new();
    for (id, e) in ids.iter().zip(who) {
        let arg = format!("actors.{id}.strategy={}", e.strategy_toml);
        let o = parse_override(&arg).map_err(|m| LoadError::Invalid {
            name: name.to_string(),
            text: text.to_string(),
            diagnostics: vec![Diagnostic::new(0..0, "", m)],
        })?;
        overrides.push(Override { flag: "tournament entrant, as", ..o });
    }
    load_bytes_adjusted(name, text.as_bytes(), &Adjustments { variants: Vec::new(), overrides }).map(|(_, m)| m)
}

/// Plays the (cell, run range) pieces and returns their tallies, in the
/// order given. `progress` receives the number of runs finished so far.
pub fn play(
    prepared: &Prepared,
    seed: u64,
    pieces: &[(u64, Range<u64>)],
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<(u64, Tally)> {
    let done = AtomicU64::new(0);
    pieces
        .par_iter()
        .map(|(cell, runs)| {
            let model = &prepared.models[*cell as usize];
            let config = RunConfig { seed, runs: runs.clone(), keep_runs: false, causes: false };
            let tally = montecarlo::simulate(model, &config, |_| true);
            let now = done.fetch_add(runs.end - runs.start, Ordering::Relaxed) + (runs.end - runs.start);
            progress(now);
            (*cell, tally)
        })
        .collect()
}

/// A mean with its 95% interval, from exact fixed-point sums.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    pub n: u64,
    pub sum: i128,
    pub sum_sq: i128,
}

impl Moments {
    fn add(&mut self, t: &montecarlo::PayoffTally) {
        self.n += t.n;
        self.sum += t.sum;
        self.sum_sq += t.sum_sq;
    }

    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / SCALE / self.n as f64)
    }

    pub fn ci95(&self) -> Option<[f64; 2]> {
        if self.n < 2 {
            return None;
        }
        let n = self.n as f64;
        let mean = self.sum as f64 / SCALE / n;
        let var = ((self.sum_sq as f64 / SCALE / n - mean * mean).max(0.0)) * n / (n - 1.0);
        let h = Z95 * (var / n).sqrt();
        Some([mean - h, mean + h])
    }
}

/// What one pairing on one scenario did.
#[derive(Debug, Clone, PartialEq)]
pub struct PairingStats {
    pub cell: Cell,
    pub runs: u64,
    pub agreement: Option<f64>,
    pub agreement_ci95: Option<[f64; 2]>,
    pub mean_rounds: Option<f64>,
    /// Mean payoff of each side.
    pub mean_payoff: [Option<f64>; 2],
    /// The Nash product of the mean gains over the disagreement point,
    /// (ū₁ − d₁)(ū₂ − d₂), 0 when a side gains nothing: the joint gain.
    pub nash_product: Option<f64>,
}

/// An entrant's standing over all its pairings, both roles and every
/// scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub entrant: usize,
    pub rank: usize,
    pub utility: Moments,
    /// Mean utility as the first actor and as the second.
    pub by_role: [Option<f64>; 2],
    /// Agreements over its negotiations.
    pub agreements: u64,
    pub negotiations: u64,
}

/// A finished (or merged) negotiation tournament.
#[derive(Debug, Clone)]
pub struct Results<'a> {
    pub prepared: &'a Prepared,
    /// One tally per cell, in cell order.
    pub tallies: Vec<Tally>,
}

impl Results<'_> {
    pub fn pairing(&self, k: usize) -> PairingStats {
        let t = &self.tallies[k];
        let cell = self.prepared.cells[k];
        let n = t.runs;
        let rounds: u64 = t.rounds.iter().enumerate().map(|(r, c)| r as u64 * c.iter().sum::<u64>()).sum();
        let mean_payoff = [t.payoff[0].mean(), t.payoff[1].mean()];
        let d = self.prepared.disagreement[cell.scenario];
        let nash_product = match mean_payoff {
            [Some(a), Some(b)] => Some((a - d[0]).max(0.0) * (b - d[1]).max(0.0)),
            _ => None,
        };
        PairingStats {
            cell,
            runs: n,
            agreement: (n > 0).then(|| t.ends[0] as f64 / n as f64),
            agreement_ci95: wilson(t.ends[0], n),
            mean_rounds: (n > 0).then(|| rounds as f64 / n as f64),
            mean_payoff,
            nash_product,
        }
    }

    /// `m[i][j]`: entrant i's mean utility against j, over both roles and
    /// every scenario (what the heatmap shows).
    pub fn matrix(&self) -> Vec<Vec<Moments>> {
        let n = self.prepared.entrants.len();
        let mut m = vec![vec![Moments::default(); n]; n];
        for (c, t) in self.prepared.cells.iter().zip(&self.tallies) {
            let [a, b] = c.entrants;
            m[a][b].add(&t.payoff[0]);
            m[b][a].add(&t.payoff[1]);
        }
        m
    }

    /// Entrants by mean utility, best first; equal means share a rank.
    pub fn standings(&self) -> Vec<Standing> {
        let n = self.prepared.entrants.len();
        let mut out: Vec<Standing> = (0..n)
            .map(|entrant| Standing {
                entrant,
                rank: 0,
                utility: Moments::default(),
                by_role: [None; 2],
                agreements: 0,
                negotiations: 0,
            })
            .collect();
        let mut roles = vec![[Moments::default(); 2]; n];
        for (c, t) in self.prepared.cells.iter().zip(&self.tallies) {
            for (role, &e) in c.entrants.iter().enumerate() {
                out[e].utility.add(&t.payoff[role]);
                roles[e][role].add(&t.payoff[role]);
                out[e].agreements += t.ends[0];
                out[e].negotiations += t.runs;
            }
        }
        for (s, r) in out.iter_mut().zip(&roles) {
            s.by_role = [r[0].mean(), r[1].mean()];
        }
        let key = |s: &Standing| s.utility.mean().unwrap_or(f64::NEG_INFINITY);
        out.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.entrant.cmp(&b.entrant)));
        for k in 0..out.len() {
            out[k].rank = if k > 0 && key(&out[k]) == key(&out[k - 1]) { out[k - 1].rank } else { k + 1 };
        }
        out
    }
}
