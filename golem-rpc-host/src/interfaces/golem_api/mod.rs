//! `golem:api/host`, on a host without an oplog: `v0_2` (`@0.2.0`, Golem 1.0/1.1) and `v1_1`
//! (`@1.1.6`, Golem 1.2, an adapter that converts its records to 0.2.0's and calls it); what
//! both versions change in a worker is kept once, in its `worker::context::WorkerContext`.
//!
//! Golem's executor persists every side effect in a worker's oplog, replays it after a failure and
//! lets workers shape that (persistence level, idempotence mode, atomic regions, retry policy).
//! This host runs workers in memory, so each function gets its local meaning (behaviour read in
//! Golem 1.1's executor, `durable_host/golem/mod.rs`):
//! - **promises** are real and shared by all workers of the host (and [`crate::Host`]'s user):
//!   `await-promise` returns a completed promise's payload at once and otherwise blocks the worker
//!   until another worker (or the host's user) completes it — Golem suspends the worker instead;
//!   an unknown or deleted promise traps with Golem's `Promise not found: …`;
//! - **oplog index**: each worker counts the entries Golem's executor would write for what this
//!   host sees — `create` (1), the start and end of each invocation, each `get-oplog-index` /
//!   `create-promise` (a no-op entry whose index they return), each logged host-API call and four
//!   per RPC call; WASI calls and stdout writes, which Golem also logs, are not counted, so the
//!   numbers match Golem's only for components that make no such calls in between;
//! - `set-oplog-index` (time travel) needs a replayable oplog and traps with an explanation;
//!   `oplog-commit` returns at once;
//! - **atomic regions, persistence level, idempotence mode, retry policy** are kept per worker and
//!   read back as set, with Golem's defaults; nothing is retried or replayed;
//! - **idempotency keys**: every invocation has its own key; `generate-idempotency-key` derives a
//!   UUID v5 from it and the current oplog index, as Golem 1.1 does;
//! - **update-worker**: every component has one version (0) here; an update to another version is
//!   reported on stderr and ignored;
//! - **metadata** (`get-self-metadata`, `get-worker-metadata`, `get-workers`) describes the host's
//!   workers with what they were created with (arguments, environment), their status, version 0
//!   and a retry count of 0 (Golem reports 0 too). Ephemeral workers are not listed.

use std::time::Duration;

use crate::services::promises;
use crate::worker::context::RetryConfig;
use crate::worker::state::WorkerState;

pub(crate) mod v0_2;
pub(crate) mod v1_1;

/// A `duration` (nanoseconds), saturating.
pub(crate) fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

impl WorkerState {
    /// Appends `entries` oplog entries and returns the index of the last.
    pub(crate) fn log(&self, entries: u64) -> u64 {
        self.worker.api().append(entries)
    }

    /// `set-retry-policy` of either version (one oplog entry).
    pub(crate) fn set_retry_config(&self, policy: RetryConfig) {
        let mut api = self.worker.api();
        api.retry_policy = policy;
        api.append(1);
    }
}

pub(crate) fn promise_error(err: promises::PromiseError) -> wasmtime::Error {
    wasmtime::format_err!("{err}")
}
