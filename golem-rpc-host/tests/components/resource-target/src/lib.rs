//! Test component for `golem-rpc-host`: exports the resource `counter`, so that the host's
//! handle support (constructors, methods, statics, drops, own and borrow parameters, own results)
//! can be exercised through `golem:rpc`.

use std::cell::Cell;

wit_bindgen::generate!({
    path: "wit",
    world: "resource-target",
    generate_all,
});

use exports::test::resources::api::{Counter, CounterBorrow, Guest, GuestCounter};

thread_local! {
    static LIVE: Cell<u32> = const { Cell::new(0) };
}

struct Component;

/// The host-side state of one `counter`.
struct CounterImpl {
    name: String,
    value: Cell<u64>,
}

impl CounterImpl {
    fn create(name: String, start: u64) -> Self {
        LIVE.with(|live| live.set(live.get() + 1));
        Self {
            name,
            value: Cell::new(start),
        }
    }
}

impl Drop for CounterImpl {
    fn drop(&mut self) {
        LIVE.with(|live| live.set(live.get().saturating_sub(1)));
    }
}

impl GuestCounter for CounterImpl {
    fn new(name: String, start: u64) -> Self {
        Self::create(name, start)
    }

    fn inc_by(&self, delta: u64) {
        self.value.set(self.value.get() + delta);
    }

    fn get(&self) -> u64 {
        self.value.get()
    }

    fn name(&self) -> String {
        self.name.clone()
    }

    fn merge(&self, other: CounterBorrow<'_>) -> u64 {
        let other = other.get::<CounterImpl>().value.get();
        self.value.set(self.value.get() + other);
        self.value.get()
    }

    fn take(c: Counter) -> u64 {
        c.get::<CounterImpl>().value.get()
    }

    fn clone_named(&self, name: String) -> Counter {
        Counter::new(CounterImpl::create(name, self.value.get()))
    }

    fn count_live() -> u32 {
        LIVE.with(Cell::get)
    }
}

impl Guest for Component {
    type Counter = CounterImpl;

    fn make(name: String) -> Counter {
        Counter::new(CounterImpl::create(name, 0))
    }

    fn maybe_make(name: Option<String>) -> Option<Counter> {
        name.map(|name| Counter::new(CounterImpl::create(name, 0)))
    }

    fn total(counters: Vec<CounterBorrow<'_>>) -> u64 {
        counters
            .iter()
            .map(|c| c.get::<CounterImpl>().value.get())
            .sum()
    }

    fn adopt(c: Option<Counter>) -> u64 {
        c.map_or(0, |c| c.get::<CounterImpl>().value.get())
    }

    fn combine(a: Counter, b: CounterBorrow<'_>) -> u64 {
        a.get::<CounterImpl>().value.get() + b.get::<CounterImpl>().value.get()
    }

    fn boom() {
        panic!("boom requested");
    }
}

export!(Component);
