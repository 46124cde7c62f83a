//! `wasi:io` streams over a value's bytes, as `wasi:keyvalue` and `wasi:blobstore` hand them out.

use std::sync::{Arc, Mutex, PoisonError};

use wasmtime::component::Resource;
use wasmtime_wasi::p2::pipe::MemoryInputPipe;
use wasmtime_wasi::p2::{DynInputStream, DynOutputStream};

use crate::worker::state::WorkerState;

/// A `wasi:io` output stream that appends to an outgoing value.
struct AppendStream(Arc<Mutex<Vec<u8>>>);

impl wasmtime_wasi::p2::OutputStream for AppendStream {
    fn write(&mut self, bytes: bytes::Bytes) -> wasmtime_wasi::p2::StreamResult<()> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(&bytes);
        Ok(())
    }

    fn flush(&mut self) -> wasmtime_wasi::p2::StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> wasmtime_wasi::p2::StreamResult<usize> {
        Ok(1 << 20)
    }
}

#[async_trait::async_trait]
impl wasmtime_wasi::p2::Pollable for AppendStream {
    async fn ready(&mut self) {}
}

/// A `wasi:io` output stream appending to `data`, in the table.
pub(crate) fn append_stream(
    state: &mut WorkerState,
    data: &Arc<Mutex<Vec<u8>>>,
) -> wasmtime::Result<Resource<DynOutputStream>> {
    let stream: DynOutputStream = Box::new(AppendStream(data.clone()));
    Ok(state.table.push(stream)?)
}

/// A `wasi:io` input stream over `data`, in the table.
pub(crate) fn read_stream(
    state: &mut WorkerState,
    data: Vec<u8>,
) -> wasmtime::Result<Resource<DynInputStream>> {
    let stream: DynInputStream = Box::new(MemoryInputPipe::new(data));
    Ok(state.table.push(stream)?)
}
