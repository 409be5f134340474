//! What `brink play` shows a player: the briefing (what they know and do not
//! know), the table each round, hints from theory, the end with the
//! simulation beside it, and the saved transcript (`brink trace --json`
//! format plus a `play` section).

pub mod known;

use serde_json::{Value, json};

use super::fmt3;
use super::trace::{self, TraceView};
use crate::analysis::bargaining::ParetoSet;
use crate::analysis::benchmarks::Benchmarks;
use crate::analysis::classroom::Standing;
use crate::analysis::shares::Share;
use crate::engine::{Awaiting, End, Ending, Event, LadderChoice, Response, Session, VerdictBasis};
use crate::model::{ActorIdx, Model};
pub use known::owner;

/// The version tag of the `play` section of a saved transcript.
pub const PLAY_FORMAT: &str = "brink-play-1";

/// Whether `path` holds a transcript `brink play` wrote (a JSON object whose
/// `play.format` is a brink-play format): the only file `play --save
/// --force` may replace.
pub fn is_transcript(path: &std::path::Path) -> bool {
    let Ok(bytes) = crate::limits::read_capped(path, crate::limits::MAX_TRANSCRIPT_BYTES) else { return false };
    let Ok(v) = serde_json::from_slice::<Value>(&bytes) else { return false };
    v.pointer("/play/format").and_then(Value::as_str).is_some_and(|f| f.starts_with("brink-play-"))
}

/// Each option's contribution `W_i V_i(o)` to actor `a`'s utility under the
/// parameter vector `p` (weights normalised as the engine does). Rule bonuses
/// come on top, for whole outcomes.
pub fn contributions(model: &Model, a: ActorIdx, p: &[f64]) -> Vec<Vec<f64>> {
    let actor = &model.actors[a];
    let total: f64 = actor.weights.iter().map(|&w| p[w as usize]).sum();
    let n = model.issues.len() as f64;
    actor
        .weights
        .iter()
        .zip(&actor.values)
        .map(|(&w, values)| {
            let weight = if total > 0.0 { p[w as usize] / total } else { 1.0 / n };
            values.iter().map(|&v| weight * p[v as usize]).collect()
        })
        .collect()
}

fn percent(x: f64) -> String {
    if x.is_finite() { format!("{:.1}%", 100.0 * x) } else { "n/a".into() }
}

fn share_text(s: &Share) -> String {
    match (s.share, s.ci95) {
        (Some(p), Some([lo, hi])) => format!("{} (95% CI {}–{})", percent(p), percent(lo), percent(hi)),
        _ => "n/a".into(),
    }
}

