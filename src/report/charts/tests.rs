//! Every chart renders, at the promised size, with visible content and the
//! labels a classroom needs.

use plotters::prelude::*;

use super::*;
use crate::analysis::outcomes::{Summary, summarise};
use crate::model::Model;
use crate::montecarlo::{RunConfig, simulate};

fn scenario(text: &str) -> Model {
    crate::scenario::load_bytes("t", text.as_bytes()).map_err(|e| e.to_string()).unwrap().1
}

fn geneva() -> (Model, Summary) {
    let m = scenario(crate::scenario::find_builtin("geneva-2022").unwrap().text);
    let t = simulate(&m, &RunConfig { seed: 1, runs: 0..2000, keep_runs: false, causes: false }, |_| true);
    let s = summarise(&m, &t);
    (m, s)
}

fn temp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("brink-charts-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Share of pixels that are not white when `chart` is drawn in memory.
fn ink(chart: &impl Chart) -> f64 {
    register_fonts();
    let (w, h) = SIZE;
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
        root.fill(&WHITE).unwrap();
        chart.draw(&root).unwrap();
        root.present().unwrap();
    }
    buf.chunks(3).filter(|p| p != &[255, 255, 255]).count() as f64 / (w * h) as f64
}

fn svg_text(chart: &impl Chart) -> String {
    register_fonts();
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
        chart.draw(&root).unwrap();
        root.present().unwrap();
    }
    s
}

#[test]
fn every_run_chart_is_written_as_png_and_svg_at_the_promised_size() {
    let (m, s) = geneva();
    let dir = temp("run");
    let files = run_charts(&dir, &m, &s, 1).unwrap();
    // geneva-2022 has escalation ladders, so the ladder chart is among them.
    assert_eq!(files.len(), 12);
    assert!(files.iter().any(|f| f == "ladder.png"));
    for f in &files {
        let bytes = std::fs::read(dir.join(f)).unwrap();
        assert!(bytes.len() > 1000, "{f} is suspiciously small");
        if f.ends_with(".png") {
            let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
            let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
            assert_eq!((width, height), SIZE, "{f}");
        } else {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains("Geneva talks, January 2022"), "{f} lacks the caption");
        }
    }
}

#[test]
fn charts_have_visible_content_and_name_the_actors() {
    let (m, s) = geneva();
    let cap = style::caption(&m.name, s.runs, 1);
    assert!(ink(&Outcomes { summary: &s, caption: cap.clone() }) > 0.05);
    assert!(ink(&Payoffs { model: &m, summary: &s, caption: cap.clone() }) > 0.02);
    let svg = svg_text(&Payoffs { model: &m, summary: &s, caption: cap.clone() });
    assert!(svg.contains("United States") && svg.contains("Russia"));
    let space = UtilitySpace {
        name: "x".into(),
        title: "t".into(),
        caption: cap,
        model: &m,
        agreements: &s.agreements,
        disagreement: [0.2, 0.4],
        overlay: UtilityOverlay {
            frontier: s.benchmarks.frontier.clone(),
            labelled: vec![("Nash".into(), 0)],
            reference: None,
            range: None,
        },
    };
    let svg = svg_text(&space);
    assert!(svg.contains("United States (usa): expected utility") && svg.contains("Nash"));
    assert!(ink(&space) > 0.02);
}

#[test]
fn a_run_without_agreements_still_plots_and_says_so() {
    let text = crate::scenario::find_builtin("logrolling")
        .unwrap()
        .text
        .replace("strategy = \"conceder\"", "strategy = \"hardliner\"")
        .replace("strategy = { kind = \"time\", beta = 0.5 }", "strategy = \"hardliner\"");
    let m = scenario(&text);
    let t = simulate(&m, &RunConfig { seed: 1, runs: 0..200, keep_runs: false, causes: false }, |_| true);
    let s = summarise(&m, &t);
    assert_eq!(s.ends[0].count, 0, "two hardliners never agree");
    let svg = svg_text(&Terms { model: &m, summary: &s, caption: "c".into() });
    assert!(svg.contains("no agreements were reached"));
    let dir = temp("none");
    assert_eq!(run_charts(&dir, &m, &s, 1).unwrap().len(), 10);
}

