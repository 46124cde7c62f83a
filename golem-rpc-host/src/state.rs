//! Per-worker state, in one place, and what a worker's host functions may ask of the host.
//!
//! [`WorkerContext`] is everything the host knows about one worker: its identity, what it was
//! started with (environment, arguments), and the settings Golem's host API lets it change. It
//! outlives the worker's instances (a trap drops the instance, not the worker). [`WorkerState`] is
//! the data of one instance's wasmtime store: WASI, the resource table, the worker's context and
//! a weak handle to the host's [`Services`]. The interface modules (`golem_rpc`, `golem_api`, …)
//! implement Golem's interfaces on [`WorkerState`] and reach the rest of the host only through
//! [`Services`], so they do not depend on the host module (which depends on them).
//!
//! Settings both versions of `golem:api/host` read and change are kept once: worker status and
//! persistence level as the 0.2.0 bindings' types (1.1.6 converts), the retry policy as
//! [`RetryConfig`] (0.2.0 has no jitter factor).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
use std::time::{Duration, SystemTime};

use tokio::sync::oneshot;
use uuid::Uuid;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::bindings::golem::api0_2_0::host::{PersistenceLevel, WorkerStatus};
use crate::bindings::golem::rpc0_1_3::types::{RpcError, WitValue};
use crate::data::DataStore;
use crate::output::OutputSink;
use crate::promises::Promises;
use crate::schedule::{ScheduleError, ScheduleId};
use crate::scheduler::Scheduler;
use crate::task::TaskId;
use crate::uri::WorkerId;

/// Environment variables of a worker, as it was started (without the `GOLEM_*` variables the
/// host adds for the worker itself).
pub(crate) type Env = Arc<[(String, String)]>;

/// Command-line arguments of a worker.
pub(crate) type Args = Arc<[String]>;

/// What a worker is started with; a worker created through RPC inherits its caller's.
#[derive(Clone, Default)]
pub(crate) struct Startup {
    pub(crate) env: Env,
    pub(crate) args: Args,
}

/// The version every component has in this host (Golem numbers a component's first version 0).
pub(crate) const COMPONENT_VERSION: u64 = 0;

/// Everything the host keeps about one worker (see the module docs).
pub(crate) struct WorkerContext {
    pub(crate) id: WorkerId,
    /// `{component name}/{worker name}`, how the worker's output is labelled.
    pub(crate) label: Arc<str>,
    /// `urn:worker:{component-id}/{name}`.
    pub(crate) uri: Arc<str>,
    /// What the worker was created with (Golem's stored worker metadata).
    pub(crate) startup: Startup,
    /// What workers it creates through RPC start with: its arguments and its whole environment,
    /// `GOLEM_*` included (the callee replaces those with its own).
    pub(crate) inherited: Startup,
    /// When the worker was created, in milliseconds since the Unix epoch.
    pub(crate) created_at: u64,
    api: Mutex<ApiSettings>,
}

/// The state `golem:api/host` reads and changes, per worker.
pub(crate) struct ApiSettings {
    pub(crate) status: WorkerStatus,
    pub(crate) retry_policy: RetryConfig,
    pub(crate) persistence_level: PersistenceLevel,
    pub(crate) idempotent: bool,
    /// Index of the last entry of the worker's oplog, counted as Golem's executor writes it for
    /// what this host sees (see `golem_api`).
    pub(crate) oplog_index: u64,
    /// The number of the current (or last) invocation, which gives its idempotency key
    /// ([`invocation_key`]).
    pub(crate) invocation: u64,
}

impl ApiSettings {
    /// Appends `entries` entries to the oplog and returns the index of the last.
    pub(crate) fn append(&mut self, entries: u64) -> u64 {
        self.oplog_index += entries;
        self.oplog_index
    }

    /// Starts an invocation: Golem's `ExportedFunctionInvoked` entry, a new idempotency key.
    pub(crate) fn begin_invocation(&mut self) {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        self.status = WorkerStatus::Running;
        self.invocation = NEXT.fetch_add(1, Ordering::Relaxed);
        self.append(1);
    }
}

/// A worker's retry policy (Golem's `RetryConfig`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RetryConfig {
    pub(crate) max_attempts: u32,
    pub(crate) min_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) multiplier: f64,
    pub(crate) max_jitter_factor: Option<f64>,
}

impl Default for RetryConfig {
    /// Golem's default for workers (the executor's `RetryConfig::max_attempts_3`).
    fn default() -> Self {
        Self {
            max_attempts: 3,
            min_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            multiplier: 3.0,
            max_jitter_factor: Some(0.15),
        }
    }
}

/// The idempotency key of invocation number `n` of this process: unique, and cheap enough to
/// give every invocation one (a UUID v5 under a random per-process namespace).
pub(crate) fn invocation_key(n: u64) -> Uuid {
    static NAMESPACE: OnceLock<Uuid> = OnceLock::new();
    Uuid::new_v5(NAMESPACE.get_or_init(Uuid::new_v4), &n.to_le_bytes())
}

