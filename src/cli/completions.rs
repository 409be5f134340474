//! `brink completions SHELL` and `brink man`: shell completions and a man
//! page generated from the clap definitions, so they never drift from
//! `--help`; and a "did you mean" for mistyped subcommands.

use std::io::Write;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::{CliResult, Failure};

/// Print a shell completion script.
///
/// Install it where your shell looks for completions, e.g.
///   brink completions bash > ~/.local/share/bash-completion/completions/brink
///   brink completions zsh > ~/.zfunc/_brink      (with fpath+=~/.zfunc)
///   brink completions fish > ~/.config/fish/completions/brink.fish
///
/// Example: brink completions bash
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    shell: clap_complete::Shell,
}

/// Print the man page (roff) of brink and its subcommands.
///
/// Example: brink man > brink.1 && man ./brink.1
#[derive(clap::Args)]
pub struct ManArgs {}

pub fn completions(args: CompletionsArgs, mut cmd: clap::Command) -> CliResult {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "brink", &mut out);
    std::io::stdout().write_all(&out).map_err(|e| Failure::Other(e.into()))
}

pub fn man(_: ManArgs, cmd: clap::Command) -> CliResult {
    let mut out = Vec::new();
    // NAME is one line; the full description goes under DESCRIPTION.
    let long = cmd.get_about().cloned().unwrap_or_default();
    let cmd = cmd.name("brink").about("a scenario negotiation simulator").long_about(long);
    clap_mangen::Man::new(cmd.clone()).render(&mut out).map_err(|e| Failure::Other(e.into()))?;
    // One section per subcommand after the main page, as git and cargo do.
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let sub = sub.clone().bin_name(format!("brink {}", sub.get_name()));
        out.extend_from_slice(b"\n");
        let page = clap_mangen::Man::new(sub);
        page.render_name_section(&mut out).map_err(|e| Failure::Other(e.into()))?;
        page.render_synopsis_section(&mut out).map_err(|e| Failure::Other(e.into()))?;
        page.render_description_section(&mut out).map_err(|e| Failure::Other(e.into()))?;
        page.render_options_section(&mut out).map_err(|e| Failure::Other(e.into()))?;
    }
    std::io::stdout().write_all(&out).map_err(|e| Failure::Other(e.into()))
}

/// A tip for a mistyped subcommand that clap found nothing for (clap's own
/// similarity test misses transpositions such as `rnu` for `run`): the
/// subcommands within two edits, transpositions counting as one.
pub fn suggestion(err: &clap::Error, cmd: &clap::Command) -> Option<String> {
    if err.kind() != ErrorKind::InvalidSubcommand || err.get(ContextKind::SuggestedSubcommand).is_some() {
        return None;
    }
    let Some(ContextValue::String(typed)) = err.get(ContextKind::InvalidSubcommand) else { return None };
    let names: Vec<&str> =
        cmd.get_subcommands().flat_map(|s| std::iter::once(s.get_name()).chain(s.get_all_aliases())).collect();
    let best = names.iter().map(|n| (edit_distance(typed, n), *n)).filter(|(d, n)| *d <= 2 && *d < n.len()).min()?;
    Some(format!("\n  tip: a similar subcommand exists: '{}'", best.1))
}

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and transpositions of neighbours each cost 1.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn issue_16_transpositions_are_one_edit() {
        assert_eq!(super::edit_distance("rnu", "run"), 1);
        assert_eq!(super::edit_distance("sovle", "solve"), 1);
        assert_eq!(super::edit_distance("xyz", "run"), 3);
    }
}
