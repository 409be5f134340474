//! The summary `brink check` prints for a valid scenario.

use serde_json::{Value, json};

use super::fmt3;
use crate::model::Model;

/// Human-readable summary.
pub fn text(model: &Model, source_name: &str) -> String {
    let p = &model.params.means;
    let mut s = String::new();
    s.push_str(&format!("✓ {} is a valid scenario: {}\n", source_name, model.name));
    if !model.description.is_empty() {
        s.push_str(&format!("  {}\n", model.description.lines().next().unwrap_or_default()));
    }
    s.push_str(&format!(
        "\nProtocol: {} rounds at most, {} proposes first, breakdown hazard {} per round without a deal\n",
        model.rounds,
        model.actors[model.first_mover].id,
        describe_param(model, model.hazard)
    ));
    if model.talks_open > 0 {
        s.push_str(&format!(
            "  rounds 0–{} pass without offers (the talks open at round {}, where {} proposes); the ladders, their costs and the hazard run\n",
            model.talks_open - 1,
            model.talks_open,
            model.actors[model.proposer_at(model.talks_open)].id
        ));
    }
    s.push_str(&format!("\nIssues ({}), outcome space {} outcomes:\n", model.issues.len(), model.space.size));
    for issue in &model.issues {
        let opts = if issue.options.len() <= 6 {
            issue.options.join(", ")
        } else {
            format!("{} … {} ({} steps)", issue.options[0], issue.options[issue.options.len() - 1], issue.options.len())
        };
        s.push_str(&format!("  {:<14} {} — {}\n", issue.id, issue.name, opts));
    }
    s.push_str("\nActors:\n");
    for (a, actor) in model.actors.iter().enumerate() {
        let reservation_note = if actor.reservation.is_some() {
            "perceived, set by the scenario"
        } else if actor.believed_odds.is_some() {
            "expected value of the conflict lottery at the odds it believes"
        } else {
            "expected value of the conflict lottery"
        };
        s.push_str(&format!("  {} ({})\n", actor.id, actor.name));
        s.push_str(&format!("    strategy     {}\n", actor.strategy.describe(p)));
        let acceptance = actor.describe_acceptance(p);
        s.push_str(&format!("    acceptance   {acceptance}\n"));
        s.push_str(&format!(
            "    discount     {}, cost per round {}\n",
            describe_param(model, actor.discount),
            describe_param(model, actor.cost_per_round)
        ));
        s.push_str(&format!("    reservation  {} ({reservation_note})\n", fmt3(model.reservation(a, p))));
        match actor.walk_away {
            Some(crate::model::WalkAway::Floor(w)) => s.push_str(&format!(
                "    walks away   below {}, when nothing it expects to reach beats that\n",
                describe_param(model, w)
            )),
            Some(crate::model::WalkAway::Auto) => s.push_str(
                "    walks away   when its reservation value beats its expected value of continuing (auto)\n",
            ),
            None => {}
        }
        let best = model.mean_utilities[a].iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let worst = model.mean_utilities[a].iter().cloned().fold(f64::INFINITY, f64::min);
        s.push_str(&format!(
            "    utility      from {} to {} over the outcome space (at the means)\n",
            fmt3(worst),
            fmt3(best)
        ));
    }
    s.push_str("\nIf talks fail (conflict lottery):\n");
    for d in &model.disagreement {
        let pay: Vec<String> = model
            .actors
            .iter()
            .enumerate()
            .map(|(a, x)| format!("{} {}", x.id, describe_param(model, d.payoff[a])))
            .collect();
        s.push_str(&format!("  {:<16} p = {:<6} payoffs: {}\n", d.id, d.probability, pay.join(", ")));
    }
    if let Some(shift) = &model.power {
        power_shift(&mut s, model, shift);
    }
    red_lines(&mut s, model);
    audience_costs(&mut s, model);
    if !model.rules.is_empty() {
        s.push_str(&format!("\nPayoff rules: {}\n", model.rules.len()));
        for r in &model.rules {
            s.push_str(&format!("  {}\n", r.name));
        }
    }
    let unc = &model.params.uncertain;
    let drawn_lines = model.red_lines.iter().flatten().any(|l| {
        let p = model.params.means[l.probability_real as usize];
        p > 0.0 && p < 1.0
    });
    if unc.is_empty() && drawn_lines {
        s.push_str("\nNo uncertain numbers; each run draws only which red lines are real.\n");
    } else if unc.is_empty() {
        s.push_str("\nNo uncertain numbers: every run draws the same values.\n");
    } else {
        s.push_str(&format!("\nUncertain numbers ({}), drawn once per run:\n", unc.len()));
        for u in unc {
            s.push_str(&format!("  {:<40} {}\n", u.path, u.distribution.describe()));
        }
    }
    let mechanisms = model.mechanisms();
    if mechanisms.is_empty() {
        s.push_str("\nMechanisms of failure: none (complete information, no breakdown risk, deals that bind)\n");
    } else {
        s.push_str(&format!("\nMechanisms of failure (docs/model.md): {}\n", mechanisms.join("; ")));
    }
    s
}

