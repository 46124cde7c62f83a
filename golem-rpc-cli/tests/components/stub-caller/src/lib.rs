//! A caller written against a stubgen-style stub (Golem 1.0's way): it imports the stub's client
//! interface, which only a composition with the stub component provides.

wit_bindgen::generate!({
    path: "../stub-wit",
    world: "stub-caller",
    generate_all,
});

use demo::counter_stub::stub_counter::Api;
use golem::rpc::types::Uri;

struct Caller;

impl Guest for Caller {
    fn run(target: String) -> Vec<String> {
        let api = Api::new(&Uri { value: target });
        let mut seen = Vec::new();
        api.blocking_add(5);
        seen.push(format!("blocking_get() = {}", api.blocking_get()));
        seen.push(format!(
            "blocking_add_all([1, 2, 3]) = {}",
            api.blocking_add_all(&[1, 2, 3])
        ));
        seen.push(format!(
            "blocking_try_sub(100) = {:?}",
            api.blocking_try_sub(100)
        ));
        api.add(10);
        let future = api.get();
        future.subscribe().block();
        seen.push(format!("get() = {:?}", future.get()));
        let future = api.try_sub(1);
        future.subscribe().block();
        seen.push(format!("try_sub(1) = {:?}", future.get()));
        let future = api.add_all(&[100]);
        future.subscribe().block();
        seen.push(format!("add_all([100]) = {:?}", future.get()));
        seen
    }
}

export!(Caller);
