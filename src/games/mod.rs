//! Games for teaching, beside the negotiation simulator: each kind of game
//! has its own room. Today [`normal`] holds two-player normal-form
//! (bimatrix) games and their exact equilibria (`brink solve`); extensive-form
//! games, repeated games and tournaments belong here too, one module each.

pub mod evolution;
pub mod extensive;
pub mod normal;
pub mod repeated;
pub mod tournament;
