//! The host side of `golem:api/host@0.2.0`, as far as golem-rpc components import it:
//! `get-self-uri`.

use crate::bindings::golem::api::host::Host;
use crate::bindings::golem::rpc::types::Uri;
use crate::worker::WorkerState;

impl Host for WorkerState {
    /// Golem 1.0 returns the *function* URN
    /// `urn:worker:{component-uuid}/{urlencoded worker name}/{urlencoded function name}`
    /// (protocol.md §1).
    fn get_self_uri(&mut self, function_name: String) -> wasmtime::Result<Uri> {
        Ok(Uri {
            value: self.id.function_uri(&function_name),
        })
    }
}
