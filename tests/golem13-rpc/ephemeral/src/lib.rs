//! The ephemeral target of Golem 1.3's RPC tests: its worker name and a fresh idempotency key
//! (golem-rust's helper over `golem:api/host@1.1.7`).

#[allow(static_mut_refs, clippy::all)]
mod bindings {
    wit_bindgen::generate!({
        path: "wit-generated",
        world: "rpc:ephemeral/ephemeral",
        generate_all,
    });
}

use bindings::exports::rpc::ephemeral_exports::api::Guest;

struct Component;

impl Guest for Component {
    fn get_worker_name() -> String {
        std::env::var("GOLEM_WORKER_NAME").expect("Golem sets GOLEM_WORKER_NAME")
    }

    fn get_idempotency_key() -> String {
        golem_rust::generate_idempotency_key().to_string()
    }
}

bindings::export!(Component with_types_in bindings);
