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
}
