//! Time-dependent concession (Faratin, Sierra & Jennings 1998):
//! `target(t) = u_min + (u_max - u_min) * (1 - (t / T)^(1 / beta))`.
//! beta < 1 is Boulware (holds firm, concedes late), beta = 1 linear,
//! beta > 1 Conceder.

use super::{Strategy, Turn};

pub struct TimeDependent;

impl Strategy for TimeDependent {
    fn target(&self, turn: &Turn<'_>) -> f64 {
        let s = turn.side;
        let progress = turn.round as f64 / turn.rounds as f64;
        s.u_min + (s.u_max - s.u_min) * (1.0 - progress.powf(1.0 / s.beta))
    }
}
