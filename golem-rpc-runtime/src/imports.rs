//! What the runtime asks of the host: in a component, Golem's interfaces through the wit-bindgen
//! imports; built natively (unit tests of a caller's logic), the fakes of
//! [`testing`](crate::testing), with the same shapes.

#[cfg(all(target_family = "wasm", feature = "golem-1-2"))]
pub use crate::bindings::golem::rpc::types::CancellationToken;
#[cfg(target_family = "wasm")]
pub use crate::bindings::golem::rpc::types::{FutureInvokeResult, WasmRpc};
#[cfg(target_family = "wasm")]
pub use crate::bindings::wasi::io::poll::{Pollable, poll};

#[cfg(all(not(target_family = "wasm"), feature = "golem-1-2"))]
pub use crate::testing::fake::{CancellationToken, resolve_component_id};
#[cfg(not(target_family = "wasm"))]
pub use crate::testing::fake::{FutureInvokeResult, Pollable, WasmRpc, poll, self_uri, timer};

/// A pollable ready after `duration` (`monotonic-clock.subscribe-duration`).
#[cfg(target_family = "wasm")]
pub fn timer(duration: std::time::Duration) -> Pollable {
    crate::bindings::wasi::clocks::monotonic_clock::subscribe_duration(
        u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX),
    )
}

/// The calling worker's URI: golem-rust 1.0/1.1's `get-self-uri` returns a function URN, whose
/// last segment is dropped.
#[cfg(all(target_family = "wasm", not(feature = "golem-1-2")))]
pub fn self_uri() -> crate::Uri {
    crate::uri::worker_of(crate::bindings::golem::api::host::get_self_uri("golem-rpc"))
}

/// The calling worker's URI, from `get-self-metadata` (Golem 1.2 has no `get-self-uri`; 1.3
/// names the worker an agent).
#[cfg(all(target_family = "wasm", feature = "golem-1-2"))]
pub fn self_uri() -> crate::Uri {
    let metadata = crate::bindings::golem::api::host::get_self_metadata();
    #[cfg(not(feature = "golem-1-3"))]
    let id = metadata.worker_id;
    #[cfg(feature = "golem-1-3")]
    let id = metadata.agent_id;
    crate::uri::from_worker_id(&id).uri()
}

/// Golem 1.2's `resolve-component-id`.
#[cfg(all(target_family = "wasm", feature = "golem-1-2"))]
pub fn resolve_component_id(name: &str) -> Option<crate::ComponentId> {
    crate::bindings::golem::api::host::resolve_component_id(name)
        .map(|id| crate::uri::from_component_id(&id))
}
