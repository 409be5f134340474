//! The text format of a player's moves: read line by line by `brink play`
//! when stdin is not a terminal (scripted classroom demos, tests) and typed
//! at its `>` prompt, saved in its transcripts, replayed by `brink class`,
//! and stored by the classroom. Text in, engine moves out: no I/O.
//!
//! One move per line; blank lines and lines starting with `#` are skipped:
//!
//! ```text
//! accept                                   accept the offer on the table
//! offer nato=open-door posture=no-change sanctions=current troops=withdraw
//! offer open-door no-change current withdraw    (the same, options in issue order)
//! offer share=0.71                         a numeric issue: the option's label or number
//! reject                                   at the last round only: let the deadline pass
//! walk                                     walk away from the talks
//! escalate                                 climb your escalation ladder one step with your next rejection
//! step-down                                come down one step (reversible ladders only), likewise
//! hold                                     take back a chosen ladder move
//! help                                     show this list
//! ```

use super::{LadderChoice, Move};
use crate::model::Model;

/// A line of input.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Move(Move),
    /// A move on the player's ladder, made with their next rejection.
    Ladder(LadderChoice),
    Help,
}

/// The format in a few lines, for `help` and for error messages.
pub fn help(model: &Model) -> String {
    let example: Vec<String> = model.issues.iter().map(|i| format!("{}={}", i.id, i.options[0])).collect();
    let mut s = String::from("Moves (one per line):\n");
    s.push_str("  accept                 accept the offer on the table\n");
    s.push_str(&format!("  offer {}\n", example.join(" ")));
    s.push_str(
        "                         reject and propose: one option per issue (ISSUE=OPTION, or options in issue order)\n",
    );
    s.push_str("  reject                 at the last round only: let the deadline pass\n");
    s.push_str("  walk                   walk away from the talks (the conflict lottery decides)\n");
    if model.has_ladders() {
        s.push_str(
            "  escalate               climb your escalation ladder one step, then reject with your counter-offer\n",
        );
        s.push_str("  step-down              come down one step (reversible ladders only), then reject likewise\n");
    }
    s.push_str("  help                   show this list\n");
    s.push_str("Issues and options:\n");
    for i in &model.issues {
        s.push_str(&format!("  {:<12} {}\n", i.id, i.options.join(", ")));
    }
    s
}

/// Reads one line: `Ok(None)` for a blank line or a comment.
pub fn parse(model: &Model, line: &str) -> Result<Option<Command>, String> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let mut words = line.split_whitespace();
    let verb = words.next().unwrap_or_default().to_ascii_lowercase();
    let rest: Vec<&str> = words.collect();
    let bare = |cmd: Command| {
        if rest.is_empty() || (verb == "walk" && rest == ["away"]) {
            Ok(Some(cmd))
        } else {
            Err(format!("`{verb}` takes nothing after it, found `{}`", rest.join(" ")))
        }
    };
    match verb.as_str() {
        "accept" => bare(Command::Move(Move::Accept)),
        "walk" | "walk-away" | "walkaway" => bare(Command::Move(Move::WalkAway)),
        "reject" => bare(Command::Move(Move::Reject)),
        "help" | "?" => bare(Command::Help),
        "hold" => bare(Command::Ladder(LadderChoice::Hold)),
        "escalate" => bare(Command::Ladder(LadderChoice::Escalate)),
        "step-down" | "stepdown" | "deescalate" | "de-escalate" => bare(Command::Ladder(LadderChoice::StepDown)),
        "offer" => outcome(model, &rest).map(|w| Some(Command::Move(Move::Offer(w)))),
        other => {
            Err(format!("unknown move `{other}`: type accept, offer ..., reject, walk, escalate, step-down, or help"))
        }
    }
}

