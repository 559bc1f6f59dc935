//! The configuration of the property tests: their number of cases, a
//! printed seed, and failures saved.

/// The proptest configuration of a property: `PRESSROOM_PROPTEST_CASES`
/// cases (else `cases`), the RNG seeded with `seed` (`proptest_seed`) so
/// that a run can be repeated, and each failure's seed saved in
/// `tests/proptest-regressions/` (proptest's default place, beside the
/// test binary's folder), replayed first by every later run until the file
/// is removed. Commit such a file with the fix, or turn it into a named
/// test.
pub fn proptest_config(cases: u32, seed: u64) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};
    let cases = std::env::var("PRESSROOM_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel("proptest-regressions"))),
        ..Config::default()
    }
}

/// The seed of a property's random cases: `PRESSROOM_PROPTEST_SEED` (a
/// decimal number), else `fixed`, else a fresh one. Printed, so that the
/// output of a failed test says how to repeat it.
#[track_caller]
pub fn proptest_seed(fixed: Option<u64>) -> u64 {
    let seed = match std::env::var("PRESSROOM_PROPTEST_SEED") {
        Ok(text) => text.trim().parse().unwrap_or_else(|_| panic!("PRESSROOM_PROPTEST_SEED={text:?}: not a number")),
        Err(_) => fixed.unwrap_or_else(|| {
            use std::hash::{BuildHasher, Hasher};
            // RandomState is seeded from the OS per process; the time and
            // the thread's name set apart the properties of one run.
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos());
            h.write(std::thread::current().name().unwrap_or("").as_bytes());
            h.finish()
        }),
    };
    eprintln!("proptest seed {seed}: PRESSROOM_PROPTEST_SEED={seed} repeats this run");
    seed
}
