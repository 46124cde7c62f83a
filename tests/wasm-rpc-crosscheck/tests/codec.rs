#[test]
fn smoke() {
    let v: golem_wasm_rpc_1_1::WitValue = golem_wasm_rpc_1_1::Value::U8(1).into();
    let w: golem_wasm_rpc_1_1::WitValue = golem_wasm_rpc_1_1::Value::U8(1).into();
    assert_eq!(v.nodes.len(), w.nodes.len());
}
