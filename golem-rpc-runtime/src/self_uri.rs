//! The calling worker's own URI.

use std::cell::OnceCell;

use crate::Uri;

thread_local! {
    static SELF_URI: OnceCell<Uri> = const { OnceCell::new() };
}

/// The URI of the worker this code runs in, `urn:worker:{component-id}/{worker-name}`, ready to
/// give to a client's `new` (for example so another worker can call back).
///
/// golem-rust 1.0/1.1's `get_self_uri(function)` returns a *function* URN, which the `wasm-rpc`
/// constructor rejects; this asks the host the same question (`golem:api/host@0.2.0`) and drops
/// the function segment. The answer is looked up once per worker instance.
pub fn get_self_uri() -> Uri {
    SELF_URI.with(|cell| cell.get_or_init(ask_host).clone())
}

fn ask_host() -> Uri {
    crate::imports::self_uri()
}

/// The id of the worker this code runs in (its component's id and its name): from
/// `get-self-metadata` with the `golem-1-2` feature, from `get-self-uri` without.
pub fn get_self_worker_id() -> crate::WorkerId {
    let uri = get_self_uri();
    crate::WorkerId::try_from(&uri)
        .unwrap_or_else(|err| panic!("the host gave this worker an invalid URI: {err}"))
}

/// Whether `target` (a normalised worker URI) is the calling worker.
pub(crate) fn is_self(target: &Uri) -> bool {
    *target == get_self_uri()
}
