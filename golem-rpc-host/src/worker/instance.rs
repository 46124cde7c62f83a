//! Workers: one wasmtime `Store` plus one instance of a component, created on first use.

use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Instant;

use wasmtime::component::{ComponentExportIndex, Func, Instance, Type, Val};
use wasmtime::{Engine, Store, UpdateDeadline};

use crate::bindings::golem::api0_2_0::host::WorkerStatus;
use crate::bindings::golem::rpc0_1_3::types::{WitNode, WitValue};
use crate::bindings::value::{
    HandleContext, NoHandles, ValueError, results_to_wit_value, results_to_wit_value_in, type_name,
    val_to_wit_value, wit_value_to_val_in,
};
use crate::durability::oplog::{OplogEntry, invocations_to_replay};
use crate::durability::store::WorkerOplog;
use crate::execution::locks::WorkerKey;
use crate::worker::component::{ExportedFunction, FunctionKind, LoadedComponent};
use crate::worker::context::WorkerContext;
use crate::worker::error::CallError;
use crate::worker::handles::{DIFFERENT_WORKER, HandleTable, ResourceNames, WorkerHandles};
use crate::worker::state::{Services, Settings, WorkerState};

/// The arguments of a call.
pub(crate) enum CallArgs {
    /// Already decoded (the parameters cannot contain resource handles).
    Vals(Vec<Val>),
    /// `wit-value`s with resource handles: checked when the call was made, decoded against the
    /// worker's handle table when it runs.
    Deferred(Vec<WitValue>),
}

struct Running {
    store: Store<WorkerState>,
    instance: Instance,
    /// The resource types the instance exports, with their names.
    resource_names: ResourceNames,
}

/// A worker's instance, if it has one, and the resources handed out to other workers.
#[derive(Default)]
struct Slot {
    running: Option<Running>,
    handles: HandleTable,
}

impl Slot {
    /// Drops the instance (and with it every resource in the handle table).
    fn evict(&mut self) {
        self.running = None;
        self.handles.clear();
    }
}

/// A worker and its (lazily created) instance.
pub(crate) struct Worker {
    pub(crate) context: Arc<WorkerContext>,
    pub(crate) key: WorkerKey,
    pub(crate) component: Arc<LoadedComponent>,
    services: Weak<dyn Services>,
    settings: Arc<Settings>,
    slot: Mutex<Slot>,
}

impl Worker {
    pub(crate) fn new(
        context: WorkerContext,
        key: WorkerKey,
        component: Arc<LoadedComponent>,
        services: Weak<dyn Services>,
        settings: Arc<Settings>,
    ) -> Self {
        Self {
            context: Arc::new(context),
            key,
            component,
            services,
            settings,
            slot: Mutex::default(),
        }
    }

    /// `urn:worker:{component-id}/{name}`.
    pub(crate) fn uri(&self) -> &Arc<str> {
        &self.context.uri
    }

    fn instantiate(&self, engine: &Engine) -> Result<Running, CallError> {
        let services = self.services.upgrade().ok_or_else(|| {
            CallError::Internal("the golem-rpc host has been shut down".to_string())
        })?;
        let state = WorkerState::new(self.context.clone(), &services);
        let mut store = Store::new(engine, state);
        store.limiter(|state| &mut state.limits);
        // wasmtime's default (100 000 live handles) is below what a caller with 100 000 calls in
        // flight needs (a future and a pollable each); Golem's wasmtime had no such cap.
        store.set_max_component_handles(MAX_COMPONENT_HANDLES);
        // The engine's epoch advances every `EPOCH_TICK`; at each tick a running instance checks
        // whether the host was interrupted or its invocation ran out of time.
        let settings = self.settings.clone();
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(move |ctx| {
            if settings.is_interrupted() {
                return Err(wasmtime::format_err!(
                    "interrupted: the host stopped the invocations still running"
                ));
            }
            if let Some(deadline) = ctx.data().deadline
                && Instant::now() >= deadline
            {
                return Err(wasmtime::format_err!(
                    "the invocation ran past its deadline (the host's invocation timeout)"
                ));
            }
            Ok(UpdateDeadline::Continue(1))
        });
        let instance = self.component.pre.instantiate(&mut store).map_err(|err| {
            CallError::Internal(format!(
                "Failed to instantiate worker {}: {:#}",
                self.context.id,
                anyhow::Error::from(err)
            ))
        })?;
        let resource_names = self
            .component
            .resources
            .iter()
            .filter_map(|(index, name)| {
                let ty = instance.get_resource(&mut store, index)?;
                Some((ty, name.clone()))
            })
            .collect();
        Ok(Running {
            store,
            instance,
            resource_names: ResourceNames::new(resource_names),
        })
    }

