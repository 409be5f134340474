//! Reading an actor's table: patience, reservation, walk-away, and per-issue
//! weights and values. The strategy keys are read in `strategy.rs`.

use super::*;

impl Compiler<'_> {
    pub(super) fn actors(
        &mut self,
        v: &Value<'_>,
        issues: &[Issue],
        ids: &[String],
    ) -> Option<Vec<(Actor, Vec<ValueForm>)>> {
        let mut t = self.r.table(v, "actors")?;
        let entries = t.entries();
        let mut actors = Vec::new();
        for (k, value) in entries {
            let id = k.get_ref().to_string();
            actors.push(self.actor(value, &id, issues, ids));
        }
        actors.into_iter().collect()
    }

    fn actor(&mut self, v: &Value<'_>, id: &str, issues: &[Issue], ids: &[String]) -> Option<(Actor, Vec<ValueForm>)> {
        let path = join("actors", id);
        let mut t = self.r.table(v, &path)?;
        let name = match t.get("name") {
            Some(v) => self.r.string(v, &join(&path, "name")),
            None => Some(id.to_string()),
        };
        let discount = match t.get("discount") {
            Some(v) => self.param(v, &join(&path, "discount"), DISCOUNT),
            None => Some(self.fixed(1.0)),
        };
        let cost = match t.get("cost_per_round") {
            Some(v) => self.param(v, &join(&path, "cost_per_round"), NON_NEGATIVE),
            None => Some(self.fixed(0.0)),
        };
        let reservation = t.get("reservation").map(|v| self.param(v, &join(&path, "reservation"), ANY));
        let strategy = t
            .require(&mut self.r, "strategy", "strategy = \"boulware\"")
            .and_then(|v| self.strategy(v, &join(&path, "strategy")));
        let walk_away = t.get("walk_away").map(|v| self.walk_away(v, &join(&path, "walk_away")));
        let opponent_model = match t.get("opponent_model") {
            Some(v) => self.opponent_model(v, &join(&path, "opponent_model"), strategy.as_ref()),
            None => Some(OpponentModel::Known),
        };
        let acceptance = match t.get("acceptance") {
            Some(v) if matches!(strategy, Some(StrategyConfig::Spe | StrategyConfig::Reasoning { .. })) => {
                let (what, help) = if strategy == Some(StrategyConfig::Spe) {
                    (
                        "the subgame-perfect strategy",
                        "remove `acceptance`: \"spe\" accepts exactly its equilibrium share",
                    )
                } else {
                    (
                        "the reasoning strategy",
                        "remove `acceptance`: \"reasoning\" accepts what beats its expected value of continuing",
                    )
                };
                self.r.error(v.span(), &join(&path, "acceptance"), format!("{what} decides acceptance itself")).help =
                    Some(help.into());
                None
            }
            Some(v) => self.acceptance(v, &join(&path, "acceptance")),
            None => Some(Acceptance::Next),
        };
        let per_issue = t
            .require(&mut self.r, "issues", "[actors.<id>.issues.<issue>] tables with weight and values")
            .and_then(|v| self.actor_issues(v, &join(&path, "issues"), issues));
        // Ladders are read with the disagreement lottery they name (escalation.rs).
        let _ = (t.get("escalation"), t.get("escalate"));
        // The believed odds name the lottery's outcomes, too (beliefs.rs).
        let _ = t.get("believed_odds");
        // Red lines name issues and levels the actor's values order (red_lines.rs).
        let _ = t.get("red_lines");
        // So do the audience costs' public demands (audience.rs).
        let _ = t.get("audience_costs");
        t.finish(
            &mut self.r,
            &[
                "name",
                "discount",
                "cost_per_round",
                "reservation",
                "walk_away",
                "strategy",
                "opponent_model",
                "acceptance",
                "issues",
                "escalation",
                "escalate",
                "believed_odds",
                "red_lines",
                "audience_costs",
            ],
        );
        let _ = ids;
        let (weights, values, forms) = per_issue?;
        let actor = Actor {
            id: id.to_string(),
            name: name?,
            discount: discount?,
            cost_per_round: cost?,
            reservation: optional(reservation)?,
            walk_away: optional(walk_away)?,
            strategy: strategy?,
            opponent_model: opponent_model?,
            acceptance: acceptance?,
            weights,
            values,
            utility_uncertain: false,
            believed_odds: None,
            audience: None,
        };
        Some((actor, forms))
    }

    /// Per issue: weight and values. Every issue must be covered.
    fn actor_issues(&mut self, v: &Value<'_>, path: &str, issues: &[Issue]) -> Option<ActorIssues> {
        let mut t = self.r.table(v, path)?;
        let mut weights = Vec::new();
        let mut values = Vec::new();
        let mut forms = Vec::new();
        let mut ok = true;
        let mut weight_mean_sum = 0.0;
        for issue in issues {
            let ipath = join(path, &issue.id);
            let Some(iv) = t.get(&issue.id) else {
                self.r.error(t.span.clone(), &ipath, format!("no weight and values for issue `{}`", issue.id)).help =
                    Some(format!("add [{ipath}] with weight = 0.25 and values = [...], one value per option"));
                ok = false;
                continue;
            };
            let Some(mut it) = self.r.table(iv, &ipath) else {
                ok = false;
                continue;
            };
            let w = it
                .require(&mut self.r, "weight", "weight = 0.25")
                .and_then(|wv| self.param(wv, &join(&ipath, "weight"), NON_NEGATIVE));
            let vals = it
                .require(&mut self.r, "values", "values = [1.0, 0.5, 0.0]")
                .and_then(|vv| self.values(vv, &join(&ipath, "values"), issue));
            it.finish(&mut self.r, &["weight", "values"]);
            match (w, vals) {
                (Some(w), Some((vals, form))) => {
                    weight_mean_sum += self.params.means[w as usize];
                    weights.push(w);
                    values.push(vals);
                    forms.push(form);
                }
                _ => ok = false,
            }
        }
        let names: Vec<&str> = issues.iter().map(|i| i.id.as_str()).collect();
        t.finish(&mut self.r, &names);
        if ok && weight_mean_sum <= 0.0 {
            self.r.error(v.span(), path, "all issue weights are zero").help =
                Some("weights say how much each issue matters to the actor; give at least one a weight above 0".into());
            return None;
        }
        ok.then_some((weights, values, forms))
    }

    fn values(&mut self, v: &Value<'_>, path: &str, issue: &Issue) -> Option<(Vec<ParamId>, ValueForm)> {
        let n = issue.options.len();
        let linear = |k: usize| k as f64 / (n - 1) as f64;
        match v.get_ref() {
            DeValue::String(s) if s == "increasing" => {
                Some(((0..n).map(|k| self.fixed(linear(k))).collect(), ValueForm::Increasing))
            }
            DeValue::String(s) if s == "decreasing" => {
                Some(((0..n).map(|k| self.fixed(1.0 - linear(k))).collect(), ValueForm::Decreasing))
            }
            DeValue::Array(items) => {
                if items.len() != n {
                    self.r
                        .error(
                            v.span(),
                            path,
                            format!("issue `{}` has {n} options but {} values are given", issue.id, items.len()),
                        )
                        .help = Some(format!("give one value per option, in order: {}", preview(&issue.options)));
                    return None;
                }
                let ids: Vec<Option<ParamId>> =
                    items.iter().enumerate().map(|(k, x)| self.param(x, &format!("{path}[{k}]"), UNIT)).collect();
                Some((ids.into_iter().collect::<Option<Vec<_>>>()?, ValueForm::Other))
            }
            DeValue::Table(_) => {
                let Some(numbers) = &issue.numbers else {
                    self.r.error(v.span(), path, "value points need a numeric issue").help =
                        Some("for an issue with labelled options, give a list with one value per option".into());
                    return None;
                };
                let mut t = self.r.table(v, path)?;
                let pts = t
                    .require(&mut self.r, "points", "points = [[0.0, 0.0], [1.0, 1.0]]")
                    .and_then(|p| self.points(p, &join(path, "points")));
                t.finish(&mut self.r, &["points"]);
                let pts = pts?;
                Some((numbers.iter().map(|&x| self.fixed(interpolate(&pts, x))).collect(), ValueForm::Other))
            }
            _ => {
                self.r.error(v.span(), path, "expected a list of values (one per option), \"increasing\", \"decreasing\" or { points = [[x, value], ...] }")
                    .help = Some(format!("for example values = [{}]", (0..n).map(|k| number_label(1.0 - linear(k))).collect::<Vec<_>>().join(", ")));
                None
            }
        }
    }

    fn points(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<(f64, f64)>> {
        let items = self.r.array(v, path)?;
        let mut pts = Vec::new();
        for (k, item) in items.iter().enumerate() {
            let p = format!("{path}[{k}]");
            let pair = self.r.array(item, &p)?;
            if pair.len() != 2 {
                self.r.error(item.span(), &p, "each point is a pair [x, value]");
                return None;
            }
            let x = self.r.number(&pair[0], &format!("{p}[0]"))?;
            let y = self.r.number(&pair[1], &format!("{p}[1]"))?;
            if !(0.0..=1.0).contains(&y) {
                self.r.error(pair[1].span(), &format!("{p}[1]"), format!("expected a value from 0 to 1, found {y}"));
                return None;
            }
            if let Some(&(px, _)) = pts.last()
                && x <= px
            {
                self.r.error(item.span(), &p, "points must be in increasing order of x");
                return None;
            }
            pts.push((x, y));
        }
        if pts.is_empty() {
            self.r.error(v.span(), path, "give at least one point");
            return None;
        }
        Some(pts)
    }
}