/// What the player reads before round 0.
pub fn briefing(s: &Session<'_>) -> String {
    let m = s.model();
    let setup = s.setup();
    let me = s.player();
    let them = 1 - me;
    let side = s.side(me);
    let mut out = String::new();
    out.push_str(&format!("{}\n{}\n\n", m.name, m.description));
    out.push_str(&format!(
        "You play {} ({}). {} ({}) is played by the computer: {}.\n",
        m.actors[me].name,
        m.actors[me].id,
        m.actors[them].name,
        m.actors[them].id,
        m.actors[them].strategy.describe(&m.params.means)
    ));
    let open = m.talks_open;
    let first = if m.proposer_at(open) == me { "You make" } else { "They make" };
    if open > 0 {
        out.push_str(&format!(
            "The talks open at round {open}: rounds 0 to {} pass without offers (time, costs and the breakdown risk run, and each side's escalation ladder moves by the scenario's rule, yours too). ",
            open - 1
        ));
    }
    out.push_str(&format!(
        "{first} the first offer{}. Offers alternate, one per round, up to round {}; after round {} the talks end without a deal.\n\n",
        if open > 0 { format!(" at round {open}") } else { String::new() },
        m.rounds - 1,
        m.rounds - 1
    ));
    out.push_str("What you know (your own numbers, drawn for this game):\n");
    out.push_str(&format!(
        "  your reservation value: {} (what you expect if the talks fail)\n",
        fmt3(known::known_reservation(s))
    ));
    out.push_str(&format!(
        "  patience: a deal one round later is worth {} times as much (discount factor), minus {} per round of delay\n",
        fmt3(side.discount),
        fmt3(side.cost)
    ));
    match side.walk_away {
        Some(crate::engine::WalkRule::Floor(w)) => out.push_str(&format!(
            "  the agent in your seat would walk away from an offer worth less than {} when nothing better is in reach\n",
            fmt3(w)
        )),
        Some(crate::engine::WalkRule::Auto) => out.push_str(&format!(
            "  the agent in your seat would walk away when conflict (worth {} to it) looks better than talking\n",
            fmt3(known::known_reservation(s))
        )),
        None => {}
    }
    out.push_str("  what each option is worth to you (weights times values; a deal adds up one option per issue):\n");
    let c = contributions(m, me, &setup.params);
    for (i, issue) in m.issues.iter().enumerate() {
        let opts: Vec<String> = issue.options.iter().zip(&c[i]).map(|(o, v)| format!("{o} {}", fmt3(*v))).collect();
        out.push_str(&format!("    {:<12} {}\n", issue.id, opts.join(" | ")));
    }
    let bonuses: Vec<String> = m
        .rules
        .iter()
        .filter(|r| setup.params[r.bonus[me] as usize] != 0.0)
        .map(|r| format!("{} ({:+.3})", r.name, setup.params[r.bonus[me] as usize]))
        .collect();
    if !bonuses.is_empty() {
        out.push_str(&format!("  payoff rules on top of that: {}\n", bonuses.join("; ")));
    }
    if let Some(shift) = &m.power {
        // The option values above are what a deal gives while it holds; a
        // deal's worth over its life is what the offers show (docs/model.md §8).
        let later: Vec<String> = (0..shift.periods.len())
            .map(|k| format!("period {}: {}", k + 1, fmt3(shift.war_value(k, me, &setup.params))))
            .collect();
        out.push_str(&format!(
            "  power shifts after a deal: a deal binds with probability {}; otherwise the side the shift favours revises it. \
             Each offer below is worth its value over the deal's life, not the sum above. War would then be worth to you: {}\n",
            fmt3(setup.params[shift.enforcement as usize]),
            later.join(", ")
        ));
    }
    for (a, lines) in m.red_lines.iter().enumerate() {
        for (i, line) in lines.iter().enumerate() {
            let issue = &m.issues[line.issue].id;
            if a == me {
                let real = setup.red_real[me] & (1 << i) != 0;
                out.push_str(&format!(
                    "  your red line on {issue}: at least {}; {}\n",
                    line.at,
                    if real {
                        "it is real this game: you cannot accept anything below it"
                    } else {
                        "it is a bluff this game: you may accept below it, but that shows the other side it was a bluff"
                    }
                ));
            } else {
                // Known at its mean, unless types are common knowledge.
                let what = if m.types_known {
                    let real = setup.red_real[a] & (1 << i) != 0;
                    (if real { "real this game" } else { "a bluff this game" }).to_string()
                } else {
                    format!("real with probability {}", fmt3(m.params.means[line.probability_real as usize]))
                };
                out.push_str(&format!("  {}'s red line on {issue}: at least {}; {what}\n", m.actors[a].name, line.at));
            }
        }
    }
    out.push_str("  if the talks fail, the conflict lottery decides:");
    for d in &m.disagreement {
        out.push_str(&format!(
            " {} p={} (you get {});",
            d.id,
            d.probability,
            fmt3(setup.params[d.payoff[me] as usize])
        ));
    }
    out.push('\n');
    let common: Vec<String> = m
        .params
        .uncertain
        .iter()
        .filter(|u| owner(m, &u.path).is_none())
        .map(|u| format!("{} = {}", u.path, fmt3(setup.params[u.id as usize])))
        .collect();
    if !common.is_empty() {
        out.push_str(&format!("  drawn for this game and known to both sides: {}\n", common.join(", ")));
    }
    out.push_str(&format!(
        "\nWhat you do not know: {} own numbers. You know only their distributions, from the scenario:\n",
        possessive(&m.actors[them].name)
    ));
    let mut hidden = 0;
    for u in &m.params.uncertain {
        if owner(m, &u.path) == Some(them) {
            out.push_str(&format!("  {:<40} {}\n", u.path, u.distribution.describe()));
            hidden += 1;
        }
    }
    if hidden == 0 {
        out.push_str("  nothing: this scenario gives them no private numbers (complete information)\n");
    }
    out.push_str(&format!(
        "{} does not know your drawn numbers either: it models you with the scenario's means.\n",
        m.actors[them].name
    ));
    out
}

