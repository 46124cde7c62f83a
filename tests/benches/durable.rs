//! Durable workers (issue #24), measured against the in-memory host in the same run:
//!
//! - blocking RPC from a guest (the probe's `blocking-latency`: per-call latencies of
//!   `blocking_get`) with no data directory and with one (every call and answer, and the clock
//!   readings around it, in the oplog): calls/s, p50, p99, and the ratio;
//! - oplog bytes per RPC call (the caller's oplog file over the calls it made);
//! - recovery: a counter worker with 10 000 recorded invocations, recovered by a new host on the
//!   same directory (its first call after the restart), against running those invocations.
//!
//! Run with `cargo bench -p golem-rpc-tests --bench durable`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use golem_rpc_host::{Host, Output, Val};
use golem_rpc_tests::{artifacts, string};

fn host(dir: Option<&Path>) -> Host {
    let host = match dir {
        Some(dir) => Host::with_data_dir(dir).unwrap(),
        None => Host::new().unwrap(),
    };
    host.set_output(Output::Capture);
    let built = artifacts();
    host.add_component_file("counter", &built["counter-target"])
        .unwrap();
    host.add_component_file("probe", &built["probe"]).unwrap();
    host
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("golem-rpc-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Per-call latencies of `calls` blocking RPC calls made by the probe worker `worker`.
fn latencies(host: &Host, worker: &str, calls: u32) -> Vec<u64> {
    let target = host.worker_uri("counter", "bench").unwrap();
    let result = host
        .call(
            "probe",
            worker,
            "test:probe/calls.{blocking-latency}",
            &[string(&target), Val::U32(calls)],
        )
        .unwrap();
    match &result[..] {
        [Val::List(items)] => items
            .iter()
            .map(|v| match v {
                Val::U64(n) => *n,
                other => panic!("{other:?}"),
            })
            .collect(),
        other => panic!("{other:?}"),
    }
}

struct Stats {
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

fn stats(mut nanos: Vec<u64>) -> Stats {
    nanos.sort_unstable();
    let at = |q: f64| Duration::from_nanos(nanos[((nanos.len() - 1) as f64 * q) as usize]);
    let mean = nanos.iter().sum::<u64>() as f64 / nanos.len() as f64;
    Stats {
        per_second: 1e9 / mean,
        p50: at(0.5),
        p99: at(0.99),
    }
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                dir_bytes(&path)
            } else {
                entry.metadata().map_or(0, |m| m.len())
            }
        })
        .sum()
}

fn main() {
    const CALLS: u32 = 5_000;
    let memory = host(None);
    latencies(&memory, "warm", 100);
    let in_memory = stats(latencies(&memory, "p", CALLS));

    let dir = temp_dir("rpc");
    let durable_host = host(Some(&dir));
    latencies(&durable_host, "warm", 100);
    let before = dir_bytes(&dir);
    let durable = stats(latencies(&durable_host, "p", CALLS));
    let oplog_bytes = dir_bytes(&dir) - before;

    println!(
        "blocking RPC from a guest ({CALLS} calls of demo:counter/api.{{get}}, per-call latency)"
    );
    println!(
        "  {:<28} {:>10} {:>10} {:>10} {:>8}",
        "", "calls/s", "p50", "p99", "time"
    );
    for (name, s) in [
        ("in memory (baseline)", &in_memory),
        ("durable (--data-dir)", &durable),
    ] {
        println!(
            "  {:<28} {:>10.0} {:>10.2?} {:>10.2?} {:>7.2}x",
            name,
            s.per_second,
            s.p50,
            s.p99,
            in_memory.per_second / s.per_second
        );
    }
    println!(
        "  oplog bytes per RPC call: {} (both workers' entries: the caller's call and answer, its clock readings, the counter's invocation)",
        oplog_bytes / u64::from(CALLS)
    );
    drop(durable_host);
    let _ = std::fs::remove_dir_all(&dir);

    const INVOCATIONS: u32 = 10_000;
    let dir = temp_dir("recovery");
    let first = host(Some(&dir));
    let started = Instant::now();
    for _ in 0..INVOCATIONS {
        first
            .call("counter", "r", "demo:counter/api.{add}", &[Val::U64(1)])
            .unwrap();
    }
    let running = started.elapsed();
    drop(first);
    let second = host(Some(&dir));
    let started = Instant::now();
    let total = second
        .call("counter", "r", "demo:counter/api.{get}", &[])
        .unwrap();
    let recovery = started.elapsed();
    assert_eq!(total, [Val::U64(u64::from(INVOCATIONS))]);
    println!(
        "recovering a worker with {INVOCATIONS} recorded invocations (a new host on its data directory)"
    );
    println!("  running them (baseline)   {running:>10.2?}  1.00x");
    println!(
        "  recovery by replay        {recovery:>10.2?}  {:.2}x the baseline's time",
        recovery.as_secs_f64() / running.as_secs_f64()
    );
    drop(second);
    let _ = std::fs::remove_dir_all(&dir);
}
