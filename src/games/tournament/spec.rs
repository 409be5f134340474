//! The tournament file: what `brink tournament FILE` reads.
//!
//! A file holds either a `[repeated]` table (a stage game played turn after
//! turn by Axelrod's strategies) or a `[negotiation]` table (a round-robin
//! of negotiation strategies on scenarios), and optionally `[evolution]`.
//! Problems are collected as located [`Diagnostic`]s, like a scenario's.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::games::repeated::registry::{self, EntrantSpec};
use crate::games::repeated::{Action, MatchConfig};
use crate::scenario::diagnostic::{Diagnostic, did_you_mean};
use crate::scenario::toml_tree::{Reader, Table, Value, join, valid_identifier};

/// The largest number of turns per match (and cap with a continuation
/// probability): a match's histories are kept in memory.
pub const MAX_TURNS: i64 = 1_000_000;
/// The most entrants in one tournament (pairings grow as the square).
pub const MAX_ENTRANTS: usize = 200;

/// A parsed tournament file.
#[derive(Debug, Clone)]
pub struct TournamentSpec {
    pub title: String,
    pub description: String,
    pub kind: Kind,
    pub evolution: EvolutionSpec,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Repeated(RepeatedSpec),
    Negotiation(NegotiationSpec),
}

/// A repeated-game tournament.
#[derive(Debug, Clone)]
pub struct RepeatedSpec {
    /// The stage game's path as written (relative to the tournament file).
    pub game: String,
    pub game_span: Range<usize>,
    pub matches: MatchConfig,
    pub repetitions: u64,
    pub seed: u64,
    pub entrants: Vec<EntrantSpec>,
    pub entrant_spans: Vec<Range<usize>>,
}

/// A negotiation tournament.
#[derive(Debug, Clone)]
pub struct NegotiationSpec {
    /// Scenario files (relative to the tournament file) or built-in names.
    pub scenarios: Vec<(String, Range<usize>)>,
    pub runs: u64,
    pub seed: u64,
    pub entrants: Vec<NegotiationEntrant>,
}

/// A named negotiation strategy, kept as the TOML text of a scenario's
/// `strategy` value so that any strategy the scenario format accepts works.
#[derive(Debug, Clone, PartialEq)]
pub struct NegotiationEntrant {
    pub name: String,
    pub strategy_toml: String,
    pub span: Range<usize>,
}

/// Evolution settings (all optional).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EvolutionSpec {
    pub generations: u32,
    pub selection: f64,
    pub moran_runs: u64,
    pub moran_per_strategy: u32,
}

impl Default for EvolutionSpec {
    fn default() -> Self {
        EvolutionSpec { generations: 100, selection: 1.0, moran_runs: 1000, moran_per_strategy: 5 }
    }
}

/// Reads a tournament file; all problems at once.
pub fn read(text: &str) -> Result<TournamentSpec, Vec<Diagnostic>> {
    let root = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            return Err(vec![Diagnostic::new(span, "", format!("this is not valid TOML: {}", e.message()))]);
        }
    };
    let mut r = Reader::new(text);
    let mut top = Table::new(root.get_ref(), 0..text.len().min(1), String::new());
    let title = top.get("title").and_then(|v| r.string(v, "title")).unwrap_or_else(|| "Tournament".into());
    let description = top.get("description").and_then(|v| r.string(v, "description")).unwrap_or_default();
    let repeated = top.get("repeated");
    let negotiation = top.get("negotiation");
    let kind = match (repeated, negotiation) {
        (Some(v), None) => r.table(v, "repeated").and_then(|t| read_repeated(&mut r, t)).map(Kind::Repeated),
        (None, Some(v)) => r.table(v, "negotiation").and_then(|t| read_negotiation(&mut r, t)).map(Kind::Negotiation),
        (Some(v), Some(_)) => {
            r.error(v.span(), "repeated", "a tournament file holds either [repeated] or [negotiation], not both")
                .help = Some("split it into two files".into());
            None
        }
        (None, None) => {
            r.error(0..0, "", "the file has neither a [repeated] nor a [negotiation] table").help = Some(
                "start from scenarios/tournaments/axelrod-pd.toml (repeated game) or geneva-negotiation.toml".into(),
            );
            None
        }
    };
    let evolution = match top.get("evolution") {
        Some(v) => r.table(v, "evolution").map(|t| read_evolution(&mut r, t)).unwrap_or_default(),
        None => EvolutionSpec::default(),
    };
    top.finish(&mut r, &["title", "description", "repeated", "negotiation", "evolution"]);
    match kind {
        Some(kind) if r.diagnostics.is_empty() => Ok(TournamentSpec { title, description, kind, evolution }),
        _ => Err(r.diagnostics),
    }
}

