//! The host data behind the resources of Golem's interfaces, as the bindings map them (the
//! interfaces in `crate::interfaces` create and read them). Below both the bindings and the
//! interfaces: nothing here knows a generated type. Two versions of one interface map to the same
//! type, so a resource behaves the same whichever version created it.

use crate::execution::timers::ScheduleId;
use crate::model::uri::WorkerId;

/// A guest's `wasm-rpc` (`golem:rpc/types`): the target worker.
pub struct WasmRpcEntry {
    pub(crate) target: WorkerId,
}

/// A guest's `cancellation-token` (`golem:rpc/types`): the invocation it cancels (`None` for one
/// that was rejected when it was scheduled).
pub struct CancellationTokenEntry {
    pub(crate) schedule: Option<ScheduleId>,
}

/// A guest's `get-workers` (`golem:api/host`): the matching workers' metadata, not yet returned
/// (`None` once the last page was).
pub struct GetWorkersEntry<M> {
    pub(crate) pending: Option<std::vec::IntoIter<M>>,
}

/// What a `get-promise-result` waits on: a future that resolves once its promise is completed
/// (or deleted).
pub(crate) type Settled =
    Box<dyn Fn() -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// A guest's `get-promise-result` (`golem:api/host@1.1.7`): the promise it reads; it is its own
/// pollable, ready once the promise is completed, as in Golem's executor.
pub struct PromiseResultEntry {
    pub(crate) worker_id: WorkerId,
    pub(crate) oplog_idx: u64,
    pub(crate) settled: Settled,
}

#[async_trait::async_trait]
impl wasmtime_wasi::p2::Pollable for PromiseResultEntry {
    async fn ready(&mut self) {
        (self.settled)().await;
    }
}

/// The resources of `wasi:keyvalue@0.1.0`.
pub mod keyvalue {
    use std::sync::{Arc, Mutex};

    /// An open bucket: its name.
    pub struct BucketEntry {
        pub(crate) name: String,
    }

    /// A value being written: the bytes so far, shared with its `output-stream` if one was
    /// taken.
    pub struct OutgoingValue {
        pub(crate) data: Arc<Mutex<Vec<u8>>>,
    }

    /// A value read: what has not been consumed yet.
    pub struct IncomingValue {
        pub(crate) data: Vec<u8>,
    }

    /// A `wasi:keyvalue` error: its message.
    pub struct KeyValueError {
        pub(crate) message: String,
    }
}

/// The resources of `wasi:blobstore`.
pub mod blobstore {
    use std::sync::{Arc, Mutex};

    /// An open container: its name and when it was created.
    pub struct ContainerEntry {
        pub(crate) name: String,
        pub(crate) created_at: u64,
    }

    /// The object names of a container, not read yet.
    pub struct ObjectNames {
        pub(crate) names: std::collections::VecDeque<String>,
    }

    /// A blob being written, shared with its `output-stream` if one was taken.
    pub struct OutgoingValue {
        pub(crate) data: Arc<Mutex<Vec<u8>>>,
    }

    /// A blob read: what has not been consumed yet.
    pub struct IncomingValue {
        pub(crate) data: Vec<u8>,
    }
}
