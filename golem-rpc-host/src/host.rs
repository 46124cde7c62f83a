//! The host: loaded components, workers, and the shared call path used by guests and the API.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock, Weak};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context as _, anyhow, bail};
use tokio::sync::oneshot;
use uuid::Uuid;
use wasmtime::component::{Component, HasSelf, Linker, Val, wasm_wave};
use wasmtime::{Config, Engine};

use crate::bindings::golem::rpc0_1_3::types::{RpcError, WitValue};
use crate::component::{ExportedFunction, FunctionSignature, LoadedComponent};
use crate::data::DataStore;
use crate::error::CallError;
use crate::handles::CheckHandles;
use crate::output::{LogLevel, Output, OutputSink, WorkerOutput};
use crate::pool::{self, Pool};
use crate::promises::{PromiseError, PromiseId, Promises};
use crate::schedule::{ScheduleError, ScheduleId, ScheduledInvocation, Schedules, utc};
use crate::scheduler::{Deadlock, Reservation, Scheduler};
use crate::state::{
    JobState, PendingInvocation, Services, Settings, Startup, WorkerContext, WorkerState,
};
use crate::task::{self, HOST_THREAD_STACK_SIZE, TaskId};
use crate::uri::{WorkerId, component_id_env_var, parse_worker_uri};
use crate::value::{type_name, wit_value_to_val, wit_value_to_val_in};
use crate::worker::{CallArgs, Worker, param_error};

/// Longest chain of nested worker calls (A→B→C…) before calls are refused.
pub const MAX_CALL_DEPTH: usize = 100;

/// Oplog entries Golem's executor writes in the caller for one RPC call: the caller's arguments
/// and environment (passed on to a worker the call creates), the call's idempotency key, the call.
const RPC_OPLOG_ENTRIES: u64 = 4;

/// Most background invocations (`invoke`, `async-invoke-and-await`) in flight at once.
/// They wait in the target workers' queues and run on a bounded pool of threads.
pub const MAX_BACKGROUND_INVOCATIONS: usize = 1 << 18;

/// A call whose target, function and arguments have been checked.
pub(crate) struct PreparedCall {
    worker_id: WorkerId,
    component: Arc<LoadedComponent>,
    function: Arc<ExportedFunction>,
    args: CallArgs,
}

#[derive(Default)]
struct Components {
    by_name: BTreeMap<String, Arc<LoadedComponent>>,
    by_id: HashMap<Uuid, Arc<LoadedComponent>>,
}

/// What a background job calls: the function and the target worker's URI (formatted only when
/// reported).
type JobTarget = (Arc<ExportedFunction>, Arc<str>);

/// The background invocations in flight, with what each is (for reports when they are stopped).
#[derive(Default)]
struct Jobs {
    running: Mutex<BTreeMap<TaskId, JobTarget>>,
    idle: Condvar,
}

/// Counts one background invocation; released when dropped.
struct JobPermit(Arc<HostInner>, TaskId);

impl Drop for JobPermit {
    fn drop(&mut self) {
        let mut running = self
            .0
            .jobs
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        running.remove(&self.1);
        if running.is_empty() {
            self.0.jobs.idle.notify_all();
        }
    }
}

/// How often the engine's epoch advances: the granularity of invocation deadlines and of
/// interrupting running wasm.
const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Shared state behind [`Host`]; host functions reach it through a weak reference.
pub(crate) struct HostInner {
    engine: Engine,
    linker: Linker<WorkerState>,
    components: RwLock<Components>,
    env: RwLock<BTreeMap<String, String>>,
    args: RwLock<Vec<String>>,
    /// Workers by component id, then by worker name.
    workers: Mutex<HashMap<Uuid, HashMap<String, Arc<Worker>>>>,
    next_worker_key: AtomicU64,
    scheduler: Arc<Scheduler>,
    jobs: Jobs,
    pool: Arc<Pool>,
    /// Invocations scheduled for later (`golem:rpc/types@0.2.0`).
    schedules: Arc<Schedules>,
    promises: Promises,
    output: Arc<OutputSink>,
    data: Arc<DataStore>,
    settings: Arc<Settings>,
    /// This host, for its workers' host functions ([`Services`]).
    self_ref: Weak<HostInner>,
}

