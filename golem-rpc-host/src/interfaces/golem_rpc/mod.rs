//! `golem:rpc/types`: what both versions do with their resources (a `wasm-rpc` is its target
//! worker, whichever version created it; the calls go to the host through `Services`), once, and
//! one adapter per version: `v0_1` (`golem:rpc/types@0.1.3`: 0.1.0's functions, and Golem
//! 1.1.19+'s schedules, `cancellation-token` and `extract-*` as in 0.2.0), `v0_2` (0.2.0) and
//! `v0_2_2` (0.2.2, Golem 1.3/1.4), which convert values at their boundary with the code they
//! share in `v0_2x`. `async-invoke-and-await` hands out an
//! `execution::background::InvocationFuture`; what it answers for a lost or deadlocked call is
//! Golem's text, kept here.

use std::time::{Duration, SystemTime};

use wasmtime::component::Resource;
use wasmtime_wasi::p2::DynPollable;
use wasmtime_wasi::p2::bindings::clocks::wall_clock::Datetime;

use crate::bindings::golem::rpc0_1_3::types::{RpcError, WitValue};
use crate::bindings::resources::{CancellationTokenEntry, WasmRpcEntry};
use crate::bindings::{FutureInvokeEntry, RpcResult};
use crate::durability::oplog::{rpc_result_from_json, rpc_result_to_json};
use crate::execution::background::BackgroundResult;
use crate::model::uri::WorkerId;
use crate::worker::state::WorkerState;

pub(crate) mod v0_1;
pub(crate) mod v0_2;
pub(crate) mod v0_2_2;
mod v0_2x;

impl BackgroundResult for RpcResult {
    fn lost() -> Self {
        Err(RpcError::RemoteInternalError(
            "the background invocation ended without a result".to_string(),
        ))
    }

    fn would_deadlock() -> Self {
        Err(RpcError::RemoteInternalError(
            "Invalid request: waiting for this call would deadlock: its worker is busy with a \
             call that is waiting, directly or through other workers, for this one"
                .to_string(),
        ))
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
        let live = || uuid::Uuid::new_v4().to_string();
        match &self.journal {
            Some(journal) => journal
                .answer("golem:rpc/wasm-rpc.fresh-worker-name", || live().into())
                .as_str()
                .map_or_else(live, str::to_string),
            None => live(),
        }
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
        self.durable_invoke_and_await(&target, function_name, function_params)
    }

    pub(crate) fn rpc_invoke(
        &mut self,
        rpc: &Resource<WasmRpcEntry>,
        function_name: &str,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Result<(), RpcError>> {
        let target = self.rpc_target(rpc)?;
        self.durable_invoke(&target, function_name, function_params)
    }

    pub(crate) fn rpc_async_invoke_and_await(
        &mut self,
        rpc: &Resource<WasmRpcEntry>,
        function_name: &str,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Resource<FutureInvokeEntry>> {
        let target = self.rpc_target(rpc)?;
        self.durable_async_invoke_and_await(&target, function_name, function_params)
    }

    /// `invoke-and-await` of `function_name` on `target` (also for dynamically linked clients):
    /// with durable workers, made once; a replay gets the recorded answer.
    pub(crate) fn durable_invoke_and_await(
        &self,
        target: &WorkerId,
        function_name: &str,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<RpcResult> {
        let services = self.services()?;
        let key = self.journal.as_ref().map(|journal| journal.next_call_key());
        let live =
            || services.invoke_and_await(&self.worker, target, function_name, function_params, key);
        let Some(journal) = &self.journal else {
            return Ok(live());
        };
        let answer = journal.answer("golem:rpc/wasm-rpc.invoke-and-await", || {
            rpc_result_to_json(&live())
        });
        rpc_result_from_json(&answer).map_err(|e| wasmtime::format_err!("oplog: {e}"))
    }

    /// `invoke` (fire and forget) of `function_name` on `target`, once.
    pub(crate) fn durable_invoke(
        &self,
        target: &WorkerId,
        function_name: &str,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Result<(), RpcError>> {
        let services = self.services()?;
        let key = self.journal.as_ref().map(|journal| journal.next_call_key());
        let live = || services.invoke(&self.worker, target, function_name, function_params, key);
        let Some(journal) = &self.journal else {
            return Ok(live());
        };
        let answer = journal.answer("golem:rpc/wasm-rpc.invoke", || {
            rpc_result_to_json(&live().map(|()| WitValue { nodes: Vec::new() }))
        });
        Ok(rpc_result_from_json(&answer)
            .map_err(|e| wasmtime::format_err!("oplog: {e}"))?
            .map(|_| ()))
    }

    /// `async-invoke-and-await` of `function_name` on `target`, once: in a replay the future is
    /// ready at once and its `get` answers what it answered when recorded.
    pub(crate) fn durable_async_invoke_and_await(
        &mut self,
        target: &WorkerId,
        function_name: &str,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Resource<FutureInvokeEntry>> {
        let services = self.services()?;
        let key = self.journal.as_ref().map(|journal| journal.next_call_key());
        let live = || match services.async_invoke_and_await(
            &self.worker,
            target,
            function_name,
            function_params,
            key,
        ) {
            Ok(pending) => FutureInvokeEntry::pending(pending),
            Err(err) => FutureInvokeEntry::ready(Err(err)),
        };
        let Some(journal) = self.journal.clone() else {
            let entry = live();
            return Ok(self.table.push(entry)?);
        };
        let mut sent = None;
        journal.answer("golem:rpc/wasm-rpc.async-invoke-and-await", || {
            sent = Some(live());
            serde_json::Value::Null
        });
        // Not sent again in a replay: ready, its answer comes from the oplog.
        let entry = sent.unwrap_or_else(|| FutureInvokeEntry::ready(RpcResult::lost()));
        let future = self.table.push(entry)?;
        self.futures.insert(future.rep(), self.futures.len());
        Ok(future)
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
        let (Some(journal), Some(number)) = (
            self.journal.clone(),
            self.futures.get(&future.rep()).copied(),
        ) else {
            return self.table.get_mut(future)?.take();
        };
        let mut taken = Ok(None);
        let answer = journal.answer(
            &format!("golem:rpc/future-invoke-result.get#{number}"),
            || {
                taken = self
                    .table
                    .get_mut(future)
                    .map_err(wasmtime::Error::from)
                    .and_then(|entry| entry.take());
                match &taken {
                    Ok(Some(result)) => rpc_result_to_json(result),
                    _ => serde_json::Value::Null,
                }
            },
        );
        taken?;
        if answer.is_null() {
            return Ok(None);
        }
        rpc_result_from_json(&answer)
            .map(Some)
            .map_err(|e| wasmtime::format_err!("oplog: {e}"))
    }
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
