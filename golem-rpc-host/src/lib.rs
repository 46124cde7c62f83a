//! A local host for Golem 1.0/1.1 and 1.2 components on wasmtime 48: Golem's RPC interface and
//! host API as 1.0/1.1 link them (`golem:rpc/types@0.1.0` … `@0.1.3`, `golem:api/host@0.2.x`) and as 1.2
//! does (`golem:rpc/types@0.2.0`, `golem:api/host@1.1.6`, which also serves `@1.1.0` … `@1.1.5`
//! imports), side by side; the worker environment Golem gives every worker, and the rest of its
//! world (WASI 0.2, outgoing `wasi:http`, `wasi:keyvalue@0.1.0`, `wasi:blobstore`, `wasi:logging`).
//!
//! # Example
//!
//! ```toml
//! [dev-dependencies]
//! golem-rpc-host = "0.1"
//! ```
//!
//! A counter component and a caller that imports it with `golem_rpc::import!` (the golem-rpc
//! repository's `examples/counter`), built with `cargo build --release --target wasm32-wasip2`:
//!
//! ```no_run
//! use golem_rpc_host::Host;
//!
//! fn main() -> anyhow::Result<()> {
//!     let host = Host::new()?;
//!     host.add_component_file("counter", "target/wasm32-wasip2/release/counter_target.wasm")?;
//!     host.add_component_file("caller", "target/wasm32-wasip2/release/counter_caller.wasm")?;
//!
//!     // Call an export directly, arguments and results in WAVE; worker `counter/c1` is
//!     // created by its first call.
//!     host.call_wave("counter", "c1", "demo:counter/api.{add}", &["5"])?;
//!
//!     // The caller reads that worker's total over golem:rpc, as it would on Golem.
//!     let uri = host.worker_uri("counter", "c1")?;
//!     let total = host.call_wave(
//!         "caller",
//!         "main",
//!         "demo:caller/run.{total-at}",
//!         &[format!("{uri:?}")], // a WAVE string
//!     )?;
//!     assert_eq!(total, ["ok(5)"]);
//!     Ok(())
//! }
//! ```
//!
//! In integration tests of your own components, [`testing::Components`] builds them and gives
//! each test a fresh host. The `golem-rpc-host` binary (`cargo install golem-rpc-host`) makes
//! such calls from the command line: `golem-rpc-host run --component counter=counter.wasm
//! counter/c1 'demo:counter/api.{add}' 5`, or `repl` for a session of calls.
//!
//! # Details
//!
//! Components are loaded by name ([`Host::add_component_file`], or as ephemeral with
//! [`Host::add_ephemeral_component_file`]) and get a stable component id (UUID v5 of the name,
//! [`uri::component_id`]). A *worker* is one wasmtime store plus one instance of its component,
//! created on first use and addressed as `urn:worker:{component-id}/{form-urlencoded worker name}`
//! ([`uri`]). It sees the environment and arguments it was created with ([`Host::add_env`],
//! [`Host::add_arg`]; workers created through RPC inherit their caller's) plus
//! `GOLEM_WORKER_NAME`, `GOLEM_COMPONENT_ID` and `GOLEM_COMPONENT_VERSION`. Guests talk to other
//! workers through the `wasm-rpc` resource exactly as on Golem (function names per
//! [`function_name`], values per [`value`], resources a target exports as `handle(uri, id)`
//! values, errors mapped like Golem's executor); the host itself can make the same calls
//! ([`Host::invoke_and_await`]) or call exports directly ([`Host::call`], [`Host::call_wave`],
//! [`repl`]). Golem's host API has its local meaning (promises shared by the host's workers, an
//! oplog index counted as Golem's executor would, settings kept per worker; see `interfaces::golem_api`).
//! Invocations a guest schedules for later run at their time unless cancelled
//! ([`Host::pending_schedules`]); [`Host::shutdown`] says which never ran. A component that
//! imports a client interface shaped like Golem 1.2's generated ones (`ns:pkg-client/…`, a
//! "stubless" caller) gets it linked when it is loaded, each call becoming a `golem:rpc`
//! invocation of the target worker (`interfaces::dynamic_linking`).
//!
//! # Layout
//!
//! One folder per layer, each importing only those below it (`scripts/check-layers.py` in the
//! repository checks that no module imports another in a circle), from the bottom:
//! - `model`: worker URIs ([`uri`]) and the `invoke*` function-name grammar ([`function_name`]);
//! - `execution`: how calls run — tasks and call chains, per-worker locks with deadlock
//!   detection, the pool of background threads and their futures, the timers of scheduled
//!   invocations;
//! - `bindings`: wasmtime's bindgen output, the host types it maps Golem's resources to, and
//!   [`value`] (`wit-value` ↔ [`Val`]);
//! - `services`: what the host keeps for all workers — promises, key-value and blob data, the
//!   client for outgoing HTTP;
//! - `worker`: a worker's context, its store's state and the `Services` it may ask of the host,
//!   the loaded component, the instance, handles, output;
//! - `interfaces`: Golem's interfaces, one folder per package and one adapter per version over
//!   shared semantics, and Golem 1.2's dynamically linked client interfaces;
//! - `host`: [`Host`], the facade, and the call path it shares with its workers;
//! - on top: [`repl`] (the `run`/`repl` call syntax), [`testing`], [`build`], and the binary.

#![warn(missing_docs)]

mod bindings;
pub mod build;
mod durability;
mod execution;
mod host;
mod interfaces;
mod model;
pub mod repl;
mod services;
pub mod testing;
mod worker;

pub use bindings::value;
pub use model::{function_name, uri};

pub use bindings::golem::rpc0_1_3::types::{NodeIndex, RpcError, Uri, WitNode, WitValue};
pub use execution::timers::{MAX_PENDING_SCHEDULES, ScheduledInvocation};
pub use host::{Host, MAX_BACKGROUND_INVOCATIONS, MAX_CALL_DEPTH};
pub use model::generation::Generation;
pub use services::promises::{PromiseError, PromiseId};
pub use uri::WorkerId;
pub use uuid::Uuid;
pub use wasmtime::component::{Type, Val};
pub use worker::component::FunctionSignature;
pub use worker::output::{LogLevel, LogLine, Output, WorkerOutput};
