//! A Golem 1.2 caller: `golem_rpc::import!` with golem-rpc's `golem-1-2` feature; with
//! `golem-1-3` / `golem-1-4`, the same source calls through Golem 1.3's / 1.4's host API.
#![cfg(feature = "golem-1-2")]

use std::time::{Duration, SystemTime};

use golem_rpc::{Uri, WorkerId};

golem_rpc::import!({
    path: "../../../examples/counter/counter/wit/counter.wit",
    component: "counter",
});
golem_rpc::import!({
    path: "../../../golem-rpc-host/tests/components/resource-target/wit",
    component: "resources",
});
golem_rpc::import!({
    path: "../../../examples/counter/counter/wit/counter.wit",
    component: "no-such-component",
    module: missing,
});

wit_bindgen::generate!({ path: "wit", world: "caller12" });

use counter::api::Api;
use exports::test::caller12::run::Guest;

struct Caller;

fn at(delay_ms: u32) -> SystemTime {
    SystemTime::now() + Duration::from_millis(u64::from(delay_ms))
}

impl Guest for Caller {
    fn forms(worker: String) -> Result<u64, String> {
        let api = Api::try_new(&worker).map_err(|e| e.to_string())?;
        api.blocking_add(1);
        api.try_blocking_add(2).map_err(|e| e.to_string())?;
        api.add(4);
        let total = api.get();
        golem_rpc::join_all(&[&total]);
        total
            .try_get()
            .ok_or("no result after join_all")?
            .map_err(|e| e.to_string())
    }

    fn by_id(uri: String) -> Result<u64, String> {
        let id = WorkerId::try_from(&Uri { value: uri }).map_err(|e| e.to_string())?;
        Api::custom(&id)
            .try_blocking_get()
            .map_err(|e| e.to_string())
    }

    #[cfg(feature = "golem-1-3")]
    fn ephemeral() -> Result<(u64, u64), String> {
        Err(
            "Golem 1.3 clients have no `ephemeral`: an ephemeral component's workers are named \
             like any other's"
                .to_owned(),
        )
    }

    #[cfg(not(feature = "golem-1-3"))]
    fn ephemeral() -> Result<(u64, u64), String> {
        let first = Api::try_ephemeral().map_err(|e| e.to_string())?;
        first.blocking_add(1);
        first.blocking_add(1);
        let second = Api::ephemeral();
        Ok((first.blocking_get(), second.blocking_get()))
    }

    fn missing() -> String {
        match missing::api::Api::try_new("w") {
            Ok(_) => "resolved".to_owned(),
            Err(e) => e.to_string(),
        }
    }

    fn schedule(worker: String, value: u64, delay_ms: u32) {
        Api::new(&worker).schedule_add(value, at(delay_ms));
    }

    fn schedule_cancelled(worker: String, value: u64, delay_ms: u32) {
        let token = Api::new(&worker).schedule_cancelable_add(value, at(delay_ms));
        token.cancel();
    }

    fn resources(worker: String) -> Result<(u64, u64), String> {
        use resources::api::Counter;
        let by_name = Counter::try_new(&worker, "a", 10).map_err(|e| e.to_string())?;
        by_name.blocking_inc_by(1);
        let id = WorkerId::try_from(by_name.__resource().owner()).map_err(|e| e.to_string())?;
        let by_id = Counter::try_custom(&id, "b", 20).map_err(|e| e.to_string())?;
        by_id.blocking_inc_by(2);
        by_id.schedule_inc_by(100, at(0));
        Ok((by_name.blocking_get(), by_id.blocking_get()))
    }

    fn count(worker: String, times: u32, pause_ms: u32) -> u64 {
        let api = Api::new(&worker);
        for _ in 0..times {
            api.blocking_add(1);
            std::thread::sleep(Duration::from_millis(u64::from(pause_ms)));
        }
        api.blocking_get()
    }

    fn moment() -> (u64, u64) {
        thread_local! {
            static TAKEN: std::cell::OnceCell<(u64, u64)> = const { std::cell::OnceCell::new() };
        }
        TAKEN.with(|taken| {
            *taken.get_or_init(|| {
                let random = getrandom::u64().expect("wasi:random");
                let now = SystemTime::now()
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .expect("after the epoch");
                (random, now.as_nanos() as u64)
            })
        })
    }

    fn self_uri() -> String {
        let uri = golem_rpc::get_self_uri();
        assert_eq!(golem_rpc::get_self_worker_id().uri(), uri);
        uri.value
    }
}

export!(Caller);
