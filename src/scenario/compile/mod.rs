//! Reads a scenario's spanned TOML tree into a validated [`Model`].
//!
//! Every problem is collected (not just the first), each with its span and
//! TOML path. The order of reading follows the references: actor ids and
//! issues first, because everything else names them.

mod actors;
mod audience;
mod beliefs;
mod escalation;
mod power;
mod red_lines;
mod strategy;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, did_you_mean};
use super::toml_tree::{Num, Reader, Table, Value, join, type_name};
use crate::model::{
    Acceptance, Actor, DisagreementOutcome, Issue, MAX_OUTCOMES, MAX_ROUNDS, Model, OpponentModel, OutcomeSpace,
    ParamId, Params, Prior, Rule, StrategyConfig, WalkAway, number_label,
};

/// The allowed range of a number, used both for fixed values and for the
/// support of a distribution.
#[derive(Clone, Copy)]
struct Bounds {
    lo: f64,
    hi: f64,
    lo_open: bool,
    what: &'static str,
    example: &'static str,
}

/// Payoffs, bonuses and thresholds. Utilities live near [0, 1]; keeping
/// every number within ±1000 keeps the Monte Carlo's exact integer sums far
/// from overflow.
const ANY: Bounds =
    Bounds { lo: -1000.0, hi: 1000.0, lo_open: false, what: "a number from -1000 to 1000", example: "0.3" };
const UNIT: Bounds = Bounds { lo: 0.0, hi: 1.0, lo_open: false, what: "a number from 0 to 1", example: "0.5" };
const DISCOUNT: Bounds = Bounds {
    lo: 0.0,
    hi: 1.0,
    lo_open: true,
    what: "a discount factor in (0, 1]",
    example: "0.95 (each round of delay keeps 95% of a deal's value)",
};
const NON_NEGATIVE: Bounds =
    Bounds { lo: 0.0, hi: 1000.0, lo_open: false, what: "a number from 0 to 1000", example: "0.01" };
const POSITIVE: Bounds =
    Bounds { lo: 0.0, hi: 1000.0, lo_open: true, what: "a number > 0 (at most 1000)", example: "0.3" };
const HAZARD: Bounds = Bounds {
    lo: 0.0,
    hi: 0.999,
    lo_open: false,
    what: "a probability from 0 to 0.999",
    example: "0.02 (a 2% chance that talks collapse after each rejected round)",
};

/// The default exponents of the time-dependent teaching aliases.
const BOULWARE_BETA: f64 = 0.3;
const CONCEDER_BETA: f64 = 3.0;

const TOP_KEYS: &[&str] = &["scenario", "issues", "actors", "disagreement", "rules", "power_shift", "variants"];

/// How an actor's values for an issue were written; the subgame-perfect
/// strategy needs to know whether they are linear.
#[derive(Clone, Copy, PartialEq, Debug)]
enum ValueForm {
    Increasing,
    Decreasing,
    Other,
}

struct Compiler<'s> {
    r: Reader<'s>,
    params: Params,
}

/// Parses and compiles scenario text. `Err` holds every problem found.
pub fn compile_text(text: &str) -> Result<Model, Vec<Diagnostic>> {
    let root = DeTable::parse(text).map_err(|e| vec![syntax_diagnostic(&e, text)])?;
    compile_tree(&root, text)
}

/// Turns toml's parse error into a diagnostic.
pub fn syntax_diagnostic(e: &toml::de::Error, text: &str) -> Diagnostic {
    // toml gives no span for its recursion limit; the culprit is the most
    // deeply nested line, so point there rather than at 1:1.
    let span = e.span().unwrap_or_else(|| deepest_line(text));
    let message = e.message().trim().to_string();
    Diagnostic::new(span, "", format!("TOML syntax error: {message}"))
        .with_help("see docs/scenario-format.md for the layout of a scenario file")
}