    /// Creates the worker's instance if it has none; a durable worker's state is rebuilt from
    /// its oplog first (in a new host process, or after the instance was dropped).
    fn ensure_running(&self, slot: &mut Slot, engine: &Engine) -> Result<(), CallError> {
        if slot.running.is_none() {
            let mut running = self.instantiate(engine)?;
            if let Err(err) = self.replay(&mut running, &mut slot.handles) {
                slot.handles.clear();
                return Err(err);
            }
            slot.running = Some(running);
        }
        Ok(())
    }

    /// Recovers a durable worker the host found interrupted: replays it, and so finishes the
    /// invocation it was running when its host process died. The caller holds the worker's lock.
    pub(crate) fn recover_locked(&self, engine: &Engine) -> Result<(), CallError> {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        self.ensure_running(&mut slot, engine)
    }

    /// Runs `body` on this worker's instance (created if needed) and handle table.
    ///
    /// The caller must hold the worker's [`crate::execution::locks::WorkerLock`]. If `body` reports a
    /// failure of the instance (`Err(Failed)`: a trap, or an error from a host function) the
    /// instance and its handle table are dropped: wasmtime refuses to enter an instance again
    /// after a trap, so the next call starts a fresh one.
    fn with_instance<R>(
        &self,
        engine: &Engine,
        body: impl FnOnce(&mut Running, &mut HandleTable) -> Result<R, Failure>,
    ) -> Result<R, CallError> {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        self.ensure_running(&mut slot, engine)?;
        let Slot { running, handles } = &mut *slot;
        let Some(running) = running.as_mut() else {
            return Err(CallError::Internal(format!(
                "worker {} has no instance",
                self.context.id
            )));
        };
        self.context.api().begin_invocation();
        running.store.data_mut().deadline = self
            .settings
            .invocation_timeout()
            .map(|timeout| Instant::now() + timeout);
        let outcome = body(running, handles);
        let mut api = self.context.api();
        let outcome = match outcome {
            Ok(result) => {
                // `ExportedFunctionCompleted`.
                api.append(1);
                api.status = WorkerStatus::Idle;
                Ok(result)
            }
            Err(Failure::Rejected(err)) => {
                api.status = WorkerStatus::Idle;
                Err(err)
            }
            Err(Failure::Failed(err)) => {
                // Golem retries a failed invocation and then marks the worker failed; here the
                // failure is reported at once and the next call starts a fresh instance.
                api.status = WorkerStatus::Failed;
                drop(api);
                slot.evict();
                // The next instance starts afresh: so does its replay.
                if let Some(oplog) = &self.context.oplog {
                    oplog.append(OplogEntry::Reset);
                }
                return Err(err);
            }
        };
        drop(api);
        if self.component.ephemeral {
            // An ephemeral worker runs every invocation on a fresh instance, as in Golem.
            slot.evict();
        }
        outcome
    }

