//! Files and tables for sweeps and comparisons: sweep.csv, compare.csv and
//! the side-by-side table.

use std::io::Write;

use crate::analysis::comparison::{Estimate, IntervalKind, Row};

fn interval_name(k: IntervalKind) -> &'static str {
    match k {
        IntervalKind::Paired => "paired",
        IntervalKind::Independent => "independent",
    }
}

/// A p-value for tables: "<1e-6" below that, else three significant digits.
pub fn p_value_text(p: f64) -> String {
    if p < 1e-6 {
        "<1e-6".into()
    } else if p < 1e-3 {
        format!("{p:.1e}")
    } else {
        format!("{p:.3}")
    }
}
use crate::analysis::outcomes::Summary;

fn num(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| v.to_string())
}

/// One sweep point: its parameter values and its summary.
pub struct SweepPoint<'a> {
    pub values: &'a [f64],
    pub summary: &'a Summary,
}

/// The header of sweep.csv: the swept paths, then `runs`, then for each end
/// and each disagreement outcome its share with a 95% interval
/// (`end:agreement`, `end:agreement:ci_low`, `end:agreement:ci_high`,
/// `disagreement:escalation`, …), then each actor's mean payoff with its
/// interval (`payoff:usa:mean`, …), then `mean_round`.
pub fn sweep_header(params: &[String], first: &Summary) -> Vec<String> {
    let mut h: Vec<String> = params.to_vec();
    h.push("runs".into());
    let mut triple = |name: String| {
        h.push(name.clone());
        h.push(format!("{name}:ci_low"));
        h.push(format!("{name}:ci_high"));
    };
    for s in &first.ends {
        triple(format!("end:{}", s.label));
    }
    for s in &first.disagreement {
        triple(format!("disagreement:{}", s.label));
    }
    for p in &first.payoffs {
        triple(format!("payoff:{}:mean", p.actor));
    }
    h.push("mean_round".into());
    h
}

pub fn sweep_row(point: &SweepPoint<'_>) -> Vec<String> {
    let s = point.summary;
    let mut row: Vec<String> = point.values.iter().map(|v| v.to_string()).collect();
    row.push(s.runs.to_string());
    let mut triple = |value: Option<f64>, ci: Option<[f64; 2]>| {
        row.push(num(value));
        row.push(num(ci.map(|c| c[0])));
        row.push(num(ci.map(|c| c[1])));
    };
    for x in s.ends.iter().chain(&s.disagreement) {
        triple(x.share, x.ci95);
    }
    for p in &s.payoffs {
        triple(p.mean, p.mean_ci95);
    }
    row.push(num(s.rounds.mean));
    row
}

/// Writes sweep.csv.
pub fn write_sweep_csv<W: Write>(out: W, params: &[String], points: &[SweepPoint<'_>]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    if let Some(first) = points.first() {
        w.write_record(sweep_header(params, first.summary))?;
    }
    for p in points {
        w.write_record(sweep_row(p))?;
    }
    w.flush()?;
    Ok(())
}

