//! The host side of `golem:rpc/types@0.2.2` (Golem 1.3 and 1.4): the 0.2.x adapter
//! ([`super::v0_2x`]) with 0.2.2's own constructor.
//!
//! What 0.2.2 changes from 0.2.0 (golemcloud/golem v1.3.1 `wit/deps/golem-rpc`, the executor's
//! `durable_host/wasm_rpc/mod.rs`):
//! - **`wasm-rpc` constructor** takes an `agent-id { component-id, agent-id }`; for a WIT
//!   component the agent id is the worker name (the executor turns the record into its worker id
//!   unchanged); like 0.2.0 it checks and creates nothing;
//! - there is no **`ephemeral`** constructor and no **`extract-value` / `extract-type`**; an
//!   ephemeral component's workers are reached through `new` like any other;
//! - `wit-type` nodes carry a name and an owner (nothing here reads types).
//!
//! Everything else is 0.2.0's.

use crate::bindings::golem::rpc0_2_2::types::{AgentId, ComponentId};
use crate::model::uri;

super::v0_2x::adapter!(
    crate::bindings::golem::rpc0_2_2::types,
    wasm_rpc: {
        fn new(&mut self, agent_id: AgentId) -> wasmtime::Result<Resource<WasmRpcEntry>> {
            self.new_wasm_rpc(from_agent_id(&agent_id))
        }
    },
    host: {}
);

pub(crate) fn to_agent_id(id: &uri::WorkerId) -> AgentId {
    AgentId {
        component_id: ComponentId {
            uuid: to_uuid(id.component_id),
        },
        agent_id: id.worker_name.clone(),
    }
}

pub(crate) fn from_agent_id(id: &AgentId) -> uri::WorkerId {
    uri::WorkerId::new(from_uuid(&id.component_id.uuid), id.agent_id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_ids_are_worker_ids_with_the_name_as_agent_id() {
        let id = uri::WorkerId::new(uuid::Uuid::from_u128(7), "w1".to_string());
        let agent = to_agent_id(&id);
        assert_eq!(agent.agent_id, "w1");
        assert_eq!(from_agent_id(&agent), id);
        let value = v0_1::WitValue {
            nodes: vec![v0_1::WitNode::PrimString("x".to_string())],
        };
        assert_eq!(v0_1::WitValue::from(WitValue::from(value.clone())), value);
    }
}
