//! Plots, drawn with plotters into PNG and SVG from the same code.
//!
//! Text uses Noto Sans embedded in the binary (registered once at first use),
//! so plots render on a machine with no font libraries at all; each SVG
//! embeds the subset of Noto Sans it uses, so it renders as the PNG does on
//! any viewer. Each chart is
//! one file and one type implementing [`Chart`]; [`write`] renders a chart
//! to `NAME.png` and `NAME.svg`.

mod causes;
mod class;
mod compare;
mod ladder;
mod layout;
mod outcomes;
mod payoffs;
pub mod png_text;
mod rounds;
mod sensitivity;
mod sets;
mod style;
mod svg_font;
mod sweep;
mod terms;
mod tournament;
mod tree;
mod utility_space;

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use causes::Causes;
pub use class::{ClassData, class_charts};
pub use compare::{CompareDifferences, CompareOutcomes, ComparePayoffs};
pub use ladder::Ladder;
pub use outcomes::Outcomes;
pub use payoffs::Payoffs;
pub use rounds::Rounds;
pub use sensitivity::{SobolBars, Tornado};
pub use sets::{analysis_chart, compare_charts, run_charts, sensitivity_charts, sweep_charts};
pub use sweep::{SweepHeatmap, SweepKind, SweepLines};
pub use terms::Terms;
pub use tournament::{RankingBars, ReplicatorShares, TournamentHeatmap};
pub use tree::TreeChart;
pub use utility_space::{UtilityOverlay, UtilitySpace};

/// Pixel size of every PNG (and the SVG's nominal size): large enough to be
/// read when projected in a classroom.
pub const SIZE: (u32, u32) = (1600, 1000);

/// Why a plot could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw {file}: {reason}")]
pub struct ChartError {
    pub file: String,
    pub reason: String,
}

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// The file name without extension.
    fn name(&self) -> &str;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// Makes any drawing error a string (plotters' errors are generic per backend).
pub(crate) fn e<E: std::fmt::Display>(err: E) -> String {
    err.to_string()
}

fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Registration only fails on a corrupt font, which the crate ships
        // intact; if it ever did, text would be missing, not the plot.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, notosans::REGULAR_TTF);
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, notosans::BOLD_TTF);
    });
}

/// Renders `chart` to `dir/NAME.png` and `dir/NAME.svg`; returns the file names.
pub fn write(dir: &Path, chart: &impl Chart) -> Result<Vec<String>, ChartError> {
    register_fonts();
    let png = format!("{}.png", chart.name());
    let svg = format!("{}.svg", chart.name());
    fn fail(file: &str) -> impl Fn(String) -> ChartError + '_ {
        move |reason| ChartError { file: file.to_string(), reason }
    }
    {
        let path = dir.join(&png);
        let root = png_text::PngBackend::new(&path, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(e).map_err(fail(&png))?;
        chart.draw(&root).map_err(fail(&png))?;
        root.present().map_err(e).map_err(fail(&png))?;
    }
    {
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
            root.fill(&WHITE).map_err(e).map_err(fail(&svg))?;
            chart.draw(&root).map_err(fail(&svg))?;
            root.present().map_err(e).map_err(fail(&svg))?;
        }
        // The SVG carries its font, so it renders as laid out on any viewer.
        std::fs::write(dir.join(&svg), svg_font::embed(&text)).map_err(e).map_err(fail(&svg))?;
    }
    Ok(vec![png, svg])
}

#[cfg(test)]
mod tests;
