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

/// One sweep point: its parameter values, its summary, and its differences
/// from the sweep's baseline (the first grid point).
pub struct SweepPoint<'a> {
    pub values: &'a [f64],
    pub summary: &'a Summary,
    pub differences: Differences,
}

/// A point's differences from the baseline: per compared quantity, its
/// column name in sweep.csv (`end:agreement`, `payoff:usa:mean`,
/// `mean_round`…) and the difference with its 95% interval, and which kind
/// of interval they are. Empty for a point that was not compared.
#[derive(Debug, Clone, Default)]
pub struct Differences {
    pub interval: Option<IntervalKind>,
    pub values: Vec<(String, Estimate)>,
}

impl Differences {
    /// Point `i`'s differences out of comparison `rows` (points as arms).
    pub fn of_point(rows: &[Row], i: usize) -> Self {
        let column = |r: &Row| match r.kind {
            "payoff-mean" => format!("payoff:{}:mean", r.label),
            "mean-round" => "mean_round".to_string(),
            kind => format!("{kind}:{}", r.label),
        };
        Differences {
            interval: rows.first().map(|r| r.interval),
            values: rows.iter().filter_map(|r| Some((column(r), *r.differences.get(i)?))).collect(),
        }
    }

    /// The difference in column `name`, if compared.
    pub fn get(&self, name: &str) -> Option<&Estimate> {
        self.values.iter().find(|(c, _)| c == name).map(|(_, e)| e)
    }

    /// "paired" or "independent", for files.
    pub fn interval_name(&self) -> &'static str {
        self.interval.map_or("", interval_name)
    }
}

/// The header of sweep.csv: the swept paths, then `runs`, then for each end
/// and each disagreement outcome its share with a 95% interval
/// (`end:agreement`, `end:agreement:ci_low`, `end:agreement:ci_high`,
/// `disagreement:escalation`, …), then each actor's mean payoff with its
/// interval (`payoff:usa:mean`, …), then `mean_round`; then each of those
/// as a difference from the first grid point with its interval
/// (`diff:end:agreement`, `diff:end:agreement:ci_low`, …,
/// `diff:mean_round`…) and `diff_interval` (`paired` or `independent`).
pub fn sweep_header(params: &[String], first: &SweepPoint<'_>) -> Vec<String> {
    let diffs = first;
    let first = first.summary;
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
    for (name, _) in &diffs.differences.values {
        h.push(format!("diff:{name}"));
        h.push(format!("diff:{name}:ci_low"));
        h.push(format!("diff:{name}:ci_high"));
    }
    if !diffs.differences.values.is_empty() {
        h.push("diff_interval".into());
    }
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
    for (_, d) in &point.differences.values {
        row.push(num(d.value));
        row.push(num(d.ci95.map(|c| c[0])));
        row.push(num(d.ci95.map(|c| c[1])));
    }
    if !point.differences.values.is_empty() {
        row.push(point.differences.interval_name().into());
    }
    row
}

/// Writes sweep.csv.
pub fn write_sweep_csv<W: Write>(out: W, params: &[String], points: &[SweepPoint<'_>]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    if let Some(first) = points.first() {
        w.write_record(sweep_header(params, first))?;
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
        // No difference at all reads as exactly 0, not "+0.0".
        if signed && x == 0.0 {
            "0".to_string()
        } else if signed {
            format!("{x:+.digits$}")
        } else {
            format!("{x:.digits$}")
        }
    };
    // A difference of two percentages is in percentage points, not percent.
    let unit = match (percent, signed) {
        (true, false) => "%",
        (true, true) => " pts",
        _ => "",
    };
    match (e.value, e.ci95) {
        (Some(v), Some([lo, hi])) => format!("{}{unit} [{}, {}]", f(v), f(lo), f(hi)),
        (Some(v), None) => format!("{}{unit}", f(v)),
        _ => "n/a".into(),
    }
}

/// The widest the side-by-side table gets, in columns: arms that do not fit
/// go into further blocks below, each repeating the row labels.
pub const TABLE_WIDTH: usize = 100;
/// Row labels longer than this are cut with "…".
const LABEL_WIDTH: usize = 42;

