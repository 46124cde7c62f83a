//! A caller for end-to-end tests: every call form of a generated client, with errors reported
//! as values instead of traps.

use golem_rpc::{Error, FutureResult, Uri};

golem_rpc::import!("../../../examples/counter/counter/wit/counter.wit");
golem_rpc::import!("../../../examples/counter/caller/wit/caller.wit");
golem_rpc::import!("../caller12/wit");

wit_bindgen::generate!({
    path: "wit",
    world: "probe",
});

use counter::api::Api;

struct Probe;

fn api(target: String) -> Api {
    Api::new(&Uri { value: target })
}

fn text<T>(result: Result<T, Error>) -> Result<T, String> {
    result.map_err(|e| e.to_string())
}

fn wait(future: &FutureResult<u64>) -> Result<u64, Error> {
    let pollable = future.subscribe();
    loop {
        if let Some(result) = future.try_get() {
            return result;
        }
        golem_rpc::poll(&[&pollable]);
    }
}

/// The shape of the fan-out loop in Golem 1.x examples: every round subscribes to everything
/// still pending, polls, and looks each pending future up in the ready list.
fn seed_style_wait(mut pending: Vec<FutureResult<u64>>) -> u64 {
    let mut total = 0;
    while !pending.is_empty() {
        let pollables: Vec<golem_rpc::Pollable> =
            pending.iter().map(FutureResult::subscribe).collect();
        let ready = golem_rpc::poll(&pollables.iter().collect::<Vec<_>>());
        drop(pollables);
        let mut still = Vec::new();
        for (i, future) in pending.into_iter().enumerate() {
            if ready.contains(&(i as u32)) {
                total += future.get().unwrap_or_default();
            } else {
                still.push(future);
            }
        }
        pending = still;
    }
    total
}

impl exports::test::probe::calls::Guest for Probe {
    fn blocking_get(target: String) -> Result<u64, String> {
        text(api(target).try_blocking_get())
    }

    fn blocking_add(target: String, value: u64) -> Result<(), String> {
        text(api(target).try_blocking_add(value))
    }

    fn fire_add(target: String, value: u64) -> Result<(), String> {
        text(api(target).try_add(value))
    }

    fn future_get(target: String) -> Result<u64, String> {
        text(wait(&api(target).get()))
    }

    fn future_get_twice(target: String) -> Result<u64, String> {
        let future = api(target).get();
        wait(&future).map_err(|e| format!("first get failed: {e}"))?;
        text(wait(&future))
    }

    fn fan_out(targets: Vec<String>) -> Vec<Result<u64, String>> {
        let clients: Vec<Api> = targets.into_iter().map(api).collect();
        let futures: Vec<_> = clients.iter().map(Api::get).collect();
        let pollables: Vec<_> = futures.iter().map(FutureResult::subscribe).collect();
        let mut results: Vec<Option<Result<u64, String>>> = futures.iter().map(|_| None).collect();
        while results.iter().any(Option::is_none) {
            let pending: Vec<usize> = (0..futures.len())
                .filter(|i| results[*i].is_none())
                .collect();
            let waiting: Vec<_> = pending.iter().map(|i| &pollables[*i]).collect();
            for ready in golem_rpc::poll(&waiting) {
                let i = pending[ready as usize];
                results[i] = futures[i].try_get().map(text);
            }
        }
        results.into_iter().flatten().collect()
    }

    fn try_new(target: String) -> Result<String, String> {
        text(Api::try_new(&Uri {
            value: target.clone(),
        }))?;
        // The client keeps the normalised URI in its `Target`.
        text(golem_rpc::Target::new(&Uri { value: target })).map(|t| t.uri().value.clone())
    }

    fn self_uri() -> String {
        golem_rpc::get_self_uri().value
    }

    fn call_self() -> Result<u64, String> {
        text(Api::new(&golem_rpc::get_self_uri()).try_blocking_get())
    }

    fn join_mixed(target: String) -> Vec<String> {
        let api = api(target);
        let (total, stats, range) = (api.get(), api.get_stats(), api.min_max(&[3, 1, 2]));
        golem_rpc::join_all(&[&total, &stats, &range]);
        vec![
            format!("{:?}", total.try_get()),
            format!("{:?}", stats.try_get()),
            format!("{:?}", range.try_get()),
        ]
    }

    fn join_many(targets: Vec<String>) -> Vec<Result<u64, String>> {
        let clients: Vec<Api> = targets.into_iter().map(api).collect();
        let futures: Vec<_> = clients.iter().map(Api::get).collect();
        let dynamic: Vec<&dyn golem_rpc::RpcFuture> = futures.iter().map(|f| f as _).collect();
        golem_rpc::join_all(&dynamic);
        assert!(
            dynamic.iter().all(|f| f.is_ready()),
            "join_all returned early"
        );
        golem_rpc::collect(&futures).into_iter().map(text).collect()
    }

