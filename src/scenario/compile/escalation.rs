//! The brinkmanship keys (MODEL.md §5b): `[[actors.<id>.escalation]]`
//! ladders, `actors.<id>.escalate` rules, `scenario.reversible_escalation`
//! and `[[disagreement]] probability_by_ending`.
//!
//! Ladders are read after the disagreement lottery because steps name its
//! outcomes.

use toml::de::DeValue;

use super::{Bounds, Compiler, UNIT};
use crate::model::escalation::{
    COLUMN_BREAKDOWN, COLUMN_DEADLINE, COLUMN_DEFAULT, COLUMN_WALK_AWAY, ENDING_KEYS, LOTTERY_COLUMNS, MAX_STEPS,
};
use crate::model::{DisagreementOutcome, EscalationRule, Ladder, ParamId, Step};
use crate::scenario::diagnostic::did_you_mean;
use crate::scenario::toml_tree::{Value, join, type_name};

/// A per-round cost of an escalation step.
const STEP_COST: Bounds = Bounds {
    lo: 0.0,
    hi: 1.0,
    lo_open: false,
    what: "a per-round cost from 0 to 1 (utilities are on a 0–1 scale)",
    example: "0.004 (each round at this step costs 0.4% of the best deal)",
};
/// An increment of the per-round breakdown hazard.
const STEP_HAZARD: Bounds = Bounds {
    lo: 0.0,
    hi: 0.999,
    lo_open: false,
    what: "a hazard increment from 0 to 0.999",
    example: "0.01 (one more percentage point of breakdown risk per round)",
};
/// A shift of a disagreement payoff.
const PAYOFF_SHIFT: Bounds =
    Bounds { lo: -10.0, hi: 10.0, lo_open: false, what: "a payoff shift from -10 to 10", example: "-0.1" };

const RULES: &[&str] = &["never", "stalled", "mirror", "reasoning"];
const STEP_KEYS: &[&str] = &["id", "name", "cost", "cost_to_other", "hazard", "probability_shift", "payoff_shift"];

