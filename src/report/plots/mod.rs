//! Plots of a Monte Carlo run and of a scenario's utility space, written as
//! PNG and SVG.
//!
//! Every plot is a type implementing [`Plot`], whose one `draw` method is
//! generic over plotters' `DrawingBackend`: the PNG and the SVG of a plot
//! come from the same code, so they cannot drift apart. Text uses the Noto
//! Sans embedded in the binary (registered once, on first use), so plots
//! render identically on machines without any font libraries. Sizes are
//! chosen for a projector at the back of a classroom: 1600×1000 pixels,
//! titles of 44 px and axis labels of 28 px.

mod outcomes;
mod payoffs;
mod rounds;
mod terms;
mod utility_space;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub use utility_space::UtilityOverlay;

use crate::analysis::bargaining;
use crate::analysis::outcomes::Summary;
use crate::model::Model;

/// Pixel size of every PNG, and the nominal size of every SVG.
pub const SIZE: (u32, u32) = (1600, 1000);

/// What every plot says about where its numbers come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caption {
    /// The scenario's display name, e.g. "Geneva talks, January 2022".
    pub scenario: String,
    pub runs: u64,
    pub seed: u64,
}

impl std::fmt::Display for Caption {
    /// "Geneva talks, January 2022 — 10,000 runs, seed 42".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = if self.runs == 1 { "run" } else { "runs" };
        write!(f, "{} — {} {unit}, seed {}", self.scenario, group(self.runs), self.seed)
    }
}

/// Why a plot could not be written: which file, and what went wrong.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("cannot create the folder {} for plots: {cause}", path.display())]
    Folder { path: PathBuf, cause: std::io::Error },
    #[error("cannot draw {}: {reason}", path.display())]
    Draw { path: PathBuf, reason: String },
}

/// The plots of one Monte Carlo: `outcomes`, `payoffs`, `terms`, `rounds`
/// and `agreements`, each as `.png` and `.svg` in `dir` (created if
/// missing). Returns the paths written, PNG before SVG for each plot.
pub fn write_run_plots(
    dir: &Path,
    model: &Model,
    summary: &Summary,
    caption: &Caption,
) -> Result<Vec<PathBuf>, PlotError> {
    std::fs::create_dir_all(dir).map_err(|cause| PlotError::Folder { path: dir.to_path_buf(), cause })?;
    let line = caption.to_string();
    let mut files = Vec::new();
    files.extend(render(&dir.join("outcomes"), &outcomes::Outcomes { summary, caption: &line })?);
    files.extend(render(&dir.join("payoffs"), &payoffs::Payoffs { model, summary, caption: &line })?);
    files.extend(render(&dir.join("terms"), &terms::Terms { model, summary, caption: &line })?);
    files.extend(render(&dir.join("rounds"), &rounds::Rounds { summary, caption: &line })?);

    // The theory is recomputed here rather than taken from the summary so
    // the plot always matches the model it is handed, whatever produced
    // the summary.
    let (u1, u2) = (&model.mean_utilities[0], &model.mean_utilities[1]);
    let d = disagreement_point(model);
    let overlay = UtilityOverlay {
        frontier: bargaining::pareto_frontier(u1, u2),
        labelled: bargaining::nash_bargaining(u1, u2, (d[0], d[1]))
            .outcomes
            .into_iter()
            .map(|w| ("Nash".to_string(), w))
            .collect(),
    };
    let space = utility_space::UtilitySpace {
        title: "Agreements reached, in expected-utility space",
        caption: &line,
        model,
        agreements: &summary.agreements,
        disagreement: d,
        overlay: &overlay,
    };
    files.extend(render(&dir.join("agreements"), &space)?);
    Ok(files)
}

/// The utility space of `model` with `overlay` (frontier and labelled
/// solutions) and no agreements: written to `path_stem` + `.png` and
/// `.svg` (the parent folder is created if missing).
pub fn write_analysis_plot(
    path_stem: &Path,
    model: &Model,
    overlay: &UtilityOverlay,
    title: &str,
) -> Result<Vec<PathBuf>, PlotError> {
    if let Some(parent) = path_stem.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|cause| PlotError::Folder { path: parent.to_path_buf(), cause })?;
    }
    let outcomes = model.mean_utilities[0].len();
    let line = format!(
        "{} — {} possible {}, uncertain numbers at their means",
        model.name,
        group(outcomes as u64),
        if outcomes == 1 { "outcome" } else { "outcomes" }
    );
    let space = utility_space::UtilitySpace {
        title,
        caption: &line,
        model,
        agreements: &[],
        disagreement: disagreement_point(model),
        overlay,
    };
    render(path_stem, &space)
}

/// Each actor's reservation value with every number at its mean.
fn disagreement_point(model: &Model) -> [f64; 2] {
    [0, 1].map(|a| model.reservation(a, &model.params.means))
}

