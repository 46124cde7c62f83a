//! The `counters` component of the test application: global counters, a `counter` resource and a
//! world-level `version`. Built either as golem-cli's application build builds it (from
//! `wit-generated`, its exports moved to `rpc:counters-exports`) or, with the `plain` feature,
//! from its WIT as it is.

use std::cell::{Cell, RefCell};

#[cfg(not(feature = "plain"))]
wit_bindgen::generate!({ path: "wit-generated", world: "counters", generate_all });
#[cfg(not(feature = "plain"))]
use exports::rpc::counters_exports::{api, counters_inline_functions as world};

#[cfg(feature = "plain")]
wit_bindgen::generate!({
    path: [
        "../wit-deps/io",
        "../wit-deps/clocks",
        "../wit-deps/golem-rpc",
        "../wit-deps/golem-1.x",
        "wit",
    ],
    world: "rpc:counters/counters",
    generate_all,
});
#[cfg(feature = "plain")]
use self as world;
#[cfg(feature = "plain")]
use exports::rpc::counters::api;

use api::{GuestCounter, PromiseId, Totals};

thread_local! {
    static GLOBAL: Cell<u64> = const { Cell::new(0) };
    static CALLS: Cell<u32> = const { Cell::new(0) };
}

fn count() {
    CALLS.set(CALLS.get() + 1);
}

struct Counters;

struct Counter {
    name: String,
    value: RefCell<u64>,
}

impl api::Guest for Counters {
    type Counter = Counter;

    fn inc_global_by(value: u64) {
        count();
        GLOBAL.set(GLOBAL.get() + value);
    }

    fn get_global_value() -> u64 {
        count();
        GLOBAL.get()
    }

    fn get_totals() -> Totals {
        count();
        Totals {
            sum: GLOBAL.get(),
            calls: CALLS.get(),
        }
    }

    fn try_dec_global_by(value: u64) -> Result<u64, String> {
        count();
        let global = GLOBAL.get();
        let left = global
            .checked_sub(value)
            .ok_or_else(|| format!("cannot take {value} from {global}"))?;
        GLOBAL.set(left);
        Ok(left)
    }
}

impl GuestCounter for Counter {
    fn new(name: String) -> Self {
        Self {
            name,
            value: RefCell::new(0),
        }
    }

    fn inc_by(&self, value: u64) {
        *self.value.borrow_mut() += value;
    }

    fn get_value(&self) -> u64 {
        *self.value.borrow()
    }

    fn create_promise(&self) -> PromiseId {
        let _ = &self.name;
        golem::api::host::create_promise()
    }
}

impl world::Guest for Counters {
    fn version() -> String {
        if cfg!(feature = "plain") {
            "counters (plain)".to_owned()
        } else {
            "counters (golem-cli)".to_owned()
        }
    }
}

export!(Counters);
