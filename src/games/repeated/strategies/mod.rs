//! The strategies of the repeated game, one file each, defined exactly as in
//! Axelrod's library (the Python `axelrod` package): same first moves, same
//! memory, same probabilities. Adding one: a file here implementing
//! [`RepeatedStrategy`](super::RepeatedStrategy) and one line in
//! [`registry`](super::registry).

pub mod alternator;
pub mod cooperator;
pub mod defector;
pub mod generous_tit_for_tat;
pub mod grudger;
pub mod memory_one;
pub mod prober;
pub mod random;
pub mod suspicious_tit_for_tat;
pub mod tit_for_tat;
pub mod tit_for_two_tats;
pub mod win_stay_lose_shift;

pub use alternator::Alternator;
pub use cooperator::Cooperator;
pub use defector::Defector;
pub use generous_tit_for_tat::GenerousTitForTat;
pub use grudger::Grudger;
pub use memory_one::MemoryOne;
pub use prober::Prober;
pub use random::Random;
pub use suspicious_tit_for_tat::SuspiciousTitForTat;
pub use tit_for_tat::TitForTat;
pub use tit_for_two_tats::TitForTwoTats;
pub use win_stay_lose_shift::WinStayLoseShift;
