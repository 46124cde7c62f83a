//! Everything the host knows about one worker ([`WorkerContext`]): its identity, what it was
//! started with (environment, arguments), and the settings Golem's host API lets it change. It
//! outlives the worker's instances (a trap drops the instance, not the worker).
//!
//! Settings both versions of `golem:api/host` read and change are kept once: worker status and
//! persistence level as the 0.2.0 bindings' types (1.1.6 converts), the retry policy as
//! [`RetryConfig`] (0.2.0 has no jitter factor).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, SystemTime};

use uuid::Uuid;

use crate::bindings::golem::api0_2_0::host::{PersistenceLevel, WorkerStatus};
use crate::durability::store::WorkerOplog;
use crate::model::generation::Generation;
use crate::model::uri::WorkerId;

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
    /// The Golem generation its component is built for (its environment follows it).
    pub(crate) generation: Generation,
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
    /// Its oplog, when workers are durable (see `crate::durability`).
    pub(crate) oplog: Option<Arc<WorkerOplog>>,
    api: Mutex<ApiSettings>,
}

/// The state `golem:api/host` reads and changes, per worker.
pub(crate) struct ApiSettings {
    pub(crate) status: WorkerStatus,
    pub(crate) retry_policy: RetryConfig,
    pub(crate) persistence_level: PersistenceLevel,
    pub(crate) idempotent: bool,
    /// Index of the last entry of the worker's oplog, counted as Golem's executor writes it for
    /// what this host sees (see `interfaces::golem_api`).
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
    pub(crate) fn new(
        id: WorkerId,
        component_name: &str,
        generation: Generation,
        startup: Startup,
        oplog: Option<Arc<WorkerOplog>>,
    ) -> Self {
        let created_at = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let mut context = Self {
            uri: id.uri().into(),
            label: format!("{component_name}/{}", id.worker_name).into(),
            id,
            generation,
            inherited: Startup::default(),
            startup,
            created_at,
            oplog,
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

    /// The environment the worker sees, as its Golem generation's executor builds it
    /// (`enrich_env`): what it was started with minus Golem's own variables, then those for the
    /// worker itself, in Golem's order. Golem 1.0–1.2: `GOLEM_WORKER_NAME`, `GOLEM_COMPONENT_ID`,
    /// `GOLEM_COMPONENT_VERSION`; Golem 1.3 puts `GOLEM_AGENT_ID` (the worker name) first, and
    /// also drops an inherited `GOLEM_AGENT_TYPE` (set for agents, which WIT components are not);
    /// Golem 1.4 has `GOLEM_COMPONENT_REVISION` instead of `GOLEM_COMPONENT_VERSION` (and keeps an
    /// inherited `GOLEM_COMPONENT_VERSION` as any other variable).
    pub(crate) fn wasi_env(&self) -> Vec<(String, String)> {
        let name = self.id.worker_name.clone();
        // Golem 1.4 calls the component's version its revision.
        let version = match self.generation {
            Generation::Golem1_4 => "GOLEM_COMPONENT_REVISION",
            Generation::UpTo1_2 | Generation::Golem1_3 => "GOLEM_COMPONENT_VERSION",
        };
        let mut own = Vec::new();
        let mut removed = vec!["GOLEM_WORKER_NAME", "GOLEM_COMPONENT_ID", version];
        if self.generation != Generation::UpTo1_2 {
            own.push(("GOLEM_AGENT_ID", name.clone()));
            removed.extend(["GOLEM_AGENT_ID", "GOLEM_AGENT_TYPE"]);
        }
        own.extend([
            ("GOLEM_WORKER_NAME", name),
            ("GOLEM_COMPONENT_ID", self.id.component_id.to_string()),
            (version, COMPONENT_VERSION.to_string()),
        ]);
        let mut env: Vec<(String, String)> = self
            .startup
            .env
            .iter()
            .filter(|(key, _)| !removed.contains(&key.as_str()))
            .cloned()
            .collect();
        env.extend(own.into_iter().map(|(key, value)| (key.to_string(), value)));
        env
    }
}
