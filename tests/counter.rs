//! The counter example end to end: the caller component, built with `golem_rpc::import!`,
//! calls a counter worker through the local host with every call form.

use golem_rpc_host::Val;
use golem_rpc_tests::{host, string, strings};

#[test]
fn demo_transcript_shows_every_call_form_with_its_value() {
    let host = host();
    let results = host
        .call(
            "caller",
            "c1",
            "demo:caller/run.{demo}",
            &[string("counter-1")],
        )
        .unwrap();
    assert_eq!(
        strings(&results[0]),
        [
            "blocking_add(5)",
            "blocking_get() = 5",
            "blocking_add_all([1, 2, 3]) = 11",
            "blocking_try_sub(100) = Err(\"cannot subtract 100 from 11\")",
            "blocking_try_sub(1) = Ok(10)",
            "blocking_tag(\"run\", Some(\"a\")) = \"run-a\"",
            "blocking_tag(\"plain\", None) = \"plain\"",
            "blocking_min_max([4, -2, 9]) = Some((-2, 9))",
            "blocking_min_max([]) = None",
            "get() then subscribe/poll/get = 10",
            "add(10) [fire-and-forget]",
            "blocking_get() = 20",
            "blocking_get_stats() = Stats { total: 20, calls: 13, last: Some(10), labels: [\"run-a\", \"plain\"] }",
            "blocking_restore(Stats { total: 1, calls: 13, last: Some(10), labels: [\"run-a\", \"plain\"] }) = true",
            "try_blocking_get() = Ok(1)",
            "join_all(&[&a, &b, &c]) over 3 more counters = [10, 20, 30]",
        ]
    );
    // The calls really changed the counter worker: ask it directly, not through the caller.
    let total = host
        .call("counter", "counter-1", "demo:counter/api.{get}", &[])
        .unwrap();
    assert_eq!(total, [Val::U64(1)]);
    let stats = host
        .call_wave(
            "counter",
            "counter-1",
            "demo:counter/api.{get-stats}",
            &[] as &[&str],
        )
        .unwrap();
    // 15 calls from the demo, then the direct `get` and this `get-stats`.
    assert_eq!(
        stats,
        [r#"{total: 1, calls: 17, last: some(10), labels: ["run-a", "plain"]}"#]
    );
}

#[test]
fn workers_are_separate_and_created_on_first_use() {
    let host = host();
    host.call("caller", "c1", "demo:caller/run.{demo}", &[string("a")])
        .unwrap();
    let uri = host.worker_uri("counter", "b").unwrap();
    let fresh = host
        .call(
            "caller",
            "c1",
            "demo:caller/run.{total-at}",
            &[string(&uri)],
        )
        .unwrap();
    assert_eq!(fresh, [Val::Result(Ok(Some(Box::new(Val::U64(0)))))]);
    let uri = host.worker_uri("counter", "a").unwrap();
    let used = host
        .call(
            "caller",
            "c2",
            "demo:caller/run.{total-at}",
            &[string(&uri)],
        )
        .unwrap();
    assert_eq!(used, [Val::Result(Ok(Some(Box::new(Val::U64(1)))))]);
}

#[test]
fn many_blocking_round_trips_from_one_call() {
    let host = host();
    host.call("counter", "n", "demo:counter/api.{add}", &[Val::U64(7)])
        .unwrap();
    let last = host
        .call(
            "caller",
            "c",
            "demo:caller/run.{bench-blocking}",
            &[string("n"), Val::U32(500)],
        )
        .unwrap();
    assert_eq!(last, [Val::U64(7)]);
    let stats = host
        .call_wave(
            "counter",
            "n",
            "demo:counter/api.{get-stats}",
            &[] as &[&str],
        )
        .unwrap();
    assert!(stats[0].starts_with("{total: 7, calls: 502,"), "{stats:?}");
}
