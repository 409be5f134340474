//! The game-tree model shared by the readers, the solvers and the plot.
//!
//! Nodes are stored in preorder (a node, then the whole subtree of its first
//! child, then of its second, ...), so the subtree of node `x` is exactly
//! the index range `x..x + size[x]`. Both readers build trees in this order
//! and [`Tree::validate`] checks it. The `k`-th child of a decision or
//! chance node is reached by the `k`-th action of its information set.
//!
//! Payoffs live in outcomes attached to nodes, as in Gambit: the payoff of a
//! play is the sum of the outcomes met on its path (usually just the one at
//! the terminal node). Numbers are exact rationals.

use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

/// Readers refuse trees with more nodes than this: every analysis here
/// walks the tree many times, and a classroom tree has tens of nodes.
pub const MAX_NODES: usize = 20_000;

/// Who moves at an information set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mover {
    Chance,
    /// A player, by index into [`Tree::players`].
    Player(usize),
}

/// An extensive-form game.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    pub title: String,
    /// Free text (Gambit's comment field, the TOML file's `description`).
    pub comment: String,
    pub players: Vec<String>,
    /// Preorder; `nodes[0]` is the root.
    pub nodes: Vec<Node>,
    pub infosets: Vec<Infoset>,
    pub outcomes: Vec<Outcome>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub label: String,
    pub parent: Option<usize>,
    /// One child per action of the information set; empty at terminal nodes.
    pub children: Vec<usize>,
    /// `None` exactly at terminal nodes.
    pub infoset: Option<usize>,
    pub outcome: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Infoset {
    pub mover: Mover,
    pub label: String,
    pub actions: Vec<String>,
    /// Chance only: the probability of each action (empty for players).
    pub probabilities: Vec<BigRational>,
    /// Member nodes, in preorder.
    pub nodes: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub label: String,
    /// One payoff per player.
    pub payoffs: Vec<BigRational>,
}

/// Why a tree is not well-formed. Readers attach a source location via the
/// node or information set named here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    #[error("the game has no players: name at least one")]
    NoPlayers,
    #[error("the tree has {count} nodes; brink analyses trees of at most {max} nodes")]
    TooLarge { count: usize, max: usize },
    #[error("node {node} is not stored in preorder (internal error in the reader)")]
    NotPreorder { node: usize },
    #[error("{what} has no moves: a decision or chance node needs at least one action")]
    NoActions { node: usize, what: String },
    #[error(
        "the chance probabilities at {what} sum to {sum}, not 1; make them add up to exactly 1 \
         (fractions such as \"1/3\" are exact)"
    )]
    ProbabilitySum { node: usize, what: String, sum: String },
    #[error("the chance probability {value} at {what} is negative; probabilities lie between 0 and 1")]
    NegativeProbability { node: usize, what: String, value: String },
    #[error(
        "{what} has {found} payoffs but the game has {players} players: give one payoff per player, in player order"
    )]
    PayoffCount { node: usize, what: String, found: usize, players: usize },
    #[error(
        "information set {infoset:?} mixes {first} and {second}: every node of an information set \
         belongs to the same mover"
    )]
    InfosetMixesPlayers { node: usize, infoset: String, first: String, second: String },
    #[error(
        "information set {infoset:?} has actions [{first}] at one node and [{second}] at another: \
         a player cannot tell its nodes apart, so they must offer the same actions in the same order"
    )]
    InfosetMixesActions { node: usize, infoset: String, first: String, second: String },
    #[error(
        "information set {infoset:?} contains a node and one of its own descendants (absent-minded \
         player); brink needs each play to pass an information set at most once"
    )]
    AbsentMinded { node: usize, infoset: String },
    #[error("{what} names the action {action:?} twice; give the actions of a node distinct labels")]
    DuplicateAction { node: usize, what: String, action: String },
}

impl TreeError {
    /// The node the problem was found at, for locating it in the source.
    pub fn node(&self) -> Option<usize> {
        match self {
            TreeError::NoPlayers | TreeError::TooLarge { .. } => None,
            TreeError::NotPreorder { node }
            | TreeError::NoActions { node, .. }
            | TreeError::ProbabilitySum { node, .. }
            | TreeError::NegativeProbability { node, .. }
            | TreeError::PayoffCount { node, .. }
            | TreeError::InfosetMixesPlayers { node, .. }
            | TreeError::InfosetMixesActions { node, .. }
            | TreeError::AbsentMinded { node, .. }
            | TreeError::DuplicateAction { node, .. } => Some(*node),
        }
    }
}

/// A violation of perfect recall, said plainly.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecallViolation {
    pub player: String,
    pub infoset: String,
    pub explanation: String,
}

impl Tree {
    pub fn is_terminal(&self, node: usize) -> bool {
        self.nodes[node].infoset.is_none()
    }

    pub fn mover(&self, node: usize) -> Option<Mover> {
        self.nodes[node].infoset.map(|h| self.infosets[h].mover)
    }

    pub fn terminal_count(&self) -> usize {
        (0..self.nodes.len()).filter(|&n| self.is_terminal(n)).count()
    }

