//! Tournaments: strategies against strategies, read from a tournament file
//! ([`spec`]). Repeated-game tournaments use [`super::repeated`];
//! negotiation tournaments ([`negotiation`]) play every ordered pair of
//! negotiation strategies on scenarios through the engine and the Monte
//! Carlo; both can feed [`super::evolution`].

pub mod negotiation;
pub mod partial;
pub mod spec;
