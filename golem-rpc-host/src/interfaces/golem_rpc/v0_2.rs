//! The host side of `golem:rpc/types@0.2.0` (Golem 1.2), on the semantics its parent module keeps for both versions.
//!
//! What 0.2.0 changes (behaviour read in Golem 1.2's executor, `durable_host/wasm_rpc/mod.rs`):
//! - **`wasm-rpc` constructor** takes a `worker-id` record instead of a URI; it checks nothing
//!   and creates nothing (the target is created by the first call, inheriting the caller's
//!   arguments and environment, as with 0.1.0);
//! - **`ephemeral(component-id)`** names a fresh worker by a new UUID once, so every call
//!   through that `wasm-rpc` reaches the same worker and another `wasm-rpc` another worker (0.1.0
//!   does the same for `urn:worker:{component-id}`);
//! - **`schedule-invocation` / `schedule-cancelable-invocation`** queue the call at a wall-clock
//!   time like a fire-and-forget `invoke` (see `execution::timers`); the `cancellation-token` cancels it
//!   while it has not run, and dropping the token does not;
//! - **`parse-uuid`, `uuid-to-string`, `extract-value`, `extract-type`** are plain functions.
//!
//! `invoke-and-await`, `invoke` and `async-invoke-and-await` are 0.1.0's, on the same values
//! (converted here: the bindings have one Rust type per version).

use wasmtime::component::Resource;
use wasmtime_wasi::p2::DynPollable;
use wasmtime_wasi::p2::bindings::clocks::wall_clock::Datetime;

use crate::bindings::FutureInvokeEntry;
use crate::bindings::golem::rpc0_1_3::types as v0_1;
use crate::bindings::golem::rpc0_2_0::types::{
    ComponentId, Host, HostCancellationToken, HostFutureInvokeResult, HostWasmRpc, RpcError, Uuid,
    ValueAndType, WitNode, WitType, WitValue, WorkerId,
};
use crate::bindings::resources::{CancellationTokenEntry, WasmRpcEntry};
use crate::model::uri;
use crate::worker::state::WorkerState;

/// Converts between the two versions' `wit-node`s, which differ only in their Rust types.
macro_rules! convert_wit_node {
    ($from:ident -> $to:ident, $node:expr, [$($case:ident),*]) => {
        match $node {
            $($from::WitNode::$case(value) => $to::WitNode::$case(value),)*
            $from::WitNode::Handle((uri, id)) => {
                $to::WitNode::Handle(($to::Uri { value: uri.value }, id))
            }
        }
    };
}

macro_rules! wit_node_conversions {
    ($($case:ident),*) => {
        impl From<v0_1::WitNode> for WitNode {
            fn from(node: v0_1::WitNode) -> Self {
                use crate::bindings::golem::rpc0_2_0::types as v0_2;
                convert_wit_node!(v0_1 -> v0_2, node, [$($case),*])
            }
        }

        impl From<WitNode> for v0_1::WitNode {
            fn from(node: WitNode) -> Self {
                use crate::bindings::golem::rpc0_2_0::types as v0_2;
                convert_wit_node!(v0_2 -> v0_1, node, [$($case),*])
            }
        }
    };
}

wit_node_conversions!(
    RecordValue,
    VariantValue,
    EnumValue,
    FlagsValue,
    TupleValue,
    ListValue,
    OptionValue,
    ResultValue,
    PrimU8,
    PrimU16,
    PrimU32,
    PrimU64,
    PrimS8,
    PrimS16,
    PrimS32,
    PrimS64,
    PrimFloat32,
    PrimFloat64,
    PrimChar,
    PrimBool,
    PrimString
);

