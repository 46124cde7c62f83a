//! The runtime's helpers end to end: URIs, the calling worker's own URI, the self-call guard,
//! and waiting for many calls (`join_all`, `collect`, `select`, `map_concurrent`, timeouts,
//! `block_on` with `futures::join!`), each run inside the probe component.

use golem_rpc_host::{Host, Val};
use golem_rpc_tests::{host, outcome, string, strings};

fn call(host: &Host, function: &str, args: &[Val]) -> Val {
    host.call(
        "probe",
        "p",
        &format!("test:probe/calls.{{{function}}}"),
        args,
    )
    .unwrap_or_else(|e| panic!("{function}: {e:#}"))
    .remove(0)
}

/// Counter workers `c0`.. holding the values `values[i]`, as URI arguments.
fn counters(host: &Host, values: &[u64]) -> Vec<Val> {
    values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let name = format!("c{i}");
            host.call(
                "counter",
                &name,
                "demo:counter/api.{add}",
                &[Val::U64(*value)],
            )
            .unwrap();
            string(&host.worker_uri("counter", &name).unwrap())
        })
        .collect()
}

fn u64s(value: &Val) -> Vec<Result<u64, String>> {
    let Val::List(items) = value else {
        panic!("{value:?}")
    };
    items
        .iter()
        .map(|item| {
            outcome(item).map(|v| match v {
                Some(Val::U64(n)) => n,
                other => panic!("{other:?}"),
            })
        })
        .collect()
}

#[test]
fn get_self_uri_is_the_worker_urn_and_a_usable_target() {
    let host = host();
    let expected = host.worker_uri("probe", "p").unwrap();
    let Val::String(uri) = call(&host, "self-uri", &[]) else {
        panic!()
    };
    assert_eq!(uri, expected);
    // Another party can call the worker back through that URI.
    let reply = host
        .invoke_and_await(&uri, "test:probe/calls.{self-uri}", Vec::new())
        .unwrap();
    assert_eq!(reply.nodes[1], golem_rpc_host::WitNode::PrimString(uri));
}

#[test]
fn a_blocking_call_to_yourself_is_an_error_not_a_deadlock() {
    let host = host();
    let err = outcome(&call(&host, "call-self", &[])).unwrap_err();
    assert_eq!(
        err,
        "blocking call of remote demo:counter/api.{get} on the calling worker itself would never \
         return; use the non-blocking form or another worker"
    );
}

#[test]
fn try_new_validates_and_normalises_uris() {
    let host = host();
    let id = host.component_id("counter").unwrap();
    let normalised = format!("urn:worker:{id}/my+worker");
    for given in [
        format!("urn:worker:{id}/my+worker"),
        format!("worker://{id}/my worker"),
    ] {
        assert_eq!(
            outcome(&call(&host, "try-new", &[string(&given)])),
            Ok(Some(string(&normalised)))
        );
    }
    let err = outcome(&call(&host, "try-new", &[string("http://example.com/w")])).unwrap_err();
    assert!(
        err.starts_with(
            "Invalid URI: http://example.com/w. Must be urn:worker:component-id/worker-name ("
        ),
        "{err}"
    );
    let err = outcome(&call(
        &host,
        "try-new",
        &[string(&format!("urn:worker:{id}/w/f"))],
    ))
    .unwrap_err();
    assert!(err.contains("it names a function, not a worker"), "{err}");
}

#[test]
fn join_all_waits_for_futures_of_different_types() {
    let host = host();
    let target = counters(&host, &[5]).remove(0);
    assert_eq!(
        strings(&call(&host, "join-mixed", &[target])),
        [
            "Some(Ok(5))",
            "Some(Ok(Stats { total: 5, calls: 3, last: Some(5), labels: [] }))",
            "Some(Ok(Some((1, 3))))",
        ]
    );
}

