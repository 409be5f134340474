//! Reading `[power_shift]`: the later periods of a deal's life, the conflict
//! lottery in each, and how likely a deal is to bind (docs/scenario-format.md).

use super::*;
use crate::model::{PowerPeriod, PowerShift};

const KEYS: &[&str] = &["discount", "enforcement", "levels", "periods"];
const PERIOD_KEYS: &[&str] = &["probability", "payoffs"];

/// The enforcement levels a scenario may name without defining them.
const DEFAULT_LEVELS: [(&str, f64); 3] = [("informal", 0.0), ("written", 0.5), ("verified", 1.0)];

impl Compiler<'_> {
    pub(super) fn power_shift(
        &mut self,
        v: Option<&Value<'_>>,
        ids: &[String],
        disagreement: &[DisagreementOutcome],
    ) -> Option<Option<PowerShift>> {
        let Some(v) = v else { return Some(None) };
        let path = "power_shift";
        let mut t = self.r.table(v, path)?;
        let discount = t
            .require(&mut self.r, "discount", "discount = 0.9 (the weight of each later period of the deal's life)")
            .and_then(|v| self.param(v, "power_shift.discount", DISCOUNT));
        let levels = match t.get("levels") {
            Some(v) => self.levels(v),
            None => Some(DEFAULT_LEVELS.iter().map(|&(n, q)| (n.to_string(), q)).collect()),
        };
        let enforcement_v = t.get("enforcement");
        let periods_v = t.require(&mut self.r, "periods", "[[power_shift.periods]] tables, one per later period");
        t.finish(&mut self.r, KEYS);
        let levels = levels?;
        let (enforcement, level) = match enforcement_v {
            None => (Some(self.fixed(0.0)), None),
            Some(v) => match v.get_ref() {
                DeValue::String(name) => {
                    let name = name.to_string();
                    match levels.iter().find(|(n, _)| *n == name) {
                        Some(&(_, q)) => (Some(self.fixed(q)), Some(name)),
                        None => {
                            let d = self.r.error(
                                v.span(),
                                "power_shift.enforcement",
                                format!("unknown enforcement level `{name}`"),
                            );
                            d.help = Some(match did_you_mean(&name, levels.iter().map(|(n, _)| n.as_str())) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => format!(
                                    "the levels are: {} (define others in power_shift.levels), or give a number from 0 to 1",
                                    levels.iter().map(|(n, q)| format!("{n} = {q}")).collect::<Vec<_>>().join(", ")
                                ),
                            });
                            (None, None)
                        }
                    }
                }
                _ => (self.param(v, "power_shift.enforcement", UNIT), None),
            },
        };
        let periods = periods_v.and_then(|v| self.periods(v, ids, disagreement));
        let periods = periods?;
        Some(Some(PowerShift { discount: discount?, enforcement: enforcement?, level, periods, per_run: false }))
    }

    /// `levels = { informal = 0.0, ... }`: names for enforcement strengths.
    fn levels(&mut self, v: &Value<'_>) -> Option<Vec<(String, f64)>> {
        let mut t = self.r.table(v, "power_shift.levels")?;
        let mut out = Vec::new();
        let mut ok = true;
        for (key, x) in t.entries() {
            let name = key.get_ref().to_string();
            let kpath = join("power_shift.levels", &name);
            match self.r.number(x, &kpath) {
                Some(q) if (0.0..=1.0).contains(&q) => out.push((name, q)),
                Some(q) => {
                    self.r
                        .error(x.span(), &kpath, format!("an enforcement strength must be from 0 to 1, found {q}"))
                        .help = Some("0: the deal never binds once power has shifted; 1: it always binds".into());
                    ok = false;
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn periods(
        &mut self,
        v: &Value<'_>,
        ids: &[String],
        disagreement: &[DisagreementOutcome],
    ) -> Option<Vec<PowerPeriod>> {
        let items = self.r.array(v, "power_shift.periods")?;
        if items.is_empty() {
            self.r.error(v.span(), "power_shift.periods", "a power shift needs at least one later period").help =
                Some("add [[power_shift.periods]] with the lottery's new probabilities, e.g. probability = { russia-wins = 0.4, us-wins = 0.6 }".into());
            return None;
        }
        if items.len() > crate::limits::MAX_POWER_PERIODS {
            self.r
                .error(
                    v.span(),
                    "power_shift.periods",
                    format!("{} later periods, above the limit of {}", items.len(), crate::limits::MAX_POWER_PERIODS),
                )
                .help =
                Some("merge periods in which the lottery stays the same: a later period's weight is δ^k".into());
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (k, item) in items.iter().enumerate() {
            match self.period(item, &format!("power_shift.periods[{k}]"), ids, disagreement) {
                Some(p) => out.push(p),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// One later period: the lottery's probabilities and payoffs that change
    /// (the others stay as in `[[disagreement]]`).
    fn period(
        &mut self,
        v: &Value<'_>,
        path: &str,
        ids: &[String],
        disagreement: &[DisagreementOutcome],
    ) -> Option<PowerPeriod> {
        let mut t = self.r.table(v, path)?;
        let mut probability: Vec<f64> = disagreement.iter().map(|d| d.probability).collect();
        let mut payoff: Vec<[ParamId; 2]> = disagreement.iter().map(|d| d.payoff).collect();
        let mut ok = true;
        if let Some(pv) = t.get("probability") {
            let ppath = join(path, "probability");
            match self.r.table(pv, &ppath) {
                Some(mut pt) => {
                    for (key, x) in pt.entries() {
                        let k = self.outcome_index(key, &ppath, disagreement);
                        let kpath = join(&ppath, key.get_ref().as_ref());
                        let value = match x.get_ref() {
                            DeValue::Integer(_) | DeValue::Float(_) => self.r.number(x, &kpath),
                            other => {
                                self.r.error(x.span(), &kpath, format!("expected a fixed probability from 0 to 1, found {}", type_name(other))).help =
                                    Some("a period's probabilities are fixed numbers: they must sum to 1, which a draw could not keep".into());
                                None
                            }
                        };
                        let value = value.filter(|p| {
                            let inside = (0.0..=1.0).contains(p);
                            if !inside {
                                self.r.error(x.span(), &kpath, format!("a probability must be from 0 to 1, found {p}"));
                            }
                            inside
                        });
                        match (k, value) {
                            (Some(k), Some(p)) => probability[k as usize] = p,
                            _ => ok = false,
                        }
                    }
                    let total: f64 = probability.iter().sum();
                    if ok && (total - 1.0).abs() > 1e-9 {
                        let base: Vec<String> = disagreement
                            .iter()
                            .zip(&probability)
                            .map(|(d, p)| format!("{} = {}", d.id, number_label(*p)))
                            .collect();
                        self.r
                            .error(
                                pv.span(),
                                &ppath,
                                format!("the lottery in this period sums to {}, not 1", number_label(total)),
                            )
                            .help = Some(format!(
                            "outcomes not listed keep their [[disagreement]] probability; here: {}. Make them add up to 1",
                            base.join(", ")
                        ));
                        ok = false;
                    }
                }
                None => ok = false,
            }
        }
        if let Some(pv) = t.get("payoffs") {
            let ppath = join(path, "payoffs");
            match self.r.table(pv, &ppath) {
                Some(mut pt) => {
                    for (key, x) in pt.entries() {
                        let k = self.outcome_index(key, &ppath, disagreement);
                        let kpath = join(&ppath, key.get_ref().as_ref());
                        let numbers = self.period_payoffs(x, &kpath, ids);
                        match (k, numbers) {
                            (Some(k), Some(numbers)) => {
                                for (a, n) in numbers.into_iter().enumerate() {
                                    if let Some(n) = n {
                                        payoff[k as usize][a] = n;
                                    }
                                }
                            }
                            _ => ok = false,
                        }
                    }
                }
                None => ok = false,
            }
        }
        t.finish(&mut self.r, PERIOD_KEYS);
        ok.then_some(PowerPeriod { probability, payoff })
    }

    /// `{ <actor> = payoff }`: the actors listed get a new payoff.
    fn period_payoffs(&mut self, v: &Value<'_>, path: &str, ids: &[String]) -> Option<[Option<ParamId>; 2]> {
        let mut t = self.r.table(v, path)?;
        if ids.len() != 2 {
            return None;
        }
        let mut out = [None, None];
        let mut ok = true;
        for (a, id) in ids.iter().enumerate() {
            if let Some(x) = t.get(id) {
                out[a] = self.param(x, &join(path, id), ANY);
                ok &= out[a].is_some();
            }
        }
        let names: Vec<&str> = ids.iter().map(String::as_str).collect();
        t.finish(&mut self.r, &names);
        ok.then_some(out)
    }
}
