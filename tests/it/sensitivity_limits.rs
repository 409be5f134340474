//! `brink sensitivity` bounds its Sobol design before any work (issue 13):
//! `--samples` × (uncertain numbers + 2) and `--bootstrap` are limited in
//! src/limits.rs, and a request above them is refused with exit status 2.

use std::process::Command;

fn sensitivity(extra: &[&str]) -> (Option<i32>, String) {
    let out = std::env::temp_dir().join(format!("brink-sens-limits-{}", std::process::id()));
    let o = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(["sensitivity", "geneva-2022", "-q", "--no-plots", "--out", out.to_str().unwrap()])
        .args(extra)
        .output()
        .expect("brink runs");
    (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn too_many_samples_or_resamples_are_refused_before_work() {
    let (code, err) = sensitivity(&["--samples", "100000000", "--runs", "10"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("above the limit of 20000000 runs") && err.contains("MAX_SOBOL_RUNS"), "{err}");
    assert!(err.contains("use --samples") && err.contains("or fewer"), "{err}");
    // A product that overflows u64 is refused the same way, never wrapped.
    let (code, err) = sensitivity(&["--samples", "18446744073709551615", "--runs", "10"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("MAX_SOBOL_RUNS") && !err.contains("panicked"), "{err}");
    let (code, err) = sensitivity(&["--samples", "64", "--runs", "10", "--bootstrap", "1000000"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--bootstrap 1000000 is above the limit of 10000"), "{err}");
    let (code, err) = sensitivity(&["--samples", "64", "--runs", "18446744073709551615"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("overflows"), "{err}");
}

#[test]
fn an_ordinary_design_passes_the_checks() {
    let (code, err) = sensitivity(&["--samples", "64", "--runs", "10", "--bootstrap", "10"]);
    assert_eq!(code, Some(0), "{err}");
}
