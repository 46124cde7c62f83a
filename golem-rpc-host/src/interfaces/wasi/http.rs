//! Outgoing `wasi:http` (`types` and `outgoing-handler`, 0.2.0 … 0.2.12), as Golem 1.0/1.1 link
//! it: wasmtime-wasi-http's implementation over the worker's store, with requests sent by the
//! host's `services::outgoing_http`.

use wasmtime_wasi_http::{WasiHttpCtxView, WasiHttpView};

use crate::worker::state::WorkerState;

impl WasiHttpView for WorkerState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        let (ctx, hooks, table) = self.http_parts();
        WasiHttpCtxView { ctx, hooks, table }
    }
}
