//! `golem:rpc/types@0.1.3` (Golem 1.0/1.1; 0.1.0 imports link to it by semver): the bindings'
//! traits over the shared semantics in the parent module.

use wasmtime::component::Resource;
use wasmtime_wasi::p2::DynPollable;
use wasmtime_wasi::p2::bindings::clocks::wall_clock::Datetime;

use crate::bindings::FutureInvokeEntry;
use crate::bindings::golem::rpc0_1_3::types::{
    Host, HostCancellationToken, HostFutureInvokeResult, HostWasmRpc, RpcError, Uri, ValueAndType,
    WitType, WitValue,
};
use crate::bindings::resources::{CancellationTokenEntry, WasmRpcEntry};
use crate::model::uri::{WorkerId, parse_target_uri};
use crate::worker::error::UNKNOWN_COMPONENT;
use crate::worker::state::WorkerState;

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
        let component = self.rpc_target(&self_)?.component_id;
        Ok(self
            .rpc_invoke_and_await(&self_, &function_name, function_params)?
            .map_err(|err| golem_1_1_error(err, component)))
    }

    fn invoke(
        &mut self,
        self_: Resource<WasmRpcEntry>,
        function_name: String,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Result<(), RpcError>> {
        let component = self.rpc_target(&self_)?.component_id;
        Ok(self
            .rpc_invoke(&self_, &function_name, function_params)?
            .map_err(|err| golem_1_1_error(err, component)))
    }

    fn async_invoke_and_await(
        &mut self,
        self_: Resource<WasmRpcEntry>,
        function_name: String,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Resource<FutureInvokeEntry>> {
        let component = self.rpc_target(&self_)?.component_id;
        let future = self.rpc_async_invoke_and_await(&self_, &function_name, function_params)?;
        // Its answer is worded as Golem 1.1 words it (`get`).
        self.golem_1_1_futures.insert(future.rep(), component);
        Ok(future)
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
        let answer = self.future_get(&self_)?;
        if answer.is_none() {
            return Ok(None);
        }
        Ok(match self.golem_1_1_futures.remove(&self_.rep()) {
            Some(component) => answer.map(|r| r.map_err(|err| golem_1_1_error(err, component))),
            None => answer,
        })
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

/// Golem 1.0/1.1's words for a target component it does not know: its component service's
/// (recorded from Golem 1.1.16, `tests/oracle`), where 1.2 says `Unknown error: …`.
fn golem_1_1_error(err: RpcError, component: uuid::Uuid) -> RpcError {
    match err {
        RpcError::RemoteInternalError(message) if message == UNKNOWN_COMPONENT => {
            RpcError::RemoteInternalError(format!(
                "Failed to get latest version of component {component}: Could not find any \
                 component with the given id"
            ))
        }
        other => other,
    }
}
