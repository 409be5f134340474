//! Why the talks failed: per mechanism, the share of failed runs that, replayed
//! with it switched off, agreed; then the overdetermined and the
//! unexplained failures. Bars with 95% Wilson whiskers, for a projector.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style;
use super::{Chart, outcomes};
use crate::analysis::causes::CauseSummary;
use crate::report::summary_table::group;

pub struct Causes<'a> {
    pub causes: &'a CauseSummary,
    pub caption: String,
}

impl Chart for Causes<'_> {
    fn name(&self) -> &str {
        "causes"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = style::frame(root, "Why the talks failed", &self.caption)?;
        let title = format!(
            "Each of the {} failed runs replayed with one mechanism switched off: how often it then agreed",
            group(self.causes.failures)
        );
        outcomes::bars_of(
            &area,
            &title,
            &self.causes.rows(),
            "share of failed runs (95% CI)",
            "Bars overlap (a failure can need two mechanisms) and need not sum to 100%.",
        )
    }
}
