//! The data of one worker instance's wasmtime store ([`WorkerState`]: WASI, the resource table,
//! the worker's context, a weak handle to the host's [`Services`]), the bounds on workers
//! ([`Settings`]), and what a worker's host functions may ask of the host ([`Services`]). The
//! interfaces (`crate::interfaces`) implement Golem's interfaces on [`WorkerState`] and reach the
//! rest of the host only through [`Services`], so they do not depend on the host module (which
//! depends on them).

use crate::durability::journal::{Journal, MonotonicClock, WallClock};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, SystemTime};

use uuid::Uuid;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::bindings::RpcResult;
use crate::bindings::golem::rpc0_1_3::types::{RpcError, WitValue};
use crate::execution::background::PendingInvocation;
use crate::execution::timers::{ScheduleError, ScheduleId};
use crate::model::uri::WorkerId;
use crate::services::data_store::DataStore;
use crate::services::outgoing_http::PlainHttp;
use crate::services::promises::Promises;
use crate::worker::context::WorkerContext;
use crate::worker::output::OutputSink;

/// Bounds the host puts on its workers, shared by the host and every worker (read at each
/// instantiation and invocation, so changes apply from the next one on).
pub(crate) struct Settings {
    /// Most bytes of linear memory one worker instance may have.
    memory_limit: AtomicU64,
    /// How long one invocation may run wasm, in milliseconds; 0: no limit (Golem's default).
    invocation_timeout_ms: AtomicU64,
    /// Set when the host interrupts everything still running (see `Host::shutdown`).
    interrupted: std::sync::atomic::AtomicBool,
}

/// Default per-worker memory limit: one runaway worker cannot take the host past ~1 GiB.
pub(crate) const DEFAULT_MEMORY_LIMIT: u64 = 1 << 30;

impl Default for Settings {
    fn default() -> Self {
        Self {
            memory_limit: AtomicU64::new(DEFAULT_MEMORY_LIMIT),
            invocation_timeout_ms: AtomicU64::new(0),
            interrupted: Default::default(),
        }
    }
}

impl Settings {
    pub(crate) fn memory_limit(&self) -> u64 {
        self.memory_limit.load(Ordering::Relaxed)
    }

    pub(crate) fn set_memory_limit(&self, bytes: u64) {
        self.memory_limit.store(bytes, Ordering::Relaxed);
    }

    pub(crate) fn invocation_timeout(&self) -> Option<Duration> {
        match self.invocation_timeout_ms.load(Ordering::Relaxed) {
            0 => None,
            ms => Some(Duration::from_millis(ms)),
        }
    }

    pub(crate) fn set_invocation_timeout(&self, timeout: Option<Duration>) {
        let ms = timeout.map_or(0, |t| {
            u64::try_from(t.as_millis()).unwrap_or(u64::MAX).max(1)
        });
        self.invocation_timeout_ms.store(ms, Ordering::Relaxed);
    }

    /// Makes every running instance trap at the next epoch tick, and every later one at its
    /// first.
    pub(crate) fn interrupt(&self) {
        self.interrupted.store(true, Ordering::Relaxed);
    }

    pub(crate) fn is_interrupted(&self) -> bool {
        self.interrupted.load(Ordering::Relaxed)
    }
}

/// What a resource of a client interface stands for (see `interfaces::dynamic_linking`), found
/// when it is first used.
#[derive(Debug, Clone)]
pub(crate) struct ClientTarget {
    /// The component that exports it.
    pub(crate) component: Uuid,
    /// The exported interface calls go to, e.g. `demo:counter/api`.
    pub(crate) interface: String,
    /// `true`: the resource stands for the interface itself (calls `iface.{f}`); `false`: for a
    /// resource of it (calls `iface.{R.f}` with the handle first).
    pub(crate) interface_client: bool,
}

/// What the interfaces need from the host.
pub(crate) trait Services: Send + Sync {
    /// `invoke-and-await` of `function` on `target`, made by `caller` (with its idempotency key
    /// for the call when it is durable).
    fn invoke_and_await(
        self: Arc<Self>,
        caller: &WorkerContext,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
        key: Option<String>,
    ) -> Result<WitValue, RpcError>;

    /// `invoke`: checked now, run in the background, result discarded.
    fn invoke(
        self: Arc<Self>,
        caller: &WorkerContext,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
        key: Option<String>,
    ) -> Result<(), RpcError>;

    /// `async-invoke-and-await`: the result now (a rejected call) or later.
    fn async_invoke_and_await(
        self: Arc<Self>,
        caller: &WorkerContext,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
        key: Option<String>,
    ) -> Result<PendingInvocation<RpcResult>, RpcError>;

    /// `schedule-invocation`: checks the call now and queues it at `at` like `invoke` (a worker
    /// it creates starts like one the host creates: Golem's scheduler passes on no arguments or
    /// environment). `None` if the call was rejected (reported on stderr: it will never run);
    /// `Err` if nothing can be scheduled (the host is shut down, or too many are pending).
    fn schedule(
        self: Arc<Self>,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
        at: SystemTime,
    ) -> Result<Option<ScheduleId>, ScheduleError>;

