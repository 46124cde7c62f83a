//! [`HostInner`], what the [`Host`](super::Host) shares with its workers' host functions: the
//! loaded components, the workers, the call path every call takes (guests' RPC and the host's
//! API alike: prepare, lock the worker, run, report) and the background invocations in flight.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock, Weak};
use std::time::{Duration, Instant, SystemTime};

use anyhow::anyhow;
use tokio::sync::oneshot;
use uuid::Uuid;
use wasmtime::Engine;

use crate::bindings::RpcResult;
use crate::bindings::golem::rpc0_1_3::types::{RpcError, WitValue};
use crate::bindings::value::{wit_value_to_val, wit_value_to_val_in};
use crate::durability::oplog::{OplogEntry, invocations_to_replay};
use crate::durability::store::OplogStore;
use crate::execution::background::{JobState, PendingInvocation};
use crate::execution::locks::{Deadlock, Reservation, WorkerLocks};
use crate::execution::pool::{self, Pool};
use crate::execution::task::{self, HOST_THREAD_STACK_SIZE, TaskId};
use crate::execution::timers::{ScheduleError, ScheduleId, ScheduledInvocation, Schedules, utc};
use crate::model::generation::Generation;
use crate::model::uri::{WorkerId, component_id_env_var};
use crate::services::data_store::DataStore;
use crate::services::promises::Promises;
use crate::worker::component::{ExportedFunction, LoadedComponent};
use crate::worker::context::{Startup, WorkerContext};
use crate::worker::error::CallError;
use crate::worker::handles::CheckHandles;
use crate::worker::instance::{CallArgs, Worker, param_error};
use crate::worker::output::OutputSink;
use crate::worker::state::Settings;

/// Longest chain of nested worker calls (A→B→C…) before calls are refused.
pub const MAX_CALL_DEPTH: usize = 100;

/// Oplog entries Golem's executor writes in the caller for one RPC call: the caller's arguments
/// and environment (passed on to a worker the call creates), the call's idempotency key, the call.
pub(super) const RPC_OPLOG_ENTRIES: u64 = 4;

/// Most background invocations (`invoke`, `async-invoke-and-await`) in flight at once.
/// They wait in the target workers' queues and run on a bounded pool of threads.
pub const MAX_BACKGROUND_INVOCATIONS: usize = 1 << 18;

/// A call whose target, function and arguments have been checked.
struct PreparedCall {
    worker_id: WorkerId,
    component: Arc<LoadedComponent>,
    function: Arc<ExportedFunction>,
    args: CallArgs,
    /// The caller's idempotency key for the call (durable callers): a call with a key the
    /// target has completed is answered from its oplog, not run again.
    key: Option<String>,
}

#[derive(Default)]
pub(super) struct Components {
    pub(super) by_name: BTreeMap<String, Arc<LoadedComponent>>,
    pub(super) by_id: HashMap<Uuid, Arc<LoadedComponent>>,
}

/// What a background job calls: the function and the target worker's URI (formatted only when
/// reported).
type JobTarget = (Arc<ExportedFunction>, Arc<str>);

