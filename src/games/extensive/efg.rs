//! Reading and writing Gambit extensive-form `.efg` files (format version 2).
//!
//! ```text
//! EFG 2 R "Entry game" { "Entrant" "Incumbent" }
//! "an optional comment"
//!
//! p "" 1 1 "" { "Out" "In" } 0
//! t "" 1 "" { 0, 2 }
//! p "" 2 1 "" { "Fight" "Accommodate" } 0
//! t "" 2 "" { -1, -1 }
//! t "" 3 "" { 1, 1 }
//! ```
//!
//! Nodes come in preorder: `p` (player: name, player number, information
//! set number, then on first appearance the set's name and actions), `c`
//! (chance: the same without the player, actions paired with probabilities)
//! and `t` (terminal). Each ends with an outcome number (0 = none), given on
//! first appearance with its name and payoffs; outcomes at inner nodes add
//! to the payoffs of every play through them. The writer follows Gambit's
//! own output byte for byte (information sets and outcomes repeated in full
//! at every node, payoffs separated by commas).

use std::collections::BTreeMap;
use std::ops::Range;

use super::ReadError;
use super::model::{Infoset, MAX_NODES, Mover, Node, Outcome, Tree};
use super::toml_format::MAX_DEPTH;
use crate::games::normal::fmt_rational;
use crate::games::normal::nfg::{Lexer, NfgError, Tok, quote};

impl From<NfgError> for ReadError {
    fn from(e: NfgError) -> Self {
        ReadError { span: e.span(), message: e.to_string() }
    }
}

/// Parses a Gambit `.efg` file.
pub fn from_efg_str(source: &str) -> Result<Tree, ReadError> {
    let mut lx = Lexer::new(source)?;
    if lx.tok != Tok::Symbol("EFG".into()) {
        return Err(lx.error("`EFG` at the start of a Gambit extensive-form file").into());
    }
    lx.advance()?;
    if lx.tok != Tok::Number("2".into()) {
        return Err(lx.error("the format version `2` after `EFG`").into());
    }
    lx.advance()?;
    match &lx.tok {
        Tok::Symbol(s) if s == "R" || s == "D" => lx.advance()?,
        _ => return Err(lx.error("the data type `R` (as in `EFG 2 R \"title\" ...`)").into()),
    }
    let title = lx.expect_text("the quoted game title")?;
    let players_start = lx.expect(&Tok::LBrace, "`{` opening the list of player names")?.start;
    let mut players = Vec::new();
    while let Tok::Text(t) = &lx.tok {
        players.push(t.clone());
        lx.advance()?;
    }
    let players_end = lx.expect(&Tok::RBrace, "a quoted player name or `}`")?.end;
    if players.is_empty() {
        return Err(ReadError::at(players_start..players_end, "the game names no players"));
    }
    let comment = if let Tok::Text(t) = &lx.tok {
        let t = t.clone();
        lx.advance()?;
        t
    } else {
        String::new()
    };
    let mut r = Reader {
        lx,
        tree: Tree { title, comment, players, nodes: Vec::new(), infosets: Vec::new(), outcomes: Vec::new() },
        spans: Vec::new(),
        infosets: BTreeMap::new(),
        outcomes: BTreeMap::new(),
    };
    r.node(None, 0)?;
    if r.lx.tok != Tok::Eof {
        return Err(ReadError::at(
            r.lx.span.clone(),
            format!(
                "unexpected {} after the last node of the tree; every node's children must follow it \
                 (one per action), and nothing may come after the tree",
                r.lx.tok_description()
            ),
        ));
    }
    let Reader { tree, spans, .. } = r;
    tree.validate()
        .map_err(|e| ReadError { message: e.to_string(), span: e.node().and_then(|n| spans.get(n).cloned()) })?;
    Ok(tree)
}

struct Reader<'a> {
    lx: Lexer<'a>,
    tree: Tree,
    spans: Vec<Range<usize>>,
    /// (player number, 0 for chance; set number) → index.
    infosets: BTreeMap<(usize, String), usize>,
    /// Outcome number → index.
    outcomes: BTreeMap<String, usize>,
}