/// A plot that can draw itself on any plotters backend. Errors are plain
/// text because plotters' error type differs per backend; [`render`] adds
/// the file name.
trait Plot {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// Any plotters error as text.
fn msg<E: std::fmt::Display>(err: E) -> String {
    err.to_string()
}

/// Draws `plot` on a fresh white page of `root` and flushes it to its file.
fn draw_page<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, plot: &impl Plot) -> Result<(), String> {
    root.fill(&WHITE).map_err(msg)?;
    plot.draw(&root)?;
    root.present().map_err(msg)
}

/// Writes `stem.png` and `stem.svg`; returns both paths.
fn render(stem: &Path, plot: &impl Plot) -> Result<Vec<PathBuf>, PlotError> {
    let png = with_suffix(stem, ".png");
    let svg = with_suffix(stem, ".svg");
    let fail = |path: &Path| move |reason| PlotError::Draw { path: path.to_path_buf(), reason };
    fonts().map_err(fail(&png))?;
    draw_page(BitMapBackend::new(&png, SIZE).into_drawing_area(), plot).map_err(fail(&png))?;
    draw_page(SVGBackend::new(&svg, SIZE).into_drawing_area(), plot).map_err(fail(&svg))?;
    Ok(vec![png, svg])
}

/// `stem` + `suffix`, without treating a dot in the stem as an extension
/// (`Path::with_extension` would turn "geneva.v2" into "geneva.png").
fn with_suffix(stem: &Path, suffix: &str) -> PathBuf {
    let mut s = OsString::from(stem.as_os_str());
    s.push(suffix);
    PathBuf::from(s)
}

/// Registers the embedded fonts with plotters, once per process. A
/// `OnceLock` rather than a bare `Once` keeps the outcome, so a font that
/// failed to load is reported on every plot instead of yielding text-less
/// images.
fn fonts() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            for (style, bytes) in [(FontStyle::Normal, notosans::REGULAR_TTF), (FontStyle::Bold, notosans::BOLD_TTF)] {
                plotters::style::register_font(FAMILY, style, bytes)
                    .map_err(|_| format!("the embedded Noto Sans ({style:?}) font could not be loaded"))?;
            }
            Ok(())
        })
        .clone()
}

// ----- The shared look ------------------------------------------------------

const FAMILY: &str = "sans-serif";
const TITLE_PX: u32 = 44;
const SUBTITLE_PX: u32 = 28;
const PANEL_PX: u32 = 32;
const AXIS_PX: u32 = 28;
const TICK_PX: u32 = 24;
const NOTE_PX: u32 = 24;

/// Okabe–Ito: distinguishable with the common colour-vision deficiencies,
/// and still distinct on a washed-out projector.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(120, 120, 120),
];
const GREY: RGBColor = RGBColor(90, 90, 90);

fn colour(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

fn font(px: u32) -> TextStyle<'static> {
    (FAMILY, px).into_font().into()
}

/// Bold must be asked for in the font description itself: plotters'
/// `.style(Bold)` on a built font silently stays regular.
fn bold(px: u32) -> TextStyle<'static> {
    (FAMILY, px, FontStyle::Bold).into_font().into()
}

/// Draws the title and the caption line under it; returns the area left
/// for the plot.
fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    caption: &str,
) -> Result<DrawingArea<DB, Shift>, String> {
    root.draw(&Text::new(title.to_string(), (32, 22), bold(TITLE_PX))).map_err(msg)?;
    root.draw(&Text::new(caption.to_string(), (32, 76), font(SUBTITLE_PX).color(&GREY))).map_err(msg)?;
    Ok(root.margin(120, 15, 15, 25))
}

/// A panel that states in words why there is nothing to plot, instead of
/// showing empty axes that a reader might take for a rendering fault.
fn message_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, title: &str, message: &str) -> Result<(), String> {
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(title.to_string(), (w as i32 / 2, 10), bold(PANEL_PX).pos(Pos::new(HPos::Center, VPos::Top))))
        .map_err(msg)?;
    area.draw(&Rectangle::new([(10, 60), (w as i32 - 10, h as i32 - 10)], RGBColor(200, 200, 200).stroke_width(2)))
        .map_err(msg)?;
    let lines = wrap(area, message, &font(AXIS_PX), w.saturating_sub(80))?;
    let mid = (60 + h as i32) / 2 - (lines.len() as i32 * 40) / 2;
    for (k, line) in lines.into_iter().enumerate() {
        let style = font(AXIS_PX).color(&GREY).pos(Pos::new(HPos::Center, VPos::Top));
        area.draw(&Text::new(line, (w as i32 / 2, mid + 40 * k as i32), style)).map_err(msg)?;
    }
    Ok(())
}