impl HostInner {
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    fn component_by_name(&self, name: &str) -> anyhow::Result<Arc<LoadedComponent>> {
        let components = self
            .components
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        components.by_name.get(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = components.by_name.keys().map(String::as_str).collect();
            anyhow!(
                "unknown component {name} (loaded: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )
        })
    }

    fn component_by_id(&self, id: &Uuid) -> Option<Arc<LoadedComponent>> {
        let components = self
            .components
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        components.by_id.get(id).cloned()
    }

    /// What a worker created by the host itself (not through RPC) starts with.
    fn default_startup(&self) -> Startup {
        let mut env = BTreeMap::new();
        {
            let components = self
                .components
                .read()
                .unwrap_or_else(PoisonError::into_inner);
            for component in components.by_name.values() {
                env.insert(
                    component_id_env_var(&component.name),
                    component.id.to_string(),
                );
            }
        }
        let host_env = self.env.read().unwrap_or_else(PoisonError::into_inner);
        env.extend(host_env.iter().map(|(k, v)| (k.clone(), v.clone())));
        let args = self.args.read().unwrap_or_else(PoisonError::into_inner);
        Startup {
            env: env.into_iter().collect::<Vec<_>>().into(),
            args: args.iter().cloned().collect::<Vec<_>>().into(),
        }
    }

    /// Worker `name` of `component`, created on first use with `startup` (or the host's
    /// default).
    fn worker(
        &self,
        component: &Arc<LoadedComponent>,
        name: &str,
        startup: Option<&Startup>,
    ) -> Arc<Worker> {
        let mut workers = self.workers.lock().unwrap_or_else(PoisonError::into_inner);
        let of_component = workers.entry(component.id).or_default();
        if let Some(worker) = of_component.get(name) {
            return worker.clone();
        }
        let startup = startup.cloned().unwrap_or_else(|| self.default_startup());
        let key = self.next_worker_key.fetch_add(1, Ordering::Relaxed);
        let context =
            WorkerContext::new(WorkerId::new(component.id, name), &component.name, startup);
        let worker = Arc::new(Worker::new(
            context,
            key,
            component.clone(),
            self.self_ref.clone(),
            self.settings.clone(),
        ));
        of_component.insert(name.to_string(), worker.clone());
        worker
    }

    /// Checks an RPC call: known component, valid and existing function, well-typed parameters.
    fn prepare_rpc(
        &self,
        target: &WorkerId,
        function_name: &str,
        params: Vec<WitValue>,
    ) -> Result<PreparedCall, CallError> {
        let component = self.component_by_id(&target.component_id).ok_or_else(|| {
            CallError::NotFound(format!(
                "Worker not found: {target} (component {} is not loaded in this host)",
                target.component_id
            ))
        })?;
        let function = component
            .lookup(function_name)
            .map_err(CallError::Internal)?;
        if params.len() != function.params.len() {
            return Err(CallError::Internal(format!(
                "Invalid request: {} expects {} parameters, got {}",
                function.name,
                function.params.len(),
                params.len()
            )));
        }
        let invalid =
            |i, name: &str, ty, err| CallError::Internal(param_error(i, name, ty, &function, &err));
        let args = if function.params_have_handles {
            // Handles are resolved in the callee's table when the call runs; check the rest now.
            let self_uri = target.uri();
            let mut check = CheckHandles {
                self_uri: &self_uri,
            };
            for (i, (param, (name, ty))) in params.iter().zip(&function.params).enumerate() {
                wit_value_to_val_in(param, ty, &mut check)
                    .map_err(|err| invalid(i, name, ty, err))?;
            }
            CallArgs::Deferred(params)
        } else {
            let vals = params
                .iter()
                .zip(&function.params)
                .enumerate()
                .map(|(i, (param, (name, ty)))| {
                    wit_value_to_val(param, ty).map_err(|err| invalid(i, name, ty, err))
                })
                .collect::<Result<Vec<_>, _>>()?;
            CallArgs::Vals(vals)
        };
        Ok(PreparedCall {
            worker_id: target.clone(),
            component,
            function,
            args,
        })
    }

