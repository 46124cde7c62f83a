//! The host facade: [`Host`] loads components, creates workers and runs calls, all through
//! the [`HostInner`] it shares with its workers' host functions (`inner`), which reach it as their
//! `Services` (`services`).

mod inner;
mod services;

pub use inner::{MAX_BACKGROUND_INVOCATIONS, MAX_CALL_DEPTH};

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context as _, anyhow, bail};
use uuid::Uuid;
use wasmtime::component::{Component, Val, wasm_wave};
use wasmtime::{Config, Engine};

use crate::bindings::golem::rpc0_1_3::types::{RpcError, WitValue};
use crate::bindings::value::type_name;
use crate::durability::store::OplogStore;
use crate::execution::task::{self};
use crate::execution::timers::ScheduledInvocation;
use crate::model::generation::Generation;
use crate::model::uri::{WorkerId, parse_worker_uri};
use crate::services::data_store::DataStore;
use crate::services::promises::{PromiseError, PromiseId};
use crate::worker::component::{ExportedFunction, FunctionSignature, LoadedComponent};
use crate::worker::output::{LogLevel, Output, WorkerOutput};
use inner::{EPOCH_TICK, HostInner, Jobs};

/// A local Golem host: loads components and runs their workers on wasmtime.
///
/// Cloning is cheap and yields another handle to the same host. Every worker gets WASI (stdout
/// and stderr inherited) and Golem's host interfaces of the generation its component is built
/// for: `golem:rpc/types@0.1.x` and `golem:api/host@0.2.x` (Golem 1.0/1.1),
/// `golem:rpc/types@0.2.0` and `golem:api/host@1.1.6` (Golem 1.2), `golem:rpc/types@0.2.2` and
/// `golem:api/host@1.1.7` (Golem 1.3) or `@1.3.0` (Golem 1.4). A worker the host creates starts
/// with the host's variables ([`Host::add_env`]) and arguments ([`Host::add_arg`]); a worker
/// created by an RPC call inherits its caller's arguments and environment instead, as in Golem.
/// Either way it also sees Golem's own variables for its generation (`GOLEM_WORKER_NAME`,
/// `GOLEM_COMPONENT_ID`, `GOLEM_COMPONENT_VERSION`; 1.3 and 1.4 add `GOLEM_AGENT_ID`, 1.4 has
/// `GOLEM_COMPONENT_REVISION` instead of `_VERSION`).
#[derive(Clone)]
pub struct Host {
    inner: Arc<HostInner>,
}

impl Host {
    /// A host with a fresh wasmtime engine and no components; key-value buckets and blob
    /// containers are kept in memory.
    pub fn new() -> anyhow::Result<Self> {
        Self::with_data(DataStore::in_memory(), OplogStore::in_memory())
    }

    /// Like [`Host::new`], with key-value buckets and blob containers kept in directory `dir`
    /// (created if needed), so that they survive the host: a new host on the same directory sees
    /// them again.
    pub fn with_data_dir(dir: impl AsRef<Path>) -> anyhow::Result<Self> {
        let dir = dir.as_ref();
        let data = DataStore::in_directory(dir)
            .with_context(|| format!("cannot use {} as the data directory", dir.display()))?;
        let oplogs = OplogStore::in_directory(dir)
            .with_context(|| format!("cannot keep oplogs in {}", dir.display()))?;
        Self::with_data(data, oplogs)
    }

    fn with_data(data: DataStore, oplogs: OplogStore) -> anyhow::Result<Self> {
        let mut config = Config::new();
        config.wasm_component_model(true);
        config.max_wasm_stack(task::MAX_WASM_STACK);
        // Deadlines and interruption (see `EPOCH_TICK`).
        config.epoch_interruption(true);
        let engine = Engine::new(&config)?;
        let linkers = crate::interfaces::Linkers::new(&engine);
        let host = Self {
            inner: Arc::new_cyclic(|self_ref| HostInner {
                engine,
                linkers,
                components: RwLock::default(),
                env: RwLock::default(),
                component_id_env: AtomicBool::new(false),
                default_generation: Mutex::default(),
                oplogs,
                args: RwLock::default(),
                workers: Mutex::default(),
                next_worker_key: AtomicU64::new(1),
                locks: Arc::default(),
                jobs: Jobs::default(),
                pool: Arc::default(),
                schedules: Arc::default(),
                promises: Arc::default(),
                output: Arc::default(),
                data: Arc::new(data),
                settings: Arc::default(),
                self_ref: self_ref.clone(),
            }),
        };
        host.start_epoch_ticker()?;
        Ok(host)
    }

