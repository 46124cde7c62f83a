//! `golem:api/host@0.2.0` (Golem 1.0/1.1): promises, the oplog index, the settings a worker may
//! change, metadata and `get-workers`, as the parent module describes them.

use std::sync::Arc;
use std::time::Duration;

use wasmtime::component::Resource;

use crate::bindings::GetWorkersEntry;
use crate::bindings::golem::api0_2_0::host::{
    ComponentId, Host, HostGetWorkers, PersistenceLevel, PromiseId, RetryPolicy, UpdateMode, Uuid,
    WorkerAnyFilter, WorkerId, WorkerMetadata, WorkerPropertyFilter, WorkerStatus,
};
use crate::bindings::golem::rpc0_1_3::types::Uri;
use crate::interfaces::golem_api::{filter, nanos, promise_error};
use crate::model::uri;
use crate::services::promises;
use crate::worker::context::{COMPONENT_VERSION, RetryConfig, WorkerContext, invocation_key};
use crate::worker::state::WorkerState;

/// Workers per `get-next` page, as in Golem's executor.
const WORKERS_PAGE_SIZE: usize = 50;

fn to_uuid(id: uuid::Uuid) -> Uuid {
    let (high_bits, low_bits) = id.as_u64_pair();
    Uuid {
        high_bits,
        low_bits,
    }
}

fn from_uuid(id: &Uuid) -> uuid::Uuid {
    uuid::Uuid::from_u64_pair(id.high_bits, id.low_bits)
}

fn to_worker_id(id: &uri::WorkerId) -> WorkerId {
    WorkerId {
        component_id: ComponentId {
            uuid: to_uuid(id.component_id),
        },
        worker_name: id.worker_name.clone(),
    }
}

fn from_worker_id(id: &WorkerId) -> uri::WorkerId {
    uri::WorkerId::new(from_uuid(&id.component_id.uuid), id.worker_name.clone())
}

pub(crate) fn from_promise_id(id: &PromiseId) -> promises::PromiseId {
    promises::PromiseId {
        worker_id: from_worker_id(&id.worker_id),
        oplog_idx: id.oplog_idx,
    }
}

/// A worker's metadata as `golem:api` describes it.
pub(crate) fn metadata(worker: &WorkerContext) -> WorkerMetadata {
    let api = worker.api();
    WorkerMetadata {
        worker_id: to_worker_id(&worker.id),
        args: worker.startup.args.to_vec(),
        env: worker.startup.env.to_vec(),
        status: api.status,
        component_version: COMPONENT_VERSION,
        retry_count: 0,
    }
}

super::filter_comparators!(crate::bindings::golem::api0_2_0::host;);

fn any_filter(any: WorkerAnyFilter) -> filter::AnyFilter {
    use filter::PropertyFilter as F;
    any.filters
        .into_iter()
        .map(|all| {
            all.filters
                .into_iter()
                .map(|f| match f {
                    WorkerPropertyFilter::Name(f) => {
                        F::Name(string_comparator(f.comparator), f.value)
                    }
                    WorkerPropertyFilter::Status(f) => {
                        F::Status(comparator(f.comparator), f.value as u8)
                    }
                    WorkerPropertyFilter::Version(f) => {
                        F::Version(comparator(f.comparator), f.value)
                    }
                    WorkerPropertyFilter::CreatedAt(f) => {
                        F::CreatedAt(comparator(f.comparator), f.value)
                    }
                    WorkerPropertyFilter::Env(f) => {
                        F::Env(f.name, string_comparator(f.comparator), f.value)
                    }
                })
                .collect()
        })
        .collect()
}