/// The background invocations in flight, with what each is (for reports when they are stopped).
#[derive(Default)]
pub(super) struct Jobs {
    pub(super) running: Mutex<BTreeMap<TaskId, JobTarget>>,
    pub(super) idle: Condvar,
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
pub(super) const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Shared state behind [`Host`]; host functions reach it through a weak reference.
pub(crate) struct HostInner {
    pub(super) engine: Engine,
    pub(super) linkers: crate::interfaces::Linkers,
    pub(super) components: RwLock<Components>,
    pub(super) env: RwLock<BTreeMap<String, String>>,
    /// Whether workers the host creates get `{NAME}_COMPONENT_ID` for every loaded component
    /// ([`crate::Host::set_component_id_env`]; off, as Golem sets none).
    pub(super) component_id_env: AtomicBool,
    /// The generation of components whose imports fit several
    /// ([`crate::Host::set_default_generation`]).
    pub(super) default_generation: Mutex<Generation>,
    /// The workers' oplogs: with a data directory, what makes workers outlive the process.
    pub(super) oplogs: OplogStore,
    pub(super) args: RwLock<Vec<String>>,
    /// Workers by component id, then by worker name.
    pub(super) workers: Mutex<HashMap<Uuid, HashMap<String, Arc<Worker>>>>,
    pub(super) next_worker_key: AtomicU64,
    pub(super) locks: Arc<WorkerLocks>,
    pub(super) jobs: Jobs,
    pub(super) pool: Arc<Pool>,
    /// Invocations scheduled for later (`golem:rpc/types@0.2.0`).
    pub(super) schedules: Arc<Schedules>,
    pub(super) promises: Arc<Promises>,
    pub(super) output: Arc<OutputSink>,
    pub(super) data: Arc<DataStore>,
    pub(super) settings: Arc<Settings>,
    /// This host, for its workers' host functions ([`Services`]).
    pub(super) self_ref: Weak<HostInner>,
}

impl HostInner {
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    pub(super) fn component_by_name(&self, name: &str) -> anyhow::Result<Arc<LoadedComponent>> {
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

    pub(super) fn component_by_id(&self, id: &Uuid) -> Option<Arc<LoadedComponent>> {
        let components = self
            .components
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        components.by_id.get(id).cloned()
    }

    /// What a worker created by the host itself (not through RPC) starts with.
    fn default_startup(&self) -> Startup {
        let mut env = BTreeMap::new();
        if self.component_id_env.load(Ordering::Relaxed) {
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

    /// Recovers the workers of `component` that an earlier host process left in the middle of
    /// an invocation (as Golem's executor recovers its workers when it starts): each is replayed
    /// in the background and its invocation goes on to its end.
    pub(super) fn recover_interrupted(self: &Arc<Self>, component: &Arc<LoadedComponent>) {
        for name in self.oplogs.stored_workers(&component.id) {
            let id = WorkerId::new(component.id, &name);
            let Some(oplog) = self.durable_oplog(component, &id) else {
                continue;
            };
            let interrupted = invocations_to_replay(&oplog.entries())
                .last()
                .is_some_and(|invocation| !invocation.completed);
            if !interrupted {
                continue;
            }
            let host = self.clone();
            let component = component.clone();
            let spawned = std::thread::Builder::new()
                .name("golem-rpc-recovery".to_string())
                .stack_size(HOST_THREAD_STACK_SIZE)
                .spawn(move || {
                    let _task = task::enter_top_level();
                    let worker = host.worker(&component, &name, None);
                    let Some(me) = task::current() else {
                        return;
                    };
                    let reservation = host.locks.reserve(worker.key, me);
                    if let Ok(_lock) = host.locks.acquire(reservation)
                        && let Err(err) = worker.recover_locked(&host.engine)
                    {
                        eprintln!("golem-rpc-host: recovering worker {}: {err}", worker.uri());
                    }
                });
            if let Err(err) = spawned {
                eprintln!("golem-rpc-host: cannot recover worker {id}: {err}");
            }
        }
    }

    /// The oplog of worker `id` when workers are durable (a data directory; not for ephemeral
    /// components, whose workers start afresh every invocation).
    fn durable_oplog(
        &self,
        component: &LoadedComponent,
        id: &WorkerId,
    ) -> Option<Arc<crate::durability::store::WorkerOplog>> {
        if !self.oplogs.is_durable() || component.ephemeral {
            return None;
        }
        self.oplogs
            .open(id)
            .map_err(|err| eprintln!("golem-rpc-host: worker {id} is not durable: {err:#}"))
            .ok()
    }

    /// Creates worker `name` of `component` with `startup`, as Golem's "launch new worker"
    /// does; `None` if it already exists.
    pub(super) fn create_worker(
        &self,
        component: &Arc<LoadedComponent>,
        name: &str,
        startup: Startup,
    ) -> Option<Arc<Worker>> {
        let exists = self
            .workers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&component.id)
            .is_some_and(|of_component| of_component.contains_key(name))
            || self
                .durable_oplog(component, &WorkerId::new(component.id, name))
                .is_some_and(|oplog| !oplog.entries().is_empty());
        // Creation is not atomic with the check, as two creators of one name are not expected
        // here; the first to reach `worker` wins either way.
        (!exists).then(|| self.worker(component, name, Some(&startup)))
    }

    /// Worker `name` of `component`, created on first use with `startup` (or the host's
    /// default).
    pub(super) fn worker(
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
        let id = WorkerId::new(component.id, name);
        let oplog = self.durable_oplog(component, &id);
        // A worker an earlier host process created comes back as it was created.
        let recorded = oplog.as_ref().and_then(|oplog| {
            oplog.entries().iter().find_map(|entry| match entry {
                OplogEntry::Create { args, env } => Some(Startup {
                    env: env.clone().into(),
                    args: args.clone().into(),
                }),
                _ => None,
            })
        });
        let startup = match recorded {
            Some(startup) => startup,
            None => {
                let startup = startup.cloned().unwrap_or_else(|| self.default_startup());
                if let Some(oplog) = &oplog {
                    oplog.append(OplogEntry::Create {
                        args: startup.args.to_vec(),
                        env: startup.env.to_vec(),
                    });
                }
                startup
            }
        };
        let key = self.next_worker_key.fetch_add(1, Ordering::Relaxed);
        let context = WorkerContext::new(id, &component.name, component.generation, startup, oplog);
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
        key: Option<String>,
    ) -> Result<PreparedCall, CallError> {
        // Golem's executor fails to find the component's metadata: `GolemError::unknown(..)`,
        // a `remote-internal-error` (its text in every version, 1.0 to 1.4).
        let component = self.component_by_id(&target.component_id).ok_or_else(|| {
            CallError::Internal(crate::worker::error::UNKNOWN_COMPONENT.to_string())
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
            key,
        })
    }

    /// Runs `call` (a call of `function`) on `worker` within the current task (starting one if
    /// needed), holding the worker's lock.
    ///
    /// This is the single call path of the host: guests' RPC calls, background invocations and
    /// the direct API all end here. `reservation` is a pre-reserved place in the worker's queue
    /// (background invocations reserve at call time to keep the caller's order).
    pub(super) fn execute<R: Send>(
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
            None => self.locks.reserve(worker.key, me),
        };
        let _lock = self
            .locks
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
            worker.invoke_locked(
                host.engine(),
                &call.function,
                &call.args,
                call.key.as_deref(),
            )
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
    pub(super) fn wait_for_jobs(&self, until: Option<Instant>) -> bool {
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
    /// now. The returned flag cancels it while it has not started (see `execution::background`).
    fn spawn_job(
        self: &Arc<Self>,
        call: PreparedCall,
        startup: Option<&Startup>,
        on_done: impl FnOnce(Result<WitValue, CallError>) + Send + 'static,
    ) -> Result<(TaskId, Arc<JobState>), CallError> {
        let job = task::new_task_id();
        let worker = self.worker(&call.component, &call.worker_id.worker_name, startup);
        let permit = self.start_job(job, (call.function.clone(), worker.uri().clone()))?;
        let reservation = self.locks.reserve_queued(worker.key, job);
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
        key: Option<String>,
    ) -> Result<WitValue, RpcError> {
        let call = self
            .prepare_rpc(target, function_name, params, key)
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
        key: Option<String>,
    ) -> Result<(), RpcError> {
        let call = self
            .prepare_rpc(target, function_name, params, key)
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
        key: Option<String>,
    ) -> Result<PendingInvocation<RpcResult>, RpcError> {
        let call = self
            .prepare_rpc(target, function_name, params, key)
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
            locks: self.locks.clone(),
        })
    }

    /// `wasm-rpc.schedule-invocation`: checks the call now; at `at` the timer queues it like
    /// `invoke` (a worker it creates starts like one the host creates). A rejected call is
    /// reported on stderr at once (Golem checks nothing here: the call fails when it runs).
    pub(super) fn schedule_rpc(
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
        let call = match self.prepare_rpc(target, function_name, params, None) {
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
    pub(super) fn wait_for_work(&self, deadline: Instant) -> bool {
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

    pub(super) fn existing_worker(&self, id: &WorkerId) -> Option<Arc<Worker>> {
        let workers = self.workers.lock().unwrap_or_else(PoisonError::into_inner);
        workers.get(&id.component_id)?.get(&id.worker_name).cloned()
    }
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