impl From<WitValue> for v0_1::WitValue {
    fn from(value: WitValue) -> Self {
        Self {
            nodes: value.nodes.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<v0_1::WitValue> for WitValue {
    fn from(value: v0_1::WitValue) -> Self {
        Self {
            nodes: value.nodes.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<v0_1::RpcError> for RpcError {
    fn from(error: v0_1::RpcError) -> Self {
        match error {
            v0_1::RpcError::ProtocolError(message) => RpcError::ProtocolError(message),
            v0_1::RpcError::Denied(message) => RpcError::Denied(message),
            v0_1::RpcError::NotFound(message) => RpcError::NotFound(message),
            v0_1::RpcError::RemoteInternalError(message) => RpcError::RemoteInternalError(message),
        }
    }
}

fn params(function_params: Vec<WitValue>) -> Vec<v0_1::WitValue> {
    function_params.into_iter().map(Into::into).collect()
}

fn result(result: Result<v0_1::WitValue, v0_1::RpcError>) -> Result<WitValue, RpcError> {
    result.map(Into::into).map_err(Into::into)
}

pub(crate) fn to_uuid(id: uuid::Uuid) -> Uuid {
    let (high_bits, low_bits) = id.as_u64_pair();
    Uuid {
        high_bits,
        low_bits,
    }
}

pub(crate) fn from_uuid(id: &Uuid) -> uuid::Uuid {
    uuid::Uuid::from_u64_pair(id.high_bits, id.low_bits)
}

pub(crate) fn to_worker_id(id: &uri::WorkerId) -> WorkerId {
    WorkerId {
        component_id: ComponentId {
            uuid: to_uuid(id.component_id),
        },
        worker_name: id.worker_name.clone(),
    }
}

pub(crate) fn from_worker_id(id: &WorkerId) -> uri::WorkerId {
    uri::WorkerId::new(from_uuid(&id.component_id.uuid), id.worker_name.clone())
}

impl HostWasmRpc for WorkerState {
    fn new(&mut self, worker_id: WorkerId) -> wasmtime::Result<Resource<WasmRpcEntry>> {
        self.new_wasm_rpc(from_worker_id(&worker_id))
    }

    fn ephemeral(&mut self, component_id: ComponentId) -> wasmtime::Result<Resource<WasmRpcEntry>> {
        let name = self.fresh_worker_name();
        self.new_wasm_rpc(uri::WorkerId::new(from_uuid(&component_id.uuid), name))
    }

    fn invoke_and_await(
        &mut self,
        self_: Resource<WasmRpcEntry>,
        function_name: String,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Result<WitValue, RpcError>> {
        self.rpc_invoke_and_await(&self_, &function_name, params(function_params))
            .map(result)
    }

    fn invoke(
        &mut self,
        self_: Resource<WasmRpcEntry>,
        function_name: String,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Result<(), RpcError>> {
        Ok(self
            .rpc_invoke(&self_, &function_name, params(function_params))?
            .map_err(Into::into))
    }

    fn async_invoke_and_await(
        &mut self,
        self_: Resource<WasmRpcEntry>,
        function_name: String,
        function_params: Vec<WitValue>,
    ) -> wasmtime::Result<Resource<FutureInvokeEntry>> {
        self.rpc_async_invoke_and_await(&self_, &function_name, params(function_params))
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
        self.schedule_call(
            &target,
            scheduled_time,
            &function_name,
            params(function_params),
        )
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
        Ok(self.future_get(&self_)?.map(result))
    }

    fn drop(&mut self, rep: Resource<FutureInvokeEntry>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl HostCancellationToken for WorkerState {
    /// Cancels the invocation unless it ran already (then nothing happens, as in Golem).
    fn cancel(&mut self, self_: Resource<CancellationTokenEntry>) -> wasmtime::Result<()> {
        self.cancel_scheduled(&self_)
    }

    /// Dropping the token does not cancel the invocation.
    fn drop(&mut self, rep: Resource<CancellationTokenEntry>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl Host for WorkerState {
    /// As Golem: the `uuid` crate's parser (hyphenated, simple, braced or URN form) and its
    /// error text.
    fn parse_uuid(&mut self, uuid: String) -> wasmtime::Result<Result<Uuid, String>> {
        Ok(uuid::Uuid::parse_str(&uuid)
            .map(to_uuid)
            .map_err(|err| err.to_string()))
    }

    /// Lowercase and hyphenated.
    fn uuid_to_string(&mut self, uuid: Uuid) -> wasmtime::Result<String> {
        Ok(from_uuid(&uuid).to_string())
    }

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
    use crate::bindings::golem::rpc0_2_0::types::Uri;

    #[test]
    fn wit_values_convert_both_ways_unchanged() {
        let old = v0_1::WitValue {
            nodes: vec![
                v0_1::WitNode::TupleValue(vec![1, 2, 3]),
                v0_1::WitNode::PrimString("text".to_string()),
                v0_1::WitNode::ResultValue(Err(Some(3))),
                v0_1::WitNode::Handle((
                    v0_1::Uri {
                        value: "urn:worker:x/y".to_string(),
                    },
                    7,
                )),
                v0_1::WitNode::PrimFloat64(1.5),
            ],
        };
        let new = WitValue::from(old.clone());
        assert_eq!(
            new.nodes[3],
            WitNode::Handle((
                Uri {
                    value: "urn:worker:x/y".to_string()
                },
                7
            ))
        );
        assert_eq!(v0_1::WitValue::from(new), old);
    }
}