impl WorkerContext {
    pub(crate) fn new(id: WorkerId, component_name: &str, startup: Startup) -> Self {
        let created_at = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let mut context = Self {
            uri: id.uri().into(),
            label: format!("{component_name}/{}", id.worker_name).into(),
            id,
            inherited: Startup::default(),
            startup,
            created_at,
            api: Mutex::new(ApiSettings {
                status: WorkerStatus::Idle,
                retry_policy: RetryConfig::default(),
                persistence_level: PersistenceLevel::Smart,
                idempotent: true,
                // Golem's oplog starts with the `create` entry at index 1.
                oplog_index: 1,
                invocation: 0,
            }),
        };
        context.inherited = Startup {
            env: context.wasi_env().into(),
            args: context.startup.args.clone(),
        };
        context
    }

    /// The worker's `golem:api` settings.
    pub(crate) fn api(&self) -> MutexGuard<'_, ApiSettings> {
        self.api.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The environment the worker sees, as Golem builds it: what it was started with minus any
    /// `GOLEM_WORKER_NAME`, `GOLEM_COMPONENT_ID`, `GOLEM_COMPONENT_VERSION`, then those three
    /// for the worker itself, in that order.
    pub(crate) fn wasi_env(&self) -> Vec<(String, String)> {
        let own = [
            ("GOLEM_WORKER_NAME", self.id.worker_name.clone()),
            ("GOLEM_COMPONENT_ID", self.id.component_id.to_string()),
            ("GOLEM_COMPONENT_VERSION", COMPONENT_VERSION.to_string()),
        ];
        let mut env: Vec<(String, String)> = self
            .startup
            .env
            .iter()
            .filter(|(key, _)| !own.iter().any(|(own, _)| key == own))
            .cloned()
            .collect();
        env.extend(own.map(|(key, value)| (key.to_string(), value)));
        env
    }
}

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

/// A background invocation whose result arrives through `receiver`.
pub(crate) struct PendingInvocation {
    pub(crate) receiver: oneshot::Receiver<Result<WitValue, RpcError>>,
    /// The task running it, known to `scheduler` (for deadlock detection while polling).
    pub(crate) job: TaskId,
    /// Whether the call is still queued, running, or cancelled ([`JobState`]).
    pub(crate) state: Arc<JobState>,
    pub(crate) scheduler: Arc<Scheduler>,
}

/// A background invocation's progress: queued, then either started or cancelled, once.
#[derive(Default)]
pub(crate) struct JobState(std::sync::atomic::AtomicU8);

impl JobState {
    const QUEUED: u8 = 0;
    const STARTED: u8 = 1;
    const CANCELLED: u8 = 2;

    /// Marks the job started; `false` if it was cancelled first.
    pub(crate) fn start(&self) -> bool {
        self.0
            .compare_exchange(
                Self::QUEUED,
                Self::STARTED,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_ok()
    }

    /// Cancels the job; `false` if it had started already.
    pub(crate) fn cancel(&self) -> bool {
        self.0
            .compare_exchange(
                Self::QUEUED,
                Self::CANCELLED,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_ok()
    }
}

/// What the interface modules need from the host.
pub(crate) trait Services: Send + Sync {
    /// `invoke-and-await` of `function` on `target`, made by `caller`.
    fn invoke_and_await(
        self: Arc<Self>,
        caller: &WorkerContext,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
    ) -> Result<WitValue, RpcError>;

    /// `invoke`: checked now, run in the background, result discarded.
    fn invoke(
        self: Arc<Self>,
        caller: &WorkerContext,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
    ) -> Result<(), RpcError>;

    /// `async-invoke-and-await`: the result now (a rejected call) or later.
    fn async_invoke_and_await(
        self: Arc<Self>,
        caller: &WorkerContext,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
    ) -> Result<PendingInvocation, RpcError>;

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
    /// stands for (see `dynamic_linking`), or why none or several loaded components fit.
    fn client_target(
        &self,
        target_package: &str,
        resource: &str,
    ) -> Result<crate::dynamic_linking::ClientTarget, String>;

    /// The host's promises.
    fn promises(&self) -> &Promises;

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
    http_hooks: crate::wasi_http::PlainHttp,
    /// The memory bound of this instance.
    pub(crate) limits: wasmtime::StoreLimits,
    /// When the current invocation must have finished running wasm, if it is bounded.
    pub(crate) deadline: Option<std::time::Instant>,
}

impl WorkerState {
    pub(crate) fn new(worker: Arc<WorkerContext>, services: &Arc<dyn Services>) -> Self {
        let output = services.output();
        let mut wasi = WasiCtx::builder();
        wasi.stdout(output.stream(&worker.label, false))
            .stderr(output.stream(&worker.label, true))
            .envs(&worker.wasi_env())
            .args(&worker.startup.args);
        Self {
            wasi: wasi.build(),
            table: wasmtime::component::ResourceTable::new(),
            services: Arc::downgrade(services),
            data: services.data(),
            output,
            worker,
            http: wasmtime_wasi_http::WasiHttpCtx::new(),
            http_hooks: crate::wasi_http::PlainHttp,
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
        &mut crate::wasi_http::PlainHttp,
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
