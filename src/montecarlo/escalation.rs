//! The escalation part of a tally: where the ladders stood, round by round
//! and at the end, why talks failed, and the conflict lottery as realised.
//! Integer counts only, so merging stays exact.

use crate::engine::{End, Ending, LadderMove, Observer};
use crate::model::{ActorIdx, Model};

/// Causes of failure, in the order of [`EscalationTally::lottery_by_cause`]:
/// exogenous breakdown, escalation-induced breakdown, deadline, then a
/// walk-out by each actor.
pub const CAUSES: usize = 5;

/// The label of failure cause `c` (actor ids for walk-outs).
pub fn cause_label(model: &Model, c: usize) -> String {
    match c {
        0 => "exogenous-breakdown".into(),
        1 => "escalation-breakdown".into(),
        2 => "deadline".into(),
        c => format!("walk-away-{}", model.actors[c - 3].id),
    }
}

/// The failure cause of an ending (`None` for agreements).
pub fn cause_of(e: &Ending) -> Option<usize> {
    match e.end {
        End::Agreement => None,
        End::Breakdown if e.ladder.escalation_breakdown => Some(1),
        End::Breakdown => Some(0),
        End::Deadline => Some(2),
        End::WalkAway(a) => Some(3 + a),
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EscalationTally {
    /// Steps per ladder (positions run 0..=steps).
    pub steps: [usize; 2],
    /// Runs by each actor's position at the end of the talks.
    pub final_positions: [Vec<u64>; 2],
    /// `occupancy[a][t * (steps[a] + 1) + k]`: runs still talking at round t
    /// with actor a at position k.
    pub occupancy: [Vec<u64>; 2],
    /// Runs in which the actor climbed at least once during the talks.
    pub climbed: [u64; 2],
    /// `lottery_by_cause[c * outcomes + k]`: failures of cause c (see
    /// [`CAUSES`]) that ended in disagreement outcome k.
    pub lottery_by_cause: Vec<u64>,
}

impl EscalationTally {
    pub fn new(model: &Model) -> Self {
        let steps = [model.ladders[0].steps.len(), model.ladders[1].steps.len()];
        let rounds = model.rounds as usize;
        EscalationTally {
            steps,
            final_positions: steps.map(|n| vec![0; n + 1]),
            occupancy: steps.map(|n| vec![0; rounds * (n + 1)]),
            climbed: [0; 2],
            lottery_by_cause: vec![0; CAUSES * model.disagreement.len()],
        }
    }

    #[inline]
    pub fn record(&mut self, e: &Ending) {
        for a in 0..2 {
            if let Some(c) = self.final_positions[a].get_mut(e.ladder.positions[a] as usize) {
                *c += 1;
            }
            if e.ladder.first_step[a].is_some() {
                self.climbed[a] += 1;
            }
        }
        if let (Some(c), Some(k)) = (cause_of(e), e.lottery) {
            let n = self.lottery_by_cause.len() / CAUSES;
            self.lottery_by_cause[c * n + k as usize] += 1;
        }
    }

    pub fn merge(&mut self, o: &EscalationTally) {
        fn add(x: &mut [u64], y: &[u64]) {
            for (x, y) in x.iter_mut().zip(y) {
                *x += y;
            }
        }
        for a in 0..2 {
            add(&mut self.final_positions[a], &o.final_positions[a]);
            add(&mut self.occupancy[a], &o.occupancy[a]);
            self.climbed[a] += o.climbed[a];
        }
        add(&mut self.lottery_by_cause, &o.lottery_by_cause);
    }

    /// Runs of each failure cause.
    pub fn causes(&self) -> [u64; CAUSES] {
        let n = self.lottery_by_cause.len() / CAUSES;
        std::array::from_fn(|c| self.lottery_by_cause[c * n..(c + 1) * n].iter().sum())
    }

    /// Actor `a`'s occupancy at round `t`: runs at each position.
    pub fn at_round(&self, a: ActorIdx, t: usize) -> &[u64] {
        let w = self.steps[a] + 1;
        &self.occupancy[a][t * w..(t + 1) * w]
    }
}

/// Counts, for each round a run reaches, where the ladders stand.
pub struct OccupancyObserver<'a>(pub &'a mut EscalationTally);

impl Observer for OccupancyObserver<'_> {
    #[inline]
    fn positions(&mut self, round: u32, positions: [u8; 2]) {
        for (a, &k) in positions.iter().enumerate() {
            let w = self.0.steps[a] + 1;
            if let Some(c) = self.0.occupancy[a].get_mut(round as usize * w + k as usize) {
                *c += 1;
            }
        }
    }

    fn ladder(&mut self, _round: u32, _actor: ActorIdx, _step: LadderMove) {}

    fn reads_offers(&self) -> bool {
        false
    }
}