/// The `[power_shift]` lines: the deal's later periods and their lotteries.
fn power_shift(s: &mut String, model: &Model, shift: &crate::model::PowerShift) {
    let level = shift.level.as_deref().map(|l| format!(" ({l})")).unwrap_or_default();
    s.push_str(&format!(
        "\nAfter a deal, power shifts: {} later period(s), each weighted by discount {}; \
         a deal binds with probability {}{level}, else the side the shift favours revises it\n",
        shift.periods.len(),
        describe_param(model, shift.discount),
        describe_param(model, shift.enforcement),
    ));
    for (k, period) in shift.periods.iter().enumerate() {
        let lottery: Vec<String> = model
            .disagreement
            .iter()
            .zip(&period.probability)
            .map(|(d, p)| format!("{} p = {}", d.id, crate::model::number_label(*p)))
            .collect();
        let war: Vec<String> = (0..2)
            .map(|a| format!("{} {}", model.actors[a].id, fmt3(shift.war_value(k, a, &model.params.means))))
            .collect();
        s.push_str(&format!("  period {}: {}; war then worth {}\n", k + 1, lottery.join(", "), war.join(", ")));
    }
}

/// The red lines, one line each: where, and how likely it is real.
fn red_lines(s: &mut String, model: &Model) {
    if model.red_lines.iter().all(Vec::is_empty) {
        return;
    }
    s.push_str("\nRed lines (docs/model.md §10):\n");
    for (a, lines) in model.red_lines.iter().enumerate() {
        for line in lines {
            let issue = &model.issues[line.issue];
            let below = refused(model, line);
            let below = if below.is_empty() { "nothing".to_string() } else { below.join(", ") };
            s.push_str(&format!(
                "  {} on {}: at least {} (refuses {below}); real with probability {}{}\n",
                model.actors[a].id,
                issue.id,
                line.at,
                describe_param(model, line.probability_real),
                real_note(model, a, line.probability_real)
            ));
        }
    }
}

/// The audience costs, one line per actor that has them.
fn audience_costs(s: &mut String, model: &Model) {
    let mut lines = Vec::new();
    for (a, actor) in model.actors.iter().enumerate() {
        let Some(costs) = &actor.audience else { continue };
        // A drawn cost is private unless types are common knowledge.
        let private = |id: u32| match (model.params.is_uncertain(id), model.types_known) {
            (false, _) => String::new(),
            (true, true) => "; drawn per run, both sides see the draw".to_string(),
            (true, false) => format!("; drawn per run, {} knows only its distribution", model.actors[1 - a].id),
        };
        if let Some(demand) = model.describe_demand(a) {
            lines.push(format!(
                "  {}: public demand {demand}; agreeing to less costs it {}{}\n",
                actor.id,
                describe_param(model, costs.backing_down),
                private(costs.backing_down)
            ));
        }
        if model.params.means[costs.step_down as usize] > 0.0 || model.params.is_uncertain(costs.step_down) {
            lines.push(format!(
                "  {}: each step down its escalation ladder costs it {}{}\n",
                actor.id,
                describe_param(model, costs.step_down),
                private(costs.step_down)
            ));
        }
    }
    if !lines.is_empty() {
        s.push_str("\nAudience costs (docs/model.md §11):\n");
        lines.iter().for_each(|l| s.push_str(l));
    }
}

/// The options below a red line.
fn refused(model: &Model, line: &crate::model::RedLine) -> Vec<String> {
    let options = &model.issues[line.issue].options;
    options.iter().zip(&line.below).filter(|&(_, &b)| b).map(|(o, _)| o.clone()).collect()
}

