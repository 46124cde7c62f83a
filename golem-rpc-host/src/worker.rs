//! Workers: one wasmtime `Store` plus one instance of a component, created on first use.

use std::sync::{Arc, Mutex, PoisonError, Weak};

use wasmtime::Store;
use wasmtime::component::{Instance, ResourceTable, Val};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::component::{ExportedFunction, LoadedComponent};
use crate::host::{CallError, HostInner};
use crate::scheduler::WorkerKey;
use crate::uri::WorkerId;

/// Environment variables of a worker.
pub(crate) type Env = Arc<[(String, String)]>;

/// The data of a worker's store: WASI state plus what the `golem:rpc` host functions need.
pub(crate) struct WorkerState {
    wasi: WasiCtx,
    pub(crate) table: ResourceTable,
    pub(crate) host: Weak<HostInner>,
    /// The worker's environment; workers it creates through RPC inherit it.
    pub(crate) env: Env,
}

impl WasiView for WorkerState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

struct Running {
    store: Store<WorkerState>,
    instance: Instance,
}

/// A worker and its (lazily created) instance.
pub(crate) struct Worker {
    pub(crate) id: WorkerId,
    pub(crate) uri: Arc<str>,
    pub(crate) key: WorkerKey,
    pub(crate) component: Arc<LoadedComponent>,
    pub(crate) env: Env,
    running: Mutex<Option<Running>>,
}

impl Worker {
    pub(crate) fn new(
        id: WorkerId,
        key: WorkerKey,
        component: Arc<LoadedComponent>,
        env: Env,
    ) -> Self {
        Self {
            uri: id.uri().into(),
            id,
            key,
            component,
            env,
            running: Mutex::new(None),
        }
    }

    fn instantiate(&self, host: &Arc<HostInner>) -> Result<Running, CallError> {
        let mut wasi = WasiCtx::builder();
        wasi.inherit_stdout().inherit_stderr().envs(&self.env[..]);
        let state = WorkerState {
            wasi: wasi.build(),
            table: ResourceTable::new(),
            host: Arc::downgrade(host),
            env: self.env.clone(),
        };
        let mut store = Store::new(host.engine(), state);
        let instance = self.component.pre.instantiate(&mut store).map_err(|err| {
            CallError::Internal(format!(
                "Failed to instantiate worker {}: {:#}",
                self.id,
                anyhow::Error::from(err)
            ))
        })?;
        Ok(Running { store, instance })
    }

    /// Calls `function` on this worker's instance, creating the instance if needed.
    ///
    /// The caller must hold the worker's [`crate::scheduler::WorkerLock`]. If the call fails
    /// (a trap, or an error from a host function) the instance is dropped: wasmtime refuses to
    /// enter an instance again after a trap, so the next call starts a fresh one.
    pub(crate) fn call_locked(
        &self,
        host: &Arc<HostInner>,
        function: &ExportedFunction,
        args: &[Val],
    ) -> Result<Vec<Val>, CallError> {
        let mut slot = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(self.instantiate(host)?);
        }
        let Some(running) = slot.as_mut() else {
            return Err(CallError::Internal(format!(
                "worker {} has no instance",
                self.id
            )));
        };
        let func = running
            .instance
            .get_func(&mut running.store, function.index)
            .ok_or_else(|| {
                CallError::Internal(format!(
                    "Invalid request: could not load function {}",
                    function.name
                ))
            })?;
        let mut results = vec![Val::Bool(false); function.results.len()];
        match func.call(&mut running.store, args, &mut results) {
            Ok(()) => Ok(results),
            Err(err) => {
                *slot = None;
                Err(CallError::Internal(format!(
                    "Runtime error: {} failed in worker {}: {:#}",
                    function.name,
                    self.id,
                    anyhow::Error::from(err)
                )))
            }
        }
    }
}
