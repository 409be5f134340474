//! What `brink analyze` prints: the theoretical benchmarks of a scenario.

use serde_json::{Map, Value, json};

use super::fmt3;
use crate::analysis::bargaining::Solution;
use crate::analysis::benchmarks::Benchmarks;
use crate::model::Model;

/// Tied solutions listed in the text tables; all of them (up to the JSON
/// limit) are in `--json`.
const TIES_SHOWN: usize = 10;

/// Outcome spaces (and frontiers) larger than this are not listed outcome by
/// outcome in JSON: `outcomes_omitted` says so, and the sizes are given.
pub const JSON_OUTCOME_LIMIT: usize = 200_000;

fn utilities(model: &Model, w: u32) -> [f64; 2] {
    [model.mean_utilities[0][w as usize], model.mean_utilities[1][w as usize]]
}

fn solution_rows(model: &Model, name: &str, s: &Solution, out: &mut String) {
    if s.outcomes.is_empty() {
        out.push_str(&format!("  {name:<22} none: no outcome is acceptable to both\n"));
        return;
    }
    let tie = if s.outcomes.len() > 1 { format!("  ({} tied)", s.outcomes.len()) } else { String::new() };
    for (k, &w) in s.outcomes.iter().enumerate().take(TIES_SHOWN) {
        let u = utilities(model, w);
        let label = if k == 0 { name } else { "" };
        out.push_str(&format!(
            "  {label:<22} {:>7} {:>7}   {}{}\n",
            fmt3(u[0]),
            fmt3(u[1]),
            model.describe_outcome(w),
            if k == 0 { &tie } else { "" }
        ));
    }
    if s.outcomes.len() > TIES_SHOWN {
        out.push_str(&format!("  {:<22} … and {} more tied (see --json)\n", "", s.outcomes.len() - TIES_SHOWN));
    }
}

/// Readable tables.
pub fn text(model: &Model, b: &Benchmarks) -> String {
    let ids = [&model.actors[0].id, &model.actors[1].id];
    let mut s = String::new();
    s.push_str(&format!("{} — theoretical benchmarks at the means ({} outcomes)\n\n", model.name, model.space.size));
    s.push_str("Disagreement point d (each actor's reservation value):\n");
    for (a, actor) in model.actors.iter().enumerate() {
        let note = if actor.reservation.is_some() {
            format!("perceived; the conflict lottery is really worth {}", fmt3(b.lottery_value[a]))
        } else {
            "expected value of the conflict lottery".to_string()
        };
        s.push_str(&format!("  {:<10} {}  ({note})\n", actor.id, fmt3(b.disagreement_point[a])));
    }
    let z = &b.zopa;
    if z.count == 0 {
        s.push_str("\nZone of possible agreement: EMPTY — no outcome is better than d for both actors.\n");
    } else {
        s.push_str(&format!(
            "\nZone of possible agreement: {} of {} outcomes ({:.1}%) are better than d for both actors.\n",
            z.count,
            model.space.size,
            100.0 * z.share
        ));
    }
    if let Some(r) = &b.bargaining_range {
        let issue = &model.issues[0];
        s.push_str(&format!(
            "\nBargaining range (Fearon 1995): {} from {} to {} ({} = {} to {}).\n  Every option in it is worth at least its reservation value to both sides, so both prefer it to fighting;\n  outside it, one side would rather fight.\n",
            issue.name,
            fmt_number(r.low),
            fmt_number(r.high),
            issue.id,
            fmt_number(r.low),
            fmt_number(r.high)
        ));
    }
    s.push_str(&format!("\n  {:<22} {:>7} {:>7}   outcome\n", "Solution", ids[0], ids[1]));
    solution_rows(model, "Nash bargaining", &b.nash, &mut s);
    solution_rows(model, "Kalai–Smorodinsky", &b.kalai_smorodinsky, &mut s);
    solution_rows(model, "Utilitarian (max sum)", &b.utilitarian, &mut s);
    solution_rows(model, "Egalitarian (leximin)", &b.egalitarian, &mut s);
    match &b.rubinstein {
        Some(r) => {
            s.push_str(&format!(
                "\nRubinstein subgame-perfect split: {} (first mover) keeps x* = {}, the other gets {}; on the grid (as the spe agents agree): {}\n",
                r.first_mover,
                fmt3(r.first_mover_share),
                fmt3(r.second_mover_share),
                model.describe_outcome(r.grid_outcome)
            ));
            s.push_str(&format!(
                "  x* is the infinite game's split; with the deadline after {} rounds the finite game's split is within {} of it{}\n",
                model.rounds,
                if r.deadline_gap_bound < 0.0005 { format!("{:.1e}", r.deadline_gap_bound) } else { fmt3(r.deadline_gap_bound) },
                if r.deadline_gap_bound > 0.005 {
                    " — the deadline binds: spe agents play x*, which is not the equilibrium of this finite game (raise scenario.rounds)"
                } else {
                    ""
                }
            ));
        }
        None => {
            s.push_str("\nRubinstein split: n/a (defined for a single numeric issue with discount factors below 1)\n")
        }
    }
    const SHOWN: usize = 30;
    s.push_str(&format!("\nPareto frontier ({} outcomes):\n", b.frontier.len()));
    s.push_str(&format!("  {:>7} {:>7}   outcome\n", ids[0], ids[1]));
    for &w in b.frontier.iter().rev().take(SHOWN) {
        let u = utilities(model, w);
        s.push_str(&format!("  {:>7} {:>7}   {}\n", fmt3(u[0]), fmt3(u[1]), model.describe_outcome(w)));
    }
    if b.frontier.len() > SHOWN {
        s.push_str(&format!("  … and {} more (see --json)\n", b.frontier.len() - SHOWN));
    }
    if model.has_ladders() {
        s.push_str(&ladder_text(model));
    }
    s
}

