//! A game tree as a classroom draws it: the root at the top, one row per
//! move, action labels on the branches (with chance probabilities), payoffs
//! under the terminal nodes, information sets joined by dashed lines, and
//! the subgame-perfect choices drawn thick, the equilibrium path thickest.
//!
//! Terminal nodes take evenly spaced columns in tree order and every inner
//! node sits midway over its first and last child, so branches never cross.
//! Labels shrink a little for wide trees; up to about 40 terminal nodes stay
//! readable on a projector.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

use super::style::{self, FAMILY, bold};
use super::{Chart, e};
use crate::games::extensive::reduced::action_probabilities;
use crate::games::extensive::{Behaviour, Mover, Tree, TreeSolution};
use crate::games::normal::fmt_rational;

/// The colour of subgame-perfect choices (Okabe–Ito vermillion).
const HIGHLIGHT: RGBColor = RGBColor(213, 94, 0);
const GREY: RGBColor = RGBColor(110, 110, 110);

pub struct TreeChart<'a> {
    pub tree: &'a Tree,
    pub solution: &'a TreeSolution,
    pub caption: String,
}

impl TreeChart<'_> {
    /// The behaviour to highlight: the first subgame-perfect equilibrium.
    fn highlighted(&self) -> Option<&Behaviour> {
        self.solution.spe.as_ref().ok().and_then(|s| s.equilibria.first()).map(|e| &e.behaviour)
    }
}

/// Player colours (Okabe–Ito blue, bluish green, reddish purple, sky blue),
/// chosen to stay clear of the highlight colour.
fn player_colour(p: usize) -> RGBColor {
    const PLAYERS: [RGBColor; 4] =
        [RGBColor(0, 114, 178), RGBColor(0, 158, 115), RGBColor(204, 121, 167), RGBColor(86, 180, 233)];
    PLAYERS[p % PLAYERS.len()]
}

fn font(size: u32) -> TextStyle<'static> {
    (FAMILY, size).into_font().into()
}

/// Rough width of a label in pixels (Noto Sans averages about half an em).
fn text_width(text: &str, size: u32) -> i32 {
    (text.chars().count() as f64 * size as f64 * 0.48) as i32
}

