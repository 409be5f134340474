//! Reading `actors.<id>.believed_odds`: an actor's own belief about the
//! conflict lottery's probabilities (mutual optimism, docs/model.md §2).
//! Read after the lottery, whose outcomes it names.

use toml::de::DeValue;

use super::*;

impl Compiler<'_> {
    /// Per actor, its believed probability of each disagreement outcome
    /// (None: it believes the lottery's own odds).
    pub(super) fn believed_odds(
        &mut self,
        actors_v: &Value<'_>,
        ids: &[String],
        disagreement: &[DisagreementOutcome],
    ) -> Option<[Option<Vec<ParamId>>; 2]> {
        let DeValue::Table(actors) = actors_v.get_ref() else { return None };
        let mut out = [None, None];
        let mut ok = true;
        for (a, id) in ids.iter().enumerate().take(2) {
            let Some((_, actor_v)) = actors.iter().find(|(k, _)| k.get_ref().as_ref() == id) else { continue };
            let DeValue::Table(actor) = actor_v.get_ref() else { continue };
            let Some((_, v)) = actor.iter().find(|(k, _)| k.get_ref().as_ref() == "believed_odds") else { continue };
            let path = join(&join("actors", id), "believed_odds");
            match self.odds(v, &path, disagreement) {
                Some(odds) => out[a] = Some(odds),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// `{ <outcome> = probability }`: listed outcomes get the actor's own
    /// probability (may be uncertain), the others keep the lottery's; the
    /// means must sum to 1 (draws are renormalised).
    fn odds(&mut self, v: &Value<'_>, path: &str, disagreement: &[DisagreementOutcome]) -> Option<Vec<ParamId>> {
        let mut t = self.r.table(v, path)?;
        let mut odds: Vec<Option<ParamId>> = vec![None; disagreement.len()];
        let mut ok = true;
        for (key, x) in t.entries() {
            let k = self.outcome_index(key, path, disagreement);
            let p = self.param(x, &join(path, key.get_ref().as_ref()), UNIT);
            match (k, p) {
                (Some(k), Some(p)) => odds[k as usize] = Some(p),
                _ => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let odds: Vec<ParamId> =
            odds.iter().zip(disagreement).map(|(o, d)| o.unwrap_or_else(|| self.fixed(d.probability))).collect();
        let total: f64 = odds.iter().map(|&id| self.params.means[id as usize]).sum();
        if (total - 1.0).abs() > 1e-9 {
            let each: Vec<String> = disagreement
                .iter()
                .zip(&odds)
                .map(|(d, &id)| format!("{} = {}", d.id, number_label(self.params.means[id as usize])))
                .collect();
            self.r.error(v.span(), path, format!("the believed odds sum to {}, not 1", number_label(total))).help =
                Some(format!(
                    "outcomes not listed keep the lottery's probability; here (means): {}. Make them add up to 1",
                    each.join(", ")
                ));
            return None;
        }
        Some(odds)
    }
}
