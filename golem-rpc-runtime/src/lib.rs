//! Typed worker-to-worker RPC for [Golem](https://golem.cloud) components.
//!
//! [`import!`] reads the target component's WIT when the caller compiles and generates, for
//! each interface the target exports, a client that calls Golem's host interface
//! `golem:rpc/types@0.1.0` directly: no stub crate, no stub component, no composition step.
//!
//! # Example
//!
//! ```toml
//! [dependencies]
//! golem-rpc = "0.1"
//! ```
//!
//! A caller that talks to a counter worker. The target's WIT usually comes from its files,
//! `import!("../counter/wit")` (a `.wit` file or a directory with `deps/`, relative to the
//! caller's `Cargo.toml`); here it is inline:
//!
//! ```
//! golem_rpc::import!({
//!     inline: "
//!         package demo:counter;
//!
//!         interface api {
//!             add: func(value: u64);
//!             get: func() -> u64;
//!         }
//!
//!         world counter {
//!             export api;
//!         }
//!     ",
//! });
//!
//! fn count(uri: &golem_rpc::Uri) -> Result<u64, golem_rpc::Error> {
//!     let api = counter::api::Api::new(uri); // uri: urn:worker:{component-id}/{worker-name}
//!     api.blocking_add(5);                   // invoke-and-await, panics on RPC errors
//!     let total = api.try_blocking_get()?;   // the same, returning golem_rpc::Error
//!     let pending = api.get();               // async-invoke-and-await: subscribe() / get()
//!     api.add(1);                            // fire-and-forget invoke
//!     golem_rpc::join_all(&[&pending]);      // wait until its result arrived
//!     Ok(pending.get().unwrap_or(total))
//! }
//! # fn main() {
//! #     // Natively, against fake workers (`testing`).
//! #     let fakes = golem_rpc::testing::Fakes::new();
//! #     fakes.on(counter::api::Api::ADD, |(_,)| Ok(()));
//! #     fakes.on(counter::api::Api::GET, |()| Ok(5));
//! #     let uri = golem_rpc::Uri::parse("urn:worker:4a8c23e0-3f9a-4cbb-9c44-1b9d58c4b4a1/c1");
//! #     assert_eq!(count(&uri.unwrap()).unwrap(), 5);
//! #     assert_eq!(fakes.calls_to(counter::api::Api::ADD), [(5,), (1,)]);
//! # }
//! ```
//!
//! Build the caller with `cargo build --target wasm32-wasip2` and upload its `.wasm`; the
//! values on the wire are exactly what Golem 1.0's stub generator sends, so it deploys to a
//! Golem 1.0/1.1 cluster unchanged (with the `golem-1-2` feature the clients call Golem 1.2's
//! host API instead). Built natively, as in `cargo test`, the same clients call fake workers, so
//! a caller's own logic is unit-tested without Golem: `golem_rpc::testing` (not on wasm).
//!
//! Fan-out needs no hand-written poll loop:
//!
//! ```
//! # golem_rpc::import!({ inline: "
//! #     package demo:counter;
//! #     interface api { get: func() -> u64; }
//! #     world counter { export api; }
//! # " });
//! # use counter::api::Api;
//! fn total(counter1: &Api, counter2: &Api, counter3: &Api) -> u64 {
//!     let (a, b, c) = (counter1.get(), counter2.get(), counter3.get());
//!     golem_rpc::join_all(&[&a, &b, &c]); // wait for all three at once
//!     a.get().unwrap() + b.get().unwrap() + c.get().unwrap()
//! }
//! # fn main() {}
//! ```
//!
//! See [`join_all`], [`collect`], [`select`], [`join_all_with_timeout`], [`map_concurrent`] and
//! [`block_on`] (RPC futures implement [`std::future::Future`]).