/// Compiles an already-parsed tree (the entry point for overrides, which edit
/// the tree before compiling).
pub fn compile_tree(root: &Spanned<DeTable<'_>>, text: &str) -> Result<Model, Vec<Diagnostic>> {
    let mut c = Compiler { r: Reader::new(text), params: Params::default() };
    let model = c.model(root);
    c.r.diagnostics.extend(super::overrides::variants(root.get_ref()).1);
    match model {
        Some(m) if c.r.diagnostics.is_empty() => Ok(m),
        _ => {
            let mut d = c.r.diagnostics;
            if d.is_empty() {
                // Defensive: a None without a recorded reason would be a bug,
                // but the user must still get a message, not a panic.
                d.push(Diagnostic::new(0..0, "", "the scenario could not be read"));
            }
            d.sort_by_key(|d| d.span.start);
            if d.len() > crate::limits::MAX_PROBLEMS {
                let more = d.len() - crate::limits::MAX_PROBLEMS;
                d.truncate(crate::limits::MAX_PROBLEMS);
                d.push(
                    Diagnostic::new(text.len()..text.len(), "", format!("and {more} more problems, not listed"))
                        .with_help(format!(
                            "brink lists the first {} problems; fix those first",
                            crate::limits::MAX_PROBLEMS
                        )),
                );
            }
            Err(d)
        }
    }
}

