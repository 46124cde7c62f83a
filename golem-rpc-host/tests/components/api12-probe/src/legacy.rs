//! The `legacy-probe` world: `golem:api/host@1.1.5`, served by the host's 1.1.6 definitions, and
//! `golem:rpc/types@0.1.3`.

wit_bindgen::generate!({
    path: "wit",
    world: "legacy-probe",
    generate_all,
});

use exports::test::api12::legacy::Guest;
use golem::api1_1_5::host;
use golem::rpc0_1_3::types::{
    Uri, ValueAndType, WasmRpc, WitNode, WitType, WitTypeNode, WitValue, extract_type,
    extract_value,
};
use wasi::clocks::wall_clock::Datetime;

struct Component;

fn string_value(text: &str) -> WitValue {
    WitValue {
        nodes: vec![WitNode::PrimString(text.to_string())],
    }
}

fn rpc(uri: String) -> WasmRpc {
    WasmRpc::new(&Uri { value: uri })
}

impl Guest for Component {
    fn legacy_self() -> (String, String) {
        let worker_id = host::get_self_metadata().worker_id;
        let uri = host::worker_uri(&worker_id).value;
        (worker_id.worker_name, uri)
    }

    fn legacy_schedule(
        uri: String,
        function_name: String,
        tag: String,
        delay_ms: i64,
        cancel: bool,
    ) {
        let since_epoch = crate::since_epoch_in(delay_ms);
        let at = Datetime {
            seconds: since_epoch.as_secs(),
            nanoseconds: since_epoch.subsec_nanos(),
        };
        let params = [string_value(&tag)];
        let rpc = rpc(uri);
        if cancel {
            rpc.schedule_cancelable_invocation(at, &function_name, &params)
                .cancel();
        } else {
            rpc.schedule_invocation(at, &function_name, &params);
        }
    }

    fn legacy_strings(uri: String, function_name: String) -> Result<Vec<String>, String> {
        let reply = rpc(uri)
            .invoke_and_await(&function_name, &[])
            .map_err(|err| format!("{err:?}"))?;
        // The reply is a tuple of the results: here one `list<string>`.
        let node = |i: i32| reply.nodes.get(i as usize);
        let Some(WitNode::TupleValue(results)) = node(0) else {
            return Err(format!("expected a tuple, got {:?}", reply.nodes));
        };
        let Some(WitNode::ListValue(items)) = results.first().and_then(|i| node(*i)) else {
            return Err(format!("expected a list, got {:?}", reply.nodes));
        };
        items
            .iter()
            .map(|i| match node(*i) {
                Some(WitNode::PrimString(s)) => Ok(s.clone()),
                other => Err(format!("expected a string, got {other:?}")),
            })
            .collect()
    }

    fn legacy_extract(text: String) -> (String, bool) {
        let vnt = ValueAndType {
            value: string_value(&text),
            typ: WitType {
                nodes: vec![WitTypeNode::PrimStringType],
            },
        };
        let value = match extract_value(&vnt).nodes.as_slice() {
            [WitNode::PrimString(s)] => s.clone(),
            other => panic!("extract-value gave {other:?}"),
        };
        let is_string = matches!(
            extract_type(&vnt).nodes.as_slice(),
            [WitTypeNode::PrimStringType]
        );
        (value, is_string)
    }
}

export!(Component);
