//! Every RPC failure surfaces in the caller as a typed `golem_rpc::Error` through the generated
//! `try_` forms (rendered with `Display` by the probe component), never as a panic.

use golem_rpc_host::{Host, Val};
use golem_rpc_tests::{host, outcome, string};

/// Calls `test:probe/calls.{function}` on a probe worker and returns its `result<_, string>`.
fn probe(host: &Host, function: &str, args: &[Val]) -> Result<Option<Val>, String> {
    let results = host
        .call(
            "probe",
            "p",
            &format!("test:probe/calls.{{{function}}}"),
            args,
        )
        .unwrap_or_else(|e| panic!("{function}: {e:#}"));
    outcome(&results[0])
}

const UNKNOWN_COMPONENT: &str = "urn:worker:00000000-0000-0000-0000-000000000000/w";

fn every_form(host: &Host, target: &str) -> Vec<Result<Option<Val>, String>> {
    vec![
        probe(host, "blocking-get", &[string(target)]),
        probe(host, "blocking-add", &[string(target), Val::U64(1)]),
        probe(host, "fire-add", &[string(target), Val::U64(1)]),
        probe(host, "future-get", &[string(target)]),
    ]
}

#[test]
fn an_unknown_component_is_golems_error_in_every_call_form() {
    let host = host();
    for result in every_form(&host, UNKNOWN_COMPONENT) {
        let err = result.unwrap_err();
        // Golem 1.1's text exactly (the probe imports golem:rpc@0.1.0; recorded from Golem
        // 1.1.16: tests/oracle).
        assert_eq!(
            err,
            "remote internal error: Failed to get latest version of component \
             00000000-0000-0000-0000-000000000000: Could not find any component with the given id"
        );
    }
}

#[test]
fn unknown_function_is_a_remote_internal_error() {
    let host = host();
    // A caller worker does not export demo:counter/api.
    let target = host.worker_uri("caller", "not-a-counter").unwrap();
    for result in every_form(&host, &target) {
        let err = result.unwrap_err();
        assert!(err.starts_with("remote internal error: "), "{err}");
        assert!(err.contains("demo:counter/api"), "{err}");
    }
}

#[test]
fn a_trap_in_the_callee_is_a_remote_internal_error() {
    let host = host();
    let target = host.worker_uri("impostor", "i").unwrap();
    let err = probe(&host, "blocking-add", &[string(&target), Val::U64(7)]).unwrap_err();
    // The panic message goes to the callee's stderr; the error names the call, worker and trap.
    let worker = format!("demo:counter/api.{{add}} failed in worker {target}");
    assert!(err.starts_with("remote internal error: "), "{err}");
    assert!(err.contains(&worker), "{err}");
    assert!(err.contains("wasm backtrace"), "{err}");
    // The failed worker starts afresh on the next call.
    assert_eq!(
        probe(&host, "blocking-get", &[string(&target)]),
        Err(
            "malformed reply from remote demo:counter/api.{get}: expected u64, found prim-string"
                .into()
        )
    );
}

#[test]
fn a_reply_of_the_wrong_type_is_a_decode_error() {
    let host = host();
    let target = host.worker_uri("impostor", "i").unwrap();
    let expected =
        "malformed reply from remote demo:counter/api.{get}: expected u64, found prim-string";
    assert_eq!(
        probe(&host, "blocking-get", &[string(&target)]),
        Err(expected.into())
    );
    assert_eq!(
        probe(&host, "future-get", &[string(&target)]),
        Err(expected.into())
    );
}

#[test]
fn a_future_result_is_taken_once() {
    let host = host();
    let target = host.worker_uri("counter", "once").unwrap();
    let err = probe(&host, "future-get-twice", &[string(&target)]).unwrap_err();
    assert_eq!(
        err,
        "the result of remote demo:counter/api.{get} was already taken"
    );
}

#[test]
fn an_invalid_uri_traps_the_caller_like_golem() {
    // Golem 1.0's wasm-rpc constructor traps on anything but urn:worker:{uuid}/{name}; the
    // generated `new` checks the URI first and panics (a trap) with a clear message, while
    // `try_new` returns `Error::InvalidUri` (tests/runtime.rs).
    let host = host();
    for uri in ["worker://a/b", "urn:worker:not-a-uuid/w", "http://x"] {
        let err = host
            .call(
                "probe",
                "p",
                "test:probe/calls.{blocking-get}",
                &[string(uri)],
            )
            .unwrap_err();
        assert!(format!("{err:#}").contains("wasm backtrace"), "{err:#}");
    }
    // The probe worker is fine afterwards.
    let target = host.worker_uri("counter", "after").unwrap();
    assert_eq!(
        probe(&host, "blocking-get", &[string(&target)]),
        Ok(Some(Val::U64(0)))
    );
}

#[test]
fn successful_calls_in_every_form() {
    let host = host();
    let target = host.worker_uri("counter", "ok").unwrap();
    let results = every_form(&host, &target);
    assert_eq!(results[0], Ok(Some(Val::U64(0))));
    assert_eq!(results[1], Ok(None));
    assert_eq!(results[2], Ok(None));
    // The fire-and-forget add is queued before the future's get: 0 + 1 + 1.
    assert_eq!(results[3], Ok(Some(Val::U64(2))));
}

#[test]
fn fan_out_returns_results_in_input_order() {
    let host = host();
    let mut targets = Vec::new();
    for (i, name) in ["x", "y", "z"].iter().enumerate() {
        host.call(
            "counter",
            name,
            "demo:counter/api.{add}",
            &[Val::U64(10 * (i as u64 + 1))],
        )
        .unwrap();
        targets.push(string(&host.worker_uri("counter", name).unwrap()));
    }
    targets.push(string(UNKNOWN_COMPONENT));
    let results = host
        .call(
            "probe",
            "p",
            "test:probe/calls.{fan-out}",
            &[Val::List(targets)],
        )
        .unwrap();
    let Val::List(results) = &results[0] else {
        panic!("{results:?}")
    };
    let results: Vec<_> = results.iter().map(outcome).collect();
    assert_eq!(results[0], Ok(Some(Val::U64(10))));
    assert_eq!(results[1], Ok(Some(Val::U64(20))));
    assert_eq!(results[2], Ok(Some(Val::U64(30))));
    assert!(
        results[3]
            .as_ref()
            .unwrap_err()
            .starts_with("remote internal error: Failed to get latest version of component"),
        "{results:?}"
    );
}