/// The trace view of the game so far. `ending` is the game's end once it
/// has one; before that any value (the event lines do not read it).
pub fn trace_view<'a>(s: &'a Session<'_>, ending: &'a Ending, seed: u64, run: u64) -> TraceView<'a> {
    TraceView {
        causes: None,
        model: s.model(),
        setup: s.setup(),
        transcript: s.transcript(),
        ending,
        seed,
        run,
        player: Some(s.player()),
    }
}

/// The events as the player sees them during the game: the moves, and
/// what each offer is worth to the player (see [`known`]).
pub fn events(s: &Session<'_>, events: &[Event]) -> String {
    known::events_text(s, events)
}

/// What the player reads at a decision: the events since the last one, the
/// table, and with `--hints` the theory.
pub fn turn(s: &Session<'_>, events: &[Event], theory: Option<&Benchmarks>) -> String {
    let mut out = self::events(s, events);
    out.push_str(&status(s));
    if let Some(b) = theory {
        out.push_str(&hints(s, b));
    }
    out
}

/// After the game: the other side's numbers, drawn for this game and hidden
/// until now, and the whole game as `brink trace` tells it, with the agent's
/// reasons.
pub fn debrief(s: &Session<'_>, ending: &Ending) -> String {
    let m = s.model();
    let me = s.player();
    let them = 1 - me;
    let mut out = format!(
        "\nDebrief: what you could not see during the game\n  {} numbers, drawn for this game:\n",
        possessive(&m.actors[them].name)
    );
    let unknown = known::unknown_params(m, me);
    for u in m.params.uncertain.iter().filter(|u| unknown.contains(&u.id)) {
        out.push_str(&format!("    {:<40} {}\n", u.path, fmt3(s.setup().params[u.id as usize])));
    }
    if unknown.is_empty() {
        out.push_str("    none: this scenario gives them no private numbers\n");
    }
    out.push_str(&format!(
        "  {} reservation value at the end: {}\n  The game with both sides' values and the agent's reasons (as `brink trace` shows it):\n",
        possessive(&m.actors[them].name),
        fmt3(s.side(them).reservation)
    ));
    let view = trace_view(s, ending, 0, 0);
    for line in trace::events_text(&view, &s.transcript().events).lines() {
        out.push_str(&format!("  {line}\n"));
    }
    out
}

/// "Russia's", "the United States'".
fn possessive(name: &str) -> String {
    if name.ends_with('s') { format!("{name}'") } else { format!("{name}'s") }
}

/// The table at the player's decision: round, offer and its worth, the
/// reservation value, the cost of delay so far and the breakdown risk.
pub fn status(s: &Session<'_>) -> String {
    let m = s.model();
    let setup = s.setup();
    let me = s.player();
    let them = 1 - me;
    // The ladders move reservation values: the session's copy, not the draw's.
    let side = s.side(me);
    let t = s.round();
    let mut out = String::new();
    let left = m.rounds - 1 - t;
    out.push_str(&format!(
        "\n── Round {t} of rounds 0–{} ({}) ──\n",
        m.rounds - 1,
        if left == 0 {
            "the LAST round: no counter-offer is possible".to_string()
        } else {
            format!("{left} more after this one")
        }
    ));
    let keep = side.discount.powi(t as i32);
    match s.awaiting() {
        Awaiting::Answer { offer } => {
            let u = setup.utilities(m, me)[offer as usize];
            out.push_str(&format!("{} offer: {}\n", possessive(&m.actors[them].name), m.describe_outcome(offer)));
            out.push_str(&format!(
                "  worth {} to you; accepted now it pays {} (after discounting and costs)\n",
                fmt3(u),
                fmt3(keep * u - side.cost * t as f64 - s.ladder().cost[me])
            ));
            if let Some(issue) = s.red_line_forbids(offer) {
                out.push_str(&format!(
                    "  it crosses your red line on {issue}, which is real: you cannot accept it (reject it or walk away)\n"
                ));
            }
        }
        Awaiting::Opening => out.push_str("No offer on the table yet: you open the talks.\n"),
        Awaiting::Over => {}
    }
    out.push_str(&format!(
        "  your reservation value: {} (if the talks fail now: {} after discounting and costs)\n",
        fmt3(known::known_reservation(s)),
        fmt3(keep * known::known_reservation(s) - side.cost * t as f64 - s.ladder().cost[me])
    ));
    out.push_str(&format!(
        "  delay so far: {t} round{}; any deal keeps {} of its value, minus {} in per-round costs\n",
        if t == 1 { "" } else { "s" },
        percent(keep),
        fmt3(side.cost * t as f64)
    ));
    out.push_str(&format!("  risk of an accidental breakdown: {}\n", breakdown_text(s)));
    if m.has_ladders() {
        out.push_str(&ladders_text(s));
    }
    out
}

