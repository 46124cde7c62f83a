//! Guests that misbehave: every fault is a typed error for the caller, the host and the other
//! workers carry on, and the host process can always end.

mod common;

use std::time::{Duration, Instant};

use common::{new_host, u64v, unique, wv};
use golem_rpc_host::{Host, RpcError, WitNode, WitValue};

fn trap(function: &str) -> String {
    format!("test:trap/api.{{{function}}}")
}

fn call(
    host: &Host,
    worker: &str,
    function: &str,
    params: Vec<WitValue>,
) -> Result<WitValue, RpcError> {
    let uri = host.worker_uri("trap", worker).unwrap();
    host.invoke_and_await(&uri, &trap(function), params)
}

fn internal_error(result: Result<WitValue, RpcError>) -> String {
    match result {
        Err(RpcError::RemoteInternalError(message)) => message,
        other => panic!("expected remote-internal-error, got {other:?}"),
    }
}

/// The worker answers `ok` again (42) after its failure, on a fresh instance.
fn recovers(host: &Host, worker: &str) {
    let reply = call(host, worker, "ok", vec![]).expect("the worker works again");
    assert_eq!(reply.nodes[1], WitNode::PrimU32(42));
}

#[test]
fn a_worker_allocating_without_bound_hits_its_memory_limit() {
    let host = new_host();
    host.set_memory_limit(64 << 20);
    let worker = unique("hog");
    // Within the limit: fine.
    let fine = call(&host, &worker, "hog", vec![wv(vec![WitNode::PrimU32(16)])]).unwrap();
    assert_eq!(fine.nodes[1], WitNode::PrimU32(16));
    // Past it: a typed error, not a host crash.
    let message = internal_error(call(
        &host,
        &worker,
        "hog",
        vec![wv(vec![WitNode::PrimU32(4096)])],
    ));
    assert!(message.contains("Runtime error"), "{message}");
    assert!(message.contains("memory"), "{message}");
    recovers(&host, &worker);
}

#[test]
fn the_default_memory_limit_stops_a_runaway_worker_at_a_gibibyte() {
    let host = new_host();
    let worker = unique("hog");
    let message = internal_error(call(
        &host,
        &worker,
        "hog",
        vec![wv(vec![WitNode::PrimU32(1536)])],
    ));
    assert!(message.contains("memory"), "{message}");
    recovers(&host, &worker);
}

#[test]
fn unbounded_recursion_is_a_typed_error() {
    let host = new_host();
    let worker = unique("deep");
    let shallow = call(&host, &worker, "recurse", vec![u64v(1000)]).unwrap();
    assert_eq!(shallow.nodes[1], WitNode::PrimU64(1000));
    let message = internal_error(call(&host, &worker, "recurse", vec![u64v(u64::MAX)]));
    // Rust guests keep their stack in linear memory: deep recursion overruns it (an
    // out-of-bounds access) before wasm's own call stack is exhausted. Either way: a trap.
    assert!(message.contains("wasm trap"), "{message}");
    recovers(&host, &worker);
}

#[test]
fn an_invocation_timeout_stops_a_callee_that_never_returns() {
    let host = new_host();
    host.set_invocation_timeout(Some(Duration::from_millis(200)));
    let worker = unique("spin");
    let started = Instant::now();
    let message = internal_error(call(&host, &worker, "spin", vec![]));
    assert!(message.contains("deadline"), "{message}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "stopped in time"
    );
    recovers(&host, &worker);
    // Off again: calls are unbounded, as on Golem.
    host.set_invocation_timeout(None);
    recovers(&host, &worker);
}

#[test]
fn shutdown_stops_what_still_runs_and_says_what_it_was() {
    let host = new_host();
    let spinner = unique("spin");
    let uri = host.worker_uri("trap", &spinner).unwrap();
    host.invoke(&uri, &trap("spin"), vec![]).unwrap();
    let done = unique("done");
    let done_uri = host.worker_uri("trap", &done).unwrap();
    host.invoke(&done_uri, &trap("ok"), vec![]).unwrap();
    let stopped = host.shutdown(Duration::from_millis(300));
    assert_eq!(stopped, [format!("test:trap/api.{{spin}} on worker {uri}")]);
}

#[test]
fn a_storm_of_traps_leaves_other_workers_alone() {
    let host = new_host();
    let bystander = unique("bystander");
    let storm: Vec<String> = (0..40).map(|i| unique(&format!("storm{i}"))).collect();
    std::thread::scope(|scope| {
        for worker in &storm {
            let host = &host;
            scope.spawn(move || {
                for _ in 0..5 {
                    let message = internal_error(call(host, worker, "boom", vec![]));
                    assert!(message.contains("Runtime error"), "{message}");
                }
            });
        }
        for _ in 0..20 {
            recovers(&host, &bystander);
        }
    });
    for worker in &storm {
        recovers(&host, worker);
    }
    let calls = call(&host, &bystander, "calls", vec![]).unwrap();
    assert_eq!(calls.nodes[1], WitNode::PrimU32(20));
}
