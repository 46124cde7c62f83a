//! A caller inside a Golem 1.2 application: a bare `import!` of the `counters` component's WIT
//! (golem-rpc reads the application's manifests: its `witDeps`, golem-cli's export names, the
//! component's name), and the same WIT with options for a target built from it as it is.
#![cfg(feature = "golem-1-2")]

golem_rpc::import!("../counters/wit");
golem_rpc::import!({
    path: "../counters/wit",
    module: plain,
    exports: "as-written",
    component: "counters-plain",
});

wit_bindgen::generate!({ path: "wit", world: "caller" });

use counters::api::{Api, Counter};
use exports::rpc::caller::run::Guest;

struct Caller;

impl Guest for Caller {
    fn forms(worker: String) -> Result<(u64, u64, u32, String, String), String> {
        let api = Api::try_new(&worker).map_err(|e| e.to_string())?;
        api.blocking_inc_global_by(1);
        api.try_blocking_inc_global_by(2)
            .map_err(|e| e.to_string())?;
        api.inc_global_by(4);
        let global = api.get_global_value();
        golem_rpc::join_all(&[&global]);
        let global = global
            .try_get()
            .ok_or("no result after join_all")?
            .map_err(|e| e.to_string())?;
        let totals = api.try_blocking_get_totals().map_err(|e| e.to_string())?;
        let refused = match api.blocking_try_dec_global_by(100) {
            Ok(left) => format!("took 100, {left} left"),
            Err(message) => message,
        };
        let version = counters::Counters::new(&worker)
            .try_blocking_version()
            .map_err(|e| e.to_string())?;
        Ok((global, totals.sum, totals.calls, refused, version))
    }

    fn resource_calls(worker: String) -> Result<(u64, bool), String> {
        let counter = Counter::try_new(&worker, "c").map_err(|e| e.to_string())?;
        counter.blocking_inc_by(3);
        counter.try_blocking_inc_by(4).map_err(|e| e.to_string())?;
        let promise = counter
            .try_blocking_create_promise()
            .map_err(|e| e.to_string())?;
        let value = counter.blocking_get_value();
        Ok((value, promise.worker_id.worker_name == worker))
    }

    fn plain(worker: String) -> Result<(String, u64), String> {
        let api = plain::api::Api::try_new(&worker).map_err(|e| e.to_string())?;
        api.try_blocking_inc_global_by(5)
            .map_err(|e| e.to_string())?;
        let version = plain::Counters::new(&worker)
            .try_blocking_version()
            .map_err(|e| e.to_string())?;
        Ok((version, api.blocking_get_global_value()))
    }
}

export!(Caller);
