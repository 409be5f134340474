//! `brink class`: reading the transcripts `brink play` saved, and writing
//! the class beside the simulation as a table, CSV and JSON.

use serde::Deserialize;
use serde_json::{Value, json};

use super::fmt3;
use super::summary_table::group;
use crate::analysis::classroom::{ClassSummary, PlayedGame};
use crate::analysis::comparison::Estimate;
use crate::analysis::shares::Share;
use crate::model::Model;

/// The version tag of class.json.
pub const CLASS_FORMAT: &str = "brink-class-1";

/// What `brink class` reads from a saved transcript.
#[derive(Debug, Clone, Deserialize)]
pub struct SavedTranscript {
    pub seed: u64,
    pub run: u64,
    pub outcome: SavedOutcome,
    pub play: Option<SavedPlay>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SavedOutcome {
    pub end: String,
    pub round: u32,
    pub payoffs: serde_json::Map<String, Value>,
}

/// The `play` section `brink play` adds to the trace format.
#[derive(Debug, Clone, Deserialize)]
pub struct SavedPlay {
    pub format: String,
    pub player: String,
    pub name: Option<String>,
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub scenario_text: String,
    /// The one variant, in transcripts written before `--variant` repeated.
    #[serde(default)]
    pub variant: Option<String>,
    /// The variants in the order applied.
    #[serde(default)]
    pub variants: Vec<String>,
    pub overrides: Vec<String>,
    pub moves: Vec<String>,
}

impl SavedPlay {
    /// The variants the game was played with, in order (older transcripts
    /// name at most one, under `variant`).
    pub fn all_variants(&self) -> Vec<String> {
        if self.variants.is_empty() { self.variant.iter().cloned().collect() } else { self.variants.clone() }
    }

    /// The scenario as played: file, variant and overrides.
    pub fn scenario_key(&self) -> String {
        // By characters: the field comes from a file and may hold any text.
        let short: String = self.scenario_sha256.chars().take(12).collect();
        let mut k = format!("{} (sha256 {short})", self.scenario_file);
        for v in self.all_variants() {
            k.push_str(&format!(", variant {v}"));
        }
        for o in &self.overrides {
            k.push_str(&format!(", --set {o}"));
        }
        k
    }
}

/// Where the class's numbers came from.
pub struct ClassProvenance<'a> {
    pub scenario_file: &'a str,
    pub scenario_sha256: &'a str,
    pub seed: u64,
    pub runs: u64,
}

fn percent(x: Option<f64>) -> String {
    x.filter(|x| x.is_finite()).map_or("n/a".into(), |x| format!("{:.1}%", 100.0 * x))
}

pub fn share_text(s: &Share) -> String {
    match (s.share, s.ci95) {
        (Some(p), Some([lo, hi])) => format!(
            "{} of {} = {} (95% CI {}–{})",
            group(s.count),
            group(s.total),
            percent(Some(p)),
            percent(Some(lo)),
            percent(Some(hi))
        ),
        _ => "n/a".into(),
    }
}

fn estimate_text(e: &Estimate) -> String {
    match (e.value, e.ci95) {
        (Some(v), Some([lo, hi])) => format!("{} (95% CI {} to {})", fmt3(v), fmt3(lo), fmt3(hi)),
        (Some(v), None) => format!("{} (one student: no interval)", fmt3(v)),
        _ => "n/a".into(),
    }
}

pub fn end_label(m: &Model, g: &PlayedGame) -> String {
    match g.end {
        crate::engine::End::WalkAway(a) => format!("walk-away ({})", m.actors[a].id),
        e => e.label().to_string(),
    }
}

/// The table printed after `brink class`.
pub fn text(m: &Model, games: &[PlayedGame], c: &ClassSummary, p: &ClassProvenance<'_>) -> String {
    let mut s = format!(
        "{} — {} student game{} beside {} simulated talks (seed {})\n\n",
        m.name,
        games.len(),
        if games.len() == 1 { "" } else { "s" },
        group(p.runs),
        p.seed
    );
    let width = games.iter().map(|g| g.label.len()).max().unwrap_or(7).clamp(7, 40);
    s.push_str(&format!(
        "  {:<width$}  {:<8} {:<18} {:>5} {:>9} {:>9} {:>10} {:>8}\n",
        "student", "as", "end", "round", "expected", "realised", "agent-run", "beats"
    ));
    for (g, pct) in games.iter().zip(&c.percentiles) {
        s.push_str(&format!(
            "  {:<width$}  {:<8} {:<18} {:>5} {:>9} {:>9} {:>10} {:>8}\n",
            g.label,
            m.actors[g.seat].id,
            end_label(m, g),
            g.round,
            fmt3(g.expected[g.seat]),
            fmt3(g.payoff[g.seat]),
            fmt3(g.agent.expected),
            percent(*pct)
        ));
    }
    s.push_str(
        "  expected: the student's payoff with the conflict lottery at its average (a deal: its payoff); \
         realised: with the lottery's draw;\n  agent-run: the expected payoff of the scenario's agent in the \
         student's seat, same seed and run; beats: share of simulated agents in that seat with a lower expected payoff\n\n",
    );
    s.push_str(&format!("Deals: students {}\n", share_text(&c.deals)));
    s.push_str(&format!("       simulation {}\n", share_text(&c.simulated_deals)));
    if let (Some(v), Some([lo, hi])) = (c.deal_share_difference.value, c.deal_share_difference.ci95) {
        s.push_str(&format!(
            "       difference {:+.1} points (95% CI {:+.1} to {:+.1})\n",
            100.0 * v,
            100.0 * lo,
            100.0 * hi
        ));
    }
    for seat in &c.seats {
        s.push_str(&format!(
            "Mean payoff as {}: students {}; simulated agents in the same seat {}; median beats {}\n",
            seat.actor,
            estimate_text(&seat.students_mean),
            estimate_text(&seat.agents_mean),
            percent(seat.median_percentile)
        ));
    }
    s
}

