//! report.html: one self-contained page per output folder that a
//! decision-maker can open or print: the question, the answer in one
//! sentence with its interval, the table, the plots (inline SVG), how to read
//! each plot, every FACT and ASSUMPTION of the scenario, and provenance.
//!
//! The page is rendered by minijinja from one template with HTML
//! auto-escaping, so text from a scenario file (names, descriptions,
//! comments) can never become markup. The SVG plots are inserted as they are:
//! plotters escapes the text it draws. The page loads nothing: no scripts,
//! no fonts, no images outside itself.

use std::path::Path;

use serde::Serialize;

use super::assumptions::{self, Assumption};
use crate::model::Model;

const TEMPLATE: &str = include_str!("templates/report.html");

/// A table of the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub note: String,
}

/// A plot of the report: its title, the SVG file it comes from, and how to
/// read it.
#[derive(Debug, Clone, Serialize)]
pub struct Plot {
    pub file: String,
    pub title: String,
    pub how_to_read: String,
    /// The SVG markup, read from the output folder.
    pub svg: String,
}

/// Everything on the page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Page {
    pub title: String,
    pub subtitle: String,
    pub scenario_name: String,
    pub scenario_description: String,
    pub scenario_file: String,
    /// What the analysis asks, beyond the scenario's description.
    pub question: String,
    /// The answer in one sentence, with its interval.
    pub headline: String,
    /// Further sentences (one per variant, per output…).
    pub findings: Vec<String>,
    pub tables: Vec<Table>,
    pub plots: Vec<Plot>,
    pub assumptions: Vec<Assumption>,
    /// Said instead of the assumptions when the page has no scenario file
    /// to take them from (a tournament, a class); empty for scenario pages.
    pub assumptions_note: String,
    pub sources: Vec<String>,
    /// Variants and overrides, as given.
    pub adjustments: Vec<String>,
    /// (label, value) pairs: version, seed, runs, scenario file and hash.
    pub provenance: Vec<(String, String)>,
    pub version: String,
}

/// Where a page's scenario came from.
#[derive(Debug, Clone)]
pub struct ScenarioSource<'a> {
    /// As shown in messages: a path or `builtin:NAME`.
    pub file: &'a str,
    pub sha256: &'a str,
    pub text: &'a str,
}

impl Page {
    /// A page for `model` from `source`, with the assumptions, sources and
    /// provenance filled in; the caller adds the headline, tables and plots.
    pub fn new(title: String, subtitle: String, model: &Model, source: &ScenarioSource<'_>) -> Page {
        Page {
            title,
            subtitle,
            scenario_name: model.name.clone(),
            scenario_description: model.description.clone(),
            scenario_file: source.file.to_string(),
            assumptions: assumptions::extract(source.text),
            sources: model.sources.clone(),
            provenance: vec![
                ("brink version".into(), env!("CARGO_PKG_VERSION").into()),
                ("scenario file".into(), source.file.to_string()),
                ("scenario SHA-256".into(), source.sha256.to_string()),
            ],
            version: env!("CARGO_PKG_VERSION").into(),
            ..Page::default()
        }
    }

    /// Adds a plot from `dir/NAME.svg` if it was written; plots that were
    /// skipped (`--no-plots`) are simply absent.
    pub fn add_plot(&mut self, dir: &Path, name: &str, title: &str, how_to_read: &str) {
        if let Ok(svg) = std::fs::read_to_string(dir.join(format!("{name}.svg"))) {
            self.plots.push(Plot {
                file: name.to_string(),
                title: title.to_string(),
                how_to_read: how_to_read.to_string(),
                svg,
            });
        }
    }

    /// The page as HTML.
    pub fn render(&self) -> Result<String, minijinja::Error> {
        let mut env = minijinja::Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.add_template("report.html", TEMPLATE)?;
        env.get_template("report.html")?.render(self)
    }

    /// Renders the page to `dir/report.html`.
    pub fn write(&self, dir: &Path) -> anyhow::Result<String> {
        use anyhow::Context;
        let html = self.render().context("cannot render report.html")?;
        std::fs::write(dir.join("report.html"), html).context("cannot write report.html")?;
        Ok("report.html".into())
    }
}

/// "66.6% (95% CI 65.7–67.5%)".
pub fn share_with_ci(value: Option<f64>, ci: Option<[f64; 2]>) -> String {
    match (value, ci) {
        (Some(v), Some([lo, hi])) => format!("{:.1}% (95% CI {:.1}–{:.1}%)", 100.0 * v, 100.0 * lo, 100.0 * hi),
        (Some(v), None) => format!("{:.1}%", 100.0 * v),
        _ => "n/a".into(),
    }
}

/// "+1.1 points (95% CI +0.9 to +1.3)".
pub fn points_with_ci(value: Option<f64>, ci: Option<[f64; 2]>) -> String {
    match (value, ci) {
        (Some(v), Some([lo, hi])) => {
            format!("{:+.1} points (95% CI {:+.1} to {:+.1})", 100.0 * v, 100.0 * lo, 100.0 * hi)
        }
        (Some(v), None) => format!("{:+.1} points", 100.0 * v),
        _ => "n/a".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_and_text(extra: &str) -> (Model, String) {
        let text = crate::scenario::find_builtin("logrolling").unwrap().text.to_string() + extra;
        let (_, m) = crate::scenario::load_bytes_adjusted("t", text.as_bytes(), &Default::default()).unwrap();
        (m, text)
    }

    #[test]
    fn scenario_text_is_escaped_and_nothing_external_is_loaded() {
        let (mut model, text) = model_and_text("\n# ASSUMPTION: <script>alert(1)</script> & more\n");
        model.name = "<b>bold</b> & \"quoted\"".into();
        let src = ScenarioSource { file: "x.toml", sha256: "abc", text: &text };
        let mut page = Page::new("T".into(), "S".into(), &model, &src);
        page.headline = "<img src=x onerror=alert(1)>".into();
        let html = page.render().unwrap();
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"), "comments are escaped");
        assert!(!html.contains("<b>bold</b>") && html.contains("&lt;b&gt;bold"), "names are escaped");
        assert!(!html.contains("<img"), "headlines are escaped");
        for external in ["src=\"http", "href=\"http", "<link", "<script", "@import", "url("] {
            assert!(!html.contains(external), "the page loads nothing: found {external}");
        }
    }

    #[test]
    fn plots_are_inlined_and_missing_ones_skipped() {
        let (model, text) = model_and_text("");
        let dir = std::env::temp_dir().join(format!("brink-html-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.svg"), "<svg viewBox=\"0 0 10 10\"><rect width=\"5\" height=\"5\"/></svg>").unwrap();
        let src = ScenarioSource { file: "x.toml", sha256: "abc", text: &text };
        let mut page = Page::new("T".into(), "S".into(), &model, &src);
        page.add_plot(&dir, "a", "A plot", "Read it & weep.");
        page.add_plot(&dir, "missing", "No plot", "-");
        let html = page.render().unwrap();
        assert!(html.contains("<svg viewBox=\"0 0 10 10\">"));
        assert!(html.contains("Read it &amp; weep."));
        assert!(!html.contains("No plot"));
    }
}
