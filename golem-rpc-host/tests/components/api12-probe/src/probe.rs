//! The `api12-probe` world: Golem 1.2's host API, with raw `wasm-rpc` calls.

use std::cell::RefCell;

wit_bindgen::generate!({
    path: "wit",
    world: "api12-probe",
    generate_all,
});

use exports::test::api12::probe::{Guest, ScheduleMode, SelfInfo};
use golem::api1_1_6::host::{self, PromiseId, WorkerStatus};
use golem::rpc0_2_0::types::{
    CancellationToken, ComponentId, WasmRpc, WitNode, WitValue, WorkerId, parse_uuid,
    uuid_to_string,
};
use wasi::clocks::wall_clock::Datetime;

const PROBE: &str = "test:api12/probe";

thread_local! {
    static NOTES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static TOKENS: RefCell<Vec<Option<CancellationToken>>> = const { RefCell::new(Vec::new()) };
}

struct Component;

fn own_component() -> ComponentId {
    host::get_self_metadata().worker_id.component_id
}

fn promise(worker_name: String, oplog_idx: u64) -> PromiseId {
    PromiseId {
        worker_id: WorkerId {
            component_id: own_component(),
            worker_name,
        },
        oplog_idx,
    }
}

fn string_param(value: &str) -> WitValue {
    WitValue {
        nodes: vec![WitNode::PrimString(value.to_string())],
    }
}

/// The single result of a call (the reply is a tuple of the results).
fn single_result(reply: &WitValue) -> Result<&WitNode, String> {
    match reply.nodes.first() {
        Some(WitNode::TupleValue(items)) if items.len() == 1 => reply
            .nodes
            .get(items[0] as usize)
            .ok_or_else(|| format!("dangling result index in {:?}", reply.nodes)),
        other => Err(format!("expected a one-result tuple, got {other:?}")),
    }
}

