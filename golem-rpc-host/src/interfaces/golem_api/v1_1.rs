//! The host side of `golem:api/host@1.1.6` (Golem 1.2), on the per-worker state `v0_2`
//! keeps for 0.2.0.
//!
//! Everything 0.2.0 has (but `get-self-uri`) means the same here, so this module converts the
//! 1.1.6 records to 0.2.0's and calls `v0_2`. New in 1.1.x (behaviour read in Golem 1.2's
//! executor, `durable_host/golem/v1x.rs`):
//! - **`poll-promise`**: `none` until the promise is completed, then its payload; an unknown or
//!   deleted promise traps with `Promise not found: …`, as `await-promise` does;
//! - **`resolve-component-id`**: a component by the name it was loaded under (Golem OSS's
//!   reference syntax) or by its id; **`resolve-worker-id`** adds the worker name without
//!   checking that the worker exists; **`resolve-worker-id-strict`** is `none` unless it does;
//! - **`fork-worker`, `revert-worker`, `fork`** copy or cut a worker's oplog, which this host
//!   does not keep: they trap, saying so;
//! - the retry policy's **jitter factor** is kept as set (Golem 1.1's executor does; 1.2.5's
//!   drops it when converting, which reads back as `none`).
//!
//! wasmtime matches an import of `golem:api/host@1.1.0` … `@1.1.5` (golem-rust 1.2 / 1.3,
//! Golem 1.1) to these definitions. 1.1.0's functions are all still here; 1.1.5's
//! `worker-uri`, dropped in 1.1.6, is added to this instance ([`add_worker_uri`]) so that such
//! components link.

use std::time::Duration;

use wasmtime::component::{Linker, Resource};

use crate::bindings::GetWorkersEntry;
use crate::bindings::golem::api0_2_0::host as v0_2;
use crate::bindings::golem::api1_1_6::host::{
    ComponentId, FilterComparator, ForkResult, Host, HostGetWorkers, OplogIndex, PersistenceLevel,
    PromiseId, RetryPolicy, RevertWorkerTarget, StringFilterComparator, UpdateMode, Uuid,
    WorkerAnyFilter, WorkerId, WorkerMetadata, WorkerPropertyFilter, WorkerStatus,
};
use crate::bindings::golem::rpc0_1_3::types::Uri;
use crate::interfaces::golem_api::v0_2::from_promise_id;
use crate::interfaces::golem_api::{nanos, promise_error};
use crate::interfaces::golem_rpc::v0_2::{from_uuid, from_worker_id, to_uuid};
use crate::worker::context::RetryConfig;
use crate::worker::state::WorkerState;

super::same_enums! {
    v0_2;
    PersistenceLevel { PersistNothing, PersistRemoteSideEffects, Smart }
    UpdateMode { Automatic, SnapshotBased }
    FilterComparator { Equal, NotEqual, GreaterEqual, Greater, LessEqual, Less }
    StringFilterComparator { Equal, NotEqual, Like, NotLike }
    WorkerStatus { Running, Idle, Suspended, Interrupted, Retrying, Failed, Exited }
}

fn to_v0_2_uuid(id: Uuid) -> v0_2::Uuid {
    v0_2::Uuid {
        high_bits: id.high_bits,
        low_bits: id.low_bits,
    }
}

fn to_v0_2_worker_id(id: WorkerId) -> v0_2::WorkerId {
    v0_2::WorkerId {
        component_id: v0_2::ComponentId {
            uuid: to_v0_2_uuid(id.component_id.uuid),
        },
        worker_name: id.worker_name,
    }
}

fn from_v0_2_worker_id(id: v0_2::WorkerId) -> WorkerId {
    let uuid = id.component_id.uuid;
    WorkerId {
        component_id: ComponentId {
            uuid: Uuid {
                high_bits: uuid.high_bits,
                low_bits: uuid.low_bits,
            },
        },
        worker_name: id.worker_name,
    }
}

fn to_v0_2_promise_id(id: PromiseId) -> v0_2::PromiseId {
    v0_2::PromiseId {
        worker_id: to_v0_2_worker_id(id.worker_id),
        oplog_idx: id.oplog_idx,
    }
}

fn from_v0_2_metadata(metadata: v0_2::WorkerMetadata) -> WorkerMetadata {
    WorkerMetadata {
        worker_id: from_v0_2_worker_id(metadata.worker_id),
        args: metadata.args,
        env: metadata.env,
        status: metadata.status.into(),
        component_version: metadata.component_version,
        retry_count: metadata.retry_count,
    }
}

