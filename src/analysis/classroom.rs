//! Played games beside the simulation: where one player's result falls in
//! the distribution of `brink run` for the same scenario and seed, and how a
//! class of players did against the agents.

use serde::Serialize;

use super::comparison::{Estimate, share_difference};
use super::shares::Share;
use crate::engine::{End, Ending};
use crate::model::{ActorIdx, Model};
use crate::montecarlo::expected::share_below;
use crate::montecarlo::{Tally, end_index};

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// One played game against the simulation.
#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    /// The player's expected payoff: a deal's payoff, or for failed talks
    /// the conflict lottery at its expectation (`engine::expected_payoff`).
    pub expected: f64,
    /// Share of simulated runs in which the agent in the player's seat had a
    /// lower expected payoff than the player (ties count half). Ranked on
    /// expected payoffs, so the lottery's luck decides nothing.
    pub percentile: Option<f64>,
    /// Simulated runs that ended the same way (for a walk-away: the same
    /// side walked away).
    pub same_end: Share,
    /// For an agreement: simulated runs that agreed on exactly these terms.
    pub same_agreement: Option<Share>,
    /// The mean payoff of the agent in the player's seat.
    pub agents_mean: Option<f64>,
}

/// How `ending`, played from seat `seat`, compares with the simulated runs:
/// `tally` is their tally, `agents_expected` the expected payoffs of the
/// agents in the seat, sorted (`montecarlo::expected::expected_payoffs`).
pub fn standing(tally: &Tally, seat: ActorIdx, ending: &Ending, expected: f64, agents_expected: &[f64]) -> Standing {
    let same = match ending.end {
        End::WalkAway(a) => tally.walk_away_by[a],
        e => tally.ends[end_index(e)],
    };
    let label = match ending.end {
        End::WalkAway(_) => "walk-away by the same side",
        e => e.label(),
    };
    Standing {
        expected,
        percentile: share_below(agents_expected, expected),
        same_end: Share::new(label, same, tally.runs),
        same_agreement: ending
            .agreement
            .map(|w| Share::new("same terms", tally.agreements.get(&w).copied().unwrap_or(0), tally.runs)),
        agents_mean: tally.payoff[seat].mean(),
    }
}

/// What the scenario's own agent did in a student's seat, same seed and run.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct AgentResult {
    pub payoff: f64,
    pub expected: f64,
}

/// One student's game, as read back from a transcript.
#[derive(Debug, Clone, Serialize)]
pub struct PlayedGame {
    /// The file (or the student's name) the game came from.
    pub label: String,
    #[serde(skip)]
    pub seat: ActorIdx,
    pub seed: u64,
    pub run: u64,
    #[serde(skip)]
    pub end: End,
    pub round: u32,
    #[serde(skip)]
    pub agreement: Option<u32>,
    /// Realised payoffs (with the conflict lottery's draw).
    pub payoff: [f64; 2],
    /// Expected payoffs (the lottery at its expectation; a deal's payoff).
    pub expected: [f64; 2],
    /// The scenario's agent in the student's seat, in the same run.
    pub agent: AgentResult,
    /// How many times the student climbed their escalation ladder.
    pub escalations: u32,
    /// Where the student's ladder stood when the talks ended (0: the foot).
    pub ladder_end: u8,
}

