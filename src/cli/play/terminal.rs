//! The interactive mode of `brink play`: menus in the terminal (dialoguer).
//! Arrow keys choose, Enter confirms; Esc or q at a menu asks whether to
//! walk away.

use brink::engine::{Awaiting, Move, Session};
use brink::report::fmt3;
use brink::report::play::contributions;
use dialoguer::console::Term;
use dialoguer::{Confirm, Select};

use super::moves::Command;
use crate::cli::Failure;

fn io(e: dialoguer::Error) -> Failure {
    Failure::Other(anyhow::anyhow!("cannot read from the terminal: {e}"))
}

/// Asks for the player's next move until they settle on one.
pub fn next_move(term: &Term, s: &Session<'_>) -> Result<Command, Failure> {
    loop {
        let mut items: Vec<(&str, Option<Move>)> = Vec::new();
        match s.awaiting() {
            Awaiting::Opening => items.push(("Make an offer", None)),
            Awaiting::Answer { .. } => {
                items.push(("Accept the offer", Some(Move::Accept)));
                if s.is_last_round() {
                    items.push(("Reject it (last round: the talks end without a deal)", Some(Move::Reject)));
                } else {
                    items.push(("Reject it and make a counter-offer", None));
                }
            }
            Awaiting::Over => return Err(Failure::Other(anyhow::anyhow!("the talks are over"))),
        }
        items.push(("Walk away from the talks", Some(Move::WalkAway)));
        let labels: Vec<&str> = items.iter().map(|(l, _)| *l).collect();
        let choice = Select::new()
            .with_prompt("Your move (arrows and Enter; Esc or q to leave)")
            .items(&labels)
            .default(0)
            .interact_on_opt(term)
            .map_err(io)?;
        let mv = match choice {
            None => {
                if confirm_walk_away(term)? {
                    Move::WalkAway
                } else {
                    continue;
                }
            }
            Some(k) => match items[k].1 {
                Some(Move::WalkAway) => {
                    if confirm_walk_away(term)? {
                        Move::WalkAway
                    } else {
                        continue;
                    }
                }
                Some(mv) => mv,
                None => match build_offer(term, s)? {
                    Some(w) => Move::Offer(w),
                    None => continue,
                },
            },
        };
        return Ok(Command::Move(mv));
    }
}

fn confirm_walk_away(term: &Term) -> Result<bool, Failure> {
    Confirm::new()
        .with_prompt("Walk away? The talks end and the conflict lottery decides")
        .default(false)
        .interact_on_opt(term)
        .map(|c| c.unwrap_or(false))
        .map_err(io)
}

/// An offer built one issue at a time, each option shown with its value to
/// the player and the running total; `None` if the player cancels.
fn build_offer(term: &Term, s: &Session<'_>) -> Result<Option<u32>, Failure> {
    let m = s.model();
    let me = s.player();
    let c = contributions(m, me, &s.setup().params);
    let mut options = Vec::with_capacity(m.issues.len());
    let mut running = 0.0;
    for (i, issue) in m.issues.iter().enumerate() {
        let width = issue.options.iter().map(|o| o.len()).max().unwrap_or(0);
        let items: Vec<String> = issue
            .options
            .iter()
            .zip(&c[i])
            .map(|(o, v)| {
                format!("{o:<width$}  {:>7} to you   (offer so far: {})", format!("{v:+.3}"), fmt3(running + v))
            })
            .collect();
        let prompt = format!(
            "{} ({}/{}): pick an option — your offer so far is worth {} (Esc to cancel)",
            issue.name,
            i + 1,
            m.issues.len(),
            fmt3(running)
        );
        let Some(k) = Select::new().with_prompt(prompt).items(&items).default(0).interact_on_opt(term).map_err(io)?
        else {
            return Ok(None);
        };
        running += c[i][k];
        options.push(k as u32);
    }
    let w = m.space.outcome_of(&options);
    let mine = s.setup().utilities(m, me)[w as usize];
    let bonus = mine - running;
    let mut summary = format!("Your offer: {}\n  worth {} to you", m.describe_outcome(w), fmt3(mine));
    if bonus.abs() > 1e-12 {
        summary.push_str(&format!(" (options {}, payoff rules {:+.3})", fmt3(running), bonus));
    }
    summary.push_str(&format!(
        "; about {} to {} as the scenario's means put it",
        fmt3(m.mean_utilities[1 - me][w as usize]),
        m.actors[1 - me].id
    ));
    term.write_line(&summary).map_err(|e| Failure::Other(e.into()))?;
    let send = Confirm::new().with_prompt("Send this offer?").default(true).interact_on_opt(term).map_err(io)?;
    Ok(if send == Some(true) { Some(w) } else { None })
}
