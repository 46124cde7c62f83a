//! `Host::invoke_and_await` / `Host::invoke` with hand-built wit-values: value layouts and the
//! Golem 1.0 error mapping. These take the same path as a guest's `wasm-rpc` calls.

mod common;

use common::{fresh_uri, host, stringv, u64v, unit, wv};
use golem_rpc_host::{RpcError, Uuid, WitNode, WitValue};

fn counter(function: &str) -> String {
    format!("demo:counter/api.{{{function}}}")
}

fn trap(function: &str) -> String {
    format!("test:trap/api.{{{function}}}")
}

fn call(uri: &str, function: &str, params: Vec<WitValue>) -> Result<WitValue, RpcError> {
    host().invoke_and_await(uri, function, params)
}

fn ok(uri: &str, function: &str, params: Vec<WitValue>) -> Vec<WitNode> {
    call(uri, function, params)
        .unwrap_or_else(|err| panic!("{function} failed: {err:?}"))
        .nodes
}

fn internal_error(result: Result<WitValue, RpcError>) -> String {
    match result {
        Err(RpcError::RemoteInternalError(message)) => message,
        other => panic!("expected remote-internal-error, got {other:?}"),
    }
}

#[test]
fn add_and_get_round_trip() {
    let uri = fresh_uri("counter");
    assert_eq!(ok(&uri, &counter("add"), vec![u64v(5)]), unit().nodes);
    assert_eq!(ok(&uri, &counter("add"), vec![u64v(7)]), unit().nodes);
    assert_eq!(
        ok(&uri, &counter("get"), vec![]),
        vec![WitNode::TupleValue(vec![1]), WitNode::PrimU64(12)]
    );
    // Another worker of the same component has its own state.
    let other = fresh_uri("counter");
    assert_eq!(
        ok(&other, &counter("get"), vec![]),
        vec![WitNode::TupleValue(vec![1]), WitNode::PrimU64(0)]
    );
}

#[test]
fn list_param() {
    let uri = fresh_uri("counter");
    let values = wv(vec![
        WitNode::ListValue(vec![1, 2, 3]),
        WitNode::PrimU64(1),
        WitNode::PrimU64(2),
        WitNode::PrimU64(3),
    ]);
    assert_eq!(
        ok(&uri, &counter("add-all"), vec![values]),
        vec![WitNode::TupleValue(vec![1]), WitNode::PrimU64(6)]
    );
    let empty = wv(vec![WitNode::ListValue(vec![])]);
    assert_eq!(
        ok(&uri, &counter("add-all"), vec![empty]),
        vec![WitNode::TupleValue(vec![1]), WitNode::PrimU64(6)]
    );
}

#[test]
fn option_param_and_string_result() {
    let uri = fresh_uri("counter");
    let some = wv(vec![
        WitNode::OptionValue(Some(1)),
        WitNode::PrimString("b".into()),
    ]);
    assert_eq!(
        ok(&uri, &counter("tag"), vec![stringv("a"), some]),
        vec![
            WitNode::TupleValue(vec![1]),
            WitNode::PrimString("a-b".into())
        ]
    );
    let none = wv(vec![WitNode::OptionValue(None)]);
    assert_eq!(
        ok(&uri, &counter("tag"), vec![stringv("x"), none]),
        vec![
            WitNode::TupleValue(vec![1]),
            WitNode::PrimString("x".into())
        ]
    );
}

#[test]
fn result_layouts() {
    let uri = fresh_uri("counter");
    // err(string): [tuple([1]), result-value(err(some(2))), prim-string]
    assert_eq!(
        ok(&uri, &counter("try-sub"), vec![u64v(100)]),
        vec![
            WitNode::TupleValue(vec![1]),
            WitNode::ResultValue(Err(Some(2))),
            WitNode::PrimString("cannot subtract 100 from 0".into()),
        ]
    );
    ok(&uri, &counter("add"), vec![u64v(10)]);
    // ok(u64): [tuple([1]), result-value(ok(some(2))), prim-u64]
    assert_eq!(
        ok(&uri, &counter("try-sub"), vec![u64v(3)]),
        vec![
            WitNode::TupleValue(vec![1]),
            WitNode::ResultValue(Ok(Some(2))),
            WitNode::PrimU64(7),
        ]
    );
}