    /// Calls `function` with already decoded `args` and returns its results.
    ///
    /// Only for functions without resource handles (the caller checks).
    pub(crate) fn call_locked(
        &self,
        engine: &Engine,
        function: &ExportedFunction,
        args: &[Val],
    ) -> Result<Vec<Val>, CallError> {
        self.with_instance(engine, |running, _| {
            let key = self.record_invocation(running, function, None, || {
                args.iter()
                    .zip(&function.params)
                    .map(|(val, (_, ty))| val_to_wit_value(val, ty))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|err| err.to_string())
            });
            let func = export(running, function)?;
            let results = self.call_func(&mut running.store, func, function, args)?;
            if let Some(key) = key {
                self.record_completion(key, || results_to_wit_value(&results, &function.results));
            }
            Ok(results)
        })
    }

    /// With durable workers: appends the invocation of `function` with `params()` to the
    /// oplog, and returns its key.
    fn record_invocation(
        &self,
        running: &Running,
        function: &ExportedFunction,
        key: Option<&str>,
        params: impl FnOnce() -> Result<Vec<WitValue>, String>,
    ) -> Option<String> {
        let oplog = self.context.oplog.as_ref()?;
        let params = params()
            .map_err(|err| eprintln!("golem-rpc-host: {} is not recorded: {err}", function.name))
            .ok()?;
        let from_client = key.is_none();
        let key = key.map_or_else(WorkerOplog::new_key, str::to_string);
        if let Some(journal) = &running.store.data().journal {
            journal.begin_invocation(&key);
        }
        let entry = OplogEntry::Invoke {
            key: key.clone(),
            function: function.name.clone(),
            params,
        };
        if from_client {
            oplog.append_committed(entry);
        } else {
            oplog.append(entry);
        }
        Some(key)
    }

    /// Appends the completion of invocation `key` with `result()`.
    fn record_completion(
        &self,
        key: String,
        result: impl FnOnce() -> Result<WitValue, ValueError>,
    ) {
        if let Some(oplog) = &self.context.oplog {
            let result = result().unwrap_or(WitValue {
                nodes: vec![WitNode::TupleValue(Vec::new())],
            });
            oplog.append(OplogEntry::Complete { key, result });
        }
    }

    /// Replays the invocations recorded since the worker last started afresh, with their
    /// recorded host-call answers and without output; one the host died in goes on live to
    /// its end. Nothing to do for a worker that is not durable.
    fn replay(&self, running: &mut Running, handles: &mut HandleTable) -> Result<(), CallError> {
        let (Some(oplog), Some(journal)) = (
            self.context.oplog.clone(),
            running.store.data().journal.clone(),
        ) else {
            return Ok(());
        };
        let recorded = invocations_to_replay(&oplog.entries());
        for invocation in recorded {
            let function = self.component.lookup(&invocation.function).map_err(|err| {
                CallError::Internal(format!("cannot replay worker {}: {err}", self.context.id))
            })?;
            journal.begin_invocation(&invocation.key);
            journal.replay(invocation.answers);
            let args = CallArgs::Deferred(invocation.params);
            let outcome = match &function.kind {
                FunctionKind::ResourceDrop(resource) => {
                    self.drop_resource(running, handles, &function, *resource, &args)
                }
                _ => self.invoke_export(running, handles, &function, &args),
            };
            journal.end_replay();
            match outcome {
                Ok(result) if !invocation.completed => {
                    // Resumed after the host died in it: now it has completed.
                    oplog.append(OplogEntry::Complete {
                        key: invocation.key,
                        result,
                    });
                }
                Ok(_) | Err(Failure::Rejected(_)) => {}
                Err(Failure::Failed(err)) => return Err(err),
            }
        }
        Ok(())
    }

    /// Runs an RPC call of `function`: decodes deferred arguments against the handle table, calls
    /// the export (or drops a resource) and encodes the results as one tuple `wit-value`,
    /// registering returned resources.
    pub(crate) fn invoke_locked(
        &self,
        engine: &Engine,
        function: &ExportedFunction,
        args: &CallArgs,
        key: Option<&str>,
    ) -> Result<WitValue, CallError> {
        self.with_instance(engine, |running, handles| {
            // A call made again after its caller crashed: answered as it was the first time
            // (looked up once the worker is recovered, which may have completed it).
            if let (Some(oplog), Some(key)) = (&self.context.oplog, key)
                && let Some(result) = oplog.completed(key)
            {
                return Ok(result);
            }
            let key = self.record_invocation(running, function, key, || match args {
                CallArgs::Deferred(params) => Ok(params.clone()),
                CallArgs::Vals(vals) => vals
                    .iter()
                    .zip(&function.params)
                    .map(|(val, (_, ty))| val_to_wit_value(val, ty))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|err| err.to_string()),
            });
            let result = match &function.kind {
                FunctionKind::ResourceDrop(resource) => {
                    self.drop_resource(running, handles, function, *resource, args)
                }
                _ => self.invoke_export(running, handles, function, args),
            }?;
            if let Some(key) = key {
                self.record_completion(key, || Ok(result.clone()));
            }
            Ok(result)
        })
    }

    fn invoke_export(
        &self,
        running: &mut Running,
        handles: &mut HandleTable,
        function: &ExportedFunction,
        args: &CallArgs,
    ) -> Result<WitValue, Failure> {
        let func = export(running, function)?;
        let Running {
            store,
            resource_names,
            ..
        } = running;
        let mut context = WorkerHandles::new(handles, &self.context.uri, resource_names);
        let decoded;
        let vals = match args {
            CallArgs::Vals(vals) => vals.as_slice(),
            CallArgs::Deferred(params) => {
                decoded = decode_params(store, func, function, params, &mut context)?;
                context.commit();
                decoded.as_slice()
            }
        };
        let results = self.call_func(store, func, function, vals)?;
        let encoded = if function.results_have_handles {
            results_to_wit_value_in(&results, &function.results, &mut context)
        } else {
            results_to_wit_value_in(&results, &function.results, &mut NoHandles)
        };
        encoded.map_err(|err| {
            rejected(format!(
                "Failed to encode the results of {}: {err}",
                function.name
            ))
        })
    }

    fn call_func(
        &self,
        store: &mut Store<WorkerState>,
        func: Func,
        function: &ExportedFunction,
        args: &[Val],
    ) -> Result<Vec<Val>, Failure> {
        let mut results = vec![Val::Bool(false); function.results.len()];
        match func.call(store, args, &mut results) {
            Ok(()) => Ok(results),
            Err(err) => Err(self.failed(function, err)),
        }
    }

    fn failed(&self, function: &ExportedFunction, err: wasmtime::Error) -> Failure {
        Failure::Failed(CallError::Internal(format!(
            "Runtime error: {} failed in worker {}: {:#}",
            function.name,
            self.context.id,
            anyhow::Error::from(err)
        )))
    }

    /// `{R.drop}`: drops the resource behind the handle and forgets it; an unknown id is fine (a
    /// double drop is harmless), as in Golem.
    fn drop_resource(
        &self,
        running: &mut Running,
        handles: &mut HandleTable,
        function: &ExportedFunction,
        resource: ComponentExportIndex,
        args: &CallArgs,
    ) -> Result<WitValue, Failure> {
        let unit = || WitValue {
            nodes: vec![WitNode::TupleValue(Vec::new())],
        };
        let handle = match args {
            CallArgs::Deferred(params) => match params.as_slice() {
                [param] => match param.nodes.first() {
                    Some(WitNode::Handle((uri, id))) => Some((&uri.value, *id)),
                    _ => None,
                },
                _ => None,
            },
            CallArgs::Vals(_) => None,
        };
        let Some((uri, id)) = handle else {
            return Err(rejected(format!(
                "Invalid request: {} expects one handle parameter",
                function.name
            )));
        };
        if uri.as_str() != &*self.context.uri {
            return Err(rejected(format!(
                "Invalid request: parameter 0 of {}: {DIFFERENT_WORKER}",
                function.name
            )));
        }
        let Some(found) = handles.get(id) else {
            return Ok(unit());
        };
        let expected = running
            .instance
            .get_resource(&mut running.store, resource)
            .ok_or_else(|| {
                rejected(format!(
                    "Invalid request: could not load the resource type of {}",
                    function.name
                ))
            })?;
        if found.ty() != expected {
            return Err(rejected(format!(
                "Invalid request: parameter 0 of {}: handle {id} is a {}, expected a {}",
                function.name,
                running.resource_names.name(&found.ty()),
                running.resource_names.name(&expected)
            )));
        }
        handles.remove(id);
        found
            .resource_drop(&mut running.store)
            .map_err(|err| self.failed(function, err))?;
        Ok(unit())
    }
}

