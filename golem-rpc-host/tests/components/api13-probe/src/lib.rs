//! The `api13-probe` world: Golem 1.3's host API, with raw `wasm-rpc` calls; with `golem-1-4`,
//! the `api14-probe` world: the same through Golem 1.4's `golem:api/host@1.3.0`.

use std::cell::RefCell;

#[cfg(not(feature = "golem-1-4"))]
wit_bindgen::generate!({
    path: "wit",
    world: "api13-probe",
    generate_all,
});
#[cfg(feature = "golem-1-4")]
wit_bindgen::generate!({
    path: "wit",
    world: "api14-probe",
    generate_all,
});

use exports::test::api13::probe::Guest;
#[cfg(not(feature = "golem-1-4"))]
use golem::api1_1_7::host::{
    self, AgentAllFilter, AgentAnyFilter, AgentNameFilter, AgentPropertyFilter, GetAgents,
    PromiseId, StringFilterComparator,
};
#[cfg(feature = "golem-1-4")]
use golem::api1_3_0::host::{
    self, AgentAllFilter, AgentAnyFilter, AgentNameFilter, AgentPropertyFilter, GetAgents,
    PromiseId, StringFilterComparator,
};
use golem::rpc::types::{AgentId, WasmRpc, WitNode, WitValue};
use wasi::clocks::monotonic_clock;
use wasi::clocks::wall_clock::{self, Datetime};

const PROBE: &str = "test:api13/probe";

thread_local! {
    static NOTES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

struct Component;

fn own() -> AgentId {
    host::get_self_metadata().agent_id
}

fn show(id: &AgentId) -> String {
    let uuid = &id.component_id.uuid;
    let bits = (u128::from(uuid.high_bits) << 64) | u128::from(uuid.low_bits);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}/{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..],
        id.agent_id
    )
}

fn string_param(value: &str) -> WitValue {
    WitValue {
        nodes: vec![WitNode::PrimString(value.to_string())],
    }
}

fn strings(reply: &WitValue) -> Result<Vec<String>, String> {
    let Some(WitNode::TupleValue(items)) = reply.nodes.first() else {
        return Err(format!("expected a tuple, got {:?}", reply.nodes));
    };
    let Some(WitNode::ListValue(items)) = items.first().and_then(|i| reply.nodes.get(*i as usize))
    else {
        return Err(format!("expected a list, got {:?}", reply.nodes));
    };
    items
        .iter()
        .map(|i| match reply.nodes.get(*i as usize) {
            Some(WitNode::PrimString(s)) => Ok(s.clone()),
            other => Err(format!("expected a string, got {other:?}")),
        })
        .collect()
}

fn rpc_to(component: &str, agent_name: &str) -> Result<WasmRpc, String> {
    let agent_id = host::resolve_agent_id(component, agent_name)
        .ok_or_else(|| format!("no component {component}"))?;
    Ok(WasmRpc::new(&agent_id))
}

fn promise(agent_name: String, oplog_idx: u64) -> PromiseId {
    let mut agent_id = own();
    agent_id.agent_id = agent_name;
    PromiseId {
        agent_id,
        oplog_idx,
    }
}

impl Guest for Component {
    fn info() -> (String, String) {
        let metadata = host::get_self_metadata();
        (show(&metadata.agent_id), format!("{:?}", metadata.status))
    }

    fn env() -> Vec<(String, String)> {
        std::env::vars().collect()
    }

    fn resolve_agent(reference: String, agent_name: String, strict: bool) -> Option<String> {
        let id = if strict {
            host::resolve_agent_id_strict(&reference, &agent_name)
        } else {
            host::resolve_agent_id(&reference, &agent_name)
        };
        id.as_ref().map(show)
    }

    fn note(tag: String) {
        NOTES.with(|n| n.borrow_mut().push(tag));
    }

    fn notes() -> Vec<String> {
        NOTES.with(|n| n.borrow().clone())
    }

    fn call_note(
        component: String,
        agent_name: String,
        tag: String,
    ) -> Result<Vec<String>, String> {
        let rpc = rpc_to(&component, &agent_name)?;
        let note = format!("{PROBE}.{{note}}");
        rpc.invoke_and_await(&note, &[string_param(&format!("{tag}-awaited"))])
            .map_err(|e| format!("{e:?}"))?;
        rpc.invoke(&note, &[string_param(&format!("{tag}-sent"))])
            .map_err(|e| format!("{e:?}"))?;
        let future = rpc.async_invoke_and_await(&note, &[string_param(&format!("{tag}-async"))]);
        future.subscribe().block();
        future
            .get()
            .ok_or("ready but no result")?
            .map_err(|e| format!("{e:?}"))?;
        let reply = rpc
            .invoke_and_await(&format!("{PROBE}.{{notes}}"), &[])
            .map_err(|e| format!("{e:?}"))?;
        strings(&reply)
    }

    fn call_strings(
        component: String,
        agent_name: String,
        function_name: String,
    ) -> Result<Vec<String>, String> {
        let rpc = rpc_to(&component, &agent_name)?;
        let reply = rpc
            .invoke_and_await(&function_name, &[])
            .map_err(|e| format!("{e:?}"))?;
        strings(&reply)
    }

    fn schedule_note(
        component: String,
        agent_name: String,
        tag: String,
        delay_ms: u32,
        cancel: bool,
    ) {
        let rpc = rpc_to(&component, &agent_name).expect("the component exists");
        let now = wall_clock::now();
        let nanos = u64::from(now.nanoseconds) + u64::from(delay_ms) * 1_000_000;
        let at = Datetime {
            seconds: now.seconds + nanos / 1_000_000_000,
            nanoseconds: (nanos % 1_000_000_000) as u32,
        };
        let token = rpc.schedule_cancelable_invocation(
            at,
            &format!("{PROBE}.{{note}}"),
            &[string_param(&tag)],
        );
        if cancel {
            token.cancel();
        }
    }

    fn create_promise() -> u64 {
        host::create_promise().oplog_idx
    }

    fn await_promise(oplog_idx: u64, timeout_ms: u32) -> Option<Vec<u8>> {
        let me = own().agent_id;
        let result = host::get_promise(&promise(me, oplog_idx));
        let timeout = monotonic_clock::subscribe_duration(u64::from(timeout_ms) * 1_000_000);
        let pollable = result.subscribe();
        wasi::io::poll::poll(&[&pollable, &timeout]);
        result.get()
    }

    fn peek_promise(agent_name: String, oplog_idx: u64) -> Option<Vec<u8>> {
        host::get_promise(&promise(agent_name, oplog_idx)).get()
    }

    fn complete_promise(agent_name: String, oplog_idx: u64, data: Vec<u8>) -> bool {
        host::complete_promise(&promise(agent_name, oplog_idx), &data)
    }

    fn agents_starting_with(prefix: String) -> Vec<String> {
        let filter = AgentAnyFilter {
            filters: vec![AgentAllFilter {
                filters: vec![AgentPropertyFilter::Name(AgentNameFilter {
                    comparator: StringFilterComparator::StartsWith,
                    value: prefix,
                })],
            }],
        };
        let agents = GetAgents::new(own().component_id, Some(&filter), true);
        let mut names = Vec::new();
        while let Some(page) = agents.get_next() {
            names.extend(page.into_iter().map(|m| m.agent_id.agent_id));
        }
        names.sort();
        names
    }

    fn fork_to(target_name: String) {
        let mut target = own();
        target.agent_id = target_name;
        host::fork_agent(&own(), &target, 0);
    }
}

export!(Component);