fn to_v0_2_filter(filter: WorkerPropertyFilter) -> v0_2::WorkerPropertyFilter {
    match filter {
        WorkerPropertyFilter::Name(f) => v0_2::WorkerPropertyFilter::Name(v0_2::WorkerNameFilter {
            comparator: f.comparator.into(),
            value: f.value,
        }),
        WorkerPropertyFilter::Status(f) => {
            v0_2::WorkerPropertyFilter::Status(v0_2::WorkerStatusFilter {
                comparator: f.comparator.into(),
                value: f.value.into(),
            })
        }
        WorkerPropertyFilter::Version(f) => {
            v0_2::WorkerPropertyFilter::Version(v0_2::WorkerVersionFilter {
                comparator: f.comparator.into(),
                value: f.value,
            })
        }
        WorkerPropertyFilter::CreatedAt(f) => {
            v0_2::WorkerPropertyFilter::CreatedAt(v0_2::WorkerCreatedAtFilter {
                comparator: f.comparator.into(),
                value: f.value,
            })
        }
        WorkerPropertyFilter::Env(f) => v0_2::WorkerPropertyFilter::Env(v0_2::WorkerEnvFilter {
            name: f.name,
            comparator: f.comparator.into(),
            value: f.value,
        }),
    }
}

fn to_v0_2_any_filter(filter: WorkerAnyFilter) -> v0_2::WorkerAnyFilter {
    v0_2::WorkerAnyFilter {
        filters: filter
            .filters
            .into_iter()
            .map(|all| v0_2::WorkerAllFilter {
                filters: all.filters.into_iter().map(to_v0_2_filter).collect(),
            })
            .collect(),
    }
}

/// Defines 1.1.5's `worker-uri` in the 1.1.6 instance: Golem 1.1's URN of a worker, with the
/// name as it is (not urlencoded).
pub(crate) fn add_worker_uri(linker: &mut Linker<WorkerState>) -> anyhow::Result<()> {
    linker.instance("golem:api/host@1.1.6")?.func_wrap(
        "worker-uri",
        |_, (worker_id,): (WorkerId,)| {
            let component_id = from_uuid(&worker_id.component_id.uuid);
            Ok((Uri {
                value: format!("urn:worker:{component_id}/{}", worker_id.worker_name),
            },))
        },
    )?;
    Ok(())
}

impl HostGetWorkers for WorkerState {
    fn new(
        &mut self,
        component_id: ComponentId,
        filter: Option<WorkerAnyFilter>,
        precise: bool,
    ) -> wasmtime::Result<Resource<GetWorkersEntry>> {
        let component_id = v0_2::ComponentId {
            uuid: to_v0_2_uuid(component_id.uuid),
        };
        v0_2::HostGetWorkers::new(self, component_id, filter.map(to_v0_2_any_filter), precise)
    }

    fn get_next(
        &mut self,
        self_: Resource<GetWorkersEntry>,
    ) -> wasmtime::Result<Option<Vec<WorkerMetadata>>> {
        let page = v0_2::HostGetWorkers::get_next(self, self_)?;
        Ok(page.map(|page| page.into_iter().map(from_v0_2_metadata).collect()))
    }

    fn drop(&mut self, rep: Resource<GetWorkersEntry>) -> wasmtime::Result<()> {
        v0_2::HostGetWorkers::drop(self, rep)
    }
}

impl Host for WorkerState {
    fn create_promise(&mut self) -> wasmtime::Result<PromiseId> {
        let id = v0_2::Host::create_promise(self)?;
        Ok(PromiseId {
            worker_id: from_v0_2_worker_id(id.worker_id),
            oplog_idx: id.oplog_idx,
        })
    }

    fn await_promise(&mut self, promise_id: PromiseId) -> wasmtime::Result<Vec<u8>> {
        v0_2::Host::await_promise(self, to_v0_2_promise_id(promise_id))
    }

    /// One oplog entry (Golem persists the answer for replays).
    fn poll_promise(&mut self, promise_id: PromiseId) -> wasmtime::Result<Option<Vec<u8>>> {
        let id = from_promise_id(&to_v0_2_promise_id(promise_id));
        let polled = self.services()?.promises().poll(&id);
        self.log(1);
        polled.map_err(promise_error)
    }

    fn complete_promise(&mut self, promise_id: PromiseId, data: Vec<u8>) -> wasmtime::Result<bool> {
        v0_2::Host::complete_promise(self, to_v0_2_promise_id(promise_id), data)
    }

    fn delete_promise(&mut self, promise_id: PromiseId) -> wasmtime::Result<()> {
        v0_2::Host::delete_promise(self, to_v0_2_promise_id(promise_id))
    }

    fn get_oplog_index(&mut self) -> wasmtime::Result<OplogIndex> {
        v0_2::Host::get_oplog_index(self)
    }

    fn set_oplog_index(&mut self, oplog_idx: OplogIndex) -> wasmtime::Result<()> {
        v0_2::Host::set_oplog_index(self, oplog_idx)
    }

    fn oplog_commit(&mut self, replicas: u8) -> wasmtime::Result<()> {
        v0_2::Host::oplog_commit(self, replicas)
    }

    fn mark_begin_operation(&mut self) -> wasmtime::Result<OplogIndex> {
        v0_2::Host::mark_begin_operation(self)
    }

    fn mark_end_operation(&mut self, begin: OplogIndex) -> wasmtime::Result<()> {
        v0_2::Host::mark_end_operation(self, begin)
    }