    /// Number of nodes in the subtree of each node (itself included).
    pub fn subtree_sizes(&self) -> Vec<usize> {
        let mut size = vec![1usize; self.nodes.len()];
        for n in (0..self.nodes.len()).rev() {
            if let Some(p) = self.nodes[n].parent {
                size[p] += size[n];
            }
        }
        size
    }

    /// The payoff of each play that ends at `node`: the sum of the outcomes
    /// on the path from the root, for every node.
    pub fn cumulative_payoffs(&self) -> Vec<Vec<BigRational>> {
        let zero = vec![BigRational::zero(); self.players.len()];
        let mut out: Vec<Vec<BigRational>> = Vec::with_capacity(self.nodes.len());
        for (n, node) in self.nodes.iter().enumerate() {
            let mut v = node.parent.map_or_else(|| zero.clone(), |p| out[p].clone());
            if let Some(o) = node.outcome {
                for (x, y) in v.iter_mut().zip(&self.outcomes[o].payoffs) {
                    *x += y;
                }
            }
            debug_assert_eq!(out.len(), n);
            out.push(v);
        }
        out
    }

    /// The index of `node` among its parent's children: the action taken to
    /// reach it.
    pub fn action_into(&self, node: usize) -> Option<(usize, usize)> {
        let p = self.nodes[node].parent?;
        let k = self.nodes[p].children.iter().position(|&c| c == node)?;
        Some((p, k))
    }

    /// The labels of the actions from the root to `node`, e.g.
    /// `["Threaten", "Stand firm"]`.
    pub fn path_labels(&self, node: usize) -> Vec<String> {
        let mut labels = Vec::new();
        let mut n = node;
        while let Some((p, k)) = self.action_into(n) {
            let h = self.nodes[p].infoset.expect("a parent is a decision or chance node");
            labels.push(self.infosets[h].actions[k].clone());
            n = p;
        }
        labels.reverse();
        labels
    }

    /// How a node reads in messages: its label, or the path to it.
    pub fn describe_node(&self, node: usize) -> String {
        if !self.nodes[node].label.is_empty() {
            return format!("node {:?}", self.nodes[node].label);
        }
        let path = self.path_labels(node);
        if path.is_empty() { "the root".to_string() } else { format!("the node after {}", path.join(" → ")) }
    }

    /// Where an information set is, for people: "after Enter" for a single
    /// node, its label or its nodes otherwise.
    pub fn describe_infoset(&self, h: usize) -> String {
        let set = &self.infosets[h];
        if set.nodes.len() == 1 {
            let path = self.path_labels(set.nodes[0]);
            return if path.is_empty() { "at the start".to_string() } else { format!("after {}", path.join(" → ")) };
        }
        let places: Vec<String> = set
            .nodes
            .iter()
            .map(|&n| {
                let p = self.path_labels(n);
                if p.is_empty() { "start".into() } else { p.join(" → ") }
            })
            .collect();
        if set.label.is_empty() {
            format!("not knowing which of [{}]", places.join(" | "))
        } else {
            format!("at {:?}, not knowing which of [{}]", set.label, places.join(" | "))
        }
    }

    pub fn mover_name(&self, m: Mover) -> String {
        match m {
            Mover::Chance => "chance".to_string(),
            Mover::Player(p) => self.players[p].clone(),
        }
    }

    /// True when every information set is a single node.
    pub fn has_perfect_information(&self) -> bool {
        self.infosets.iter().all(|h| h.mover == Mover::Chance || h.nodes.len() == 1)
    }

    /// Checks everything the analyses rely on: preorder storage, actions,
    /// chance probabilities, payoff counts, consistent information sets and
    /// no absent-mindedness.
    pub fn validate(&self) -> Result<(), TreeError> {
        if self.players.is_empty() {
            return Err(TreeError::NoPlayers);
        }
        if self.nodes.len() > MAX_NODES {
            return Err(TreeError::TooLarge { count: self.nodes.len(), max: MAX_NODES });
        }
        let size = self.subtree_sizes();
        for (n, node) in self.nodes.iter().enumerate() {
            // Preorder: the children follow each other, each right after the
            // previous child's subtree.
            let mut next = n + 1;
            for &c in &node.children {
                if c != next || self.nodes[c].parent != Some(n) {
                    return Err(TreeError::NotPreorder { node: c });
                }
                next += size[c];
            }
            let what = self.describe_node(n);
            if let Some(h) = node.infoset {
                let set = &self.infosets[h];
                if set.actions.is_empty() {
                    return Err(TreeError::NoActions { node: n, what });
                }
                if set.actions.len() != node.children.len() {
                    return Err(TreeError::NotPreorder { node: n });
                }
                for (k, a) in set.actions.iter().enumerate() {
                    if set.actions[..k].contains(a) {
                        return Err(TreeError::DuplicateAction { node: n, what, action: a.clone() });
                    }
                }
            }
            if let Some(o) = node.outcome {
                let found = self.outcomes[o].payoffs.len();
                if found != self.players.len() {
                    return Err(TreeError::PayoffCount { node: n, what, found, players: self.players.len() });
                }
            }
        }
        for set in &self.infosets {
            let Some(&first) = set.nodes.first() else { continue };
            if set.mover == Mover::Chance {
                let what = self.describe_node(first);
                if let Some(p) = set.probabilities.iter().find(|p| p.is_negative()) {
                    return Err(TreeError::NegativeProbability {
                        node: first,
                        what,
                        value: super::super::normal::fmt_rational(p),
                    });
                }
                let sum: BigRational = set.probabilities.iter().sum();
                if sum != BigRational::one() || set.probabilities.len() != set.actions.len() {
                    return Err(TreeError::ProbabilitySum {
                        node: first,
                        what,
                        sum: super::super::normal::fmt_rational(&sum),
                    });
                }
            }
            for &a in &set.nodes {
                for &b in &set.nodes {
                    if a < b && b < a + size[a] {
                        return Err(TreeError::AbsentMinded { node: b, infoset: self.infoset_name(a) });
                    }
                }
            }
        }
        Ok(())
    }