#[test]
fn sweep_and_compare_charts_are_written() {
    let (m, s) = geneva();
    let dir = temp("sweep");
    let values = [[0.1, 1.0], [0.1, 2.0], [0.5, 1.0], [0.5, 2.0]];
    let points: Vec<crate::report::experiments::SweepPoint<'_>> = values
        .iter()
        .map(|v| crate::report::experiments::SweepPoint { values: v, summary: &s, differences: Default::default() })
        .collect();
    let one: Vec<_> = points
        .iter()
        .take(2)
        .map(|p| crate::report::experiments::SweepPoint {
            values: &p.values[..1],
            summary: p.summary,
            differences: p.differences.clone(),
        })
        .collect();
    assert_eq!(
        sweep_charts(&dir, &m, &["a".into()], &[false], &one, 0, 2000).unwrap(),
        ["sweep-outcomes.png", "sweep-outcomes.svg", "sweep-payoffs.png", "sweep-payoffs.svg"]
    );
    let files = sweep_charts(&dir, &m, &["a".into(), "b".into()], &[false, false], &points, 0, 2000).unwrap();
    assert!(
        files.contains(&"sweep-agreement.png".to_string()) && files.contains(&"sweep-escalation.png".to_string()),
        "{files:?}"
    );
    let arms = [("baseline".to_string(), String::new()), ("other".to_string(), String::new())];
    let summaries = [s.clone(), s];
    let refs: Vec<_> = summaries.iter().collect();
    let rows = crate::analysis::comparison::compare(&refs);
    assert_eq!(compare_charts(&dir, &m, &arms, &summaries, &rows, 0, 2000).unwrap().len(), 6);
}

/// Decodes standard base64 (the test's side of `svg_font::base64`).
fn unbase64(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let mut v = 0u32;
        for (k, &c) in chunk.iter().enumerate() {
            v |= u32::from(value(c)) << (18 - 6 * k);
        }
        out.extend_from_slice(&v.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// The rightmost inked column of each band of rows (None: no ink).
fn right_edges(pixels: &[[u8; 3]], bands: &[(usize, usize)]) -> Vec<Option<usize>> {
    let w = SIZE.0 as usize;
    bands
        .iter()
        .map(|&(y0, y1)| {
            (y0..y1).filter_map(|y| (0..w).rev().find(|&x| pixels[y * w + x].iter().any(|&c| c < 200))).max()
        })
        .collect()
}

#[test]
fn issue_16_svg_text_renders_like_the_png_with_its_embedded_font() {
    let (m, s) = geneva();
    let chart = Outcomes { summary: &s, caption: style::caption(&m.name, s.runs, 1) };
    // The PNG as plotters draws it.
    register_fonts();
    let (w, h) = SIZE;
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
        root.fill(&WHITE).unwrap();
        chart.draw(&root).unwrap();
        root.present().unwrap();
    }
    let png: Vec<[u8; 3]> = buf.chunks(3).map(|p| [p[0], p[1], p[2]]).collect();
    // The SVG as written, rendered by resvg with only the fonts the SVG
    // itself carries (no system fonts): text that shows proves the embedding.
    let dir = temp("svg-font");
    write(&dir, &chart).unwrap();
    let svg = std::fs::read_to_string(dir.join("outcomes.svg")).unwrap();
    let mut options = resvg::usvg::Options::default();
    for part in svg.split("base64,").skip(1) {
        let data = &part[..part.find(')').unwrap()];
        options.fontdb_mut().load_font_data(unbase64(data));
    }
    assert_eq!(options.fontdb.len(), 2, "regular and bold are embedded");
    let tree = resvg::usvg::Tree::from_str(&svg, &options).unwrap();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut pixmap.as_mut());
    let rendered: Vec<[u8; 3]> = pixmap.pixels().iter().map(|p| [p.red(), p.green(), p.blue()]).collect();
    // Text extents: where the title, the panel titles and the caption end.
    let bands = [(10, 60), (90, 125), (h as usize - 40, h as usize - 5)];
    let (a, b) = (right_edges(&png, &bands), right_edges(&rendered, &bands));
    for (k, (a, b)) in a.iter().zip(&b).enumerate() {
        let (a, b) = (a.expect("the PNG has text there"), b.expect("the SVG renders text there"));
        assert!(a.abs_diff(b) <= 6, "band {k}: text ends at x = {a} in the PNG but {b} in the SVG");
    }
}

