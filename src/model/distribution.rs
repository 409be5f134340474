//! Probability distributions for uncertain scenario numbers (docs/model.md §4).
//!
//! A distribution is validated when the scenario is compiled, so sampling
//! never fails: every constructor below is only called on checked parameters.

use rand::prelude::*;
use rand_distr::{Beta, Normal, Triangular};

/// The shape of an uncertain number, before clamping.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Normal { mean: f64, sd: f64 },
    Uniform { lo: f64, hi: f64 },
    Triangular { lo: f64, mode: f64, hi: f64 },
    Beta { a: f64, b: f64 },
}

/// A distribution with optional clamps, ready to sample.
#[derive(Debug, Clone)]
pub struct Distribution {
    pub shape: Shape,
    pub min: Option<f64>,
    pub max: Option<f64>,
    sampler: Sampler,
}

#[derive(Debug, Clone)]
enum Sampler {
    Normal(Normal<f64>),
    Constant(f64),
    Uniform { lo: f64, width: f64 },
    Triangular(Triangular<f64>),
    Beta(Beta<f64>),
}

/// Why a distribution's parameters are unusable; the message says how to fix them.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapeError(pub String);

impl Distribution {
    /// Checks the parameters and builds the sampler.
    pub fn new(shape: Shape, min: Option<f64>, max: Option<f64>) -> Result<Self, ShapeError> {
        let err = |m: &str| Err(ShapeError(m.to_string()));
        let sampler = match shape {
            Shape::Normal { mean, sd } => {
                if sd < 0.0 {
                    return err("the standard deviation of a normal must be >= 0 (use sd = 0 for a fixed number)");
                }
                if sd == 0.0 {
                    Sampler::Constant(mean)
                } else {
                    match Normal::new(mean, sd) {
                        Ok(n) => Sampler::Normal(n),
                        Err(_) => return err("the normal's parameters must be finite numbers"),
                    }
                }
            }
            Shape::Uniform { lo, hi } => {
                if lo > hi {
                    return err("a uniform needs lo <= hi: write { uniform = [lo, hi] } with the smaller bound first");
                }
                Sampler::Uniform { lo, width: hi - lo }
            }
            Shape::Triangular { lo, mode, hi } => {
                if !(lo <= mode && mode <= hi) {
                    return err("a triangular needs lo <= mode <= hi: write { triangular = [lo, mode, hi] }");
                }
                if lo == hi {
                    Sampler::Constant(lo)
                } else {
                    match Triangular::new(lo, hi, mode) {
                        Ok(t) => Sampler::Triangular(t),
                        Err(_) => return err("the triangular's parameters must be finite numbers"),
                    }
                }
            }
            Shape::Beta { a, b } => {
                if !(a > 0.0 && b > 0.0) {
                    return err("both shape parameters of a beta must be > 0, e.g. { beta = [2, 5] }");
                }
                match Beta::new(a, b) {
                    Ok(d) => Sampler::Beta(d),
                    Err(_) => return err("the beta's parameters must be finite numbers > 0"),
                }
            }
        };
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            return err("the clamps need min <= max");
        }
        Ok(Distribution { shape, min, max, sampler })
    }

    /// The expectation of the unclamped shape, then clamped into [min, max].
    ///
    /// This is the number the other actor believes in (docs/model.md §4: of the
    /// other actor one knows only the scenario's means).
    pub fn mean(&self) -> f64 {
        let m = match self.shape {
            Shape::Normal { mean, .. } => mean,
            Shape::Uniform { lo, hi } => (lo + hi) / 2.0,
            Shape::Triangular { lo, mode, hi } => (lo + mode + hi) / 3.0,
            Shape::Beta { a, b } => a / (a + b),
        };
        self.clamp(m)
    }

    /// The smallest and largest values a draw can take (after clamps).
    pub fn support(&self) -> (f64, f64) {
        let (lo, hi) = match self.shape {
            Shape::Normal { mean, sd: 0.0 } => (mean, mean),
            Shape::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Shape::Uniform { lo, hi } => (lo, hi),
            Shape::Triangular { lo, hi, .. } => (lo, hi),
            Shape::Beta { .. } => (0.0, 1.0),
        };
        (self.clamp(lo), self.clamp(hi))
    }

    /// One draw from `rng`: in a negotiation, the stream of the number's
    /// purpose (`rng::RunKey::stream`).
    #[inline]
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let x = match &self.sampler {
            Sampler::Normal(n) => rand_distr::Distribution::sample(n, rng),
            Sampler::Constant(c) => *c,
            Sampler::Uniform { lo, width } => lo + width * rng.random::<f64>(),
            Sampler::Triangular(t) => rand_distr::Distribution::sample(t, rng),
            Sampler::Beta(b) => rand_distr::Distribution::sample(b, rng),
        };
        self.clamp(x)
    }

    /// The q-quantile (0 < q < 1), clamped like a draw: exact for a uniform,
    /// a triangular and a normal (Acklam's rational approximation, relative
    /// error below 1.2e-9); for a beta, the empirical quantile of 20,001
    /// draws from a fixed stream (no closed form). A reasoning actor's
    /// belief on a quantile grid uses it (docs/strategies.md).
    pub fn quantile(&self, q: f64) -> f64 {
        let q = q.clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON);
        let x = match (&self.sampler, &self.shape) {
            (Sampler::Constant(c), _) => *c,
            (Sampler::Uniform { lo, width }, _) => lo + width * q,
            (Sampler::Normal(_), Shape::Normal { mean, sd }) => mean + sd * standard_normal_quantile(q),
            (Sampler::Triangular(_), &Shape::Triangular { lo, mode, hi }) => {
                let w = hi - lo;
                if q < (mode - lo) / w {
                    lo + (q * w * (mode - lo)).sqrt()
                } else {
                    hi - ((1.0 - q) * w * (hi - mode)).sqrt()
                }
            }
            _ => {
                let mut rng = crate::rng::RunKey::new(0, 0).stream(crate::rng::Purpose::named("quantile"));
                let mut draws: Vec<f64> = (0..20_001).map(|_| self.sample(&mut rng)).collect();
                draws.sort_by(f64::total_cmp);
                draws[((draws.len() - 1) as f64 * q).round() as usize]
            }
        };
        self.clamp(x)
    }

    /// A short human description, e.g. `normal(0.9, 0.03) in [0, 1]`.
    pub fn describe(&self) -> String {
        let mut s = match self.shape {
            Shape::Normal { mean, sd } => format!("normal(mean {mean}, sd {sd})"),
            Shape::Uniform { lo, hi } => format!("uniform({lo}, {hi})"),
            Shape::Triangular { lo, mode, hi } => format!("triangular({lo}, {mode}, {hi})"),
            Shape::Beta { a, b } => format!("beta({a}, {b})"),
        };
        match (self.min, self.max) {
            (Some(lo), Some(hi)) => s.push_str(&format!(" clamped to [{lo}, {hi}]")),
            (Some(lo), None) => s.push_str(&format!(" clamped to >= {lo}")),
            (None, Some(hi)) => s.push_str(&format!(" clamped to <= {hi}")),
            (None, None) => {}
        }
        s
    }

    fn clamp(&self, mut x: f64) -> f64 {
        if let Some(lo) = self.min {
            x = x.max(lo);
        }
        if let Some(hi) = self.max {
            x = x.min(hi);
        }
        x
    }
}

