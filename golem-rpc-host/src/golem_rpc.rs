//! The host side of `golem:rpc/types`: the `wasm-rpc` and `future-invoke-result` resources,
//! shared by both versions (a `wasm-rpc` is its target worker, whichever version created it),
//! and `golem:rpc/types@0.1.3` itself (0.2.0 is in `golem_rpc_v0_2`): 0.1.0's functions, and
//! Golem 1.1.19+'s schedules, `cancellation-token` and `extract-*` as in 0.2.0.
//!
//! `async-invoke-and-await` runs the call on a background thread and hands the guest a
//! `future-invoke-result` whose pollable really waits for that thread. A background thread (rather
//! than running the call lazily inside `get`/`poll`) is what Golem's semantics need: the call runs
//! even if the guest never polls, several async calls to different workers run concurrently, and
//! the caller's worker stays free to do other work meanwhile. The thread takes its place in the
//! target's queue at call time, so calls from one caller reach a worker in the order they were
//! made; a pollable wait is registered with the scheduler so a poll that could never complete
//! (the call needs the polling worker) fails the call instead of hanging.

use std::cell::Cell;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::oneshot;
use tokio::sync::oneshot::error::TryRecvError;
use wasmtime::component::Resource;
use wasmtime_wasi::p2::bindings::clocks::wall_clock::Datetime;
use wasmtime_wasi::p2::{DynPollable, Pollable};

use crate::bindings::golem::rpc0_1_3::types::{
    Host, HostCancellationToken, HostFutureInvokeResult, HostWasmRpc, RpcError, Uri, ValueAndType,
    WitType, WitValue,
};
use crate::schedule::ScheduleId;
use crate::scheduler::Scheduler;
use crate::state::{JobState, PendingInvocation, WorkerState};
use crate::task::{self, TaskId};
use crate::uri::{WorkerId, parse_target_uri};

/// After a spin for a result that saw nothing, futures checked within this time of the last
/// check do not spin (they belong to the same poll).
const QUIET: Duration = Duration::from_micros(20);

thread_local! {
    /// Until when this thread does not spin for results (see `QUIET`).
    static QUIET_UNTIL: Cell<Option<Instant>> = const { Cell::new(None) };
}

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
    /// The background task computing the result, its cancel flag, and the scheduler it is
    /// known to.
    job: Option<(TaskId, Arc<JobState>, Arc<Scheduler>)>,
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
    pub(crate) fn pending(pending: PendingInvocation) -> Self {
        Self {
            state: FutureState::Pending(pending.receiver),
            job: Some((pending.job, pending.state, pending.scheduler)),
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
        // Already here (or about to be: a short call's result arrives sooner than a sleeping
        // thread wakes up): no waiting, nothing to tell the scheduler. After a spin that saw
        // nothing, the futures this thread checks right after (the rest of one poll's list, each
        // within `QUIET` of the previous) do not spin: a poll spins once, not once per future.
        let mut early = None;
        let mut check = || match receiver.try_recv() {
            Err(TryRecvError::Empty) => false,
            other => {
                early = Some(other);
                true
            }
        };
        let now = Instant::now();
        if QUIET_UNTIL.get().is_some_and(|until| now < until) {
            check();
            QUIET_UNTIL.set(Some(now + QUIET));
        } else if !crate::pool::spin_until(crate::pool::SPIN, check) {
            QUIET_UNTIL.set(Some(Instant::now() + QUIET));
        }
        match early.unwrap_or(Err(TryRecvError::Empty)) {
            Ok(result) => {
                self.state = FutureState::Ready(result);
                return;
            }
            Err(TryRecvError::Closed) => {
                self.state = FutureState::Ready(Err(lost_result()));
                return;
            }
            Err(TryRecvError::Empty) => {}
        }
        // Tell the scheduler this task now waits for the background task, so that a call which
        // needs this (busy) worker fails as a deadlock instead of waiting forever.
        let _wait = match (&self.job, task::current()) {
            (Some((job, progress, scheduler)), Some(me)) => {
                let (wait, cycle) = scheduler.wait_for_task(me, *job);
                // The call is still queued behind something that waits for this task (e.g. it
                // targets the polling worker itself): it could never run. It is dropped and the
                // future fails, as a blocking call would. (A call that has started sees the
                // cycle itself when it tries to acquire its worker.)
                if cycle && progress.cancel() {
                    self.state = FutureState::Ready(Err(RpcError::RemoteInternalError(
                        "Invalid request: waiting for this call would deadlock: its worker is \
                         busy with a call that is waiting, directly or through other workers, \
                         for this one"
                            .to_string(),
                    )));
                    return;
                }
                Some(wait)
            }
            _ => None,
        };
        let result = receiver.await.unwrap_or_else(|_| Err(lost_result()));
        self.state = FutureState::Ready(result);
    }
}

