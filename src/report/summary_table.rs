//! The summary table `brink run` prints to the terminal.

use super::fmt3;
use crate::analysis::outcomes::Summary;
use crate::analysis::shares::Share;
use crate::model::Model;

fn pct(x: Option<f64>) -> String {
    x.map_or("n/a".to_string(), |v| format!("{:.1}%", 100.0 * v))
}

fn share_row(s: &Share) -> String {
    let ci = s.ci95.map_or("n/a".to_string(), |[lo, hi]| format!("[{}, {}]", pct(Some(lo)), pct(Some(hi))));
    format!("  {:<40} {:>7}  {:<18} {:>9} runs\n", s.name, pct(s.share), ci, s.count)
}

/// Thousands separators for counts: 100,000.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (k, c) in s.chars().enumerate() {
        if k > 0 && (s.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn text(model: &Model, s: &Summary, seed: u64) -> String {
    let mut t = String::new();
    t.push_str(&format!("{} — {} runs, seed {seed}\n\n", model.name, group(s.runs)));
    t.push_str(&format!("  {:<40} {:>7}  {:<18}\n", "How the talks ended", "share", "95% CI"));
    for e in &s.ends {
        t.push_str(&share_row(e));
    }
    t.push_str("\n  If no deal, the conflict lottery drew (share of all runs):\n");
    for d in &s.disagreement {
        t.push_str(&share_row(d));
    }
    t.push_str(&format!(
        "\n  {:<22} {:>7} {:>7} {:>7} {:>7} {:>7}\n",
        "Payoffs (realised)", "mean", "sd", "5%", "median", "95%"
    ));
    for p in &s.payoffs {
        let q = |k: usize| p.quantiles.get(k).and_then(|x| x.1).map_or("n/a".into(), fmt3);
        t.push_str(&format!(
            "  {:<22} {:>7} {:>7} {:>7} {:>7} {:>7}\n",
            p.actor,
            p.mean.map_or("n/a".into(), fmt3),
            p.sd.map_or("n/a".into(), fmt3),
            q(0),
            q(2),
            q(4)
        ));
    }
    t.push_str(&format!(
        "\n  Mean round at the end: {}; of agreements: {}. Pareto-efficient agreements: {} {}\n",
        s.rounds.mean.map_or("n/a".into(), |x| format!("{x:.2}")),
        s.rounds.mean_agreement_round.map_or("n/a".into(), |x| format!("{x:.2}")),
        pct(s.pareto_efficient.share),
        s.pareto_efficient.ci95.map_or(String::new(), |[lo, hi]| format!("[{}, {}]", pct(Some(lo)), pct(Some(hi))))
    ));
    t.push_str(&format!(
        "  Mean distance of agreements from the Nash bargaining solution (expected utilities): {}\n",
        s.mean_distance_to_nash.map_or("n/a".into(), fmt3)
    ));
    t.push_str(&format!(
        "  Mean Nash product of agreements: {}; per run, failures counting 0: {}; the Nash solution's: {}\n",
        s.mean_nash_product.map_or("n/a".into(), fmt3),
        s.nash_product_per_run.map_or("n/a".into(), fmt3),
        s.nash_solution_product.map_or("n/a".into(), fmt3)
    ));
    t.push_str(&causes_text(s));
    if s.top_agreements.is_empty() {
        t.push_str("\n  No agreements were reached.\n");
    } else {
        t.push_str("\n  Most frequent agreements (share of agreements):\n");
        for a in s.top_agreements.iter().take(5) {
            t.push_str(&format!("  {:>7}  {}\n", pct(a.share.share), a.share.label));
        }
    }
    t
}

/// "Why the talks failed": per mechanism, the share of failures it was
/// necessary for; then the overdetermined and unexplained failures.
fn causes_text(s: &Summary) -> String {
    let Some(c) = &s.causes else { return String::new() };
    if c.failures == 0 {
        return String::new();
    }
    let mut t = format!(
        "\n  {:<40} {:>7}  {:<18}\n",
        format!("Why the talks failed ({} failures)", group(c.failures)),
        "share",
        "95% CI"
    );
    for m in &c.necessary {
        t.push_str(&share_row(&Share { name: format!("{} necessary", m.label), ..m.clone() }));
    }
    t.push_str(&share_row(&Share { name: "overdetermined (no single one)".into(), ..c.overdetermined.clone() }));
    t.push_str(&share_row(&Share { name: "none (fails with all switched off)".into(), ..c.no_mechanism.clone() }));
    t.push_str(
        "  (a mechanism is necessary when the failed run, replayed without it, agrees; the shares overlap\n   \
         and need not sum to 100%; docs/model.md §12)\n",
    );
    t
}
