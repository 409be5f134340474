//! Matches and the round-robin tournament, scored as Axelrod's library
//! scores them.
//!
//! Every pair of entrants meets once per repetition, including each entrant
//! against a copy of itself (self-play, as Axelrod's tournaments do). On a
//! symmetric stage game each unordered pair plays once, the first entrant
//! as row player; on an asymmetric one (the two sides have different
//! payoffs) each ordered pair plays, so every entrant plays both sides.
//! Self-play fills the diagonal of the payoff matrix but, as in Axelrod,
//! does not count towards an entrant's score, wins or ranking.
//!
//! Randomness: repetition `r` uses the stream `run_rng(seed, r)`. Its first
//! draw is the match length (with a continuation probability), then every
//! pair plays from a copy of the same stream, so all pairings of one
//! repetition share their random numbers (common random numbers) and the
//! results are the same bytes whatever the thread count.

use rand::prelude::*;
use rayon::prelude::*;

use super::{Action, RepeatedStrategy, StageGame, View};
use crate::rng::{RunRng, run_rng};

/// How long matches last and how noisy they are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchConfig {
    /// Turns per match; with a continuation probability, the cap on a
    /// match's length.
    pub turns: u32,
    /// The probability that another turn follows each turn (Axelrod's
    /// `prob_end` is 1 minus this); `None` for a fixed number of turns.
    pub continuation: Option<f64>,
    /// The probability that each intended move is flipped.
    pub noise: f64,
}

/// The length of one match: `turns`, or a geometric draw capped at `turns`
/// (Axelrod's `sample_length`: ⌈ln(1 − u) / ln(continuation)⌉, at least 1).
pub fn match_length(config: &MatchConfig, rng: &mut RunRng) -> u32 {
    match config.continuation {
        None => config.turns,
        Some(c) if c <= 0.0 => 1,
        Some(c) if c >= 1.0 => config.turns,
        Some(c) => {
            let u: f64 = rng.random();
            let l = ((1.0 - u).ln() / c.ln()).ceil();
            if l.is_finite() { (l as u32).clamp(1, config.turns) } else { config.turns }
        }
    }
}

/// One match's outcome counts, indexed by `row action * 2 + column action`
/// (CC, CD, DC, DD from the row player's side).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchCounts {
    pub counts: [u32; 4],
}

impl MatchCounts {
    pub fn turns(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// (row score, column score).
    pub fn scores(&self, game: &StageGame) -> (f64, f64) {
        let mut s = (0.0, 0.0);
        for k in 0..4 {
            s.0 += f64::from(self.counts[k]) * game.row[k];
            s.1 += f64::from(self.counts[k]) * game.column[k];
        }
        s
    }
}

/// Reusable histories, so that a match allocates nothing once warm.
#[derive(Debug, Default)]
pub struct MatchWorkspace {
    row: Vec<Action>,
    column: Vec<Action>,
}

/// Plays `turns` turns of `row` against `column` with `noise`; if `moves` is
/// given, records both histories there as well.
pub fn play_match(
    row: &dyn RepeatedStrategy,
    column: &dyn RepeatedStrategy,
    turns: u32,
    noise: f64,
    rng: &mut RunRng,
    ws: &mut MatchWorkspace,
) -> MatchCounts {
    ws.row.clear();
    ws.column.clear();
    let mut counts = [0u32; 4];
    let (mut row_defections, mut column_defections) = (0u32, 0u32);
    for _ in 0..turns {
        let mut x = row.play(&View { own: &ws.row, opponent: &ws.column, opponent_defections: column_defections }, rng);
        let mut y = column.play(&View { own: &ws.column, opponent: &ws.row, opponent_defections: row_defections }, rng);
        if noise > 0.0 {
            if rng.random::<f64>() < noise {
                x = x.flip();
            }
            if rng.random::<f64>() < noise {
                y = y.flip();
            }
        }
        ws.row.push(x);
        ws.column.push(y);
        row_defections += x as u32;
        column_defections += y as u32;
        counts[x as usize * 2 + y as usize] += 1;
    }
    MatchCounts { counts }
}

/// The histories of the last match played in `ws` (row, column).
pub fn histories(ws: &MatchWorkspace) -> (&[Action], &[Action]) {
    (&ws.row, &ws.column)
}

/// A whole tournament's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoundRobinConfig {
    pub matches: MatchConfig,
    pub repetitions: u64,
    pub seed: u64,
}