mod bindings;
pub mod build;
mod call;
mod codec;
mod error;
mod exec;
mod function;
mod imports;
#[cfg(all(feature = "golem-rust", feature = "golem-1-2"))]
compile_error!(
    "golem-rpc's `golem-rust` feature converts to and from golem-rust 1.1 (Golem 1.0/1.1); \
     it cannot be combined with `golem-1-2`"
);
#[cfg(feature = "golem-1-2")]
mod golem12;
#[cfg(feature = "golem-rust")]
mod golem_rust_interop;
mod join;
mod resource;
mod self_uri;
#[cfg(not(target_family = "wasm"))]
pub mod testing;
mod uri;

pub use bindings::golem::rpc::types::{NodeIndex, RpcError, Uri, WitNode, WitValue};
pub use call::{FutureResult, RpcFuture, Target};
pub use codec::{
    DecodeError, PathSegment, SeqBuilder, ValueBuilder, ValueReader, WitDecode, WitEncode, decode,
    encode,
};
pub use error::Error;
pub use exec::block_on;
pub use function::{Function, Params};
pub use imports::{FutureInvokeResult, Pollable, WasmRpc, poll};
pub use join::{Elapsed, collect, join_all, join_all_with_timeout, map_concurrent, select};
pub use resource::{Handle, RemoteResource};
pub use self_uri::{get_self_uri, get_self_worker_id};
pub use uri::{ComponentId, UriError, WorkerId};

/// Golem 1.2: a wall-clock time (`wasi:clocks/wall-clock`), when a scheduled call runs; from
/// [`std::time::SystemTime`] with `.into()`.
#[cfg(feature = "golem-1-2")]
pub use bindings::wasi::clocks::wall_clock::Datetime;
/// Golem 1.2: a scheduled call's token; `cancel()` keeps the call from running if it has not yet.
#[cfg(feature = "golem-1-2")]
pub use imports::CancellationToken;

/// Generates typed RPC clients for the interfaces a target component exports.
///
/// `import!("path")` takes a WIT file or a WIT directory (with `deps/`), relative to the
/// calling crate's `Cargo.toml`. The generated module is named after the target package
/// (`demo:counter` → `counter`), with one module per exported interface holding its types and a
/// client named after the interface (`counter::api::Api`). For each function `f`:
///
/// - `blocking_f(..) -> T` and `try_blocking_f(..) -> Result<T, golem_rpc::Error>` wait for the result;
/// - `f(..) -> FutureFResult` starts the call; the future has `subscribe()`, `get()` and `try_get()`;
/// - for functions without results, `f(..)` / `try_f(..)` are fire-and-forget.
///
/// When the target's WIT lies in a Golem application (a `golem.yaml` at its directory or
/// above), the application's manifests say where the packages it uses come from (`witDeps`),
/// under which names golem-cli's build exports its functions (`ns:name-exports/…`) and, for
/// Golem 1.2 clients, which component `new(worker_name)` resolves; the options `wit_deps`,
/// `exports` and `component` override them. The braced form `import!({ path: "..", .. })` takes
/// these and the other options the README lists.
pub use golem_rpc_macro::import;

/// Items generated code refers to. Not public API: it changes with every release, and the
/// macro and runtime are pinned to each other with `=x.y.z`.
#[doc(hidden)]
pub mod __private {
    pub use crate::call::{
        async_invoke_and_await, async_invoke_and_await_named, decode_named_results, decode_results,
        fail, invoke, invoke_and_await, invoke_and_await_named,
    };
    pub use crate::codec::{DecodeError, ValueBuilder, ValueReader, WitDecode, WitEncode, encode};
    pub use crate::resource::decode_resource;
    #[cfg(feature = "golem-1-2")]
    pub use crate::{
        CancellationToken, Datetime,
        call::{schedule_cancelable_invocation, schedule_invocation},
    };
    pub use crate::{
        ComponentId, Error, Function, FutureResult, Handle, NodeIndex, RemoteResource, Target, Uri,
        WitValue, WorkerId,
    };
    pub use ::core::result::Result;
}