/// Where a ladder stands, in words.
fn step_name(m: &Model, a: ActorIdx, k: u8) -> String {
    match k {
        0 => "the foot of the ladder (no step taken)".to_string(),
        k => format!("\"{}\"", m.ladders[a].steps[k as usize - 1].name),
    }
}

/// Both ladders at the player's decision: positions, what they cost and add
/// to the breakdown risk, and the player's chosen move.
fn ladders_text(s: &Session<'_>) -> String {
    let m = s.model();
    // The other side's ladder numbers at the scenario's means, if they are its own.
    let n = &known::known_ladder(s);
    let me = s.player();
    let pos = s.ladder().pos;
    let mut out = String::from("  Escalation ladders:\n");
    for a in [me, 1 - me] {
        let steps = m.ladders[a].steps.len();
        let who = if a == me { "you".to_string() } else { m.actors[a].name.clone() };
        if steps == 0 {
            out.push_str(&format!("    {who}: no ladder\n"));
            continue;
        }
        let k = pos[a] as usize;
        // Where the other side's ladder numbers are its private draws, the
        // player sees them at the scenario's means, and is told so.
        let prefix = format!("actors.{}.escalation", m.actors[a].id);
        let hidden =
            a != me && m.params.uncertain.iter().any(|u| u.path.starts_with(&prefix) && owner(m, &u.path) == Some(a));
        let means = if hidden { " (their own costs: the scenario's means)" } else { "" };
        out.push_str(&format!(
            "    {who}: at {} (step {k} of {steps}); costs {} a round to {}, {} to {}; adds {} to the breakdown risk{means}\n",
            step_name(m, a, pos[a]),
            fmt3(n.cost[a][k]),
            if a == me { "you" } else { "them" },
            fmt3(n.cost_other[a][k]),
            if a == me { m.actors[1 - me].name.as_str() } else { "you" },
            percent(n.hazard[a][k]),
        ));
    }
    out.push_str(&format!("    escalation costs you have borne so far: {}\n", fmt3(s.ladder().cost[me])));
    let here = pos[me];
    match s.ladder_choice() {
        LadderChoice::Escalate => out.push_str(&format!(
            "    your ladder move, made with your rejection: escalate to {}\n",
            step_name(m, me, here + 1)
        )),
        LadderChoice::StepDown => out.push_str(&format!(
            "    your ladder move, made with your rejection: step down to {}\n",
            step_name(m, me, here - 1)
        )),
        LadderChoice::Hold => {}
    }
    out
}

fn breakdown_text(s: &Session<'_>) -> String {
    let m = s.model();
    let drawn = s.setup().hazard;
    match m.params.uncertain.iter().find(|u| u.id == m.hazard) {
        Some(u) => format!(
            "after each rejected round the talks collapse by accident with probability {} (drawn for this game from {}; both sides know it)",
            percent(drawn),
            u.distribution.describe(),
        ),
        None if drawn > 0.0 => {
            format!("after each rejected round the talks collapse by accident with probability {}", percent(drawn))
        }
        None => "none: the talks never collapse by accident".to_string(),
    }
}