/// Exact totals of one pairing over all repetitions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PairTotals {
    /// Outcome counts over every turn of every repetition (CC, CD, DC, DD).
    pub counts: [u64; 4],
    pub row_wins: u64,
    pub column_wins: u64,
    pub ties: u64,
}

impl PairTotals {
    pub fn turns(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Total (row, column) scores.
    pub fn scores(&self, game: &StageGame) -> (f64, f64) {
        let mut s = (0.0, 0.0);
        for k in 0..4 {
            s.0 += self.counts[k] as f64 * game.row[k];
            s.1 += self.counts[k] as f64 * game.column[k];
        }
        s
    }
}

/// A tournament's results.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundRobin {
    pub game: StageGame,
    pub names: Vec<String>,
    pub config: RoundRobinConfig,
    /// (row entrant, column entrant) of each pairing, in play order.
    pub pairs: Vec<(usize, usize)>,
    pub totals: Vec<PairTotals>,
    /// `normalised[i][r]`: entrant i's mean score per turn against the other
    /// entrants in repetition r (Axelrod's "normalised score").
    pub normalised: Vec<Vec<f64>>,
    /// `scores[i][r]`: entrant i's total score against the others in
    /// repetition r.
    pub scores: Vec<Vec<f64>>,
    /// `wins[i][r]`: matches entrant i won (scored more) in repetition r.
    pub wins: Vec<Vec<u32>>,
}

/// The pairings of a tournament of `n` entrants (see the module docs).
pub fn pairings(n: usize, symmetric: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..n {
        for j in 0..n {
            if !symmetric || j >= i {
                out.push((i, j));
            }
        }
    }
    out
}

/// Repetitions per parallel batch: bounds memory and sets the progress
/// granularity.
const BATCH: u64 = 256;

/// Plays the tournament. `on_progress(done)` is called after each batch
/// with the repetitions finished so far; returning `false` stops early (the
/// results then cover the repetitions played).
pub fn round_robin(
    game: &StageGame,
    names: Vec<String>,
    entrants: &[Box<dyn RepeatedStrategy>],
    config: RoundRobinConfig,
    on_progress: impl FnMut(u64) -> bool,
) -> RoundRobin {
    round_robin_until(game, names, entrants, config, on_progress, &|| false)
}

/// As [`round_robin`], asking `stop` before every match (a batch of
/// repetitions can hold millions of turns): once it says stop, the batch
/// under way is dropped, and the results cover the repetitions finished.
pub fn round_robin_until(
    game: &StageGame,
    names: Vec<String>,
    entrants: &[Box<dyn RepeatedStrategy>],
    config: RoundRobinConfig,
    mut on_progress: impl FnMut(u64) -> bool,
    stop: &(dyn Fn() -> bool + Sync),
) -> RoundRobin {
    let n = entrants.len();
    let symmetric = game.is_symmetric();
    let pairs = pairings(n, symmetric);
    let mut out = RoundRobin {
        game: game.clone(),
        names,
        config,
        pairs: pairs.clone(),
        totals: vec![PairTotals::default(); pairs.len()],
        normalised: vec![Vec::new(); n],
        scores: vec![Vec::new(); n],
        wins: vec![Vec::new(); n],
    };
    let mut start = 0;
    while start < config.repetitions {
        let end = (start + BATCH).min(config.repetitions);
        let reps: Vec<Vec<MatchCounts>> = (start..end)
            .into_par_iter()
            .map_init(MatchWorkspace::default, |ws, r| {
                let mut rng = run_rng(config.seed, r);
                let turns = match_length(&config.matches, &mut rng);
                pairs
                    .iter()
                    .map(|&(i, j)| {
                        if stop() {
                            return MatchCounts::default();
                        }
                        let mut match_rng = rng.clone();
                        play_match(&*entrants[i], &*entrants[j], turns, config.matches.noise, &mut match_rng, ws)
                    })
                    .collect()
            })
            .collect();
        if stop() {
            break;
        }
        for rep in &reps {
            out.add_repetition(rep);
        }
        start = end;
        if !on_progress(end) {
            break;
        }
    }
    out
}