/// One line of legend text, for checking glyph placement.
struct Line(&'static str, u32);

impl Chart for Line {
    fn name(&self) -> &str {
        "line"
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        root.draw(&Text::new(self.0, (20, 20), style::font(self.1))).map_err(e)
    }
}

/// Pixels of `chart` as the PNG draws them (through `backend`) and as its
/// SVG renders in resvg with the embedded font.
fn png_and_svg(chart: &impl Chart, plotters_own: bool) -> (Vec<[u8; 3]>, Vec<[u8; 3]>) {
    register_fonts();
    let (w, h) = SIZE;
    let mut buf = vec![0u8; (w * h * 3) as usize];
    if plotters_own {
        let root = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
        root.fill(&WHITE).unwrap();
        chart.draw(&root).unwrap();
        root.present().unwrap();
    } else {
        let root = png_text::PngBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
        root.fill(&WHITE).unwrap();
        chart.draw(&root).unwrap();
        root.present().unwrap();
    }
    let png = buf.chunks(3).map(|p| [p[0], p[1], p[2]]).collect();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
        root.fill(&WHITE).unwrap();
        chart.draw(&root).unwrap();
        root.present().unwrap();
    }
    let svg = svg_font::embed(&text);
    let mut options = resvg::usvg::Options::default();
    for part in svg.split("base64,").skip(1) {
        options.fontdb_mut().load_font_data(unbase64(&part[..part.find(')').unwrap()]));
    }
    let tree = resvg::usvg::Tree::from_str(&svg, &options).unwrap();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut pixmap.as_mut());
    (png, pixmap.pixels().iter().map(|p| [p.red(), p.green(), p.blue()]).collect())
}

/// The columns where ink starts after a blank column, in the band of rows
/// `y0..y1`: one per glyph where glyphs do not touch.
fn ink_starts(pixels: &[[u8; 3]], (y0, y1): (usize, usize)) -> Vec<usize> {
    let w = SIZE.0 as usize;
    let inked = |x: usize| (y0..y1).any(|y| pixels[y * w + x].iter().any(|&c| c < 140));
    (1..w).filter(|&x| inked(x) && !inked(x - 1)).collect()
}

#[test]
fn png_legends_read_dear_eyed_for_clear_eyed() {
    for size in [style::NOTE, style::NOTE + 2, 28] {
        let line = Line("clear-eyed clock-driven", size);
        let (png, svg) = png_and_svg(&line, false);
        let (a, b) = (ink_starts(&png, (0, 80)), ink_starts(&svg, (0, 80)));
        // c, l, e, a, r, -, e, y, e, d, space, c, l, o, c, k, -, d, r, i, v, e, n: each its own run.
        assert!(a.len() >= 20, "size {size}: the PNG's glyphs run together: ink starts at {a:?}");
        assert_eq!(a.len(), b.len(), "size {size}: PNG ink starts {a:?}, SVG {b:?}");
        for (x, y) in a.iter().zip(&b) {
            assert!(
                x.abs_diff(*y) <= 1,
                "size {size}: a glyph starts at x = {x} in the PNG, {y} in the SVG: {a:?} {b:?}"
            );
        }
    }
    // The check sees the fault it guards against: plotters' own placement.
    let (png, svg) = png_and_svg(&Line("clear-eyed clock-driven", style::NOTE + 2), true);
    let (a, b) = (ink_starts(&png, (0, 80)), ink_starts(&svg, (0, 80)));
    assert!(a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| x.abs_diff(*y) > 1), "{a:?} {b:?}");
}