/// Conflict values and the bargaining range at every ladder position.
fn ladder_text(model: &Model) -> String {
    let ids = [&model.actors[0].id, &model.actors[1].id];
    let mut s = String::new();
    s.push_str("\nEscalation ladders: reservation values and the bargaining range at each position (means)\n");
    s.push_str(&format!(
        "  {:<22} {:<22} {:>8} {:>8} {:>7}  {:>13} {:>9} {:>9}\n",
        format!("{} at", ids[0]),
        format!("{} at", ids[1]),
        format!("r {}", ids[0]),
        format!("r {}", ids[1]),
        "hazard",
        "ZOPA outcomes",
        format!("best {}", ids[0]),
        format!("best {}", ids[1])
    ));
    let opt = |x: Option<f64>| x.map_or("none".to_string(), fmt3);
    for p in crate::analysis::escalation::profiles(model) {
        s.push_str(&format!(
            "  {:<22} {:<22} {:>8} {:>8} {:>7}  {:>13} {:>9} {:>9}\n",
            p.positions[0],
            p.positions[1],
            fmt3(p.conflict_value[0]),
            fmt3(p.conflict_value[1]),
            fmt3(p.hazard),
            p.zopa.count,
            opt(p.best_deal[0]),
            opt(p.best_deal[1])
        ));
    }
    s.push_str("  r: reservation value (what the actor expects if the talks fail, moved by the ladders); best: the best deal the other side still prefers to its r.\n");
    s
}

fn outcome_json(model: &Model, w: u32) -> Value {
    let mut terms = Map::new();
    for (i, issue) in model.issues.iter().enumerate() {
        terms.insert(issue.id.clone(), json!(issue.options[model.option_of(w, i) as usize]));
    }
    let mut u = Map::new();
    for (a, actor) in model.actors.iter().enumerate() {
        u.insert(actor.id.clone(), json!(model.mean_utilities[a][w as usize]));
    }
    json!({"outcome": w, "terms": terms, "utilities": u})
}

fn solution_json(model: &Model, s: &Solution) -> Value {
    json!({
        "value": s.value,
        "tied": s.outcomes.len() > 1,
        "count": s.outcomes.len(),
        "outcomes": s.outcomes.iter().take(JSON_OUTCOME_LIMIT).map(|&w| outcome_json(model, w)).collect::<Vec<_>>(),
    })
}

/// Everything, machine-readable.
pub fn json(model: &Model, b: &Benchmarks) -> Value {
    let per_actor = |x: [f64; 2]| {
        let mut m = Map::new();
        for (a, actor) in model.actors.iter().enumerate() {
            m.insert(actor.id.clone(), json!(x[a]));
        }
        Value::Object(m)
    };
    let n = model.space.len();
    json!({
        "scenario": model.name,
        "outcome_space_size": n,
        "disagreement_point": per_actor(b.disagreement_point),
        "lottery_value": per_actor(b.lottery_value),
        "zopa": {"count": b.zopa.count, "share": b.zopa.share, "empty": b.zopa.count == 0},
        "bargaining_range": b.bargaining_range.as_ref().map(|r| json!({"issue": r.issue, "low": r.low, "high": r.high})),
        "solutions": {
            "nash": solution_json(model, &b.nash),
            "kalai_smorodinsky": solution_json(model, &b.kalai_smorodinsky),
            "utilitarian": solution_json(model, &b.utilitarian),
            "egalitarian": solution_json(model, &b.egalitarian),
        },
        "rubinstein": b.rubinstein.as_ref().map(|r| json!({
            "first_mover": r.first_mover,
            "first_mover_share": r.first_mover_share,
            "second_mover_share": r.second_mover_share,
            "grid_outcome": outcome_json(model, r.grid_outcome),
            "deadline_gap_bound": r.deadline_gap_bound,
        })),
        "pareto_frontier_size": b.frontier.len(),
        "pareto_frontier": if b.frontier.len() <= JSON_OUTCOME_LIMIT {
            Value::Array(b.frontier.iter().map(|&w| outcome_json(model, w)).collect())
        } else {
            Value::Null
        },
        "outcomes": if n <= JSON_OUTCOME_LIMIT {
            Value::Array((0..n as u32).map(|w| outcome_json(model, w)).collect())
        } else {
            Value::Null
        },
        "outcomes_omitted": n > JSON_OUTCOME_LIMIT,
        "ladder_positions": model.has_ladders().then(|| crate::analysis::escalation::profiles(model)),
    })
}