fn probability(r: &mut Reader<'_>, v: &Value<'_>, path: &str) -> Option<f64> {
    let x = r.number(v, path)?;
    if (0.0..=1.0).contains(&x) {
        Some(x)
    } else {
        r.error(
            v.span(),
            path,
            format!("{} must be a probability in [0, 1], found {x}", path.rsplit('.').next().unwrap_or(path)),
        )
        .help = Some("write a number from 0 to 1, e.g. 0.05 for a 5% chance".into());
        None
    }
}

fn seed(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<u64> {
    match t.get("seed") {
        Some(v) => r.integer(v, &t.path_of("seed"), 0, i64::MAX).map(|s| s as u64),
        None => Some(0),
    }
}

fn read_repeated(r: &mut Reader<'_>, mut t: Table<'_, '_>) -> Option<RepeatedSpec> {
    let game_v = t.require(r, "game", "game = \"../games/prisoners-dilemma.toml\"");
    let game = game_v.and_then(|v| r.string(v, "repeated.game"));
    let turns = match t.get("turns") {
        Some(v) => r.integer(v, "repeated.turns", 1, MAX_TURNS).map(|x| x as u32),
        None => Some(200),
    };
    let continuation = match t.get("continuation") {
        Some(v) => probability(r, v, "repeated.continuation").map(Some),
        None => Some(None),
    };
    let noise = match t.get("noise") {
        Some(v) => probability(r, v, "repeated.noise"),
        None => Some(0.0),
    };
    let repetitions = match t.get("repetitions") {
        Some(v) => r.integer(v, "repeated.repetitions", 1, 100_000_000).map(|x| x as u64),
        None => Some(10),
    };
    let seed = seed(r, &mut t);
    let entrants_v = t.require(r, "entrants", "entrants = [\"Tit For Tat\", \"Defector\"]");
    let mut entrants = Vec::new();
    let mut spans = Vec::new();
    if let Some(list) = entrants_v.and_then(|v| r.array(v, "repeated.entrants")) {
        for (k, v) in list.iter().enumerate() {
            let path = format!("repeated.entrants[{k}]");
            if let Some(e) = read_repeated_entrant(r, v, &path) {
                if let Some(prev) = entrants.iter().position(|x: &EntrantSpec| x.label == e.label) {
                    r.error(v.span(), &path, format!("two entrants are called `{}`", e.label)).help = Some(format!(
                        "give one a `name`, e.g. {{ strategy = \"{}\", name = \"{} 2\" }} (the first is entrant {})",
                        registry::name_of(e.kind),
                        e.label,
                        prev + 1
                    ));
                    continue;
                }
                entrants.push(e);
                spans.push(v.span());
            }
        }
        check_count(r, entrants_v.map(Value::span), "repeated.entrants", list.len());
    }
    t.finish(r, &["game", "turns", "continuation", "noise", "repetitions", "seed", "entrants"]);
    Some(RepeatedSpec {
        game: game?,
        game_span: game_v?.span(),
        matches: MatchConfig { turns: turns?, continuation: continuation?, noise: noise? },
        repetitions: repetitions?,
        seed: seed?,
        entrants,
        entrant_spans: spans,
    })
}

fn check_count(r: &mut Reader<'_>, span: Option<Range<usize>>, path: &str, n: usize) {
    let span = span.unwrap_or(0..0);
    if n < 2 {
        r.error(span, path, format!("a tournament needs at least two entrants, found {n}"));
    } else if n > MAX_ENTRANTS {
        r.error(span, path, format!("at most {MAX_ENTRANTS} entrants, found {n}"));
    }
}

fn unknown_strategy(r: &mut Reader<'_>, span: Range<usize>, path: &str, name: &str) {
    let all = registry::all_names();
    let help = match did_you_mean(name, all.iter().copied()) {
        Some(s) => format!("did you mean \"{}\"?", registry::lookup(s).map_or(s, registry::name_of)),
        None => format!("the strategies are: {}", registry::canonical_names().join(", ")),
    };
    r.error(span, path, format!("unknown strategy `{name}`")).help = Some(help);
}

fn read_repeated_entrant(r: &mut Reader<'_>, v: &Value<'_>, path: &str) -> Option<EntrantSpec> {
    if let DeValue::String(s) = v.get_ref() {
        let Some(kind) = registry::lookup(s) else {
            unknown_strategy(r, v.span(), path, s);
            return None;
        };
        let spec = EntrantSpec::named(kind);
        if kind == registry::Kind::MemoryOne {
            r.error(v.span(), path, "Memory One needs its four probabilities").help = Some(
                "write { strategy = \"Memory One\", name = \"Extort-2\", probabilities = [0.8889, 0.5, 0.3333, 0] }"
                    .into(),
            );
            return None;
        }
        return Some(spec);
    }
    let mut t = r.table(v, path)?;
    let strategy_v = t.require(r, "strategy", "strategy = \"Tit For Tat\"")?;
    let name = r.string(strategy_v, &join(path, "strategy"))?;
    let Some(kind) = registry::lookup(&name) else {
        unknown_strategy(r, strategy_v.span(), &join(path, "strategy"), &name);
        return None;
    };
    let mut spec = EntrantSpec::named(kind);
    let allowed = spec.parameters_allowed();
    if let Some(label) = t.get("name") {
        spec.label = r.string(label, &join(path, "name"))?;
        if spec.label.trim().is_empty() || spec.label.len() > 64 {
            r.error(label.span(), &join(path, "name"), "an entrant's name must have 1 to 64 characters");
            return None;
        }
    }
    let mut ok = true;
    if allowed.contains(&"p")
        && let Some(p) = t.get("p")
    {
        spec.p = probability(r, p, &join(path, "p"));
        ok &= spec.p.is_some();
    }
    if allowed.contains(&"probabilities") {
        match t.require(r, "probabilities", "probabilities = [1, 0, 1, 0]") {
            Some(pv) => {
                let list = r.array(pv, &join(path, "probabilities"))?;
                if list.len() != 4 {
                    r.error(
                        pv.span(),
                        &join(path, "probabilities"),
                        format!("expected four probabilities (p_CC, p_CD, p_DC, p_DD), found {}", list.len()),
                    );
                    return None;
                }
                let mut ps = [0.0; 4];
                for (k, x) in list.iter().enumerate() {
                    ps[k] = probability(r, x, &format!("{}[{k}]", join(path, "probabilities")))?;
                }
                spec.probabilities = Some(ps);
            }
            None => ok = false,
        }
        if let Some(f) = t.get("first") {
            let s = r.string(f, &join(path, "first"))?;
            spec.first = match s.to_ascii_uppercase().as_str() {
                "C" | "COOPERATE" => Some(Action::C),
                "D" | "DEFECT" => Some(Action::D),
                _ => {
                    r.error(f.span(), &join(path, "first"), format!("expected \"C\" or \"D\", found \"{s}\""));
                    return None;
                }
            };
        }
    }
    let mut keys = vec!["strategy", "name"];
    keys.extend(allowed);
    t.finish(r, &keys);
    ok.then_some(spec)
}

fn read_negotiation(r: &mut Reader<'_>, mut t: Table<'_, '_>) -> Option<NegotiationSpec> {
    let scenarios_v = t.require(r, "scenarios", "scenarios = [\"geneva-2022\"]");
    let mut scenarios = Vec::new();
    if let Some(list) = scenarios_v.and_then(|v| r.array(v, "negotiation.scenarios")) {
        for (k, v) in list.iter().enumerate() {
            if let Some(s) = r.string(v, &format!("negotiation.scenarios[{k}]")) {
                scenarios.push((s, v.span()));
            }
        }
        if list.is_empty() {
            r.error(scenarios_v.map_or(0..0, Value::span), "negotiation.scenarios", "list at least one scenario");
        }
    }
    let runs = match t.get("runs") {
        Some(v) => r.integer(v, "negotiation.runs", 1, 1_000_000_000).map(|x| x as u64),
        None => Some(1000),
    };
    let seed = seed(r, &mut t);
    let entrants_v = t.require(
        r,
        "entrants",
        "[negotiation.entrants] with lines such as boulware = { kind = \"time\", beta = 0.2 }",
    );
    let mut entrants = Vec::new();
    if let Some(mut et) = entrants_v.and_then(|v| r.table(v, "negotiation.entrants")) {
        let entries = et.entries();
        for (k, v) in &entries {
            let name = k.get_ref().to_string();
            let path = join("negotiation.entrants", &name);
            if !valid_identifier(&name) {
                r.error(k.span(), &path, format!("`{name}` is not a valid entrant name")).help =
                    Some("names use letters, digits, `-` and `_` only, e.g. boulware-0_2".into());
                continue;
            }
            match v.get_ref() {
                DeValue::String(_) | DeValue::Table(_) => entrants.push(NegotiationEntrant {
                    name,
                    strategy_toml: r.text[v.span()].to_string(),
                    span: v.span(),
                }),
                _ => {
                    r.error(v.span(), &path, "expected a strategy, as in a scenario's `strategy` key").help = Some(
                        "write e.g. hardliner = \"hardliner\" or boulware = { kind = \"time\", beta = 0.2 }".into(),
                    );
                }
            }
        }
        check_count(r, entrants_v.map(Value::span), "negotiation.entrants", entries.len());
    }
    t.finish(r, &["scenarios", "runs", "seed", "entrants"]);
    Some(NegotiationSpec { scenarios, runs: runs?, seed: seed?, entrants })
}

fn read_evolution(r: &mut Reader<'_>, mut t: Table<'_, '_>) -> EvolutionSpec {
    let mut e = EvolutionSpec::default();
    if let Some(v) = t.get("generations") {
        e.generations = r.integer(v, "evolution.generations", 1, 1_000_000).map_or(e.generations, |x| x as u32);
    }
    if let Some(v) = t.get("selection") {
        match r.number(v, "evolution.selection") {
            Some(x) if (0.0..=100.0).contains(&x) => e.selection = x,
            Some(x) => {
                r.error(
                    v.span(),
                    "evolution.selection",
                    format!("selection must be from 0 (neutral) to 100, found {x}"),
                );
            }
            None => {}
        }
    }
    if let Some(v) = t.get("moran_runs") {
        e.moran_runs = r.integer(v, "evolution.moran_runs", 1, 10_000_000).map_or(e.moran_runs, |x| x as u64);
    }
    if let Some(v) = t.get("moran_per_strategy") {
        e.moran_per_strategy =
            r.integer(v, "evolution.moran_per_strategy", 1, 1000).map_or(e.moran_per_strategy, |x| x as u32);
    }
    t.finish(r, &["generations", "selection", "moran_runs", "moran_per_strategy"]);
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match read(text) {
            Ok(_) => vec![],
            Err(d) => d
                .iter()
                .map(|d| format!("{}: {} ({})", d.path, d.message, d.help.clone().unwrap_or_default()))
                .collect(),
        }
    }

    #[test]
    fn reads_a_repeated_tournament() {
        let spec = read(
            r#"title = "t"
[repeated]
game = "pd.toml"
turns = 50
noise = 0.01
entrants = ["TFT", "Defector", { strategy = "Memory One", name = "Extort-2", probabilities = [0.8889, 0.5, 0.3333, 0] }]
"#,
        )
        .unwrap();
        let Kind::Repeated(r) = spec.kind else { panic!() };
        assert_eq!(r.entrants.len(), 3);
        assert_eq!(r.entrants[0].label, "Tit For Tat");
        assert_eq!(r.entrants[2].label, "Extort-2");
        assert_eq!(r.matches.noise, 0.01);
    }

    #[test]
    fn an_unknown_strategy_gets_did_you_mean() {
        let e = errors("[repeated]\ngame = \"pd.toml\"\nentrants = [\"Tit For Tatt\", \"Defector\"]\n");
        assert!(
            e[0].contains("unknown strategy `Tit For Tatt`") && e[0].contains("did you mean \"Tit For Tat\""),
            "{e:?}"
        );
        let e = errors("[repeated]\ngame = \"pd.toml\"\nentrants = [\"Grduger\", \"Defector\"]\n");
        assert!(e[0].contains("did you mean \"Grudger\""), "{e:?}");
    }

    #[test]
    fn noise_outside_the_unit_interval_is_refused_with_its_path() {
        let e = errors("[repeated]\ngame = \"pd.toml\"\nnoise = 1.5\nentrants = [\"TFT\", \"Defector\"]\n");
        assert!(e[0].starts_with("repeated.noise: noise must be a probability in [0, 1], found 1.5"), "{e:?}");
    }

    #[test]
    fn negotiation_entrants_keep_their_toml_text() {
        let spec = read(
            "[negotiation]\nscenarios = [\"geneva-2022\"]\n[negotiation.entrants]\nboulware = { kind = \"time\", beta = 0.2 }\nhard = \"hardliner\"\n",
        )
        .unwrap();
        let Kind::Negotiation(n) = spec.kind else { panic!() };
        assert_eq!(n.entrants[0].strategy_toml, "{ kind = \"time\", beta = 0.2 }");
        assert_eq!(n.entrants[1].strategy_toml, "\"hardliner\"");
    }

    #[test]
    fn one_entrant_is_not_a_tournament() {
        let e = errors("[repeated]\ngame = \"pd.toml\"\nentrants = [\"TFT\"]\n");
        assert!(e[0].contains("at least two entrants"), "{e:?}");
    }
}
