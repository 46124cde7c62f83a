//! The host side of `golem:rpc/types@0.2.0` (Golem 1.2): the 0.2.x adapter ([`super::v0_2x`])
//! with 0.2.0's own functions.
//!
//! What 0.2.0 changes from 0.1.x (behaviour read in Golem 1.2's executor,
//! `durable_host/wasm_rpc/mod.rs`):
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
//! `invoke-and-await`, `invoke` and `async-invoke-and-await` are 0.1.0's, on the same values.

use crate::bindings::golem::rpc0_2_0::types::{ComponentId, ValueAndType, WitType, WorkerId};
use crate::model::uri;

super::v0_2x::adapter!(
    crate::bindings::golem::rpc0_2_0::types,
    wasm_rpc: {
        fn new(&mut self, worker_id: WorkerId) -> wasmtime::Result<Resource<WasmRpcEntry>> {
            self.new_wasm_rpc(from_worker_id(&worker_id))
        }

        fn ephemeral(
            &mut self,
            component_id: ComponentId,
        ) -> wasmtime::Result<Resource<WasmRpcEntry>> {
            let name = self.fresh_worker_name();
            self.new_wasm_rpc(uri::WorkerId::new(from_uuid(&component_id.uuid), name))
        }
    },
    host: {
        fn extract_value(&mut self, vnt: ValueAndType) -> wasmtime::Result<WitValue> {
            Ok(vnt.value)
        }

        fn extract_type(&mut self, vnt: ValueAndType) -> wasmtime::Result<WitType> {
            Ok(vnt.typ)
        }
    }
);

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
