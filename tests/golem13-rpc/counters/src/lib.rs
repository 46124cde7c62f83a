//! The counters target of Golem's RPC tests, for Golem 1.3 (and, built from
//! `tests/golem14-rpc/counters`, for 1.4): its bindings come from `wit-generated` and the
//! application's shared WIT packages, as cargo-component generates them.

#[allow(static_mut_refs, clippy::all)]
mod bindings {
    wit_bindgen::generate!({
        path: [
            "../wit/deps/io",
            "../wit/deps/clocks",
            "../wit/deps/golem-rpc",
            "../wit/deps/golem-1.x",
            "wit-generated",
        ],
        world: "rpc:counters/counters",
        generate_all,
    });
}

use std::cell::{Cell, RefCell};

use bindings::exports::rpc::counters_exports::api::{Guest, GuestCounter, PromiseId, TimelineNode};
use bindings::golem::api::host;

thread_local! {
    /// Each dropped counter's name and final value, in the order they were dropped.
    static DROPPED: RefCell<Vec<(String, u64)>> = const { RefCell::new(Vec::new()) };
    /// The worker's global counter.
    static GLOBAL: Cell<u64> = const { Cell::new(0) };
}

struct Component;

impl Guest for Component {
    type Counter = Counter;

    fn inc_global_by(value: u64) {
        GLOBAL.set(GLOBAL.get() + value);
    }

    fn get_global_value() -> u64 {
        GLOBAL.get()
    }

    fn get_all_dropped() -> Vec<(String, u64)> {
        DROPPED.with_borrow(Clone::clone)
    }

    fn bug_wasm_rpc_i32(in_: TimelineNode) -> TimelineNode {
        in_
    }

    fn bug_golem1265(s: String) -> Result<(), String> {
        eprintln!("received {s}");
        Ok(())
    }
}

pub struct Counter {
    name: String,
    value: Cell<u64>,
}

impl GuestCounter for Counter {
    fn new(name: String) -> Self {
        println!("new counter {name}");
        Counter {
            name,
            value: Cell::new(0),
        }
    }

    fn inc_by(&self, value: u64) {
        self.value.set(self.value.get() + value);
    }

    fn get_value(&self) -> u64 {
        self.value.get()
    }

    fn create_promise(&self) -> PromiseId {
        host::create_promise()
    }

    fn block_on_promise(&self, promise: PromiseId) {
        println!("waiting for promise {promise:?}");
        host::get_promise(&promise).subscribe().block();
        println!("promise {promise:?} completed");
    }

    fn get_args(&self) -> Vec<String> {
        std::env::args().collect()
    }

    fn get_env(&self) -> Vec<(String, String)> {
        std::env::vars().collect()
    }
}

impl Drop for Counter {
    fn drop(&mut self) {
        println!("dropping counter {}", self.name);
        DROPPED.with_borrow_mut(|dropped| dropped.push((self.name.clone(), self.value.get())));
    }
}

bindings::export!(Component with_types_in bindings);
