//! What `brink solve` prints for a normal-form game.

use crate::games::normal::{Dominator, Game, Solution, fmt_mixed_strategy, fmt_rational, fmt_with_approx};

/// Readable tables: the payoff matrix, equilibria, dominance, security
/// levels and Pareto-optimal profiles.
pub fn text(game: &Game, s: &Solution) -> String {
    let [row_player, col_player] = &s.players;
    let [rows, cols] = &s.strategies;
    let mut t = format!("{}\n\n", s.title);
    // Payoff matrix: "row, column" in each cell.
    let cellw = 14usize.max(cols.iter().map(|c| c.chars().count() + 2).max().unwrap_or(0));
    let corner = format!("{row_player} \\ {col_player}");
    let roww = rows.iter().map(|r| r.chars().count()).max().unwrap_or(0).max(corner.chars().count()) + 2;
    t.push_str(&format!("Payoffs ({row_player}, {col_player}):\n"));
    t.push_str(&format!("  {corner:<roww$}"));
    for c in cols {
        t.push_str(&format!("{c:>cellw$}"));
    }
    t.push('\n');
    for (i, r) in rows.iter().enumerate() {
        t.push_str(&format!("  {r:<roww$}"));
        for j in 0..cols.len() {
            let cell = format!("{}, {}", fmt_rational(&game.payoffs[0][i][j]), fmt_rational(&game.payoffs[1][i][j]));
            t.push_str(&format!("{cell:>cellw$}"));
        }
        t.push('\n');
    }

    t.push_str("\nPure Nash equilibria:\n");
    if s.pure_equilibria.is_empty() {
        t.push_str("  none\n");
    }
    for p in &s.pure_equilibria {
        t.push_str(&format!(
            "  ({}, {})  payoffs {}, {}\n",
            rows[p.row],
            cols[p.column],
            fmt_rational(&p.payoffs[0]),
            fmt_rational(&p.payoffs[1])
        ));
    }
    match &s.equilibria {
        None => t.push_str("\nMixed equilibria: not enumerated (the game is too large; see notes).\n"),
        Some(a) => {
            t.push_str(&format!("\nAll extreme Nash equilibria (exact; vertex enumeration): {}\n", a.equilibria.len()));
            for (k, e) in a.equilibria.iter().enumerate() {
                t.push_str(&format!(
                    "  #{:<2} {}: {}\n      {}: {}\n      payoffs {}, {}{}\n",
                    k + 1,
                    row_player,
                    fmt_mixed_strategy(&e.strategies[0], rows),
                    col_player,
                    fmt_mixed_strategy(&e.strategies[1], cols),
                    fmt_with_approx(&e.payoffs[0]),
                    fmt_with_approx(&e.payoffs[1]),
                    if e.pure { "  (pure)" } else { "" }
                ));
            }
            if a.degenerate {
                t.push_str("\n  The game is DEGENERATE: some mixed strategy has more pure best responses than its support size.\n");
                t.push_str(
                    "  Support enumeration (as in Nashpy) can miss equilibria here; vertex enumeration does not.\n",
                );
            } else {
                t.push_str("\n  The game is non-degenerate.\n");
            }
            if a.finite {
                t.push_str("  The equilibria are isolated: the list above is the whole equilibrium set.\n");
            } else {
                t.push_str("  The equilibrium set is INFINITE: the equilibria above are its extreme points.\n");
                for (c, comp) in a.components.iter().enumerate() {
                    let members: Vec<String> = comp.equilibria.iter().map(|k| format!("#{}", k + 1)).collect();
                    let kind = if comp.isolated { "isolated" } else { "connected set" };
                    t.push_str(&format!("  Component {}: {} ({kind})\n", c + 1, members.join(", ")));
                    if !comp.isolated {
                        for sub in &comp.maximal_nash_subsets {
                            let m: Vec<String> = sub.equilibria.iter().map(|k| format!("#{}", k + 1)).collect();
                            t.push_str(&format!(
                                "    maximal Nash subset: any mix of {} (every convex combination is an equilibrium)\n",
                                m.join(", ")
                            ));
                        }
                    }
                }
            }
        }
    }

    t.push_str("\nIterated elimination of strictly dominated strategies:\n");
    if s.dominance.eliminations.is_empty() {
        t.push_str("  no strategy is strictly dominated\n");
    }
    for (k, e) in s.dominance.eliminations.iter().enumerate() {
        let names = &s.strategies[e.player];
        let by = match &e.dominated_by {
            Dominator::Pure { strategy } => names[*strategy].clone(),
            Dominator::Mixed { mixture } => mixture
                .iter()
                .map(|m| format!("{} {}", fmt_rational(&m.probability), names[m.strategy]))
                .collect::<Vec<_>>()
                .join(" + "),
        };
        t.push_str(&format!(
            "  {}. {} removes {} (strictly dominated by {by})\n",
            k + 1,
            s.players[e.player],
            names[e.strategy]
        ));
    }

    t.push_str("\nSecurity (maxmin) levels, mixed:\n");
    for l in &s.security {
        t.push_str(&format!(
            "  {}: {} by playing {}\n",
            s.players[l.player],
            fmt_with_approx(&l.value),
            fmt_mixed_strategy(&l.strategy, &s.strategies[l.player])
        ));
    }
    t.push_str("\nPareto-optimal pure profiles:\n");
    for p in &s.pareto_optimal {
        t.push_str(&format!(
            "  ({}, {})  payoffs {}, {}\n",
            rows[p.row],
            cols[p.column],
            fmt_rational(&p.payoffs[0]),
            fmt_rational(&p.payoffs[1])
        ));
    }
    for n in &s.notes {
        t.push_str(&format!("\nNote: {n}\n"));
    }
    t
}
