//! The interactive mode of `brink play`: menus in the terminal. Arrow keys
//! (or j/k) choose, Enter confirms; Esc, q or Ctrl-D at the move menu asks
//! whether to walk away, and cancels an offer being built. Confirmations
//! use dialoguer.

use brink::analysis::benchmarks::Benchmarks;
use brink::engine::{Awaiting, LadderChoice, Move, Session};
use brink::report::fmt3;
use brink::report::play::{contributions, pareto_line};
use dialoguer::Confirm;
use dialoguer::console::{Key, Term};

use crate::cli::Failure;
use brink::engine::moves::Command;

fn io(e: dialoguer::Error) -> Failure {
    Failure::Other(anyhow::anyhow!("cannot read from the terminal: {e}"))
}

/// What an entry of the move menu does.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    /// Play this move once the player confirms it: it ends the talks.
    Confirm(Move),
    /// Build an offer issue by issue (a counter-offer, or the opening).
    BuildOffer,
}

/// The move menu's entries, the safe one first: the highlighted default is
/// never a move that ends the talks, and every move that does asks first.
fn move_items(s: &Session<'_>) -> Vec<(&'static str, Action)> {
    let mut items = Vec::new();
    // An offer across the player's own real red line cannot be accepted:
    // the menu does not offer it (the turn's status says why).
    let may_accept = |offer: u32| s.red_line_forbids(offer).is_none();
    match s.awaiting() {
        Awaiting::Opening => items.push(("Make an offer", Action::BuildOffer)),
        Awaiting::Answer { offer } if s.is_last_round() => {
            if may_accept(offer) {
                items.push(("Accept the offer", Action::Confirm(Move::Accept)));
            }
            items.push(("Reject it (last round: the talks end without a deal)", Action::Confirm(Move::Reject)));
        }
        Awaiting::Answer { offer } => {
            items.push(("Reject it and make a counter-offer", Action::BuildOffer));
            if may_accept(offer) {
                items.push(("Accept the offer", Action::Confirm(Move::Accept)));
            }
        }
        Awaiting::Over => {}
    }
    items.push(("Walk away from the talks", Action::Confirm(Move::WalkAway)));
    items
}

/// Asks for the player's next move until they settle on one.
pub fn next_move(term: &Term, s: &Session<'_>, theory: Option<&Benchmarks>) -> Result<Command, Failure> {
    if s.awaiting() == Awaiting::Over {
        return Err(Failure::Other(anyhow::anyhow!("the talks are over")));
    }
    loop {
        let items = move_items(s);
        let ladder = ladder_items(s);
        let mut labels: Vec<String> = items.iter().map(|(l, _)| l.to_string()).collect();
        labels.extend(ladder.iter().map(|(l, _)| l.clone()));
        let choice = menu(term, "Your move (arrows and Enter; Esc, q or Ctrl-D to leave)", &labels)?;
        if let Some(k) = choice.and_then(|k| k.checked_sub(items.len())) {
            return Ok(Command::Ladder(ladder[k].1));
        }
        let action = match choice {
            None => Action::Confirm(Move::WalkAway),
            Some(k) => items[k].1,
        };
        let mv = match action {
            Action::Confirm(mv) => {
                if confirm(term, s, mv)? {
                    mv
                } else {
                    continue;
                }
            }
            Action::BuildOffer => match build_offer(term, s, theory)? {
                Some(w) => Move::Offer(w),
                None => continue,
            },
        };
        return Ok(Command::Move(mv));
    }
}

/// The ladder entries of the move menu: climb, come down, or take back a
/// chosen move, where the seat has a ladder and an offer is on the table.
fn ladder_items(s: &Session<'_>) -> Vec<(String, LadderChoice)> {
    let m = s.model();
    let me = s.player();
    let steps = &m.ladders[me].steps;
    if steps.is_empty() || !matches!(s.awaiting(), Awaiting::Answer { .. }) {
        return Vec::new();
    }
    let here = s.ladder().pos[me] as usize;
    let mut items = Vec::new();
    match s.ladder_choice() {
        LadderChoice::Hold => {
            if here < steps.len() {
                items.push((
                    format!("Escalate to \"{}\" (made with your rejection)", steps[here].name),
                    LadderChoice::Escalate,
                ));
            }
            if m.reversible && here > 0 {
                items.push(("Step down one step (made with your rejection)".to_string(), LadderChoice::StepDown));
            }
        }
        _ => items.push(("Take back the ladder move you chose".to_string(), LadderChoice::Hold)),
    }
    items
}

