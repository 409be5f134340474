//! The one source of randomness: a ChaCha8 stream per run, keyed by the
//! master seed and the run index alone. It lives on the lowest floor so that
//! every layer (model draws, engine moves, games, tournaments) shares it
//! without depending on the engine.

use rand::SeedableRng;

/// The random stream of one run.
pub type RunRng = rand_chacha::ChaCha8Rng;

/// The stream of run `run` under master seed `seed`: it depends on these two
/// numbers alone (docs/model.md, reproducibility), so any run can be replayed
/// by itself and results do not depend on threads or sharding.
pub fn run_rng(seed: u64, run: u64) -> RunRng {
    let mut rng = RunRng::seed_from_u64(seed);
    rng.set_stream(run);
    rng
}
