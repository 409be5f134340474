//! What `brink solve` prints for a normal-form game or a game tree, as text
//! and as JSON.

use num_rational::BigRational;
use num_traits::{One, Zero};

use crate::games::extensive::reduced::action_probabilities;
use crate::games::extensive::{Behaviour, Mover, Threat, Tree, TreeSolution};
use crate::games::normal::{Dominator, Game, Solution, fmt_mixed_strategy, fmt_rational, fmt_with_approx, to_f64};

/// Readable tables: the payoff matrix, equilibria, dominance, security
/// levels and Pareto-optimal profiles.
pub fn text(game: &Game, s: &Solution) -> String {
    let [row_player, col_player] = &s.players;
    let [rows, cols] = &s.strategies;
    let mut t = format!("{}\n\n", s.title);
    t.push_str(&payoff_table(game));

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

/// The payoff matrix, "row, column" in each cell.
pub fn payoff_table(game: &Game) -> String {
    let [row_player, col_player] = &game.players;
    let [rows, cols] = &game.strategies;
    let mut t = String::new();
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

    t
}

/// What `brink solve` prints for a game tree: the subgame-perfect
/// equilibria, the reduced normal form, and its Nash equilibria with the
/// non-credible threats of those that are not subgame perfect.
pub fn tree_text(tree: &Tree, s: &TreeSolution) -> String {
    let mut t = format!("{}\n", tree.title);
    t.push_str(&format!(
        "Extensive form: {} ({}), {} nodes, {} terminal; {}.\n",
        count(tree.players.len(), "player"),
        tree.players.join(", "),
        tree.nodes.len(),
        tree.terminal_count(),
        if s.perfect_information { "perfect information" } else { "imperfect information" }
    ));
    if let Some(v) = &s.recall {
        t.push_str(&format!("Perfect recall is violated: {}.\n", v.explanation));
    }

    match &s.spe {
        Ok(spe) => {
            let method = if spe.used_normal_form {
                format!(
                    "subgames solved bottom-up, those with imperfect information through their normal form; {} \
                     proper {}",
                    spe.proper_subgames,
                    if spe.proper_subgames == 1 { "subgame" } else { "subgames" }
                )
            } else {
                "backward induction".to_string()
            };
            // Backward induction lists pure equilibria: with ties, mixing
            // between the tied moves gives mixed ones too.
            let title =
                if spe.used_normal_form { "Subgame-perfect equilibria" } else { "Pure subgame-perfect equilibria" };
            t.push_str(&format!("\n{title} ({method}; exact): {}\n", spe.equilibria.len()));
            if spe.equilibria.len() > 1 && !spe.used_normal_form {
                t.push_str(
                    "  Ties: a player is indifferent somewhere, so there are several pure ones; all are listed. \
                     Mixing between tied moves gives mixed subgame-perfect equilibria too, not listed.\n",
                );
            }
            if spe.used_normal_form {
                t.push_str("  (Built from the extreme Nash equilibria of each subgame with imperfect information.)\n");
            }
            for (k, e) in spe.equilibria.iter().enumerate() {
                t.push_str(&format!("  #{:<2} payoffs {}\n", k + 1, named_payoffs(tree, &e.payoffs)));
                t.push_str(&format!("      play: {}\n", play(tree, &e.behaviour)));
                t.push_str(&plan_lines(tree, &e.behaviour, "      "));
            }
        }
        Err(e) => t.push_str(&format!("\nSubgame-perfect equilibria: not computed: {e}\n")),
    }

    match &s.reduced {
        Ok(form) => {
            if let Some(game) = &form.game {
                let (m, n) = game.shape();
                t.push_str(&format!("\nReduced normal form ({m}×{n}; one strategy per plan of moves):\n"));
                if m <= 12 && n <= 8 {
                    for line in payoff_table(game).lines() {
                        t.push_str(&format!("  {line}\n"));
                    }
                } else {
                    t.push_str("  (too large to print; write it with --to-nfg)\n");
                }
            } else {
                let sizes: Vec<String> = form.strategies.iter().map(|s| s.len().to_string()).collect();
                t.push_str(&format!("\nReduced normal form: {} strategies.\n", sizes.join(" × ")));
            }
            let kind = if s.nash_pure_only {
                "pure Nash equilibria (mixed ones are computed for two-player games only)"
            } else {
                "Nash equilibria (all extreme equilibria, exact)"
            };
            t.push_str(&format!("\n{} of the reduced normal form: {}\n", capitalise(kind), s.nash.len()));
            for (k, e) in s.nash.iter().enumerate() {
                let strategies: Vec<String> = e
                    .mixed
                    .iter()
                    .enumerate()
                    .map(|(p, x)| format!("{}: {}", tree.players[p], fmt_mixed_strategy(x, &form.strategies[p])))
                    .collect();
                t.push_str(&format!("  #{:<2} {}\n", k + 1, strategies.join("; ")));
                t.push_str(&format!("      payoffs {}\n", named_payoffs(tree, &e.payoffs)));
                if e.subgame_perfect() {
                    t.push_str("      subgame perfect: every plan would be carried out if its moment came\n");
                } else {
                    t.push_str("      NOT subgame perfect:\n");
                    for th in &e.threats {
                        t.push_str(&format!("      {}\n", threat_sentence(tree, &e.behaviour, th)));
                    }
                }
            }
            let flagged = s.nash.iter().filter(|e| !e.subgame_perfect()).count();
            if flagged > 0 {
                t.push_str(&format!(
                    "\n  {} of {} Nash equilibria rest on a threat that is not credible: the plan is never tested \
                     on the equilibrium path, so Nash equilibrium cannot rule it out; subgame perfection does.\n",
                    flagged,
                    s.nash.len()
                ));
            }
        }
        Err(e) => t.push_str(&format!("\nReduced normal form: not built: {e}\n")),
    }
    for n in &s.notes {
        t.push_str(&format!("\nNote: {n}\n"));
    }
    t
}

/// "Incumbent after Enter plans Fight (worth -1 to Incumbent there), but
/// Accommodate gives 1: a non-credible threat."
pub fn threat_sentence(tree: &Tree, behaviour: &Behaviour, th: &Threat) -> String {
    let set = &tree.infosets[th.infoset];
    let planned = behaviour[th.infoset].as_ref().map(|b| fmt_mixed_strategy(b, &set.actions)).unwrap_or_default();
    format!(
        "not credible: {} {} plans {} (worth {} to {0} there), but {} gives {}",
        tree.players[th.player],
        tree.describe_infoset(th.infoset),
        planned,
        fmt_with_approx(&th.planned_value),
        set.actions[th.better_action],
        fmt_with_approx(&th.better_value)
    )
}

/// One line per information set a profile specifies, in tree order.
fn plan_lines(tree: &Tree, behaviour: &Behaviour, indent: &str) -> String {
    let mut order: Vec<usize> = (0..tree.infosets.len()).collect();
    order.sort_by_key(|&h| tree.infosets[h].nodes.first().copied().unwrap_or(0));
    let mut t = String::new();
    for h in order {
        let set = &tree.infosets[h];
        let (Mover::Player(p), Some(b)) = (set.mover, &behaviour[h]) else { continue };
        t.push_str(&format!(
            "{indent}{} {}: {}\n",
            tree.players[p],
            tree.describe_infoset(h),
            fmt_mixed_strategy(b, &set.actions)
        ));
    }
    t
}

/// The plays a profile leads to: the path if there is one, otherwise each
/// end reached with its probability.
pub fn play(tree: &Tree, behaviour: &Behaviour) -> String {
    let ends = reached_ends(tree, behaviour);
    let path = |n: usize| {
        let p = tree.path_labels(n);
        if p.is_empty() { "(the game ends at once)".to_string() } else { p.join(" → ") }
    };
    if ends.len() == 1 {
        return path(ends[0].0);
    }
    ends.iter().map(|(n, p)| format!("{} ({})", path(*n), fmt_rational(p))).collect::<Vec<_>>().join("; ")
}

/// Terminal nodes reached with positive probability, with it.
pub fn reached_ends(tree: &Tree, behaviour: &Behaviour) -> Vec<(usize, BigRational)> {
    let mut out = Vec::new();
    let mut stack = vec![(0usize, BigRational::one())];
    while let Some((n, p)) = stack.pop() {
        match tree.nodes[n].infoset {
            None => out.push((n, p)),
            Some(h) => {
                let probs = action_probabilities(tree, h, behaviour);
                for (&c, q) in tree.nodes[n].children.iter().zip(&probs).rev() {
                    if !q.is_zero() {
                        stack.push((c, &p * q));
                    }
                }
            }
        }
    }
    out
}

fn named_payoffs(tree: &Tree, v: &[BigRational]) -> String {
    tree.players.iter().zip(v).map(|(p, x)| format!("{p} {}", fmt_with_approx(x))).collect::<Vec<_>>().join(", ")
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The tree analysis as JSON: rationals as `{"exact", "float"}`.
pub fn tree_json(tree: &Tree, s: &TreeSolution) -> serde_json::Value {
    use serde_json::json;
    let r = |x: &BigRational| json!({ "exact": fmt_rational(x), "float": to_f64(x) });
    let rs = |v: &[BigRational]| v.iter().map(r).collect::<Vec<_>>();
    let behaviour = |b: &Behaviour| -> Vec<serde_json::Value> {
        let mut order: Vec<usize> = (0..tree.infosets.len()).collect();
        order.sort_by_key(|&h| tree.infosets[h].nodes.first().copied().unwrap_or(0));
        order
            .into_iter()
            .filter_map(|h| {
                let set = &tree.infosets[h];
                let (Mover::Player(p), Some(v)) = (set.mover, &b[h]) else { return None };
                Some(json!({
                    "player": tree.players[p],
                    "where": tree.describe_infoset(h),
                    "infoset": set.label,
                    "actions": set.actions,
                    "probabilities": rs(v),
                }))
            })
            .collect()
    };
    let spe = match &s.spe {
        Ok(spe) => json!({
            "used_normal_form": spe.used_normal_form,
            "proper_subgames": spe.proper_subgames,
            "equilibria": spe.equilibria.iter().map(|e| json!({
                "payoffs": rs(&e.payoffs),
                "play": play(tree, &e.behaviour),
                "behaviour": behaviour(&e.behaviour),
            })).collect::<Vec<_>>(),
        }),
        Err(e) => json!({ "error": e.to_string() }),
    };
    let (reduced, nash) = match &s.reduced {
        Ok(form) => (
            json!({ "strategies": form.strategies }),
            s.nash
                .iter()
                .map(|e| {
                    json!({
                        "mixed": e.mixed.iter().map(|x| rs(x)).collect::<Vec<_>>(),
                        "payoffs": rs(&e.payoffs),
                        "behaviour": behaviour(&e.behaviour),
                        "subgame_perfect": e.subgame_perfect(),
                        "non_credible_threats": e.threats.iter().map(|th| json!({
                            "player": tree.players[th.player],
                            "where": tree.describe_infoset(th.infoset),
                            "planned_value": r(&th.planned_value),
                            "better_action": tree.infosets[th.infoset].actions[th.better_action],
                            "better_value": r(&th.better_value),
                            "sentence": threat_sentence(tree, &e.behaviour, th),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect::<Vec<_>>(),
        ),
        Err(e) => (json!({ "error": e }), Vec::new()),
    };
    json!({
        "title": tree.title,
        "players": tree.players,
        "nodes": tree.nodes.len(),
        "terminal_nodes": tree.terminal_count(),
        "perfect_information": s.perfect_information,
        "perfect_recall_violation": s.recall,
        "subgame_perfect": spe,
        "reduced_normal_form": reduced,
        "nash_pure_only": s.nash_pure_only,
        "nash_equilibria": nash,
        "notes": s.notes,
    })
}