impl Compiler<'_> {
    fn model(&mut self, root: &Spanned<DeTable<'_>>) -> Option<Model> {
        let mut top = Table::new(root.get_ref(), root.span().start..root.span().start, String::new());
        let scenario_v = top.require(&mut self.r, "scenario", "[scenario] with name and rounds");
        let issues_v = top.require(&mut self.r, "issues", "[[issues]] with id and options");
        let actors_v = top.require(&mut self.r, "actors", "[actors.<id>] for each of the two actors");
        let disagreement_v = top.get("disagreement");
        let rules_v = top.get("rules");
        let power_v = top.get("power_shift");
        // Variants are overrides applied before compiling; their syntax is
        // checked where they are applied.
        let _ = top.get("variants");
        top.finish(&mut self.r, TOP_KEYS);

        let actor_ids = actors_v.and_then(|v| self.actor_ids(v)).unwrap_or_default();
        let issues = issues_v.and_then(|v| self.issues(v));
        let scenario = scenario_v.and_then(|v| self.scenario_section(v, &actor_ids));
        let hazard = scenario.as_ref().map(|s| s.hazard);
        let issues = issues?;
        let actors = actors_v.and_then(|v| self.actors(v, &issues, &actor_ids));
        let disagreement = self.disagreement(disagreement_v, &actor_ids);
        let rules = self.rules(rules_v, &issues, &actor_ids);
        let (scenario, actors, disagreement, rules, _hazard) = (scenario?, actors?, disagreement?, rules?, hazard?);
        let ladders = self.ladders(actors_v?, &actor_ids, &disagreement, scenario.rounds)?;
        let power = self.power_shift(power_v, &actor_ids, &disagreement)?;
        let odds = self.believed_odds(actors_v?, &actor_ids, &disagreement)?;
        let red_lines = self.red_lines(actors_v?, &actor_ids, &issues, &actors)?;
        let has_ladder = [!ladders[0].steps.is_empty(), !ladders[1].steps.is_empty()];
        let audience = self.audience_costs(actors_v?, &actor_ids, &issues, &actors, has_ladder, scenario.reversible)?;
        let (actors, forms): (Vec<Actor>, Vec<Vec<ValueForm>>) = actors.into_iter().unzip();
        let mut actors: [Actor; 2] = actors.try_into().ok()?;
        for ((actor, odds), audience) in actors.iter_mut().zip(odds).zip(audience) {
            actor.believed_odds = odds;
            actor.audience = audience;
        }

        let radix: Vec<u32> = issues.iter().map(|i| i.options.len() as u32).collect();
        // Checked: 128 binary issues overflow even u128, and a wrapped size
        // would pass the limit.
        let size: u128 = radix.iter().try_fold(1u128, |acc, &r| acc.checked_mul(r as u128)).unwrap_or(u128::MAX);
        if size > MAX_OUTCOMES as u128 {
            let span = issues_v.map(|v| v.span()).unwrap_or(0..0);
            let mut sizes = radix.iter().take(8).map(|r| r.to_string()).collect::<Vec<_>>().join(" x ");
            if radix.len() > 8 {
                sizes.push_str(&format!(" x ... ({} issues)", radix.len()));
            }
            let size = if size == u128::MAX { "more than 2^128".to_string() } else { size.to_string() };
            self.r
                .error(span, "issues", format!("the outcome space has {size} outcomes ({sizes}), above the limit of {MAX_OUTCOMES}"))
                .help = Some("use fewer options or coarser numeric ranges (fewer steps); brink keeps a utility per outcome in memory".into());
            return None;
        }
        // Building a utility table costs one step per issue and per rule
        // condition for every outcome: refuse what would run for minutes.
        let steps: u128 = issues.len() as u128 + rules.iter().map(|r| r.conditions.len() as u128).sum::<u128>();
        if size.saturating_mul(steps) > crate::limits::MAX_RULE_WORK as u128 {
            let span = rules_v.or(issues_v).map(|v| v.span()).unwrap_or(0..0);
            self.r
                .error(span, "rules", format!(
                    "{} rules on {size} outcomes: building a utility table would take {} steps, above the limit of {}",
                    rules.len(), size.saturating_mul(steps), crate::limits::MAX_RULE_WORK
                ))
                .help = Some("use fewer rules or a smaller outcome space (fewer options, coarser numeric ranges)".into());
            return None;
        }
        if let (Some(shift), Some(v)) = (&power, power_v) {
            let work = size.saturating_mul(shift.periods.len() as u128);
            if work > crate::limits::MAX_POWER_WORK as u128 {
                self.r
                    .error(v.span(), "power_shift", format!(
                        "{} later periods on {size} outcomes: valuing every deal would take {work} steps, above the limit of {}",
                        shift.periods.len(), crate::limits::MAX_POWER_WORK
                    ))
                    .help = Some("use fewer later periods or a smaller outcome space (fewer options, coarser numeric ranges)".into());
                return None;
            }
        }
        let mut model = Model {
            name: scenario.name,
            description: scenario.description,
            sources: scenario.sources,
            rounds: scenario.rounds,
            first_mover: scenario.first_mover,
            talks_open: scenario.talks_open,
            hazard: scenario.hazard,
            space: OutcomeSpace::new(radix),
            issues,
            actors,
            disagreement,
            rules,
            params: std::mem::take(&mut self.params),
            ladders,
            reversible: scenario.reversible,
            mean_utilities: [Vec::new(), Vec::new()],
            power,
            types_known: scenario.types_known,
            red_lines,
            red_line_crossings: [Vec::new(), Vec::new()],
            red_line_deadlocks: Vec::new(),
            utility_layout: Default::default(),
            lottery_table: Default::default(),
            nash_candidates: [None, None],
            raw_utilities: [None, None],
        };
        model.derive_tables();
        self.check_spe(&model, &forms, actors_v?);
        Some(model)
    }

    /// Registers a number (fixed or uncertain) after checking it lies in `b`.
    fn param(&mut self, v: &Value<'_>, path: &str, b: Bounds) -> Option<ParamId> {
        let num = self.r.num(v, path)?;
        let (lo, hi) = num.support();
        let below = if b.lo_open { lo <= b.lo } else { lo < b.lo };
        if below || hi > b.hi {
            let msg = match &num {
                Num::Fixed(x) => format!("expected {}, found {x}", b.what),
                Num::Uncertain(d) => format!(
                    "expected {}, but this distribution can draw values from {lo} to {hi}: {}",
                    b.what,
                    d.describe()
                ),
            };
            let help = match &num {
                Num::Fixed(_) => format!("for example {}", b.example),
                Num::Uncertain(_) => {
                    "add `min` and `max` clamps inside the table, e.g. { normal = [0.9, 0.05], min = 0.5, max = 1.0 }"
                        .to_string()
                }
            };
            self.r.error(v.span(), path, msg).help = Some(help);
            return None;
        }
        Some(match num {
            Num::Fixed(x) => self.params.add_fixed(x),
            Num::Uncertain(d) => self.params.add_uncertain(path.to_string(), d),
        })
    }

    fn fixed(&mut self, x: f64) -> ParamId {
        self.params.add_fixed(x)
    }

    fn actor_ids(&mut self, v: &Value<'_>) -> Option<Vec<String>> {
        let mut t = self.r.table(v, "actors")?;
        let entries = t.entries();
        let mut ids = Vec::new();
        for (k, _) in &entries {
            let id = k.get_ref().to_string();
            if !super::toml_tree::valid_identifier(&id) {
                self.r.error(k.span(), &join("actors", &id), format!("`{id}` is not a valid actor id")).help =
                    Some("ids use letters, digits, `-` and `_` only, e.g. [actors.usa]".into());
            }
            ids.push(id);
        }
        if ids.len() != 2 {
            self.r.error(v.span(), "actors", format!("a scenario has exactly two actors, found {}", ids.len())).help =
                Some("define two tables such as [actors.usa] and [actors.russia]".into());
            return None;
        }
        Some(ids)
    }

    fn scenario_section(&mut self, v: &Value<'_>, actor_ids: &[String]) -> Option<ScenarioSection> {
        let mut t = self.r.table(v, "scenario")?;
        let name = t
            .require(&mut self.r, "name", "name = \"Geneva talks, January 2022\"")
            .and_then(|v| self.r.string(v, "scenario.name"));
        let description = match t.get("description") {
            Some(v) => self.r.string(v, "scenario.description"),
            None => Some(String::new()),
        };
        let sources = match t.get("sources") {
            Some(v) => self.strings(v, "scenario.sources"),
            None => Some(Vec::new()),
        };
        let rounds = t
            .require(&mut self.r, "rounds", "rounds = 20")
            .and_then(|v| self.r.integer(v, "scenario.rounds", 1, MAX_ROUNDS as i64));
        let first_mover = match t.get("first_mover") {
            Some(v) => self.r.string(v, "scenario.first_mover").and_then(|id| {
                let found = actor_ids.iter().position(|a| *a == id);
                if found.is_none() && !actor_ids.is_empty() {
                    let d = self.r.error(v.span(), "scenario.first_mover", format!("`{id}` is not one of the actors"));
                    d.help = Some(match did_you_mean(&id, actor_ids.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the actors are: {}", actor_ids.join(", ")),
                    });
                }
                found
            }),
            None => Some(0),
        };
        let talks_open = match t.get("talks_open") {
            Some(v) => self.r.integer(v, "scenario.talks_open", 0, MAX_ROUNDS as i64).and_then(|open| match rounds {
                Some(rounds) if open >= rounds => {
                    let d = self.r.error(
                        v.span(),
                        "scenario.talks_open",
                        format!("the talks open at round {open}, but the last round is {}", rounds - 1),
                    );
                    d.help = Some(format!(
                        "rounds are numbered from 0: give talks_open below rounds = {rounds}, or raise rounds"
                    ));
                    None
                }
                _ => Some(open as u32),
            }),
            None => Some(0),
        };
        let hazard = match t.get("breakdown_hazard") {
            Some(v) => self.param(v, "scenario.breakdown_hazard", HAZARD),
            None => Some(self.fixed(0.0)),
        };
        let reversible = self.reversible_escalation(t.get("reversible_escalation"));
        let types_known = match t.get("types_known") {
            None => Some(false),
            Some(v) => match v.get_ref() {
                DeValue::Boolean(b) => Some(*b),
                other => {
                    self.r
                        .error(
                            v.span(),
                            "scenario.types_known",
                            format!("expected true or false, found {}", type_name(other)),
                        )
                        .help = Some(
                        "types_known = true lets each side see the other's drawn numbers (complete information)".into(),
                    );
                    None
                }
            },
        };
        t.finish(
            &mut self.r,
            &[
                "name",
                "description",
                "sources",
                "rounds",
                "first_mover",
                "talks_open",
                "breakdown_hazard",
                "reversible_escalation",
                "types_known",
            ],
        );
        Some(ScenarioSection {
            name: name?,
            description: description?,
            sources: sources?,
            rounds: rounds? as u32,
            first_mover: first_mover?,
            talks_open: talks_open?,
            hazard: hazard?,
            reversible: reversible?,
            types_known: types_known?,
        })
    }

    fn strings(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<String>> {
        let items = self.r.array(v, path)?;
        let out: Vec<Option<String>> =
            items.iter().enumerate().map(|(k, s)| self.r.string(s, &format!("{path}[{k}]"))).collect();
        out.into_iter().collect()
    }

    fn issues(&mut self, v: &Value<'_>) -> Option<Vec<Issue>> {
        let items = self.r.array(v, "issues")?;
        if items.is_empty() {
            self.r.error(v.span(), "issues", "a scenario needs at least one issue").help =
                Some("add [[issues]] with id and options".into());
            return None;
        }
        let mut issues = Vec::new();
        let mut ok = true;
        for (k, item) in items.iter().enumerate() {
            let path = format!("issues[{k}]");
            match self.issue(item, &path) {
                Some(issue) => {
                    if issues.iter().any(|i: &Issue| i.id == issue.id) {
                        self.r
                            .error(item.span(), &join(&path, "id"), format!("duplicate issue id `{}`", issue.id))
                            .help = Some("give every issue its own id".into());
                        ok = false;
                    }
                    issues.push(issue);
                }
                None => ok = false,
            }
        }
        ok.then_some(issues)
    }

    fn issue(&mut self, v: &Value<'_>, path: &str) -> Option<Issue> {
        let mut t = self.r.table(v, path)?;
        let id = t.require(&mut self.r, "id", "id = \"nato\"").and_then(|v| self.r.identifier(v, &join(path, "id")));
        let name = t.get("name").map(|v| self.r.string(v, &join(path, "name")));
        let options = t
            .require(&mut self.r, "options", "options = [\"open-door\", \"moratorium\"]")
            .and_then(|v| self.options(v, &join(path, "options")));
        t.finish(&mut self.r, &["id", "name", "options"]);
        let id = id?;
        let (options, numbers) = options?;
        let name = match name {
            Some(n) => n?,
            None => id.clone(),
        };
        Some(Issue { id, name, options, numbers })
    }

    /// Option labels, or a numeric range `{ from, to, steps }`.
    fn options(&mut self, v: &Value<'_>, path: &str) -> Option<(Vec<String>, Option<Vec<f64>>)> {
        match v.get_ref() {
            DeValue::Array(items) => {
                let mut labels: Vec<String> = Vec::new();
                let mut ok = true;
                for (k, item) in items.iter().enumerate() {
                    let p = format!("{path}[{k}]");
                    match self.r.identifier(item, &p) {
                        Some(l) if labels.contains(&l) => {
                            self.r.error(item.span(), &p, format!("duplicate option `{l}`")).help =
                                Some("every option of an issue needs its own label".into());
                            ok = false;
                        }
                        Some(l) => labels.push(l),
                        None => ok = false,
                    }
                }
                if ok && labels.len() < 2 {
                    self.r
                        .error(v.span(), path, format!("an issue needs at least 2 options, found {}", labels.len()))
                        .help = Some("an issue with one option is not negotiable: remove it or add options".into());
                    return None;
                }
                ok.then_some((labels, None))
            }
            DeValue::Table(_) => {
                let mut t = self.r.table(v, path)?;
                let from =
                    t.require(&mut self.r, "from", "from = 0.0").and_then(|v| self.r.number(v, &join(path, "from")));
                let to = t.require(&mut self.r, "to", "to = 1.0").and_then(|v| self.r.number(v, &join(path, "to")));
                let steps = t
                    .require(&mut self.r, "steps", "steps = 101")
                    .and_then(|v| self.r.integer(v, &join(path, "steps"), 2, MAX_OUTCOMES as i64));
                t.finish(&mut self.r, &["from", "to", "steps"]);
                let (from, to, steps) = (from?, to?, steps? as usize);
                if from >= to {
                    self.r.error(
                        v.span(),
                        path,
                        format!("a numeric range needs from < to, found from = {from}, to = {to}"),
                    );
                    return None;
                }
                // Labels keep 6 decimals, so steps finer than 1e-6 cannot all
                // have their own label: refuse before building millions of
                // labels only to find duplicates.
                if (to - from) / ((steps - 1) as f64) < 0.999_999e-6 {
                    self.r
                        .error(v.span(), path, "the steps of this range are too fine to label (labels keep 6 decimals)")
                        .help = Some(format!(
                        "use at most {} steps for this range, or a wider range",
                        ((to - from) * 1e6).floor() as u64 + 1
                    ));
                    return None;
                }
                let numbers: Vec<f64> =
                    (0..steps).map(|k| from + (to - from) * k as f64 / (steps - 1) as f64).collect();
                let labels: Vec<String> = numbers.iter().map(|&x| number_label(x)).collect();
                if labels.windows(2).any(|w| w[0] == w[1]) {
                    self.r
                        .error(v.span(), path, "the steps of this range are too fine to label (labels keep 6 decimals)")
                        .help = Some("use fewer steps or a wider range".into());
                    return None;
                }
                Some((labels, Some(numbers)))
            }
            _ => {
                let found = super::toml_tree::type_name(v.get_ref());
                self.r.error(v.span(), path, format!("expected a list of option labels or a range {{ from, to, steps }}, found {found}"))
                    .help = Some("write options = [\"open-door\", \"moratorium\"] or options = { from = 0.0, to = 1.0, steps = 101 }".into());
                None
            }
        }
    }

    fn disagreement(&mut self, v: Option<&Value<'_>>, ids: &[String]) -> Option<Vec<DisagreementOutcome>> {
        let Some(v) = v else {
            // No lottery given: talks that fail are worth 0 to both.
            let payoff = [self.fixed(0.0), self.fixed(0.0)];
            return Some(vec![DisagreementOutcome {
                id: "no-deal".into(),
                name: "No deal".into(),
                probability: 1.0,
                by_ending: [1.0; crate::model::escalation::LOTTERY_COLUMNS],
                payoff,
            }]);
        };
        let items = self.r.array(v, "disagreement")?;
        if items.is_empty() {
            self.r.error(v.span(), "disagreement", "the disagreement lottery needs at least one outcome");
            return None;
        }
        let mut out: Vec<DisagreementOutcome> = Vec::new();
        let mut ok = true;
        for (k, item) in items.iter().enumerate() {
            let path = format!("disagreement[{k}]");
            let Some(mut t) = self.r.table(item, &path) else {
                ok = false;
                continue;
            };
            let id = t
                .require(&mut self.r, "id", "id = \"status-quo\"")
                .and_then(|v| self.r.identifier(v, &join(&path, "id")));
            let name = t.get("name").map(|v| self.r.string(v, &join(&path, "name")));
            let probability = t.require(&mut self.r, "probability", "probability = 0.5").and_then(|v| {
                let p = self.r.number(v, &join(&path, "probability"))?;
                if !(0.0..=1.0).contains(&p) {
                    self.r.error(
                        v.span(),
                        &join(&path, "probability"),
                        format!("a probability must be from 0 to 1, found {p}"),
                    );
                    return None;
                }
                Some(p)
            });
            let payoffs = t
                .require(&mut self.r, "payoffs", "payoffs = { usa = 0.2, russia = 0.1 }")
                .and_then(|v| self.actor_numbers(v, &join(&path, "payoffs"), ids, true));
            let by_ending_v = t.get("probability_by_ending");
            let by_ending = probability.and_then(|p| self.by_ending(by_ending_v, &path, p, ids));
            t.finish(&mut self.r, &["id", "name", "probability", "payoffs", "probability_by_ending"]);
            match (id, optional(name), probability, payoffs, by_ending) {
                (Some(id), Some(name), Some(probability), Some(payoff), Some(by_ending)) => {
                    if out.iter().any(|d| d.id == id) {
                        self.r.error(item.span(), &join(&path, "id"), format!("duplicate disagreement outcome `{id}`"));
                        ok = false;
                    }
                    let name = name.unwrap_or_else(|| id.clone());
                    out.push(DisagreementOutcome { id, name, probability, by_ending, payoff });
                }
                _ => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let total: f64 = out.iter().map(|d| d.probability).sum();
        if (total - 1.0).abs() > 1e-9 {
            self.r
                .error(
                    v.span(),
                    "disagreement",
                    format!("the probabilities of the disagreement outcomes sum to {total}, not 1"),
                )
                .help = Some("adjust the `probability` values so they add up to exactly 1".into());
            return None;
        }
        if !self.check_ending_columns(v, &out, ids) {
            return None;
        }
        Some(out)
    }

    /// A table `{ <actor> = number }`. With `all_required`, every actor must appear;
    /// otherwise a missing actor gets 0.
    fn actor_numbers(&mut self, v: &Value<'_>, path: &str, ids: &[String], all_required: bool) -> Option<[ParamId; 2]> {
        let mut t = self.r.table(v, path)?;
        if ids.len() != 2 {
            // The actor count is already reported; checking names against a
            // wrong list of actors would only add noise.
            return None;
        }
        let mut out = [None, None];
        let mut ok = true;
        for (a, id) in ids.iter().enumerate() {
            match t.get(id) {
                Some(x) => {
                    out[a] = self.param(x, &join(path, id), ANY);
                    ok &= out[a].is_some();
                }
                None if all_required => {
                    self.r.error(v.span(), &join(path, id), format!("no payoff for actor `{id}`")).help =
                        Some(format!("add {id} = <number> to the table"));
                    ok = false;
                }
                None => out[a] = Some(self.fixed(0.0)),
            }
        }
        let names: Vec<&str> = ids.iter().map(String::as_str).collect();
        t.finish(&mut self.r, &names);
        if !ok || ids.len() != 2 {
            return None;
        }
        Some([out[0]?, out[1]?])
    }

    fn rules(&mut self, v: Option<&Value<'_>>, issues: &[Issue], ids: &[String]) -> Option<Vec<Rule>> {
        let Some(v) = v else { return Some(Vec::new()) };
        let items = self.r.array(v, "rules")?;
        let mut rules = Vec::new();
        let mut ok = true;
        for (k, item) in items.iter().enumerate() {
            let path = format!("rules[{k}]");
            let Some(mut t) = self.r.table(item, &path) else {
                ok = false;
                continue;
            };
            let name = match t.get("name") {
                Some(v) => self.r.string(v, &join(&path, "name")),
                None => Some(format!("rule {}", k + 1)),
            };
            let when = t
                .require(&mut self.r, "when", "when = { nato = \"moratorium\" }")
                .and_then(|v| self.conditions(v, &join(&path, "when"), issues));
            let bonus = t
                .require(&mut self.r, "payoffs", "payoffs = { russia = 0.1 }")
                .and_then(|v| self.actor_numbers(v, &join(&path, "payoffs"), ids, false));
            t.finish(&mut self.r, &["name", "when", "payoffs"]);
            match (name, when, bonus) {
                (Some(name), Some(conditions), Some(bonus)) => rules.push(Rule { name, conditions, bonus }),
                _ => ok = false,
            }
        }
        ok.then_some(rules)
    }

    fn conditions(&mut self, v: &Value<'_>, path: &str, issues: &[Issue]) -> Option<Vec<(usize, u32)>> {
        let mut t = self.r.table(v, path)?;
        let mut out = Vec::new();
        let mut ok = true;
        for (k, val) in t.entries() {
            let key = k.get_ref().as_ref();
            let cpath = join(path, key);
            let Some(i) = issues.iter().position(|x| x.id == key) else {
                let d = self.r.error(k.span(), &cpath, format!("unknown issue `{key}`"));
                d.help = Some(match did_you_mean(key, issues.iter().map(|x| x.id.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "the issues are: {}",
                        issues.iter().map(|x| x.id.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                });
                ok = false;
                continue;
            };
            let issue = &issues[i];
            let option = match (val.get_ref(), &issue.numbers) {
                (DeValue::String(s), _) => issue.options.iter().position(|o| o == s.as_ref()),
                (DeValue::Integer(_) | DeValue::Float(_), Some(nums)) => {
                    let x = self.r.number(val, &cpath)?;
                    nums.iter().position(|&n| (n - x).abs() < 1e-9)
                }
                _ => {
                    let found = super::toml_tree::type_name(val.get_ref());
                    self.r.error(val.span(), &cpath, format!("expected an option label (a string), found {found}"));
                    ok = false;
                    continue;
                }
            };
            match option {
                Some(o) => out.push((i, o as u32)),
                None => {
                    let shown = match val.get_ref() {
                        DeValue::String(s) => s.to_string(),
                        _ => self.r.number(val, &cpath).map_or_else(String::new, number_label),
                    };
                    let d = self.r.error(val.span(), &cpath, format!("issue `{}` has no option `{shown}`", issue.id));
                    d.help = Some(match did_you_mean(&shown, issue.options.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the options are: {}", preview(&issue.options)),
                    });
                    ok = false;
                }
            }
        }
        if ok && out.is_empty() {
            self.r.error(v.span(), path, "a rule needs at least one condition").help =
                Some("write when = { issue = \"option\" }".into());
            return None;
        }
        ok.then_some(out)
    }
}

impl Actor {
    fn discount_max(&self, p: &Params) -> f64 {
        p.uncertain
            .iter()
            .find(|u| u.id == self.discount)
            .map_or(p.means[self.discount as usize], |u| u.distribution.support().1)
    }
}

fn actor_span(actors_v: &Value<'_>, id: &str) -> Option<std::ops::Range<usize>> {
    let DeValue::Table(t) = actors_v.get_ref() else {
        return None;
    };
    let (_, v) = t.iter().find(|(k, _)| k.get_ref().as_ref() == id)?;
    let DeValue::Table(inner) = v.get_ref() else {
        return Some(v.span());
    };
    inner.iter().find(|(k, _)| k.get_ref().as_ref() == "strategy").map(|(_, s)| s.span()).or(Some(v.span()))
}

/// Per issue: weight, values per option, and how the values were written.
type ActorIssues = (Vec<ParamId>, Vec<Vec<ParamId>>, Vec<ValueForm>);

struct ScenarioSection {
    name: String,
    description: String,
    sources: Vec<String>,
    rounds: u32,
    first_mover: usize,
    talks_open: u32,
    hazard: ParamId,
    reversible: bool,
    types_known: bool,
}

fn preview(options: &[String]) -> String {
    if options.len() <= 8 {
        options.join(", ")
    } else {
        format!("{}, …, {}", options[..4].join(", "), options[options.len() - 2..].join(", "))
    }
}

/// Piecewise-linear interpolation through `pts`, flat outside them.
fn interpolate(pts: &[(f64, f64)], x: f64) -> f64 {
    if x <= pts[0].0 {
        return pts[0].1;
    }
    for w in pts.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if x <= x1 {
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        }
    }
    pts[pts.len() - 1].1
}

/// An optional key's reading: absent is fine (`Some(None)`), present and
/// valid is `Some(Some(x))`, present and invalid is `None`.
fn optional<T>(read: Option<Option<T>>) -> Option<Option<T>> {
    match read {
        None => Some(None),
        Some(Some(x)) => Some(Some(x)),
        Some(None) => None,
    }
}

/// The span of the line with the most nesting (dots in keys, brackets,
/// braces): where a "recursion limit" error comes from.
fn deepest_line(text: &str) -> std::ops::Range<usize> {
    let mut best = (0, 0..0);
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let key = line.split('=').next().unwrap_or("");
        let depth = key.matches('.').count() + line.matches(['[', '{']).count();
        if depth > best.0 {
            best = (depth, start..start + line.trim_end().len());
        }
        start += line.len();
    }
    best.1
}