/// `text` cut to `width` characters, the last one "…" when cut.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut s: String = text.chars().take(width.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// `text` wrapped at word boundaries into lines of at most `width`
/// characters, the lines after the first indented by `indent` spaces.
fn wrap(text: &str, width: usize, indent: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            line = indent;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
    }
    out
}

/// The side-by-side table: each arm's value with its interval, then each
/// arm's difference from the baseline (in percentage points for shares).
/// At most [`TABLE_WIDTH`] columns wide: arms go into blocks of as many as
/// fit, and long arm descriptions wrap.
pub fn compare_table(title: &str, arms: &[(String, String)], rows: &[Row]) -> String {
    let mut s = format!("{title}\n\n");
    for (k, (name, description)) in arms.iter().enumerate() {
        let role = if k == 0 && name != "baseline" { " (baseline)" } else { "" };
        s.push_str(&format!("  {}\n", wrap(&format!("[{k}] {name}{role}: {description}"), TABLE_WIDTH - 2, 6)));
    }
    let kind = rows.first().map_or(IntervalKind::Independent, |r| r.interval);
    let diff_heading = match kind {
        IntervalKind::Paired => "Difference from the baseline, paired run by run, with 95% CI",
        IntervalKind::Independent => "Difference from the baseline, arms as independent samples, with 95% CI",
    };
    let label_w = rows.iter().map(|r| row_label(r).chars().count()).max().unwrap_or(0).clamp(12, LABEL_WIDTH);
    for (heading, diff) in [("Values with 95% CI", false), (diff_heading, true)] {
        let shown: Vec<usize> = (0..arms.len()).filter(|&k| !(diff && k == 0)).collect();
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|row| {
                let percent = row.kind != "payoff-mean" && row.kind != "mean-round";
                shown
                    .iter()
                    .map(|&k| cell(if diff { &row.differences[k] } else { &row.values[k] }, percent, diff))
                    .collect()
            })
            .collect();
        table_blocks(&mut s, heading, arms, rows, &shown, &cells, label_w);
    }
    if kind == IntervalKind::Paired && arms.len() > 1 {
        let shown: Vec<usize> = (1..arms.len()).collect();
        let switching: Vec<Row> = rows.iter().filter(|r| r.switches.iter().any(|x| x.is_some())).cloned().collect();
        let cells: Vec<Vec<String>> = switching
            .iter()
            .map(|row| {
                shown
                    .iter()
                    .map(|&k| match (row.switches[k], row.p_values[k]) {
                        (Some([out, into]), Some(p)) => format!("-{out}/+{into} p {}", p_value_text(p)),
                        _ => "n/a".into(),
                    })
                    .collect()
            })
            .collect();
        let heading = "Runs that switched against the baseline (out/in), McNemar exact p";
        table_blocks(&mut s, heading, arms, &switching, &shown, &cells, label_w);
    }
    s.push_str(&format!("\n{}\n", wrap(kind.explain(), TABLE_WIDTH, 0)));
    if rows.iter().any(|r| r.kind == "cause") {
        s.push_str(&format!("{}\n", wrap(CAUSES_NOTE, TABLE_WIDTH, 0)));
    }
    s
}

/// What the cause rows of a comparison are, for tables and pages.
pub const CAUSES_NOTE: &str = "Why the talks failed: each failed run replayed with one mechanism switched off; a \
     mechanism is necessary when the replay agrees (docs/model.md §12). The shares are of each arm's own failures, \
     overlap, and need not sum to 100%; their differences treat the arms as independent samples.";

