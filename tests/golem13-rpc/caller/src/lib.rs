//! The caller of Golem's RPC tests for Golem 1.3 (and, built from `tests/golem14-rpc/caller`
//! with `golem-1-4`, for 1.4): it reaches `counters` and `ephemeral` through the
//! client interfaces golem-cli generates, which the executor links, with golem-rust's `AgentId`
//! (cargo-component's `bindings.with` maps Golem's and WASI's interfaces to golem-rust's).

#[allow(static_mut_refs, clippy::all)]
mod bindings {
    /// The bindings with golem-rust's types: `$wasm` is where golem-rust keeps golem-wasm-rpc,
    /// `$api` the `golem:api/host` version of the era.
    macro_rules! bindings {
        ($wasm:ident, $api:tt) => {
            wit_bindgen::generate!({
                path: [
                    "../wit/deps/io",
                    "../wit/deps/clocks",
                    "../wit/deps/golem-rpc",
                    "../wit/deps/golem-1.x",
                    "wit-generated",
                ],
                world: "rpc:caller/caller",
                generate_all,
                with: {
                    "wasi:io/poll@0.2.3": golem_rust::$wasm::wasi::io::poll,
                    "wasi:clocks/wall-clock@0.2.3": golem_rust::$wasm::wasi::clocks::wall_clock,
                    "golem:rpc/types@0.2.2": golem_rust::$wasm::golem_rpc_0_2_x::types,
                    $api: golem_rust::bindings::golem::api::host,
                },
            });
        };
    }

    #[cfg(feature = "golem-1-3")]
    bindings!(wasm_rpc, "golem:api/host@1.1.7");
    #[cfg(feature = "golem-1-4")]
    bindings!(golem_wasm, "golem:api/host@1.3.0");
}

use std::cell::RefCell;

use bindings::exports::rpc::caller_exports::caller_inline_functions::{Guest, TimelineNode};
use bindings::rpc::counters_client::counters_client::{Api, Counter};
#[cfg(feature = "golem-1-4")]
use golem_rust::golem_wasm;
// golem-rust 1.8 (Golem 1.3) names golem-wasm-rpc `wasm_rpc`; 1.11 (Golem 1.4) `golem_wasm`.
#[cfg(feature = "golem-1-3")]
use golem_rust::wasm_rpc as golem_wasm;
use golem_wasm::{AgentId, ComponentId};

thread_local! {
    /// test2's counter, kept across invocations of this worker.
    static KEPT: RefCell<Option<Counter>> = const { RefCell::new(None) };
}

/// The component id in the environment variable `variable` (the test passes the targets' ids).
fn component_id(variable: &str) -> ComponentId {
    let text = std::env::var(variable).unwrap_or_else(|_| panic!("{variable} is not set"));
    uuid::Uuid::parse_str(&text)
        .unwrap_or_else(|e| panic!("{variable}: {e}"))
        .into()
}

/// Agent `name` of the counters component.
fn counters(name: &str) -> AgentId {
    AgentId {
        component_id: component_id("COUNTERS_COMPONENT_ID"),
        agent_id: name.to_string(),
    }
}

struct Component;

impl Guest for Component {
    fn test1() -> Vec<(String, u64)> {
        let agent = counters("counters_test1");
        {
            let first = Counter::custom(&agent, "counter1");
            let second = Counter::custom(&agent, "counter2");
            let third = Counter::custom(&agent, "counter3");
            for _ in 0..3 {
                first.blocking_inc_by(1);
            }
            second.blocking_inc_by(2);
            second.blocking_inc_by(1);
            third.blocking_inc_by(3);
            println!(
                "values: {} {} {}",
                first.blocking_get_value(),
                second.blocking_get_value(),
                third.blocking_get_value()
            );
            // Dropped here, the last one first.
        }
        Api::custom(&agent).blocking_get_all_dropped()
    }

    fn test2() -> u64 {
        KEPT.with_borrow_mut(|kept| {
            let counter =
                kept.get_or_insert_with(|| Counter::custom(&counters("counters_test2"), "counter"));
            counter.inc_by(1);
            counter.blocking_get_value()
        })
    }

    fn test3() -> u64 {
        let api = Api::custom(&counters("counters_test3"));
        api.blocking_inc_global_by(1);
        api.blocking_get_global_value()
    }

    fn test4() -> (Vec<String>, Vec<(String, String)>) {
        let counter = Counter::custom(&counters("counters_test4"), "counter-test4");
        (counter.blocking_get_args(), counter.blocking_get_env())
    }

    fn test5() -> Vec<u64> {
        let counter_on = |agent: &str, name: &str| Counter::custom(&counters(agent), name);
        let all = [
            counter_on("counters_test51", "counter"),
            counter_on("counters_test52", "counter2"),
            counter_on("counters_test53", "counter3"),
        ];
        for (counter, steps) in all.iter().zip([&[1u64, 1, 1][..], &[2, 1], &[3]]) {
            for step in steps {
                counter.inc_by(*step);
            }
        }
        // Three calls in flight at once, collected as their pollables become ready.
        let futures: Vec<_> = all.iter().map(Counter::get_value).collect();
        let pollables: Vec<_> = futures.iter().map(|f| f.subscribe()).collect();
        let mut values = vec![0; futures.len()];
        let mut waiting: Vec<usize> = (0..futures.len()).collect();
        while !waiting.is_empty() {
            let pending: Vec<_> = waiting.iter().map(|i| &pollables[*i]).collect();
            let ready = golem_wasm::wasi::io::poll::poll(&pending);
            for index in &ready {
                let counter = waiting[*index as usize];
                values[counter] = futures[counter]
                    .get()
                    .expect("a ready future has its value");
            }
            waiting = waiting
                .into_iter()
                .enumerate()
                .filter(|(position, _)| !ready.contains(&(*position as u32)))
                .map(|(_, counter)| counter)
                .collect();
        }
        values
    }

    fn bug_wasm_rpc_i32(in_: TimelineNode) -> TimelineNode {
        Api::custom(&counters("bug32")).blocking_bug_wasm_rpc_i32(in_)
    }

    #[cfg(feature = "golem-1-3")]
    fn ephemeral_test1() -> Vec<(String, String)> {
        use bindings::rpc::ephemeral_client::ephemeral_client::Api as Ephemeral;
        let on = |name: &str| AgentId {
            component_id: component_id("EPHEMERAL_COMPONENT_ID"),
            agent_id: name.to_string(),
        };
        let first = Ephemeral::custom(&on("eph1"));
        let second = Ephemeral::custom(&on("eph2"));
        let mut seen = Vec::new();
        for api in [&first, &first, &second] {
            let name = api.blocking_get_worker_name();
            let key = api.blocking_get_idempotency_key();
            seen.push((name, key));
        }
        seen
    }

    fn bug_golem1265(s: String) -> Result<(), String> {
        Api::custom(&counters("bug1265")).blocking_bug_golem1265(&s)
    }
}

bindings::export!(Component with_types_in bindings);