/// What both versions of `golem:rpc/types` do with their `wasm-rpc` and `future-invoke-result`
/// resources (the 0.2.0 module converts values at its boundary and calls these).
impl WorkerState {
    /// A `wasm-rpc` for `target`. Nothing is checked or created: the target worker is created
    /// by the first call, as in Golem.
    pub(crate) fn new_wasm_rpc(
        &mut self,
        target: WorkerId,
    ) -> wasmtime::Result<Resource<WasmRpcEntry>> {
        Ok(self.table.push(WasmRpcEntry { target })?)
    }

    /// The name of a fresh worker of an ephemeral component: a new UUID (Golem logs it, one
    /// oplog entry, so that a replay reuses it).
    pub(crate) fn fresh_worker_name(&self) -> String {
        self.worker.api().append(1);
        uuid::Uuid::new_v4().to_string()
    }

    /// The worker a `wasm-rpc` calls.
    pub(crate) fn rpc_target(&self, rpc: &Resource<WasmRpcEntry>) -> wasmtime::Result<WorkerId> {
        Ok(self.table.get(rpc)?.target.clone())
    }

    pub(crate) fn rpc_invoke_and_await(
        &mut self,
        rpc: &Resource<WasmRpcEntry>,
        function_name: &str,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Result<WitValue, RpcError>> {
        let target = self.rpc_target(rpc)?;
        Ok(self
            .services()?
            .invoke_and_await(&self.worker, &target, function_name, function_params))
    }

    pub(crate) fn rpc_invoke(
        &mut self,
        rpc: &Resource<WasmRpcEntry>,
        function_name: &str,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Result<(), RpcError>> {
        let target = self.rpc_target(rpc)?;
        Ok(self
            .services()?
            .invoke(&self.worker, &target, function_name, function_params))
    }

    pub(crate) fn rpc_async_invoke_and_await(
        &mut self,
        rpc: &Resource<WasmRpcEntry>,
        function_name: &str,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Resource<FutureInvokeEntry>> {
        let target = self.rpc_target(rpc)?;
        let entry = match self.services()?.async_invoke_and_await(
            &self.worker,
            &target,
            function_name,
            function_params,
        ) {
            Ok(pending) => FutureInvokeEntry::pending(pending),
            Err(err) => FutureInvokeEntry::ready(Err(err)),
        };
        Ok(self.table.push(entry)?)
    }

    pub(crate) fn future_subscribe(
        &mut self,
        future: &Resource<FutureInvokeEntry>,
    ) -> wasmtime::Result<Resource<DynPollable>> {
        wasmtime_wasi::p2::subscribe(
            &mut self.table,
            Resource::<FutureInvokeEntry>::new_borrow(future.rep()),
        )
    }

    pub(crate) fn future_get(
        &mut self,
        future: &Resource<FutureInvokeEntry>,
    ) -> wasmtime::Result<Option<Result<WitValue, RpcError>>> {
        self.table.get_mut(future)?.take()
    }
}

/// The host data behind a guest's `cancellation-token` (either version's): the invocation it
/// cancels (`None` for one that was rejected when it was scheduled).
pub struct CancellationTokenEntry {
    schedule: Option<ScheduleId>,
}

/// A `wasi:clocks` datetime as a time; Golem's executor panics on one `chrono` cannot represent
/// ("Received invalid datetime from wasi"), which is a trap for the guest.
fn system_time(datetime: Datetime) -> wasmtime::Result<SystemTime> {
    let Datetime {
        seconds,
        nanoseconds,
    } = datetime;
    (nanoseconds < 1_000_000_000)
        .then(|| SystemTime::UNIX_EPOCH.checked_add(Duration::new(seconds, nanoseconds)))
        .flatten()
        .ok_or_else(|| {
            wasmtime::format_err!(
                "Received invalid datetime from wasi: {{ seconds: {seconds}, nanoseconds: \
                 {nanoseconds} }} is not a time"
            )
        })
}

impl WorkerState {
    /// Schedules `function_name` on `target` at `scheduled_time` (also for dynamically linked
    /// clients' `schedule-f`); the token cancels it.
    pub(crate) fn schedule_call(
        &mut self,
        target: &WorkerId,
        scheduled_time: Datetime,
        function_name: &str,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Resource<CancellationTokenEntry>> {
        let at = system_time(scheduled_time)?;
        let schedule = self
            .services()?
            .schedule(target, function_name, function_params, at)
            .map_err(|err| {
                wasmtime::format_err!("cannot schedule {function_name} on worker {target}: {err}")
            })?;
        // Golem logs the schedule (one entry), to return the same token in a replay.
        self.worker.api().append(1);
        Ok(self.table.push(CancellationTokenEntry { schedule })?)
    }

    /// `cancellation-token.cancel`: cancels the invocation unless it ran already (then nothing
    /// happens, as in Golem). Logged like Golem's.
    pub(crate) fn cancel_scheduled(
        &mut self,
        token: &Resource<CancellationTokenEntry>,
    ) -> wasmtime::Result<()> {
        if let Some(id) = self.table.get(token)?.schedule {
            self.services()?.cancel_schedule(id);
        }
        self.worker.api().append(1);
        Ok(())
    }
}

impl HostWasmRpc for WorkerState {
    /// Golem 1.1: `urn:worker:{component-id}/{name}` names a worker; `urn:worker:{component-id}`
    /// (no name) gets a fresh worker named by a new UUID, the same for every call through this
    /// `wasm-rpc` (how ephemeral components are reached). Anything else traps with Golem's
    /// `Invalid URI: …` text.
    fn new(&mut self, location: Uri) -> wasmtime::Result<Resource<WasmRpcEntry>> {
        let (component_id, worker_name) =
            parse_target_uri(&location.value).map_err(|err| wasmtime::format_err!("{err}"))?;
        let worker_name = worker_name.unwrap_or_else(|| self.fresh_worker_name());
        self.new_wasm_rpc(WorkerId::new(component_id, worker_name))
    }

    fn invoke_and_await(
        &mut self,
        self_: Resource<WasmRpcEntry>,
        function_name: String,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Result<WitValue, RpcError>> {
        self.rpc_invoke_and_await(&self_, &function_name, function_params)
    }

    fn invoke(
        &mut self,
        self_: Resource<WasmRpcEntry>,
        function_name: String,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Result<(), RpcError>> {
        self.rpc_invoke(&self_, &function_name, function_params)
    }

    fn async_invoke_and_await(
        &mut self,
        self_: Resource<WasmRpcEntry>,
        function_name: String,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Resource<FutureInvokeEntry>> {
        self.rpc_async_invoke_and_await(&self_, &function_name, function_params)
    }

    /// Golem's `schedule-invocation` is the cancelable one with the token dropped.
    fn schedule_invocation(
        &mut self,
        self_: Resource<WasmRpcEntry>,
        scheduled_time: Datetime,
        function_name: String,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<()> {
        let token = self.schedule_cancelable_invocation(
            self_,
            scheduled_time,
            function_name,
            function_params,
        )?;
        self.table.delete(token)?;
        Ok(())
    }

    fn schedule_cancelable_invocation(
        &mut self,
        self_: Resource<WasmRpcEntry>,
        scheduled_time: Datetime,
        function_name: String,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Resource<CancellationTokenEntry>> {
        let target = self.rpc_target(&self_)?;
        self.schedule_call(&target, scheduled_time, &function_name, function_params)
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
        self.future_subscribe(&self_)
    }

    fn get(
        &mut self,
        self_: Resource<FutureInvokeEntry>,
    ) -> wasmtime::Result<Option<Result<WitValue, RpcError>>> {
        self.future_get(&self_)
    }

    fn drop(&mut self, rep: Resource<FutureInvokeEntry>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl HostCancellationToken for WorkerState {
    fn cancel(&mut self, self_: Resource<CancellationTokenEntry>) -> wasmtime::Result<()> {
        self.cancel_scheduled(&self_)
    }

    /// Dropping the token does not cancel the invocation.
    fn drop(&mut self, rep: Resource<CancellationTokenEntry>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

/// Golem adds these only so that bindings generators keep `value-and-type`.
impl Host for WorkerState {
    fn extract_value(&mut self, vnt: ValueAndType) -> wasmtime::Result<WitValue> {
        Ok(vnt.value)
    }

    fn extract_type(&mut self, vnt: ValueAndType) -> wasmtime::Result<WitType> {
        Ok(vnt.typ)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_outside_the_clock_trap() {
        let at = system_time(Datetime {
            seconds: 1,
            nanoseconds: 500_000_000,
        })
        .unwrap();
        assert_eq!(
            at.duration_since(SystemTime::UNIX_EPOCH).unwrap(),
            Duration::from_millis(1_500)
        );
        let err = system_time(Datetime {
            seconds: 1,
            nanoseconds: 1_000_000_000,
        })
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Received invalid datetime from wasi"),
            "{err}"
        );
        assert!(
            system_time(Datetime {
                seconds: u64::MAX,
                nanoseconds: 0,
            })
            .is_err()
        );
    }
}
