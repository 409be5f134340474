//! Concession curves of the strategies, checked on a hand-made situation.

use super::*;
use crate::rng::{Purpose, RunKey};

fn side(beta: f64) -> Side {
    Side {
        discount: 0.9,
        cost: 0.0,
        reservation: 0.2,
        walk_away: None,
        reachable: 1.0,
        acceptance: AcceptRule::Next,
        beta,
        u_max: 1.0,
        u_lowest: 0.0,
        u_min: 0.2,
        opponent_discount: 0.9,
        opponent_min: 0.0,
        opponent_max: 1.0,
    }
}

fn target_at(s: &dyn Strategy, side: &Side, round: u32, memory: Memory) -> f64 {
    let own = [1.0, 0.6, 0.2];
    let opp = [0.0, 0.5, 1.0];
    s.target(&Turn {
        round,
        rounds: 10,
        own: &own,
        opponent: &opp,
        offers: Offers::Known,
        side,
        memory: &memory,
        mind: &Mind::default(),
        lines: Default::default(),
    })
}

#[test]
fn time_dependent_targets_fall_from_best_to_floor() {
    let s = side(1.0);
    let t = &time::TimeDependent;
    assert_eq!(target_at(t, &s, 0, Memory::default()), 1.0);
    assert!((target_at(t, &s, 5, Memory::default()) - 0.6).abs() < 1e-12, "linear halfway");
    assert!((target_at(t, &s, 10, Memory::default()) - 0.2).abs() < 1e-12, "reservation at the deadline");
}

#[test]
fn boulware_concedes_later_than_conceder() {
    let (boulware, conceder) = (side(0.3), side(3.0));
    for round in 1..10 {
        let b = target_at(&time::TimeDependent, &boulware, round, Memory::default());
        let c = target_at(&time::TimeDependent, &conceder, round, Memory::default());
        assert!(b > c, "round {round}: Boulware {b} should hold above Conceder {c}");
    }
}

#[test]
fn hardliner_never_moves() {
    for round in 0..10 {
        assert_eq!(target_at(&hardliner::Hardliner, &side(1.0), round, Memory::default()), 1.0);
    }
}

#[test]
fn tit_for_tat_mirrors_the_opponents_concession() {
    let s = side(1.0);
    let t = &tit_for_tat::TitForTat;
    // No concession seen yet: hold at the best.
    assert_eq!(target_at(t, &s, 2, Memory { last_received: Some(1), ..Memory::default() }), 1.0);
    // Opponent moved from outcome 2 (worth 1.0 to it) to outcome 1 (0.5):
    // half its range, so we give up half of ours (0.8 * 0.5 = 0.4).
    let m =
        Memory { last_received: Some(1), previous_received: Some(2), own_last_target: Some(1.0), ..Memory::default() };
    assert!((target_at(t, &s, 3, m) - 0.6).abs() < 1e-12);
    // An opponent that hardens gets no concession back.
    let m =
        Memory { last_received: Some(2), previous_received: Some(1), own_last_target: Some(0.9), ..Memory::default() };
    assert!((target_at(t, &s, 3, m) - 0.9).abs() < 1e-12);
}

#[test]
fn random_offers_stay_above_the_reservation_value() {
    let s = side(1.0);
    let own = [1.0, 0.6, 0.1, 0.3];
    let opp = [0.0, 0.5, 1.0, 0.4];
    let mut rng = RunKey::new(3, 0).stream(Purpose::named("test"));
    let mind = Mind::default();
    let turn = Turn {
        round: 0,
        rounds: 10,
        own: &own,
        opponent: &opp,
        offers: Offers::Known,
        side: &s,
        memory: &Memory::default(),
        mind: &mind,
        lines: Default::default(),
    };
    let mut seen = [0; 4];
    for _ in 0..300 {
        let p = make_proposal(&random::RandomOffers, &turn, &mut rng);
        seen[p.outcome as usize] += 1;
    }
    assert_eq!(seen[2], 0, "outcome 2 is below the reservation value");
    assert!(seen[0] > 0 && seen[1] > 0 && seen[3] > 0, "{seen:?}");
}

#[test]
fn ac_next_compares_with_the_next_offer_and_the_reservation_value() {
    let s = side(1.0);
    let v = acceptance_rule(&s, 0.5, Some(0.6));
    assert!(!v.accept && v.basis == VerdictBasis::NextOffer);
    assert!(acceptance_rule(&s, 0.6, Some(0.6)).accept);
    // Last round: only the reservation value counts.
    let v = acceptance_rule(&s, 0.25, None);
    assert!(v.accept && v.basis == VerdictBasis::Reservation);
    // A next offer below the reservation value never lowers the bar.
    assert!(!acceptance_rule(&s, 0.15, Some(0.1)).accept);
    let with_threshold = Side { acceptance: AcceptRule::Threshold(0.7), ..s };
    assert!(!acceptance_rule(&with_threshold, 0.65, Some(0.3)).accept);
    // The "reservation" rule ignores the next offer (regression: it used to act as AC_next).
    let at_reservation = Side { acceptance: AcceptRule::Reservation, ..s };
    assert!(acceptance_rule(&at_reservation, 0.25, Some(0.9)).accept);
}
