//! Reading an actor's strategy and acceptance rule, and the checks that a
//! strategy's theory applies to the scenario (e.g. the subgame-perfect one).

use super::*;

const OPPONENT_MODEL_HELP: &str = "the opponent models are: \"known\" (the opponent's utilities at the scenario's means, the default), \"frequency\" (learnt from its offers) and \"none\" (no model: offers ignore the opponent)";

impl Compiler<'_> {
    pub(super) fn strategy(&mut self, v: &Value<'_>, path: &str) -> Option<StrategyConfig> {
        const KINDS: &[&str] =
            &["time", "boulware", "linear", "conceder", "hardliner", "tit-for-tat", "random", "spe", "reasoning"];
        let (kind, kind_span, mut table) = match v.get_ref() {
            DeValue::String(s) => (s.to_string(), v.span(), None),
            DeValue::Table(_) => {
                let mut t = self.r.table(v, path)?;
                let kv = t.require(&mut self.r, "kind", "kind = \"time\"")?;
                let kind = self.r.string(kv, &join(path, "kind"))?;
                (kind, kv.span(), Some(t))
            }
            _ => {
                let found = crate::scenario::toml_tree::type_name(v.get_ref());
                self.r.error(v.span(), path, format!("expected a strategy name or table, found {found}")).help =
                    Some("write strategy = \"boulware\" or strategy = { kind = \"time\", beta = 0.3 }".into());
                return None;
            }
        };
        let default_beta = match kind.as_str() {
            "boulware" => Some(BOULWARE_BETA),
            "linear" => Some(1.0),
            "conceder" => Some(CONCEDER_BETA),
            _ => None,
        };
        let config = match kind.as_str() {
            "time" | "boulware" | "linear" | "conceder" => {
                let beta_v = table.as_mut().and_then(|t| t.get("beta"));
                let beta = match (beta_v, default_beta) {
                    (Some(b), _) => self.param(b, &join(path, "beta"), POSITIVE),
                    (None, Some(b)) => Some(self.fixed(b)),
                    (None, None) => {
                        self.r.error(v.span(), &join(path, "beta"), "the time-dependent strategy needs its exponent `beta`")
                            .help = Some("write { kind = \"time\", beta = 0.3 }: beta < 1 holds firm (Boulware), beta = 1 concedes linearly, beta > 1 concedes early (Conceder)".into());
                        None
                    }
                };
                beta.map(|beta| StrategyConfig::Time { beta })
            }
            "hardliner" => Some(StrategyConfig::Hardliner),
            "tit-for-tat" => Some(StrategyConfig::TitForTat),
            "random" => Some(StrategyConfig::Random),
            "spe" => Some(StrategyConfig::Spe),
            "reasoning" => {
                let prior = match table.as_mut().and_then(|t| t.get("belief")) {
                    Some(b) => self.prior(b, &join(path, "belief")),
                    None => Some(Prior::Sampled),
                };
                prior.map(|prior| StrategyConfig::Reasoning { prior })
            }
            other => {
                let d = self.r.error(kind_span, path, format!("unknown strategy `{other}`"));
                d.help = Some(match did_you_mean(other, KINDS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the strategies are: {}", KINDS.join(", ")),
                });
                None
            }
        };
        if let Some(t) = table {
            let allowed: &[&str] = if default_beta.is_some() || kind == "time" {
                &["kind", "beta"]
            } else if kind == "reasoning" {
                &["kind", "belief"]
            } else {
                &["kind"]
            };
            t.finish(&mut self.r, allowed);
        }
        config
    }

    /// A reasoning actor's `belief`: "sampled" (the default) or "quantiles".
    fn prior(&mut self, v: &Value<'_>, path: &str) -> Option<Prior> {
        match v.get_ref() {
            DeValue::String(s) if s == "sampled" => Some(Prior::Sampled),
            DeValue::String(s) if s == "quantiles" => Some(Prior::Quantiles),
            other => {
                let found = match other {
                    DeValue::String(s) => format!("\"{s}\""),
                    _ => crate::scenario::toml_tree::type_name(other).to_string(),
                };
                self.r.error(v.span(), path, format!("expected \"sampled\" or \"quantiles\", found {found}")).help = Some(
                    "\"sampled\": 16 types drawn at random each run (the default); \"quantiles\": 16 types on a quantile grid of the distributions".into(),
                );
                None
            }
        }
    }

    /// `walk_away`: a floor (number or distribution) or "auto" (the floor is
    /// the actor's reservation value).
    pub(super) fn walk_away(&mut self, v: &Value<'_>, path: &str) -> Option<WalkAway> {
        match v.get_ref() {
            DeValue::String(s) if s == "auto" => Some(WalkAway::Auto),
            DeValue::String(s) => {
                self.r
                    .error(v.span(), path, format!("expected a number, a distribution or \"auto\", found \"{s}\""))
                    .help = Some(
                    "write walk_away = 0.1 (leave below 0.1 when nothing better is in reach) or walk_away = \"auto\""
                        .into(),
                );
                None
            }
            _ => self.param(v, path, ANY).map(WalkAway::Floor),
        }
    }

    /// `opponent_model`: only strategies that make trade-off offers use one.
    pub(super) fn opponent_model(
        &mut self,
        v: &Value<'_>,
        path: &str,
        strategy: Option<&StrategyConfig>,
    ) -> Option<OpponentModel> {
        let model = match v.get_ref() {
            DeValue::String(s) if s == "known" => OpponentModel::Known,
            DeValue::String(s) if s == "frequency" => OpponentModel::Frequency,
            DeValue::String(s) if s == "none" => OpponentModel::None,
            DeValue::String(s) => {
                let d = self.r.error(v.span(), path, format!("unknown opponent model `{s}`"));
                d.help = Some(match did_you_mean(s, OpponentModel::NAMES.iter().copied()) {
                    Some(m) => format!("did you mean `{m}`?"),
                    None => OPPONENT_MODEL_HELP.into(),
                });
                return None;
            }
            _ => {
                let found = crate::scenario::toml_tree::type_name(v.get_ref());
                self.r
                    .error(v.span(), path, format!("expected \"known\", \"frequency\" or \"none\", found {found}"))
                    .help = Some(OPPONENT_MODEL_HELP.into());
                return None;
            }
        };
        let refused = match strategy {
            Some(StrategyConfig::Spe) => Some("the subgame-perfect strategy computes its offer from the theorem"),
            Some(StrategyConfig::Random) => Some("the random strategy picks offers at random"),
            Some(StrategyConfig::Reasoning { .. }) if model != OpponentModel::Known => Some(
                "the reasoning strategy offers points of the Pareto frontier its belief is computed on (the opponent's utilities at the means), so only \"known\" applies",
            ),
            _ => None,
        };
        if let Some(why) = refused {
            self.r
                .error(
                    v.span(),
                    path,
                    format!("this strategy makes no trade-off offers, so `opponent_model` has no effect: {why}"),
                )
                .help = Some(
                "remove `opponent_model`, or use it with a time-dependent, hardliner or tit-for-tat strategy".into(),
            );
            return None;
        }
        Some(model)
    }

    pub(super) fn acceptance(&mut self, v: &Value<'_>, path: &str) -> Option<Acceptance> {
        match v.get_ref() {
            DeValue::String(s) if s == "next" => Some(Acceptance::Next),
            DeValue::String(s) if s == "reservation" => Some(Acceptance::Reservation),
            DeValue::Table(_) => {
                let mut t = self.r.table(v, path)?;
                let th = t
                    .require(&mut self.r, "threshold", "threshold = 0.6")
                    .and_then(|x| self.param(x, &join(path, "threshold"), ANY));
                t.finish(&mut self.r, &["threshold"]);
                th.map(Acceptance::Threshold)
            }
            _ => {
                self.r.error(v.span(), path, "expected \"next\", \"reservation\" or { threshold = <number> }")
                    .help = Some("\"next\" accepts what is at least as good as one's own next offer (AC_next); \"reservation\" accepts anything above one's reservation value".into());
                None
            }
        }
    }

    /// The subgame-perfect strategy is only defined where Rubinstein's
    /// theorem applies (docs/model.md §5); anywhere else it is refused here.
    pub(super) fn check_spe(&mut self, model: &Model, forms: &[Vec<ValueForm>], actors_v: &Value<'_>) {
        for actor in &model.actors {
            if actor.strategy != StrategyConfig::Spe {
                continue;
            }
            let path = join(&join("actors", &actor.id), "strategy");
            let span = actor_span(actors_v, &actor.id).unwrap_or(actors_v.span());
            let p = &model.params;
            let fixed_zero = |id: ParamId| !p.is_uncertain(id) && p.means[id as usize] == 0.0;
            let mut reasons = Vec::new();
            if model.issues.len() != 1 || model.issues[0].numbers.is_none() {
                reasons.push("the scenario must have exactly one numeric issue (a pie to divide)".to_string());
            } else if !matches!(
                (forms[0][0], forms[1][0]),
                (ValueForm::Increasing, ValueForm::Decreasing) | (ValueForm::Decreasing, ValueForm::Increasing)
            ) {
                reasons.push("one actor's values must be \"increasing\" and the other's \"decreasing\" (linear shares of the pie)".into());
            }
            if !model.rules.is_empty() {
                reasons.push("payoff rules are not allowed".into());
            }
            if !model.disagreement.iter().all(|d| d.payoff.iter().all(|&x| fixed_zero(x))) {
                reasons.push("every disagreement payoff must be 0".into());
            }
            for other in &model.actors {
                if !fixed_zero(other.cost_per_round) {
                    reasons.push(format!("`{}` must have no cost per round", other.id));
                }
                if other.reservation.is_some() {
                    reasons.push(format!("`{}` must not set a perceived reservation value", other.id));
                }
                if p.means[other.discount as usize] >= 1.0
                    || p.is_uncertain(other.discount) && other.discount_max(p) >= 1.0
                {
                    reasons.push(format!("`{}` needs a discount factor below 1", other.id));
                }
            }
            if actor.walk_away.is_some() {
                reasons.push("a walk-away floor is not part of the equilibrium strategy".into());
            }
            if !fixed_zero(model.hazard) {
                reasons.push("the breakdown hazard must be 0 (the theorem has no exogenous breakdown)".into());
            }
            if !reasons.is_empty() {
                self.r.error(span, &path, format!(
                    "the subgame-perfect strategy (\"spe\") is defined only for a single numeric issue with linear values and disagreement worth 0: {}",
                    reasons.join("; ")
                ))
                .help = Some("use it on a divide-the-pie scenario such as scenarios/rubinstein.toml, or choose another strategy".into());
            }
        }
    }
}