    /// Advances the engine's epoch every `EPOCH_TICK` for as long as the host exists.
    fn start_epoch_ticker(&self) -> anyhow::Result<()> {
        let host = Arc::downgrade(&self.inner);
        std::thread::Builder::new()
            .name("golem-rpc-epoch".to_string())
            .spawn(move || {
                while let Some(host) = host.upgrade() {
                    host.engine.increment_epoch();
                    drop(host);
                    std::thread::sleep(EPOCH_TICK);
                }
            })
            .context("starting the host's epoch thread")?;
        Ok(())
    }

    /// Compiles and adds the component at `path` under `name`; returns its component id.
    pub fn add_component_file(&self, name: &str, path: impl AsRef<Path>) -> anyhow::Result<Uuid> {
        self.load_file(name, path.as_ref(), false)
    }

    /// Compiles and adds the component at `path` under `name` as an *ephemeral* component (Golem
    /// 1.1): `urn:worker:{component-id}`, without a worker name, reaches a fresh worker for each
    /// `wasm-rpc` client. Returns its component id.
    pub fn add_ephemeral_component_file(
        &self,
        name: &str,
        path: impl AsRef<Path>,
    ) -> anyhow::Result<Uuid> {
        self.load_file(name, path.as_ref(), true)
    }

    fn load_file(&self, name: &str, path: &Path, ephemeral: bool) -> anyhow::Result<Uuid> {
        let component = Component::from_file(&self.inner.engine, path)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("failed to load component {name} from {}", path.display()))?;
        self.add_compiled(name, component, ephemeral)
    }

    /// Compiles and adds a component from its binary under `name`; returns its component id.
    pub fn add_component_bytes(&self, name: &str, bytes: &[u8]) -> anyhow::Result<Uuid> {
        let component = Component::from_binary(&self.inner.engine, bytes)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("failed to load component {name}"))?;
        self.add_compiled(name, component, false)
    }

    fn add_compiled(
        &self,
        name: &str,
        component: Component,
        ephemeral: bool,
    ) -> anyhow::Result<Uuid> {
        if name.is_empty() || name.contains(['/', '=']) {
            bail!(
                "invalid component name {name:?}: it must be non-empty and contain no '/' or '='"
            );
        }
        // The linker of the Golem generation it is built for; client interfaces it imports
        // (Golem 1.2+) are linked for it alone.
        let preferred = *self
            .inner
            .default_generation
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let generation =
            crate::interfaces::generation_of(&self.inner.engine, &component, preferred);
        let base = self.inner.linkers.get(generation)?;
        let linker =
            crate::interfaces::dynamic_linking::link_clients(&self.inner.engine, base, &component)
                .with_context(|| {
                    format!("linking the client interfaces component {name} imports")
                })?;
        let loaded = Arc::new(LoadedComponent::new(
            name,
            ephemeral,
            generation,
            &self.inner.engine,
            linker.as_ref().unwrap_or(base),
            component,
        )?);
        let mut components = self
            .inner
            .components
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if components.by_name.contains_key(name) {
            bail!("a component named {name} is already loaded");
        }
        let id = loaded.id;
        components.by_id.insert(id, loaded.clone());
        components.by_name.insert(name.to_string(), loaded);
        Ok(id)
    }

    /// With a data directory: resumes, in the background, the invocations that an earlier host
    /// process on it was running when it died (as Golem's executor recovers its workers when it
    /// starts), for the components loaded by now; call it once they all are (the CLI does). A
    /// worker left mid-invocation is otherwise recovered by its next invocation.
    pub fn recover_workers(&self) {
        let components: Vec<_> = self
            .inner
            .components
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .by_name
            .values()
            .cloned()
            .collect();
        for component in components {
            self.inner.recover_interrupted(&component);
        }
    }

    /// Where workers' stdout, stderr and log lines go from now on (default: [`Output::Inherit`]).
    pub fn set_output(&self, output: Output) {
        self.inner.output.set_mode(output);
    }

    /// The lowest `wasi:logging` level that is shown or kept (default: [`LogLevel::Info`]).
    pub fn set_log_level(&self, level: LogLevel) {
        self.inner.output.set_level(level);
    }

    /// What worker `worker` of `component` wrote (stdout, stderr, log lines) while the host's
    /// output was [`Output::Capture`].
    pub fn worker_output(&self, component: &str, worker: &str) -> WorkerOutput {
        self.inner.output.captured(&format!("{component}/{worker}"))
    }

    /// With `true`, workers the host creates from now on also start with `{NAME}_COMPONENT_ID`
    /// (the id of every component loaded by then, `NAME` its name in upper case with `_` for
    /// anything but letters and digits). Off by default: Golem sets no such variables, so a
    /// component that reads them works here and fails on Golem; pass ids with
    /// [`Host::add_env`] as a Golem user passes them when creating a worker.
    pub fn set_component_id_env(&self, on: bool) {
        self.inner.component_id_env.store(on, Ordering::Relaxed);
    }

    /// The Golem generation given to components loaded from now on whose imports fit several:
    /// Golem 1.3's and 1.4's executors both link `golem:rpc@0.2.2`, so a caller that imports
    /// only that (no `golem:api`) may be built for either, and a component that imports none of
    /// Golem's packages runs in any. It decides what such a component's workers find in their
    /// environment (`GOLEM_COMPONENT_VERSION` or 1.4's `GOLEM_COMPONENT_REVISION`, 1.3's and
    /// 1.4's `GOLEM_AGENT_ID`) and what they pass on to the workers they create. By default the
    /// oldest that fits; components whose imports name one generation get that one.
    pub fn set_default_generation(&self, generation: Generation) {
        *self
            .inner
            .default_generation
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = generation;
    }

    /// Adds a command-line argument for workers the host creates from now on (workers created
    /// through RPC inherit their caller's arguments instead, as in Golem).
    pub fn add_arg(&self, arg: impl Into<String>) {
        let mut args = self
            .inner
            .args
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        args.push(arg.into());
    }

    /// Completes a promise from outside, like Golem's `complete-promise` API: `Ok(true)` if
    /// this completed it, `Ok(false)` if it already was. A worker awaiting it resumes.
    pub fn complete_promise(&self, id: &PromiseId, data: Vec<u8>) -> Result<bool, PromiseError> {
        self.inner.promises.complete(id, data)
    }

    /// Adds an environment variable for workers the host creates from now on.
    pub fn add_env(&self, key: impl Into<String>, value: impl Into<String>) {
        let mut env = self
            .inner
            .env
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        env.insert(key.into(), value.into());
    }

    /// The id of the component loaded under `name`, if any.
    pub fn component_id(&self, name: &str) -> Option<Uuid> {
        self.inner.component_by_name(name).ok().map(|c| c.id)
    }

    /// The names of all loaded components, sorted.
    pub fn component_names(&self) -> Vec<String> {
        let components = self
            .inner
            .components
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        components.by_name.keys().cloned().collect()
    }

    /// The URI of worker `worker` of component `component` (`urn:worker:{uuid}/{name}`).
    pub fn worker_uri(&self, component: &str, worker: &str) -> anyhow::Result<String> {
        let component = self.inner.component_by_name(component)?;
        Ok(WorkerId::new(component.id, worker).uri())
    }

    /// The Golem-style names of all functions `component` exports, sorted.
    pub fn function_names(&self, component: &str) -> anyhow::Result<Vec<String>> {
        Ok(self.inner.component_by_name(component)?.function_names())
    }

    /// The signature of `function` (Golem-style name) exported by `component`.
    pub fn function_signature(
        &self,
        component: &str,
        function: &str,
    ) -> anyhow::Result<FunctionSignature> {
        let (_, function) = self.resolve(component, function)?;
        Ok(FunctionSignature {
            params: function.params.clone(),
            results: function.results.clone(),
        })
    }

    fn resolve(
        &self,
        component: &str,
        function: &str,
    ) -> anyhow::Result<(Arc<LoadedComponent>, Arc<ExportedFunction>)> {
        let component = self.inner.component_by_name(component)?;
        // Golem's text exactly (the CLI adds what the component exports).
        let function = component
            .lookup(function)
            .map_err(|message| anyhow!(message))?;
        Ok((component, function))
    }

    /// Resolves a function for a direct call: one whose values involve no resource handles.
    fn resolve_direct(
        &self,
        component: &str,
        function: &str,
    ) -> anyhow::Result<(Arc<LoadedComponent>, Arc<ExportedFunction>)> {
        let (component, function) = self.resolve(component, function)?;
        if function.uses_handles() {
            bail!(
                "{} takes or returns resource handles; call it with invoke_and_await",
                function.name
            );
        }
        Ok((component, function))
    }

    /// Creates worker `worker` of `component` with exactly `args` and `env` (plus Golem's own
    /// variables; not the host's [`Host::add_env`] / [`Host::add_arg`] defaults), as Golem's
    /// "launch new worker" does. Fails with Golem's "Worker already exists" if it does (a worker
    /// is otherwise created by its first invocation, with the host's defaults).
    pub fn start_worker(
        &self,
        component: &str,
        worker: &str,
        args: &[String],
        env: &[(String, String)],
    ) -> anyhow::Result<()> {
        let component = self.inner.component_by_name(component)?;
        let startup = crate::worker::context::Startup {
            env: env.to_vec().into(),
            args: args.to_vec().into(),
        };
        match self.inner.create_worker(&component, worker, startup) {
            Some(_) => Ok(()),
            // Golem's `WorkerAlreadyExists`, its worker id as `{component-id}/{worker-name}`.
            None => bail!("Worker already exists: {}/{worker}", component.id),
        }
    }

    /// Calls `function` on the worker at `target_uri`, exactly as a guest's
    /// `wasm-rpc.invoke-and-await` does, and returns the results as one tuple `wit-value`.
    ///
    /// A guest gets a trap from the `wasm-rpc` constructor for an invalid URI; here that case is
    /// reported as `rpc-error::protocol-error` with the same text.
    pub fn invoke_and_await(
        &self,
        target_uri: &str,
        function_name: &str,
        params: Vec<WitValue>,
    ) -> Result<WitValue, RpcError> {
        let target =
            parse_worker_uri(target_uri).map_err(|err| RpcError::ProtocolError(err.to_string()))?;
        let _task = task::enter_top_level();
        self.inner
            .rpc_invoke_and_await(&target, function_name, params, None, None)
    }

    /// Like a guest's `wasm-rpc.invoke`: checks the call, then runs it in the background.
    ///
    /// Use [`Host::wait_for_background`] to wait until it has run.
    pub fn invoke(
        &self,
        target_uri: &str,
        function_name: &str,
        params: Vec<WitValue>,
    ) -> Result<(), RpcError> {
        let target =
            parse_worker_uri(target_uri).map_err(|err| RpcError::ProtocolError(err.to_string()))?;
        let _task = task::enter_top_level();
        self.inner
            .rpc_invoke(&target, function_name, params, None, None)
    }

    /// Calls the export `function` (Golem-style name) of worker `worker` of `component` directly.
    ///
    /// `args` must match the export's parameter types; a call that fails in wasmtime (a trap, or
    /// mistyped `args`) resets the worker's instance. Functions whose parameters or results
    /// involve resource handles (constructors, methods, drops, …) are refused: their handles only
    /// exist as `wit-value`s, so call them with [`Host::invoke_and_await`].
    pub fn call(
        &self,
        component: &str,
        worker: &str,
        function: &str,
        args: &[Val],
    ) -> anyhow::Result<Vec<Val>> {
        let (component, function) = self.resolve_direct(component, function)?;
        if args.len() != function.params.len() {
            bail!(
                "{} expects {} arguments, got {}",
                function.name,
                function.params.len(),
                args.len()
            );
        }
        if worker.is_empty() {
            bail!("worker names must not be empty");
        }
        let worker = self.inner.worker(&component, worker, None);
        let _task = task::enter_top_level();
        let results = self.inner.execute(&worker, &function, None, |host| {
            worker.call_locked(host.engine(), &function, args)
        })?;
        Ok(results)
    }

    /// Like [`Host::call`], with arguments and results in WAVE text (parsed against the
    /// export's parameter types).
    pub fn call_wave(
        &self,
        component: &str,
        worker: &str,
        function: &str,
        args: &[impl AsRef<str>],
    ) -> anyhow::Result<Vec<String>> {
        let (_, resolved) = self.resolve_direct(component, function)?;
        if args.len() != resolved.params.len() {
            let expected: Vec<String> = resolved
                .params
                .iter()
                .map(|(name, ty)| format!("{name}: {}", type_name(ty)))
                .collect();
            bail!(
                "{} expects {} arguments ({}), got {}",
                resolved.name,
                resolved.params.len(),
                expected.join(", "),
                args.len()
            );
        }
        let vals = args
            .iter()
            .zip(&resolved.params)
            .enumerate()
            .map(|(i, (arg, (name, ty)))| {
                wasm_wave::from_str::<Val>(ty, arg.as_ref()).map_err(|err| {
                    anyhow!(
                        "argument {i} ({name}: {}) is not valid WAVE for its type: {err}",
                        type_name(ty)
                    )
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let results = self.call(component, worker, function, &vals)?;
        results
            .iter()
            .map(|val| {
                wasm_wave::to_string(val).map_err(|err| anyhow!("cannot print a result: {err}"))
            })
            .collect()
    }

    /// Blocks until every background invocation (`invoke`, `async-invoke-and-await`, and
    /// scheduled invocations that came due) finished. Invocations scheduled for later are not
    /// waited for ([`Host::pending_schedules`]).
    pub fn wait_for_background(&self) {
        self.inner
            .schedules
            .wait_fired(SystemTime::UNIX_EPOCH, None);
        self.inner.wait_for_jobs(None);
    }

    /// The invocations guests scheduled (`golem:rpc/types@0.2.0`'s `schedule-invocation`) that
    /// are not due yet, earliest first.
    pub fn pending_schedules(&self) -> Vec<ScheduledInvocation> {
        self.inner.schedules.pending()
    }

    /// Waits up to `grace` for the background invocations, running scheduled invocations that
    /// come due within it, then interrupts the invocations still running (their wasm traps at
    /// the next epoch tick) and drops the schedules not due yet. Returns what was stopped
    /// (`ns:pkg/iface.{f} on worker urn:worker:…`) and what will never run (`not run:
    /// ns:pkg/iface.{f} on worker urn:worker:… at 2025-06-01T12:00:00.000Z`). The host is
    /// unusable afterwards: every worker's wasm traps as interrupted, and nothing can be
    /// scheduled. For a process that must end once its top-level call returned, whatever its
    /// guests started: pending schedules do not keep it alive.
    pub fn shutdown(&self, grace: Duration) -> Vec<String> {
        let stopped = self.stop_background(grace);
        // Unfinished lines of prefixed output are printed as they are.
        self.inner.output.flush();
        stopped
    }

    fn stop_background(&self, grace: Duration) -> Vec<String> {
        let idle = self.inner.wait_for_work(Instant::now() + grace);
        let not_run = self.inner.schedules.close();
        // What was being handed over when the timer stopped is queued (and reported if it
        // still runs below).
        self.inner
            .schedules
            .wait_fired(SystemTime::UNIX_EPOCH, None);
        let mut stopped: Vec<String> = Vec::new();
        if !idle || !self.inner.wait_for_jobs(Some(Instant::now())) {
            stopped.extend(
                self.inner
                    .jobs
                    .running
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .values()
                    .map(|(function, uri)| format!("{} on worker {uri}", function.name)),
            );
            self.inner.settings.interrupt();
            // Invocations blocked outside wasm (awaiting a promise, a worker) cannot be stopped
            // this way; the process ending stops them.
            self.inner
                .wait_for_jobs(Some(Instant::now() + 10 * EPOCH_TICK));
        }
        stopped.extend(
            not_run
                .iter()
                .map(|invocation| format!("not run: {invocation}")),
        );
        stopped
    }

    /// The most linear memory one worker instance may use (default 1 GiB); an instance that
    /// grows past it traps (`remote-internal-error` for its caller) and is replaced on the next
    /// call. Applies to instances created from now on.
    pub fn set_memory_limit(&self, bytes: u64) {
        self.inner.settings.set_memory_limit(bytes);
    }

    /// How long one invocation may run wasm before it traps with a deadline error (default: no
    /// limit, as on Golem). Applies to invocations starting from now on.
    pub fn set_invocation_timeout(&self, timeout: Option<Duration>) {
        self.inner.settings.set_invocation_timeout(timeout);
    }
}
