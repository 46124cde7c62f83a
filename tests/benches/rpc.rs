//! Benchmarks of issue #2, printed as ratios against baselines measured in the same run:
//!
//! - blocking RPC round trips per second: a caller component's `blocking_get` through the local
//!   host, against the host calling the same export directly;
//! - `join_all` against the seed's hand-written poll loop for 10 to 10 000 futures;
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

/// `join_all` against the seed's hand-written poll loop, for growing numbers of futures whose
/// results have all arrived: only the waiting and bookkeeping inside the component is timed.
fn fan_out(host: &golem_rpc_host::Host) {
    let targets: Vec<Val> = (0..100)
        .map(|i| string(&host.worker_uri("counter", &format!("fan-{i}")).unwrap()))
        .collect();
    println!(
        "fan-out: taking N arrived `get` results (100 counter workers), timed inside the probe component"
    );
    println!(
        "  {:>6}  {:>12}  {:>12}  {:>16}",
        "N", "join_all", "seed loop", "seed / join_all"
    );
    for n in [10u32, 100, 1_000, 10_000] {
        let run = |seed: bool| {
            let args = [Val::List(targets.clone()), Val::U32(n), Val::Bool(seed)];
            let rounds = if n >= 10_000 { 3 } else { 10 };
            let mut best = Duration::MAX;
            for _ in 0..rounds {
                let result = host
                    .call("probe", "fan", "test:probe/calls.{bench-fan-out}", &args)
                    .unwrap();
                let [Val::Tuple(pair)] = &result[..] else {
                    panic!("{result:?}")
                };
                let Val::U64(nanos) = pair[1] else {
                    panic!("{pair:?}")
                };
                best = best.min(Duration::from_nanos(nanos));
            }
            best
        };
        let join = run(false);
        let seed = run(true);
        println!(
            "  {n:>6}  {join:>12.2?}  {seed:>12.2?}  {:>15.2}x",
            seed.as_secs_f64() / join.as_secs_f64()
        );
    }
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

    fan_out(&host);

    let size = |features: &[&str]| {
        let path = build_component_with_features("size-probe", features).unwrap();
        std::fs::metadata(path).unwrap().len()
    };
    let (minimal, typical, with) = (size(&[]), size(&["fmt"]), size(&["rpc"]));
    let many = size(&["many"]);
    println!("release component size (tests/components/size-probe, profile wasm-release)");
    println!("  minimal component, no fmt/panics      {minimal:>8} bytes");
    println!("  typical component: formats, panics    {typical:>8} bytes  1.00x (baseline)");
    println!(
        "  typical + import! + one call per form {with:>8} bytes  {:.2}x  (+{} bytes over typical, +{} over minimal; a Golem 1.0 stubgen stub adds ~95-120 KB)",
        with as f64 / typical as f64,
        with - typical,
        with - minimal
    );
    println!(
        "  + 10 more interfaces x 10 functions    {many:>8} bytes  (+{} bytes: {} bytes per interface, each function called once; goal <= 5 KB)",
        many - with,
        (many - with) / 10
    );
}