impl WorkerState {
    /// `get-workers` / `get-agents` of any version: the metadata of the workers of
    /// `component_id` that `filter` matches, served in pages by [`Self::next_workers_page`].
    pub(crate) fn get_workers(
        &mut self,
        component_id: uuid::Uuid,
        filter: Option<filter::AnyFilter>,
    ) -> wasmtime::Result<Resource<GetWorkersEntry>> {
        // The host's view is always precise: it is the only executor.
        let workers = self.services()?.workers_of(&component_id);
        let found: Vec<WorkerMetadata> = workers
            .iter()
            .filter(|w| filter::matches_any(filter.as_ref(), w))
            .map(|w| metadata(w))
            .collect();
        Ok(self.table.push(GetWorkersEntry {
            pending: Some(found.into_iter()),
        })?)
    }

    /// Pages of up to 50 workers (the first may be empty), then `none`.
    pub(crate) fn next_workers_page(
        &mut self,
        entry: &Resource<GetWorkersEntry>,
    ) -> wasmtime::Result<Option<Vec<WorkerMetadata>>> {
        let entry = self.table.get_mut(entry)?;
        let Some(pending) = &mut entry.pending else {
            return Ok(None);
        };
        let page: Vec<WorkerMetadata> = pending.by_ref().take(WORKERS_PAGE_SIZE).collect();
        if pending.len() == 0 {
            entry.pending = None;
        }
        Ok(Some(page))
    }
}

impl HostGetWorkers for WorkerState {
    fn new(
        &mut self,
        component_id: ComponentId,
        filter: Option<WorkerAnyFilter>,
        _precise: bool,
    ) -> wasmtime::Result<Resource<GetWorkersEntry>> {
        self.get_workers(from_uuid(&component_id.uuid), filter.map(any_filter))
    }

    fn get_next(
        &mut self,
        self_: Resource<GetWorkersEntry>,
    ) -> wasmtime::Result<Option<Vec<WorkerMetadata>>> {
        self.next_workers_page(&self_)
    }

