//! brink: a scenario negotiation simulator.
//!
//! Two actors bargain over several issues by alternating offers, following
//! payoff rules read from a TOML scenario; a Monte Carlo runner plays the
//! scenario many times with seeded randomness. The layers follow the data:
//! [`scenario`] (TOML, validation) → [`model`] (compiled, indices) →
//! [`engine`] (protocol and strategies) → `montecarlo` → `analysis` →
//! `report` (the only layer that serialises). The CLI lives in the binary.

pub mod analysis;
pub mod classroom;
pub mod engine;
pub mod games;
pub mod limits;
pub mod model;
pub mod montecarlo;
pub mod report;
pub mod rng;
pub mod scenario;
