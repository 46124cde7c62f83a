//! Test component for `golem-rpc-host`: drives Golem 1.2's host API (`golem:rpc/types@0.2.0`,
//! `golem:api/host@1.1.6`) from the guest side, with raw `wasm-rpc` calls.
//!
//! Built with the `legacy` feature it is instead a golem-rust 1.3 era component importing
//! `golem:api/host@1.1.5` (one component cannot import both: wit-component merges
//! semver-compatible imports), to check that the host's 1.1.6 definitions serve it.

#[cfg(feature = "legacy")]
mod legacy;
#[cfg(not(feature = "legacy"))]
mod probe;