    /// Runs `call` (a call of `function`) on `worker` within the current task (starting one if
    /// needed), holding the worker's lock.
    ///
    /// This is the single call path of the host: guests' RPC calls, background invocations and
    /// the direct API all end here. `reservation` is a pre-reserved place in the worker's queue
    /// (background invocations reserve at call time to keep the caller's order).
    fn execute<R: Send>(
        self: &Arc<Self>,
        worker: &Arc<Worker>,
        function: &ExportedFunction,
        reservation: Option<Reservation>,
        call: impl FnOnce(&Arc<Self>) -> Result<R, CallError> + Send,
    ) -> Result<R, CallError> {
        let _task = task::enter_top_level();
        let depth = task::depth();
        if depth >= MAX_CALL_DEPTH {
            return Err(CallError::Internal(format!(
                "Invalid request: calling {} on worker {} exceeds the maximum call depth of {MAX_CALL_DEPTH}",
                function.name,
                worker.uri()
            )));
        }
        if depth > 0 && !task::stack_allows_nested_call() {
            return self.execute_on_host_thread(worker, function, reservation, call);
        }
        let Some(me) = task::current() else {
            return Err(CallError::Internal(
                "no task context for the call".to_string(),
            ));
        };
        let reservation = match reservation {
            Some(reservation) => reservation,
            None => self.scheduler.reserve(worker.key, me),
        };
        let _lock = self
            .scheduler
            .acquire(reservation)
            .map_err(|deadlock| deadlock_error(deadlock, worker, function))?;
        let _chain = task::push_worker(worker.uri());
        call(self)
    }

    /// Runs a prepared RPC call on `worker`: the results as one tuple `wit-value`.
    fn execute_rpc(
        self: &Arc<Self>,
        worker: &Arc<Worker>,
        call: &PreparedCall,
        reservation: Option<Reservation>,
    ) -> Result<WitValue, CallError> {
        self.execute(worker, &call.function, reservation, |host| {
            worker.invoke_locked(host.engine(), &call.function, &call.args)
        })
    }

    /// Continues the current task on a fresh thread with a large stack (deep call chains).
    fn execute_on_host_thread<R: Send>(
        self: &Arc<Self>,
        worker: &Arc<Worker>,
        function: &ExportedFunction,
        reservation: Option<Reservation>,
        call: impl FnOnce(&Arc<Self>) -> Result<R, CallError> + Send,
    ) -> Result<R, CallError> {
        let id = task::current().unwrap_or_else(task::new_task_id);
        let chain = task::chain();
        std::thread::scope(|scope| {
            let handle = std::thread::Builder::new()
                .name("golem-rpc-nested-call".to_string())
                .stack_size(HOST_THREAD_STACK_SIZE)
                .spawn_scoped(scope, move || {
                    let _task = task::enter_on_host_thread(id, chain);
                    self.execute(worker, function, reservation, call)
                })
                .map_err(|err| {
                    CallError::Internal(format!(
                        "failed to start a thread for a nested call: {err}"
                    ))
                })?;
            handle.join().unwrap_or_else(|_| {
                Err(CallError::Internal(
                    "a nested call panicked in the host".to_string(),
                ))
            })
        })
    }

    fn start_job(self: &Arc<Self>, job: TaskId, what: JobTarget) -> Result<JobPermit, CallError> {
        let mut running = self
            .jobs
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if running.len() >= MAX_BACKGROUND_INVOCATIONS {
            return Err(CallError::Internal(format!(
                "too many background invocations in flight (limit {MAX_BACKGROUND_INVOCATIONS})"
            )));
        }
        running.insert(job, what);
        Ok(JobPermit(self.clone(), job))
    }

