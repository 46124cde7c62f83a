//! Test component for `golem-rpc-host`: traps on demand and drives `golem:rpc` from the guest side.

use std::cell::Cell;

wit_bindgen::generate!({
    path: "wit",
    world: "trap-target",
    generate_all,
});

use exports::test::trap::api::{Everything, Guest as ApiGuest, Mode};
use golem::rpc::types::{RpcError, Uri, WasmRpc, WitNode, WitValue};

thread_local! {
    static CALLS: Cell<u32> = const { Cell::new(0) };
}

struct Component;

impl Guest for Component {
    fn ping() -> String {
        "pong".to_string()
    }
}

impl ApiGuest for Component {
    fn echo(value: Everything) -> Everything {
        value
    }

    fn boom() {
        panic!("boom requested");
    }

    fn spin() {
        let mut n: u64 = 0;
        loop {
            n = std::hint::black_box(n.wrapping_add(1));
        }
    }

    fn hog(mib: u32) -> u32 {
        let mut kept: Vec<Vec<u8>> = Vec::new();
        for _ in 0..mib {
            kept.push(vec![1u8; 1 << 20]);
        }
        std::hint::black_box(&kept);
        kept.len() as u32
    }

    fn recurse(depth: u64) -> u64 {
        fn down(depth: u64, pad: [u64; 16]) -> u64 {
            if depth == 0 {
                return std::hint::black_box(pad[0]);
            }
            1 + down(depth - 1, std::hint::black_box(pad))
        }
        down(depth, [0; 16])
    }

    fn ok() -> u32 {
        CALLS.with(|calls| calls.set(calls.get() + 1));
        42
    }

    fn calls() -> u32 {
        CALLS.with(Cell::get)
    }

    fn forward(
        uri: String,
        function: String,
        params: Vec<WitValue>,
        mode: Mode,
    ) -> Result<WitValue, RpcError> {
        let rpc = WasmRpc::new(&Uri { value: uri });
        match mode {
            Mode::Blocking => rpc.invoke_and_await(&function, &params),
            Mode::FireAndForget => rpc.invoke(&function, &params).map(|()| WitValue {
                nodes: vec![WitNode::TupleValue(Vec::new())],
            }),
            Mode::AsyncPoll | Mode::AsyncGetTwice => {
                let future = rpc.async_invoke_and_await(&function, &params);
                let pollable = future.subscribe();
                pollable.block();
                drop(pollable);
                let result = future
                    .get()
                    .expect("future-invoke-result not ready after its pollable was");
                if mode == Mode::AsyncGetTwice {
                    let _ = future.get();
                }
                result
            }
        }
    }

    fn relay(uris: Vec<String>) -> Result<u32, String> {
        let Some((first, rest)) = uris.split_first() else {
            return Ok(0);
        };
        let mut nodes = vec![WitNode::ListValue((1..=rest.len() as i32).collect())];
        nodes.extend(rest.iter().cloned().map(WitNode::PrimString));
        let rpc = WasmRpc::new(&Uri {
            value: first.clone(),
        });
        let result = rpc
            .invoke_and_await("test:trap/api.{relay}", &[WitValue { nodes }])
            .map_err(|err| format!("{err:?}"))?;
        match result.nodes.as_slice() {
            [
                WitNode::TupleValue(_),
                WitNode::ResultValue(Ok(Some(2))),
                WitNode::PrimU32(n),
            ] => Ok(n + 1),
            [
                WitNode::TupleValue(_),
                WitNode::ResultValue(Err(Some(2))),
                WitNode::PrimString(e),
            ] => Err(e.clone()),
            other => Err(format!("unexpected relay result {other:?}")),
        }
    }

    fn connect(uri: String) {
        let _rpc = WasmRpc::new(&Uri { value: uri });
    }

    fn env(name: String) -> Option<String> {
        std::env::var(&name).ok()
    }

    fn self_uri(function_name: String) -> String {
        golem::api::host::get_self_uri(&function_name).value
    }
}

export!(Component);