impl Chart for TreeChart<'_> {
    fn name(&self) -> &str {
        "tree"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let tree = self.tree;
        let area = style::frame(root, &tree.title, &self.caption)?;
        let (w, h) = area.dim_in_pixel();
        let leaves: Vec<usize> = (0..tree.nodes.len()).filter(|&n| tree.is_terminal(n)).collect();
        let n_leaves = leaves.len().max(1);
        let small = n_leaves > 16;
        let label_size: u32 = if n_leaves > 28 {
            16
        } else if small {
            19
        } else {
            24
        };
        let payoff_size: u32 = if n_leaves > 28 {
            17
        } else if small {
            20
        } else {
            26
        };

        // Column of each node and depth.
        let mut x = vec![0f64; tree.nodes.len()];
        let mut depth = vec![0usize; tree.nodes.len()];
        for (k, &l) in leaves.iter().enumerate() {
            x[l] = k as f64;
        }
        for n in 0..tree.nodes.len() {
            if let Some(p) = tree.nodes[n].parent {
                depth[n] = depth[p] + 1;
            }
        }
        for n in (0..tree.nodes.len()).rev() {
            let c = &tree.nodes[n].children;
            if let (Some(&a), Some(&b)) = (c.first(), c.last()) {
                x[n] = (x[a] + x[b]) / 2.0;
            }
        }
        let max_depth = depth.iter().copied().max().unwrap_or(0).max(1);
        let legend_h = 44;
        let payoff_band = tree.players.len() as i32 * (payoff_size as i32 + 4) + 16;
        let top = legend_h + 36;
        let usable_h = h as i32 - top - payoff_band - 10;
        let margin = 50.0;
        let col = (w as f64 - 2.0 * margin) / n_leaves as f64;
        let px = |n: usize| -> i32 { (margin + (x[n] + 0.5) * col) as i32 };
        let py = |n: usize| -> i32 { top + (depth[n] as f64 * usable_h as f64 / max_depth as f64) as i32 };

        let highlight = self.highlighted();
        let reach = highlight.map(|b| reach(tree, b));

        // Branches.
        for (n, node) in tree.nodes.iter().enumerate() {
            let Some(hs) = node.infoset else { continue };
            let set = &tree.infosets[hs];
            let chosen = highlight.map(|b| action_probabilities(tree, hs, b));
            for (k, &c) in node.children.iter().enumerate() {
                let on_choice =
                    set.mover != Mover::Chance && chosen.as_ref().is_some_and(|p| p[k] > num_traits::Zero::zero());
                let on_path = reach.as_ref().is_some_and(|r| r[c]);
                let (colr, width) = if on_path && on_choice {
                    (HIGHLIGHT, 9)
                } else if on_choice {
                    (HIGHLIGHT, 5)
                } else if on_path {
                    (BLACK, 4)
                } else {
                    (GREY, 2)
                };
                area.draw(&PathElement::new(vec![(px(n), py(n)), (px(c), py(c))], colr.stroke_width(width)))
                    .map_err(e)?;
            }
        }
        // Action labels at branch midpoints, on a white patch.
        for (n, node) in tree.nodes.iter().enumerate() {
            let Some(hs) = node.infoset else { continue };
            let set = &tree.infosets[hs];
            for (k, &c) in node.children.iter().enumerate() {
                let mut label = set.actions[k].clone();
                if set.mover == Mover::Chance {
                    label = format!("{label} ({})", fmt_rational(&set.probabilities[k]));
                }
                // Beside the branch, on the outside: left branches get their
                // label to the left, right branches to the right, so the
                // labels of siblings never meet.
                let mx = (px(n) + px(c)) / 2;
                let my = (py(n) + py(c)) / 2;
                let tw = text_width(&label, label_size);
                let th = label_size as i32;
                let dx = px(c) - px(n);
                let left = if dx < -2 {
                    (mx - tw - 8).max(0)
                } else if dx > 2 {
                    (mx + 8).min(w as i32 - tw - 4)
                } else {
                    mx - tw / 2
                };
                area.draw(&Rectangle::new(
                    [(left - 3, my - th / 2 - 2), (left + tw + 3, my + th / 2 + 2)],
                    WHITE.mix(0.85).filled(),
                ))
                .map_err(e)?;
                area.draw(&Text::new(
                    label,
                    (left, my),
                    font(label_size).pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Left,
                        plotters::style::text_anchor::VPos::Center,
                    )),
                ))
                .map_err(e)?;
            }
        }
        // Information sets: a dashed bracket over the members. Sets on the
        // same row get brackets of different heights so they stay apart.
        let mut on_row: std::collections::BTreeMap<i32, i32> = std::collections::BTreeMap::new();
        for set in &tree.infosets {
            if set.mover == Mover::Chance || set.nodes.len() < 2 {
                continue;
            }
            let mut members = set.nodes.clone();
            members.sort_by_key(|&n| px(n));
            let row = py(members[0]);
            let rank = on_row.entry(row).or_insert(0);
            let lift = 24 + 22 * (*rank % 4);
            *rank += 1;
            let c = player_colour(player_of(set.mover));
            let (first, last) = (members[0], members[members.len() - 1]);
            let bar = row - lift;
            for &m in &members {
                area.draw(&PathElement::new(vec![(px(m), py(m) - 12), (px(m), bar)], c.stroke_width(3))).map_err(e)?;
            }
            dashed(&area, (px(first), bar), (px(last), bar), c)?;
            if !set.label.is_empty() {
                let tw = text_width(&set.label, label_size);
                area.draw(&Text::new(
                    set.label.clone(),
                    ((px(first) + px(last)) / 2 - tw / 2, bar - label_size as i32 - 4),
                    font(label_size).color(&c),
                ))
                .map_err(e)?;
            }
        }
        // Nodes and movers' names.
        let payoffs = tree.cumulative_payoffs();
        for (n, node) in tree.nodes.iter().enumerate() {
            let (cx, cy) = (px(n), py(n));
            match tree.mover(n) {
                None => {
                    area.draw(&Circle::new((cx, cy), 5, BLACK.filled())).map_err(e)?;
                    for (p, v) in payoffs[n].iter().enumerate() {
                        let text = fmt_rational(v);
                        area.draw(&Text::new(
                            text.clone(),
                            (cx - text_width(&text, payoff_size) / 2, cy + 10 + p as i32 * (payoff_size as i32 + 4)),
                            (FAMILY, payoff_size, FontStyle::Bold).into_font().color(&player_colour(p)),
                        ))
                        .map_err(e)?;
                    }
                }
                Some(Mover::Chance) => {
                    area.draw(&Rectangle::new([(cx - 10, cy - 10), (cx + 10, cy + 10)], WHITE.filled())).map_err(e)?;
                    area.draw(&Rectangle::new([(cx - 10, cy - 10), (cx + 10, cy + 10)], BLACK.stroke_width(3)))
                        .map_err(e)?;
                    area.draw(&Text::new(
                        "chance",
                        (cx + 14, cy - label_size as i32 - 6),
                        font(label_size).color(&GREY),
                    ))
                    .map_err(e)?;
                }
                Some(Mover::Player(p)) => {
                    let c = player_colour(p);
                    area.draw(&Circle::new((cx, cy), 11, c.filled())).map_err(e)?;
                    let name = &tree.players[p];
                    let above = if node.parent.is_none() { 12 } else { 6 };
                    // Above the node, on the side away from the branch that
                    // comes in: a left child's branch arrives from the upper
                    // right, so its name goes to the upper left.
                    let left_child = node.parent.is_some_and(|parent| px(parent) > cx + 2);
                    let name_x = if left_child { (cx - 14 - text_width(name, label_size)).max(0) } else { cx + 14 };
                    area.draw(&Text::new(
                        name.clone(),
                        (name_x, cy - label_size as i32 - above),
                        bold(label_size).color(&c),
                    ))
                    .map_err(e)?;
                }
            }
        }
        // Legend: player colours (payoff order) and the highlight.
        let mut lx = 10;
        let ly = 6;
        area.draw(&Text::new("Payoffs, top to bottom:", (lx, ly), font(22))).map_err(e)?;
        lx += text_width("Payoffs, top to bottom:", 22) + 12;
        for (p, name) in tree.players.iter().enumerate() {
            area.draw(&Circle::new((lx + 9, ly + 12), 9, player_colour(p).filled())).map_err(e)?;
            area.draw(&Text::new(name.clone(), (lx + 24, ly), bold(22).color(&player_colour(p)))).map_err(e)?;
            lx += text_width(name, 22) + 48;
        }
        let note = match &self.solution.spe {
            Ok(s) if s.equilibria.len() == 1 => {
                "thick: subgame-perfect choices; thickest: the equilibrium path".to_string()
            }
            Ok(s) if !s.equilibria.is_empty() => {
                format!(
                    "thick: subgame-perfect choices (first of {} equilibria); thickest: its path",
                    s.equilibria.len()
                )
            }
            _ => "subgame-perfect equilibria not computed (see brink solve)".to_string(),
        };
        area.draw(&PathElement::new(vec![(lx, ly + 12), (lx + 40, ly + 12)], HIGHLIGHT.stroke_width(8))).map_err(e)?;
        area.draw(&Text::new(note, (lx + 50, ly), font(22))).map_err(e)?;
        Ok(())
    }
}