impl Reader<'_> {
    fn node(&mut self, parent: Option<usize>, depth: usize) -> Result<(), ReadError> {
        let start = self.lx.span.start;
        let kind = match &self.lx.tok {
            Tok::Symbol(s) if s == "p" || s == "c" || s == "t" => s.clone(),
            _ => {
                return Err(self.lx.error("a node: `p` (player), `c` (chance) or `t` (terminal)").into());
            }
        };
        if depth > MAX_DEPTH || self.tree.nodes.len() >= MAX_NODES {
            return Err(ReadError::at(
                self.lx.span.clone(),
                format!("the tree is too large (at most {MAX_NODES} nodes, {MAX_DEPTH} levels deep)"),
            ));
        }
        self.lx.advance()?;
        let label = self.lx.expect_text("the node's quoted name (may be \"\")")?;
        let index = self.tree.nodes.len();
        self.tree.nodes.push(Node { label, parent, children: Vec::new(), infoset: None, outcome: None });
        self.spans.push(start..self.lx.span.start);
        if let Some(p) = parent {
            self.tree.nodes[p].children.push(index);
        }
        if kind != "t" {
            let mover = if kind == "p" {
                let (n, span) = self.integer("the player number")?;
                if n == 0 || n > self.tree.players.len() {
                    return Err(ReadError::at(
                        span,
                        format!("player {n} does not exist: players are numbered 1 to {}", self.tree.players.len()),
                    ));
                }
                Mover::Player(n - 1)
            } else {
                Mover::Chance
            };
            let (number, number_span) = self.integer("the information set number")?;
            let key = (
                match mover {
                    Mover::Chance => 0,
                    Mover::Player(p) => p + 1,
                },
                number.to_string(),
            );
            let described = matches!(self.lx.tok, Tok::Text(_));
            let h = if described {
                let set_label = self.lx.expect_text("the information set's name")?;
                let list_start = self.lx.span.start;
                self.lx.expect(&Tok::LBrace, "`{` opening the list of actions")?;
                let mut actions = Vec::new();
                let mut probabilities = Vec::new();
                while let Tok::Text(a) = &self.lx.tok {
                    actions.push(a.clone());
                    self.lx.advance()?;
                    if mover == Mover::Chance {
                        probabilities.push(self.lx.expect_number("the action's probability")?.0);
                    }
                }
                let list_end = self.lx.expect(&Tok::RBrace, "a quoted action name or `}`")?.end;
                match self.infosets.get(&key) {
                    Some(&h) => {
                        let set = &self.tree.infosets[h];
                        if set.actions != actions || set.probabilities != probabilities || set.label != set_label {
                            return Err(ReadError::at(
                                list_start..list_end,
                                format!(
                                    "information set {number} of {} is declared again differently (actions [{}] \
                                     here, [{}] before); a repeated declaration must match the first exactly",
                                    self.tree.mover_name(mover),
                                    actions.join(", "),
                                    set.actions.join(", ")
                                ),
                            ));
                        }
                        h
                    }
                    None => {
                        self.tree.infosets.push(Infoset {
                            mover,
                            label: set_label,
                            actions,
                            probabilities,
                            nodes: Vec::new(),
                        });
                        let h = self.tree.infosets.len() - 1;
                        self.infosets.insert(key, h);
                        h
                    }
                }
            } else {
                *self.infosets.get(&key).ok_or_else(|| {
                    ReadError::at(
                        number_span,
                        format!(
                            "information set {number} of {} appears here for the first time without its name and \
                             actions; the first node of a set must declare them, as in {} \"\" {{ \"a\" \"b\" }}",
                            self.tree.mover_name(mover),
                            number
                        ),
                    )
                })?
            };
            self.tree.nodes[index].infoset = Some(h);
            self.tree.infosets[h].nodes.push(index);
        }
        self.outcome(index)?;
        if let Some(h) = self.tree.nodes[index].infoset {
            for _ in 0..self.tree.infosets[h].actions.len() {
                if self.lx.tok == Tok::Eof {
                    return Err(ReadError::at(
                        self.lx.span.clone(),
                        format!(
                            "the file ends before every child of {} is listed: each node is followed by one \
                             subtree per action",
                            self.tree.describe_node(index)
                        ),
                    ));
                }
                self.node(Some(index), depth + 1)?;
            }
        }
        Ok(())
    }

    fn outcome(&mut self, node: usize) -> Result<(), ReadError> {
        let (number, span) = self.integer("the outcome number (0 for none)")?;
        if number == 0 {
            return Ok(());
        }
        let key = number.to_string();
        let index = if let Tok::Text(_) = &self.lx.tok {
            let label = self.lx.expect_text("the outcome's name")?;
            let start = self.lx.expect(&Tok::LBrace, "`{` opening the outcome's payoffs")?.start;
            let mut payoffs = Vec::new();
            loop {
                match &self.lx.tok {
                    Tok::Number(_) => payoffs.push(self.lx.expect_number("a payoff")?.0),
                    Tok::Comma => self.lx.advance()?,
                    _ => break,
                }
            }
            let end = self.lx.expect(&Tok::RBrace, "a payoff or `}`")?.end;
            if payoffs.len() != self.tree.players.len() {
                return Err(ReadError::at(
                    start..end,
                    format!(
                        "outcome {number} lists {} payoffs but the game has {} players: give one per player",
                        payoffs.len(),
                        self.tree.players.len()
                    ),
                ));
            }
            match self.outcomes.get(&key) {
                Some(&o) => {
                    if self.tree.outcomes[o].payoffs != payoffs || self.tree.outcomes[o].label != label {
                        return Err(ReadError::at(
                            start..end,
                            format!(
                                "outcome {number} is declared again with different payoffs; repeated declarations must match"
                            ),
                        ));
                    }
                    o
                }
                None => {
                    self.tree.outcomes.push(Outcome { label, payoffs });
                    self.outcomes.insert(key, self.tree.outcomes.len() - 1);
                    self.tree.outcomes.len() - 1
                }
            }
        } else {
            *self.outcomes.get(&key).ok_or_else(|| {
                ReadError::at(
                    span,
                    format!(
                        "outcome {number} appears here for the first time without its name and payoffs, as in \
                         {number} \"\" {{ 1, 2 }}"
                    ),
                )
            })?
        };
        self.tree.nodes[node].outcome = Some(index);
        Ok(())
    }

    fn integer(&mut self, what: &str) -> Result<(usize, Range<usize>), ReadError> {
        let Tok::Number(text) = &self.lx.tok else {
            return Err(self.lx.error(what).into());
        };
        let span = self.lx.span.clone();
        let n = text
            .parse::<usize>()
            .map_err(|_| ReadError::at(span.clone(), format!("expected {what}, a whole number, found {text:?}")))?;
        self.lx.advance()?;
        Ok((n, span))
    }
}

