//! Tournament results as files and text: tournament.json, tournament.csv
//! (one row per pairing, tidy), ranking.csv, evolution.csv, the terminal
//! table and the plots. Both kinds of tournament (repeated games and
//! negotiations) are first put in the same [`Report`] shape.

use std::path::Path;

use serde_json::{Value, json};

use super::charts::{self, ChartError, RankingBars, ReplicatorShares, TournamentHeatmap};
use super::fmt3;
use crate::games::evolution::MoranResult;

/// A value in a tidy table.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Text(String),
    Count(u64),
    /// `None` (or not finite) is written "n/a" in text, empty in CSV and
    /// null in JSON.
    Number(Option<f64>),
}

impl Field {
    fn json(&self) -> Value {
        match self {
            Field::Text(s) => json!(s),
            Field::Count(c) => json!(c),
            Field::Number(x) => num(*x),
        }
    }

    fn csv(&self) -> String {
        match self {
            Field::Text(s) => s.clone(),
            Field::Count(c) => c.to_string(),
            Field::Number(Some(x)) if x.is_finite() => format!("{x}"),
            Field::Number(_) => String::new(),
        }
    }
}

fn num(x: Option<f64>) -> Value {
    match x {
        Some(x) if x.is_finite() => json!(x),
        _ => Value::Null,
    }
}

/// One entrant's line in the ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct RankRow {
    pub rank: usize,
    pub entrant: String,
    /// The ranking value (mean score per turn, or mean utility).
    pub mean: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    /// Further columns (median, wins, agreement rate, …).
    pub extra: Vec<(String, Field)>,
}

/// Evolution on the payoff matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct EvolutionReport {
    pub generations: u32,
    pub selection: f64,
    /// Shares per generation, entrants in entry order.
    pub replicator: Vec<Vec<f64>>,
    pub moran: MoranResult,
    pub moran_per_strategy: u32,
    pub moran_seed: u64,
}

/// Everything a tournament reports, in one shape for both kinds.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    /// "repeated" or "negotiation".
    pub kind: String,
    /// Settings and provenance (file, seed, turns, noise, runs, …).
    pub settings: Value,
    pub entrants: Vec<String>,
    /// What the ranking value is, for headers and plots.
    pub measure: String,
    /// How entrants are ordered, in words.
    pub ranked_by: String,
    pub ranking: Vec<RankRow>,
    /// `matrix[i][j]`: i's mean payoff against j.
    pub matrix: Vec<Vec<Option<f64>>>,
    /// Tidy rows for tournament.csv, one per pairing.
    pub pairs: Vec<Vec<(String, Field)>>,
    pub evolution: Option<EvolutionReport>,
    /// Plot captions: "… — 100 repetitions, seed 0".
    pub caption: String,
}