/// The theory beside the offer on the table (`--hints`).
pub fn hints(s: &Session<'_>, b: &Benchmarks) -> String {
    let m = s.model();
    let me = s.player();
    let them = 1 - me;
    let (u0, u1) = (&m.mean_utilities[0], &m.mean_utilities[1]);
    let at =
        |w: u32| format!("{} {}, {} {}", m.actors[0].id, fmt3(u0[w as usize]), m.actors[1].id, fmt3(u1[w as usize]));
    let mut out = String::from("  Hints (theory, with every number at the scenario's means):\n");
    if let Awaiting::Answer { offer } = s.awaiting() {
        out.push_str(&pareto_line(m, b, offer, "the offer"));
        out.push_str(&format!(
            "    {} models you at the means: it thinks this offer is worth {} to you, and that your reservation value is {}\n",
            m.actors[them].name,
            fmt3(m.mean_utilities[me][offer as usize]),
            fmt3(m.reservation(me, &m.params.means))
        ));
    }
    match b.nash.first() {
        Some(w) => out.push_str(&format!(
            "    Nash bargaining solution: {} ({}){}\n",
            m.describe_outcome(w),
            at(w),
            if b.nash.outcomes.len() > 1 { format!(", one of {} tied", b.nash.outcomes.len()) } else { String::new() }
        )),
        None => out.push_str("    Nash bargaining solution: none (no outcome beats disagreement for both)\n"),
    }
    let h = s.hint();
    let agent = m.actors[me].strategy.describe(&s.setup().params);
    let mut would = Vec::new();
    if let Some((r, v)) = h.answer {
        let verb = match r {
            Response::Accept => "accept",
            Response::Reject => "reject",
            Response::WalkAway => "walk away",
        };
        let why = match v.basis {
            VerdictBasis::Player => String::new(),
            VerdictBasis::RedLine => " (the offer crosses your red line)".to_string(),
            _ => format!(" (threshold {})", fmt3(v.threshold)),
        };
        would.push(format!("{verb}{why}"));
    }
    if let Some(step) = h.ladder {
        // The trace's sentence ("NAME escalates to X: why") as a verb phrase.
        let said = trace::ladder_text(m, me, step);
        let said = said.strip_prefix(&format!("{} ", m.actors[me].name)).unwrap_or(&said);
        let (what, why) = said.split_once(": ").unwrap_or((said, ""));
        let what = what.replacen("escalates", "escalate", 1).replacen("steps down", "step down", 1);
        would.push(format!("{what} on its ladder ({why})"));
    }
    if let Some(p) = h.offer {
        would.push(format!("offer {}", m.describe_outcome(p.outcome)));
    }
    if !would.is_empty() {
        out.push_str(&format!("    the scenario's agent in your seat ({agent}) would {}\n", would.join(", then ")));
    }
    out
}

/// Whether `offer` is Pareto-efficient (at the means), and if not, a
/// frontier outcome better for both: one indented line.
pub fn pareto_line(m: &Model, b: &Benchmarks, offer: u32, what: &str) -> String {
    let (u0, u1) = (&m.mean_utilities[0], &m.mean_utilities[1]);
    let at =
        |w: u32| format!("{} {}, {} {}", m.actors[0].id, fmt3(u0[w as usize]), m.actors[1].id, fmt3(u1[w as usize]));
    if ParetoSet::new(m.space.len(), &b.frontier).is_pareto_optimal(offer) {
        return format!("    {what} ({}) is on the Pareto frontier\n", at(offer));
    }
    let better = b
        .frontier
        .iter()
        .copied()
        .find(|&w| u0[w as usize] >= u0[offer as usize] && u1[w as usize] >= u1[offer as usize]);
    let mut out = format!("    {what} ({}) is NOT Pareto-efficient", at(offer));
    if let Some(w) = better {
        out.push_str(&format!(": {} ({}) is better for both", m.describe_outcome(w), at(w)));
    }
    out.push('\n');
    out
}

