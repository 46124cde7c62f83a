//! What a Golem 1.0/1.1 worker sees in the local host, end to end through `worker-probe` (a
//! component built with golem-rust 1.1's helpers and golem-rpc side by side): its environment and
//! arguments (and what workers created through RPC inherit), `golem:api/host@0.2.0` — promises
//! across workers, oplog index, idempotency keys, metadata, worker enumeration, golem-rust's
//! guards — and ephemeral components.

use golem_rpc_host::{Host, PromiseId, WorkerId};
use golem_rpc_tests::{artifacts, host_with};

const API: &str = "test:worker-probe/api";

fn call(host: &Host, worker: &str, function: &str, args: &[&str]) -> String {
    try_call(host, worker, function, args).unwrap_or_else(|e| panic!("{function}: {e:#}"))
}

fn try_call(host: &Host, worker: &str, function: &str, args: &[&str]) -> anyhow::Result<String> {
    let (component, worker) = worker.split_once('/').expect("COMPONENT/WORKER");
    let results = host.call_wave(component, worker, &format!("{API}.{{{function}}}"), args)?;
    Ok(results.join(", "))
}

fn probe_host() -> (Host, String) {
    let host = host_with(&["wprobe"]);
    let id = host.component_id("wprobe").unwrap().to_string();
    (host, id)
}

