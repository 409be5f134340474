//! Analysis: pure functions from results and models to the numbers a class
//! discusses. No I/O.

pub mod bargaining;
pub mod benchmarks;
pub mod classroom;
pub mod comparison;
pub mod outcomes;
pub mod shares;