#[test]
fn option_of_tuple_result() {
    let uri = fresh_uri("counter");
    let values = wv(vec![
        WitNode::ListValue(vec![1, 2, 3]),
        WitNode::PrimS32(3),
        WitNode::PrimS32(-1),
        WitNode::PrimS32(7),
    ]);
    assert_eq!(
        ok(&uri, &counter("min-max"), vec![values]),
        vec![
            WitNode::TupleValue(vec![1]),
            WitNode::OptionValue(Some(2)),
            WitNode::TupleValue(vec![3, 4]),
            WitNode::PrimS32(-1),
            WitNode::PrimS32(7),
        ]
    );
    assert_eq!(
        ok(
            &uri,
            &counter("min-max"),
            vec![wv(vec![WitNode::ListValue(vec![])])]
        ),
        vec![WitNode::TupleValue(vec![1]), WitNode::OptionValue(None)]
    );
}

#[test]
fn record_layouts() {
    let uri = fresh_uri("counter");
    ok(&uri, &counter("add"), vec![u64v(5)]);
    ok(
        &uri,
        &counter("tag"),
        vec![stringv("l"), wv(vec![WitNode::OptionValue(None)])],
    );
    // stats{total, calls, last: option<u64>, labels: list<string>}, pre-order.
    assert_eq!(
        ok(&uri, &counter("get-stats"), vec![]),
        vec![
            WitNode::TupleValue(vec![1]),
            WitNode::RecordValue(vec![2, 3, 4, 6]),
            WitNode::PrimU64(5),
            WitNode::PrimU32(3),
            WitNode::OptionValue(Some(5)),
            WitNode::PrimU64(5),
            WitNode::ListValue(vec![7]),
            WitNode::PrimString("l".into()),
        ]
    );
    // A record parameter in the same layout.
    let snapshot = wv(vec![
        WitNode::RecordValue(vec![1, 2, 3, 5]),
        WitNode::PrimU64(100),
        WitNode::PrimU32(0),
        WitNode::OptionValue(Some(4)),
        WitNode::PrimU64(9),
        WitNode::ListValue(vec![]),
    ]);
    assert_eq!(
        ok(&uri, &counter("restore"), vec![snapshot]),
        vec![WitNode::TupleValue(vec![1]), WitNode::PrimBool(true)]
    );
    assert_eq!(
        ok(&uri, &counter("get"), vec![]),
        vec![WitNode::TupleValue(vec![1]), WitNode::PrimU64(100)]
    );
}

#[test]
fn world_level_function_by_bare_name() {
    let uri = fresh_uri("trap");
    assert_eq!(
        ok(&uri, "ping", vec![]),
        vec![
            WitNode::TupleValue(vec![1]),
            WitNode::PrimString("pong".into())
        ]
    );
}

#[test]
fn an_unknown_component_is_golems_remote_internal_error() {
    // Golem's executor: `GolemError::unknown("Could not find any component with the given id")`
    // (its `rust_rpc` tests check the text), a `remote-internal-error`.
    let uri = format!("urn:worker:{}/w", Uuid::from_u128(42));
    match call(&uri, &counter("get"), vec![]) {
        Err(RpcError::RemoteInternalError(message)) => assert!(
            message.starts_with("Unknown error: Could not find any component with the given id"),
            "{message}"
        ),
        other => panic!("expected remote-internal-error, got {other:?}"),
    }
}

#[test]
fn unknown_function_is_remote_internal_error() {
    let uri = fresh_uri("counter");
    let message = internal_error(call(&uri, &counter("nope"), vec![]));
    assert!(
        message.contains("could not load function nope"),
        "{message}"
    );
    let message = internal_error(call(&uri, "demo:other/api.{get}", vec![]));
    assert!(
        message.contains("could not load exports for interface demo:other/api"),
        "{message}"
    );
    // The version must match the export exactly.
    internal_error(call(&uri, "demo:counter/api@1.0.0.{get}", vec![]));
    internal_error(call(&uri, "get", vec![]));
    internal_error(call(&uri, "demo:counter/api#get", vec![]));
    internal_error(call(&uri, "", vec![]));
}

