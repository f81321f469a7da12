//! The proptest configuration of the property tests (tests/properties.rs, tests/comments.rs):
//! a fixed seed, so CI runs are repeatable, and `PROPTEST_CASES` to search more locally.

use proptest::test_runner::{Config, RngSeed};

/// `cases` cases (unless `PROPTEST_CASES` says otherwise) from the fixed `seed`; failures
/// are not persisted to files.
pub fn config(cases: u32, seed: u64) -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(cases),
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    }
}
