//! Reading `actors.<id>.red_lines`: per issue, the least the actor accepts
//! (docs/model.md §10). Read after the actors, whose values say which
//! options lie below a line.
//!
//! ```toml
//! [actors.russia.red_lines]
//! nato = "moratorium"                              # real, and known to be
//! [actors.usa.red_lines.nato]
//! at = "open-door"
//! probability_real = 0.5                           # may be a bluff
//! ```

use toml::de::DeValue;

use super::*;
use crate::model::{MAX_RED_LINES, RedLine};
use crate::rng::Purpose;

/// Options valued within this of the line's level count as at the line.
pub(super) const LEVEL_EPS: f64 = 1e-9;

impl Compiler<'_> {
    /// Per actor, its red lines in file order (empty: none).
    pub(super) fn red_lines(
        &mut self,
        actors_v: &Value<'_>,
        ids: &[String],
        issues: &[Issue],
        actors: &[(Actor, Vec<ValueForm>)],
    ) -> Option<[Vec<RedLine>; 2]> {
        let DeValue::Table(table) = actors_v.get_ref() else { return None };
        let mut out = [Vec::new(), Vec::new()];
        let mut ok = true;
        for (a, id) in ids.iter().enumerate().take(2) {
            let Some((_, actor_v)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == id) else { continue };
            let DeValue::Table(actor) = actor_v.get_ref() else { continue };
            let Some((_, v)) = actor.iter().find(|(k, _)| k.get_ref().as_ref() == "red_lines") else { continue };
            let path = join(&join("actors", id), "red_lines");
            let Some(mut t) = self.r.table(v, &path) else {
                ok = false;
                continue;
            };
            let entries = t.entries();
            if entries.len() > MAX_RED_LINES {
                self.r
                    .error(
                        v.span(),
                        &path,
                        format!("{} red lines; an actor may draw at most {MAX_RED_LINES}", entries.len()),
                    )
                    .help = Some(format!(
                    "keep the {MAX_RED_LINES} that matter most: the other side's belief holds every combination of them being real or a bluff"
                ));
                ok = false;
                continue;
            }
            for (key, line_v) in entries {
                let name = key.get_ref().as_ref();
                let lpath = join(&path, name);
                let Some(i) = issues.iter().position(|x| x.id == name) else {
                    let d = self.r.error(key.span(), &lpath, format!("unknown issue `{name}`"));
                    d.help = Some(match did_you_mean(name, issues.iter().map(|x| x.id.as_str())) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "a red line is drawn on an issue; the issues are: {}",
                            issues.iter().map(|x| x.id.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    });
                    ok = false;
                    continue;
                };
                let values = actors.get(a).map(|(actor, _)| &actor.values[i]);
                match (values, self.red_line(line_v, &lpath, &issues[i], id)) {
                    (Some(values), Some((level, at, probability_real, purpose))) => {
                        let below = self.options_below(values, &issues[i], level);
                        out[a].push(RedLine { issue: i, at, below, probability_real, purpose });
                    }
                    _ => ok = false,
                }
            }
        }
        ok.then_some(out)
    }

    /// One red line: a level (an option label, or a number on a numeric
    /// issue), alone or as `{ at = ..., probability_real = ... }`.
    fn red_line(
        &mut self,
        v: &Value<'_>,
        path: &str,
        issue: &Issue,
        actor: &str,
    ) -> Option<(Level, String, ParamId, Purpose)> {
        let (at_v, at_path, probability) = match v.get_ref() {
            DeValue::Table(_) => {
                let mut t = self.r.table(v, path)?;
                let at = t.require(&mut self.r, "at", "at = \"moratorium\"");
                let p = t.get("probability_real").map(|p| self.param(p, &join(path, "probability_real"), UNIT));
                t.finish(&mut self.r, &["at", "probability_real"]);
                (at?, join(path, "at"), optional(p)?)
            }
            _ => (v, path.to_string(), None),
        };
        let (level, at) = self.level(at_v, &at_path, issue)?;
        let probability = probability.unwrap_or_else(|| self.fixed(1.0));
        let purpose = Purpose::named("red-line").with(Purpose::named(actor)).with(Purpose::named(&issue.id));
        Some((level, at, probability, purpose))
    }

    /// Per option of `issue`: whether the actor, whose values there are
    /// `values`, values it less than `level` (at the means).
    pub(super) fn options_below(&self, values: &[ParamId], issue: &Issue, level: Level) -> Vec<bool> {
        let means: Vec<f64> = values.iter().map(|&p| self.params.means[p as usize]).collect();
        let at = level_value(&means, issue.numbers.as_deref(), level);
        means.iter().map(|&x| x < at - LEVEL_EPS).collect()
    }

    /// The level a red line is drawn at: an option of the issue, or a number
    /// within a numeric issue's range.
    pub(super) fn level(&mut self, v: &Value<'_>, path: &str, issue: &Issue) -> Option<(Level, String)> {
        match (v.get_ref(), &issue.numbers) {
            (DeValue::String(s), _) => {
                if let Some(k) = issue.options.iter().position(|o| o == s.as_ref()) {
                    return Some((Level::Option(k), s.to_string()));
                }
                let d = self.r.error(v.span(), path, format!("issue `{}` has no option `{s}`", issue.id));
                d.help = Some(match did_you_mean(s, issue.options.iter().map(String::as_str)) {
                    Some(m) => format!("did you mean `{m}`?"),
                    None => format!("the options are: {}", preview(&issue.options)),
                });
                None
            }
            (DeValue::Integer(_) | DeValue::Float(_), Some(numbers)) => {
                let x = self.r.number(v, path)?;
                let (lo, hi) = (numbers[0], numbers[numbers.len() - 1]);
                let (lo, hi) = (lo.min(hi), lo.max(hi));
                if !(lo..=hi).contains(&x) {
                    self.r
                        .error(
                            v.span(),
                            path,
                            format!(
                                "{} is outside issue `{}`'s range, {} to {}",
                                number_label(x),
                                issue.id,
                                number_label(lo),
                                number_label(hi)
                            ),
                        )
                        .help =
                        Some(format!("give a level within the issue's range, e.g. {}", number_label((lo + hi) / 2.0)));
                    return None;
                }
                Some((Level::Number(x), number_label(x)))
            }
            (DeValue::Integer(_) | DeValue::Float(_), None) => {
                self.r.error(v.span(), path, format!("issue `{}` has labelled options, not numbers", issue.id)).help =
                    Some(format!("name an option: {}", preview(&issue.options)));
                None
            }
            (other, _) => {
                let found = type_name(other);
                self.r
                    .error(
                        v.span(),
                        path,
                        format!("expected an option of issue `{}` (a string), found {found}", issue.id),
                    )
                    .help = Some(format!("for example {} = \"{}\"", issue.id, issue.options[0]));
                None
            }
        }
    }
}

/// Where on an issue a red line is drawn.
#[derive(Debug, Clone, Copy)]
pub(super) enum Level {
    Option(usize),
    Number(f64),
}

/// The actor's value of the level: the option's, or on a numeric issue the
/// values of the two neighbouring steps interpolated.
fn level_value(values: &[f64], numbers: Option<&[f64]>, level: Level) -> f64 {
    match (level, numbers) {
        (Level::Option(k), _) => values[k],
        (Level::Number(x), Some(numbers)) => {
            let mut pts: Vec<(f64, f64)> = numbers.iter().copied().zip(values.iter().copied()).collect();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            interpolate(&pts, x)
        }
        // `level` reads numbers only on numeric issues; nothing lies below.
        (Level::Number(_), None) => f64::NEG_INFINITY,
    }
}