#[test]
fn resource_functions_the_target_does_not_export() {
    // `demo:counter/api` exports no resources: every resource form is an unknown function,
    // named by its export name.
    let uri = fresh_uri("counter");
    for (name, export) in [
        ("demo:counter/api.{counter.new}", "[constructor]counter"),
        ("demo:counter/api.{counter.inc}", "[method]counter.inc"),
        (
            "demo:counter/api.{[static]counter.make}",
            "[static]counter.make",
        ),
        ("demo:counter/api.{counter.drop}", "[drop]counter"),
    ] {
        let message = internal_error(call(&uri, name, vec![]));
        assert_eq!(
            message,
            format!(
                "Invalid request: could not load function {export} for interface demo:counter/api"
            )
        );
    }
}

#[test]
fn wrong_param_count_is_remote_internal_error() {
    let uri = fresh_uri("counter");
    let message = internal_error(call(&uri, &counter("add"), vec![]));
    assert!(message.contains("expects 1 parameters, got 0"), "{message}");
    internal_error(call(&uri, &counter("add"), vec![u64v(1), u64v(2)]));
    internal_error(call(&uri, &counter("get"), vec![u64v(1)]));
}

#[test]
fn wrong_param_type_is_remote_internal_error() {
    let uri = fresh_uri("counter");
    let message = internal_error(call(&uri, &counter("add"), vec![stringv("5")]));
    assert!(
        message.contains("expected a value of type u64"),
        "{message}"
    );
    internal_error(call(
        &uri,
        &counter("add"),
        vec![wv(vec![WitNode::PrimU32(5)])],
    ));
    // A record with a missing field.
    internal_error(call(
        &uri,
        &counter("restore"),
        vec![wv(vec![WitNode::RecordValue(vec![1]), WitNode::PrimU64(1)])],
    ));
    // Payload presence must match the type.
    internal_error(call(
        &uri,
        &counter("tag"),
        vec![stringv("a"), wv(vec![WitNode::OptionValue(Some(1))])],
    ));
    // Nothing was executed by the rejected calls.
    assert_eq!(
        ok(&uri, &counter("get"), vec![]),
        vec![WitNode::TupleValue(vec![1]), WitNode::PrimU64(0)]
    );
}

#[test]
fn malformed_wit_values_are_errors_not_panics() {
    let uri = fresh_uri("counter");
    let cases = [
        // No nodes at all.
        wv(vec![]),
        // Child index out of range, and negative.
        wv(vec![WitNode::ListValue(vec![5])]),
        wv(vec![WitNode::ListValue(vec![-1])]),
        // A cycle: the list contains itself.
        wv(vec![WitNode::ListValue(vec![0])]),
        // Shared nodes (a DAG is not a tree).
        wv(vec![WitNode::ListValue(vec![1, 1]), WitNode::PrimU64(1)]),
        // A handle where a value is expected.
        wv(vec![WitNode::Handle((
            golem_rpc_host::Uri { value: uri.clone() },
            1,
        ))]),
    ];
    for value in cases {
        let message = internal_error(call(&uri, &counter("add-all"), vec![value.clone()]));
        assert!(
            message.starts_with("Invalid request"),
            "{value:?}: {message}"
        );
    }
    // A record whose field points back at the record.
    let cyclic = wv(vec![
        WitNode::RecordValue(vec![1, 2, 0, 3]),
        WitNode::PrimU64(1),
        WitNode::PrimU32(0),
        WitNode::ListValue(vec![]),
    ]);
    let message = internal_error(call(&uri, &counter("restore"), vec![cyclic]));
    assert!(message.contains("more than once"), "{message}");
}

#[test]
fn bad_uris_are_rejected() {
    let id = host().component_id("counter").unwrap();
    for uri in [
        format!("worker://{id}/w"),
        format!("urn:worker:{id}/w/demo:counter%2Fapi.%7Bget%7D"),
        format!("urn:worker:{id}"),
        "urn:worker:not-a-uuid/w".to_string(),
        "counter/w".to_string(),
    ] {
        match call(&uri, &counter("get"), vec![]) {
            Err(RpcError::ProtocolError(message)) => assert!(
                message.starts_with(&format!(
                    "Invalid URI: {uri}. Must be urn:worker:component-id/worker-name ("
                )),
                "{message}"
            ),
            other => panic!("{uri}: expected a rejected URI, got {other:?}"),
        }
    }
}

