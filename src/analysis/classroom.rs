//! Played games beside the simulation: where one player's result falls in
//! the distribution of `brink run` for the same scenario and seed, and how a
//! class of players did against the agents.

use serde::Serialize;

use super::comparison::{Estimate, share_difference};
use super::shares::Share;
use crate::engine::{End, Ending};
use crate::model::{ActorIdx, Model};
use crate::montecarlo::{Tally, end_index};

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// One played game against the simulation.
#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    /// Share of simulated runs in which the agent in the player's seat did
    /// worse than the player (ties count half); accurate to one fine bin.
    pub percentile: Option<f64>,
    /// Simulated runs that ended the same way (for a walk-away: the same
    /// side walked away).
    pub same_end: Share,
    /// For an agreement: simulated runs that agreed on exactly these terms.
    pub same_agreement: Option<Share>,
    /// The mean payoff of the agent in the player's seat.
    pub agents_mean: Option<f64>,
}

/// How `ending`, played from seat `seat`, compares with the simulated runs.
pub fn standing(tally: &Tally, seat: ActorIdx, ending: &Ending) -> Standing {
    let same = match ending.end {
        End::WalkAway(a) => tally.walk_away_by[a],
        e => tally.ends[end_index(e)],
    };
    let label = match ending.end {
        End::WalkAway(_) => "walk-away by the same side",
        e => e.label(),
    };
    Standing {
        percentile: tally.payoff[seat].histogram.fraction_below(ending.payoff[seat]),
        same_end: Share::new(label, same, tally.runs),
        same_agreement: ending
            .agreement
            .map(|w| Share::new("same terms", tally.agreements.get(&w).copied().unwrap_or(0), tally.runs)),
        agents_mean: tally.payoff[seat].mean(),
    }
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
    pub payoff: [f64; 2],
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
    /// Each student's percentile in the agents' distribution for that seat.
    pub percentiles: Vec<Option<f64>>,
}

/// Summarises `games` against the simulation `tally` of the same scenario.
pub fn summarise_class(model: &Model, games: &[PlayedGame], tally: &Tally) -> ClassSummary {
    let n = games.len() as u64;
    let deals = games.iter().filter(|g| g.end == End::Agreement).count() as u64;
    let sim_deals = tally.ends[end_index(End::Agreement)];
    let percentiles =
        games.iter().map(|g| tally.payoff[g.seat].histogram.fraction_below(g.payoff[g.seat])).collect::<Vec<_>>();
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
}
