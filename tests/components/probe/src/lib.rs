//! A caller for end-to-end tests: every call form of a generated client, with errors reported
//! as values instead of traps.

use golem_rpc::{Error, FutureResult, Uri};

golem_rpc::import!("../../../examples/counter/counter/wit/counter.wit");

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
}

export!(Probe);
