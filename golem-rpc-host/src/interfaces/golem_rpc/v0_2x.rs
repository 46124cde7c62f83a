//! What `golem:rpc/types@0.2.0` (Golem 1.2) and `@0.2.2` (Golem 1.3, 1.4) share, once: their
//! values, errors and resources are 0.1.x's with other Rust types, so each version's module
//! converts at its boundary and calls the semantics of [`super`]. [`adapter!`] writes, for one
//! version's bindings module, the value and error conversions, `future-invoke-result`,
//! `cancellation-token`, and the calls of `wasm-rpc`; the version's own constructors and plain
//! functions are passed in (0.2.0: `new(worker-id)`, `ephemeral`, `extract-*`; 0.2.2:
//! `new(agent-id)`).

/// The shared part of a `golem:rpc/types@0.2.x` adapter for bindings module `$types`, with the
/// version's own `wasm-rpc` constructors (`$wasm_rpc`) and plain functions (`$host`) added.
macro_rules! adapter {
    ($types:path, wasm_rpc: { $($wasm_rpc:item)* }, host: { $($host:item)* }) => {
        use wasmtime::component::Resource;
        use wasmtime_wasi::p2::DynPollable;
        use wasmtime_wasi::p2::bindings::clocks::wall_clock::Datetime;

        use crate::bindings::FutureInvokeEntry;
        use crate::bindings::golem::rpc0_1_3::types as v0_1;
        use crate::bindings::resources::{CancellationTokenEntry, WasmRpcEntry};
        use crate::worker::state::WorkerState;
        use $types::{
            Host, HostCancellationToken, HostFutureInvokeResult, HostWasmRpc, RpcError, Uuid,
            WitNode, WitValue,
        };

        /// Converts between this version's `wit-node`s and 0.1.x's, which differ only in
        /// their Rust types.
        macro_rules! convert_wit_node {
            ($from:ident -> $to:ident, $node:expr) => {
                match $node {
                    $from::WitNode::RecordValue(v) => $to::WitNode::RecordValue(v),
                    $from::WitNode::VariantValue(v) => $to::WitNode::VariantValue(v),
                    $from::WitNode::EnumValue(v) => $to::WitNode::EnumValue(v),
                    $from::WitNode::FlagsValue(v) => $to::WitNode::FlagsValue(v),
                    $from::WitNode::TupleValue(v) => $to::WitNode::TupleValue(v),
                    $from::WitNode::ListValue(v) => $to::WitNode::ListValue(v),
                    $from::WitNode::OptionValue(v) => $to::WitNode::OptionValue(v),
                    $from::WitNode::ResultValue(v) => $to::WitNode::ResultValue(v),
                    $from::WitNode::PrimU8(v) => $to::WitNode::PrimU8(v),
                    $from::WitNode::PrimU16(v) => $to::WitNode::PrimU16(v),
                    $from::WitNode::PrimU32(v) => $to::WitNode::PrimU32(v),
                    $from::WitNode::PrimU64(v) => $to::WitNode::PrimU64(v),
                    $from::WitNode::PrimS8(v) => $to::WitNode::PrimS8(v),
                    $from::WitNode::PrimS16(v) => $to::WitNode::PrimS16(v),
                    $from::WitNode::PrimS32(v) => $to::WitNode::PrimS32(v),
                    $from::WitNode::PrimS64(v) => $to::WitNode::PrimS64(v),
                    $from::WitNode::PrimFloat32(v) => $to::WitNode::PrimFloat32(v),
                    $from::WitNode::PrimFloat64(v) => $to::WitNode::PrimFloat64(v),
                    $from::WitNode::PrimChar(v) => $to::WitNode::PrimChar(v),
                    $from::WitNode::PrimBool(v) => $to::WitNode::PrimBool(v),
                    $from::WitNode::PrimString(v) => $to::WitNode::PrimString(v),
                    $from::WitNode::Handle((uri, id)) => {
                        $to::WitNode::Handle(($to::Uri { value: uri.value }, id))
                    }
                }
            };
        }

        impl From<v0_1::WitNode> for WitNode {
            fn from(node: v0_1::WitNode) -> Self {
                use $types as this;
                convert_wit_node!(v0_1 -> this, node)
            }
        }

        impl From<WitNode> for v0_1::WitNode {
            fn from(node: WitNode) -> Self {
                use $types as this;
                convert_wit_node!(this -> v0_1, node)
            }
        }

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
                    v0_1::RpcError::RemoteInternalError(message) => {
                        RpcError::RemoteInternalError(message)
                    }
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

        impl HostWasmRpc for WorkerState {
            $($wasm_rpc)*

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
            /// As Golem: the `uuid` crate's parser (hyphenated, simple, braced or URN form) and
            /// its error text.
            fn parse_uuid(&mut self, uuid: String) -> wasmtime::Result<Result<Uuid, String>> {
                Ok(uuid::Uuid::parse_str(&uuid)
                    .map(to_uuid)
                    .map_err(|_| crate::model::uuid_text::parse_error(&uuid)))
            }

            /// Lowercase and hyphenated.
            fn uuid_to_string(&mut self, uuid: Uuid) -> wasmtime::Result<String> {
                Ok(from_uuid(&uuid).to_string())
            }

            $($host)*
        }
    };
}

pub(super) use adapter;