#[test]
fn collect_and_map_concurrent_keep_input_order() {
    let host = host();
    let values: Vec<u64> = (1..=12).map(|i| i * 100).collect();
    let mut targets = counters(&host, &values);
    targets.push(string(
        "urn:worker:00000000-0000-0000-0000-000000000000/nobody",
    ));
    let many = u64s(&call(&host, "join-many", &[Val::List(targets.clone())]));
    let limited = u64s(&call(
        &host,
        "map-concurrent",
        &[Val::List(targets), Val::U32(3)],
    ));
    for results in [many, limited] {
        assert_eq!(results.len(), 13);
        for (i, value) in values.iter().enumerate() {
            assert_eq!(results[i], Ok(*value), "position {i}");
        }
        assert!(
            results[12]
                .as_ref()
                .unwrap_err()
                .starts_with("remote internal error: Failed to get latest version of component"),
            "{results:?}"
        );
    }
}

#[test]
fn select_returns_a_ready_future() {
    let host = host();
    let targets = counters(&host, &[1, 2, 3]);
    let Val::U32(first) = call(&host, "select-first", &[Val::List(targets)]) else {
        panic!()
    };
    assert!(first < 3);
}

#[test]
fn join_all_with_timeout_gives_up_and_succeeds_in_time() {
    let host = host();
    let caller = string(&host.worker_uri("caller", "slow").unwrap());
    // 200 000 blocking round trips take far longer than 20 ms.
    let slow = call(
        &host,
        "join-timeout",
        &[caller.clone(), string("t"), Val::U32(200_000), Val::U32(20)],
    );
    assert_eq!(
        outcome(&slow),
        Err("timed out with 1 of 1 calls still pending".into())
    );
    let fast = call(
        &host,
        "join-timeout",
        &[
            string(&host.worker_uri("caller", "fast").unwrap()),
            string("t"),
            Val::U32(3),
            Val::U32(60_000),
        ],
    );
    assert_eq!(outcome(&fast), Ok(Some(Val::U64(0))));
    host.wait_for_background();
}

#[test]
fn block_on_drives_futures_join() {
    let host = host();
    let targets = counters(&host, &[7, 9]);
    let result = call(&host, "async-join", &targets);
    let Val::Tuple(pair) = result else {
        panic!("{result:?}")
    };
    assert_eq!(outcome(&pair[0]), Ok(Some(Val::U64(7))));
    assert_eq!(outcome(&pair[1]), Ok(Some(Val::U64(9))));
}

/// Load: 100 calls in flight to each of 1 000 workers (100 000 through one `join_all`), every
/// result correct and in per-worker call order. The host queues them for a bounded pool of
/// threads (no thread per call).
#[test]
fn a_hundred_thousand_calls_in_flight() {
    let host = host();
    let targets: Vec<String> = (0..1_000)
        .map(|i| host.worker_uri("counter", &format!("load-{i}")).unwrap())
        .collect();
    let list = Val::List(targets.iter().map(|t| string(t)).collect());
    let started = std::time::Instant::now();
    let result = call(&host, "load", &[list, Val::U32(100)]);
    assert_eq!(outcome(&result), Ok(Some(Val::U64(100_000))), "{result:?}");
    println!("100 000 calls in flight: {:?}", started.elapsed());
}

/// A callee that never returns (here: four billion round trips): the caller gives up with
/// `join_all_with_timeout` and goes on, and the host can still end, naming what it stopped.
#[test]
fn a_caller_gives_up_on_a_callee_that_never_returns() {
    let host = host();
    let callee = host.worker_uri("caller", "endless").unwrap();
    let result = call(
        &host,
        "join-timeout",
        &[
            string(&callee),
            string("t"),
            Val::U32(u32::MAX),
            Val::U32(50),
        ],
    );
    assert_eq!(
        outcome(&result),
        Err("timed out with 1 of 1 calls still pending".into())
    );
    // The caller goes on.
    assert!(call(&host, "self-uri", &[]) != Val::String(String::new()));
    let stopped = host.shutdown(std::time::Duration::from_millis(200));
    assert_eq!(
        stopped,
        [format!(
            "demo:caller/run.{{bench-blocking}} on worker {callee}"
        )]
    );
}