/// Most component-model handles one worker instance may hold at once.
const MAX_COMPONENT_HANDLES: usize = 1 << 20;

/// How a call on an instance went wrong.
enum Failure {
    /// Refused before the instance ran: the instance is fine.
    Rejected(CallError),
    /// The instance failed (trap, host error): it must be dropped.
    Failed(CallError),
}

fn rejected(message: String) -> Failure {
    Failure::Rejected(CallError::Internal(message))
}

/// The export `function` of the instance.
fn export(running: &mut Running, function: &ExportedFunction) -> Result<Func, Failure> {
    let FunctionKind::Export(index) = &function.kind else {
        return Err(rejected(format!(
            "Invalid request: {} is not an exported function",
            function.name
        )));
    };
    running
        .instance
        .get_func(&mut running.store, index)
        .ok_or_else(|| {
            rejected(format!(
                "Invalid request: could not load function {}",
                function.name
            ))
        })
}

/// Decodes parameters with handles, against the instance's own (instantiated) types: resource
/// types are only comparable with the handles' types once instantiated.
fn decode_params(
    store: &Store<WorkerState>,
    func: Func,
    function: &ExportedFunction,
    params: &[WitValue],
    handles: &mut impl HandleContext,
) -> Result<Vec<Val>, Failure> {
    let types: Vec<Type> = func.ty(store).params().map(|(_, ty)| ty).collect();
    if params.len() != types.len() || params.len() != function.params.len() {
        return Err(rejected(format!(
            "Invalid request: {} expects {} parameters, got {}",
            function.name,
            types.len(),
            params.len()
        )));
    }
    params
        .iter()
        .zip(&types)
        .zip(&function.params)
        .enumerate()
        .map(|(i, ((param, ty), (name, _)))| {
            wit_value_to_val_in(param, ty, handles)
                .map_err(|err| rejected(param_error(i, name, ty, function, &err)))
        })
        .collect()
}

/// The text of a `remote-internal-error` for a parameter that does not decode.
pub(crate) fn param_error(
    index: usize,
    name: &str,
    ty: &Type,
    function: &ExportedFunction,
    err: &ValueError,
) -> String {
    format!(
        "Invalid request: parameter {index} ({name}: {}) of {}: {err}",
        type_name(ty),
        function.name
    )
}
