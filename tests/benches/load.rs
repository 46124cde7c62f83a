//! Load on the local host: calls/s and latency percentiles for 1, 100 and 1 000 workers with 1
//! and 100 calls in flight to each, against the single call (1 worker, 1 in flight) measured in
//! the same run, and the host's peak memory for each.
//!
//! A caller component (`probe.load-latency`) starts every call, then waits for all of them with
//! `wasi:io/poll`, noting inside the component when each result arrived; a call's latency is
//! from its start to the poll that saw it. Run with `cargo bench -p golem-rpc-tests --bench load`.

use std::time::Duration;

use golem_rpc_host::Val;
use golem_rpc_tests::{host, string};

/// The process's peak resident memory since the last reset, in MiB (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Resets the peak to the current resident memory (Linux; ignored elsewhere).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

struct Run {
    calls: usize,
    elapsed: Duration,
    latencies: Vec<u64>,
}

impl Run {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        Duration::from_nanos(sorted[at])
    }

    fn per_second(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64()
    }
}

fn run(host: &golem_rpc_host::Host, targets: &[Val], per_worker: u32, rounds: usize) -> Run {
    let mut total = Run {
        calls: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for _ in 0..rounds {
        let result = host
            .call(
                "probe",
                "load",
                "test:probe/calls.{load-latency}",
                &[Val::List(targets.to_vec()), Val::U32(per_worker)],
            )
            .unwrap();
        let [Val::Tuple(pair)] = &result[..] else {
            panic!("{result:?}")
        };
        let (Val::U64(nanos), Val::List(latencies)) = (&pair[0], &pair[1]) else {
            panic!("{pair:?}")
        };
        total.elapsed += Duration::from_nanos(*nanos);
        total.calls += latencies.len();
        total.latencies.extend(latencies.iter().map(|l| match l {
            Val::U64(l) => *l,
            other => panic!("{other:?}"),
        }));
    }
    total
}

/// One call at a time, blocking and async, each timed inside the caller: the spread within a run
/// (p99/p50) and between runs (each run a separate `host.call` of the probe).
fn single_calls(host: &golem_rpc_host::Host, target: &[Val]) {
    const CALLS: u32 = 20_000;
    println!("single calls: one `get` at a time, timed inside the caller ({CALLS} per run)");
    println!(
        "  {:>8} {:>4} {:>10} {:>10} {:>10} {:>10} {:>8}",
        "kind", "run", "p50", "p99", "p99.9", "max", "p99/p50"
    );
    let print = |kind: &str, round: usize, result: &Run| {
        println!(
            "  {:>8} {:>4} {:>10.2?} {:>10.2?} {:>10.2?} {:>10.2?} {:>8.2}",
            kind,
            round,
            result.percentile(0.5),
            result.percentile(0.99),
            result.percentile(0.999),
            result.percentile(1.0),
            result.percentile(0.99).as_secs_f64() / result.percentile(0.5).as_secs_f64(),
        );
    };
    let mut blocking_p50 = Duration::ZERO;
    for round in 1..=3 {
        let result = host
            .call(
                "probe",
                "single",
                "test:probe/calls.{blocking-latency}",
                &[target[0].clone(), Val::U32(CALLS)],
            )
            .unwrap();
        let [Val::List(latencies)] = &result[..] else {
            panic!("{result:?}")
        };
        let latencies: Vec<u64> = latencies
            .iter()
            .map(|l| match l {
                Val::U64(l) => *l,
                other => panic!("{other:?}"),
            })
            .collect();
        let run = Run {
            calls: latencies.len(),
            elapsed: Duration::from_nanos(latencies.iter().sum()),
            latencies,
        };
        print("blocking", round, &run);
        blocking_p50 = run.percentile(0.5);
    }
    print("machine", 0, &machine_floor(blocking_p50, CALLS));
    let mut async_p50 = Duration::ZERO;
    for round in 1..=3 {
        let run = run(host, target, 1, 2_000);
        print("async", round, &run);
        async_p50 = run.percentile(0.5);
    }
    print("machine", 0, &machine_floor(async_p50, CALLS));
    println!(
        "  (machine: a native loop of the same median length, timed the same way: this machine's \
         own noise floor)"
    );
}

/// `samples` runs of a plain native loop calibrated to take about `length` each, timed like the
/// calls: what the machine itself adds (interrupts, other tenants of a virtual machine) to
/// anything that short.
fn machine_floor(length: Duration, samples: u32) -> Run {
    fn work(iterations: u64) -> u64 {
        let mut x = 0u64;
        for i in 0..iterations {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        x
    }
    let probe = 100_000u64;
    let start = std::time::Instant::now();
    work(probe);
    let per_iteration = start.elapsed().as_secs_f64() / probe as f64;
    let iterations = ((length.as_secs_f64() / per_iteration) as u64).max(1);
    let latencies: Vec<u64> = (0..samples)
        .map(|_| {
            let start = std::time::Instant::now();
            work(iterations);
            start.elapsed().as_nanos() as u64
        })
        .collect();
    Run {
        calls: latencies.len(),
        elapsed: Duration::from_nanos(latencies.iter().sum()),
        latencies,
    }
}

fn main() {
    let host = host();
    let workers = |n: usize| -> Vec<Val> {
        (0..n)
            .map(|i| string(&host.worker_uri("counter", &format!("load-{i}")).unwrap()))
            .collect()
    };
    // Warm up: create the workers' instances.
    run(&host, &workers(1_000), 1, 1);
    single_calls(&host, &workers(1));
    println!(
        "load: `get` calls through the local host, started together, waited for with wasi:io/poll"
    );
    println!(
        "  {:>7} {:>9} {:>9} {:>12} {:>10} {:>10} {:>8} {:>10} {:>9}",
        "workers", "in flight", "calls", "calls/s", "p50", "p99", "p99/p50", "p50/base", "peak MiB"
    );
    let mut baseline = None;
    for (n, per_worker, rounds) in [
        (1, 1, 2_000),
        (1, 100, 50),
        (100, 1, 50),
        (100, 100, 5),
        (1_000, 1, 10),
        (1_000, 100, 1),
    ] {
        let targets = workers(n);
        reset_peak();
        let result = run(&host, &targets, per_worker, rounds);
        let p50 = result.percentile(0.5);
        let p99 = result.percentile(0.99);
        let base = *baseline.get_or_insert(p50);
        println!(
            "  {:>7} {:>9} {:>9} {:>12.0} {:>10.2?} {:>10.2?} {:>8.2} {:>9.1}x {:>9.0}",
            n,
            per_worker,
            result.calls,
            result.per_second(),
            p50,
            p99,
            p99.as_secs_f64() / p50.as_secs_f64(),
            p50.as_secs_f64() / base.as_secs_f64(),
            peak_rss_mib().unwrap_or(f64::NAN),
        );
    }
}
