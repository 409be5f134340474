//! Reading `actors.<id>.audience_costs`: the cost of backing down from a
//! public demand (docs/model.md §11; Fearon 1994). Read after the actors,
//! whose values say which options lie below a demand.
//!
//! ```toml
//! [actors.russia.audience_costs]
//! backing_down = 0.08                  # a deal below the public demand costs this
//! public_demand = { nato = "ban" }     # per issue, the level demanded in public;
//!                                      # without it, the actor's opening offer
//! step_down = 0.05                     # each step down its escalation ladder costs this
//! ```

use toml::de::DeValue;

use super::red_lines::LEVEL_EPS;
use super::*;
use crate::model::{AudienceCosts, PublicDemand};

impl Compiler<'_> {
    /// Per actor, its audience costs (None: none).
    pub(super) fn audience_costs(
        &mut self,
        actors_v: &Value<'_>,
        ids: &[String],
        issues: &[Issue],
        actors: &[(Actor, Vec<ValueForm>)],
        has_ladder: [bool; 2],
        reversible: bool,
    ) -> Option<[Option<AudienceCosts>; 2]> {
        let DeValue::Table(table) = actors_v.get_ref() else { return None };
        let mut out = [None, None];
        let mut ok = true;
        for (a, id) in ids.iter().enumerate().take(2) {
            let Some((_, actor_v)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == id) else { continue };
            let DeValue::Table(actor) = actor_v.get_ref() else { continue };
            let Some((_, v)) = actor.iter().find(|(k, _)| k.get_ref().as_ref() == "audience_costs") else { continue };
            let path = join(&join("actors", id), "audience_costs");
            let Some(actor) = actors.get(a).map(|(actor, _)| actor) else { continue };
            if let DeValue::Table(costs) = v.get_ref()
                && let Some((_, s)) = costs.iter().find(|(k, _)| k.get_ref().as_ref() == "step_down")
            {
                let spath = join(&path, "step_down");
                if !has_ladder[a] {
                    self.r.error(s.span(), &spath, format!("`{id}` has no escalation ladder to step down")).help =
                        Some(format!("give [[actors.{id}.escalation]] steps, or remove step_down"));
                    ok = false;
                } else if !reversible {
                    self.r.error(s.span(), &spath, "no step is ever taken back: the ladders are not reversible").help =
                        Some("set reversible_escalation = true in [scenario], or remove step_down".into());
                    ok = false;
                }
            }
            match self.audience(v, &path, issues, actor) {
                Some(costs) => out[a] = Some(costs),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn audience(&mut self, v: &Value<'_>, path: &str, issues: &[Issue], actor: &Actor) -> Option<AudienceCosts> {
        let mut t = self.r.table(v, path)?;
        let step_down = t.get("step_down").map(|c| self.param(c, &join(path, "step_down"), NON_NEGATIVE));
        // A public demand and its cost come together; either may be absent
        // when the table only prices steps down the ladder.
        let (cost, demand) = match (t.get("backing_down"), t.get("public_demand"), &step_down) {
            (None, None, Some(_)) => (Some(self.fixed(0.0)), Some(Vec::new())),
            (cost_v, demand_v, _) => {
                let cost = match cost_v {
                    Some(c) => self.param(c, &join(path, "backing_down"), NON_NEGATIVE),
                    None => {
                        self.r
                            .error(
                                v.span(),
                                &join(path, "backing_down"),
                                format!("`{path}` is missing the required key `backing_down`"),
                            )
                            .help = Some(
                            "write backing_down = 0.08: what agreeing to less than the public demand costs".into(),
                        );
                        None
                    }
                };
                let demand = match (demand_v, cost_v) {
                    (Some(d), _) => self.public_demand(d, &join(path, "public_demand"), issues, actor),
                    // A cost without a declared demand: the actor's opening
                    // offer is its demand, its favourite option on every
                    // issue it cares about.
                    (None, Some(_)) => Some(self.opening_demand(issues, actor)),
                    // The missing cost is reported above.
                    (None, None) => None,
                };
                (cost, demand)
            }
        };
        t.finish(&mut self.r, &["backing_down", "public_demand", "step_down"]);
        let step_down = match step_down {
            Some(s) => s?,
            None => self.fixed(0.0),
        };
        Some(AudienceCosts { backing_down: cost?, demand: demand?, step_down })
    }

    /// The demand of an actor that declares none: its opening offer, the
    /// option it values most (at the means) on every issue it weighs; the
    /// first such option on ties.
    fn opening_demand(&self, issues: &[Issue], actor: &Actor) -> Vec<PublicDemand> {
        let mean = |p: ParamId| self.params.means[p as usize];
        let mut out = Vec::new();
        for (i, issue) in issues.iter().enumerate() {
            if mean(actor.weights[i]) <= 0.0 {
                continue;
            }
            let values: Vec<f64> = actor.values[i].iter().map(|&p| mean(p)).collect();
            let best = (0..values.len()).fold(0, |b, k| if values[k] > values[b] { k } else { b });
            let below: Vec<bool> = values.iter().map(|&x| x < values[best] - LEVEL_EPS).collect();
            if below.iter().any(|&b| b) {
                out.push(PublicDemand { issue: i, at: issue.options[best].clone(), below });
            }
        }
        out
    }

    /// `{ <issue> = level }`: the level demanded in public on each issue named.
    fn public_demand(
        &mut self,
        v: &Value<'_>,
        path: &str,
        issues: &[Issue],
        actor: &Actor,
    ) -> Option<Vec<PublicDemand>> {
        let mut t = self.r.table(v, path)?;
        let mut out = Vec::new();
        let mut ok = true;
        for (key, level_v) in t.entries() {
            let name = key.get_ref().as_ref();
            let lpath = join(path, name);
            let Some(i) = issues.iter().position(|x| x.id == name) else {
                let d = self.r.error(key.span(), &lpath, format!("unknown issue `{name}`"));
                d.help = Some(match did_you_mean(name, issues.iter().map(|x| x.id.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "a public demand names issues; the issues are: {}",
                        issues.iter().map(|x| x.id.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                });
                ok = false;
                continue;
            };
            match self.level(level_v, &lpath, &issues[i]) {
                Some((level, at)) => {
                    let below = self.options_below(&actor.values[i], &issues[i], level);
                    out.push(PublicDemand { issue: i, at, below });
                }
                None => ok = false,
            }
        }
        if ok && out.is_empty() {
            self.r.error(v.span(), path, "a public demand names at least one issue").help =
                Some("write public_demand = { nato = \"ban\" }: the level the actor demanded in public".into());
            return None;
        }
        ok.then_some(out)
    }
}
