//! Reading game trees from brink's TOML format:
//!
//! ```toml
//! title = "Entry deterrence"
//! players = ["Entrant", "Incumbent"]
//! root = "entry"
//!
//! [nodes.entry]
//! player = "Entrant"
//! moves = [
//!   { action = "Stay out", payoffs = [0, 2] },   # a terminal node, inline
//!   { action = "Enter", to = "response" },       # leads to another node
//! ]
//!
//! [nodes.response]
//! player = "Incumbent"
//! moves = [
//!   { action = "Fight", payoffs = [-1, -1] },
//!   { action = "Accommodate", payoffs = [1, 1] },
//! ]
//! ```
//!
//! A chance node has `player = "chance"` and a `probability` on every move.
//! Nodes that share `infoset = "name"` form one information set: the same
//! player, the same actions in the same order. A terminal node may also be a
//! named node with `payoffs = [...]`. Every problem comes with the byte span
//! of the value at fault.

use std::collections::BTreeMap;
use std::ops::Range;

use num_rational::BigRational;
use serde::Deserialize;
use toml::Spanned;

use super::ReadError;
use super::model::{Infoset, MAX_NODES, Mover, Node, Outcome, Tree};
use crate::games::normal::toml_format::{RawNumber, to_rational};

/// Deepest tree the readers accept; keeps every recursive walk safe.
pub const MAX_DEPTH: usize = 400;

const LAYOUT_HINT: &str = "a game tree needs `title`, `players = [...]`, `root = \"node name\"` and one \
[nodes.NAME] table per node with `player` and `moves = [{ action = \"...\", to = \"node\" }, ...]` \
(or `payoffs = [...]` for a terminal node); see docs/teaching.md";

type SpannedNumbers = Spanned<Vec<Spanned<RawNumber>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTree {
    title: String,
    #[serde(default)]
    description: String,
    players: Spanned<Vec<Spanned<String>>>,
    root: Spanned<String>,
    nodes: BTreeMap<String, Spanned<RawNode>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    player: Option<Spanned<String>>,
    infoset: Option<Spanned<String>>,
    moves: Option<Spanned<Vec<Spanned<RawMove>>>>,
    payoffs: Option<SpannedNumbers>,
    outcome: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMove {
    action: Spanned<String>,
    probability: Option<Spanned<RawNumber>>,
    to: Option<Spanned<String>>,
    payoffs: Option<SpannedNumbers>,
    outcome: Option<String>,
}

/// True when TOML text looks like a game tree (it has a `root` key or a
/// `[nodes]` table) rather than a normal-form game.
pub fn looks_like_tree(source: &str) -> bool {
    match toml::from_str::<toml::Table>(source) {
        Ok(t) => t.contains_key("nodes") || t.contains_key("root"),
        Err(_) => source.lines().any(|l| l.trim_start().starts_with("[nodes") || l.trim_start().starts_with("root")),
    }
}

/// Parses a game tree from TOML source text.
pub fn from_toml_str(source: &str) -> Result<Tree, ReadError> {
    let raw: RawTree = toml::from_str(source).map_err(|e| {
        let message = e.message().trim().to_string();
        ReadError { message: format!("{message}; {LAYOUT_HINT}"), span: e.span() }
    })?;
    let players: Vec<String> = raw.players.get_ref().iter().map(|p| p.get_ref().clone()).collect();
    if players.is_empty() {
        return Err(ReadError::at(raw.players.span(), "`players` is empty: name at least one player"));
    }
    for (k, p) in raw.players.get_ref().iter().enumerate() {
        if p.get_ref().eq_ignore_ascii_case("chance") {
            return Err(ReadError::at(
                p.span(),
                "\"chance\" is reserved for chance moves (`player = \"chance\"`); give the player another name",
            ));
        }
        if players[..k].contains(p.get_ref()) {
            return Err(ReadError::at(p.span(), format!("the player {:?} is named twice", p.get_ref())));
        }
    }
    let mut b = Builder {
        source,
        raw: &raw,
        players: &players,
        tree: Tree {
            title: raw.title.clone(),
            comment: raw.description.clone(),
            players: players.clone(),
            nodes: Vec::new(),
            infosets: Vec::new(),
            outcomes: Vec::new(),
        },
        spans: Vec::new(),
        state: BTreeMap::new(),
        infoset_by_label: BTreeMap::new(),
    };
    b.build(raw.root.get_ref(), None, raw.root.span(), 0, "`root`")?;
    for (name, node) in &raw.nodes {
        if !b.state.contains_key(name.as_str()) {
            return Err(ReadError::at(
                node.span(),
                format!(
                    "node {name:?} is never reached from the root {:?}: link it with `to = {name:?}` in some move, \
                     or delete it",
                    raw.root.get_ref()
                ),
            ));
        }
    }
    let Builder { tree, spans, .. } = b;
    tree.validate().map_err(|e| {
        let span = e.node().and_then(|n| spans.get(n).cloned());
        ReadError { message: e.to_string(), span }
    })?;
    Ok(tree)
}

struct Builder<'a> {
    source: &'a str,
    raw: &'a RawTree,
    players: &'a [String],
    tree: Tree,
    /// Source span of each node built.
    spans: Vec<Range<usize>>,
    /// Raw node name → (index built, finished?).
    state: BTreeMap<&'a str, (usize, bool)>,
    infoset_by_label: BTreeMap<String, usize>,
}