/// One table of `compare_table`: the arms `shown` in blocks as wide as fit.
fn table_blocks(
    s: &mut String,
    heading: &str,
    arms: &[(String, String)],
    rows: &[Row],
    shown: &[usize],
    cells: &[Vec<String>],
    label_w: usize,
) {
    let cell_w = cells.iter().flatten().map(|c| c.chars().count()).max().unwrap_or(0).max(12) + 2;
    let per_block = ((TABLE_WIDTH - 3 - label_w) / cell_w).max(1);
    s.push_str(&format!("\n{heading}\n"));
    for (b, block) in shown.chunks(per_block).enumerate() {
        if b > 0 {
            s.push('\n');
        }
        s.push_str(&format!("  {:<label_w$} ", ""));
        for &k in block {
            let head = fit(&format!("[{k}] {}", arms[k].0), cell_w - 2);
            s.push_str(&format!("{head:<cell_w$}"));
        }
        s.truncate(s.trim_end_matches(' ').len());
        s.push('\n');
        let (mut group_shown, mut causes_shown) = (false, false);
        for (row, row_cells) in rows.iter().zip(cells) {
            if row.kind == "disagreement" && !group_shown {
                s.push_str("  If no deal, what followed:\n");
                group_shown = true;
            }
            if row.kind == "cause" && !causes_shown {
                s.push_str("  Why the talks failed (share of the arm's failures):\n");
                causes_shown = true;
            }
            s.push_str(&format!("  {:<label_w$} ", fit(&row_label(row), label_w)));
            let first = b * per_block;
            for c in &row_cells[first..first + block.len()] {
                s.push_str(&format!("{c:<cell_w$}"));
            }
            s.truncate(s.trim_end_matches(' ').len());
            s.push('\n');
        }
    }
}

/// A row's name in tables: "agreement", "  Limited incursion in Donbas"
/// (under "If no deal, what followed:"), "mean payoff usa", "mean round".
pub fn row_label(row: &Row) -> String {
    match row.kind {
        "end" => row.name.clone(),
        "disagreement" => format!("  {}", row.name),
        "mean-round" => "mean round".into(),
        "cause" => match row.label.as_str() {
            "overdetermined" => "  overdetermined".into(),
            "none" => "  none (fails with all off)".into(),
            m => format!("  {m} necessary"),
        },
        _ => format!("mean payoff {}", row.label),
    }
}

/// Why an arm turned out as it did, in sentences: how often and when deals
/// come, on what terms, how large the zone of possible agreement is at the
/// means, and why the other talks failed. `compare` prints it per arm.
pub fn explain(summary: &Summary) -> Vec<String> {
    let share = |s: &crate::analysis::shares::Share| s.share.map_or("n/a".into(), |x| format!("{:.1}%", 100.0 * x));
    let mut out = Vec::new();
    let agree = &summary.ends[0];
    out.push(format!(
        "deals in {} of runs, at mean round {}",
        share(agree),
        summary.rounds.mean_agreement_round.map_or("n/a".into(), |r| format!("{r:.1}"))
    ));
    let top: Vec<String> = summary
        .top_agreements
        .iter()
        .take(2)
        .map(|a| format!("{} ({} of deals)", a.share.label, share(&a.share)))
        .collect();
    if !top.is_empty() {
        out.push(format!("most frequent deals: {}", top.join("; ")));
        let terms: Vec<String> = summary
            .terms
            .iter()
            .filter_map(|t| {
                let best = t.options.iter().max_by_key(|o| o.count)?;
                Some(format!("{} = {} {}", t.issue, best.label, share(best)))
            })
            .collect();
        out.push(format!("most agreed term per issue: {}", terms.join(", ")));
    }
    let z = &summary.benchmarks.zopa;
    out.push(format!(
        "zone of possible agreement at the means: {} outcome(s) better than no deal for both ({:.1}% of all)",
        z.count,
        100.0 * z.share
    ));
    let failures: Vec<String> = summary
        .ends
        .iter()
        .skip(1)
        .filter(|s| s.count > 0)
        .map(|s| format!("{} {}", s.label, share(s)))
        .chain(
            summary.walk_aways.iter().filter(|s| s.count > 0).map(|s| format!("{} walked away {}", s.label, share(s))),
        )
        .collect();
    out.push(if failures.is_empty() {
        "no failures".into()
    } else {
        format!("failures by how they ended: {}", failures.join(", "))
    });
    if let Some(line) = causes_line(summary) {
        out.push(line);
    }
    out
}

fn percent(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |x| format!("{:.1}%", 100.0 * x))
}

/// "why they failed (of 3,762 failures): audience-costs necessary in
/// 97.3%, …; overdetermined 2.2%": the cause shares, largest first.
fn causes_line(summary: &Summary) -> Option<String> {
    let c = summary.causes.as_ref().filter(|c| c.failures > 0)?;
    let mut necessary: Vec<&crate::analysis::shares::Share> = c.necessary.iter().collect();
    necessary.sort_by_key(|s| std::cmp::Reverse(s.count));
    let mut parts: Vec<String> =
        necessary.iter().map(|s| format!("{} necessary in {}", s.label, percent(s.share))).collect();
    parts.extend(
        [(&c.overdetermined, "overdetermined"), (&c.no_mechanism, "no mechanism")]
            .iter()
            .filter(|(s, _)| s.count > 0)
            .map(|(s, w)| format!("{w} {}", percent(s.share))),
    );
    Some(format!("why they failed (of {} failures): {}", super::summary_table::group(c.failures), parts.join(", ")))
}

