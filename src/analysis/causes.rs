//! Why the failed runs failed, summarised from a tally's counterfactual
//! replays (docs/model.md §12): per mechanism, the share of failures it was
//! necessary for, with Wilson intervals. The shares overlap (a failure may
//! need two mechanisms) and need not sum to 100% (a failure may need none
//! alone).

use serde::Serialize;

use super::shares::Share;
use crate::model::Model;
use crate::montecarlo::Tally;
use crate::montecarlo::causes::{all_pairs, index, pair_index};

#[derive(Debug, Clone, Serialize)]
pub struct CauseSummary {
    /// Failed runs, each replayed once per mechanism the scenario uses.
    pub failures: u64,
    /// Per mechanism the scenario uses, in a fixed order: the failures
    /// that would have been agreements without it.
    pub necessary: Vec<Share>,
    /// Failures with no single necessary mechanism that agree with all of
    /// them switched off.
    pub overdetermined: Share,
    /// Of the overdetermined failures, those that agree with just this pair
    /// switched off (`a+b`; pairs that saved none are left out).
    pub overdetermined_pairs: Vec<Share>,
    /// Failures that fail even with every mechanism switched off.
    pub no_mechanism: Share,
}

impl CauseSummary {
    /// Every row of the "why the talks failed" plot and table: each
    /// mechanism, then overdetermined and no mechanism.
    pub fn rows(&self) -> Vec<Share> {
        let mut out = self.necessary.clone();
        out.push(self.overdetermined.clone());
        out.push(self.no_mechanism.clone());
        out
    }
}

/// The cause shares of `tally`, or `None` if its runs were not attributed.
pub fn summarise(model: &Model, tally: &Tally) -> Option<CauseSummary> {
    let c = tally.causes.as_ref()?;
    let used = model.mechanisms_used();
    let n = c.failures;
    Some(CauseSummary {
        failures: n,
        necessary: used.iter().map(|&m| Share::new(m.name(), c.necessary[index(m)], n).named(m.title())).collect(),
        overdetermined: Share::new("overdetermined", c.overdetermined, n),
        overdetermined_pairs: all_pairs()
            .map(|(a, b)| (a, b, c.pairs[pair_index(a, b)]))
            .filter(|&(a, b, k)| k > 0 && used.contains(&a) && used.contains(&b))
            .map(|(a, b, k)| Share::new(format!("{}+{}", a.name(), b.name()), k, c.overdetermined))
            .collect(),
        no_mechanism: Share::new("none", c.no_mechanism, n).named("no mechanism"),
    })
}
