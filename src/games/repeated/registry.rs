//! Strategy names and parameters → strategy objects: one line per strategy.
//!
//! Names follow Axelrod's library ("Tit For Tat", "Win-Stay Lose-Shift",
//! …) and are matched ignoring case, spaces, hyphens and underscores, so
//! `tit-for-tat` and `TitForTat` work too; common short names (TFT, ALLD,
//! Pavlov, GTFT, Grim, …) are accepted as aliases.

use super::strategies::*;
use super::{Action, RepeatedStrategy, StageGame};

/// The strategy kinds, in the order they are listed to users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Cooperator,
    Defector,
    TitForTat,
    TitForTwoTats,
    Grudger,
    WinStayLoseShift,
    GenerousTitForTat,
    Random,
    Alternator,
    SuspiciousTitForTat,
    Prober,
    MemoryOne,
}

/// (kind, canonical name as in Axelrod's library, aliases).
const NAMES: &[(Kind, &str, &[&str])] = &[
    (Kind::Cooperator, "Cooperator", &["allc", "always cooperate"]),
    (Kind::Defector, "Defector", &["alld", "always defect"]),
    (Kind::TitForTat, "Tit For Tat", &["tft"]),
    (Kind::TitForTwoTats, "Tit For Two Tats", &["tit for 2 tats", "tf2t"]),
    (Kind::Grudger, "Grudger", &["grim", "grim trigger", "friedman"]),
    (Kind::WinStayLoseShift, "Win-Stay Lose-Shift", &["wsls", "pavlov"]),
    (Kind::GenerousTitForTat, "Generous Tit For Tat", &["gtft"]),
    (Kind::Random, "Random", &["lunatic"]),
    (Kind::Alternator, "Alternator", &[]),
    (Kind::SuspiciousTitForTat, "Suspicious Tit For Tat", &["stft", "mistrust"]),
    (Kind::Prober, "Prober", &[]),
    (Kind::MemoryOne, "Memory One", &["memory-one", "zd", "zero determinant"]),
];

/// The canonical names, for help texts and "did you mean".
pub fn canonical_names() -> Vec<&'static str> {
    NAMES.iter().map(|(_, n, _)| *n).collect()
}

/// Every accepted spelling (canonical names and aliases).
pub fn all_names() -> Vec<&'static str> {
    NAMES.iter().flat_map(|(_, n, a)| std::iter::once(*n).chain(a.iter().copied())).collect()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The kind a name denotes, if any.
pub fn lookup(name: &str) -> Option<Kind> {
    let want = squash(name);
    NAMES.iter().find(|(_, n, aliases)| squash(n) == want || aliases.iter().any(|a| squash(a) == want)).map(|e| e.0)
}

/// The canonical name of a kind.
pub fn name_of(kind: Kind) -> &'static str {
    NAMES.iter().find(|e| e.0 == kind).map_or("?", |e| e.1)
}

/// An entrant as written in a tournament file: a kind and its optional
/// parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct EntrantSpec {
    /// The name shown in results (unique within a tournament).
    pub label: String,
    pub kind: Kind,
    /// Probability of cooperating (Random), generosity (Generous Tit For Tat).
    pub p: Option<f64>,
    /// Memory One's (p_CC, p_CD, p_DC, p_DD).
    pub probabilities: Option<[f64; 4]>,
    /// Memory One's first move.
    pub first: Option<Action>,
}

impl EntrantSpec {
    pub fn named(kind: Kind) -> EntrantSpec {
        EntrantSpec { label: name_of(kind).to_string(), kind, p: None, probabilities: None, first: None }
    }

    /// Whether the parameters were given where they mean something.
    pub fn parameters_allowed(&self) -> Vec<&'static str> {
        match self.kind {
            Kind::Random | Kind::GenerousTitForTat => vec!["p"],
            Kind::MemoryOne => vec!["probabilities", "first"],
            _ => vec![],
        }
    }
}

/// Why an entrant cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpecError {
    #[error("{0}")]
    Invalid(String),
}

/// The strategy object for an entrant on a stage game.
pub fn build(spec: &EntrantSpec, game: &StageGame) -> Result<Box<dyn RepeatedStrategy>, SpecError> {
    let prob = |p: f64, what: &str| {
        if (0.0..=1.0).contains(&p) {
            Ok(p)
        } else {
            Err(SpecError::Invalid(format!("{what} must be a probability in [0, 1], found {p}")))
        }
    };
    Ok(match spec.kind {
        Kind::Cooperator => Box::new(Cooperator),
        Kind::Defector => Box::new(Defector),
        Kind::TitForTat => Box::new(TitForTat),
        Kind::TitForTwoTats => Box::new(TitForTwoTats),
        Kind::Grudger => Box::new(Grudger),
        Kind::WinStayLoseShift => Box::new(WinStayLoseShift),
        Kind::Alternator => Box::new(Alternator),
        Kind::SuspiciousTitForTat => Box::new(SuspiciousTitForTat),
        Kind::Prober => Box::new(Prober),
        Kind::Random => Box::new(Random { p: prob(spec.p.unwrap_or(0.5), "p")? }),
        Kind::GenerousTitForTat => {
            let p = match spec.p {
                Some(p) => p,
                None => {
                    let [r, s, t, p] = game.rstp();
                    GenerousTitForTat::default_p(r, p, s, t)
                }
            };
            let p = prob(p, "Generous Tit For Tat's p (by default min(1 − (T − R)/(R − S), (R − P)/(T − P)))")
                .map_err(|e| SpecError::Invalid(format!("{e}; give `p` explicitly for this stage game")))?;
            Box::new(GenerousTitForTat { p })
        }
        Kind::MemoryOne => {
            let Some(ps) = spec.probabilities else {
                return Err(SpecError::Invalid(
                    "Memory One needs `probabilities = [p_CC, p_CD, p_DC, p_DD]`, e.g. [1, 0, 1, 0] for Tit For Tat"
                        .into(),
                ));
            };
            for p in ps {
                prob(p, "each of Memory One's probabilities")?;
            }
            Box::new(MemoryOne { probabilities: ps, first: spec.first.unwrap_or(Action::C) })
        }
    })
}