#[test]
fn trap_is_remote_internal_error_and_the_worker_recovers() {
    let uri = fresh_uri("trap");
    let answer = vec![WitNode::TupleValue(vec![1]), WitNode::PrimU32(42)];
    assert_eq!(ok(&uri, &trap("ok"), vec![]), answer);
    let message = internal_error(call(&uri, &trap("boom"), vec![]));
    assert!(message.starts_with("Runtime error"), "{message}");
    assert!(message.contains("unreachable"), "{message}");
    // The instance was replaced: calls work again, with fresh state.
    assert_eq!(ok(&uri, &trap("ok"), vec![]), answer);
    assert_eq!(
        ok(&uri, &trap("calls"), vec![]),
        vec![WitNode::TupleValue(vec![1]), WitNode::PrimU32(1)]
    );
}

#[test]
fn fire_and_forget_runs_in_call_order() {
    let uri = fresh_uri("counter");
    for value in 1..=10 {
        host()
            .invoke(&uri, &counter("add"), vec![u64v(value)])
            .unwrap();
    }
    // Queued behind the ten background calls, so it sees all of them.
    assert_eq!(
        ok(&uri, &counter("get"), vec![]),
        vec![WitNode::TupleValue(vec![1]), WitNode::PrimU64(55)]
    );
    // Errors detectable at call time are returned; others are only logged.
    assert!(matches!(
        host().invoke(&uri, &counter("nope"), vec![]),
        Err(RpcError::RemoteInternalError(_))
    ));
    let missing = format!("urn:worker:{}/w", Uuid::from_u128(7));
    assert!(matches!(
        host().invoke(&missing, &counter("get"), vec![]),
        Err(RpcError::RemoteInternalError(_))
    ));
    host().wait_for_background();
}

#[test]
fn concurrent_callers_share_a_worker() {
    let uri = fresh_uri("counter");
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..25 {
                    ok(&uri, &counter("add"), vec![u64v(1)]);
                }
            });
        }
    });
    assert_eq!(
        ok(&uri, &counter("get"), vec![]),
        vec![WitNode::TupleValue(vec![1]), WitNode::PrimU64(100)]
    );
}

/// `nodes` with every child index moved by `by` (the layout of a value nested one level deeper).
fn shifted(nodes: &[WitNode], by: i32) -> Vec<WitNode> {
    let s = |i: &i32| i + by;
    nodes
        .iter()
        .map(|node| match node {
            WitNode::RecordValue(c) => WitNode::RecordValue(c.iter().map(s).collect()),
            WitNode::TupleValue(c) => WitNode::TupleValue(c.iter().map(s).collect()),
            WitNode::ListValue(c) => WitNode::ListValue(c.iter().map(s).collect()),
            WitNode::VariantValue((case, c)) => WitNode::VariantValue((*case, c.as_ref().map(s))),
            WitNode::OptionValue(c) => WitNode::OptionValue(c.as_ref().map(s)),
            WitNode::ResultValue(Ok(c)) => WitNode::ResultValue(Ok(c.as_ref().map(s))),
            WitNode::ResultValue(Err(c)) => WitNode::ResultValue(Err(c.as_ref().map(s))),
            other => other.clone(),
        })
        .collect()
}

/// Nodes 1..=10 of an `everything` record (trap-target): scalars and flags.
fn scalars() -> Vec<WitNode> {
    vec![
        WitNode::PrimChar('λ'),
        WitNode::PrimBool(true),
        WitNode::PrimS8(-8),
        WitNode::PrimS16(-16),
        WitNode::PrimS64(i64::MIN),
        WitNode::PrimU8(8),
        WitNode::PrimU16(u16::MAX),
        WitNode::PrimFloat32(1.5),
        WitNode::PrimFloat64(-2.25),
        WitNode::FlagsValue(vec![true, false, true]),
    ]
}

/// An `everything` record: `fields` are the indices of its 16 fields, `rest` the nodes from 11 on.
fn everything_nodes(fields: &[i32], rest: Vec<WitNode>) -> Vec<WitNode> {
    let mut all: Vec<i32> = (1..=10).collect();
    all.extend(fields);
    let mut nodes = vec![WitNode::RecordValue(all)];
    nodes.extend(scalars());
    nodes.extend(rest);
    nodes
}