impl<'a> Builder<'a> {
    fn build(
        &mut self,
        name: &'a str,
        parent: Option<usize>,
        via: Range<usize>,
        depth: usize,
        from: &str,
    ) -> Result<usize, ReadError> {
        if let Some(&(index, finished)) = self.state.get(name) {
            let first = self.tree.describe_node(self.tree.nodes[index].parent.unwrap_or(index));
            let message = if finished {
                format!(
                    "node {name:?} is reached twice (already from {first}): in a game tree every node has one \
                     path from the root; make a copy of the node under another name"
                )
            } else {
                format!("node {name:?} leads back to itself (a cycle): a game tree cannot return to an earlier node")
            };
            return Err(ReadError::at(via, message));
        }
        let Some(raw) = self.raw.nodes.get(name) else {
            let known: Vec<&str> = self.raw.nodes.keys().map(String::as_str).take(12).collect();
            return Err(ReadError::at(
                via,
                format!(
                    "{from} names the node {name:?}, which is not defined; define [nodes.{name}] (known nodes: {})",
                    known.join(", ")
                ),
            ));
        };
        if depth > MAX_DEPTH || self.tree.nodes.len() >= MAX_NODES {
            return Err(ReadError::at(
                via,
                format!("the tree is too large (at most {MAX_NODES} nodes, {MAX_DEPTH} levels deep)"),
            ));
        }
        let index = self.push_node(name, parent, raw.span());
        self.state.insert(name, (index, false));
        let node = raw.get_ref();
        match (&node.moves, &node.payoffs) {
            (Some(_), Some(p)) => {
                return Err(ReadError::at(
                    p.span(),
                    format!(
                        "node {name:?} has both moves and payoffs: put payoffs on terminal nodes only (a move's \
                         `payoffs` or a node without moves)"
                    ),
                ));
            }
            (None, None) => {
                return Err(ReadError::at(
                    raw.span(),
                    format!(
                        "node {name:?} has no moves and no payoffs: a terminal node needs `payoffs = [..]` with one \
                         number per player ({}), a decision node needs `player` and `moves`",
                        self.players.join(", ")
                    ),
                ));
            }
            (None, Some(p)) => {
                if let Some(pl) = &node.player {
                    return Err(ReadError::at(
                        pl.span(),
                        format!("node {name:?} is terminal (it has payoffs) and cannot have a `player`"),
                    ));
                }
                if let Some(i) = &node.infoset {
                    return Err(ReadError::at(
                        i.span(),
                        format!("terminal node {name:?} cannot be in an information set"),
                    ));
                }
                let o = self.outcome(p, node.outcome.clone().unwrap_or_default())?;
                self.tree.nodes[index].outcome = Some(o);
            }
            (Some(moves), None) => self.decision(index, name, node, moves, depth)?,
        }
        self.state.insert(name, (index, true));
        Ok(index)
    }

    fn push_node(&mut self, label: &str, parent: Option<usize>, span: Range<usize>) -> usize {
        let index = self.tree.nodes.len();
        self.tree.nodes.push(Node {
            label: label.to_string(),
            parent,
            children: Vec::new(),
            infoset: None,
            outcome: None,
        });
        self.spans.push(span);
        if let Some(p) = parent {
            self.tree.nodes[p].children.push(index);
        }
        index
    }