/// Breaks `text` into lines at most `max_px` wide in `style` (a single
/// word wider than that gets a line of its own).
fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
    max_px: u32,
) -> Result<Vec<String>, String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && area.estimate_text_size(&candidate, style).map_err(msg)?.0 > max_px {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// The widest of `labels` in `style`, in pixels.
fn widest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: impl IntoIterator<Item = impl AsRef<str>>,
    style: &TextStyle<'_>,
) -> Result<u32, String> {
    let mut max = 0;
    for l in labels {
        max = max.max(area.estimate_text_size(l.as_ref(), style).map_err(msg)?.0);
    }
    Ok(max)
}

/// The label of category `k` on a categorical axis drawn as an f64 axis
/// from -0.5 to n - 0.5: ticks fall on whole numbers, so anything else
/// (which plotters may also ask about) gets no label.
fn category(labels: &[String], x: f64) -> String {
    let k = x.round();
    if (x - k).abs() < 1e-6 && k >= 0.0 { labels.get(k as usize).cloned().unwrap_or_default() } else { String::new() }
}

/// A share in [0, 1] as a percentage label.
fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// 12345 → "12,345".
fn group(n: u64) -> String {
    crate::report::summary_table::group(n)
}

/// An I-shaped 95% confidence whisker from `lo` to `hi` (data coordinates)
/// at `at`, vertical or horizontal; `cap` is the half-width of its ends.
fn whisker(at: f64, lo: f64, hi: f64, cap: f64, vertical: bool) -> Vec<PathElement<(f64, f64)>> {
    let p = |along: f64, across: f64| if vertical { (across, along) } else { (along, across) };
    let style = BLACK.stroke_width(3);
    vec![
        PathElement::new(vec![p(lo, at), p(hi, at)], style),
        PathElement::new(vec![p(lo, at - cap), p(lo, at + cap)], style),
        PathElement::new(vec![p(hi, at - cap), p(hi, at + cap)], style),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::outcomes::summarise;
    use crate::analysis::shares::Share;
    use crate::montecarlo::{RunConfig, simulate};

    fn geneva() -> (Model, Summary) {
        let text = crate::scenario::find_builtin("geneva-2022").expect("geneva-2022 is built in").text;
        let (_, model) = crate::scenario::load_bytes("x", text.as_bytes()).expect("the shipped scenario loads");
        let tally = simulate(&model, &RunConfig { seed: 1, runs: 0..2000, keep_runs: false }, |_| true);
        let summary = summarise(&model, &tally);
        (model, summary)
    }

    /// A fresh folder per test and process, so parallel tests and
    /// concurrent test runs never share files.
    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("brink-plots-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn png_size(bytes: &[u8]) -> (u32, u32) {
        assert_eq!(&bytes[1..4], b"PNG", "not a PNG");
        let be = |r: std::ops::Range<usize>| u32::from_be_bytes(bytes[r].try_into().expect("four bytes"));
        (be(16..20), be(20..24))
    }

    /// Whether a decoded-enough check finds ink: the PNG of a white page
    /// compresses to almost nothing, so instead of decoding (no extra
    /// crate) we draw the same plot into memory and count non-white pixels.
    fn ink(plot: &impl Plot) -> f64 {
        fonts().expect("fonts");
        let (w, h) = SIZE;
        let mut buf = vec![0u8; (w * h * 3) as usize];
        draw_page(BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area(), plot).expect("draws");
        buf.chunks(3).filter(|p| p != &[255, 255, 255]).count() as f64 / (w * h) as f64
    }

    fn svg(plot: &impl Plot) -> String {
        fonts().expect("fonts");
        let mut s = String::new();
        draw_page(SVGBackend::with_string(&mut s, SIZE).into_drawing_area(), plot).expect("draws");
        s
    }

    fn check_files(files: &[PathBuf], model: &Model) {
        for f in files {
            let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            assert!(bytes.len() > 1000, "{} is suspiciously small", f.display());
            match f.extension().and_then(|e| e.to_str()) {
                Some("png") => assert_eq!(png_size(&bytes), SIZE, "{}", f.display()),
                Some("svg") => {
                    let text = String::from_utf8(bytes).expect("SVG is text");
                    assert!(text.contains(&model.name), "{} lacks the scenario name", f.display());
                }
                other => panic!("unexpected file type {other:?}"),
            }
        }
    }

    #[test]
    fn run_plots_are_written_as_png_and_svg_with_names_and_ink() {
        let (model, summary) = geneva();
        let dir = temp_dir("run");
        let caption = Caption { scenario: model.name.clone(), runs: summary.runs, seed: 1 };
        let files = write_run_plots(&dir, &model, &summary, &caption).expect("plots are written");
        let names: Vec<String> =
            files.iter().filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
        for plot in ["outcomes", "payoffs", "terms", "rounds", "agreements"] {
            for ext in ["png", "svg"] {
                assert!(names.contains(&format!("{plot}.{ext}")), "{plot}.{ext} missing from {names:?}");
            }
        }
        check_files(&files, &model);
        // Every SVG carries the caption line; those that plot per actor
        // name both actors.
        for plot in ["outcomes", "payoffs", "terms", "rounds", "agreements"] {
            let text = std::fs::read_to_string(dir.join(format!("{plot}.svg"))).expect("readable");
            assert!(text.contains("Geneva talks, January 2022 — 2,000 runs, seed 1"), "{plot}.svg lacks the caption");
        }
        for plot in ["payoffs", "agreements"] {
            let text = std::fs::read_to_string(dir.join(format!("{plot}.svg"))).expect("readable");
            for actor in &model.actors {
                assert!(text.contains(&actor.name), "{plot}.svg does not name {}", actor.name);
            }
        }
        let agreements = std::fs::read_to_string(dir.join("agreements.svg")).expect("readable");
        assert!(agreements.contains("United States (usa): expected utility") && agreements.contains("Nash"));

        let line = caption.to_string();
        let (m, s) = (&model, &summary);
        assert!(ink(&outcomes::Outcomes { summary: s, caption: &line }) > 0.03);
        assert!(ink(&payoffs::Payoffs { model: m, summary: s, caption: &line }) > 0.02);
        assert!(ink(&terms::Terms { model: m, summary: s, caption: &line }) > 0.03);
        assert!(ink(&rounds::Rounds { summary: s, caption: &line }) > 0.02);
        let overlay = UtilityOverlay::default();
        let space = utility_space::UtilitySpace {
            title: "t",
            caption: &line,
            model: m,
            agreements: &s.agreements,
            disagreement: disagreement_point(m),
            overlay: &overlay,
        };
        assert!(ink(&space) > 0.02);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_summary_without_agreements_still_plots_and_says_so() {
        let (model, mut summary) = geneva();
        // Rewrite the summary as if no talks had ended in agreement.
        let runs = summary.runs;
        let failed = summary.ends.iter().skip(1).map(|s| s.count).sum::<u64>();
        summary.ends[0] = Share::new("agreement", 0, runs);
        summary.ends[1] = Share::new(summary.ends[1].label.clone(), summary.ends[1].count + runs - failed, runs);
        for issue in &mut summary.terms {
            for option in &mut issue.options {
                *option = Share::new(option.label.clone(), 0, 0);
            }
        }
        summary.agreements.clear();
        let line = "c";
        let text = svg(&terms::Terms { model: &model, summary: &summary, caption: line });
        assert!(text.contains("no agreements"), "the terms plot does not say why it is empty");

        let dir = temp_dir("none");
        let caption = Caption { scenario: model.name.clone(), runs, seed: 1 };
        let files = write_run_plots(&dir, &model, &summary, &caption).expect("plots are written");
        assert_eq!(files.len(), 10);
        check_files(&files, &model);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_analysis_plot_labels_every_solution() {
        let (model, summary) = geneva();
        let b = &summary.benchmarks;
        let mut labelled = Vec::new();
        for (name, sol) in
            [("Nash", &b.nash), ("Kalai–Smorodinsky", &b.kalai_smorodinsky), ("utilitarian", &b.utilitarian)]
        {
            labelled.extend(sol.outcomes.iter().map(|&w| (name.to_string(), w)));
        }
        let overlay = UtilityOverlay { frontier: b.frontier.clone(), labelled };
        let dir = temp_dir("analysis");
        let files = write_analysis_plot(&dir.join("space.v1"), &model, &overlay, "Bargaining solutions")
            .expect("plot is written");
        assert_eq!(files, [dir.join("space.v1.png"), dir.join("space.v1.svg")]);
        check_files(&files, &model);
        let text = std::fs::read_to_string(&files[1]).expect("readable");
        for word in ["Nash", "Kalai–Smorodinsky", "utilitarian", "Pareto frontier", "Russia (russia): expected utility"] {
            assert!(text.contains(word), "analysis plot lacks {word}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_outcome_outside_the_space_is_an_error_naming_the_file() {
        let (model, _) = geneva();
        let overlay = UtilityOverlay { frontier: vec![u32::MAX], labelled: vec![] };
        let dir = temp_dir("bad");
        let err = write_analysis_plot(&dir.join("bad"), &model, &overlay, "t").expect_err("must fail");
        let text = err.to_string();
        assert!(text.contains("bad.png") && text.contains("outside"), "{text}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn captions_group_thousands() {
        let c = Caption { scenario: "Geneva talks, January 2022".into(), runs: 10_000, seed: 42 };
        assert_eq!(c.to_string(), "Geneva talks, January 2022 — 10,000 runs, seed 42");
    }
}
