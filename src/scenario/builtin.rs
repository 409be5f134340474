//! The shipped scenarios, embedded in the binary so that `brink run` works
//! from anywhere, with no files at hand.

/// A scenario shipped with brink.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub name: &'static str,
    pub text: &'static str,
}

pub const BUILTIN: &[Builtin] = &[
    Builtin { name: "geneva-2022", text: include_str!("../../scenarios/geneva-2022.toml") },
    Builtin { name: "rubinstein", text: include_str!("../../scenarios/rubinstein.toml") },
    Builtin { name: "logrolling", text: include_str!("../../scenarios/logrolling.toml") },
    Builtin { name: "fearon", text: include_str!("../../scenarios/fearon.toml") },
    Builtin { name: "commitment", text: include_str!("../../scenarios/commitment.toml") },
    Builtin { name: "information", text: include_str!("../../scenarios/information.toml") },
    Builtin { name: "red-lines", text: include_str!("../../scenarios/red-lines.toml") },
    Builtin { name: "audience", text: include_str!("../../scenarios/audience.toml") },
];

/// The built-in scenario called `name` (with or without `.toml`).
pub fn find_builtin(name: &str) -> Option<&'static Builtin> {
    let name = name.strip_suffix(".toml").unwrap_or(name);
    BUILTIN.iter().find(|b| b.name == name)
}