    /// Cancels a scheduled invocation that has not run yet (otherwise nothing happens).
    fn cancel_schedule(&self, id: ScheduleId);

    /// The component a `golem:api` component reference names: the name it was loaded under, or
    /// its id.
    fn resolve_component(&self, reference: &str) -> Option<Uuid>;

    /// What resource `resource` of a client interface of package `{target_package}-client`
    /// stands for (see `dynamic_linking`), or why none or several loaded components fit:
    /// `component`'s exports when the worker id names a loaded component that fits.
    fn client_target(
        &self,
        target_package: &str,
        resource: &str,
        component: Option<Uuid>,
    ) -> Result<ClientTarget, String>;

    /// The host's promises.
    fn promises(&self) -> &Arc<Promises>;

    /// The context of an existing worker.
    fn worker(&self, id: &WorkerId) -> Option<Arc<WorkerContext>>;

    /// The contexts of all existing workers of a component.
    fn workers_of(&self, component: &Uuid) -> Vec<Arc<WorkerContext>>;

    /// Where the workers' output goes.
    fn output(&self) -> Arc<OutputSink>;

    /// The key-value buckets and blob containers of the host.
    fn data(&self) -> Arc<DataStore>;

    /// The bounds on workers.
    fn settings(&self) -> Arc<Settings>;
}

/// The data of a worker instance's wasmtime store.
pub(crate) struct WorkerState {
    wasi: WasiCtx,
    pub(crate) table: wasmtime::component::ResourceTable,
    services: Weak<dyn Services>,
    pub(crate) worker: Arc<WorkerContext>,
    pub(crate) output: Arc<OutputSink>,
    pub(crate) data: Arc<DataStore>,
    http: wasmtime_wasi_http::WasiHttpCtx,
    http_hooks: PlainHttp,
    /// The memory bound of this instance.
    pub(crate) limits: wasmtime::StoreLimits,
    /// When the current invocation must have finished running wasm, if it is bounded.
    pub(crate) deadline: Option<std::time::Instant>,
    /// The instance's side of the worker's oplog, when workers are durable.
    pub(crate) journal: Option<Arc<Journal>>,
    /// With a journal: each `future-invoke-result` (by its table index) numbered in the order
    /// the instance made the calls, which a replay repeats.
    pub(crate) futures: std::collections::HashMap<u32, usize>,
    /// `golem:rpc@0.1.x` futures (by table index) and the component each calls: their errors
    /// are worded as Golem 1.1 words them.
    pub(crate) golem_1_1_futures: std::collections::HashMap<u32, Uuid>,
}

impl WorkerState {
    pub(crate) fn new(worker: Arc<WorkerContext>, services: &Arc<dyn Services>) -> Self {
        let output = services.output();
        let journal = worker.oplog.clone().map(Journal::new);
        let muted = journal.as_ref().map(|j| j.muted()).unwrap_or_default();
        let mut wasi = WasiCtx::builder();
        wasi.stdout(output.stream(&worker.label, false, muted.clone()))
            .stderr(output.stream(&worker.label, true, muted))
            .envs(&worker.wasi_env())
            .args(&worker.startup.args);
        if let Some(journal) = &journal {
            // Golem records what the clocks read.
            wasi.wall_clock(WallClock(journal.clone()))
                .monotonic_clock(MonotonicClock(journal.clone()));
        }
        Self {
            journal,
            futures: std::collections::HashMap::new(),
            golem_1_1_futures: std::collections::HashMap::new(),
            wasi: wasi.build(),
            table: wasmtime::component::ResourceTable::new(),
            services: Arc::downgrade(services),
            data: services.data(),
            output,
            worker,
            http: wasmtime_wasi_http::WasiHttpCtx::new(),
            http_hooks: PlainHttp,
            limits: wasmtime::StoreLimitsBuilder::new()
                .memory_size(
                    usize::try_from(services.settings().memory_limit()).unwrap_or(usize::MAX),
                )
                .trap_on_grow_failure(true)
                .build(),
            deadline: None,
        }
    }

    /// What `wasi:http` needs of the store: its context, how requests are sent, the resource
    /// table (the same one WASI uses: bodies are wasi:io streams).
    pub(crate) fn http_parts(
        &mut self,
    ) -> (
        &mut wasmtime_wasi_http::WasiHttpCtx,
        &mut PlainHttp,
        &mut wasmtime::component::ResourceTable,
    ) {
        (&mut self.http, &mut self.http_hooks, &mut self.table)
    }

    /// The host, unless it has been shut down.
    pub(crate) fn services(&self) -> wasmtime::Result<Arc<dyn Services>> {
        self.services
            .upgrade()
            .ok_or_else(|| wasmtime::format_err!("the golem-rpc host has been shut down"))
    }
}

impl WasiView for WorkerState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}
