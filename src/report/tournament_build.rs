//! Putting each kind of tournament's results in the common [`Report`] shape.

use serde_json::{Value, json};

use super::tournament::{EvolutionReport, Field, RankRow, Report};
use crate::games::repeated::RoundRobin;
use crate::games::tournament::negotiation::{Prepared, Results};

fn opt(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// A repeated-game tournament. `settings` holds the provenance the caller
/// knows (file names, hashes); the match settings are added here.
pub fn from_repeated(title: &str, mut settings: Value, rr: &RoundRobin, evolution: Option<EvolutionReport>) -> Report {
    let g = &rr.game;
    let m = rr.config.matches;
    if let Value::Object(o) = &mut settings {
        o.insert("stage_game".into(), json!(g.title));
        o.insert("players".into(), json!(g.players));
        o.insert("cooperate_defect".into(), json!(g.actions));
        o.insert("payoffs_row_cc_cd_dc_dd".into(), json!(g.row));
        o.insert("payoffs_column_cc_cd_dc_dd".into(), json!(g.column));
        o.insert("symmetric".into(), json!(g.is_symmetric()));
        o.insert("turns".into(), json!(m.turns));
        o.insert("continuation".into(), json!(m.continuation));
        o.insert("noise".into(), json!(m.noise));
        o.insert("repetitions".into(), json!(rr.repetitions()));
        o.insert("seed".into(), json!(rr.config.seed));
        o.insert("self_play".into(), json!(true));
    }
    let ranking = rr
        .ranking()
        .into_iter()
        .map(|s| RankRow {
            rank: s.rank,
            entrant: rr.names[s.entrant].clone(),
            mean: opt(s.mean_score_per_turn),
            ci95: s.ci95,
            extra: vec![
                ("median_score_per_turn".into(), Field::Number(opt(s.median_score_per_turn))),
                ("mean_total_score".into(), Field::Number(opt(s.mean_total_score))),
                ("wins".into(), Field::Count(s.wins)),
            ],
        })
        .collect();
    let matrix = rr.payoff_matrix().into_iter().map(|row| row.into_iter().map(opt).collect()).collect();
    let mut pairs = Vec::new();
    for (&(i, j), t) in rr.pairs.iter().zip(&rr.totals) {
        let turns = t.turns();
        let (a, b) = t.scores(g);
        let c = t.counts;
        let sides = [
            (i, j, 0usize, a, t.row_wins, t.column_wins, c[0] + c[1]),
            (j, i, 1, b, t.column_wins, t.row_wins, c[0] + c[2]),
        ];
        for (k, &(me, other, side, score, won, lost, coop)) in sides.iter().enumerate() {
            if i == j && k == 1 {
                // Self-play: both sides are the same entrant; one row, both
                // sides' moves averaged.
                continue;
            }
            let (score, coop) =
                if i == j { ((a + b) / 2.0, (c[0] + c[1] + c[0] + c[2]) as f64 / 2.0) } else { (score, coop as f64) };
            let per_turn = |x: f64| (turns > 0).then(|| x / turns as f64);
            pairs.push(vec![
                ("entrant".into(), Field::Text(rr.names[me].clone())),
                ("opponent".into(), Field::Text(rr.names[other].clone())),
                ("side".into(), Field::Text(g.players[side].clone())),
                ("score_per_turn".into(), Field::Number(per_turn(score))),
                ("total_score".into(), Field::Number(Some(score))),
                ("turns".into(), Field::Count(turns)),
                ("wins".into(), Field::Count(if i == j { 0 } else { won })),
                ("losses".into(), Field::Count(if i == j { 0 } else { lost })),
                ("ties".into(), Field::Count(t.ties)),
                ("cooperation".into(), Field::Number(per_turn(coop))),
            ]);
        }
    }
    let caption = format!(
        "{} — {} entrants, {} turns{}, noise {}, {} repetitions, seed {}",
        g.title,
        rr.names.len(),
        m.turns,
        m.continuation.map_or(String::new(), |c| format!(" at most (continuation {c})")),
        m.noise,
        rr.repetitions(),
        rr.config.seed
    );
    Report {
        title: title.to_string(),
        kind: "repeated".into(),
        settings,
        entrants: rr.names.clone(),
        measure: "mean score per turn".into(),
        ranked_by: "median score per turn over repetitions (as Axelrod's library)".into(),
        ranking,
        matrix,
        pairs,
        evolution,
        caption,
    }
}

/// A negotiation tournament.
pub fn from_negotiation(
    title: &str,
    mut settings: Value,
    results: &Results<'_>,
    seed: u64,
    runs: u64,
    evolution: Option<EvolutionReport>,
) -> Report {
    let p: &Prepared = results.prepared;
    if let Value::Object(o) = &mut settings {
        o.insert("scenarios".into(), json!(p.scenario_names));
        o.insert("actors".into(), json!(p.actors));
        o.insert("runs_per_pairing".into(), json!(runs));
        o.insert("seed".into(), json!(seed));
        o.insert("common_random_numbers".into(), json!("run k of every pairing uses the stream (seed, k)"));
    }
    let ranking = results
        .standings()
        .into_iter()
        .map(|s| RankRow {
            rank: s.rank,
            entrant: p.entrants[s.entrant].clone(),
            mean: s.utility.mean(),
            ci95: s.utility.ci95(),
            extra: vec![
                ("mean_as_first_actor".into(), Field::Number(s.by_role[0])),
                ("mean_as_second_actor".into(), Field::Number(s.by_role[1])),
                (
                    "agreement_rate".into(),
                    Field::Number((s.negotiations > 0).then(|| s.agreements as f64 / s.negotiations as f64)),
                ),
                ("negotiations".into(), Field::Count(s.negotiations)),
            ],
        })
        .collect();
    let matrix = results.matrix().iter().map(|row| row.iter().map(|m| m.mean()).collect()).collect();
    let pairs = (0..p.cells.len())
        .map(|k| {
            let s = results.pairing(k);
            let [a, b] = s.cell.entrants;
            let actors = &p.actors[s.cell.scenario];
            vec![
                ("scenario".into(), Field::Text(p.scenario_names[s.cell.scenario].clone())),
                ("first_actor".into(), Field::Text(actors[0].clone())),
                ("first_entrant".into(), Field::Text(p.entrants[a].clone())),
                ("second_actor".into(), Field::Text(actors[1].clone())),
                ("second_entrant".into(), Field::Text(p.entrants[b].clone())),
                ("runs".into(), Field::Count(s.runs)),
                ("agreement_rate".into(), Field::Number(s.agreement)),
                ("agreement_ci95_low".into(), Field::Number(s.agreement_ci95.map(|c| c[0]))),
                ("agreement_ci95_high".into(), Field::Number(s.agreement_ci95.map(|c| c[1]))),
                ("mean_rounds".into(), Field::Number(s.mean_rounds)),
                ("mean_payoff_first".into(), Field::Number(s.mean_payoff[0])),
                ("mean_payoff_second".into(), Field::Number(s.mean_payoff[1])),
                ("nash_product".into(), Field::Number(s.nash_product)),
            ]
        })
        .collect();
    let caption = format!(
        "{} — {} entrants, every ordered pair, {} runs per pairing, seed {}",
        p.scenario_names.join(", "),
        p.entrants.len(),
        runs,
        seed
    );
    Report {
        title: title.to_string(),
        kind: "negotiation".into(),
        settings,
        entrants: p.entrants.clone(),
        measure: "mean utility (both roles)".into(),
        ranked_by: "mean utility".into(),
        ranking,
        matrix,
        pairs,
        evolution,
        caption,
    }
}
