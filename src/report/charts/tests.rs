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
    let t = simulate(&m, &RunConfig { seed: 1, runs: 0..2000, keep_runs: false }, |_| true);
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
    assert_eq!(files.len(), 10);
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
    let t = simulate(&m, &RunConfig { seed: 1, runs: 0..200, keep_runs: false }, |_| true);
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
    let points: Vec<crate::report::experiments::SweepPoint<'_>> =
        values.iter().map(|v| crate::report::experiments::SweepPoint { values: v, summary: &s }).collect();
    let one: Vec<_> = points
        .iter()
        .take(2)
        .map(|p| crate::report::experiments::SweepPoint { values: &p.values[..1], summary: p.summary })
        .collect();
    assert_eq!(
        sweep_charts(&dir, &m, &["a".into()], &one, 0, 2000).unwrap(),
        ["sweep-outcomes.png", "sweep-outcomes.svg", "sweep-payoffs.png", "sweep-payoffs.svg"]
    );
    let files = sweep_charts(&dir, &m, &["a".into(), "b".into()], &points, 0, 2000).unwrap();
    assert!(
        files.contains(&"sweep-agreement.png".to_string()) && files.contains(&"sweep-escalation.png".to_string()),
        "{files:?}"
    );
    let arms = [("baseline".to_string(), String::new()), ("other".to_string(), String::new())];
    let summaries = [s.clone(), s];
    assert_eq!(compare_charts(&dir, &m, &arms, &summaries, 0, 2000).unwrap().len(), 4);
}
