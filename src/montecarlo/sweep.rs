//! Parameter grids for sweeps: `path=0.1:2.0:20` (linear), `path=0.01:1:5:log`
//! (logarithmic) or `path=0.1,0.5,1,2` (a list).
//!
//! Every grid point is run with the same seed and run indices, so run k sees
//! the same random stream at every point (common random numbers): the
//! differences between points come from the parameter, not from noise.

use crate::scenario::Override;
use crate::scenario::overrides::{parse_override, parse_path, path_text};

/// One swept parameter and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct GridParam {
    /// The TOML path, canonical form.
    pub path: String,
    pub values: Vec<f64>,
    /// A logarithmic range (`LO:HI:N:log`): plots draw it on a log axis.
    pub log: bool,
}

/// The largest number of points one parameter may take.
pub const MAX_POINTS: usize = 10_000;

/// Parses `PATH=SPEC`.
pub fn parse_grid(arg: &str) -> Result<GridParam, String> {
    let Some((path, spec)) = arg.split_once('=') else {
        return Err(format!("`{arg}` is not PATH=GRID (e.g. actors.usa.strategy.beta=0.1:2.0:20)"));
    };
    let path = path_text(&parse_path(path.trim()).map_err(|e| format!("in `{arg}`: {e}"))?);
    let spec = spec.trim();
    let num = |s: &str| -> Result<f64, String> {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("in `{arg}`: `{s}` is not a number"))
    };
    let mut log_grid = false;
    let values = if spec.contains(':') {
        let parts: Vec<&str> = spec.split(':').collect();
        let (lo, hi, n, log) = match parts.as_slice() {
            [lo, hi, n] => (num(lo)?, num(hi)?, n, false),
            [lo, hi, n, "log"] => (num(lo)?, num(hi)?, n, true),
            _ => return Err(format!("in `{arg}`: a range is LO:HI:N or LO:HI:N:log")),
        };
        let n: usize = n.trim().parse().map_err(|_| format!("in `{arg}`: `{n}` is not a whole number of points"))?;
        if !(2..=MAX_POINTS).contains(&n) {
            return Err(format!("in `{arg}`: a range needs 2 to {MAX_POINTS} points, found {n}"));
        }
        if log && (lo <= 0.0 || hi <= 0.0) {
            return Err(format!("in `{arg}`: a log grid needs LO and HI above 0"));
        }
        log_grid = log;
        (0..n)
            .map(|k| {
                let f = k as f64 / (n - 1) as f64;
                let x = if log { (lo.ln() + f * (hi.ln() - lo.ln())).exp() } else { lo + f * (hi - lo) };
                // 0.30000000000000004 is 0.3 to anyone reading sweep.csv.
                round_to_12_digits(x)
            })
            .collect()
    } else {
        spec.split(',').map(num).collect::<Result<Vec<_>, _>>()?
    };
    if values.is_empty() || values.len() > MAX_POINTS {
        return Err(format!("in `{arg}`: give 1 to {MAX_POINTS} values"));
    }
    Ok(GridParam { path, values, log: log_grid })
}

fn round_to_12_digits(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(11 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

/// The value as TOML: integral values as integers, so that integer keys
/// (`scenario.rounds`) can be swept too.
pub fn toml_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x:?}") }
}

/// A grid point: the parameters' values and the overrides that set them.
pub type GridPoint = (Vec<f64>, Vec<Override>);

/// Per grid point, its values as `PATH=VALUE` (in the order of `params`):
/// the label that binds a sharded tally to its point.
pub fn point_labels(params: &[GridParam], points: &[GridPoint]) -> Vec<Vec<String>> {
    points
        .iter()
        .map(|(values, _)| params.iter().zip(values).map(|(p, &v)| format!("{}={}", p.path, toml_number(v))).collect())
        .collect()
}

/// Every point of the grid (the cartesian product, last parameter fastest),
/// each as its parameter values and the overrides that set them.
pub fn points(params: &[GridParam]) -> Result<Vec<GridPoint>, String> {
    for (k, p) in params.iter().enumerate() {
        if params[..k].iter().any(|q| q.path == p.path) {
            return Err(format!(
                "--param {} is given twice; sweep two different parameters, or list every value in one --param",
                p.path
            ));
        }
    }
    let total = params.iter().try_fold(1u64, |acc, p| acc.checked_mul(p.values.len() as u64)).unwrap_or(u64::MAX);
    if total > crate::limits::MAX_GRID_POINTS {
        let sizes: Vec<String> = params.iter().map(|p| p.values.len().to_string()).collect();
        return Err(format!(
            "the grid has {total} points ({}), above the limit of {}; use fewer values per parameter",
            sizes.join(" x "),
            crate::limits::MAX_GRID_POINTS
        ));
    }
    let mut out: Vec<Vec<f64>> = vec![Vec::new()];
    for p in params {
        out = out
            .into_iter()
            .flat_map(|prefix| p.values.iter().map(move |&v| [prefix.clone(), vec![v]].concat()))
            .collect();
    }
    out.into_iter()
        .map(|values| {
            let overrides = params
                .iter()
                .zip(&values)
                .map(|(p, &v)| {
                    parse_override(&format!("{}={}", p.path, toml_number(v))).map(|o| Override { flag: "--param", ..o })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok((values, overrides))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_parse_linear_log_and_lists() {
        let g = parse_grid("actors.usa.strategy.beta=0.1:2.0:20").unwrap();
        assert_eq!(g.values.len(), 20);
        assert_eq!((g.values[0], g.values[19]), (0.1, 2.0));
        assert_eq!(parse_grid("x=0.1:0.5:5").unwrap().values, vec![0.1, 0.2, 0.3, 0.4, 0.5]);
        let g = parse_grid("x=0.01:1:3:log").unwrap();
        assert!((g.values[1] - 0.1).abs() < 1e-12);
        assert_eq!(parse_grid("x=0.1,0.5,1,2").unwrap().values, vec![0.1, 0.5, 1.0, 2.0]);
        assert!(parse_grid("x=1:2").unwrap_err().contains("LO:HI:N"));
        assert!(parse_grid("x=0:1:5:log").unwrap_err().contains("above 0"));
        assert!(parse_grid("x").unwrap_err().contains("PATH=GRID"));
    }

    #[test]
    fn issue_14_a_parameter_given_twice_and_huge_grids_are_refused() {
        let a = parse_grid("a=1,2").unwrap();
        assert!(points(&[a.clone(), a]).unwrap_err().contains("given twice"));
        let big = parse_grid("a=0:1:10000").unwrap();
        let other = parse_grid("b=0:1:10000").unwrap();
        assert!(points(&[big, other]).unwrap_err().contains("above the limit"));
    }

    #[test]
    fn points_are_the_cartesian_product() {
        let a = parse_grid("a=1,2").unwrap();
        let b = parse_grid("b=0.5,0.25,0.125").unwrap();
        let p = points(&[a, b]).unwrap();
        assert_eq!(p.len(), 6);
        assert_eq!(p[1].0, vec![1.0, 0.25]);
        assert_eq!(p[1].1[0].value, "1");
        assert_eq!(p[1].1[1].value, "0.25");
    }
}
