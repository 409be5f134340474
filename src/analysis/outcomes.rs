//! The distribution of outcomes of a Monte Carlo, summarised from a tally:
//! shares with confidence intervals, payoff statistics, terms of the deals.

use serde::Serialize;

use super::bargaining::ParetoSet;
use super::benchmarks::{self, Benchmarks};
use super::shares::Share;
use crate::model::Model;
use crate::montecarlo::Tally;

/// Quantiles reported for payoffs.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];
/// Bins of the payoff histograms shown and plotted.
pub const PAYOFF_BINS: usize = 40;
/// How many of the most frequent agreements are listed.
pub const TOP_AGREEMENTS: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub runs: u64,
    /// How the talks ended: agreement, deadline, breakdown, walk-away.
    pub ends: Vec<Share>,
    /// Walk-aways by who walked away.
    pub walk_aways: Vec<Share>,
    /// Realised disagreement outcomes, as shares of all runs.
    pub disagreement: Vec<Share>,
    pub payoffs: Vec<PayoffSummary>,
    pub rounds: RoundsSummary,
    /// Per issue, the share of agreements on each option.
    pub terms: Vec<IssueTerms>,
    pub top_agreements: Vec<AgreementShare>,
    /// Agreements on the Pareto frontier (of the expected utilities).
    pub pareto_efficient: Share,
    /// The Nash bargaining solution(s) at the means, as `issue = option` text.
    pub nash_solution: Vec<String>,
    /// Mean Nash product `(u1 - d1)(u2 - d2)` of the agreements, in expected
    /// utilities with `d` the disagreement point (gains below 0 count as 0);
    /// "n/a" without agreements. Failed talks are not in it.
    pub mean_nash_product: Option<f64>,
    /// The same per run, a failed negotiation counting 0 (no gain over
    /// disagreement): joint gain reached, failures included.
    pub nash_product_per_run: Option<f64>,
    /// The Nash bargaining solution's own product, the most any outcome reaches.
    pub nash_solution_product: Option<f64>,
    /// Mean distance in expected-utility space from agreements to the
    /// nearest Nash bargaining outcome ("n/a" without agreements).
    pub mean_distance_to_nash: Option<f64>,
    /// Ladders, failure causes and the realised lottery (scenarios with
    /// escalation ladders only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalation: Option<super::escalation::EscalationSummary>,
    /// Why the failed runs failed, by counterfactual replay (only when the
    /// runs were attributed: not with `--no-causes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub causes: Option<super::causes::CauseSummary>,
    /// The theory the plots overlay (frontier and Nash), not serialised here.
    #[serde(skip)]
    pub benchmarks: Benchmarks,
    /// Every agreed outcome and its count, most frequent first (for plots).
    #[serde(skip)]
    pub agreements: Vec<(u32, u64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PayoffSummary {
    pub actor: String,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    /// 95% confidence interval of the mean (normal approximation).
    pub mean_ci95: Option<[f64; 2]>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// (probability, value) pairs; accurate to `quantile_resolution`.
    pub quantiles: Vec<(f64, Option<f64>)>,
    pub quantile_resolution: f64,
    pub histogram: Histogram,
}

#[derive(Debug, Clone, Serialize)]
pub struct Histogram {
    /// Bin edges: `counts.len() + 1` values.
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundsSummary {
    /// Mean round at which the talks ended (all runs).
    pub mean: Option<f64>,
    /// Mean round of agreement (agreements only).
    pub mean_agreement_round: Option<f64>,
    /// `by_end[e][t]`: runs that ended at round t in the e-th way.
    pub by_end: Vec<RoundCounts>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundCounts {
    pub end: String,
    pub counts: Vec<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssueTerms {
    pub issue: String,
    /// Every option for issues with at most [`ALL_OPTIONS_UP_TO`] options;
    /// for larger (numeric) issues only the options some agreement chose.
    pub options: Vec<Share>,
    /// How many options with no agreement were left out (0 when all are listed).
    pub options_omitted: usize,
}

/// Issues with more options than this list only the options agreed on, so
/// that a summary stays small for a numeric issue with millions of steps.
pub const ALL_OPTIONS_UP_TO: usize = 100;

#[derive(Debug, Clone, Serialize)]
pub struct AgreementShare {
    pub outcome: u32,
    /// `issue = option` for every issue.
    pub terms: Vec<(String, String)>,
    /// Share among agreements.
    pub share: Share,
    /// Each actor's expected utility of the outcome (numbers at their means).
    pub expected_utilities: Vec<f64>,
}

/// Summarises a tally of runs of `model`.
pub fn summarise(model: &Model, tally: &Tally) -> Summary {
    let n = tally.runs;
    let ends = (crate::montecarlo::END_LABELS.iter().zip(crate::montecarlo::END_NAMES))
        .zip(tally.ends)
        .map(|((l, name), c)| Share::new(*l, c, n).named(name))
        .collect();
    let walk_aways = model.actors.iter().zip(tally.walk_away_by).map(|(a, c)| Share::new(a.id.clone(), c, n)).collect();
    let disagreement = model
        .disagreement
        .iter()
        .zip(&tally.lottery)
        .map(|(d, &c)| Share::new(d.id.clone(), c, n).named(&d.name))
        .collect();
    let payoffs = (0..2).map(|a| payoff_summary(&model.actors[a].id, &tally.payoff[a])).collect();

    let agreed = tally.ends[0];
    let terms = model
        .issues
        .iter()
        .zip(tally.option_counts(model))
        .map(|(issue, counts)| {
            let all = issue.options.len() <= ALL_OPTIONS_UP_TO;
            let options: Vec<Share> = issue
                .options
                .iter()
                .zip(counts)
                .filter(|&(_, c)| all || c > 0)
                .map(|(o, c)| Share::new(o.clone(), c, agreed))
                .collect();
            IssueTerms { issue: issue.id.clone(), options_omitted: issue.options.len() - options.len(), options }
        })
        .collect();
    let agreements = tally.agreements_by_frequency();
    let top_agreements = agreements
        .iter()
        .take(TOP_AGREEMENTS)
        .map(|&(w, c)| AgreementShare {
            outcome: w,
            terms: model
                .issues
                .iter()
                .enumerate()
                .map(|(i, issue)| (issue.id.clone(), issue.options[model.option_of(w, i) as usize].clone()))
                .collect(),
            share: Share::new(model.describe_outcome(w), c, agreed),
            expected_utilities: model.mean_utilities.iter().map(|u| u[w as usize]).collect(),
        })
        .collect();
    let theory = benchmarks::analyse(model);
    let pareto = ParetoSet::new(model.space.len(), &theory.frontier);
    let efficient = agreements.iter().filter(|(w, _)| pareto.is_pareto_optimal(*w)).map(|(_, c)| c).sum();

    let d = (theory.disagreement_point[0], theory.disagreement_point[1]);
    let (u1, u2) = (&model.mean_utilities[0], &model.mean_utilities[1]);
    let nash_products = (agreed > 0)
        .then(|| {
            agreements
                .iter()
                .map(|&(w, c)| super::bargaining::nash_product(u1, u2, w, d).map(|x| x * c as f64))
                .sum::<Option<f64>>()
        })
        .flatten();
    let rounds_total: u64 = tally.rounds.iter().enumerate().map(|(t, r)| t as u64 * r.iter().sum::<u64>()).sum();
    let agreement_rounds: u64 = tally.rounds.iter().enumerate().map(|(t, r)| t as u64 * r[0]).sum();
    let rounds = RoundsSummary {
        mean: (n > 0).then(|| rounds_total as f64 / n as f64),
        mean_agreement_round: (agreed > 0).then(|| agreement_rounds as f64 / agreed as f64),
        by_end: crate::montecarlo::END_LABELS
            .iter()
            .enumerate()
            .map(|(e, l)| RoundCounts { end: l.to_string(), counts: tally.rounds.iter().map(|r| r[e]).collect() })
            .collect(),
    };
    Summary {
        runs: n,
        ends,
        walk_aways,
        disagreement,
        payoffs,
        rounds,
        terms,
        top_agreements,
        pareto_efficient: Share::new("pareto-efficient", efficient, agreed),
        nash_solution: theory.nash.outcomes.iter().map(|&w| model.describe_outcome(w)).collect(),
        mean_nash_product: nash_products.map(|total| total / agreed as f64),
        nash_product_per_run: nash_products.map(|total| total / n as f64),
        nash_solution_product: theory.nash.value,
        mean_distance_to_nash: benchmarks::mean_distance_to_nash(model, &theory.nash, &agreements),
        escalation: super::escalation::summarise(model, tally),
        causes: super::causes::summarise(model, tally),
        benchmarks: theory,
        agreements,
    }
}

fn payoff_summary(actor: &str, p: &crate::montecarlo::PayoffTally) -> PayoffSummary {
    let mean = p.mean();
    let sd = p.sd();
    let mean_ci95 = match (mean, sd) {
        (Some(m), Some(s)) => {
            let half = 1.96 * s / (p.n as f64).sqrt();
            Some([m - half, m + half])
        }
        _ => None,
    };
    let (edges, counts) = p.histogram.coarse(PAYOFF_BINS);
    let clamp = |x: f64| x.clamp(p.min, p.max);
    PayoffSummary {
        actor: actor.to_string(),
        mean,
        sd,
        mean_ci95,
        min: (p.n > 0).then_some(p.min),
        max: (p.n > 0).then_some(p.max),
        quantiles: QUANTILES.iter().map(|&q| (q, p.histogram.quantile(q).map(clamp))).collect(),
        quantile_resolution: p.histogram.width(),
        histogram: Histogram { edges, counts },
    }
}