/// Who knows whether a red line is real.
fn real_note(model: &Model, a: usize, probability: u32) -> String {
    let p = model.params.means[probability as usize];
    if p <= 0.0 {
        " (a bluff, and known to be)".to_string()
    } else if p >= 1.0 && !model.params.is_uncertain(probability) {
        " (known to be real)".to_string()
    } else if model.types_known {
        " (drawn per run; both sides see the draw)".to_string()
    } else {
        format!(" (drawn per run; {} knows only the probability)", model.actors[1 - a].id)
    }
}

fn describe_param(model: &Model, id: u32) -> String {
    match model.params.uncertain.iter().find(|u| u.id == id) {
        Some(u) => format!("{} (mean {})", u.distribution.describe(), fmt3(model.params.means[id as usize])),
        None => format!("{}", model.params.means[id as usize]),
    }
}

/// Machine-readable summary.
pub fn json(model: &Model, source_name: &str, sha256: &str) -> Value {
    let p = &model.params.means;
    json!({
        "valid": true,
        "file": source_name,
        "sha256": sha256,
        "name": model.name,
        "description": model.description,
        "sources": model.sources,
        "rounds": model.rounds,
        "first_mover": model.actors[model.first_mover].id,
        "talks_open": model.talks_open,
        "breakdown_hazard_mean": p[model.hazard as usize],
        "outcome_space_size": model.space.size,
        "issues": model.issues.iter().map(|i| json!({"id": i.id, "name": i.name, "options": i.options})).collect::<Vec<_>>(),
        "actors": model.actors.iter().enumerate().map(|(a, x)| json!({
            "id": x.id,
            "name": x.name,
            "strategy": x.strategy.describe(p),
            "acceptance": x.describe_acceptance(p),
            "discount_mean": p[x.discount as usize],
            "cost_per_round_mean": p[x.cost_per_round as usize],
            "reservation_mean": model.reservation(a, p),
            "reservation_perceived": x.reservation.is_some(),
        })).collect::<Vec<_>>(),
        "disagreement": model.disagreement.iter().map(|d| json!({
            "id": d.id, "name": d.name, "probability": d.probability,
            "payoff_means": {model.actors[0].id.clone(): p[d.payoff[0] as usize], model.actors[1].id.clone(): p[d.payoff[1] as usize]},
        })).collect::<Vec<_>>(),
        "rules": model.rules.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
        "uncertain": model.params.uncertain.iter().map(|u| json!({"path": u.path, "distribution": u.distribution.describe(), "mean": p[u.id as usize]})).collect::<Vec<_>>(),
        "mechanisms": model.mechanisms(),
        "audience_costs": model.actors.iter().enumerate().filter_map(|(a, x)| x.audience.as_ref().map(|c| json!({
            "actor": x.id,
            "public_demand": c.demand.iter().map(|d| (model.issues[d.issue].id.clone(), json!(d.at))).collect::<serde_json::Map<_, _>>(),
            "backing_down_mean": p[c.backing_down as usize],
            "step_down_mean": p[c.step_down as usize],
            "describe": model.describe_demand(a),
        }))).collect::<Vec<_>>(),
        "red_lines": model.red_lines.iter().enumerate().flat_map(|(a, lines)| lines.iter().map(move |line| json!({
            "actor": model.actors[a].id,
            "issue": model.issues[line.issue].id,
            "at": line.at,
            "refuses": refused(model, line),
            "probability_real_mean": p[line.probability_real as usize],
        }))).collect::<Vec<_>>(),
        "power_shift": model.power.as_ref().map(|shift| json!({
            "discount_mean": p[shift.discount as usize],
            "enforcement_mean": p[shift.enforcement as usize],
            "enforcement_level": shift.level,
            "periods": shift.periods.iter().enumerate().map(|(k, period)| json!({
                "probability": model.disagreement.iter().zip(&period.probability).map(|(d, q)| (d.id.clone(), json!(q))).collect::<serde_json::Map<_, _>>(),
                "war_value_means": (0..2).map(|a| (model.actors[a].id.clone(), json!(shift.war_value(k, a, p)))).collect::<serde_json::Map<_, _>>(),
            })).collect::<Vec<_>>(),
        })),
    })
}