impl RoundRobin {
    fn add_repetition(&mut self, rep: &[MatchCounts]) {
        let n = self.names.len();
        let mut per_turn_sum = vec![0.0; n];
        let mut per_turn_count = vec![0u32; n];
        let mut score = vec![0.0; n];
        let mut wins = vec![0u32; n];
        for (k, (&(i, j), m)) in self.pairs.iter().zip(rep).enumerate() {
            let t = &mut self.totals[k];
            for (total, &c) in t.counts.iter_mut().zip(&m.counts) {
                *total += u64::from(c);
            }
            let (a, b) = m.scores(&self.game);
            match a.partial_cmp(&b) {
                Some(std::cmp::Ordering::Greater) => t.row_wins += 1,
                Some(std::cmp::Ordering::Less) => t.column_wins += 1,
                _ => t.ties += 1,
            }
            if i == j {
                continue;
            }
            let turns = f64::from(m.turns().max(1));
            for (who, s, won) in [(i, a, a > b), (j, b, b > a)] {
                per_turn_sum[who] += s / turns;
                per_turn_count[who] += 1;
                score[who] += s;
                wins[who] += u32::from(won);
            }
        }
        for i in 0..n {
            let norm = if per_turn_count[i] > 0 { per_turn_sum[i] / f64::from(per_turn_count[i]) } else { f64::NAN };
            self.normalised[i].push(norm);
            self.scores[i].push(score[i]);
            self.wins[i].push(wins[i]);
        }
    }

    /// Repetitions actually played.
    pub fn repetitions(&self) -> usize {
        self.normalised.first().map_or(0, Vec::len)
    }

    /// `m[i][j]`: entrant i's mean score per turn against j over all
    /// repetitions (on an asymmetric game, averaged over both sides).
    pub fn payoff_matrix(&self) -> Vec<Vec<f64>> {
        let n = self.names.len();
        let mut sum = vec![vec![0.0; n]; n];
        let mut turns = vec![vec![0u64; n]; n];
        for (&(i, j), t) in self.pairs.iter().zip(&self.totals) {
            let (a, b) = t.scores(&self.game);
            sum[i][j] += a;
            turns[i][j] += t.turns();
            sum[j][i] += b;
            turns[j][i] += t.turns();
        }
        (0..n)
            .map(|i| (0..n).map(|j| if turns[i][j] > 0 { sum[i][j] / turns[i][j] as f64 } else { f64::NAN }).collect())
            .collect()
    }

    /// Each entrant's standing, best first (see [`Standing`]).
    pub fn ranking(&self) -> Vec<Standing> {
        let mut out: Vec<Standing> = (0..self.names.len())
            .map(|i| {
                let xs = &self.normalised[i];
                let (mean, ci95) = mean_ci(xs);
                Standing {
                    entrant: i,
                    rank: 0,
                    median_score_per_turn: median(xs),
                    mean_score_per_turn: mean,
                    ci95,
                    mean_total_score: mean_ci(&self.scores[i]).0,
                    wins: self.wins[i].iter().map(|&w| u64::from(w)).sum(),
                }
            })
            .collect();
        // Axelrod ranks by the median normalised score; we break its ties
        // by the mean, then list tied entrants in entry order with one rank.
        out.sort_by(|a, b| {
            b.median_score_per_turn
                .total_cmp(&a.median_score_per_turn)
                .then(b.mean_score_per_turn.total_cmp(&a.mean_score_per_turn))
                .then(a.entrant.cmp(&b.entrant))
        });
        for k in 0..out.len() {
            out[k].rank = if k > 0
                && out[k].median_score_per_turn == out[k - 1].median_score_per_turn
                && out[k].mean_score_per_turn == out[k - 1].mean_score_per_turn
            {
                out[k - 1].rank
            } else {
                k + 1
            };
        }
        out
    }
}

/// One entrant's results over the tournament.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub entrant: usize,
    /// 1 for the best; tied entrants share a rank.
    pub rank: usize,
    /// Median over repetitions of the mean score per turn against the others
    /// (Axelrod's ranking criterion).
    pub median_score_per_turn: f64,
    pub mean_score_per_turn: f64,
    /// 95% interval of the mean over repetitions (normal approximation);
    /// `None` with fewer than two repetitions.
    pub ci95: Option<[f64; 2]>,
    /// Mean over repetitions of the total score against the others.
    pub mean_total_score: f64,
    /// Matches won over all repetitions (self-play excluded).
    pub wins: u64,
}

/// Mean and its 95% normal interval (`None` below two values).
pub fn mean_ci(xs: &[f64]) -> (f64, Option<[f64; 2]>) {
    let n = xs.len() as f64;
    if xs.is_empty() {
        return (f64::NAN, None);
    }
    let mean = xs.iter().sum::<f64>() / n;
    if xs.len() < 2 {
        return (mean, None);
    }
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    let h = 1.959_963_984_540_054 * (var / n).sqrt();
    (mean, Some([mean - h, mean + h]))
}

fn median(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 { v[m] } else { (v[m - 1] + v[m]) / 2.0 }
}
