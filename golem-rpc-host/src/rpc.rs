//! The host side of `golem:rpc/types@0.1.0`: the `wasm-rpc` and `future-invoke-result`
//! resources as seen by guests.
//!
//! `async-invoke-and-await` runs the call on a background thread and hands the guest a
//! `future-invoke-result` whose pollable really waits for that thread. A background thread (rather
//! than running the call lazily inside `get`/`poll`) is what Golem's semantics need: the call runs
//! even if the guest never polls, several async calls to different workers run concurrently, and
//! the caller's worker stays free to do other work meanwhile. The thread takes its place in the
//! target's queue at call time, so calls from one caller reach a worker in the order they were
//! made; a pollable wait is registered with the scheduler so a poll that could never complete
//! (the call needs the polling worker) fails the call instead of hanging.

use tokio::sync::oneshot;
use tokio::sync::oneshot::error::TryRecvError;
use wasmtime::component::Resource;
use wasmtime_wasi::p2::{DynPollable, Pollable};

use std::sync::Arc;

use crate::bindings::golem::rpc::types::{
    Host, HostFutureInvokeResult, HostWasmRpc, RpcError, Uri, WitValue,
};
use crate::host::HostInner;
use crate::scheduler::Scheduler;
use crate::task::{self, TaskId};
use crate::uri::{WorkerId, parse_worker_uri};
use crate::worker::WorkerState;

/// The host data behind a guest's `wasm-rpc` resource: the target worker.
pub struct WasmRpcEntry {
    target: WorkerId,
}

enum FutureState {
    Pending(oneshot::Receiver<Result<WitValue, RpcError>>),
    Ready(Result<WitValue, RpcError>),
    Consumed,
}

/// The host data behind a guest's `future-invoke-result` resource.
pub struct FutureInvokeEntry {
    state: FutureState,
    /// The background task computing the result, and the scheduler it is known to.
    job: Option<(TaskId, Arc<Scheduler>)>,
}

fn lost_result() -> RpcError {
    RpcError::RemoteInternalError("the background invocation ended without a result".to_string())
}

impl FutureInvokeEntry {
    /// A future that is already complete (e.g. the call was rejected before it started).
    pub(crate) fn ready(result: Result<WitValue, RpcError>) -> Self {
        Self {
            state: FutureState::Ready(result),
            job: None,
        }
    }

    /// A future completed by background task `job` through `receiver`.
    pub(crate) fn pending(
        receiver: oneshot::Receiver<Result<WitValue, RpcError>>,
        job: TaskId,
        scheduler: Arc<Scheduler>,
    ) -> Self {
        Self {
            state: FutureState::Pending(receiver),
            job: Some((job, scheduler)),
        }
    }

    /// `get`: `None` while pending, the result exactly once, then a trap.
    fn take(&mut self) -> wasmtime::Result<Option<Result<WitValue, RpcError>>> {
        let result = match std::mem::replace(&mut self.state, FutureState::Consumed) {
            FutureState::Consumed => {
                return Err(wasmtime::format_err!(
                    "future-invoke-result already consumed"
                ));
            }
            FutureState::Ready(result) => result,
            FutureState::Pending(mut receiver) => match receiver.try_recv() {
                Ok(result) => result,
                Err(TryRecvError::Empty) => {
                    self.state = FutureState::Pending(receiver);
                    return Ok(None);
                }
                Err(TryRecvError::Closed) => Err(lost_result()),
            },
        };
        Ok(Some(result))
    }
}

#[async_trait::async_trait]
impl Pollable for FutureInvokeEntry {
    async fn ready(&mut self) {
        let FutureState::Pending(receiver) = &mut self.state else {
            return;
        };
        // Tell the scheduler this task now waits for the background task, so that a call which
        // needs this (busy) worker fails as a deadlock instead of waiting forever.
        let _wait = match (&self.job, task::current()) {
            (Some((job, scheduler)), Some(me)) => Some(scheduler.wait_for_task(me, *job)),
            _ => None,
        };
        let result = receiver.await.unwrap_or_else(|_| Err(lost_result()));
        self.state = FutureState::Ready(result);
    }
}

impl WorkerState {
    fn host(&self) -> wasmtime::Result<Arc<HostInner>> {
        self.host
            .upgrade()
            .ok_or_else(|| wasmtime::format_err!("the golem-rpc host has been shut down"))
    }
}

impl HostWasmRpc for WorkerState {
    fn new(&mut self, location: Uri) -> wasmtime::Result<Resource<WasmRpcEntry>> {
        let target =
            parse_worker_uri(&location.value).map_err(|err| wasmtime::format_err!("{err}"))?;
        Ok(self.table.push(WasmRpcEntry { target })?)
    }

    fn invoke_and_await(
        &mut self,
        self_: Resource<WasmRpcEntry>,
        function_name: String,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Result<WitValue, RpcError>> {
        let target = self.table.get(&self_)?.target.clone();
        let host = self.host()?;
        Ok(host.rpc_invoke_and_await(&target, &function_name, function_params, Some(&self.env)))
    }

    fn invoke(
        &mut self,
        self_: Resource<WasmRpcEntry>,
        function_name: String,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Result<(), RpcError>> {
        let target = self.table.get(&self_)?.target.clone();
        let host = self.host()?;
        Ok(host.rpc_invoke(&target, &function_name, function_params, Some(&self.env)))
    }

    fn async_invoke_and_await(
        &mut self,
        self_: Resource<WasmRpcEntry>,
        function_name: String,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Resource<FutureInvokeEntry>> {
        let target = self.table.get(&self_)?.target.clone();
        let host = self.host()?;
        let entry = host.rpc_async_invoke_and_await(
            &target,
            &function_name,
            function_params,
            Some(&self.env),
        );
        Ok(self.table.push(entry)?)
    }

    fn drop(&mut self, rep: Resource<WasmRpcEntry>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl HostFutureInvokeResult for WorkerState {
    fn subscribe(
        &mut self,
        self_: Resource<FutureInvokeEntry>,
    ) -> wasmtime::Result<Resource<DynPollable>> {
        wasmtime_wasi::p2::subscribe(
            &mut self.table,
            Resource::<FutureInvokeEntry>::new_borrow(self_.rep()),
        )
    }

    fn get(
        &mut self,
        self_: Resource<FutureInvokeEntry>,
    ) -> wasmtime::Result<Option<Result<WitValue, RpcError>>> {
        self.table.get_mut(&self_)?.take()
    }

    fn drop(&mut self, rep: Resource<FutureInvokeEntry>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl Host for WorkerState {}