/// Writes compare.csv in long form: one row per (arm, quantity), with the
/// difference from the baseline (the first arm).
pub fn write_compare_csv<W: Write>(out: W, arms: &[(String, String)], rows: &[Row]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "arm",
        "description",
        "kind",
        "label",
        "value",
        "ci_low",
        "ci_high",
        "diff",
        "diff_ci_low",
        "diff_ci_high",
        "diff_interval",
        "switched_out",
        "switched_in",
        "mcnemar_p",
    ])?;
    for row in rows {
        for (k, (name, description)) in arms.iter().enumerate() {
            let v = row.values[k];
            let d = row.differences[k];
            w.write_record([
                name.clone(),
                description.clone(),
                row.kind.to_string(),
                row.label.clone(),
                num(v.value),
                num(v.ci95.map(|c| c[0])),
                num(v.ci95.map(|c| c[1])),
                num(d.value),
                num(d.ci95.map(|c| c[0])),
                num(d.ci95.map(|c| c[1])),
                if k == 0 { String::new() } else { interval_name(row.interval).to_string() },
                row.switches[k].map_or(String::new(), |s| s[0].to_string()),
                row.switches[k].map_or(String::new(), |s| s[1].to_string()),
                num(row.p_values[k]),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

fn cell(e: &Estimate, percent: bool, signed: bool) -> String {
    let f = |x: f64| {
        let x = if percent { 100.0 * x } else { x };
        let digits = if percent { 1 } else { 3 };
        if signed { format!("{x:+.digits$}") } else { format!("{x:.digits$}") }
    };
    match (e.value, e.ci95) {
        (Some(v), Some([lo, hi])) => format!("{}{} [{}, {}]", f(v), if percent { "%" } else { "" }, f(lo), f(hi)),
        (Some(v), None) => f(v),
        _ => "n/a".into(),
    }
}

/// The side-by-side table: each arm's value with its interval, then each
/// arm's difference from the baseline.
pub fn compare_table(title: &str, arms: &[(String, String)], rows: &[Row]) -> String {
    let width = 28;
    let mut s = format!("{title}\n\n");
    for (k, (name, description)) in arms.iter().enumerate() {
        let role = if k == 0 && name != "baseline" { " (baseline)" } else { "" };
        s.push_str(&format!("  [{k}] {name}{role}: {description}\n"));
    }
    let kind = rows.first().map_or(IntervalKind::Independent, |r| r.interval);
    let diff_heading = match kind {
        IntervalKind::Paired => "Difference from the baseline, paired run by run, with 95% CI",
        IntervalKind::Independent => "Difference from the baseline, arms as independent samples, with 95% CI",
    };
    for (heading, diff) in [("Values with 95% CI", false), (diff_heading, true)] {
        s.push_str(&format!("\n{heading}\n  {:<26}", ""));
        for (k, (name, _)) in arms.iter().enumerate() {
            if diff && k == 0 {
                continue;
            }
            let short: String = format!("[{k}] {name}").chars().take(width - 2).collect();
            s.push_str(&format!("{short:<width$}"));
        }
        s.push('\n');
        for row in rows {
            let percent = row.kind == "end" || row.kind == "disagreement";
            let label = row_label(row);
            s.push_str(&format!("  {label:<26}"));
            for k in 0..arms.len() {
                if diff && k == 0 {
                    continue;
                }
                let e = if diff { &row.differences[k] } else { &row.values[k] };
                s.push_str(&format!("{:<width$}", cell(e, percent, diff)));
            }
            s.push('\n');
        }
    }
    if kind == IntervalKind::Paired && arms.len() > 1 {
        s.push_str("\nRuns that switched against the baseline (out / in), McNemar exact p\n  ");
        s.push_str(&format!("{:<26}", ""));
        for (k, (name, _)) in arms.iter().enumerate().skip(1) {
            let short: String = format!("[{k}] {name}").chars().take(width - 2).collect();
            s.push_str(&format!("{short:<width$}"));
        }
        s.push('\n');
        for row in rows.iter().filter(|r| r.switches.iter().any(|x| x.is_some())) {
            s.push_str(&format!("  {:<26}", row_label(row)));
            for k in 1..arms.len() {
                let text = match (row.switches[k], row.p_values[k]) {
                    (Some([out, into]), Some(p)) => format!("-{out} / +{into}  p {}", p_value_text(p)),
                    _ => "n/a".into(),
                };
                s.push_str(&format!("{text:<width$}"));
            }
            s.push('\n');
        }
    }
    s.push_str(&format!("\n{}\n", kind.explain()));
    s
}

/// A row's name in tables: "agreement", "no deal: escalation", "mean payoff usa".
pub fn row_label(row: &Row) -> String {
    match row.kind {
        "end" => row.label.clone(),
        "disagreement" => format!("no deal: {}", row.label),
        "mean-round" => "mean round".into(),
        _ => format!("mean payoff {}", row.label),
    }
}
