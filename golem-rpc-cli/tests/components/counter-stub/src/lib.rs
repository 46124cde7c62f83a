//! A stub of `demo:counter` written the way Golem 1.0's stubgen generates one: each client call
//! builds `wit-value`s by hand and calls `golem:rpc`; failures panic with stubgen's texts.

wit_bindgen::generate!({
    path: "../stub-wit",
    world: "wasm-rpc-stub-counter",
    generate_all,
});

use exports::demo::counter_stub::stub_counter::{
    FutureAddAllResult, FutureGetResult, FutureTrySubResult, Guest, GuestApi,
    GuestFutureAddAllResult, GuestFutureGetResult, GuestFutureTrySubResult,
};
use golem::rpc::types::{FutureInvokeResult, Uri, WasmRpc, WitNode, WitValue};
use wasi::io::poll::Pollable;

struct Stub;

impl Guest for Stub {
    type Api = Api;
    type FutureGetResult = Pending;
    type FutureAddAllResult = Pending;
    type FutureTrySubResult = Pending;
}

pub struct Api {
    rpc: WasmRpc,
}

pub struct Pending {
    future: FutureInvokeResult,
}

fn u64_value(value: u64) -> WitValue {
    WitValue {
        nodes: vec![WitNode::PrimU64(value)],
    }
}

fn list_value(values: &[u64]) -> WitValue {
    let mut nodes = vec![WitNode::ListValue((1..=values.len() as i32).collect())];
    nodes.extend(values.iter().map(|v| WitNode::PrimU64(*v)));
    WitValue { nodes }
}

/// The single result in the reply's result tuple.
fn result_node(result: &WitValue) -> usize {
    match result.nodes.first() {
        Some(WitNode::TupleValue(items)) => *items.first().expect("tuple not found") as usize,
        _ => panic!("tuple not found"),
    }
}

fn extract_u64(result: &WitValue) -> u64 {
    match result.nodes[result_node(result)] {
        WitNode::PrimU64(value) => value,
        _ => panic!("u64 not found"),
    }
}

fn extract_result(result: &WitValue) -> Result<u64, String> {
    match &result.nodes[result_node(result)] {
        WitNode::ResultValue(Ok(Some(at))) => match result.nodes[*at as usize] {
            WitNode::PrimU64(value) => Ok(value),
            _ => panic!("u64 not found"),
        },
        WitNode::ResultValue(Err(Some(at))) => match &result.nodes[*at as usize] {
            WitNode::PrimString(text) => Err(text.clone()),
            _ => panic!("string not found"),
        },
        _ => panic!("result not found"),
    }
}

impl Api {
    fn call(&self, function: &str, params: &[WitValue]) -> WitValue {
        self.rpc
            .invoke_and_await(function, params)
            .unwrap_or_else(|e| panic!("Failed to invoke-and-await remote {function}: {e:?}"))
    }

    fn start(&self, function: &str, params: &[WitValue]) -> Pending {
        Pending {
            future: self.rpc.async_invoke_and_await(function, params),
        }
    }
}

impl GuestApi for Api {
    fn new(location: Uri) -> Self {
        Api {
            rpc: WasmRpc::new(&location),
        }
    }

    fn blocking_add(&self, value: u64) {
        self.call("demo:counter/api.{add}", &[u64_value(value)]);
    }

    fn add(&self, value: u64) {
        self.rpc
            .invoke("demo:counter/api.{add}", &[u64_value(value)])
            .unwrap_or_else(|e| panic!("Failed to invoke remote demo:counter/api.{{add}}: {e:?}"));
    }

    fn blocking_get(&self) -> u64 {
        extract_u64(&self.call("demo:counter/api.{get}", &[]))
    }

    fn get(&self) -> FutureGetResult {
        FutureGetResult::new(self.start("demo:counter/api.{get}", &[]))
    }

    fn blocking_add_all(&self, values: Vec<u64>) -> u64 {
        extract_u64(&self.call("demo:counter/api.{add-all}", &[list_value(&values)]))
    }

    fn add_all(&self, values: Vec<u64>) -> FutureAddAllResult {
        FutureAddAllResult::new(self.start("demo:counter/api.{add-all}", &[list_value(&values)]))
    }

    fn blocking_try_sub(&self, value: u64) -> Result<u64, String> {
        extract_result(&self.call("demo:counter/api.{try-sub}", &[u64_value(value)]))
    }

    fn try_sub(&self, value: u64) -> FutureTrySubResult {
        FutureTrySubResult::new(self.start("demo:counter/api.{try-sub}", &[u64_value(value)]))
    }
}

impl Pending {
    fn reply(&self) -> Option<WitValue> {
        self.future
            .get()
            .map(|r| r.unwrap_or_else(|e| panic!("Failed to invoke remote: {e:?}")))
    }
}

impl GuestFutureGetResult for Pending {
    fn subscribe(&self) -> Pollable {
        self.future.subscribe()
    }

    fn get(&self) -> Option<u64> {
        self.reply().map(|r| extract_u64(&r))
    }
}

impl GuestFutureAddAllResult for Pending {
    fn subscribe(&self) -> Pollable {
        self.future.subscribe()
    }

    fn get(&self) -> Option<u64> {
        self.reply().map(|r| extract_u64(&r))
    }
}

impl GuestFutureTrySubResult for Pending {
    fn subscribe(&self) -> Pollable {
        self.future.subscribe()
    }

    fn get(&self) -> Option<Result<u64, String>> {
        self.reply().map(|r| extract_result(&r))
    }
}

export!(Stub);