/// circle(3.0); unit-ok ok; unit-err err; bare err — in pre-order.
fn everything_circle() -> Vec<WitNode> {
    everything_nodes(
        &[11, 13, 14, 15, 16, 17],
        vec![
            WitNode::VariantValue((0, Some(12))),
            WitNode::PrimFloat64(3.0),
            WitNode::EnumValue(2),
            WitNode::ResultValue(Ok(None)),
            WitNode::ResultValue(Err(None)),
            WitNode::ResultValue(Err(None)),
            WitNode::TupleValue(vec![18, 19]),
            WitNode::PrimU8(1),
            WitNode::PrimString("x".into()),
        ],
    )
}

/// point; unit-ok err("no"); unit-err ok(7); bare ok — in pre-order.
fn everything_point() -> Vec<WitNode> {
    everything_nodes(
        &[11, 12, 13, 15, 17, 18],
        vec![
            WitNode::VariantValue((2, None)),
            WitNode::EnumValue(2),
            WitNode::ResultValue(Err(Some(14))),
            WitNode::PrimString("no".into()),
            WitNode::ResultValue(Ok(Some(16))),
            WitNode::PrimU32(7),
            WitNode::ResultValue(Ok(None)),
            WitNode::TupleValue(vec![19, 20]),
            WitNode::PrimU8(1),
            WitNode::PrimString("x".into()),
        ],
    )
}

#[test]
fn all_value_kinds_round_trip() {
    let uri = fresh_uri("trap");
    for input in [everything_circle(), everything_point()] {
        let mut expected = vec![WitNode::TupleValue(vec![1])];
        expected.extend(shifted(&input, 1));
        assert_eq!(ok(&uri, &trap("echo"), vec![wv(input)]), expected);
    }
    // Any tree is accepted, not only pre-order; results always come back in pre-order.
    let scrambled = everything_nodes(
        &[11, 12, 13, 14, 15, 16],
        vec![
            WitNode::VariantValue((2, None)),
            WitNode::EnumValue(2),
            WitNode::ResultValue(Err(Some(20))),
            WitNode::ResultValue(Ok(Some(19))),
            WitNode::ResultValue(Ok(None)),
            WitNode::TupleValue(vec![17, 18]),
            WitNode::PrimU8(1),
            WitNode::PrimString("x".into()),
            WitNode::PrimU32(7),
            WitNode::PrimString("no".into()),
        ],
    );
    let mut expected = vec![WitNode::TupleValue(vec![1])];
    expected.extend(shifted(&everything_point(), 1));
    assert_eq!(ok(&uri, &trap("echo"), vec![wv(scrambled)]), expected);
}

#[test]
fn variant_enum_and_flags_are_checked() {
    let uri = fresh_uri("trap");
    let check = |nodes: Vec<WitNode>, expected: &str| {
        let message = internal_error(call(&uri, &trap("echo"), vec![wv(nodes)]));
        assert!(message.contains(expected), "{message}");
    };
    // `point` (case 2) has no payload.
    let mut nodes = everything_circle();
    nodes[11] = WitNode::VariantValue((2, Some(12)));
    check(nodes, "has a payload, but the type has none");
    // `circle` needs one.
    let mut nodes = everything_point();
    nodes[11] = WitNode::VariantValue((0, None));
    check(nodes, "has no payload, but the type requires one");
    // There is no case 3.
    let mut nodes = everything_point();
    nodes[11] = WitNode::VariantValue((3, None));
    check(nodes, "variant case index 3 is out of range");
    // `unit-ok` has no ok payload.
    let mut nodes = everything_point();
    nodes[13] = WitNode::ResultValue(Ok(Some(14)));
    check(nodes, "has a payload, but the type has none");
    // No enum case 4; flags need one entry per flag; wrong scalar kinds.
    let mut nodes = everything_point();
    nodes[12] = WitNode::EnumValue(4);
    check(nodes, "enum case index 4 is out of range");
    let mut nodes = everything_point();
    nodes[10] = WitNode::FlagsValue(vec![true]);
    check(nodes, "flags-value has 1 entries, the type has 3 flags");
    let mut nodes = everything_point();
    nodes[1] = WitNode::PrimString("λ".into());
    check(nodes, "expected a value of type char, found prim-string");
    let mut nodes = everything_point();
    nodes[8] = WitNode::PrimFloat64(1.5);
    check(nodes, "expected a value of type f32, found prim-float64");
}