    fn outcome(&mut self, payoffs: &SpannedNumbers, label: String) -> Result<usize, ReadError> {
        let n = self.players.len();
        if payoffs.get_ref().len() != n {
            return Err(ReadError::at(
                payoffs.span(),
                format!(
                    "{} payoffs given, but the game has {n} players: write one payoff per player, in the order \
                     of `players` ({})",
                    payoffs.get_ref().len(),
                    self.players.join(", ")
                ),
            ));
        }
        let values = payoffs
            .get_ref()
            .iter()
            .map(|v| number(self.source, v))
            .collect::<Result<Vec<BigRational>, ReadError>>()?;
        self.tree.outcomes.push(Outcome { label, payoffs: values });
        Ok(self.tree.outcomes.len() - 1)
    }

    fn decision(
        &mut self,
        index: usize,
        name: &'a str,
        node: &'a RawNode,
        moves: &'a Spanned<Vec<Spanned<RawMove>>>,
        depth: usize,
    ) -> Result<(), ReadError> {
        let Some(player) = &node.player else {
            return Err(ReadError::at(
                moves.span(),
                format!(
                    "node {name:?} has moves but no `player`: say who moves, one of {} or \"chance\"",
                    self.players.iter().map(|p| format!("{p:?}")).collect::<Vec<_>>().join(", ")
                ),
            ));
        };
        let mover = if player.get_ref() == "chance" {
            Mover::Chance
        } else {
            match self.players.iter().position(|p| p == player.get_ref()) {
                Some(p) => Mover::Player(p),
                None => {
                    return Err(ReadError::at(
                        player.span(),
                        format!(
                            "unknown player {:?}: use one of {} or \"chance\"",
                            player.get_ref(),
                            self.players.iter().map(|p| format!("{p:?}")).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
            }
        };
        if moves.get_ref().is_empty() {
            return Err(ReadError::at(moves.span(), format!("node {name:?} has an empty `moves` list")));
        }
        let mut actions = Vec::new();
        let mut probabilities = Vec::new();
        for m in moves.get_ref() {
            let mv = m.get_ref();
            if actions.contains(mv.action.get_ref()) {
                return Err(ReadError::at(
                    mv.action.span(),
                    format!(
                        "node {name:?} has two moves labelled {:?}; give each a distinct label",
                        mv.action.get_ref()
                    ),
                ));
            }
            actions.push(mv.action.get_ref().clone());
            match (&mv.probability, mover) {
                (Some(p), Mover::Chance) => {
                    let v = number(self.source, p)?;
                    if v < BigRational::from_integer(0.into()) || v > BigRational::from_integer(1.into()) {
                        return Err(ReadError::at(p.span(), "a probability must lie between 0 and 1"));
                    }
                    probabilities.push(v);
                }
                (None, Mover::Chance) => {
                    return Err(ReadError::at(
                        m.span(),
                        format!(
                            "chance move {:?} needs a `probability` (e.g. probability = \"1/3\")",
                            mv.action.get_ref()
                        ),
                    ));
                }
                (Some(p), Mover::Player(_)) => {
                    return Err(ReadError::at(
                        p.span(),
                        "only chance moves have probabilities; a player chooses (remove `probability`, or set \
                         `player = \"chance\"`)",
                    ));
                }
                (None, Mover::Player(_)) => {}
            }
        }
        if mover == Mover::Chance {
            let sum: BigRational = probabilities.iter().sum();
            if sum != BigRational::from_integer(1.into()) {
                return Err(ReadError::at(
                    moves.span(),
                    format!(
                        "the chance probabilities at node {name:?} sum to {}, not 1; make them add up to exactly 1 \
                         (fractions such as \"1/3\" are exact)",
                        crate::games::normal::fmt_rational(&sum)
                    ),
                ));
            }
        }
        let h = match &node.infoset {
            None => self.new_infoset(mover, String::new(), actions, probabilities),
            Some(label) => match self.infoset_by_label.get(label.get_ref()).copied() {
                None => {
                    let h = self.new_infoset(mover, label.get_ref().clone(), actions, probabilities);
                    self.infoset_by_label.insert(label.get_ref().clone(), h);
                    h
                }
                Some(h) => {
                    let set = &self.tree.infosets[h];
                    if set.mover != mover {
                        return Err(ReadError::at(
                            label.span(),
                            format!(
                                "information set {:?} mixes {} and {}: every node of an information set belongs \
                                 to the same mover",
                                label.get_ref(),
                                self.tree.mover_name(set.mover),
                                self.tree.mover_name(mover)
                            ),
                        ));
                    }
                    if set.actions != actions || (mover == Mover::Chance && set.probabilities != probabilities) {
                        return Err(ReadError::at(
                            label.span(),
                            format!(
                                "information set {:?} has moves [{}] here but [{}] at another node: a player who \
                                 cannot tell the nodes apart must see the same actions, in the same order",
                                label.get_ref(),
                                actions.join(", "),
                                set.actions.join(", ")
                            ),
                        ));
                    }
                    h
                }
            },
        };
        self.tree.nodes[index].infoset = Some(h);
        self.tree.infosets[h].nodes.push(index);
        for m in moves.get_ref() {
            let mv = m.get_ref();
            match (&mv.to, &mv.payoffs) {
                (Some(to), None) => {
                    let from = format!("the move {:?}", mv.action.get_ref());
                    self.build(to.get_ref(), Some(index), to.span(), depth + 1, &from)?;
                }
                (None, Some(p)) => {
                    let leaf = self.push_node("", Some(index), m.span());
                    let o = self.outcome(p, mv.outcome.clone().unwrap_or_default())?;
                    self.tree.nodes[leaf].outcome = Some(o);
                }
                (Some(to), Some(_)) => {
                    return Err(ReadError::at(
                        to.span(),
                        "a move either leads to a node (`to`) or ends the game (`payoffs`), not both",
                    ));
                }
                (None, None) => {
                    return Err(ReadError::at(
                        m.span(),
                        format!(
                            "the move {:?} has no `to` and no `payoffs` (missing payoffs): say where it leads, or \
                             what each player gets if it ends the game",
                            mv.action.get_ref()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn new_infoset(
        &mut self,
        mover: Mover,
        label: String,
        actions: Vec<String>,
        probabilities: Vec<BigRational>,
    ) -> usize {
        self.tree.infosets.push(Infoset { mover, label, actions, probabilities, nodes: Vec::new() });
        self.tree.infosets.len() - 1
    }
}

fn number(source: &str, v: &Spanned<RawNumber>) -> Result<BigRational, ReadError> {
    to_rational(source, v).map_err(|e| ReadError { message: e.to_string(), span: e.span() })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub const ENTRY: &str = r#"
title = "Entry deterrence"
players = ["Entrant", "Incumbent"]
root = "entry"

[nodes.entry]
player = "Entrant"
moves = [
  { action = "Stay out", payoffs = [0, 2] },
  { action = "Enter", to = "response" },
]

[nodes.response]
player = "Incumbent"
moves = [
  { action = "Fight", payoffs = [-1, -1] },
  { action = "Accommodate", payoffs = [1, 1] },
]
"#;

    fn err(src: &str) -> ReadError {
        from_toml_str(src).expect_err("should fail")
    }

    fn spanned<'a>(src: &'a str, e: &ReadError) -> &'a str {
        &src[e.span.clone().expect("a span")]
    }

    #[test]
    fn reads_the_entry_game_in_preorder() {
        let t = from_toml_str(ENTRY).unwrap();
        assert_eq!(t.nodes.len(), 5);
        assert_eq!(t.nodes[0].label, "entry");
        assert_eq!(t.nodes[2].label, "response");
        assert_eq!(t.infosets.len(), 2);
        assert_eq!(t.cumulative_payoffs()[4], vec![BigRational::from_integer(1.into()); 2]);
        assert!(looks_like_tree(ENTRY));
        assert!(!looks_like_tree("title = \"x\"\nplayers = [\"a\", \"b\"]\n[strategies]\nrow = [\"a\"]"));
    }

    #[test]
    fn cycles_and_nodes_reached_twice_are_located() {
        let src = ENTRY.replace(r#"{ action = "Fight", payoffs = [-1, -1] }"#, r#"{ action = "Fight", to = "entry" }"#);
        let e = err(&src);
        assert!(e.message.contains("cycle"), "{e}");
        assert_eq!(spanned(&src, &e), "\"entry\"");

        let src = ENTRY
            .replace(r#"{ action = "Fight", payoffs = [-1, -1] }"#, r#"{ action = "Fight", to = "end" }"#)
            .replace(r#"{ action = "Accommodate", payoffs = [1, 1] }"#, r#"{ action = "Accommodate", to = "end" }"#)
            + "\n[nodes.end]\npayoffs = [0, 0]\n";
        let e = err(&src);
        assert!(e.message.contains("reached twice"), "{e}");
        let (line, _) = crate::games::normal::line_col(&src, e.span.clone().unwrap().start);
        assert_eq!(line, 17);
    }

    #[test]
    fn chance_probabilities_must_sum_to_one() {
        let src = ENTRY.replace(
            "player = \"Entrant\"\nmoves = [\n  { action = \"Stay out\", payoffs = [0, 2] },\n  { action = \"Enter\", to = \"response\" },\n]",
            "player = \"chance\"\nmoves = [\n  { action = \"Calm\", probability = \"1/3\", payoffs = [0, 2] },\n  { action = \"Crisis\", probability = 0.5, to = \"response\" },\n]",
        );
        let e = err(&src);
        assert!(e.message.contains("sum to 5/6"), "{e}");
        assert!(spanned(&src, &e).starts_with('['));
    }

    #[test]
    fn information_sets_must_agree_on_player_and_actions() {
        let src = r#"
title = "t"
players = ["A", "B"]
root = "a"
[nodes.a]
player = "A"
moves = [{ action = "L", to = "b1" }, { action = "R", to = "b2" }]
[nodes.b1]
player = "B"
infoset = "b"
moves = [{ action = "x", payoffs = [1, 0] }, { action = "y", payoffs = [0, 1] }]
[nodes.b2]
player = "B"
infoset = "b"
moves = [{ action = "x", payoffs = [0, 1] }, { action = "z", payoffs = [1, 0] }]
"#;
        let e = err(src);
        assert!(e.message.contains("same actions"), "{e}");
        assert_eq!(spanned(src, &e), "\"b\"");
        let e = err(&src.replace(
            "player = \"B\"\ninfoset = \"b\"\nmoves = [{ action = \"x\", payoffs = [0, 1] }, { action = \"z\"",
            "player = \"A\"\ninfoset = \"b\"\nmoves = [{ action = \"x\", payoffs = [0, 1] }, { action = \"y\"",
        ));
        assert!(e.message.contains("mixes B and A"), "{e}");
        assert!(from_toml_str(&src.replace("\"z\"", "\"y\"")).is_ok());
    }

    #[test]
    fn missing_payoffs_and_bad_references_are_located() {
        let src = ENTRY.replace(r#"{ action = "Fight", payoffs = [-1, -1] }"#, r#"{ action = "Fight" }"#);
        let e = err(&src);
        assert!(e.message.contains("missing payoffs"), "{e}");
        assert_eq!(spanned(&src, &e), r#"{ action = "Fight" }"#);

        let src = ENTRY.replace("[1, 1]", "[1]");
        let e = err(&src);
        assert!(e.message.contains("one payoff per player"), "{e}");
        assert_eq!(spanned(&src, &e), "[1]");

        let src = ENTRY.replace(r#"to = "response""#, r#"to = "respons""#);
        let e = err(&src);
        assert!(e.message.contains("not defined"), "{e}");

        let src = format!("{ENTRY}\n[nodes.orphan]\npayoffs = [0, 0]\n");
        assert!(err(&src).message.contains("never reached"));

        let src = ENTRY.replace("player = \"Incumbent\"", "player = \"Incumbant\"");
        let e = err(&src);
        assert_eq!(spanned(&src, &e), "\"Incumbant\"");

        let e = err(&ENTRY.replace("[0, 2]", "[0, \"two\"]"));
        assert!(e.span.is_some());
        let e = err(&ENTRY.replace("root = \"entry\"\n", ""));
        assert!(e.message.contains("root"), "{e}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_damaged_files(cut in 0usize..400, insert in "[\\[\\]{}\",0-9./a-z =\\-]{0,6}") {
            let mut damaged: String = ENTRY.chars().take(cut).collect();
            damaged.push_str(&insert);
            damaged.extend(ENTRY.chars().skip(cut + 1));
            if let Some(span) = from_toml_str(&damaged).err().and_then(|e| e.span) {
                proptest::prop_assert!(damaged.get(span).is_some());
            }
        }
    }
}
