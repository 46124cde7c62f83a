//! The caller side of the counter demo: a component that calls counter workers over Golem RPC.
//!
//! The only RPC-specific line is `golem_rpc::import!`: no stub crate, no WIT edits to this
//! component's own world, no composition step.

use golem_rpc::Uri;

golem_rpc::import!("../counter/wit/counter.wit");

wit_bindgen::generate!({
    path: "wit",
    world: "caller",
});

use counter::api::{Api, Stats};

struct Caller;

/// The URN of counter worker `name`: the counter component's id comes in the worker's
/// environment (`golem-rpc-host demo` passes it, as a Golem user does when creating the worker).
fn counter_worker(name: &str) -> Uri {
    let component_id = std::env::var("COUNTER_COMPONENT_ID")
        .expect("COUNTER_COMPONENT_ID (the `counter` component's id) is in the environment");
    Uri {
        value: format!("urn:worker:{component_id}/{name}"),
    }
}

/// Waits for a future the way a component does without an async runtime: poll its pollable.
fn wait<T: golem_rpc::WitDecode>(future: &golem_rpc::FutureResult<T>) -> T {
    let pollable = future.subscribe();
    loop {
        if let Some(value) = future.get() {
            return value;
        }
        golem_rpc::poll(&[&pollable]);
    }
}

impl exports::demo::caller::run::Guest for Caller {
    fn demo(worker_name: String) -> Vec<String> {
        let api = Api::new(&counter_worker(&worker_name));
        let mut log = Vec::new();

        api.blocking_add(5);
        log.push("blocking_add(5)".to_owned());
        log.push(format!("blocking_get() = {}", api.blocking_get()));
        log.push(format!(
            "blocking_add_all([1, 2, 3]) = {}",
            api.blocking_add_all(&[1, 2, 3])
        ));
        log.push(format!(
            "blocking_try_sub(100) = {:?}",
            api.blocking_try_sub(100)
        ));
        log.push(format!(
            "blocking_try_sub(1) = {:?}",
            api.blocking_try_sub(1)
        ));
        log.push(format!(
            "blocking_tag(\"run\", Some(\"a\")) = {:?}",
            api.blocking_tag("run", Some("a"))
        ));
        log.push(format!(
            "blocking_tag(\"plain\", None) = {:?}",
            api.blocking_tag("plain", None)
        ));
        log.push(format!(
            "blocking_min_max([4, -2, 9]) = {:?}",
            api.blocking_min_max(&[4, -2, 9])
        ));
        log.push(format!(
            "blocking_min_max([]) = {:?}",
            api.blocking_min_max(&[])
        ));

        let pending = api.get();
        log.push(format!(
            "get() then subscribe/poll/get = {}",
            wait(&pending)
        ));

        api.add(10);
        log.push("add(10) [fire-and-forget]".to_owned());
        log.push(format!("blocking_get() = {}", api.blocking_get()));

        let stats = api.blocking_get_stats();
        log.push(format!("blocking_get_stats() = {stats:?}"));
        let snapshot = Stats { total: 1, ..stats };
        log.push(format!(
            "blocking_restore({snapshot:?}) = {}",
            api.blocking_restore(&snapshot)
        ));
        log.push(format!("try_blocking_get() = {:?}", api.try_blocking_get()));

        // Fan-out: three more counters, called at once and waited for with one join_all.
        let others: Vec<Api> = (1..=3)
            .map(|i| Api::new(&counter_worker(&format!("{worker_name}-{i}"))))
            .collect();
        for (i, other) in others.iter().enumerate() {
            other.add(10 * (i as u64 + 1));
        }
        let (a, b, c) = (others[0].get(), others[1].get(), others[2].get());
        golem_rpc::join_all(&[&a, &b, &c]);
        let totals = [a.get(), b.get(), c.get()].map(Option::unwrap_or_default);
        log.push(format!(
            "join_all(&[&a, &b, &c]) over 3 more counters = {totals:?}"
        ));
        log
    }

    fn total_at(target: String) -> Result<u64, String> {
        Api::new(&Uri { value: target })
            .try_blocking_get()
            .map_err(|e| e.to_string())
    }

    fn bench_blocking(worker_name: String, n: u32) -> u64 {
        let api = Api::new(&counter_worker(&worker_name));
        (0..n)
            .map(|_| api.blocking_get())
            .last()
            .unwrap_or_default()
    }
}

export!(Caller);