/// The step id where the student's ladder ended, or "none" at its foot.
fn ladder_label(m: &Model, g: &PlayedGame) -> String {
    match g.ladder_end {
        0 => "none".into(),
        k => m.ladders[g.seat].steps[k as usize - 1].id.clone(),
    }
}

/// One row per student.
pub fn csv(m: &Model, games: &[PlayedGame], c: &ClassSummary) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> =
        ["student", "actor", "seed", "run", "end", "round", "agreement"].iter().map(|s| s.to_string()).collect();
    for a in &m.actors {
        header.push(format!("utility_{}_at_means", a.id));
    }
    for a in &m.actors {
        header.push(format!("payoff_{}", a.id));
    }
    header.extend(
        ["student_payoff", "student_expected_payoff", "agent_same_run_payoff", "agent_same_run_expected", "percentile"]
            .map(String::from),
    );
    if m.has_ladders() {
        header.extend(["escalations".to_string(), "ladder_end".to_string()]);
    }
    w.write_record(&header)?;
    for (g, pct) in games.iter().zip(&c.percentiles) {
        let mut row = vec![
            g.label.clone(),
            m.actors[g.seat].id.clone(),
            g.seed.to_string(),
            g.run.to_string(),
            end_label(m, g),
            g.round.to_string(),
            g.agreement.map(|w| m.describe_outcome(w)).unwrap_or_default(),
        ];
        for a in 0..2 {
            row.push(g.agreement.map(|w| m.mean_utilities[a][w as usize].to_string()).unwrap_or_default());
        }
        for a in 0..2 {
            row.push(g.payoff[a].to_string());
        }
        row.push(g.payoff[g.seat].to_string());
        row.push(g.expected[g.seat].to_string());
        row.push(g.agent.payoff.to_string());
        row.push(g.agent.expected.to_string());
        row.push(pct.map(|p| p.to_string()).unwrap_or_default());
        if m.has_ladders() {
            row.push(g.escalations.to_string());
            row.push(ladder_label(m, g));
        }
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// class.json: provenance, each student's game and the summary.
pub fn json(m: &Model, games: &[PlayedGame], c: &ClassSummary, p: &ClassProvenance<'_>) -> Value {
    let students: Vec<Value> = games
        .iter()
        .zip(&c.percentiles)
        .map(|(g, pct)| {
            json!({
                "student": g.label,
                "actor": m.actors[g.seat].id,
                "seed": g.seed,
                "run": g.run,
                "end": end_label(m, g),
                "round": g.round,
                "agreement": g.agreement.map(|w| m.describe_outcome(w)),
                "utilities_at_means": g.agreement.map(|w| [m.mean_utilities[0][w as usize], m.mean_utilities[1][w as usize]]),
                "payoffs": {m.actors[0].id.clone(): g.payoff[0], m.actors[1].id.clone(): g.payoff[1]},
                "expected_payoffs": {m.actors[0].id.clone(): g.expected[0], m.actors[1].id.clone(): g.expected[1]},
                "agent_same_run": {"payoff": g.agent.payoff, "expected_payoff": g.agent.expected},
                "percentile": pct,
                "escalations": m.has_ladders().then_some(g.escalations),
                "ladder_end": m.has_ladders().then(|| ladder_label(m, g)),
            })
        })
        .collect();
    json!({
        "format": CLASS_FORMAT,
        "brink_version": env!("CARGO_PKG_VERSION"),
        "scenario": m.name,
        "scenario_file": p.scenario_file,
        "scenario_sha256": p.scenario_sha256,
        "seed": p.seed,
        "simulated_runs": p.runs,
        "students": students,
        "summary": c,
    })
}