    fn drop(&mut self, rep: Resource<GetWorkersEntry>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl Host for WorkerState {
    /// A promise identified by this worker and the index of a no-op oplog entry.
    fn create_promise(&mut self) -> wasmtime::Result<PromiseId> {
        let oplog_idx = self.log(1);
        self.services()?.promises().create(promises::PromiseId {
            worker_id: self.worker.id.clone(),
            oplog_idx,
        });
        Ok(PromiseId {
            worker_id: to_worker_id(&self.worker.id),
            oplog_idx,
        })
    }

    /// Blocks this worker until the promise is completed (Golem suspends it meanwhile).
    fn await_promise(&mut self, promise_id: PromiseId) -> wasmtime::Result<Vec<u8>> {
        let services = self.services()?;
        self.worker.api().status = WorkerStatus::Suspended;
        let awaited = services.promises().wait(&from_promise_id(&promise_id));
        self.worker.api().status = WorkerStatus::Running;
        awaited.map_err(promise_error)
    }

    fn complete_promise(&mut self, promise_id: PromiseId, data: Vec<u8>) -> wasmtime::Result<bool> {
        let completed = self
            .services()?
            .promises()
            .complete(&from_promise_id(&promise_id), data)
            .map_err(promise_error)?;
        self.log(1);
        Ok(completed)
    }

    fn delete_promise(&mut self, promise_id: PromiseId) -> wasmtime::Result<()> {
        self.services()?
            .promises()
            .delete(&from_promise_id(&promise_id));
        self.log(1);
        Ok(())
    }

    /// Golem 1.0 returns the *function* URN
    /// `urn:worker:{component-uuid}/{urlencoded worker name}/{urlencoded function name}`
    /// (protocol.md §1).
    fn get_self_uri(&mut self, function_name: String) -> wasmtime::Result<Uri> {
        Ok(Uri {
            value: self.worker.id.function_uri(&function_name),
        })
    }

    /// Appends a no-op entry and returns its index.
    fn get_oplog_index(&mut self) -> wasmtime::Result<u64> {
        Ok(self.log(1))
    }

    fn set_oplog_index(&mut self, oplog_idx: u64) -> wasmtime::Result<()> {
        let current = self.worker.api().oplog_index;
        if oplog_idx + 1 > current + 1 {
            return Err(wasmtime::format_err!(
                "Attempted to jump forward in oplog to index {} from {}",
                oplog_idx + 1,
                current + 1
            ));
        }
        Err(wasmtime::format_err!(
            "set-oplog-index({oplog_idx}) is not supported by the local golem-rpc host: it keeps no \
             oplog to replay, so the worker cannot travel back from index {current}"
        ))
    }

    fn oplog_commit(&mut self, _replicas: u8) -> wasmtime::Result<()> {
        Ok(())
    }

    fn mark_begin_operation(&mut self) -> wasmtime::Result<u64> {
        Ok(self.log(1))
    }

    fn mark_end_operation(&mut self, _begin: u64) -> wasmtime::Result<()> {
        self.log(1);
        Ok(())
    }

    fn get_retry_policy(&mut self) -> wasmtime::Result<RetryPolicy> {
        let policy = self.worker.api().retry_policy;
        Ok(RetryPolicy {
            max_attempts: policy.max_attempts,
            min_delay: nanos(policy.min_delay),
            max_delay: nanos(policy.max_delay),
            multiplier: policy.multiplier,
        })
    }

    /// Without a jitter factor (0.2.0 has none), as Golem 1.1's executor sets it.
    fn set_retry_policy(&mut self, new_retry_policy: RetryPolicy) -> wasmtime::Result<()> {
        self.set_retry_config(RetryConfig {
            max_attempts: new_retry_policy.max_attempts,
            min_delay: Duration::from_nanos(new_retry_policy.min_delay),
            max_delay: Duration::from_nanos(new_retry_policy.max_delay),
            multiplier: new_retry_policy.multiplier,
            max_jitter_factor: None,
        });
        Ok(())
    }

    fn get_oplog_persistence_level(&mut self) -> wasmtime::Result<PersistenceLevel> {
        Ok(self.worker.api().persistence_level)
    }

    fn set_oplog_persistence_level(
        &mut self,
        new_persistence_level: PersistenceLevel,
    ) -> wasmtime::Result<()> {
        self.worker.api().persistence_level = new_persistence_level;
        Ok(())
    }

    fn get_idempotence_mode(&mut self) -> wasmtime::Result<bool> {
        Ok(self.worker.api().idempotent)
    }

    fn set_idempotence_mode(&mut self, idempotent: bool) -> wasmtime::Result<()> {
        self.worker.api().idempotent = idempotent;
        Ok(())
    }

    /// Golem 1.1's `IdempotencyKey::derived`: UUID v5 of `oplog-index-{N}` under the
    /// invocation's key, N the index before this call's own entry.
    fn generate_idempotency_key(&mut self) -> wasmtime::Result<Uuid> {
        let mut api = self.worker.api();
        let namespace = invocation_key(api.invocation);
        let key = uuid::Uuid::new_v5(
            &namespace,
            format!("oplog-index-{}", api.oplog_index).as_bytes(),
        );
        api.append(1);
        Ok(to_uuid(key))
    }

    fn update_worker(
        &mut self,
        worker_id: WorkerId,
        target_version: u64,
        mode: UpdateMode,
    ) -> wasmtime::Result<()> {
        let target = from_worker_id(&worker_id);
        if target_version != COMPONENT_VERSION {
            eprintln!(
                "golem-rpc-host: update-worker({target}, {target_version}, {mode:?}) from {} \
                 ignored: the local host keeps one version ({COMPONENT_VERSION}) of each component",
                self.worker.id
            );
        }
        self.log(1);
        Ok(())
    }

    fn get_self_metadata(&mut self) -> wasmtime::Result<WorkerMetadata> {
        Ok(metadata(&self.worker))
    }

    fn get_worker_metadata(
        &mut self,
        worker_id: WorkerId,
    ) -> wasmtime::Result<Option<WorkerMetadata>> {
        let worker: Option<Arc<WorkerContext>> =
            self.services()?.worker(&from_worker_id(&worker_id));
        Ok(worker.map(|w| metadata(&w)))
    }
}