/// The class against the simulation, per seat the students took.
#[derive(Debug, Clone, Serialize)]
pub struct SeatSummary {
    pub actor: String,
    pub students: u64,
    /// Students' mean payoff in this seat, with a normal 95% interval (from 2 students).
    pub students_mean: Estimate,
    /// The simulated agents' mean payoff in this seat.
    pub agents_mean: Estimate,
    /// The median of the students' percentiles in the agents' distribution.
    pub median_percentile: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassSummary {
    pub students: u64,
    /// Students who reached a deal.
    pub deals: Share,
    /// Simulated runs that reached a deal.
    pub simulated_deals: Share,
    /// Students' deal share minus the simulated one (Newcombe's interval).
    pub deal_share_difference: Estimate,
    pub seats: Vec<SeatSummary>,
    /// Each student's percentile among the agents in that seat, ranked on
    /// expected payoffs.
    pub percentiles: Vec<Option<f64>>,
}

/// Summarises `games` against the simulation `tally` of the same scenario;
/// `agents_expected` holds each seat's expected payoffs, sorted.
pub fn summarise_class(
    model: &Model,
    games: &[PlayedGame],
    tally: &Tally,
    agents_expected: &[Vec<f64>; 2],
) -> ClassSummary {
    let n = games.len() as u64;
    let deals = games.iter().filter(|g| g.end == End::Agreement).count() as u64;
    let sim_deals = tally.ends[end_index(End::Agreement)];
    let percentiles =
        games.iter().map(|g| share_below(&agents_expected[g.seat], g.expected[g.seat])).collect::<Vec<_>>();
    let seats = (0..2)
        .filter(|&a| games.iter().any(|g| g.seat == a))
        .map(|a| {
            let xs: Vec<f64> = games.iter().filter(|g| g.seat == a).map(|g| g.payoff[a]).collect();
            let mut ps: Vec<f64> =
                games.iter().zip(&percentiles).filter(|(g, _)| g.seat == a).filter_map(|(_, p)| *p).collect();
            ps.sort_by(f64::total_cmp);
            let agents = &tally.payoff[a];
            let agents_ci = agents.mean().zip(agents.sd()).map(|(m, sd)| {
                let half = Z95 * sd / (agents.n as f64).sqrt();
                [m - half, m + half]
            });
            SeatSummary {
                actor: model.actors[a].id.clone(),
                students: xs.len() as u64,
                students_mean: mean_estimate(&xs),
                agents_mean: Estimate { value: agents.mean(), ci95: agents_ci },
                median_percentile: median(&ps),
            }
        })
        .collect();
    ClassSummary {
        students: n,
        deals: Share::new("agreement", deals, n),
        simulated_deals: Share::new("agreement", sim_deals, tally.runs),
        deal_share_difference: share_difference(deals, n, sim_deals, tally.runs),
        seats,
        percentiles,
    }
}

/// Orders names as people count: "s2" before "s10" (runs of digits compare
/// as numbers), then by the text itself.
pub fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn runs(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        for k in 0..chars.len() {
            let digit = chars[k].1.is_ascii_digit();
            let next_differs = chars.get(k + 1).is_none_or(|&(_, c)| c.is_ascii_digit() != digit);
            if next_differs {
                let end = chars.get(k + 1).map_or(s.len(), |&(i, _)| i);
                out.push((digit, &s[start..end]));
                start = end;
            }
        }
        out
    }
    let (ra, rb) = (runs(a), runs(b));
    for (x, y) in ra.iter().zip(&rb) {
        let o = match (x, y) {
            ((true, x), (true, y)) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            ((_, x), (_, y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        };
        if o.is_ne() {
            return o;
        }
    }
    ra.len().cmp(&rb.len()).then_with(|| a.cmp(b))
}

/// The mean with a normal 95% interval; no interval below two values.
fn mean_estimate(xs: &[f64]) -> Estimate {
    if xs.is_empty() {
        return Estimate { value: None, ci95: None };
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let ci95 = (xs.len() >= 2).then(|| {
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let half = Z95 * (var / n).sqrt();
        [mean - half, mean + half]
    });
    Estimate { value: Some(mean), ci95 }
}

fn median(sorted: &[f64]) -> Option<f64> {
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[n / 2]),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_student_has_a_mean_but_no_interval() {
        let e = mean_estimate(&[0.4]);
        assert_eq!((e.value, e.ci95), (Some(0.4), None));
        let e = mean_estimate(&[0.2, 0.4]);
        let [lo, hi] = e.ci95.unwrap();
        assert!(lo < 0.3 && hi > 0.3);
        assert_eq!(mean_estimate(&[]).value, None);
        assert_eq!(median(&[1.0, 2.0, 4.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0]), Some(1.5));
    }

    #[test]
    fn brink_class_sorted_s10_before_s2() {
        let mut names = vec!["s10", "s2", "s1", "ann", "s02b", "Bob", "s2a"];
        names.sort_by(|a, b| natural_order(a, b));
        assert_eq!(names, ["ann", "Bob", "s1", "s2", "s2a", "s02b", "s10"]);
    }
}
