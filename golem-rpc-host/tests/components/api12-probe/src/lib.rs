//! Test component for `golem-rpc-host`: drives Golem 1.2's host API (`golem:rpc/types@0.2.0`,
//! `golem:api/host@1.1.6`) from the guest side, with raw `wasm-rpc` calls.
//!
//! Built with the `legacy` feature it is instead a golem-rust 1.3 era component importing
//! `golem:api/host@1.1.5` (one component cannot import both: wit-component merges
//! semver-compatible imports), to check that the host's 1.1.6 definitions serve it, and
//! `golem:rpc/types@0.1.3` (Golem 1.1.19+: schedules on the URI-based `wasm-rpc`).

#[cfg(feature = "legacy")]
mod legacy;
#[cfg(not(feature = "legacy"))]
mod probe;

/// Now + `delay_ms` (negative: in the past), as time since the Unix epoch.
fn since_epoch_in(delay_ms: i64) -> std::time::Duration {
    use std::time::{Duration, SystemTime};
    let now = SystemTime::now();
    let delay = Duration::from_millis(delay_ms.unsigned_abs());
    let at = if delay_ms < 0 {
        now - delay
    } else {
        now + delay
    };
    at.duration_since(SystemTime::UNIX_EPOCH).unwrap()
}