    fn infoset_name(&self, node: usize) -> String {
        let h = self.nodes[node].infoset.expect("decision node");
        if self.infosets[h].label.is_empty() { format!("#{}", h + 1) } else { self.infosets[h].label.clone() }
    }

    /// The sequence of a player's own (information set, action) choices on
    /// the path to `node`, excluding `node` itself.
    pub fn own_history(&self, player: usize, node: usize) -> Vec<(usize, usize)> {
        let mut seq = Vec::new();
        let mut n = node;
        while let Some((p, k)) = self.action_into(n) {
            let h = self.nodes[p].infoset.expect("parent moves");
            if self.infosets[h].mover == Mover::Player(player) {
                seq.push((h, k));
            }
            n = p;
        }
        seq.reverse();
        seq
    }

    /// The first violation of perfect recall, if any: two nodes of one
    /// information set that the player could tell apart by remembering
    /// its own earlier moves.
    pub fn perfect_recall_violation(&self) -> Option<RecallViolation> {
        for set in &self.infosets {
            let Mover::Player(p) = set.mover else { continue };
            let Some(&first) = set.nodes.first() else { continue };
            let reference = self.own_history(p, first);
            for &n in &set.nodes[1..] {
                let other = self.own_history(p, n);
                if other != reference {
                    let show = |seq: &[(usize, usize)]| -> String {
                        if seq.is_empty() {
                            "no earlier move".to_string()
                        } else {
                            seq.iter()
                                .map(|&(h, k)| self.infosets[h].actions[k].clone())
                                .collect::<Vec<_>>()
                                .join(" then ")
                        }
                    };
                    let name = if set.label.is_empty() {
                        self.describe_infoset(self.nodes[n].infoset?)
                    } else {
                        set.label.clone()
                    };
                    return Some(RecallViolation {
                        player: self.players[p].clone(),
                        infoset: name,
                        explanation: format!(
                            "{} would have to forget its own moves: one node of the information set is reached \
                             after {} by {0}, another after {}",
                            self.players[p],
                            show(&reference),
                            show(&other)
                        ),
                    });
                }
            }
        }
        None
    }

    /// For each node, the deepest subgame root at or above it. A node `x`
    /// is a subgame root when it is not terminal and every information set
    /// that meets its subtree lies entirely inside it.
    pub fn subgame_roots(&self) -> Vec<bool> {
        let size = self.subtree_sizes();
        // Preorder span of each information set.
        let spans: Vec<(usize, usize)> = self
            .infosets
            .iter()
            .map(|h| {
                let lo = h.nodes.iter().copied().min().unwrap_or(0);
                let hi = h.nodes.iter().copied().max().unwrap_or(0);
                (lo, hi)
            })
            .collect();
        (0..self.nodes.len())
            .map(|x| {
                if self.is_terminal(x) {
                    return false;
                }
                let end = x + size[x];
                (x..end).all(|y| match self.nodes[y].infoset {
                    None => true,
                    Some(h) => {
                        let (lo, hi) = spans[h];
                        self.infosets[h].mover == Mover::Chance || (lo >= x && hi < end)
                    }
                })
            })
            .collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a tree from a compact description, for tests: see
    /// [`super::super::toml_format`] for the real reader.
    pub fn entry_deterrence() -> Tree {
        super::super::from_toml_str(super::super::toml_format::tests::ENTRY).unwrap()
    }

    #[test]
    fn sizes_payoffs_and_paths() {
        let t = entry_deterrence();
        t.validate().unwrap();
        assert_eq!(t.subtree_sizes()[0], t.nodes.len());
        assert_eq!(t.terminal_count(), 3);
        let leaf = t.nodes.len() - 1;
        assert_eq!(t.path_labels(leaf), vec!["Enter", "Accommodate"]);
        assert!(t.has_perfect_information());
        assert!(t.perfect_recall_violation().is_none());
        assert!(t.subgame_roots()[0]);
    }
}
