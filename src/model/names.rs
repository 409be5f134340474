//! Human names for scenario numbers: "Russia's discount factor" rather than
//! `actors.russia.discount`, for plot axes and reports.

use super::Model;

impl Model {
    /// "Russia's", "United States'": an actor's name as a possessive.
    pub fn possessive(&self, a: super::ActorIdx) -> String {
        let name = &self.actors[a].name;
        if name.ends_with('s') { format!("{name}'") } else { format!("{name}'s") }
    }

    /// A human name for the number at TOML path `path`; the path itself
    /// when it names nothing this function knows.
    pub fn param_name(&self, path: &str) -> String {
        let parts: Vec<&str> = path.split('.').collect();
        let whose = |id: &str| self.actor_index(id).map(|a| self.possessive(a));
        let indexed = |s: &str, key: &str| -> Option<usize> {
            s.strip_prefix(key)?.strip_prefix('[')?.strip_suffix(']')?.parse().ok()
        };
        let issue_name = |id: &str| self.issues.iter().find(|i| i.id == id).map_or(id.to_string(), |i| i.name.clone());
        // A ladder step's numbers: `actors.usa.escalation[1].hazard`.
        let step_name = |id: &str, step: &str| -> Option<String> {
            let k = indexed(step, "escalation")?;
            let a = self.actor_index(id)?;
            Some(format!("“{}”", self.ladders[a].steps.get(k)?.name))
        };
        let outcome_name = |id: &str| self.disagreement.iter().find(|d| d.id == id).map(|d| d.name.clone());
        let named = match parts.as_slice() {
            ["scenario", "breakdown_hazard"] => Some("breakdown hazard (per round without a deal)".to_string()),
            ["scenario", "rounds"] => Some("number of rounds (deadline)".to_string()),
            ["actors", id, rest @ ..] => whose(id).and_then(|w| {
                let what = match rest {
                    ["discount"] => "discount factor".to_string(),
                    ["cost_per_round"] => "cost per round".to_string(),
                    ["reservation"] => "reservation value".to_string(),
                    ["walk_away"] => "walk-away floor".to_string(),
                    ["strategy", "beta"] => "concession exponent (beta)".to_string(),
                    ["acceptance", "threshold"] => "acceptance threshold".to_string(),
                    ["issues", issue, "weight"] => format!("weight on {}", issue_name(issue)),
                    [issue_key, issue, v] if *issue_key == "issues" && v.starts_with("values") => {
                        format!("values of {}", issue_name(issue))
                    }
                    [step, "cost"] => format!("cost per round at {}", step_name(id, step)?),
                    [step, "cost_to_other"] => format!("cost to the other side per round at {}", step_name(id, step)?),
                    [step, "hazard"] => format!("added breakdown hazard at {}", step_name(id, step)?),
                    [step, "payoff_shift", outcome, who] => format!(
                        "{}: shift of {} payoff if {}",
                        step_name(id, step)?,
                        whose(who)?,
                        outcome_name(outcome)?
                    ),
                    _ => return None,
                };
                Some(format!("{w} {what}"))
            }),
            [d, "payoffs", id] => indexed(d, "disagreement").and_then(|k| {
                let outcome = self.disagreement.get(k)?;
                Some(format!("{} payoff if: {}", whose(id)?, outcome.name))
            }),
            // A later period of the power shift: `power_shift.periods[0].payoffs.escalation.russia`.
            // Short enough that plot labels keep the outcome's name.
            ["power_shift", period, "payoffs", outcome, id] => indexed(period, "periods").and_then(|k| {
                let periods = self.power.as_ref().map_or(0, |p| p.periods.len());
                let which = if periods > 1 { format!(" (period {})", k + 1) } else { String::new() };
                Some(format!("{} post-shift payoff{which} if: {}", whose(id)?, outcome_name(outcome)?))
            }),
            ["power_shift", "discount"] => Some("discount of the periods after a deal (power shift)".to_string()),
            ["power_shift", "enforcement"] => Some("probability that a deal binds (power shift)".to_string()),
            [r, "bonus", id] => indexed(r, "rules").and_then(|k| {
                let rule = self.rules.get(k)?;
                Some(format!("{} bonus: {}", whose(id)?, rule.name))
            }),
            _ => None,
        };
        named.unwrap_or_else(|| path.to_string())
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario;

    #[test]
    fn geneva_numbers_get_human_names() {
        let b = scenario::find_builtin("geneva-2022").unwrap();
        let (_, m) = scenario::load_bytes_adjusted("g", b.text.as_bytes(), &Default::default()).unwrap();
        assert_eq!(m.param_name("actors.russia.discount"), "Russia's discount factor");
        assert_eq!(
            m.param_name("power_shift.periods[0].payoffs.escalation.russia"),
            "Russia's post-shift payoff if: Limited incursion in Donbas"
        );
        assert_eq!(m.param_name("actors.usa.strategy.beta"), "United States' concession exponent (beta)");
        assert_eq!(m.param_name("actors.russia.issues.nato.weight"), "Russia's weight on NATO enlargement");
        assert_eq!(
            m.param_name("disagreement[2].payoffs.russia"),
            "Russia's payoff if: Full-scale invasion and a sanctions war"
        );
        assert_eq!(m.param_name("scenario.breakdown_hazard"), "breakdown hazard (per round without a deal)");
        assert_eq!(m.param_name("no.such.path"), "no.such.path");
        // Ladder steps (issue 13: plots showed the raw paths).
        assert_eq!(
            m.param_name("actors.russia.escalation[2].hazard"),
            "Russia's added breakdown hazard at “Limited incursion”"
        );
        assert_eq!(
            m.param_name("actors.russia.escalation[0].cost"),
            "Russia's cost per round at “Reinforce the border”"
        );
        assert_eq!(m.param_name("actors.russia.escalation[9].cost"), "actors.russia.escalation[9].cost");
    }
}