    /// Waits until no background invocation runs, or until `until`; `true` if none runs.
    fn wait_for_jobs(&self, until: Option<Instant>) -> bool {
        let mut running = self
            .jobs
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while !running.is_empty() {
            match until {
                None => {
                    running = self
                        .jobs
                        .idle
                        .wait(running)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                Some(until) => {
                    let left = until.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return false;
                    }
                    running = self
                        .jobs
                        .idle
                        .wait_timeout(running, left)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
            }
        }
        true
    }

    /// Queues a prepared call for the pool's threads; its place in the target's queue is taken
    /// now. The returned flag cancels it while it has not started (see `golem_rpc`).
    fn spawn_job(
        self: &Arc<Self>,
        call: PreparedCall,
        startup: Option<&Startup>,
        on_done: impl FnOnce(Result<WitValue, CallError>) + Send + 'static,
    ) -> Result<(TaskId, Arc<JobState>), CallError> {
        let job = task::new_task_id();
        let worker = self.worker(&call.component, &call.worker_id.worker_name, startup);
        let permit = self.start_job(job, (call.function.clone(), worker.uri().clone()))?;
        let reservation = self.scheduler.reserve_queued(worker.key, job);
        let chain = task::chain();
        let host = self.clone();
        let state = Arc::new(JobState::default());
        let progress = state.clone();
        let key = worker.key;
        let run: pool::Job = Box::new(move || {
            let result = if !progress.start() {
                drop(reservation);
                Err(CallError::Internal(
                    "the call was cancelled before it ran: waiting for it would deadlock"
                        .to_string(),
                ))
            } else {
                let _task = task::enter_on_host_thread(job, chain);
                host.execute_rpc(&worker, &call, Some(reservation))
            };
            on_done(result);
            drop(permit);
        });
        self.pool.submit(key, run).map_err(|err| {
            CallError::Internal(format!("failed to start a background invocation: {err}"))
        })?;
        Ok((job, state))
    }

    /// `wasm-rpc.invoke-and-await`: runs the call and returns its results as one tuple wit-value.
    pub(crate) fn rpc_invoke_and_await(
        self: &Arc<Self>,
        target: &WorkerId,
        function_name: &str,
        params: Vec<WitValue>,
        caller: Option<&Startup>,
    ) -> Result<WitValue, RpcError> {
        let call = self
            .prepare_rpc(target, function_name, params)
            .map_err(CallError::into_rpc_error)?;
        let worker = self.worker(&call.component, &call.worker_id.worker_name, caller);
        self.execute_rpc(&worker, &call, None)
            .map_err(CallError::into_rpc_error)
    }

    /// `wasm-rpc.invoke`: checks the call now, runs it in the background, discards its result.
    pub(crate) fn rpc_invoke(
        self: &Arc<Self>,
        target: &WorkerId,
        function_name: &str,
        params: Vec<WitValue>,
        caller: Option<&Startup>,
    ) -> Result<(), RpcError> {
        let call = self
            .prepare_rpc(target, function_name, params)
            .map_err(CallError::into_rpc_error)?;
        let description = format!("{} on worker {}", call.function.name, target);
        self.spawn_job(call, caller, move |result| {
            if let Err(err) = result {
                eprintln!("golem-rpc-host: fire-and-forget call of {description} failed: {err}");
            }
        })
        .map(|_| ())
        .map_err(CallError::into_rpc_error)
    }

    /// `wasm-rpc.async-invoke-and-await`: runs the call in the background behind a future.
    pub(crate) fn rpc_async_invoke_and_await(
        self: &Arc<Self>,
        target: &WorkerId,
        function_name: &str,
        params: Vec<WitValue>,
        caller: Option<&Startup>,
    ) -> Result<PendingInvocation, RpcError> {
        let call = self
            .prepare_rpc(target, function_name, params)
            .map_err(CallError::into_rpc_error)?;
        let (sender, receiver) = oneshot::channel();
        let (job, state) = self
            .spawn_job(call, caller, move |result| {
                let result = result.map_err(CallError::into_rpc_error);
                // The guest may have dropped the future; then nobody wants the result.
                let _ = sender.send(result);
            })
            .map_err(CallError::into_rpc_error)?;
        Ok(PendingInvocation {
            receiver,
            job,
            state,
            scheduler: self.scheduler.clone(),
        })
    }

    /// `wasm-rpc.schedule-invocation`: checks the call now; at `at` the timer queues it like
    /// `invoke` (a worker it creates starts like one the host creates). A rejected call is
    /// reported on stderr at once (Golem checks nothing here: the call fails when it runs).
    fn schedule_rpc(
        self: &Arc<Self>,
        target: &WorkerId,
        function_name: &str,
        params: Vec<WitValue>,
        at: SystemTime,
    ) -> Result<Option<ScheduleId>, ScheduleError> {
        let invocation = ScheduledInvocation {
            function: function_name.to_string(),
            worker: target.clone(),
            at,
        };
        let call = match self.prepare_rpc(target, function_name, params) {
            Ok(call) => call,
            Err(err) => {
                eprintln!("golem-rpc-host: scheduled call of {invocation} will not run: {err}");
                return Ok(None);
            }
        };
        let host = self.self_ref.clone();
        let fire = Box::new(move || {
            let Some(host) = host.upgrade() else {
                return;
            };
            let description = format!(
                "{} on worker {} (due {})",
                call.function.name,
                call.worker_id,
                utc(at)
            );
            let reported = description.clone();
            let spawned = host.spawn_job(call, None, move |result| {
                if let Err(err) = result {
                    eprintln!("golem-rpc-host: scheduled call of {reported} failed: {err}");
                }
            });
            if let Err(err) = spawned {
                eprintln!("golem-rpc-host: scheduled call of {description} failed: {err}");
            }
        });
        self.schedules.add(invocation, fire).map(Some)
    }

    /// Runs background invocations and due schedules until nothing runs and nothing is due by
    /// `deadline`, or until `deadline`; whether nothing runs.
    fn wait_for_work(&self, deadline: Instant) -> bool {
        loop {
            if !self.wait_for_jobs(Some(deadline)) {
                return false;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(next) = self.schedules.next_due() else {
                return true;
            };
            if next > SystemTime::now() + left {
                return true;
            }
            if !self.schedules.wait_fired(next, Some(deadline)) {
                return self.wait_for_jobs(Some(deadline));
            }
        }
    }

    fn existing_worker(&self, id: &WorkerId) -> Option<Arc<Worker>> {
        let workers = self.workers.lock().unwrap_or_else(PoisonError::into_inner);
        workers.get(&id.component_id)?.get(&id.worker_name).cloned()
    }
}

/// The host functions of a worker reach the host through this (see `state`).
impl Services for HostInner {
    fn invoke_and_await(
        self: Arc<Self>,
        caller: &WorkerContext,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
    ) -> Result<WitValue, RpcError> {
        caller.api().append(RPC_OPLOG_ENTRIES);
        self.rpc_invoke_and_await(target, function, params, Some(&caller.inherited))
    }

    fn invoke(
        self: Arc<Self>,
        caller: &WorkerContext,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
    ) -> Result<(), RpcError> {
        caller.api().append(RPC_OPLOG_ENTRIES);
        self.rpc_invoke(target, function, params, Some(&caller.inherited))
    }

    fn async_invoke_and_await(
        self: Arc<Self>,
        caller: &WorkerContext,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
    ) -> Result<PendingInvocation, RpcError> {
        caller.api().append(RPC_OPLOG_ENTRIES);
        self.rpc_async_invoke_and_await(target, function, params, Some(&caller.inherited))
    }

    fn schedule(
        self: Arc<Self>,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
        at: SystemTime,
    ) -> Result<Option<ScheduleId>, ScheduleError> {
        self.schedule_rpc(target, function, params, at)
    }

    fn cancel_schedule(&self, id: ScheduleId) {
        self.schedules.cancel(id);
    }

    /// By the name it was loaded under (Golem OSS's syntax), or by its id.
    fn resolve_component(&self, reference: &str) -> Option<Uuid> {
        if let Ok(component) = self.component_by_name(reference) {
            return Some(component.id);
        }
        let id = Uuid::parse_str(reference).ok()?;
        self.component_by_id(&id).map(|c| c.id)
    }

    /// The loaded component exporting interface `R` of the target package (or of golem-cli's
    /// `-exports` package), else an interface there exporting resource `R`: exactly one must fit.
    fn client_target(
        &self,
        target_package: &str,
        resource: &str,
    ) -> Result<crate::dynamic_linking::ClientTarget, String> {
        let packages = [
            target_package.to_string(),
            format!("{target_package}-exports"),
        ];
        let components = self
            .components
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let unversioned = |name: &str| name.split('@').next().unwrap_or_default().to_string();
        let mut found = Vec::new();
        for interface_client in [true, false] {
            for component in components.by_name.values() {
                for interface in component.interfaces() {
                    let base = unversioned(interface);
                    let Some((package, name)) = base.split_once('/') else {
                        continue;
                    };
                    if !packages.iter().any(|p| p == package) {
                        continue;
                    }
                    let fits = if interface_client {
                        name == resource
                    } else {
                        component.exports_resource(interface, resource)
                    };
                    if fits {
                        found.push((
                            component.name.clone(),
                            crate::dynamic_linking::ClientTarget {
                                component: component.id,
                                interface: interface.to_string(),
                                interface_client,
                            },
                        ));
                    }
                }
            }
            if !found.is_empty() {
                break;
            }
        }
        match found.len() {
            1 => Ok(found.remove(0).1),
            0 => Err(format!(
                "Resource '{resource}' not found in dynamic linked interface: no loaded component \
                 exports an interface `{resource}` of {} or {}, or a resource `{resource}` there",
                packages[0], packages[1]
            )),
            _ => Err(format!(
                "the client resource '{resource}' fits exports of several components ({}): \
                 the local host cannot tell which one it stands for",
                found
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    fn promises(&self) -> &Promises {
        &self.promises
    }

    fn worker(&self, id: &WorkerId) -> Option<Arc<WorkerContext>> {
        self.existing_worker(id).map(|w| w.context.clone())
    }

    fn output(&self) -> Arc<OutputSink> {
        self.output.clone()
    }

    fn data(&self) -> Arc<DataStore> {
        self.data.clone()
    }

    fn settings(&self) -> Arc<Settings> {
        self.settings.clone()
    }

    /// Ephemeral workers keep no metadata in Golem, so they are not listed.
    fn workers_of(&self, component: &Uuid) -> Vec<Arc<WorkerContext>> {
        if self.component_by_id(component).is_none_or(|c| c.ephemeral) {
            return Vec::new();
        }
        let workers = self.workers.lock().unwrap_or_else(PoisonError::into_inner);
        let mut found: Vec<Arc<WorkerContext>> = workers
            .get(component)
            .map(|of| of.values().map(|w| w.context.clone()).collect())
            .unwrap_or_default();
        found.sort_by(|a, b| a.id.worker_name.cmp(&b.id.worker_name));
        found
    }
}

/// Links Golem's own interfaces in both generations: 1.0/1.1 (`golem:rpc/types@0.1.3`,
/// `golem:api/host@0.2.0`) and 1.2 (`golem:rpc/types@0.2.0`, `golem:api/host@1.1.6`). wasmtime's
/// linker matches imports semver-compatibly, so `golem:api/host@1.1.0` … `@1.1.5` imports
/// (golem-rust 1.2.x / 1.3.x) link against 1.1.6 (plus 1.1.5's `worker-uri`), and
/// `golem:rpc/types@0.1.0` (Golem 1.0 to 1.1.18) against 0.1.3 (Golem 1.1.19+, a superset).
fn add_golem_interfaces(linker: &mut Linker<WorkerState>) -> anyhow::Result<()> {
    use crate::bindings::golem::{api0_2_0, api1_1_6, rpc0_1_3, rpc0_2_0};
    type State = HasSelf<WorkerState>;
    fn get(state: &mut WorkerState) -> &mut WorkerState {
        state
    }
    rpc0_1_3::types::add_to_linker::<WorkerState, State>(linker, get)?;
    api0_2_0::host::add_to_linker::<WorkerState, State>(linker, get)?;
    rpc0_2_0::types::add_to_linker::<WorkerState, State>(linker, get)?;
    api1_1_6::host::add_to_linker::<WorkerState, State>(linker, get)?;
    crate::golem_api_v1_1::add_worker_uri(linker)?;
    Ok(())
}

/// Links the WASI interfaces Golem 1.0/1.1 add to WASI 0.2, each in its own module.
fn add_worker_extras(linker: &mut Linker<WorkerState>) -> anyhow::Result<()> {
    use crate::bindings::wasi::{blobstore, keyvalue, logging};
    type State = HasSelf<WorkerState>;
    fn get(state: &mut WorkerState) -> &mut WorkerState {
        state
    }
    keyvalue::types::add_to_linker::<WorkerState, State>(linker, get)?;
    keyvalue::wasi_keyvalue_error::add_to_linker::<WorkerState, State>(linker, get)?;
    keyvalue::eventual::add_to_linker::<WorkerState, State>(linker, get)?;
    keyvalue::eventual_batch::add_to_linker::<WorkerState, State>(linker, get)?;
    keyvalue::atomic::add_to_linker::<WorkerState, State>(linker, get)?;
    keyvalue::cache::add_to_linker::<WorkerState, State>(linker, get)?;
    blobstore::types::add_to_linker::<WorkerState, State>(linker, get)?;
    blobstore::container::add_to_linker::<WorkerState, State>(linker, get)?;
    blobstore::blobstore::add_to_linker::<WorkerState, State>(linker, get)?;
    logging::logging::add_to_linker::<WorkerState, State>(linker, get)?;
    Ok(())
}

fn deadlock_error(deadlock: Deadlock, worker: &Worker, function: &ExportedFunction) -> CallError {
    let mut chain = task::chain();
    chain.push(worker.uri().clone());
    let chain = chain.join(" -> ");
    CallError::Internal(match deadlock {
        Deadlock::Reentrant => format!(
            "Invalid request: calling {} on worker {} would deadlock: the worker is already \
             executing a call in this call chain ({chain})",
            function.name,
            worker.uri()
        ),
        Deadlock::Cycle => format!(
            "Invalid request: calling {} on worker {} would deadlock: the worker is busy with a \
             call that is waiting, directly or through other workers, for this one ({chain})",
            function.name,
            worker.uri()
        ),
    })
}

impl Drop for HostInner {
    /// Ends the timer thread; what was still scheduled never runs.
    fn drop(&mut self) {
        self.schedules.close();
    }
}

/// A local Golem host: loads components and runs their workers on wasmtime.
///
/// Cloning is cheap and yields another handle to the same host. Every worker gets WASI (stdout
/// and stderr inherited), `golem:rpc/types@0.1.x` and `golem:api/host@0.2.x` (Golem 1.0/1.1),
/// and `golem:rpc/types@0.2.0` and `golem:api/host@1.1.6` (Golem 1.2). A worker the host
/// creates starts with `{NAME}_COMPONENT_ID` for every loaded component plus the host's
/// variables ([`Host::add_env`]) and arguments ([`Host::add_arg`]); a worker created by an RPC
/// call inherits its caller's arguments and environment instead, as in Golem. Either way it
/// also sees `GOLEM_WORKER_NAME`, `GOLEM_COMPONENT_ID` and `GOLEM_COMPONENT_VERSION`.
#[derive(Clone)]
pub struct Host {
    inner: Arc<HostInner>,
}

impl Host {
    /// A host with a fresh wasmtime engine and no components; key-value buckets and blob
    /// containers are kept in memory.
    pub fn new() -> anyhow::Result<Self> {
        Self::with_data(DataStore::in_memory())
    }

    /// Like [`Host::new`], with key-value buckets and blob containers kept in directory `dir`
    /// (created if needed), so that they survive the host: a new host on the same directory sees
    /// them again.
    pub fn with_data_dir(dir: impl AsRef<Path>) -> anyhow::Result<Self> {
        let dir = dir.as_ref();
        let data = DataStore::in_directory(dir)
            .with_context(|| format!("cannot use {} as the data directory", dir.display()))?;
        Self::with_data(data)
    }

    fn with_data(data: DataStore) -> anyhow::Result<Self> {
        let mut config = Config::new();
        config.wasm_component_model(true);
        config.max_wasm_stack(task::MAX_WASM_STACK);
        // Deadlines and interruption (see `EPOCH_TICK`).
        config.epoch_interruption(true);
        let engine = Engine::new(&config)?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_sync(&mut linker)?;
        add_golem_interfaces(&mut linker)?;
        add_worker_extras(&mut linker)?;
        let host = Self {
            inner: Arc::new_cyclic(|self_ref| HostInner {
                engine,
                linker,
                components: RwLock::default(),
                env: RwLock::default(),
                args: RwLock::default(),
                workers: Mutex::default(),
                next_worker_key: AtomicU64::new(1),
                scheduler: Arc::default(),
                jobs: Jobs::default(),
                pool: Arc::default(),
                schedules: Arc::default(),
                promises: Promises::default(),
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
        // Golem 1.2 client interfaces the component imports are linked for it alone.
        let linker = crate::dynamic_linking::link_clients(
            &self.inner.engine,
            &self.inner.linker,
            &component,
        )
        .with_context(|| format!("linking the client interfaces component {name} imports"))?;
        let loaded = Arc::new(LoadedComponent::new(
            name,
            ephemeral,
            &self.inner.engine,
            linker.as_ref().unwrap_or(&self.inner.linker),
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
        let function = component.lookup(function).map_err(|message| {
            anyhow!(
                "{message}; {} exports: {}",
                component.name,
                component.function_names().join(", ")
            )
        })?;
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
            .rpc_invoke_and_await(&target, function_name, params, None)
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
        self.inner.rpc_invoke(&target, function_name, params, None)
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
