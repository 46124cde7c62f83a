//! Resources exported by a target (`resource-target`, `test:resources/api.counter`), used through
//! `handle(uri, id)` values as on Golem 1.0 (protocol.md §5), via `Host::invoke_and_await` with
//! hand-built wit-values and from a guest.

mod common;

use common::{fresh_uri, host, stringv, u64v, unique, unit, wv};
use golem_rpc_host::{RpcError, Uri, Val, WitNode, WitValue};

fn res(function: &str) -> String {
    format!("test:resources/api.{{{function}}}")
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

/// A one-node `handle(uri, id)` wit-value.
fn handle(uri: &str, id: u64) -> WitValue {
    wv(vec![WitNode::Handle((
        Uri {
            value: uri.to_string(),
        },
        id,
    ))])
}

/// The handle in a one-result reply `tuple-value([handle(uri, id)])`.
fn returned_handle(nodes: &[WitNode]) -> (String, u64) {
    match nodes {
        [WitNode::TupleValue(items), WitNode::Handle((uri, id))] if items == &[1] => {
            (uri.value.clone(), *id)
        }
        other => panic!("expected a single handle result, got {other:?}"),
    }
}

/// The `u64` in a one-result reply.
fn returned_u64(nodes: &[WitNode]) -> u64 {
    match nodes {
        [WitNode::TupleValue(items), WitNode::PrimU64(value)] if items == &[1] => *value,
        other => panic!("expected a single u64 result, got {other:?}"),
    }
}

/// Creates a counter on the worker at `uri` and returns its handle id.
fn new_counter(uri: &str, name: &str, start: u64) -> u64 {
    let (owner, id) = returned_handle(&ok(
        uri,
        &res("counter.new"),
        vec![stringv(name), u64v(start)],
    ));
    assert_eq!(owner, uri);
    id
}

fn get(uri: &str, id: u64) -> u64 {
    returned_u64(&ok(uri, &res("counter.get"), vec![handle(uri, id)]))
}

fn live(uri: &str) -> u32 {
    match ok(uri, &res("[static]counter.count-live"), vec![]).as_slice() {
        [WitNode::TupleValue(_), WitNode::PrimU32(n)] => *n,
        other => panic!("unexpected count-live result {other:?}"),
    }
}

fn assert_not_found(result: Result<WitValue, RpcError>, id: u64) {
    let message = internal_error(result);
    assert!(message.contains("resource not found"), "{message}");
    assert!(
        message.contains(&format!("test:resources/api.{{counter}} with id {id}")),
        "{message}"
    );
}

#[test]
fn constructor_returns_a_handle_of_the_callee() {
    let uri = fresh_uri("resources");
    let first = new_counter(&uri, "a", 5);
    // The `[constructor]R` spelling is accepted too; ids are fresh.
    let (owner, second) = returned_handle(&ok(
        &uri,
        &res("[constructor]counter"),
        vec![stringv("b"), u64v(7)],
    ));
    assert_eq!(owner, uri);
    assert_ne!(first, second);
    assert_eq!(get(&uri, first), 5);
    assert_eq!(get(&uri, second), 7);
    assert_eq!(live(&uri), 2);
}

#[test]
fn the_handle_uri_is_the_canonical_self_uri() {
    let name = unique("name with spaces");
    let uri = host().worker_uri("resources", &name).unwrap();
    assert!(uri.contains('+'), "{uri}");
    // Addressed with a differently spelled URN, the handle still names the canonical self URI.
    let spelled = uri.replacen("urn:worker:", "urn:Worker:", 1);
    let (owner, _) = returned_handle(&ok(
        &spelled,
        &res("counter.new"),
        vec![stringv("x"), u64v(1)],
    ));
    assert_eq!(owner, uri);
}

#[test]
fn methods_take_the_handle_as_parameter_0() {
    let uri = fresh_uri("resources");
    let id = new_counter(&uri, "clicks", 1);
    assert_eq!(
        ok(
            &uri,
            &res("counter.inc-by"),
            vec![handle(&uri, id), u64v(4)]
        ),
        unit().nodes
    );
    assert_eq!(
        ok(
            &uri,
            &res("[method]counter.inc-by"),
            vec![handle(&uri, id), u64v(10)]
        ),
        unit().nodes
    );
    assert_eq!(get(&uri, id), 15);
    assert_eq!(
        ok(&uri, &res("counter.name"), vec![handle(&uri, id)]),
        vec![
            WitNode::TupleValue(vec![1]),
            WitNode::PrimString("clicks".into())
        ]
    );
}

#[test]
fn borrow_param_leaves_the_resource_with_the_caller() {
    let uri = fresh_uri("resources");
    let a = new_counter(&uri, "a", 2);
    let b = new_counter(&uri, "b", 3);
    let merged = ok(
        &uri,
        &res("counter.merge"),
        vec![handle(&uri, a), handle(&uri, b)],
    );
    assert_eq!(returned_u64(&merged), 5);
    assert_eq!(get(&uri, b), 3);
    // Borrowing the same resource twice in one call is fine.
    let doubled = ok(
        &uri,
        &res("counter.merge"),
        vec![handle(&uri, a), handle(&uri, a)],
    );
    assert_eq!(returned_u64(&doubled), 10);
}

#[test]
fn list_of_borrows() {
    let uri = fresh_uri("resources");
    let a = new_counter(&uri, "a", 2);
    let b = new_counter(&uri, "b", 40);
    let list = wv(vec![
        WitNode::ListValue(vec![1, 2, 3]),
        WitNode::Handle((Uri { value: uri.clone() }, a)),
        WitNode::Handle((Uri { value: uri.clone() }, b)),
        WitNode::Handle((Uri { value: uri.clone() }, a)),
    ]);
    assert_eq!(returned_u64(&ok(&uri, &res("total"), vec![list])), 44);
    assert_eq!(live(&uri), 2);
}

#[test]
fn own_param_moves_the_resource_to_the_callee() {
    let uri = fresh_uri("resources");
    let id = new_counter(&uri, "gone", 9);
    assert_eq!(live(&uri), 1);
    // `{counter.take}` is not a method: Golem retries it as `[static]counter.take`.
    let taken = ok(&uri, &res("counter.take"), vec![handle(&uri, id)]);
    assert_eq!(returned_u64(&taken), 9);
    // The guest dropped it at the end of `take`, and the id is no longer in the table.
    assert_eq!(live(&uri), 0);
    assert_not_found(call(&uri, &res("counter.get"), vec![handle(&uri, id)]), id);
    assert_not_found(
        call(&uri, &res("[static]counter.take"), vec![handle(&uri, id)]),
        id,
    );
}

#[test]
fn own_param_inside_an_option() {
    let uri = fresh_uri("resources");
    let id = new_counter(&uri, "adopted", 6);
    let some = wv(vec![
        WitNode::OptionValue(Some(1)),
        WitNode::Handle((Uri { value: uri.clone() }, id)),
    ]);
    assert_eq!(returned_u64(&ok(&uri, &res("adopt"), vec![some])), 6);
    assert_not_found(call(&uri, &res("counter.get"), vec![handle(&uri, id)]), id);
    let none = wv(vec![WitNode::OptionValue(None)]);
    assert_eq!(returned_u64(&ok(&uri, &res("adopt"), vec![none])), 0);
}

#[test]
fn an_own_handle_may_be_passed_only_once_per_call() {
    let uri = fresh_uri("resources");
    let id = new_counter(&uri, "twice", 1);
    let message = internal_error(call(
        &uri,
        &res("combine"),
        vec![handle(&uri, id), handle(&uri, id)],
    ));
    assert!(message.contains("more than once"), "{message}");
    // The rejected call changed nothing.
    assert_eq!(get(&uri, id), 1);
    let other = new_counter(&uri, "other", 2);
    let combined = ok(
        &uri,
        &res("combine"),
        vec![handle(&uri, id), handle(&uri, other)],
    );
    assert_eq!(returned_u64(&combined), 3);
    assert_not_found(call(&uri, &res("counter.get"), vec![handle(&uri, id)]), id);
    assert_eq!(get(&uri, other), 2);
}

#[test]
fn own_results_become_handles_of_the_callee() {
    let uri = fresh_uri("resources");
    let id = new_counter(&uri, "original", 11);
    let (owner, clone) = returned_handle(&ok(
        &uri,
        &res("counter.clone-named"),
        vec![handle(&uri, id), stringv("copy")],
    ));
    assert_eq!(owner, uri);
    assert_ne!(clone, id);
    assert_eq!(get(&uri, clone), 11);
    let (owner, made) = returned_handle(&ok(&uri, &res("make"), vec![stringv("made")]));
    assert_eq!(owner, uri);
    assert_eq!(get(&uri, made), 0);
    // Nested in an option.
    let some = wv(vec![
        WitNode::OptionValue(Some(1)),
        WitNode::PrimString("maybe".into()),
    ]);
    let made = match ok(&uri, &res("maybe-make"), vec![some]).as_slice() {
        [
            WitNode::TupleValue(items),
            WitNode::OptionValue(Some(2)),
            WitNode::Handle((owner, id)),
        ] if items == &[1] => {
            assert_eq!(owner.value, uri);
            *id
        }
        other => panic!("unexpected maybe-make result {other:?}"),
    };
    assert_eq!(
        ok(&uri, &res("counter.name"), vec![handle(&uri, made)]),
        vec![
            WitNode::TupleValue(vec![1]),
            WitNode::PrimString("maybe".into())
        ]
    );
    let none = wv(vec![WitNode::OptionValue(None)]);
    assert_eq!(
        ok(&uri, &res("maybe-make"), vec![none]),
        vec![WitNode::TupleValue(vec![1]), WitNode::OptionValue(None)]
    );
    assert_eq!(live(&uri), 4);
}

#[test]
fn static_functions_take_no_handle() {
    let worker = unique("statics");
    let uri = host().worker_uri("resources", &worker).unwrap();
    assert_eq!(live(&uri), 0);
    new_counter(&uri, "a", 0);
    // `{counter.count-live}`: the method form falls back to the static function.
    assert_eq!(
        ok(&uri, &res("counter.count-live"), vec![]),
        vec![WitNode::TupleValue(vec![1]), WitNode::PrimU32(1)]
    );
    // Direct calls work for functions without handles.
    let results = host()
        .call(
            "resources",
            &worker,
            &res("[static]counter.count-live"),
            &[],
        )
        .unwrap();
    assert_eq!(results, [Val::U32(1)]);
}

#[test]
fn drop_then_use_and_double_drop() {
    let uri = fresh_uri("resources");
    let id = new_counter(&uri, "short-lived", 3);
    let other = new_counter(&uri, "stays", 4);
    assert_eq!(live(&uri), 2);
    assert_eq!(
        ok(&uri, &res("counter.drop"), vec![handle(&uri, id)]),
        unit().nodes
    );
    // The guest's destructor ran.
    assert_eq!(live(&uri), 1);
    assert_not_found(call(&uri, &res("counter.get"), vec![handle(&uri, id)]), id);
    // A second drop (either spelling) and a drop of an id never handed out are harmless.
    assert_eq!(
        ok(&uri, &res("counter.drop"), vec![handle(&uri, id)]),
        unit().nodes
    );
    assert_eq!(
        ok(&uri, &res("[drop]counter"), vec![handle(&uri, 999_999)]),
        unit().nodes
    );
    assert_eq!(get(&uri, other), 4);
    assert_eq!(
        ok(&uri, &res("[drop]counter"), vec![handle(&uri, other)]),
        unit().nodes
    );
    assert_eq!(live(&uri), 0);
}

#[test]
fn drop_needs_exactly_one_handle() {
    let uri = fresh_uri("resources");
    internal_error(call(&uri, &res("counter.drop"), vec![]));
    internal_error(call(&uri, &res("counter.drop"), vec![u64v(1)]));
    let id = new_counter(&uri, "a", 0);
    internal_error(call(
        &uri,
        &res("counter.drop"),
        vec![handle(&uri, id), handle(&uri, id)],
    ));
    assert_eq!(get(&uri, id), 0);
}

#[test]
fn handles_of_another_worker_are_rejected() {
    let owner = fresh_uri("resources");
    let other = fresh_uri("resources");
    let id = new_counter(&owner, "mine", 1);
    new_counter(&other, "theirs", 2);
    for (function, params) in [
        ("counter.get", vec![handle(&owner, id)]),
        (
            "counter.merge",
            vec![handle(&other, id), handle(&owner, id)],
        ),
        ("counter.take", vec![handle(&owner, id)]),
        ("counter.drop", vec![handle(&owner, id)]),
    ] {
        let message = internal_error(call(&other, &res(function), params));
        assert!(
            message.contains("cannot resolve handle belonging to a different worker"),
            "{function}: {message}"
        );
    }
    // Nothing happened to the resource.
    assert_eq!(get(&owner, id), 1);
}

#[test]
fn malformed_handle_params_are_rejected() {
    let uri = fresh_uri("resources");
    let id = new_counter(&uri, "a", 0);
    let message = internal_error(call(&uri, &res("counter.get"), vec![u64v(id)]));
    assert!(
        message.contains("expected a value of type borrow<resource>, found prim-u64"),
        "{message}"
    );
    let message = internal_error(call(&uri, &res("counter.name"), vec![]));
    assert!(message.contains("expects 1 parameters, got 0"), "{message}");
    let message = internal_error(call(&uri, &res("counter.nope"), vec![handle(&uri, id)]));
    assert_eq!(
        message,
        "Invalid request: could not load function [method]counter.nope for interface test:resources/api"
    );
    // A handle where a plain value is expected.
    internal_error(call(&uri, &res("make"), vec![handle(&uri, id)]));
}

#[test]
fn handles_do_not_survive_a_trap() {
    let uri = fresh_uri("resources");
    let id = new_counter(&uri, "before", 8);
    let message = internal_error(call(&uri, &res("boom"), vec![]));
    assert!(message.contains("Runtime error"), "{message}");
    // The instance and its table are gone; the worker starts afresh.
    assert_not_found(call(&uri, &res("counter.get"), vec![handle(&uri, id)]), id);
    assert_eq!(live(&uri), 0);
    // Ids are not reused, so an old handle never reaches a new resource.
    let fresh = new_counter(&uri, "after", 1);
    assert!(fresh > id, "{fresh} after {id}");
    assert_not_found(call(&uri, &res("counter.get"), vec![handle(&uri, id)]), id);
}

#[test]
fn background_invocations_resolve_handles_when_they_run() {
    let uri = fresh_uri("resources");
    let id = new_counter(&uri, "async", 0);
    host()
        .invoke(
            &uri,
            &res("counter.inc-by"),
            vec![handle(&uri, id), u64v(5)],
        )
        .unwrap();
    host().wait_for_background();
    assert_eq!(get(&uri, id), 5);
    // The owner check happens when the call is made.
    let other = fresh_uri("resources");
    let err = host()
        .invoke(
            &other,
            &res("counter.inc-by"),
            vec![handle(&uri, id), u64v(1)],
        )
        .unwrap_err();
    assert!(
        matches!(&err, RpcError::RemoteInternalError(m) if m.contains("different worker")),
        "{err:?}"
    );
}

#[test]
fn direct_calls_refuse_handle_functions() {
    let worker = unique("direct");
    for function in ["counter.new", "counter.get", "counter.drop", "make"] {
        let err = host()
            .call_wave("resources", &worker, &res(function), &[] as &[&str])
            .unwrap_err();
        assert!(
            err.to_string().contains("invoke_and_await"),
            "{function}: {err}"
        );
    }
    let names = host().function_names("resources").unwrap();
    for name in [
        "[constructor]counter",
        "[method]counter.merge",
        "[static]counter.take",
        "[drop]counter",
    ] {
        assert!(names.contains(&res(name)), "{name} missing from {names:?}");
    }
}

#[test]
fn resources_used_from_a_guest() {
    // A `trap` worker drives the calls through its own `wasm-rpc`.
    let caller = unique("resource-caller");
    let target = fresh_uri("resources");
    let forward = |function: &str, params: &str| {
        host()
            .call_wave(
                "trap",
                &caller,
                "test:trap/api.{forward}",
                &[
                    format!("{target:?}"),
                    format!("{:?}", res(function)),
                    params.to_string(),
                    "blocking".to_string(),
                ],
            )
            .unwrap()
            .concat()
    };
    let created = forward(
        "counter.new",
        r#"[{nodes: [prim-string("remote")]}, {nodes: [prim-u64(20)]}]"#,
    );
    let prefix = format!(r#"ok({{nodes: [tuple-value([1]), handle(({{value: {target:?}}}, "#);
    let id: u64 = created
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix("))]})"))
        .unwrap_or_else(|| panic!("unexpected constructor result {created}"))
        .parse()
        .unwrap();
    let handle = format!(r#"{{nodes: [handle(({{value: {target:?}}}, {id}))]}}"#);
    assert_eq!(
        forward(
            "counter.inc-by",
            &format!("[{handle}, {{nodes: [prim-u64(2)]}}]")
        ),
        "ok({nodes: [tuple-value([])]})"
    );
    assert_eq!(
        forward("counter.get", &format!("[{handle}]")),
        "ok({nodes: [tuple-value([1]), prim-u64(22)]})"
    );
    assert_eq!(
        forward("counter.drop", &format!("[{handle}]")),
        "ok({nodes: [tuple-value([])]})"
    );
    let missing = forward("counter.get", &format!("[{handle}]"));
    assert!(
        missing.starts_with("err(remote-internal-error(") && missing.contains("resource not found"),
        "{missing}"
    );
    // The handle names the target, so the caller's own worker refuses it.
    let own_uri = host().worker_uri("resources", &caller).unwrap();
    let refused = host()
        .invoke_and_await(
            &own_uri,
            &res("counter.get"),
            vec![wv(vec![WitNode::Handle((
                Uri {
                    value: target.clone(),
                },
                id,
            ))])],
        )
        .unwrap_err();
    assert!(
        matches!(&refused, RpcError::RemoteInternalError(m) if m.contains("different worker")),
        "{refused:?}"
    );
}