/// Φ⁻¹(q) for the standard normal, by Acklam's rational approximation.
fn standard_normal_quantile(q: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.383_577_518_672_69e+02,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
    const LOW: f64 = 0.02425;
    let tail = |t: f64| {
        (((((C[0] * t + C[1]) * t + C[2]) * t + C[3]) * t + C[4]) * t + C[5])
            / ((((D[0] * t + D[1]) * t + D[2]) * t + D[3]) * t + 1.0)
    };
    if q < LOW {
        tail((-2.0 * q.ln()).sqrt())
    } else if q <= 1.0 - LOW {
        let r = q - 0.5;
        let s = r * r;
        (((((A[0] * s + A[1]) * s + A[2]) * s + A[3]) * s + A[4]) * s + A[5]) * r
            / (((((B[0] * s + B[1]) * s + B[2]) * s + B[3]) * s + B[4]) * s + 1.0)
    } else {
        -tail((-2.0 * (1.0 - q).ln()).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::RunRng;
    use rand::SeedableRng;

    fn rng() -> RunRng {
        RunRng::seed_from_u64(1)
    }

    #[test]
    fn means_follow_the_textbook_formulas() {
        let d = |s| Distribution::new(s, None, None).unwrap().mean();
        assert_eq!(d(Shape::Normal { mean: 0.4, sd: 0.1 }), 0.4);
        assert_eq!(d(Shape::Uniform { lo: 0.2, hi: 0.6 }), 0.4);
        assert!((d(Shape::Triangular { lo: 0.0, mode: 0.3, hi: 0.9 }) - 0.4).abs() < 1e-12);
        assert!((d(Shape::Beta { a: 2.0, b: 3.0 }) - 0.4).abs() < 1e-12);
    }

    #[test]
    fn clamps_bound_every_draw_and_the_mean() {
        let d = Distribution::new(Shape::Normal { mean: 0.99, sd: 0.5 }, Some(0.5), Some(1.0)).unwrap();
        let mut r = rng();
        for _ in 0..10_000 {
            let x = d.sample(&mut r);
            assert!((0.5..=1.0).contains(&x));
        }
        assert_eq!(d.support(), (0.5, 1.0));
    }

    #[test]
    fn invalid_parameters_are_refused_with_advice() {
        let bad = [
            Shape::Normal { mean: 0.0, sd: -1.0 },
            Shape::Uniform { lo: 1.0, hi: 0.0 },
            Shape::Triangular { lo: 0.0, mode: 2.0, hi: 1.0 },
            Shape::Beta { a: 0.0, b: 1.0 },
        ];
        for s in bad {
            assert!(Distribution::new(s, None, None).is_err());
        }
    }

    #[test]
    fn uniform_draws_average_to_the_mean() {
        let d = Distribution::new(Shape::Uniform { lo: 0.0, hi: 2.0 }, None, None).unwrap();
        let mut r = rng();
        let n = 20_000;
        let avg: f64 = (0..n).map(|_| d.sample(&mut r)).sum::<f64>() / n as f64;
        assert!((avg - 1.0).abs() < 0.03, "{avg}");
    }

    #[test]
    fn quantiles_invert_the_distributions() {
        let d = |shape| Distribution::new(shape, None, None).unwrap();
        let normal = d(Shape::Normal { mean: 1.0, sd: 2.0 });
        assert!((normal.quantile(0.975) - (1.0 + 2.0 * 1.959_963_985)).abs() < 1e-7);
        assert!((normal.quantile(0.5) - 1.0).abs() < 1e-12);
        assert!((normal.quantile(0.01) - (1.0 - 2.0 * 2.326_347_874)).abs() < 1e-7, "the lower tail");
        assert!((normal.quantile(0.999) - (1.0 + 2.0 * 3.090_232_306)).abs() < 1e-7, "the upper tail");
        assert_eq!(d(Shape::Uniform { lo: 0.2, hi: 0.6 }).quantile(0.25), 0.3);
        let tri = d(Shape::Triangular { lo: 0.0, mode: 1.0, hi: 2.0 });
        assert!((tri.quantile(0.5) - 1.0).abs() < 1e-12 && (tri.quantile(0.125) - 0.5).abs() < 1e-12);
        let beta = d(Shape::Beta { a: 2.0, b: 2.0 });
        assert!((beta.quantile(0.5) - 0.5).abs() < 0.01, "symmetric: the median is 0.5");
        let clamped = Distribution::new(Shape::Normal { mean: 0.0, sd: 1.0 }, Some(-1.0), Some(1.0)).unwrap();
        assert_eq!(clamped.quantile(0.01), -1.0);
    }
}
