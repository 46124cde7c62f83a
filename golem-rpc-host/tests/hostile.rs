//! What a guest (or the host's user) can hand the host, at random: `wit-value` trees with
//! cycles, out-of-range indices, deep nesting and values that do not fit the target's types;
//! forged, dropped and reused resource handles; WAVE text and function names. Every call returns
//! a value or a typed error; nothing panics or hangs.
//!
//! `GOLEM_RPC_FUZZ_CASES=100000 cargo test --release -p golem-rpc-host --test hostile -- --nocapture`
//! for a long run (a short one runs with the tests).

mod common;

use std::sync::atomic::{AtomicU64, Ordering};

use common::host;
use golem_rpc_host::{NodeIndex, RpcError, Uri, WitNode, WitValue};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn cases() -> u32 {
    std::env::var("GOLEM_RPC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_500)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

fn index() -> impl Strategy<Value = NodeIndex> {
    prop_oneof![0..10i32, any::<i32>()]
}

fn node(handle_uri: String) -> impl Strategy<Value = WitNode> {
    prop_oneof![
        proptest::collection::vec(index(), 0..6).prop_map(WitNode::RecordValue),
        (0..5u32, proptest::option::of(index())).prop_map(WitNode::VariantValue),
        (0..5u32).prop_map(WitNode::EnumValue),
        proptest::collection::vec(any::<bool>(), 0..5).prop_map(WitNode::FlagsValue),
        proptest::collection::vec(index(), 0..4).prop_map(WitNode::TupleValue),
        proptest::collection::vec(index(), 0..4).prop_map(WitNode::ListValue),
        proptest::option::of(index()).prop_map(WitNode::OptionValue),
        prop_oneof![
            proptest::option::of(index()).prop_map(Ok),
            proptest::option::of(index()).prop_map(Err)
        ]
        .prop_map(WitNode::ResultValue),
        any::<u8>().prop_map(WitNode::PrimU8),
        any::<u16>().prop_map(WitNode::PrimU16),
        any::<u32>().prop_map(WitNode::PrimU32),
        any::<u64>().prop_map(WitNode::PrimU64),
        any::<i8>().prop_map(WitNode::PrimS8),
        any::<i16>().prop_map(WitNode::PrimS16),
        any::<i64>().prop_map(WitNode::PrimS64),
        any::<f32>().prop_map(WitNode::PrimFloat32),
        any::<f64>().prop_map(WitNode::PrimFloat64),
        any::<char>().prop_map(WitNode::PrimChar),
        any::<bool>().prop_map(WitNode::PrimBool),
        ".{0,6}".prop_map(WitNode::PrimString),
        (
            prop_oneof![Just(handle_uri), ".{0,12}"],
            prop_oneof![0..4u64, any::<u64>()]
        )
            .prop_map(|(value, id)| WitNode::Handle((Uri { value }, id))),
    ]
}

fn values(handle_uri: String) -> impl Strategy<Value = Vec<WitValue>> {
    proptest::collection::vec(
        proptest::collection::vec(node(handle_uri), 0..10).prop_map(|nodes| WitValue { nodes }),
        0..4,
    )
}

/// Random parameters for functions of every kind of signature, on live workers.
#[test]
fn random_wit_values_never_crash_the_host() {
    let host = host();
    let trap = host.worker_uri("trap", "hostile-trap").unwrap();
    let counter = host.worker_uri("counter", "hostile-counter").unwrap();
    let resources = host.worker_uri("resources", "hostile-resources").unwrap();
    let targets = [
        (trap.clone(), "test:trap/api.{echo}"),
        (trap.clone(), "test:trap/api.{ok}"),
        (counter.clone(), "demo:counter/api.{add-all}"),
        (counter.clone(), "demo:counter/api.{restore}"),
        (counter.clone(), "demo:counter/api.{tag}"),
        (
            resources.clone(),
            "test:resources/api.{[method]counter.merge}",
        ),
        (
            resources.clone(),
            "test:resources/api.{[method]counter.inc-by}",
        ),
        (
            resources.clone(),
            "test:resources/api.{[static]counter.take}",
        ),
        (resources.clone(), "test:resources/api.{total}"),
        (resources.clone(), "test:resources/api.{combine}"),
        (resources.clone(), "test:resources/api.{[drop]counter}"),
    ];
    // Some real resources, so that forged handles sometimes name a live one.
    for name in ["a", "b", "c"] {
        host.invoke_and_await(
            &resources,
            "test:resources/api.{make}",
            vec![WitValue {
                nodes: vec![WitNode::PrimString(name.into())],
            }],
        )
        .unwrap();
    }
    let (ok, rejected) = (AtomicU64::new(0), AtomicU64::new(0));
    runner()
        .run(
            &(0..targets.len(), values(resources.clone())),
            |(target, params)| {
                let (uri, function) = &targets[target];
                match host.invoke_and_await(uri, function, params) {
                    Ok(_) => ok.fetch_add(1, Ordering::Relaxed),
                    Err(
                        RpcError::RemoteInternalError(_)
                        | RpcError::ProtocolError(_)
                        | RpcError::NotFound(_)
                        | RpcError::Denied(_),
                    ) => rejected.fetch_add(1, Ordering::Relaxed),
                };
                Ok(())
            },
        )
        .unwrap();
    println!(
        "random wit-values: {} calls, {} answered, {} typed errors",
        ok.load(Ordering::Relaxed) + rejected.load(Ordering::Relaxed),
        ok.load(Ordering::Relaxed),
        rejected.load(Ordering::Relaxed)
    );
    // The workers still work.
    let answer = host
        .invoke_and_await(&trap, "test:trap/api.{ok}", vec![])
        .unwrap();
    assert_eq!(answer.nodes[1], WitNode::PrimU32(42));
}

/// Random WAVE arguments and function names, as a user types them on the CLI or the repl.
#[test]
fn random_wave_text_and_function_names_are_errors_not_panics() {
    let host = host();
    let functions = prop_oneof![
        Just("demo:counter/api.{add-all}".to_string()),
        Just("test:trap/api.{echo}".to_string()),
        Just("demo:counter/api.{tag}".to_string()),
        "[a-z:/.{}()\\[\\]\"-]{0,30}",
    ];
    let args = proptest::collection::vec("[\\[\\]{}()\"',:a-z0-9 .-]{0,24}", 0..3);
    let calls = AtomicU64::new(0);
    runner()
        .run(&(functions, args), |(function, args)| {
            calls.fetch_add(1, Ordering::Relaxed);
            let component = if function.starts_with("test:trap") {
                "trap"
            } else {
                "counter"
            };
            if let Err(err) = host.call_wave(component, "hostile-wave", &function, &args) {
                let _ = format!("{err:#}");
            }
            let line = format!("{component}/hostile-repl {function}({})", args.join(", "));
            let _ = golem_rpc_host::repl::line(host, &line);
            Ok(())
        })
        .unwrap();
    println!(
        "random WAVE text and names: {} cases",
        calls.load(Ordering::Relaxed)
    );
}