/// Outcomes listed one by one as they are written, never all in memory.
struct OutcomeList<'a> {
    model: &'a Model,
    ids: OutcomeIds<'a>,
}

enum OutcomeIds<'a> {
    Listed(&'a [u32]),
    All(u32),
}

impl serde::Serialize for OutcomeList<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.ids {
            OutcomeIds::Listed(ids) => s.collect_seq(ids.iter().map(|&w| outcome_json(self.model, w))),
            OutcomeIds::All(n) => s.collect_seq((0..n).map(|w| outcome_json(self.model, w))),
        }
    }
}

#[derive(serde::Serialize)]
struct SolutionView<'a> {
    value: Option<f64>,
    tied: bool,
    count: usize,
    outcomes: OutcomeList<'a>,
}

#[derive(serde::Serialize)]
struct SolutionsView<'a> {
    nash: SolutionView<'a>,
    kalai_smorodinsky: SolutionView<'a>,
    utilitarian: SolutionView<'a>,
    egalitarian: SolutionView<'a>,
}

/// The same document as [`json`], serialised as it is written: on a large
/// outcome space `brink analyze --json` streams the outcomes instead of
/// building the whole tree (hundreds of MB at 10^5 outcomes) first.
#[derive(serde::Serialize)]
pub struct JsonView<'a> {
    scenario: &'a str,
    outcome_space_size: usize,
    disagreement_point: Value,
    lottery_value: Value,
    zopa: Value,
    bargaining_range: Option<Value>,
    solutions: SolutionsView<'a>,
    rubinstein: Option<Value>,
    pareto_frontier_size: usize,
    pareto_frontier: Option<OutcomeList<'a>>,
    outcomes: Option<OutcomeList<'a>>,
    outcomes_omitted: bool,
    ladder_positions: Option<Value>,
}

/// Everything, machine-readable, for streaming (see [`JsonView`]).
pub fn json_view<'a>(model: &'a Model, b: &'a Benchmarks) -> JsonView<'a> {
    let per_actor = |x: [f64; 2]| {
        let mut m = Map::new();
        for (a, actor) in model.actors.iter().enumerate() {
            m.insert(actor.id.clone(), json!(x[a]));
        }
        Value::Object(m)
    };
    let solution = |s: &'a Solution| SolutionView {
        value: s.value,
        tied: s.outcomes.len() > 1,
        count: s.outcomes.len(),
        outcomes: OutcomeList {
            model,
            ids: OutcomeIds::Listed(&s.outcomes[..s.outcomes.len().min(JSON_OUTCOME_LIMIT)]),
        },
    };
    let n = model.space.len();
    JsonView {
        scenario: &model.name,
        outcome_space_size: n,
        disagreement_point: per_actor(b.disagreement_point),
        lottery_value: per_actor(b.lottery_value),
        zopa: json!({"count": b.zopa.count, "share": b.zopa.share, "empty": b.zopa.count == 0}),
        bargaining_range: b.bargaining_range.as_ref().map(|r| json!({"issue": r.issue, "low": r.low, "high": r.high})),
        solutions: SolutionsView {
            nash: solution(&b.nash),
            kalai_smorodinsky: solution(&b.kalai_smorodinsky),
            utilitarian: solution(&b.utilitarian),
            egalitarian: solution(&b.egalitarian),
        },
        rubinstein: b.rubinstein.as_ref().map(|r| {
            json!({
                "first_mover": r.first_mover,
                "first_mover_share": r.first_mover_share,
                "second_mover_share": r.second_mover_share,
                "grid_outcome": outcome_json(model, r.grid_outcome),
                "deadline_gap_bound": r.deadline_gap_bound,
            })
        }),
        pareto_frontier_size: b.frontier.len(),
        pareto_frontier: (b.frontier.len() <= JSON_OUTCOME_LIMIT)
            .then(|| OutcomeList { model, ids: OutcomeIds::Listed(&b.frontier) }),
        outcomes: (n <= JSON_OUTCOME_LIMIT).then_some(OutcomeList { model, ids: OutcomeIds::All(n as u32) }),
        outcomes_omitted: n > JSON_OUTCOME_LIMIT,
        ladder_positions: model.has_ladders().then(|| json!(crate::analysis::escalation::profiles(model))),
    }
}

/// An option's number as the scenario would write it (0.5, not 0.500).
fn fmt_number(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

#[cfg(test)]
mod stream_tests {
    use super::*;

    #[test]
    fn the_streamed_document_is_the_built_one() {
        for b in crate::scenario::BUILTIN {
            let (_, model) = crate::scenario::load_bytes(b.name, b.text.as_bytes()).unwrap();
            let bench = crate::analysis::benchmarks::analyse(&model);
            let streamed = serde_json::to_string_pretty(&json_view(&model, &bench)).unwrap();
            let built = serde_json::to_string_pretty(&json(&model, &bench)).unwrap();
            assert_eq!(streamed, built, "{}", b.name);
        }
    }
}
