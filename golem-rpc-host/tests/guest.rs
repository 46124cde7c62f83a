//! `golem:rpc` as seen by guests: the `trap-target` test component makes the calls.

mod common;

use common::{fresh_uri, host, new_host, unique};
use golem_rpc_host::{Host, MAX_CALL_DEPTH, Uuid};

/// Calls `trap`'s `forward` on worker `caller` and returns the WAVE text of its result.
fn forward(
    host: &Host,
    caller: &str,
    target: &str,
    function: &str,
    params: &str,
    mode: &str,
) -> anyhow::Result<String> {
    let args = [
        format!("{target:?}"),
        format!("{function:?}"),
        params.to_string(),
        mode.to_string(),
    ];
    Ok(host
        .call_wave("trap", caller, "test:trap/api.{forward}", &args)?
        .concat())
}

fn trap_uri(worker: &str) -> String {
    host().worker_uri("trap", worker).unwrap()
}

fn relay(caller: &str, workers: &[String]) -> String {
    let uris: Vec<String> = workers
        .iter()
        .map(|w| format!("{:?}", trap_uri(w)))
        .collect();
    host()
        .call_wave(
            "trap",
            caller,
            "test:trap/api.{relay}",
            &[format!("[{}]", uris.join(", "))],
        )
        .unwrap()
        .concat()
}

#[test]
fn blocking_call_from_a_guest() {
    let caller = unique("caller");
    let target = fresh_uri("counter");
    let result = forward(
        host(),
        &caller,
        &target,
        "demo:counter/api.{add-all}",
        "[{nodes: [list-value([1, 2]), prim-u64(5), prim-u64(6)]}]",
        "blocking",
    )
    .unwrap();
    assert_eq!(result, "ok({nodes: [tuple-value([1]), prim-u64(11)]})");
    let result = forward(
        host(),
        &caller,
        &target,
        "demo:counter/api.{nope}",
        "[]",
        "blocking",
    )
    .unwrap();
    assert!(result.starts_with("err(remote-internal-error("), "{result}");
    let missing = format!("urn:worker:{}/w", Uuid::from_u128(9));
    let result = forward(
        host(),
        &caller,
        &missing,
        "demo:counter/api.{get}",
        "[]",
        "blocking",
    )
    .unwrap();
    // Golem's executor finds no metadata for the component: a remote-internal-error.
    assert!(
        result.starts_with("err(remote-internal-error(")
            && result.contains("Could not find any component with the given id"),
        "{result}"
    );
}

#[test]
fn fire_and_forget_then_blocking_sees_the_effect() {
    let caller = unique("caller");
    let target = fresh_uri("counter");
    let result = forward(
        host(),
        &caller,
        &target,
        "demo:counter/api.{add}",
        "[{nodes: [prim-u64(5)]}]",
        "fire-and-forget",
    )
    .unwrap();
    assert_eq!(result, "ok({nodes: [tuple-value([])]})");
    let result = forward(
        host(),
        &caller,
        &target,
        "demo:counter/api.{get}",
        "[]",
        "blocking",
    )
    .unwrap();
    assert_eq!(result, "ok({nodes: [tuple-value([1]), prim-u64(5)]})");
}

#[test]
fn async_invoke_with_a_real_pollable() {
    let caller = unique("caller");
    let target = fresh_uri("counter");
    let result = forward(
        host(),
        &caller,
        &target,
        "demo:counter/api.{add-all}",
        "[{nodes: [list-value([1]), prim-u64(40)]}]",
        "async-poll",
    )
    .unwrap();
    assert_eq!(result, "ok({nodes: [tuple-value([1]), prim-u64(40)]})");
    let other = fresh_uri("trap");
    let result = forward(host(), &caller, &other, "ping", "[]", "async-poll").unwrap();
    assert_eq!(
        result,
        r#"ok({nodes: [tuple-value([1]), prim-string("pong")]})"#
    );
}

#[test]
fn async_errors_arrive_through_get() {
    let caller = unique("caller");
    let missing = format!("urn:worker:{}/w", Uuid::from_u128(11));
    let result = forward(host(), &caller, &missing, "x", "[]", "async-poll").unwrap();
    assert!(
        result.starts_with("err(remote-internal-error(")
            && result.contains("Could not find any component with the given id"),
        "{result}"
    );
    let target = fresh_uri("trap");
    let result = forward(
        host(),
        &caller,
        &target,
        "test:trap/api.{boom}",
        "[]",
        "async-poll",
    )
    .unwrap();
    assert!(
        result.starts_with("err(remote-internal-error(\"Runtime error"),
        "{result}"
    );
}

#[test]
fn second_get_after_completion_traps() {
    let caller = unique("caller");
    let target = fresh_uri("trap");
    let err = forward(
        host(),
        &caller,
        &target,
        "test:trap/api.{ok}",
        "[]",
        "async-get-twice",
    )
    .unwrap_err();
    let message = format!("{err:#}");
    assert!(
        message.contains("future-invoke-result already consumed"),
        "{message}"
    );
    // The trapped caller gets a fresh instance.
    let result = forward(
        host(),
        &caller,
        &target,
        "test:trap/api.{ok}",
        "[]",
        "async-poll",
    )
    .unwrap();
    assert_eq!(result, "ok({nodes: [tuple-value([1]), prim-u32(42)]})");
}