/// tournament.json.
pub fn json_text(r: &Report) -> String {
    let ranking: Vec<Value> = r
        .ranking
        .iter()
        .map(|row| {
            let mut o = serde_json::Map::new();
            o.insert("rank".into(), json!(row.rank));
            o.insert("entrant".into(), json!(row.entrant));
            o.insert("mean".into(), num(row.mean));
            o.insert("ci95".into(), row.ci95.map_or(Value::Null, |c| json!([num(Some(c[0])), num(Some(c[1]))])));
            for (k, v) in &row.extra {
                o.insert(k.clone(), v.json());
            }
            Value::Object(o)
        })
        .collect();
    let pairs: Vec<Value> =
        r.pairs.iter().map(|row| Value::Object(row.iter().map(|(k, v)| (k.clone(), v.json())).collect())).collect();
    let evolution = r.evolution.as_ref().map_or(Value::Null, |ev| {
        let fixation: Vec<Value> = r
            .entrants
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let (p, ci) = ev.moran.probability(i);
                json!({ "entrant": name, "fixations": ev.moran.fixations[i], "probability": num(p),
                        "ci95": ci.map_or(Value::Null, |c| json!(c)) })
            })
            .collect();
        json!({
            "fitness": "1 + selection × payoff scaled to [0, 1] by the matrix's smallest and largest entries",
            "selection": ev.selection,
            "replicator": { "generations": ev.generations, "initial": "equal shares",
                            "final_shares": r.entrants.iter().zip(ev.replicator.last().cloned().unwrap_or_default())
                                 .map(|(n, x)| json!({ "entrant": n, "share": x })).collect::<Vec<_>>() },
            "moran": { "runs": ev.moran.runs, "per_strategy": ev.moran_per_strategy,
                       "population": ev.moran_per_strategy as usize * r.entrants.len(),
                       "seed": ev.moran_seed, "unfinished": ev.moran.unfinished,
                       "mean_steps": num(Some(ev.moran.mean_steps)),
                       "neutral_probability": 1.0 / r.entrants.len() as f64, "fixation": fixation },
        })
    });
    let v = json!({
        "format": "brink-tournament-1",
        "brink_version": env!("CARGO_PKG_VERSION"),
        "title": r.title,
        "kind": r.kind,
        "settings": r.settings,
        "entrants": r.entrants,
        "measure": r.measure,
        "ranking": ranking,
        "matrix": r.matrix.iter().map(|row| row.iter().map(|x| num(*x)).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "pairs": pairs,
        "evolution": evolution,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "null".into());
    s.push('\n');
    s
}

fn csv_bytes(header: &[String], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
}

/// tournament.csv: one row per pairing.
pub fn pairs_csv(r: &Report) -> Result<Vec<u8>, csv::Error> {
    let header: Vec<String> = r.pairs.first().map(|p| p.iter().map(|(k, _)| k.clone()).collect()).unwrap_or_default();
    csv_bytes(&header, r.pairs.iter().map(|row| row.iter().map(|(_, v)| v.csv()).collect()))
}

/// ranking.csv: one row per entrant.
pub fn ranking_csv(r: &Report) -> Result<Vec<u8>, csv::Error> {
    let mut header: Vec<String> = ["rank", "entrant", "mean", "ci95_low", "ci95_high"].map(String::from).to_vec();
    header.extend(
        r.ranking.first().map(|row| row.extra.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>()).unwrap_or_default(),
    );
    let f = |x: Option<f64>| Field::Number(x).csv();
    csv_bytes(
        &header,
        r.ranking.iter().map(|row| {
            let mut v = vec![
                row.rank.to_string(),
                row.entrant.clone(),
                f(row.mean),
                f(row.ci95.map(|c| c[0])),
                f(row.ci95.map(|c| c[1])),
            ];
            v.extend(row.extra.iter().map(|(_, x)| x.csv()));
            v
        }),
    )
}

/// evolution.csv: (generation, entrant, share), tidy.
pub fn evolution_csv(r: &Report, ev: &EvolutionReport) -> Result<Vec<u8>, csv::Error> {
    let header = ["generation", "entrant", "share"].map(String::from).to_vec();
    csv_bytes(
        &header,
        ev.replicator.iter().enumerate().flat_map(|(g, xs)| {
            r.entrants.iter().zip(xs).map(move |(n, x)| vec![g.to_string(), n.clone(), format!("{x}")])
        }),
    )
}

/// The terminal table: ranking, then evolution.
pub fn text(r: &Report) -> String {
    let mut out = format!("{}\n\n", r.title);
    let width = r.entrants.iter().map(|n| n.chars().count()).max().unwrap_or(8).max(8);
    let extra_names: Vec<String> =
        r.ranking.first().map(|row| row.extra.iter().map(|(k, _)| k.replace('_', " ")).collect()).unwrap_or_default();
    out.push_str(&format!("{:>4}  {:<width$}  {:>10}  {:>19}", "rank", "entrant", "mean", "95% CI"));
    let widths: Vec<usize> = extra_names.iter().map(|k| k.chars().count().max(10)).collect();
    for (k, w) in extra_names.iter().zip(&widths) {
        out.push_str(&format!("  {k:>w$}"));
    }
    out.push('\n');
    for row in &r.ranking {
        let ci = row.ci95.map_or("n/a".to_string(), |c| format!("[{}, {}]", fmt3(c[0]), fmt3(c[1])));
        out.push_str(&format!(
            "{:>4}  {:<width$}  {:>10}  {:>19}",
            row.rank,
            row.entrant,
            row.mean.map_or("n/a".into(), fmt3),
            ci
        ));
        for ((_, v), w) in row.extra.iter().zip(&widths) {
            let s = match v {
                Field::Text(s) => s.clone(),
                Field::Count(c) => c.to_string(),
                Field::Number(x) => x.map_or("n/a".into(), fmt3),
            };
            out.push_str(&format!("  {s:>w$}"));
        }
        out.push('\n');
    }
    out.push_str(&format!("\nmean: {}; ranked by {}\n", r.measure, r.ranked_by));
    let ties = r.ranking.windows(2).filter(|w| w[0].rank == w[1].rank).count();
    if ties > 0 {
        out.push_str("Entrants with the same rank are tied.\n");
    }
    if let Some(ev) = &r.evolution {
        let last = ev.replicator.last().cloned().unwrap_or_default();
        let mut order: Vec<usize> = (0..r.entrants.len()).collect();
        order.sort_by(|&a, &b| last[b].total_cmp(&last[a]).then(a.cmp(&b)));
        out.push_str(&format!(
            "\nEvolution (selection {}): replicator shares after {} generations; Moran fixation over {} runs, population {}\n",
            ev.selection,
            ev.generations,
            ev.moran.runs,
            ev.moran_per_strategy as usize * r.entrants.len()
        ));
        for i in order {
            let (p, ci) = ev.moran.probability(i);
            out.push_str(&format!(
                "  {:<width$}  share {:>6}   fixation {:>6} {}\n",
                r.entrants[i],
                super::charts_percent(last[i]),
                p.map_or("n/a".into(), super::charts_percent),
                ci.map_or(String::new(), |c| format!(
                    "[{}, {}]",
                    super::charts_percent(c[0]),
                    super::charts_percent(c[1])
                ))
            ));
        }
        if ev.moran.unfinished > 0 {
            out.push_str(&format!("  {} Moran runs had not fixed when stopped.\n", ev.moran.unfinished));
        }
        out.push_str(&format!(
            "  (neutral drift would fix each with probability {})\n",
            super::charts_percent(1.0 / r.entrants.len() as f64)
        ));
    }
    out
}

/// Writes the plots into `dir`; returns the file names.
pub fn write_plots(dir: &Path, r: &Report) -> Result<Vec<String>, ChartError> {
    let mut files = charts::write(
        dir,
        &TournamentHeatmap {
            title: format!("{}: row entrant against column opponent", capitalise(&r.measure)),
            caption: r.caption.clone(),
            names: &r.entrants,
            values: &r.matrix,
        },
    )?;
    let bars: Vec<(String, Option<f64>, Option<[f64; 2]>)> =
        r.ranking.iter().map(|row| (format!("{}. {}", row.rank, row.entrant), row.mean, row.ci95)).collect();
    files.extend(charts::write(
        dir,
        &RankingBars {
            file: "tournament-ranking".into(),
            title: format!("{}: {}", short(&r.title), r.ranked_by),
            caption: r.caption.clone(),
            x_label: format!("{} (bars: mean, whiskers: 95% CI)", r.measure),
            bars: &bars,
            percent: false,
            reference: None,
        },
    )?);
    if let Some(ev) = &r.evolution {
        files.extend(charts::write(
            dir,
            &ReplicatorShares {
                title: format!("Replicator dynamics: shares over {} generations", ev.generations),
                caption: format!("{} — equal shares at the start, selection {}", r.caption, ev.selection),
                names: &r.entrants,
                shares: &ev.replicator,
            },
        )?);
        let mut bars: Vec<(String, Option<f64>, Option<[f64; 2]>)> = r
            .entrants
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let (p, ci) = ev.moran.probability(i);
                (n.clone(), p, ci)
            })
            .collect();
        bars.sort_by(|a, b| b.1.unwrap_or(0.0).total_cmp(&a.1.unwrap_or(0.0)));
        let neutral = 1.0 / r.entrants.len().max(1) as f64;
        files.extend(charts::write(
            dir,
            &RankingBars {
                file: "evolution-moran".into(),
                title: "Moran process: probability of taking over (95% CI)".into(),
                caption: format!(
                    "{} — population {} ({} of each), {} runs, selection {}; neutral drift: {}",
                    r.caption,
                    ev.moran_per_strategy as usize * r.entrants.len(),
                    ev.moran_per_strategy,
                    ev.moran.runs,
                    ev.selection,
                    super::charts_percent(1.0 / r.entrants.len() as f64)
                ),
                x_label: "fixation probability".into(),
                bars: &bars,
                percent: true,
                reference: Some((neutral, format!("neutral drift ({})", super::charts_percent(neutral)))),
            },
        )?);
    }
    Ok(files)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

fn short(title: &str) -> String {
    if title.chars().count() > 48 {
        format!("{}…", title.chars().take(47).collect::<String>())
    } else {
        title.to_string()
    }
}