impl Compiler<'_> {
    /// `scenario.reversible_escalation` (default false: steps are permanent).
    pub(super) fn reversible_escalation(&mut self, v: Option<&Value<'_>>) -> Option<bool> {
        let Some(v) = v else { return Some(false) };
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                let path = "scenario.reversible_escalation";
                self.r.error(v.span(), path, format!("expected true or false, found {}", type_name(other))).help =
                    Some("reversible_escalation = true lets actors step down their ladders (de-escalation)".into());
                None
            }
        }
    }

    /// `probability_by_ending = { breakdown = 0.3, deadline = 0.5, walk-away-<actor> = 0.6 }`:
    /// the outcome's probability per way the talks ended; missing endings
    /// take `probability`.
    pub(super) fn by_ending(
        &mut self,
        v: Option<&Value<'_>>,
        path: &str,
        base: f64,
        ids: &[String],
    ) -> Option<[f64; LOTTERY_COLUMNS]> {
        let mut out = [base; LOTTERY_COLUMNS];
        let Some(v) = v else { return Some(out) };
        let path = join(path, "probability_by_ending");
        let mut t = self.r.table(v, &path)?;
        let walk_keys: Vec<String> = ids.iter().map(|id| format!("walk-away-{id}")).collect();
        let mut keys: Vec<(&str, usize)> = vec![(ENDING_KEYS[0], COLUMN_BREAKDOWN), (ENDING_KEYS[1], COLUMN_DEADLINE)];
        keys.extend(walk_keys.iter().enumerate().map(|(a, k)| (k.as_str(), COLUMN_WALK_AWAY + a)));
        let mut ok = true;
        for &(key, column) in &keys {
            if let Some(x) = t.get(key) {
                match self.r.number(x, &join(&path, key)) {
                    Some(p) if (0.0..=1.0).contains(&p) => out[column] = p,
                    Some(p) => {
                        self.r.error(
                            x.span(),
                            &join(&path, key),
                            format!("a probability must be from 0 to 1, found {p}"),
                        );
                        ok = false;
                    }
                    None => ok = false,
                }
            }
        }
        let allowed: Vec<&str> = keys.iter().map(|k| k.0).collect();
        t.finish(&mut self.r, &allowed);
        debug_assert_eq!(out[COLUMN_DEFAULT], base);
        ok.then_some(out)
    }

    /// Every ending's column must sum to 1, like the default one.
    pub(super) fn check_ending_columns(&mut self, v: &Value<'_>, out: &[DisagreementOutcome], ids: &[String]) -> bool {
        let mut ok = true;
        for column in 1..LOTTERY_COLUMNS {
            let total: f64 = out.iter().map(|d| d.by_ending[column]).sum();
            if (total - 1.0).abs() > 1e-9 {
                let key = match column {
                    COLUMN_BREAKDOWN => "breakdown".to_string(),
                    COLUMN_DEADLINE => "deadline".to_string(),
                    c => format!("walk-away-{}", ids.get(c - COLUMN_WALK_AWAY).map_or("?", String::as_str)),
                };
                self.r
                    .error(
                        v.span(),
                        "disagreement",
                        format!("after a {key}, the probabilities of the disagreement outcomes sum to {total}, not 1"),
                    )
                    .help = Some(format!(
                    "give `probability_by_ending.{key}` so that each ending's probabilities add up to 1 (an outcome without it uses its `probability`)"
                ));
                ok = false;
            }
        }
        ok
    }

    /// Both actors' ladders, read from the `[actors]` table.
    pub(super) fn ladders(
        &mut self,
        actors_v: &Value<'_>,
        ids: &[String],
        disagreement: &[DisagreementOutcome],
        rounds: u32,
    ) -> Option<[Ladder; 2]> {
        let DeValue::Table(actors) = actors_v.get_ref() else { return None };
        let mut out = [Ladder::default(), Ladder::default()];
        let mut ok = true;
        for (a, id) in ids.iter().enumerate() {
            let Some((_, actor_v)) = actors.iter().find(|(k, _)| k.get_ref().as_ref() == id) else { continue };
            let DeValue::Table(actor) = actor_v.get_ref() else { continue };
            let find = |key: &str| actor.iter().find(|(k, _)| k.get_ref().as_ref() == key).map(|(_, v)| v);
            let path = join("actors", id);
            let steps = match find("escalation") {
                Some(v) => self.steps(v, &join(&path, "escalation"), ids, disagreement),
                None => Some(Vec::new()),
            };
            let rule = match find("escalate") {
                Some(v) => self.rule(v, &join(&path, "escalate"), steps.as_deref(), rounds),
                None => Some((EscalationRule::Never, 0)),
            };
            match (steps, rule) {
                (Some(steps), Some((rule, start))) => {
                    if steps.is_empty()
                        && rule != EscalationRule::Never
                        && let Some(v) = find("escalate")
                    {
                        self.r
                            .error(
                                v.span(),
                                &join(&path, "escalate"),
                                format!("`{id}` has a rule for climbing its ladder but no ladder"),
                            )
                            .help = Some(format!("add [[{path}.escalation]] steps, or remove `escalate`"));
                        ok = false;
                    }
                    out[a] = Ladder { steps, rule, start };
                }
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn steps(
        &mut self,
        v: &Value<'_>,
        path: &str,
        ids: &[String],
        disagreement: &[DisagreementOutcome],
    ) -> Option<Vec<Step>> {
        let items = self.r.array(v, path)?;
        if items.len() > MAX_STEPS {
            self.r
                .error(v.span(), path, format!("a ladder has at most {MAX_STEPS} steps, found {}", items.len()))
                .help = Some("merge steps that always come together".into());
            return None;
        }
        let mut steps: Vec<Step> = Vec::new();
        let mut ok = true;
        for (k, item) in items.iter().enumerate() {
            let spath = format!("{path}[{k}]");
            match self.step(item, &spath, ids, disagreement) {
                Some(step) => {
                    if steps.iter().any(|s| s.id == step.id) {
                        self.r
                            .error(item.span(), &join(&spath, "id"), format!("duplicate step id `{}`", step.id))
                            .help = Some("give every step of a ladder its own id".into());
                        ok = false;
                    }
                    steps.push(step);
                }
                None => ok = false,
            }
        }
        ok.then_some(steps)
    }

    fn step(
        &mut self,
        v: &Value<'_>,
        path: &str,
        ids: &[String],
        disagreement: &[DisagreementOutcome],
    ) -> Option<Step> {
        let mut t = self.r.table(v, path)?;
        let id = t
            .require(&mut self.r, "id", "id = \"reinforce-border\"")
            .and_then(|v| self.r.identifier(v, &join(path, "id")));
        let name = t.get("name").map(|v| self.r.string(v, &join(path, "name")));
        let mut number = |c: &mut Self, key: &str, b: Bounds| match t.get(key) {
            Some(v) => c.param(v, &join(path, key), b),
            None => Some(c.fixed(0.0)),
        };
        let cost = number(self, "cost", STEP_COST);
        let cost_other = number(self, "cost_to_other", STEP_COST);
        let hazard = number(self, "hazard", STEP_HAZARD);
        let probability_shift = match t.get("probability_shift") {
            Some(v) => self.probability_shift(v, &join(path, "probability_shift"), disagreement),
            None => Some(Vec::new()),
        };
        let payoff_shift = match t.get("payoff_shift") {
            Some(v) => self.payoff_shift(v, &join(path, "payoff_shift"), ids, disagreement),
            None => Some(Vec::new()),
        };
        t.finish(&mut self.r, STEP_KEYS);
        let id = id?;
        let name = match name {
            Some(n) => n?,
            None => id.clone(),
        };
        Some(Step {
            id,
            name,
            cost: cost?,
            cost_other: cost_other?,
            hazard: hazard?,
            probability_shift: probability_shift?,
            payoff_shift: payoff_shift?,
        })
    }

    /// The index of a disagreement outcome named by `key`, or a located error.
    pub(super) fn outcome_index(
        &mut self,
        key: &toml::Spanned<std::borrow::Cow<'_, str>>,
        path: &str,
        disagreement: &[DisagreementOutcome],
    ) -> Option<u32> {
        let name = key.get_ref().as_ref();
        if let Some(k) = disagreement.iter().position(|d| d.id == name) {
            return Some(k as u32);
        }
        let d = self.r.error(key.span(), &join(path, name), format!("unknown disagreement outcome `{name}`"));
        d.help = Some(match did_you_mean(name, disagreement.iter().map(|d| d.id.as_str())) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "the disagreement outcomes are: {}",
                disagreement.iter().map(|d| d.id.as_str()).collect::<Vec<_>>().join(", ")
            ),
        });
        None
    }

    /// `{ <outcome> = shift }`, fixed numbers summing to 0.
    fn probability_shift(
        &mut self,
        v: &Value<'_>,
        path: &str,
        disagreement: &[DisagreementOutcome],
    ) -> Option<Vec<(u32, f64)>> {
        let mut t = self.r.table(v, path)?;
        let mut out = Vec::new();
        let mut ok = true;
        for (key, x) in t.entries() {
            let k = self.outcome_index(key, path, disagreement);
            let kpath = join(path, key.get_ref().as_ref());
            let shift = match x.get_ref() {
                DeValue::Integer(_) | DeValue::Float(_) => self.r.number(x, &kpath),
                other => {
                    self.r.error(x.span(), &kpath, format!("expected a fixed number from -1 to 1, found {}", type_name(other))).help =
                        Some("probability shifts are fixed numbers: they must sum to 0 within a step, which a draw could not keep".into());
                    None
                }
            };
            let shift = shift.filter(|s| {
                let inside = (-1.0..=1.0).contains(s);
                if !inside {
                    self.r.error(x.span(), &kpath, format!("a probability shift must be from -1 to 1, found {s}"));
                }
                inside
            });
            match (k, shift) {
                (Some(k), Some(s)) => out.push((k, s)),
                _ => ok = false,
            }
        }
        let total: f64 = out.iter().map(|x| x.1).sum();
        if ok && total.abs() > 1e-9 {
            self.r
                .error(v.span(), path, format!("the probability shifts of a step sum to {total}, not 0"))
                .help = Some("a step moves probability from some outcomes to others: make the shifts add up to 0, e.g. { sanctions-war = 0.1, status-quo = -0.1 } (a shift that would push a probability below 0 or above 1 is clamped there and the lottery renormalised)".into());
            return None;
        }
        ok.then_some(out)
    }

    /// `{ <outcome> = { <actor> = shift } }`; numbers may be uncertain.
    fn payoff_shift(
        &mut self,
        v: &Value<'_>,
        path: &str,
        ids: &[String],
        disagreement: &[DisagreementOutcome],
    ) -> Option<Vec<(u32, [ParamId; 2])>> {
        let mut t = self.r.table(v, path)?;
        let mut out = Vec::new();
        let mut ok = true;
        for (key, x) in t.entries() {
            let k = self.outcome_index(key, path, disagreement);
            let kpath = join(path, key.get_ref().as_ref());
            let shifts = self.actor_shifts(x, &kpath, ids);
            match (k, shifts) {
                (Some(k), Some(s)) => out.push((k, s)),
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn actor_shifts(&mut self, v: &Value<'_>, path: &str, ids: &[String]) -> Option<[ParamId; 2]> {
        let mut t = self.r.table(v, path)?;
        if ids.len() != 2 {
            return None;
        }
        let mut out = [None, None];
        for (a, id) in ids.iter().enumerate() {
            out[a] = match t.get(id) {
                Some(x) => self.param(x, &join(path, id), PAYOFF_SHIFT),
                None => Some(self.fixed(0.0)),
            };
        }
        let names: Vec<&str> = ids.iter().map(String::as_str).collect();
        t.finish(&mut self.r, &names);
        Some([out[0]?, out[1]?])
    }

    /// `escalate = "mirror"` or `{ rule = "stalled", after = 2, min_progress = 0.01, start = "<step id>" }`.
    fn rule(&mut self, v: &Value<'_>, path: &str, steps: Option<&[Step]>, rounds: u32) -> Option<(EscalationRule, u8)> {
        let (name, name_span, mut table) = match v.get_ref() {
            DeValue::String(s) => (s.to_string(), v.span(), None),
            DeValue::Table(_) => {
                let mut t = self.r.table(v, path)?;
                let rv = t.require(&mut self.r, "rule", "rule = \"stalled\"")?;
                (self.r.string(rv, &join(path, "rule"))?, rv.span(), Some(t))
            }
            other => {
                self.r
                    .error(v.span(), path, format!("expected a rule name or table, found {}", type_name(other)))
                    .help = Some("write escalate = \"mirror\" or escalate = { rule = \"stalled\", after = 2 }".into());
                return None;
            }
        };
        let rule = match name.as_str() {
            "never" => Some(EscalationRule::Never),
            "mirror" => Some(EscalationRule::Mirror),
            "reasoning" => Some(EscalationRule::ExpectedValue),
            "stalled" => {
                let after = table.as_mut().and_then(|t| t.get("after"));
                let after = match after {
                    Some(x) => self.r.integer(x, &join(path, "after"), 1, rounds.max(1) as i64).map(|n| n as u32),
                    None => Some(2),
                };
                let progress = match table.as_mut().and_then(|t| t.get("min_progress")) {
                    Some(x) => self.r.number(x, &join(path, "min_progress")).and_then(|p| {
                        if (UNIT.lo..=UNIT.hi).contains(&p) {
                            Some(p)
                        } else {
                            self.r.error(
                                x.span(),
                                &join(path, "min_progress"),
                                format!("expected {}, found {p}", UNIT.what),
                            );
                            None
                        }
                    }),
                    None => Some(0.01),
                };
                Some(EscalationRule::Stalled { after: after?, min_progress: progress? })
            }
            other => {
                let d = self.r.error(name_span, path, format!("unknown escalation rule `{other}`"));
                d.help = Some(match did_you_mean(other, RULES.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the rules are: {}", RULES.join(", ")),
                });
                None
            }
        };
        let mut start = Some(0u8);
        if let Some(t) = table.as_mut()
            && let Some(sv) = t.get("start")
        {
            start = self.r.identifier(sv, &join(path, "start")).and_then(|id| {
                let steps = steps?;
                match steps.iter().position(|s| s.id == id) {
                    Some(k) => Some(k as u8 + 1),
                    None => {
                        let d = self.r.error(sv.span(), &join(path, "start"), format!("the ladder has no step `{id}`"));
                        d.help = Some(match did_you_mean(&id, steps.iter().map(|s| s.id.as_str())) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!(
                                "`start` names the highest step taken before the talks; the steps are: {}",
                                steps.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")
                            ),
                        });
                        None
                    }
                }
            });
        }
        if let Some(t) = table {
            let allowed: &[&str] =
                if name == "stalled" { &["rule", "after", "min_progress", "start"] } else { &["rule", "start"] };
            t.finish(&mut self.r, allowed);
        }
        Some((rule?, start?))
    }
}
