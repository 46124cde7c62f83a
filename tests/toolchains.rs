//! Components built the way Golem 1.0/1.1's own toolchains built them run unchanged:
//! `wasm32-wasip1` core modules adapted to components with the WASI 0.2.0 preview1 adapter
//! (what cargo-component produced), a caller and a target alike.

use golem_rpc_host::Host;
use golem_rpc_tests::{artifacts, string, strings, wasip1_components};

#[test]
fn wasip1_components_with_the_wasi_0_2_0_adapter_run_and_call_each_other() {
    let built = wasip1_components(&["counter-target", "counter-caller"]);
    // What makes them Golem 1.0/1.1-era components: WASI imported at 0.2.0.
    let caller = std::fs::read(&built["counter-caller"]).unwrap();
    let text = String::from_utf8_lossy(&caller);
    assert!(
        text.contains("wasi:cli/environment@0.2.0"),
        "not adapted for WASI 0.2.0"
    );
    assert!(text.contains("golem:rpc/types@0.1.0"));

    // The same demo as the wasm32-wasip2 builds, line for line.
    let demo = |counter: &std::path::Path, caller: &std::path::Path| {
        let host = Host::new().unwrap();
        let counter_id = host.add_component_file("counter", counter).unwrap();
        host.add_component_file("caller", caller).unwrap();
        host.add_env("COUNTER_COMPONENT_ID", counter_id.to_string());
        let lines = host
            .call(
                "caller",
                "demo-1",
                "demo:caller/run.{demo}",
                &[string("counter-1")],
            )
            .unwrap();
        host.wait_for_background();
        let total = host
            .call("counter", "counter-1", "demo:counter/api.{get}", &[])
            .unwrap();
        (strings(&lines[0]), total)
    };
    let wasip2 = artifacts();
    let (lines, total) = demo(&built["counter-target"], &built["counter-caller"]);
    assert!(
        lines.iter().any(|l| l == "blocking_get() = 5"),
        "{lines:#?}"
    );
    assert_eq!(
        (lines, total),
        demo(&wasip2["counter-target"], &wasip2["counter-caller"])
    );
}
