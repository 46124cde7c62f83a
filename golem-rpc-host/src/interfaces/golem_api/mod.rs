//! `golem:api/host`, on a host without an oplog: `v0_2` (`@0.2.0`, Golem 1.0/1.1), `v1_1`
//! (`@1.1.6`, Golem 1.2), `v1_1_7` (`@1.1.7`, Golem 1.3) and `v1_3` (`@1.3.0`, Golem 1.4),
//! adapters that convert their records to an earlier version's and call it; `filter` matches every version's `get-workers` /
//! `get-agents` filters; what the versions change in a worker is kept once, in its
//! `worker::context::WorkerContext`.
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

use crate::model::uri;
use crate::services::promises;
use crate::worker::context::RetryConfig;
use crate::worker::state::WorkerState;

pub(crate) mod filter;
pub(crate) mod v0_2;
pub(crate) mod v1_1;
pub(crate) mod v1_1_7;
pub(crate) mod v1_3;

/// A `duration` (nanoseconds), saturating.
pub(crate) fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

impl WorkerState {
    /// `resolve-component-id` of 1.1.x: a component by the name it was loaded under or by its
    /// id; one oplog entry, as Golem logs the answer.
    pub(crate) fn resolve_component(
        &mut self,
        reference: &str,
    ) -> wasmtime::Result<Option<uuid::Uuid>> {
        let resolved = self.services()?.resolve_component(reference);
        self.log(1);
        Ok(resolved)
    }

    /// `resolve-worker-id-strict` / `resolve-agent-id-strict`: also `none` for a worker this
    /// host has not created (yet); one oplog entry.
    pub(crate) fn resolve_existing_worker(
        &mut self,
        reference: &str,
        name: String,
    ) -> wasmtime::Result<Option<uri::WorkerId>> {
        let services = self.services()?;
        let existing = services
            .resolve_component(reference)
            .map(|id| uri::WorkerId::new(id, name))
            .filter(|id| services.worker(id).is_some());
        self.log(1);
        Ok(existing)
    }

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

/// The trap for what needs an oplog (fork, revert).
pub(crate) fn no_oplog(what: String) -> wasmtime::Error {
    wasmtime::format_err!(
        "{what} is not supported by the local host: it keeps no oplog (a worker's history of \
         invocations and side effects) to copy or cut, only each worker's live state"
    )
}

/// `revert-worker` / `revert-agent` (`function`) of a worker: it needs an oplog.
pub(crate) fn no_revert(
    function: &str,
    worker: &uri::WorkerId,
    to_index: Option<u64>,
    last: Option<u64>,
) -> wasmtime::Error {
    let target = match (to_index, last) {
        (Some(index), _) => format!("to oplog index {index}"),
        (None, Some(n)) => format!("the last {n} invocations"),
        (None, None) => "nowhere".to_string(),
    };
    no_oplog(format!("{function}({worker}, {target})"))
}

/// The conversions of a `golem:api/host` version's filter comparators to [`filter`]'s (the
/// version's own cases after `;`).
macro_rules! filter_comparators {
    ($host:path; $($extra:ident),*) => {
        use $host::{FilterComparator, StringFilterComparator};

        fn comparator(comparator: FilterComparator) -> filter::Comparator {
            use FilterComparator as C;
            match comparator {
                C::Equal => filter::Comparator::Equal,
                C::NotEqual => filter::Comparator::NotEqual,
                C::GreaterEqual => filter::Comparator::GreaterEqual,
                C::Greater => filter::Comparator::Greater,
                C::LessEqual => filter::Comparator::LessEqual,
                C::Less => filter::Comparator::Less,
            }
        }

        fn string_comparator(comparator: StringFilterComparator) -> filter::StringComparator {
            use StringFilterComparator as C;
            match comparator {
                C::Equal => filter::StringComparator::Equal,
                C::NotEqual => filter::StringComparator::NotEqual,
                C::Like => filter::StringComparator::Like,
                C::NotLike => filter::StringComparator::NotLike,
                $(C::$extra => filter::StringComparator::$extra,)*
            }
        }
    };
}

pub(crate) use filter_comparators;

/// `From` both ways between a version's enums and those of the same name and cases in the
/// version module `$other` (an identifier in scope, e.g. `v0_2`) it adapts to.
macro_rules! same_enums {
    ($other:ident; $($name:ident { $($case:ident),* })*) => {$(
        impl From<$other::$name> for $name {
            fn from(value: $other::$name) -> Self {
                match value {
                    $($other::$name::$case => $name::$case,)*
                }
            }
        }

        impl From<$name> for $other::$name {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$case => $other::$name::$case,)*
                }
            }
        }
    )*};
}

pub(crate) use same_enums;