/// The end of the game: outcome and both payoffs.
pub fn ending_text(s: &Session<'_>, ending: &Ending) -> String {
    let m = s.model();
    let me = s.player();
    let mut out = String::from("\n");
    match ending.end {
        End::Agreement => out.push_str(&format!(
            "Outcome: AGREEMENT at round {} on {}\n",
            ending.round,
            m.describe_outcome(ending.agreement.unwrap_or(0))
        )),
        end => {
            let how = why_no_deal(m, me, end);
            let d = &m.disagreement[ending.lottery.unwrap_or(0) as usize];
            out.push_str(&format!(
                "Outcome: NO DEAL at round {} ({how}); the conflict lottery drew: {}\n",
                ending.round, d.name
            ));
        }
    }
    out.push_str(&format!(
        "Payoffs after discounting and costs: you ({}) {}, {} {}\n",
        m.actors[me].id,
        fmt3(ending.payoff[me]),
        m.actors[1 - me].id,
        fmt3(ending.payoff[1 - me])
    ));
    out
}

/// Why talks ended without a deal, as the player `me` is told it.
pub fn why_no_deal(m: &Model, me: ActorIdx, end: End) -> String {
    match end {
        End::Deadline => "the deadline passed".to_string(),
        End::Breakdown => "the talks broke down by accident (no one chose it)".to_string(),
        End::WalkAway(a) if a == me => "you walked away".to_string(),
        End::WalkAway(a) => format!("{} walked away", m.actors[a].name),
        End::Agreement => "the talks ended in a deal".to_string(),
    }
}

/// The game beside `runs` simulated talks of the same scenario and seed.
pub fn standing_text(s: &Session<'_>, st: &Standing, runs: u64, seed: u64) -> String {
    let m = s.model();
    let me = s.player();
    let mut out = format!(
        "\nBeside {} simulated talks (`brink run`, same scenario, seed {seed}), where the scenario's agent sat in your seat:\n",
        super::summary_table::group(runs)
    );
    let realised = s.ending().map_or(f64::NAN, |e| e.payoff[me]);
    out.push_str(&format!(
        "  your expected payoff {} beats {} of the agents' expected payoffs as {} (the agents' mean payoff: {})\n",
        fmt3(st.expected),
        st.percentile.map_or("n/a".into(), percent),
        m.actors[me].id,
        st.agents_mean.map_or("n/a".into(), fmt3)
    ));
    if (realised - st.expected).abs() > 5e-4 {
        out.push_str(&format!(
            "  (expected: the conflict lottery at its average, so that its luck decides nothing; realised, with the lottery's draw: {})\n",
            fmt3(realised)
        ));
    }
    out.push_str(&format!(
        "  simulated talks that ended this way ({}): {}\n",
        st.same_end.label,
        share_text(&st.same_end)
    ));
    if let Some(a) = &st.same_agreement {
        out.push_str(&format!("  simulated talks that agreed on exactly your terms: {}\n", share_text(a)));
    }
    out
}

/// Where the game came from, for the saved transcript.
pub struct PlayRecord<'a> {
    pub name: Option<&'a str>,
    pub scenario_file: &'a str,
    pub scenario_sha256: &'a str,
    pub scenario_text: &'a str,
    pub variants: &'a [String],
    pub overrides: &'a [String],
    /// The player's moves in the text format, in order: replaying them with
    /// the same scenario, seed and run gives the same game.
    pub moves: &'a [String],
}

/// The finished game in `brink trace --json` format, plus a `play` section.
pub fn transcript_json(s: &Session<'_>, ending: &Ending, seed: u64, run: u64, rec: &PlayRecord<'_>) -> Value {
    let mut v = trace::json(&trace_view(s, ending, seed, run));
    if let Value::Object(o) = &mut v {
        o.insert(
            "play".into(),
            json!({
                "format": PLAY_FORMAT,
                "brink_version": env!("CARGO_PKG_VERSION"),
                "player": s.model().actors[s.player()].id,
                "name": rec.name,
                "scenario_file": rec.scenario_file,
                "scenario_sha256": rec.scenario_sha256,
                "variants": rec.variants,
                "overrides": rec.overrides,
                "moves": rec.moves,
                "scenario_text": rec.scenario_text,
            }),
        );
    }
    v
}