/// Writes a tree as a Gambit `.efg` file, in the style Gambit itself writes.
pub fn to_efg_string(tree: &Tree) -> String {
    let players: Vec<String> = tree.players.iter().map(|p| quote(p)).collect();
    let mut out = format!("EFG 2 R {} {{ {} }}\n", quote(&tree.title), players.join(" "));
    out.push_str(&format!("{}\n\n", quote(&tree.comment)));
    // Gambit numbers information sets per player and outcomes globally, in
    // order of first appearance.
    let mut set_numbers: BTreeMap<usize, usize> = BTreeMap::new();
    let mut per_mover: BTreeMap<Mover, usize> = BTreeMap::new();
    let mut outcome_numbers: BTreeMap<usize, usize> = BTreeMap::new();
    for node in &tree.nodes {
        let label = quote(&node.label);
        match node.infoset {
            None => out.push_str(&format!("t {label} ")),
            Some(h) => {
                let set = &tree.infosets[h];
                let next = per_mover.entry(set.mover).or_insert(0);
                let number = *set_numbers.entry(h).or_insert_with(|| {
                    *next += 1;
                    *next
                });
                let actions: Vec<String> = match set.mover {
                    Mover::Chance => set
                        .actions
                        .iter()
                        .zip(&set.probabilities)
                        .map(|(a, p)| format!("{} {}", quote(a), fmt_rational(p)))
                        .collect(),
                    Mover::Player(_) => set.actions.iter().map(|a| quote(a)).collect(),
                };
                let who = match set.mover {
                    Mover::Chance => "c".to_string(),
                    Mover::Player(p) => format!("p {label} {}", p + 1),
                };
                let who = if set.mover == Mover::Chance { format!("{who} {label}") } else { who };
                out.push_str(&format!("{who} {number} {} {{ {} }} ", quote(&set.label), actions.join(" ")));
            }
        }
        match node.outcome {
            None => out.push_str("0\n"),
            Some(o) => {
                let next = outcome_numbers.len() + 1;
                let number = *outcome_numbers.entry(o).or_insert(next);
                let payoffs: Vec<String> = tree.outcomes[o].payoffs.iter().map(fmt_rational).collect();
                out.push_str(&format!("{number} {} {{ {} }}\n", quote(&tree.outcomes[o].label), payoffs.join(", ")));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use num_rational::BigRational;

    use super::*;

    /// Written in the exact style of Gambit's writer (`GameTreeRep::WriteEfgFile`):
    /// Selten's entry/accommodation game as Gambit's test suite has it.
    pub const GAMBIT_ENTRY: &str = include_str!("../../../tests/fixtures/efg/entry-accommodation.efg");
    pub const GAMBIT_POKER: &str = include_str!("../../../tests/fixtures/efg/one-card-poker.efg");
    pub const GAMBIT_STAGES: &str = include_str!("../../../tests/fixtures/efg/nonterminal-outcomes.efg");

    #[test]
    fn reads_gambit_files() {
        let t = from_efg_str(GAMBIT_ENTRY).unwrap();
        assert_eq!(t.players, vec!["1", "2"]);
        assert_eq!(t.nodes.len(), 11);
        assert_eq!(t.infosets.len(), 4);
        // Player 2's two nodes share information set 1.
        let h = t.nodes[1].infoset.unwrap();
        assert_eq!(t.infosets[h].nodes.len(), 2);
        assert!(!t.has_perfect_information());

        let poker = from_efg_str(GAMBIT_POKER).unwrap();
        assert_eq!(poker.infosets[0].mover, Mover::Chance);
        assert_eq!(poker.infosets[0].probabilities[0], BigRational::new(1.into(), 2.into()));
        assert!(poker.comment.contains("one-card poker"));

        // Payoffs from inner outcomes add up along the path.
        let stages = from_efg_str(GAMBIT_STAGES).unwrap();
        let pay = stages.cumulative_payoffs();
        let leaf = stages.nodes.iter().position(|n| n.infoset.is_none()).unwrap();
        assert_eq!(pay[leaf], vec![BigRational::from_integer(3.into()), BigRational::from_integer(2.into())]);
    }

    #[test]
    fn writes_exactly_what_gambit_writes() {
        for file in [GAMBIT_ENTRY, GAMBIT_POKER, GAMBIT_STAGES] {
            let t = from_efg_str(file).unwrap();
            assert_eq!(to_efg_string(&t), file);
        }
    }

    #[test]
    fn round_trip_from_toml() {
        let t = super::super::from_toml_str(super::super::toml_format::tests::ENTRY).unwrap();
        let text = to_efg_string(&t);
        let back = from_efg_str(&text).unwrap();
        // Node labels survive; outcome and set numbering is Gambit's.
        assert_eq!(back, t);
    }

    #[test]
    fn malformed_files_are_located() {
        let cut = GAMBIT_ENTRY.rsplit_once("t \"\"").unwrap().0;
        let e = from_efg_str(cut).unwrap_err();
        assert!(e.message.contains("ends before"), "{e}");
        let e = from_efg_str(&GAMBIT_ENTRY.replace("{ 3, 2 }", "{ 3 }")).unwrap_err();
        assert!(e.message.contains("one per player"), "{e}");
        let e = from_efg_str(
            &GAMBIT_ENTRY.replace("p \"\" 2 1 \"\" { \"E\" \"O\" } 0", "p \"\" 3 1 \"\" { \"E\" \"O\" } 0"),
        )
        .unwrap_err();
        assert!(e.message.contains("player 3 does not exist"), "{e}");
        let e = from_efg_str(&format!("{GAMBIT_ENTRY}t \"\" 0\n")).unwrap_err();
        assert!(e.message.contains("after the last node"), "{e}");
        let bad_prob = GAMBIT_POKER.replacen("\"Black\" 1/2", "\"Black\" 1/3", 1);
        let e = from_efg_str(&bad_prob).unwrap_err();
        assert!(e.message.contains("sum to 5/6"), "{e}");
        assert!(e.span.is_some());
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_damaged_files(cut in 0usize..300, insert in "[{}\" ,0-9./a-z]{0,6}") {
            let mut damaged: String = GAMBIT_POKER.chars().take(cut).collect();
            damaged.push_str(&insert);
            damaged.extend(GAMBIT_POKER.chars().skip(cut + 1));
            if let Some(span) = from_efg_str(&damaged).err().and_then(|e| e.span) {
                proptest::prop_assert!(damaged.get(span).is_some());
            }
        }
    }
}