#[test]
fn calling_yourself_would_deadlock() {
    let caller = unique("self");
    let own = trap_uri(&caller);
    let result = forward(
        host(),
        &caller,
        &own,
        "test:trap/api.{ok}",
        "[]",
        "blocking",
    )
    .unwrap();
    assert!(result.starts_with("err(remote-internal-error("), "{result}");
    assert!(result.contains("would deadlock"), "{result}");
    // Polling a future whose call needs the polling worker is detected too.
    let result = forward(
        host(),
        &caller,
        &own,
        "test:trap/api.{ok}",
        "[]",
        "async-poll",
    )
    .unwrap();
    assert!(result.contains("would deadlock"), "{result}");
    // The caller is still usable.
    let calls = host()
        .call_wave("trap", &caller, "test:trap/api.{calls}", &[] as &[&str])
        .unwrap();
    assert_eq!(calls, ["0"]);
}

#[test]
fn a_to_b_to_a_would_deadlock() {
    let a = unique("cycle-a");
    let b = unique("cycle-b");
    let result = relay(&a, &[b.clone(), a.clone()]);
    assert!(result.starts_with("err("), "{result}");
    assert!(result.contains("would deadlock"), "{result}");
    assert!(result.contains(&trap_uri(&b)), "{result}");
}

#[test]
fn fire_and_forget_to_yourself_runs_after_the_current_call() {
    let caller = unique("later");
    let own = trap_uri(&caller);
    let result = forward(
        host(),
        &caller,
        &own,
        "test:trap/api.{ok}",
        "[]",
        "fire-and-forget",
    )
    .unwrap();
    assert_eq!(result, "ok({nodes: [tuple-value([])]})");
    let calls = host()
        .call_wave("trap", &caller, "test:trap/api.{calls}", &[] as &[&str])
        .unwrap();
    assert_eq!(calls, ["1"]);
}

#[test]
fn deep_call_chains_work_up_to_the_limit() {
    let workers: Vec<String> = (0..MAX_CALL_DEPTH).map(|_| unique("chain")).collect();
    let start = unique("chain-start");
    // `start` plus 99 more workers: the whole chain is MAX_CALL_DEPTH deep.
    assert_eq!(relay(&start, &workers[..MAX_CALL_DEPTH - 1]), "ok(99)");
    let result = relay(&start, &workers);
    assert!(result.contains("maximum call depth"), "{result}");
}

#[test]
fn invalid_uri_traps_in_the_constructor() {
    let id = host().component_id("trap").unwrap();
    for uri in [
        format!("worker://{id}/w"),
        format!("urn:worker:{id}/w/test:trap%2Fapi.%7Bok%7D"),
    ] {
        let caller = unique("connect");
        let err = host()
            .call_wave(
                "trap",
                &caller,
                "test:trap/api.{connect}",
                &[format!("{uri:?}")],
            )
            .unwrap_err();
        let message = format!("{err:#}");
        assert!(
            message.contains(&format!(
                "Invalid URI: {uri}. Must be urn:worker:component-id/worker-name"
            )),
            "{message}"
        );
    }
    let caller = unique("connect");
    let ok = host()
        .call_wave(
            "trap",
            &caller,
            "test:trap/api.{connect}",
            &[format!("{:?}", fresh_uri("counter"))],
        )
        .unwrap();
    assert!(ok.is_empty());
}

#[test]
fn workers_created_by_rpc_inherit_the_callers_env() {
    let host = new_host();
    host.set_component_id_env(true);
    host.add_env("MARK", "first");
    let env = |worker: &str, name: &str| {
        host.call_wave(
            "trap",
            worker,
            "test:trap/api.{env}",
            &[format!("{name:?}")],
        )
        .unwrap()
        .concat()
    };
    // The caller is created now, with MARK=first.
    assert_eq!(env("caller", "MARK"), r#"some("first")"#);
    assert_eq!(
        env("caller", "COUNTER_COMPONENT_ID"),
        format!("some(\"{}\")", host.component_id("counter").unwrap())
    );
    host.add_env("MARK", "second");
    // A worker the host creates now sees the new value...
    assert_eq!(env("direct", "MARK"), r#"some("second")"#);
    // ...but one created by the caller's RPC inherits the caller's environment.
    let target = host.worker_uri("trap", "child").unwrap();
    let result = forward(
        &host,
        "caller",
        &target,
        "test:trap/api.{env}",
        r#"[{nodes: [prim-string("MARK")]}]"#,
        "blocking",
    )
    .unwrap();
    assert_eq!(
        result,
        r#"ok({nodes: [tuple-value([1]), option-value(some(2)), prim-string("first")]})"#
    );
    assert_eq!(env("child", "MARK"), r#"some("first")"#);
}

#[test]
fn get_self_uri_returns_the_function_urn() {
    let worker = unique("self uri");
    let function = "test:trap/api.{ok}";
    let result = host()
        .call_wave(
            "trap",
            &worker,
            "test:trap/api.{self-uri}",
            &[format!("{function:?}")],
        )
        .unwrap()
        .concat();
    let worker_uri = host().worker_uri("trap", &worker).unwrap();
    assert!(worker_uri.contains("/self+uri-"), "{worker_uri}");
    let expected = format!("{worker_uri}/test%3Atrap%2Fapi.%7Bok%7D");
    assert_eq!(result, format!("{expected:?}"));
    // As on Golem 1.0, a function URN is not an RPC target.
    let err = host()
        .invoke_and_await(&expected, function, vec![])
        .unwrap_err();
    assert!(
        matches!(&err, golem_rpc_host::RpcError::ProtocolError(m) if m.contains("Invalid URI")),
        "{err:?}"
    );
}
