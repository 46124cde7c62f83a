//! A Golem 1.2 caller as golem-cli's application build made them: the generated client of
//! `counters` (a `wasm-rpc` dependency in `golem.yaml`), every call form, by worker name.
//! `golem-rpc migrate` rewrites it to `import!` (golem-rpc-cli/tests/migrate.rs), and the
//! rewritten caller must answer exactly as this one does.

#[allow(warnings)]
mod bindings;

use crate::bindings::exports::rpc::client_caller_exports::client_caller_inline_functions::Guest;
use crate::bindings::rpc::counters_client::counters_client::{
    Api, Counter, Counters, FutureGetGlobalValueResult,
};
use crate::bindings::wasi::clocks::wall_clock::Datetime;

struct Component;

fn await_global(future: FutureGetGlobalValueResult) -> u64 {
    future.subscribe().block();
    future.get().expect("ready after its pollable")
}

impl Guest for Component {
    fn run(worker: String) -> Vec<String> {
        let mut seen = Vec::new();
        let api = Api::new(&worker);
        api.blocking_inc_global_by(2);
        api.inc_global_by(3);
        seen.push(format!("global = {}", await_global(api.get_global_value())));
        seen.push(format!(
            "try-dec(100) = {:?}",
            api.blocking_try_dec_global_by(100)
        ));
        let dec = api.try_dec_global_by(1);
        dec.subscribe().block();
        seen.push(format!("try-dec(1) = {:?}", dec.get()));
        let totals = api.blocking_get_totals();
        seen.push(format!("totals = {} in {} calls", totals.sum, totals.calls));

        let counter = Counter::new(&worker, "c1");
        counter.blocking_inc_by(5);
        counter.inc_by(6);
        let value = counter.get_value();
        value.subscribe().block();
        seen.push(format!("counter = {:?}", value.get()));
        let promise = counter.blocking_create_promise();
        seen.push(format!(
            "promise of {} at {}",
            promise.worker_id.worker_name,
            promise.oplog_idx > 0
        ));

        let world = Counters::new(&worker);
        seen.push(format!("version = {}", world.blocking_version()));

        // Far in the future: scheduled, then cancelled before it runs.
        let token = api.schedule_inc_global_by(
            1000,
            Datetime {
                seconds: 4_000_000_000,
                nanoseconds: 0,
            },
        );
        token.cancel();
        seen.push(format!("global = {}", api.blocking_get_global_value()));
        seen
    }
}

bindings::export!(Component with_types_in bindings);
