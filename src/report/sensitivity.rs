//! sensitivity.csv and the sensitivity table.

use std::io::Write;

use crate::analysis::comparison::Estimate;
use crate::analysis::sensitivity::Sensitivity;

fn num(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| v.to_string())
}

/// Writes sensitivity.csv in long form: one row per (output, factor), with
/// the factor's rank for that output, its first-order and total Sobol
/// indices with 95% bootstrap intervals, and the tornado: the output with the
/// factor at its 5th and 95th percentiles.
pub fn write_csv<W: Write>(out: W, s: &Sensitivity) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "output",
        "rank",
        "factor",
        "factor_name",
        "distribution",
        "first_order",
        "first_order_ci_low",
        "first_order_ci_high",
        "total",
        "total_ci_low",
        "total_ci_high",
        "p05",
        "p95",
        "output_at_p05",
        "output_at_p95",
        "output_base",
    ])?;
    for o in &s.outputs {
        for (rank, &i) in o.ranking.iter().enumerate() {
            let f = &s.factors[i];
            let x = &o.indices[i];
            let t = &o.tornado[i];
            let ci = |e: &Estimate, k: usize| num(e.ci95.map(|c| c[k]));
            w.write_record([
                o.output.clone(),
                (rank + 1).to_string(),
                f.path.clone(),
                f.name.clone(),
                f.distribution.clone(),
                num(x.first_order.value),
                ci(&x.first_order, 0),
                ci(&x.first_order, 1),
                num(x.total.value),
                ci(&x.total, 0),
                ci(&x.total, 1),
                f.p05.to_string(),
                f.p95.to_string(),
                num(t.low.value),
                num(t.high.value),
                num(o.base.value),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

fn index_cell(e: &Estimate) -> String {
    match (e.value, e.ci95) {
        (Some(v), Some([lo, hi])) => format!("{v:.2} [{lo:.2}, {hi:.2}]"),
        (Some(v), None) => format!("{v:.2}"),
        _ => "n/a".into(),
    }
}

/// The ranking table printed by `brink sensitivity`: per output, factors
/// from most to least influential.
pub fn table(title: &str, s: &Sensitivity) -> String {
    let mut out = format!("{title}\n");
    for o in &s.outputs {
        let percent = o.output == "agreement" || o.output == "failure";
        let v = |x: Option<f64>| match x {
            Some(x) if percent => format!("{:.1}%", 100.0 * x),
            Some(x) => format!("{x:.3}"),
            None => "n/a".into(),
        };
        out.push_str(&format!("\n{} (base {})\n", o.name, v(o.base.value)));
        out.push_str(&format!(
            "  {:<3} {:<58} {:<20} {:<20} {}\n",
            "#", "uncertain number", "first order", "total", "at 5th → 95th pct"
        ));
        for (rank, &i) in o.ranking.iter().enumerate() {
            let f = &s.factors[i];
            let name: String = f.name.chars().take(57).collect();
            let t = &o.tornado[i];
            out.push_str(&format!(
                "  {:<3} {:<58} {:<20} {:<20} {} → {}\n",
                rank + 1,
                name,
                index_cell(&o.indices[i].first_order),
                index_cell(&o.indices[i].total),
                v(t.low.value),
                v(t.high.value)
            ));
        }
    }
    out.push_str(
        "\nFirst order: the share of the output's variance a number explains by itself; total: the share it has any \
         part in (alone or with others). 95% bootstrap intervals. Sum of first orders below 1: the rest is \
         interactions and the run's own randomness (strategies, breakdowns, the conflict lottery).\n",
    );
    out
}
