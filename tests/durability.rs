//! Durable workers: with a data directory a host that stops and a new one on the same directory
//! see the same workers. Golem's `*_with_restart` RPC tests (`rust_rpc.rs`, which restart the
//! executor between two calls) on the Golem 1.3 application built with Golem's own toolchain
//! (`tests/golem13-rpc`), each host a new `Host` on the same directory.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use golem_rpc_host::{Generation, Host, Output};

fn components() -> &'static std::collections::BTreeMap<String, PathBuf> {
    static BUILT: OnceLock<std::collections::BTreeMap<String, PathBuf>> = OnceLock::new();
    BUILT.get_or_init(|| {
        golem_rpc_tests::golem_app_components("tests/golem13-rpc", &["counters", "caller"])
    })
}

/// A fresh, empty data directory, removed when the test ends.
struct DataDir(PathBuf);

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn data_dir() -> DataDir {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "golem-rpc-durability-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    DataDir(dir)
}

/// A host on `dir` with the application's components, as a new executor process finds them
/// (without a directory: a host that keeps nothing).
fn host_on(dir: Option<&DataDir>) -> Host {
    let host = match dir {
        Some(dir) => Host::with_data_dir(&dir.0).expect("a host on the data directory"),
        None => Host::new().expect("a host"),
    };
    host.set_output(Output::Capture);
    host.set_default_generation(Generation::Golem1_3);
    let counters = host
        .add_component_file("counters", &components()["counters"])
        .unwrap();
    host.add_component_file("caller", &components()["caller"])
        .unwrap();
    host.add_env("COUNTERS_COMPONENT_ID", counters.to_string());
    host
}

fn call(host: &Host, worker: &str, function: &str) -> String {
    host.call_wave(
        "caller",
        worker,
        &format!("rpc:caller-exports/caller-inline-functions.{{{function}}}"),
        &[] as &[&str],
    )
    .unwrap_or_else(|e| panic!("{function}: {e:#}"))
    .remove(0)
}

/// Stops a host as a process ends (what it would have run in the background is cut off).
fn stop(host: Host) {
    host.shutdown(Duration::from_secs(1));
    drop(host);
}

#[test]
fn counter_resource_test_2_with_restart_keeps_the_remote_resource() {
    let dir = data_dir();
    let first = host_on(Some(&dir));
    assert_eq!(call(&first, "rpc-counters-2r", "test2"), "1");
    let printed = |host: &Host| {
        String::from_utf8_lossy(&host.worker_output("counters", "counters_test2").stdout)
            .into_owned()
    };
    assert!(
        printed(&first).contains("new counter counter"),
        "{}",
        printed(&first)
    );
    stop(first);
    let second = host_on(Some(&dir));
    // The caller's state (the counter it holds) and the counter worker's both come back, and
    // what the counter printed when its counter was made is not printed again.
    assert_eq!(call(&second, "rpc-counters-2r", "test2"), "2");
    assert_eq!(printed(&second), "");
    stop(second);
    let third = host_on(Some(&dir));
    assert_eq!(call(&third, "rpc-counters-2r", "test2"), "3");
}

/// Calls `function` on caller worker `worker` once in each of a sequence of hosts on one
/// directory (each stopped before the next starts): the answers, in order.
fn across_restarts(worker: &str, function: &str, hosts: usize) -> Vec<String> {
    let dir = data_dir();
    (0..hosts)
        .map(|_| {
            let host = host_on(Some(&dir));
            let answer = call(&host, worker, function);
            stop(host);
            answer
        })
        .collect()
}

#[test]
fn counter_resource_test_3_with_restart_keeps_the_global_state() {
    assert_eq!(across_restarts("rpc-counters-3r", "test3", 2), ["1", "2"]);
}

#[test]
fn counter_resource_test_5_with_restart_replays_calls_in_flight() {
    assert_eq!(
        across_restarts("rpc-counters-5r", "test5", 2),
        ["[3, 3, 3]", "[3, 3, 3]"]
    );
}

#[test]
fn without_a_data_directory_a_new_host_starts_afresh() {
    let host = host_on(None);
    assert_eq!(call(&host, "w", "test3"), "1");
    assert_eq!(call(&host, "w", "test3"), "2");
    // A new executor without a data directory: nothing of the first host's workers remains.
    let again = host_on(None);
    assert_eq!(call(&again, "w", "test3"), "1");
}