#[test]
fn workers_see_golem_environment_and_arguments() {
    let (host, id) = probe_host();
    host.add_env("TEST_ENV", "test-value");
    host.add_arg("test-arg");
    host.add_arg("--flag");
    assert_eq!(
        call(&host, "wprobe/env-1", "environment", &[]),
        format!(
            r#"[("TEST_ENV", "test-value"), ("GOLEM_WORKER_NAME", "env-1"), ("GOLEM_COMPONENT_ID", "{id}"), ("GOLEM_COMPONENT_VERSION", "0")]"#
        )
    );
    assert_eq!(
        call(&host, "wprobe/env-1", "arguments", &[]),
        r#"["test-arg", "--flag"]"#
    );
    // A user-supplied GOLEM_WORKER_NAME is replaced by the worker's own, as in Golem.
    host.add_env("GOLEM_WORKER_NAME", "impostor");
    let env = call(&host, "wprobe/env-2", "environment", &[]);
    assert!(env.contains(r#"("GOLEM_WORKER_NAME", "env-2")"#), "{env}");
    assert!(!env.contains("impostor"), "{env}");
}

#[test]
fn workers_created_through_rpc_inherit_the_callers_arguments_and_environment() {
    let (host, id) = probe_host();
    // An existing worker keeps what it was created with.
    assert_eq!(call(&host, "wprobe/existing", "arguments", &[]), "[]");
    host.add_env("TEST_CONFIG", "123");
    host.add_arg("a");
    host.add_arg("b");
    assert_eq!(
        call(&host, "wprobe/parent", "context-of", &[r#""child""#]),
        format!(
            r#"(["a", "b"], [("TEST_CONFIG", "123"), ("GOLEM_WORKER_NAME", "child"), ("GOLEM_COMPONENT_ID", "{id}"), ("GOLEM_COMPONENT_VERSION", "0")])"#
        )
    );
    assert_eq!(
        call(&host, "wprobe/parent", "context-of", &[r#""existing""#]),
        format!(
            r#"([], [("GOLEM_WORKER_NAME", "existing"), ("GOLEM_COMPONENT_ID", "{id}"), ("GOLEM_COMPONENT_VERSION", "0")])"#
        )
    );
    // The child's metadata keeps the environment it was created with: the parent's, GOLEM_* too.
    let child = call(&host, "wprobe/child", "self-metadata", &[]);
    assert!(
        child.contains(r#"("GOLEM_WORKER_NAME", "parent")"#),
        "{child}"
    );
    assert!(child.contains(r#"args: ["a", "b"]"#), "{child}");
}

#[test]
fn promises_are_completed_across_workers() {
    let (host, id) = probe_host();
    // A fresh worker's first oplog entries: create (1), the invocation (2), the promise (3).
    let promise = call(&host, "wprobe/owner", "create-promise", &[]);
    assert_eq!(
        promise,
        format!(r#"{{component-id: "{id}", worker-name: "owner", oplog-idx: 3}}"#)
    );
    assert_eq!(
        call(
            &host,
            "wprobe/other",
            "complete-promise",
            &[&promise, "[1, 2]"]
        ),
        "true"
    );
    assert_eq!(
        call(
            &host,
            "wprobe/other",
            "complete-promise",
            &[&promise, "[9]"]
        ),
        "false"
    );
    assert_eq!(
        call(&host, "wprobe/owner", "await-promise", &[&promise]),
        "[1, 2]"
    );
    assert_eq!(
        call(&host, "wprobe/third", "await-promise", &[&promise]),
        "[1, 2]"
    );

    // Awaiting blocks the worker until the promise is completed, here from outside.
    let pending = call(&host, "wprobe/owner", "create-promise", &[]);
    let waiter = {
        let host = host.clone();
        let pending = pending.clone();
        std::thread::spawn(move || call(&host, "wprobe/owner", "await-promise", &[&pending]))
    };
    let oplog_idx: u64 = pending
        .rsplit("oplog-idx: ")
        .next()
        .and_then(|rest| rest.trim_end_matches('}').parse().ok())
        .expect("an oplog index");
    let id = PromiseId {
        worker_id: WorkerId::new(host.component_id("wprobe").unwrap(), "owner"),
        oplog_idx,
    };
    // The worker is busy awaiting: wait until it is suspended, then complete.
    while !call(&host, "wprobe/watcher", "worker-metadata", &[r#""owner""#]).contains("Suspended") {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(host.complete_promise(&id, vec![42]), Ok(true));
    assert_eq!(waiter.join().unwrap(), "[42]");
    assert_eq!(host.complete_promise(&id, vec![43]), Ok(false));

    // Deleted and unknown promises: Golem's error text, as a trap of the calling worker.
    call(&host, "wprobe/other", "delete-promise", &[&promise]);
    let err = try_call(&host, "wprobe/other", "await-promise", &[&promise]).unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.contains(&format!(
            "Promise not found: {}/owner/3",
            id.worker_id.component_id
        )),
        "{text}"
    );
    let unknown = promise.replace("oplog-idx: 3", "oplog-idx: 999");
    let err = try_call(&host, "wprobe/other", "complete-promise", &[&unknown, "[]"]).unwrap_err();
    assert!(format!("{err:#}").contains("Promise not found:"), "{err:#}");
    // The worker that trapped works again on its next call.
    assert_eq!(call(&host, "wprobe/other", "bump", &["1"]), "1");
}

#[test]
fn oplog_index_and_idempotency_keys() {
    let (host, _) = probe_host();
    // create (1), invocation (2), the no-op entry get-oplog-index appends (3).
    assert_eq!(call(&host, "wprobe/oplog", "oplog-index", &[]), "3");
    // completion of that invocation (4), the next one (5), its no-op (6).
    assert_eq!(call(&host, "wprobe/oplog", "oplog-index", &[]), "6");
    let keys = call(&host, "wprobe/oplog", "idempotency-keys", &[]);
    let again = call(&host, "wprobe/oplog", "idempotency-keys", &[]);
    let parse = |pair: &str| -> Vec<String> {
        pair.trim_matches(|c| c == '(' || c == ')')
            .split(", ")
            .map(|k| k.trim_matches('"').to_string())
            .collect()
    };
    let (keys, again) = (parse(&keys), parse(&again));
    assert_eq!(keys.len(), 2);
    assert_ne!(keys[0], keys[1]);
    assert!(!again.contains(&keys[0]) && !again.contains(&keys[1]));
    for key in keys.iter().chain(&again) {
        let uuid = golem_rpc_host::Uuid::parse_str(key).unwrap();
        assert_eq!(uuid.get_version_num(), 5, "{key}");
    }
    // Time travel needs an oplog: a clear error, and the worker goes on.
    let err = try_call(&host, "wprobe/oplog", "jump", &["2"]).unwrap_err();
    assert!(
        format!("{err:#}").contains("set-oplog-index(2) is not supported"),
        "{err:#}"
    );
    let err = try_call(&host, "wprobe/oplog", "jump", &["1000"]).unwrap_err();
    assert!(
        format!("{err:#}").contains("Attempted to jump forward in oplog to index 1001"),
        "{err:#}"
    );
}

#[test]
fn golem_rust_helpers_run() {
    let (host, _) = probe_host();
    // Oplog: create (1), invocation (2), two retry-policy changes (3, 4); the persistence level
    // and idempotence mode are not logged; a no-op (5), begin (6), no-op (7), end (8), no-op (9).
    let seen = call(&host, "wprobe/helpers", "helpers", &[]);
    assert_eq!(
        seen,
        concat!(
            r#"["retry policy: RetryPolicy { max_attempts: 3, min_delay: 100ms, max_delay: 1s, multiplier: 3.0 }", "#,
            r#""inside with_retry_policy: RetryPolicy { max_attempts: 7, min_delay: 5ms, max_delay: 2s, multiplier: 1.5 }", "#,
            r#""after: RetryPolicy { max_attempts: 3, min_delay: 100ms, max_delay: 1s, multiplier: 3.0 }", "#,
            r#""persistence level: PersistenceLevel::Smart", "inside with_persistence_level: PersistenceLevel::PersistNothing", "after: PersistenceLevel::Smart", "#,
            r#""idempotence mode: true", "inside with_idempotence_mode: false", "after: true", "#,
            r#""atomically: oplog index 5 before, 7 inside, 9 after", "oplog_commit: returned"]"#
        )
    );
}

#[test]
fn metadata_and_worker_enumeration() {
    let (host, id) = probe_host();
    host.add_arg("x");
    assert_eq!(call(&host, "wprobe/meta-1", "bump", &["1"]), "1");
    assert_eq!(
        call(&host, "wprobe/meta-2", "self-metadata", &[]),
        format!(
            r#"{{worker-name: "meta-2", component-id: "{id}", args: ["x"], env: [], status: "WorkerStatus::Running", component-version: 0, retry-count: 0}}"#
        )
    );
    let other = call(&host, "wprobe/meta-2", "worker-metadata", &[r#""meta-1""#]);
    assert!(
        other.starts_with(r#"some({worker-name: "meta-1""#),
        "{other}"
    );
    assert!(other.contains(r#"status: "WorkerStatus::Idle""#), "{other}");
    assert_eq!(
        call(&host, "wprobe/meta-2", "worker-metadata", &[r#""nobody""#]),
        "none"
    );
    assert_eq!(
        call(&host, "wprobe/meta-2", "workers", &["none"]),
        r#"["meta-1", "meta-2"]"#
    );
    assert_eq!(
        call(&host, "wprobe/meta-2", "workers", &[r#"some("-1")"#]),
        r#"["meta-1"]"#
    );
    // Every component has one version here: the update is reported and ignored.
    assert_eq!(
        call(
            &host,
            "wprobe/meta-2",
            "update-worker",
            &[r#""meta-1""#, "1"]
        ),
        ""
    );
}

#[test]
fn ephemeral_components_get_a_fresh_worker_per_client_and_instance_per_call() {
    let (host, _) = probe_host();
    let eph = host
        .add_ephemeral_component_file("eph", &artifacts()["worker-probe"])
        .unwrap()
        .to_string();
    // Every invocation of an ephemeral worker starts from a fresh instance.
    assert_eq!(call(&host, "eph/e1", "bump", &["2"]), "2");
    assert_eq!(call(&host, "eph/e1", "bump", &["3"]), "3");
    // Through `urn:worker:{component-id}`: one client's calls share a worker, a second client
    // gets another; every invocation has its own idempotency key.
    let calls = call(
        &host,
        "wprobe/caller",
        "ephemeral-calls",
        &[&format!("{eph:?}")],
    );
    let pairs: Vec<(String, String)> = calls
        .trim_matches(|c| c == '[' || c == ']')
        .split("), (")
        .map(|pair| {
            let mut parts = pair
                .trim_matches(|c| c == '(' || c == ')')
                .split(", ")
                .map(|p| p.trim_matches('"').to_string());
            (parts.next().unwrap(), parts.next().unwrap())
        })
        .collect();
    assert_eq!(pairs.len(), 3, "{calls}");
    assert_eq!(pairs[0].0, pairs[1].0, "{calls}");
    assert_ne!(pairs[1].0, pairs[2].0, "{calls}");
    golem_rpc_host::Uuid::parse_str(&pairs[0].0).expect("a generated worker name is a UUID");
    assert_ne!(pairs[0].1, pairs[1].1, "{calls}");
    assert_ne!(pairs[1].1, pairs[2].1, "{calls}");
    // Ephemeral workers are not listed.
    assert_eq!(call(&host, "eph/e2", "workers", &["none"]), "[]");
}

#[test]
fn golem_rust_uris_convert_to_golem_rpc_uris_and_back() {
    let (host, id) = probe_host();
    assert_eq!(
        call(&host, "wprobe/uri w", "uri-round-trip", &[]),
        format!(r#"("urn:worker:{id}/uri+w/api.%7Bbump%7D", "urn:worker:{id}/uri+w")"#)
    );
}
