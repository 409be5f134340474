//! Analysis: pure functions from results and models to the numbers a class
//! discusses. No I/O.

pub mod bargaining;
pub mod benchmarks;
pub mod causes;
pub mod classroom;
pub mod comparison;
pub mod escalation;
pub mod outcomes;
pub mod paired;
pub mod sensitivity;
pub mod shares;