fn player_of(m: Mover) -> usize {
    match m {
        Mover::Player(p) => p,
        Mover::Chance => 0,
    }
}

/// Nodes reached with positive probability under the behaviour.
fn reach(tree: &Tree, b: &Behaviour) -> Vec<bool> {
    let mut r = vec![false; tree.nodes.len()];
    r[0] = true;
    for n in 0..tree.nodes.len() {
        if !r[n] {
            continue;
        }
        if let Some(h) = tree.nodes[n].infoset {
            let probs = action_probabilities(tree, h, b);
            for (&c, p) in tree.nodes[n].children.iter().zip(&probs) {
                r[c] = *p > num_traits::Zero::zero();
            }
        }
    }
    r
}

/// A dashed line, drawn as short segments (the same in PNG and SVG).
fn dashed<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    from: (i32, i32),
    to: (i32, i32),
    c: RGBColor,
) -> Result<(), String> {
    let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let steps = (len / 14.0).ceil() as i32;
    for s in (0..steps).step_by(2) {
        let t0 = s as f64 / steps as f64;
        let t1 = ((s + 1) as f64 / steps as f64).min(1.0);
        let p0 = (from.0 + (dx * t0) as i32, from.1 + (dy * t0) as i32);
        let p1 = (from.0 + (dx * t1) as i32, from.1 + (dy * t1) as i32);
        area.draw(&PathElement::new(vec![p0, p1], c.stroke_width(4))).map_err(e)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::games::extensive::{analyse, from_toml_str};

    /// Forty terminal nodes: chance, then 4 actions for A, then 5 for B, who
    /// does not see chance's move (information sets across the branches).
    fn forty_leaves() -> Tree {
        let mut src = String::from(
            "title = \"Forty leaves\"\nplayers = [\"Alpha\", \"Beta\"]\nroot = \"n\"\n[nodes.n]\nplayer = \"chance\"\nmoves = [\n  { action = \"Hawkish\", probability = \"1/3\", to = \"a0\" },\n  { action = \"Dovish\", probability = \"2/3\", to = \"a1\" },\n]\n",
        );
        for c in 0..2 {
            src.push_str(&format!("[nodes.a{c}]\nplayer = \"Alpha\"\ninfoset = \"alpha\"\nmoves = [\n"));
            for a in 0..4 {
                src.push_str(&format!("  {{ action = \"Move {a}\", to = \"b{c}{a}\" }},\n"));
            }
            src.push_str("]\n");
            for a in 0..4 {
                src.push_str(&format!("[nodes.b{c}{a}]\nplayer = \"Beta\"\ninfoset = \"beta{a}\"\nmoves = [\n"));
                for b in 0..5 {
                    src.push_str(&format!(
                        "  {{ action = \"r{b}\", payoffs = [{}, {}] }},\n",
                        (c * 7 + a * 3 + b) % 11 - 5,
                        (c * 5 + a * b) % 9 - 4
                    ));
                }
                src.push_str("]\n");
            }
        }
        from_toml_str(&src).unwrap()
    }

    #[test]
    fn a_forty_leaf_tree_draws_with_its_labels() {
        let tree = forty_leaves();
        assert_eq!(tree.terminal_count(), 40);
        let solution = analyse(&tree);
        let chart = TreeChart { tree: &tree, solution: &solution, caption: "forty".into() };
        let dir = std::env::temp_dir().join(format!("brink-tree-chart-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let files = super::super::write(&dir, &chart).unwrap();
        assert_eq!(files, ["tree.png", "tree.svg"]);
        let svg = std::fs::read_to_string(dir.join("tree.svg")).unwrap();
        for needle in ["Alpha", "Beta", "Hawkish (1/3)", "Move 3", "r4", "Forty leaves"] {
            assert!(svg.contains(needle), "missing {needle}");
        }
        let png = std::fs::read(dir.join("tree.png")).unwrap();
        assert!(png.len() > 20_000);
    }
}
