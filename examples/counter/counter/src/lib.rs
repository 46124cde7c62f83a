//! The target side of the counter demo: a plain component that knows nothing about RPC.

use std::cell::RefCell;

wit_bindgen::generate!({
    path: "wit",
    world: "counter",
});

use exports::demo::counter::api::{Guest, Stats};

#[derive(Default)]
struct State {
    total: u64,
    calls: u32,
    last: Option<u64>,
    labels: Vec<String>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> R {
    STATE.with(|state| {
        let mut state = state.borrow_mut();
        state.calls += 1;
        f(&mut state)
    })
}

struct Counter;

impl Guest for Counter {
    fn add(value: u64) {
        with_state(|s| {
            s.total += value;
            s.last = Some(value);
        });
    }

    fn get() -> u64 {
        with_state(|s| s.total)
    }

    fn add_all(values: Vec<u64>) -> u64 {
        with_state(|s| {
            for value in values {
                s.total += value;
                s.last = Some(value);
            }
            s.total
        })
    }

    fn try_sub(value: u64) -> Result<u64, String> {
        with_state(|s| match s.total.checked_sub(value) {
            Some(total) => {
                s.total = total;
                Ok(total)
            }
            None => Err(format!("cannot subtract {value} from {}", s.total)),
        })
    }

    fn tag(name: String, suffix: Option<String>) -> String {
        with_state(|s| {
            let label = match suffix {
                Some(suffix) => format!("{name}-{suffix}"),
                None => name,
            };
            s.labels.push(label.clone());
            label
        })
    }

    fn min_max(values: Vec<i32>) -> Option<(i32, i32)> {
        with_state(|_| {
            let min = values.iter().copied().min()?;
            let max = values.iter().copied().max()?;
            Some((min, max))
        })
    }

    fn get_stats() -> Stats {
        with_state(|s| Stats {
            total: s.total,
            calls: s.calls,
            last: s.last,
            labels: s.labels.clone(),
        })
    }

    fn restore(snapshot: Stats) -> bool {
        with_state(|s| {
            let changed = s.total != snapshot.total;
            s.total = snapshot.total;
            s.last = snapshot.last;
            changed
        })
    }
}

export!(Counter);