/// What moved against the baseline, in the cause shares' terms: the
/// failures (share of all runs), then per mechanism the runs that failed
/// for want of switching it off, largest change first (at most three).
/// "failures 38.0% -> 14.4% of runs; power-shift necessary for 38.0% ->
/// 0.0% of runs". `None` without causes in both.
pub fn explain_change(base: &Summary, arm: &Summary) -> Option<String> {
    let (b, a) = (base.causes.as_ref()?, arm.causes.as_ref()?);
    let of_runs = |k: u64, s: &Summary| (s.runs > 0).then(|| k as f64 / s.runs as f64);
    let mut moves: Vec<(f64, String)> = crate::model::Mechanism::ALL
        .iter()
        .map(|m| m.name())
        .filter_map(|label| {
            let count = |c: &crate::analysis::causes::CauseSummary| {
                c.necessary.iter().find(|s| s.label == label).map(|s| s.count)
            };
            let (kb, ka) = (count(b), count(a));
            if kb.is_none() && ka.is_none() {
                return None;
            }
            let (xb, xa) = (of_runs(kb.unwrap_or(0), base)?, of_runs(ka.unwrap_or(0), arm)?);
            Some((
                (xa - xb).abs(),
                format!("{label} necessary for {} -> {} of runs", percent(Some(xb)), percent(Some(xa))),
            ))
        })
        .collect();
    moves.sort_by(|x, y| y.0.total_cmp(&x.0));
    let failures =
        format!("failures {} -> {} of runs", percent(of_runs(b.failures, base)), percent(of_runs(a.failures, arm)));
    let moved: Vec<String> = moves.into_iter().filter(|(d, _)| *d >= 0.0005).take(3).map(|(_, t)| t).collect();
    Some(if moved.is_empty() {
        format!("against the baseline: {failures}; no mechanism's share of runs moved")
    } else {
        format!("against the baseline: {failures}; {}", moved.join("; "))
    })
}

#[cfg(test)]
mod issue_16_tests {
    use super::*;

    fn est(v: f64) -> Estimate {
        Estimate { value: Some(v), ci95: Some([v - 0.01, v + 0.01]) }
    }

    #[test]
    fn issue_16_compare_table_fits_100_columns_and_says_pts() {
        let arms: Vec<(String, String)> = (0..5)
            .map(|k| (format!("arm-with-a-long-name-{k}"), "a description long enough to need wrapping ".repeat(4)))
            .collect();
        let row = |kind: &'static str, label: &str, name: &str, v: f64| Row {
            kind,
            label: label.into(),
            name: name.into(),
            values: vec![est(v); 5],
            differences: vec![est(v - 0.5); 5],
            interval: IntervalKind::Paired,
            switches: vec![None, Some([10, 20]), Some([1, 2]), Some([0, 0]), Some([3, 4])],
            p_values: vec![None, Some(0.1), Some(1.0), Some(1.0), Some(1e-9)],
        };
        let rows = [
            row("end", "agreement", "agreement", 0.673),
            row("disagreement", "sanctions-war", "Full-scale invasion and a sanctions war", 0.089),
            row("payoff-mean", "usa", "usa", 0.223),
        ];
        let t = compare_table("t", &arms, &rows);
        for line in t.lines() {
            assert!(line.chars().count() <= TABLE_WIDTH, "{} columns: {line}", line.chars().count());
        }
        assert!(t.contains("Full-scale invasion and a sanctions war"), "names, not ids:\n{t}");
        assert!(!t.contains("sanctions-war"));
        assert!(t.contains("+17.3 pts [+16.3, +18.3]") && t.contains("67.3% [66.3, 68.3]"), "{t}");
        assert!(t.contains("[4] arm-with-a-long"), "every arm is shown:\n{t}");
        assert!(t.contains("-10/+20 p 0.100") && t.contains("paired run by run"), "{t}");
    }
}