    fn get_retry_policy(&mut self) -> wasmtime::Result<RetryPolicy> {
        let policy = self.worker.api().retry_policy;
        Ok(RetryPolicy {
            max_attempts: policy.max_attempts,
            min_delay: nanos(policy.min_delay),
            max_delay: nanos(policy.max_delay),
            multiplier: policy.multiplier,
            max_jitter_factor: policy.max_jitter_factor,
        })
    }

    fn set_retry_policy(&mut self, new_retry_policy: RetryPolicy) -> wasmtime::Result<()> {
        self.set_retry_config(RetryConfig {
            max_attempts: new_retry_policy.max_attempts,
            min_delay: Duration::from_nanos(new_retry_policy.min_delay),
            max_delay: Duration::from_nanos(new_retry_policy.max_delay),
            multiplier: new_retry_policy.multiplier,
            max_jitter_factor: new_retry_policy.max_jitter_factor,
        });
        Ok(())
    }

    fn get_oplog_persistence_level(&mut self) -> wasmtime::Result<PersistenceLevel> {
        v0_2::Host::get_oplog_persistence_level(self).map(Into::into)
    }

    fn set_oplog_persistence_level(
        &mut self,
        new_persistence_level: PersistenceLevel,
    ) -> wasmtime::Result<()> {
        v0_2::Host::set_oplog_persistence_level(self, new_persistence_level.into())
    }

    fn get_idempotence_mode(&mut self) -> wasmtime::Result<bool> {
        v0_2::Host::get_idempotence_mode(self)
    }

    fn set_idempotence_mode(&mut self, idempotent: bool) -> wasmtime::Result<()> {
        v0_2::Host::set_idempotence_mode(self, idempotent)
    }

    fn generate_idempotency_key(&mut self) -> wasmtime::Result<Uuid> {
        let key = v0_2::Host::generate_idempotency_key(self)?;
        Ok(Uuid {
            high_bits: key.high_bits,
            low_bits: key.low_bits,
        })
    }

    fn update_worker(
        &mut self,
        worker_id: WorkerId,
        target_version: u64,
        mode: UpdateMode,
    ) -> wasmtime::Result<()> {
        v0_2::Host::update_worker(
            self,
            to_v0_2_worker_id(worker_id),
            target_version,
            mode.into(),
        )
    }

    fn get_self_metadata(&mut self) -> wasmtime::Result<WorkerMetadata> {
        v0_2::Host::get_self_metadata(self).map(from_v0_2_metadata)
    }

    fn get_worker_metadata(
        &mut self,
        worker_id: WorkerId,
    ) -> wasmtime::Result<Option<WorkerMetadata>> {
        let metadata = v0_2::Host::get_worker_metadata(self, to_v0_2_worker_id(worker_id))?;
        Ok(metadata.map(from_v0_2_metadata))
    }

    fn fork_worker(
        &mut self,
        source_worker_id: WorkerId,
        target_worker_id: WorkerId,
        oplog_idx_cut_off: OplogIndex,
    ) -> wasmtime::Result<()> {
        Err(super::no_oplog(format!(
            "fork-worker({}, {}, {oplog_idx_cut_off})",
            from_worker_id(&source_worker_id),
            from_worker_id(&target_worker_id)
        )))
    }

    fn revert_worker(
        &mut self,
        worker_id: WorkerId,
        revert_target: RevertWorkerTarget,
    ) -> wasmtime::Result<()> {
        let (index, last) = match revert_target {
            RevertWorkerTarget::RevertToOplogIndex(index) => (Some(index), None),
            RevertWorkerTarget::RevertLastInvocations(n) => (None, Some(n)),
        };
        Err(super::no_revert(
            "revert-worker",
            &from_worker_id(&worker_id),
            index,
            last,
        ))
    }

    fn resolve_component_id(
        &mut self,
        component_reference: String,
    ) -> wasmtime::Result<Option<ComponentId>> {
        let resolved = self.resolve_component(&component_reference)?;
        Ok(resolved.map(|id| ComponentId { uuid: to_uuid(id) }))
    }

    /// Without checking that the worker exists.
    fn resolve_worker_id(
        &mut self,
        component_reference: String,
        worker_name: String,
    ) -> wasmtime::Result<Option<WorkerId>> {
        let component = self.resolve_component_id(component_reference)?;
        Ok(component.map(|component_id| WorkerId {
            component_id,
            worker_name,
        }))
    }

    fn resolve_worker_id_strict(
        &mut self,
        component_reference: String,
        worker_name: String,
    ) -> wasmtime::Result<Option<WorkerId>> {
        let existing = self.resolve_existing_worker(&component_reference, worker_name)?;
        Ok(existing.map(|id| crate::interfaces::golem_rpc::v0_2::to_worker_id(&id)))
    }

    fn fork(&mut self, new_name: String) -> wasmtime::Result<ForkResult> {
        Err(super::no_oplog(format!(
            "fork({new_name:?}) of worker {}",
            self.worker.id
        )))
    }
}