/// The outcome named by `ISSUE=OPTION` words, or by options in issue order.
pub fn outcome(model: &Model, words: &[&str]) -> Result<u32, String> {
    let n = model.issues.len();
    let mut chosen: Vec<Option<u32>> = vec![None; n];
    let positional = words.iter().all(|w| !w.contains('='));
    if positional && words.len() != n {
        let ids: Vec<&str> = model.issues.iter().map(|i| i.id.as_str()).collect();
        return Err(format!(
            "an offer needs one option for each of the {n} issues ({}), found {}",
            ids.join(", "),
            words.len()
        ));
    }
    for (k, word) in words.iter().enumerate() {
        let (i, option) = match word.split_once('=') {
            Some((issue, option)) => {
                let Some(i) = model.issues.iter().position(|x| x.id.eq_ignore_ascii_case(issue)) else {
                    let ids: Vec<&str> = model.issues.iter().map(|i| i.id.as_str()).collect();
                    return Err(format!("no issue `{issue}` (issues: {})", ids.join(", ")));
                };
                (i, option)
            }
            None if positional => (k, *word),
            None => {
                return Err(format!("`{word}`: write ISSUE=OPTION for every issue, or only options in issue order"));
            }
        };
        if chosen[i].is_some() {
            return Err(format!("issue `{}` is given twice", model.issues[i].id));
        }
        chosen[i] = Some(option_index(model, i, option)?);
    }
    let missing: Vec<String> = model
        .issues
        .iter()
        .zip(&chosen)
        .filter(|(_, c)| c.is_none())
        .map(|(i, _)| format!("{} ({})", i.id, i.options.join(", ")))
        .collect();
    if !missing.is_empty() {
        return Err(format!("the offer leaves out: {}", missing.join("; ")));
    }
    let options: Vec<u32> = chosen.into_iter().map(|c| c.unwrap_or(0)).collect();
    Ok(model.space.outcome_of(&options))
}

/// An option of issue `i` by its label (any case) or, for a numeric issue,
/// by its number.
fn option_index(model: &Model, i: usize, word: &str) -> Result<u32, String> {
    let issue = &model.issues[i];
    if let Some(k) = issue.options.iter().position(|o| o.eq_ignore_ascii_case(word)) {
        return Ok(k as u32);
    }
    if let (Some(numbers), Ok(x)) = (&issue.numbers, word.parse::<f64>())
        && let Some(k) = numbers.iter().position(|&y| (y - x).abs() <= 1e-9 * y.abs().max(1.0))
    {
        return Ok(k as u32);
    }
    let shown = if issue.options.len() > 12 {
        format!(
            "{}, ..., {} ({} options)",
            issue.options[..3].join(", "),
            issue.options[issue.options.len() - 1],
            issue.options.len()
        )
    } else {
        issue.options.join(", ")
    };
    Err(format!("`{word}` is not an option of issue `{}` (options: {shown})", issue.id))
}

/// The text-format line for a ladder move, as saved in transcripts.
pub fn ladder_line(choice: LadderChoice) -> String {
    match choice {
        LadderChoice::Hold => "hold".into(),
        LadderChoice::Escalate => "escalate".into(),
        LadderChoice::StepDown => "step-down".into(),
    }
}

/// The text-format line for a move, as saved in transcripts.
pub fn line(model: &Model, mv: Move) -> String {
    match mv {
        Move::Accept => "accept".into(),
        Move::WalkAway => "walk".into(),
        Move::Reject => "reject".into(),
        Move::Offer(w) => {
            let parts: Vec<String> = model
                .issues
                .iter()
                .enumerate()
                .map(|(i, issue)| format!("{}={}", issue.id, issue.options[model.option_of(w, i) as usize]))
                .collect();
            format!("offer {}", parts.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::scenario::geneva_for_tests as geneva;

    #[test]
    fn offers_by_name_and_by_position_agree_and_round_trip() {
        let m = geneva();
        let a = parse(&m, "offer nato=moratorium posture=no-change sanctions=freeze troops=withdraw").unwrap();
        let b = parse(&m, "  OFFER moratorium no-change freeze withdraw ").unwrap();
        assert_eq!(a, b);
        let Some(Command::Move(mv)) = a else { panic!("{a:?}") };
        assert_eq!(parse(&m, &line(&m, mv)).unwrap(), Some(Command::Move(mv)));
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        let m = geneva();
        let err = |l: &str| parse(&m, l).unwrap_err();
        assert!(err("offer nato=moratorium").contains("leaves out: posture"), "{}", err("offer nato=moratorium"));
        assert!(err("offer nato=never posture=no-change sanctions=freeze troops=withdraw").contains("not an option"));
        assert!(err("offer nado=moratorium").contains("no issue `nado`"));
        assert!(err("offer a b").contains("one option for each of the 4 issues"));
        assert!(err("dance").contains("unknown move"));
        assert!(err("accept now").contains("takes nothing"));
        assert_eq!(parse(&m, "# a comment").unwrap(), None);
        assert_eq!(parse(&m, "walk away").unwrap(), Some(Command::Move(Move::WalkAway)));
        assert_eq!(parse(&m, "Escalate").unwrap(), Some(Command::Ladder(LadderChoice::Escalate)));
        assert_eq!(parse(&m, "step-down").unwrap(), Some(Command::Ladder(LadderChoice::StepDown)));
        assert!(err("escalate twice").contains("takes nothing"));
    }
}