/// A menu of `items`; `None` when the player leaves it (Esc, q or Ctrl-D).
/// Written here rather than taken from dialoguer, whose menus ignore Ctrl-D.
fn menu<T: AsRef<str>>(term: &Term, prompt: &str, items: &[T]) -> Result<Option<usize>, Failure> {
    let fail = |e: std::io::Error| Failure::Other(anyhow::anyhow!("cannot use the terminal: {e}"));
    let draw = |sel: usize| -> std::io::Result<()> {
        term.write_line(&format!("{prompt}:"))?;
        for (k, item) in items.iter().enumerate() {
            term.write_line(&format!("{} {}", if k == sel { ">" } else { " " }, item.as_ref()))?;
        }
        term.flush()
    };
    let mut sel = 0;
    term.hide_cursor().map_err(fail)?;
    draw(sel).map_err(fail)?;
    let result = loop {
        let key = match term.read_key() {
            Ok(k) => k,
            Err(e) => break Err(fail(e)),
        };
        let n = items.len();
        match key {
            Key::ArrowDown | Key::Tab | Key::Char('j') => sel = (sel + 1) % n,
            Key::ArrowUp | Key::BackTab | Key::Char('k') => sel = (sel + n - 1) % n,
            Key::Enter | Key::Char(' ') => break Ok(Some(sel)),
            Key::Escape | Key::Char('q') | Key::Char('\u{4}') => break Ok(None),
            _ => continue,
        }
        if let Err(e) = term.clear_last_lines(n + 1).and_then(|_| draw(sel)) {
            break Err(fail(e));
        }
    };
    // Leave the choice on screen, as a log of the game.
    let _ = term.clear_last_lines(items.len() + 1);
    let chosen = match &result {
        Ok(Some(k)) => items[*k].as_ref().to_string(),
        _ => "(left)".to_string(),
    };
    let _ = term.write_line(&format!("{prompt}: {chosen}"));
    let _ = term.show_cursor();
    result
}

/// The question asked before a move that ends the talks.
fn confirmation(s: &Session<'_>, mv: Move) -> String {
    let m = s.model();
    match (mv, s.awaiting()) {
        (Move::Accept, Awaiting::Answer { offer }) => format!(
            "Accept {}? It is worth {} to you, and the talks end with this deal",
            m.describe_outcome(offer),
            fmt3(s.setup().utilities(m, s.player())[offer as usize])
        ),
        (Move::Reject, _) => {
            "Reject at the last round? The talks end without a deal and the conflict lottery decides".into()
        }
        _ => "Walk away? The talks end and the conflict lottery decides".into(),
    }
}

/// Asks before a move that ends the talks; the default is no.
fn confirm(term: &Term, s: &Session<'_>, mv: Move) -> Result<bool, Failure> {
    Confirm::new()
        .with_prompt(confirmation(s, mv))
        .default(false)
        .interact_on_opt(term)
        .map(|c| c.unwrap_or(false))
        .map_err(io)
}

/// An offer built one issue at a time, each option shown with its value to
/// the player and the running total; `None` if the player cancels.
fn build_offer(term: &Term, s: &Session<'_>, theory: Option<&Benchmarks>) -> Result<Option<u32>, Failure> {
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
        let Some(k) = menu(term, &prompt, &items)? else {
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
    if let Some(b) = theory {
        summary.push('\n');
        summary.push_str(pareto_line(m, b, w, "your offer").trim_end());
    }
    term.write_line(&summary).map_err(|e| Failure::Other(e.into()))?;
    let send = Confirm::new().with_prompt("Send this offer?").default(true).interact_on_opt(term).map_err(io)?;
    Ok(if send == Some(true) { Some(w) } else { None })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geneva() -> brink::model::Model {
        let text = brink::scenario::find_builtin("geneva-2022").unwrap().text;
        brink::scenario::load_bytes("g.toml", text.as_bytes()).map_err(|e| e.to_string()).unwrap().1
    }

    #[test]
    fn one_reflexive_enter_accepted_the_other_sides_demand() {
        let m = geneva();
        // Russia opens in geneva-2022: the US player answers its offer (in
        // run 1 no red line of the US forbids accepting it).
        let s = Session::start(&m, 0, 1, 0);
        let Awaiting::Answer { offer } = s.awaiting() else { panic!("Russia opens") };
        let items = move_items(&s);
        assert_eq!(items[0], ("Reject it and make a counter-offer", Action::BuildOffer), "the highlighted default");
        assert!(items.contains(&("Accept the offer", Action::Confirm(Move::Accept))));
        assert!(items.contains(&("Walk away from the talks", Action::Confirm(Move::WalkAway))));
        let question = confirmation(&s, Move::Accept);
        let worth = format!("{:.3}", s.setup().utilities(&m, 0)[offer as usize]);
        assert!(question.contains(&m.describe_outcome(offer)) && question.contains(&worth), "{question}");
        // The player opens: the only safe move is first.
        let s = Session::start(&m, 0, 4, 1);
        assert_eq!(move_items(&s)[0].1, Action::BuildOffer);
    }

    /// A student shown "Accept the offer" on an offer across their own real
    /// red line was refused only after confirming: the menu now leaves the
    /// acceptance out, and the turn says why.
    #[test]
    fn accepting_across_ones_own_real_red_line_was_offered_in_the_menu() {
        let m = geneva();
        // Run 4: the US red line on NATO is real, and Russia opens with a ban.
        let s = Session::start(&m, 0, 4, 0);
        assert!(
            s.red_line_forbids(match s.awaiting() {
                Awaiting::Answer { offer } => offer,
                _ => panic!("Russia opens"),
            })
            .is_some()
        );
        let items = move_items(&s);
        assert!(!items.iter().any(|(_, a)| *a == Action::Confirm(Move::Accept)), "{items:?}");
        assert!(items.contains(&("Walk away from the talks", Action::Confirm(Move::WalkAway))));
        let turn = brink::report::play::turn(&s, &[], None);
        assert!(turn.contains("it crosses your red line on nato, which is real: you cannot accept it"), "{turn}");
    }
}