fn strings(reply: &WitValue) -> Result<Vec<String>, String> {
    let WitNode::ListValue(items) = single_result(reply)? else {
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

fn rpc_to(component: &str, worker_name: &str) -> Result<WasmRpc, String> {
    let worker_id = host::resolve_worker_id(component, worker_name)
        .ok_or_else(|| format!("no component {component}"))?;
    Ok(WasmRpc::new(&worker_id))
}

fn whoami_through(rpc: &WasmRpc) -> String {
    let reply = rpc
        .invoke_and_await(&format!("{PROBE}.{{whoami}}"), &[])
        .expect("whoami failed");
    match single_result(&reply) {
        Ok(WitNode::PrimString(name)) => name.clone(),
        other => panic!("whoami returned {other:?}"),
    }
}

fn datetime_in(delay_ms: i64) -> Datetime {
    let since_epoch = crate::since_epoch_in(delay_ms);
    Datetime {
        seconds: since_epoch.as_secs(),
        nanoseconds: since_epoch.subsec_nanos(),
    }
}

impl Guest for Component {
    fn info() -> SelfInfo {
        let metadata = host::get_self_metadata();
        let status = match metadata.status {
            WorkerStatus::Running => "running",
            WorkerStatus::Idle => "idle",
            WorkerStatus::Suspended => "suspended",
            WorkerStatus::Interrupted => "interrupted",
            WorkerStatus::Retrying => "retrying",
            WorkerStatus::Failed => "failed",
            WorkerStatus::Exited => "exited",
        };
        SelfInfo {
            component_id: uuid_to_string(metadata.worker_id.component_id.uuid),
            worker_name: metadata.worker_id.worker_name,
            args: metadata.args,
            status: status.to_string(),
            component_version: metadata.component_version,
        }
    }

    fn resolve_component(reference: String) -> Option<String> {
        host::resolve_component_id(&reference).map(|id| uuid_to_string(id.uuid))
    }

    fn resolve_worker(reference: String, worker_name: String, strict: bool) -> Option<String> {
        let resolved = if strict {
            host::resolve_worker_id_strict(&reference, &worker_name)
        } else {
            host::resolve_worker_id(&reference, &worker_name)
        };
        resolved.map(|id| {
            format!(
                "{}/{}",
                uuid_to_string(id.component_id.uuid),
                id.worker_name
            )
        })
    }

    fn create_promise() -> u64 {
        host::create_promise().oplog_idx
    }

    fn poll_promise(worker_name: String, oplog_idx: u64) -> Option<Vec<u8>> {
        host::poll_promise(&promise(worker_name, oplog_idx))
    }

    fn complete_promise(worker_name: String, oplog_idx: u64, data: Vec<u8>) -> bool {
        host::complete_promise(&promise(worker_name, oplog_idx), &data)
    }

    fn note(tag: String) {
        println!("noted {tag}");
        NOTES.with(|notes| notes.borrow_mut().push(tag));
    }

    fn notes() -> Vec<String> {
        NOTES.with(|notes| notes.borrow().clone())
    }

    fn whoami() -> String {
        host::get_self_metadata().worker_id.worker_name
    }

    fn call_note(
        component: String,
        worker_name: String,
        tag: String,
    ) -> Result<Vec<String>, String> {
        let rpc = rpc_to(&component, &worker_name)?;
        rpc.invoke_and_await(&format!("{PROBE}.{{note}}"), &[string_param(&tag)])
            .map_err(|err| format!("note: {err:?}"))?;
        let reply = rpc
            .invoke_and_await(&format!("{PROBE}.{{notes}}"), &[])
            .map_err(|err| format!("notes: {err:?}"))?;
        strings(&reply)
    }

    fn call_ok(component: String, worker_name: String) -> Result<u32, String> {
        let rpc = rpc_to(&component, &worker_name)?;
        let reply = rpc
            .invoke_and_await("test:trap/api.{ok}", &[])
            .map_err(|err| format!("ok: {err:?}"))?;
        match single_result(&reply)? {
            WitNode::PrimU32(n) => Ok(*n),
            other => Err(format!("expected a u32, got {other:?}")),
        }
    }

    fn ephemeral_names(component: String) -> Vec<String> {
        let component_id =
            host::resolve_component_id(&component).expect("the ephemeral component is loaded");
        let first = WasmRpc::ephemeral(component_id);
        let second = WasmRpc::ephemeral(component_id);
        vec![
            whoami_through(&first),
            whoami_through(&first),
            whoami_through(&second),
        ]
    }

    fn schedule(
        component: String,
        worker_name: String,
        function_name: String,
        tag: String,
        delay_ms: i64,
        mode: ScheduleMode,
    ) -> Option<u32> {
        let rpc = rpc_to(&component, &worker_name).expect("resolving the target");
        let at = datetime_in(delay_ms);
        let params = [string_param(&tag)];
        if mode == ScheduleMode::Plain {
            rpc.schedule_invocation(at, &function_name, &params);
            return None;
        }
        let token = rpc.schedule_cancelable_invocation(at, &function_name, &params);
        match mode {
            ScheduleMode::CancelNow => token.cancel(),
            ScheduleMode::KeepToken => {
                return Some(TOKENS.with(|tokens| {
                    let mut tokens = tokens.borrow_mut();
                    tokens.push(Some(token));
                    tokens.len() as u32 - 1
                }));
            }
            ScheduleMode::Plain | ScheduleMode::DropToken => {}
        }
        None
    }

    fn cancel_token(slot: u32) {
        TOKENS.with(|tokens| {
            tokens.borrow()[slot as usize]
                .as_ref()
                .expect("a kept token")
                .cancel();
        });
    }

    fn uuid_round_trip(text: String) -> Result<String, String> {
        parse_uuid(&text).map(uuid_to_string)
    }

    /// With `golem-1-2-0`, no `fork` at all, so that the probe does not import it: Golem 1.2.0's
    /// `golem:api/host@1.1.6` has none (it came, at the same version, in a later 1.2.x).
    #[cfg(feature = "golem-1-2-0")]
    fn fork(_new_name: String) -> String {
        "not imported".to_string()
    }

    #[cfg(not(feature = "golem-1-2-0"))]
    fn fork(new_name: String) -> String {
        match host::fork(&new_name) {
            host::ForkResult::Original => "original".to_string(),
            host::ForkResult::Forked => "forked".to_string(),
        }
    }
}

export!(Component);
