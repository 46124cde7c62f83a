//! Benchmarks of issue #2, printed as ratios against baselines measured in the same run:
//!
//! - blocking RPC round trips per second: a caller component's `blocking_get` through the local
//!   host, against the host calling the same export directly;
//! - the release size of a component with and without `golem_rpc::import!` and its calls.
//!
//! Run with `cargo bench -p golem-rpc-tests --bench rpc`.

use std::time::{Duration, Instant};

use golem_rpc_host::Val;
use golem_rpc_host::build::build_component_with_features;
use golem_rpc_tests::{host, string};

/// Runs `f` (which does `per_run` operations) until at least `budget` has passed; returns the
/// mean time per operation.
fn time_per_op(per_run: u32, budget: Duration, mut f: impl FnMut()) -> Duration {
    f(); // warm up: instantiate workers, fill caches
    let start = Instant::now();
    let mut ops = 0u32;
    while start.elapsed() < budget {
        f();
        ops += per_run;
    }
    start.elapsed() / ops
}

fn per_second(d: Duration) -> f64 {
    1.0 / d.as_secs_f64()
}

fn main() {
    let host = host();
    let budget = Duration::from_secs(2);
    let get = "demo:counter/api.{get}";

    let direct = time_per_op(1000, budget, || {
        for _ in 0..1000 {
            host.call("counter", "bench", get, &[]).unwrap();
        }
    });
    let uri = host.worker_uri("counter", "bench").unwrap();
    let host_rpc = time_per_op(1000, budget, || {
        for _ in 0..1000 {
            host.invoke_and_await(&uri, get, Vec::new()).unwrap();
        }
    });
    const ROUND_TRIPS: u32 = 10_000;
    let bench = "demo:caller/run.{bench-blocking}";
    let call_overhead = time_per_op(1, budget / 4, || {
        host.call("caller", "c", bench, &[string("bench"), Val::U32(0)])
            .unwrap();
    });
    let guest_rpc = time_per_op(ROUND_TRIPS, budget, || {
        host.call(
            "caller",
            "c",
            bench,
            &[string("bench"), Val::U32(ROUND_TRIPS)],
        )
        .unwrap();
    });
    let guest_rpc = guest_rpc.saturating_sub(call_overhead / ROUND_TRIPS);

    println!("blocking round trips of demo:counter/api.{{get}} (mean over >= {budget:?} each)");
    println!(
        "  direct host call (baseline)        {:>9.2?}  {:>10.0}/s  1.00x",
        direct,
        per_second(direct)
    );
    println!(
        "  host invoke-and-await (wit-value)  {:>9.2?}  {:>10.0}/s  {:.2}x the baseline's time",
        host_rpc,
        per_second(host_rpc),
        host_rpc.as_secs_f64() / direct.as_secs_f64()
    );
    println!(
        "  guest blocking_get via import!     {:>9.2?}  {:>10.0}/s  {:.2}x the baseline's time",
        guest_rpc,
        per_second(guest_rpc),
        guest_rpc.as_secs_f64() / direct.as_secs_f64()
    );

    let without = build_component_with_features("size-probe", &[]).unwrap();
    let with = build_component_with_features("size-probe", &["rpc"]).unwrap();
    let size = |p: &std::path::Path| std::fs::metadata(p).unwrap().len();
    let (without, with) = (size(&without), size(&with));
    println!("release component size (tests/components/size-probe, profile wasm-release)");
    println!("  without import! (baseline)         {without:>8} bytes  1.00x");
    println!(
        "  with import! + one call per form   {with:>8} bytes  {:.2}x  (+{} bytes; a Golem 1.0 stubgen stub adds ~95-120 KB)",
        with as f64 / without as f64,
        with - without
    );
}