    fn load(targets: Vec<String>, per_worker: u32) -> Result<u64, String> {
        let clients: Vec<Api> = targets.into_iter().map(api).collect();
        let futures: Vec<Vec<_>> = clients
            .iter()
            .map(|client| (0..per_worker).map(|_| client.add_all(&[1])).collect())
            .collect();
        let all: Vec<&dyn golem_rpc::RpcFuture> = futures
            .iter()
            .flatten()
            .map(|f| f as &dyn golem_rpc::RpcFuture)
            .collect();
        golem_rpc::join_all(&all);
        let mut checked = 0;
        for (worker, results) in futures.iter().enumerate() {
            for (i, future) in results.iter().enumerate() {
                let got = future
                    .try_get()
                    .ok_or_else(|| format!("worker {worker} call {i}: no result after join_all"))?
                    .map_err(|e| format!("worker {worker} call {i}: {e}"))?;
                if got != i as u64 + 1 {
                    return Err(format!(
                        "worker {worker} call {i}: got {got}, expected {}",
                        i + 1
                    ));
                }
                checked += 1;
            }
        }
        Ok(checked)
    }

    fn map_concurrent(targets: Vec<String>, limit: u32) -> Vec<Result<u64, String>> {
        let clients: Vec<Api> = targets.into_iter().map(api).collect();
        golem_rpc::map_concurrent(&clients, limit as usize, Api::get)
            .into_iter()
            .map(text)
            .collect()
    }

    fn select_first(targets: Vec<String>) -> u32 {
        let clients: Vec<Api> = targets.into_iter().map(api).collect();
        let futures: Vec<_> = clients.iter().map(Api::get).collect();
        let dynamic: Vec<&dyn golem_rpc::RpcFuture> = futures.iter().map(|f| f as _).collect();
        golem_rpc::select(&dynamic) as u32
    }

    fn join_timeout(
        caller_target: String,
        worker: String,
        rounds: u32,
        timeout_ms: u32,
    ) -> Result<u64, String> {
        let caller = caller::run::Run::new(&Uri {
            value: caller_target,
        });
        let pending = caller.bench_blocking(&worker, rounds);
        let timeout = std::time::Duration::from_millis(u64::from(timeout_ms));
        golem_rpc::join_all_with_timeout(&[&pending], timeout).map_err(|e| e.to_string())?;
        text(pending.try_get().expect("arrived"))
    }

    fn bench_fan_out(targets: Vec<String>, n: u32, seed_loop: bool) -> (u64, u64) {
        let clients: Vec<Api> = targets.into_iter().map(api).collect();
        let futures: Vec<FutureResult<u64>> = (0..n as usize)
            .map(|i| clients[i % clients.len()].get())
            .collect();
        for client in &clients {
            client.blocking_get();
        }
        let start = std::time::Instant::now();
        let sum = if seed_loop {
            seed_style_wait(futures)
        } else {
            let dynamic: Vec<&dyn golem_rpc::RpcFuture> = futures.iter().map(|f| f as _).collect();
            golem_rpc::join_all(&dynamic);
            futures.iter().map(|f| f.get().unwrap_or_default()).sum()
        };
        (sum, start.elapsed().as_nanos() as u64)
    }

    fn load_latency(targets: Vec<String>, per_worker: u32) -> (u64, Vec<u64>) {
        let clients: Vec<Api> = targets.into_iter().map(api).collect();
        let start = std::time::Instant::now();
        let mut pending: Vec<(std::time::Instant, FutureResult<u64>, golem_rpc::Pollable)> =
            Vec::with_capacity(clients.len() * per_worker as usize);
        for client in &clients {
            for _ in 0..per_worker {
                let future = client.get();
                let pollable = future.subscribe();
                pending.push((std::time::Instant::now(), future, pollable));
            }
        }
        let mut latencies = Vec::with_capacity(pending.len());
        while !pending.is_empty() {
            let pollables: Vec<&golem_rpc::Pollable> = pending.iter().map(|(_, _, p)| p).collect();
            let mut ready = golem_rpc::poll(&pollables);
            let now = std::time::Instant::now();
            // Highest index first, so that swap_remove keeps the lower ones valid.
            ready.sort_unstable_by(|a, b| b.cmp(a));
            for index in ready {
                let (started, future, pollable) = pending.swap_remove(index as usize);
                drop(pollable);
                let _ = future.get();
                latencies.push((now - started).as_nanos() as u64);
            }
        }
        (start.elapsed().as_nanos() as u64, latencies)
    }

    fn remote_self_uri(target: String) -> Result<String, String> {
        caller12::run::Run::new(&Uri { value: target })
            .try_blocking_self_uri()
            .map_err(|e| e.to_string())
    }

    fn blocking_latency(target: String, calls: u32) -> Vec<u64> {
        let client = api(target);
        (0..calls)
            .map(|_| {
                let started = std::time::Instant::now();
                client.blocking_get();
                started.elapsed().as_nanos() as u64
            })
            .collect()
    }

    fn async_join(first: String, second: String) -> (Result<u64, String>, Result<u64, String>) {
        let (a, b) = (api(first), api(second));
        let (x, y) = golem_rpc::block_on(async { futures::join!(a.get(), b.get()) });
        (text(x), text(y))
    }
}

export!(Probe);
