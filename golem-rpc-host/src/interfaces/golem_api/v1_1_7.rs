//! The host side of `golem:api/host@1.1.7` (Golem 1.3), on the per-worker state `v0_2` keeps.
//!
//! What 1.1.7 changes from 1.1.6 (golemcloud/golem v1.3.1 `wit/deps/golem-1.x/golem-host.wit`,
//! the executor's `durable_host/golem/v1x.rs`):
//! - workers are *agents*: `agent-id { component-id, agent-id }` (for a WIT component the agent
//!   id is the worker name), `agent-metadata` (with `config-vars`: WASI config variables, of
//!   which the local host gives workers none), `get-agents`, `update-agent`,
//!   `get-agent-metadata`, `fork-agent`, `revert-agent`, `resolve-agent-id(-strict)`;
//! - promises: **`get-promise`** returns a `get-promise-result` whose pollable is ready once the
//!   promise is completed and whose `get` is `none` until then; only the agent that created the
//!   promise may read it (Golem's `Tried awaiting a promise not created by the current agent`);
//!   `await-promise`, `poll-promise` and `delete-promise` are gone;
//! - filters gain the string comparator `starts-with` and a `wasi-config-vars` property;
//! - `get-self-uri` is gone (as in 1.1.6).
//!
//! Everything else means what it means in 0.2.0 / 1.1.6: this module converts the records and
//! calls `v0_2`.

use std::sync::Arc;

use wasmtime::component::Resource;

use crate::bindings::GetWorkersEntry;
use crate::bindings::golem::api0_2_0::host as v0_2;
use crate::bindings::golem::api1_1_7::host::{
    AgentAnyFilter, AgentId, AgentMetadata, AgentPropertyFilter, AgentStatus, ComponentId,
    ForkResult, Host, HostGetAgents, HostGetPromiseResult, OplogIndex, PersistenceLevel, PromiseId,
    RetryPolicy, RevertAgentTarget, UpdateMode, Uuid,
};
use crate::bindings::resources::PromiseResultEntry;
use crate::interfaces::golem_api::{filter, promise_error};
use crate::interfaces::golem_rpc::v0_2_2::{from_agent_id, from_uuid, to_agent_id, to_uuid};
use crate::model::uri;
use crate::services::promises;
use crate::worker::state::WorkerState;

super::same_enums! {
    v0_2;
    PersistenceLevel { PersistNothing, PersistRemoteSideEffects, Smart }
    UpdateMode { Automatic, SnapshotBased }
}

fn to_v0_2_worker_id(id: &AgentId) -> v0_2::WorkerId {
    let id = from_agent_id(id);
    let (high_bits, low_bits) = id.component_id.as_u64_pair();
    v0_2::WorkerId {
        component_id: v0_2::ComponentId {
            uuid: v0_2::Uuid {
                high_bits,
                low_bits,
            },
        },
        worker_name: id.worker_name,
    }
}

fn from_v0_2_worker_id(id: &v0_2::WorkerId) -> AgentId {
    let uuid = uuid::Uuid::from_u64_pair(
        id.component_id.uuid.high_bits,
        id.component_id.uuid.low_bits,
    );
    to_agent_id(&uri::WorkerId::new(uuid, id.worker_name.clone()))
}

fn status(status: v0_2::WorkerStatus) -> AgentStatus {
    match status {
        v0_2::WorkerStatus::Running => AgentStatus::Running,
        v0_2::WorkerStatus::Idle => AgentStatus::Idle,
        v0_2::WorkerStatus::Suspended => AgentStatus::Suspended,
        v0_2::WorkerStatus::Interrupted => AgentStatus::Interrupted,
        v0_2::WorkerStatus::Retrying => AgentStatus::Retrying,
        v0_2::WorkerStatus::Failed => AgentStatus::Failed,
        v0_2::WorkerStatus::Exited => AgentStatus::Exited,
    }
}

fn from_v0_2_metadata(metadata: v0_2::WorkerMetadata) -> AgentMetadata {
    AgentMetadata {
        agent_id: from_v0_2_worker_id(&metadata.worker_id),
        args: metadata.args,
        env: metadata.env,
        config_vars: Vec::new(),
        status: status(metadata.status),
        component_version: metadata.component_version,
        retry_count: metadata.retry_count,
    }
}

fn promise(id: &PromiseId) -> promises::PromiseId {
    promises::PromiseId {
        worker_id: from_agent_id(&id.agent_id),
        oplog_idx: id.oplog_idx,
    }
}

super::filter_comparators!(crate::bindings::golem::api1_1_7::host; StartsWith);

fn any_filter(any: AgentAnyFilter) -> filter::AnyFilter {
    use filter::PropertyFilter as F;
    any.filters
        .into_iter()
        .map(|all| {
            all.filters
                .into_iter()
                .map(|f| match f {
                    AgentPropertyFilter::Name(f) => {
                        F::Name(string_comparator(f.comparator), f.value)
                    }
                    AgentPropertyFilter::Status(f) => {
                        F::Status(comparator(f.comparator), f.value as u8)
                    }
                    AgentPropertyFilter::Version(f) => {
                        F::Version(comparator(f.comparator), f.value)
                    }
                    AgentPropertyFilter::CreatedAt(f) => {
                        F::CreatedAt(comparator(f.comparator), f.value)
                    }
                    AgentPropertyFilter::Env(f) => {
                        F::Env(f.name, string_comparator(f.comparator), f.value)
                    }
                    AgentPropertyFilter::WasiConfigVars(f) => {
                        F::ConfigVar(f.name, string_comparator(f.comparator), f.value)
                    }
                })
                .collect()
        })
        .collect()
}

impl HostGetAgents for WorkerState {
    fn new(
        &mut self,
        component_id: ComponentId,
        filter: Option<AgentAnyFilter>,
        _precise: bool,
    ) -> wasmtime::Result<Resource<GetWorkersEntry>> {
        self.get_workers(from_uuid(&component_id.uuid), filter.map(any_filter))
    }

    fn get_next(
        &mut self,
        self_: Resource<GetWorkersEntry>,
    ) -> wasmtime::Result<Option<Vec<AgentMetadata>>> {
        let page = self.next_workers_page(&self_)?;
        Ok(page.map(|page| page.into_iter().map(from_v0_2_metadata).collect()))
    }

    fn drop(&mut self, rep: Resource<GetWorkersEntry>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl HostGetPromiseResult for WorkerState {
    fn subscribe(
        &mut self,
        self_: Resource<PromiseResultEntry>,
    ) -> wasmtime::Result<Resource<wasmtime_wasi::p2::DynPollable>> {
        wasmtime_wasi::p2::subscribe(&mut self.table, self_)
    }

    /// `none` while the promise is pending, then its payload (one oplog entry in Golem, which
    /// persists the answer); a deleted promise traps with Golem's `Promise not found`.
    fn get(&mut self, self_: Resource<PromiseResultEntry>) -> wasmtime::Result<Option<Vec<u8>>> {
        let entry = self.table.get(&self_)?;
        let id = promises::PromiseId {
            worker_id: entry.worker_id.clone(),
            oplog_idx: entry.oplog_idx,
        };
        let polled = self.services()?.promises().poll(&id);
        if matches!(polled, Ok(Some(_))) {
            self.log(1);
        }
        polled.map_err(promise_error)
    }

    fn drop(&mut self, rep: Resource<PromiseResultEntry>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl Host for WorkerState {
    fn create_promise(&mut self) -> wasmtime::Result<PromiseId> {
        let id = v0_2::Host::create_promise(self)?;
        Ok(PromiseId {
            agent_id: from_v0_2_worker_id(&id.worker_id),
            oplog_idx: id.oplog_idx,
        })
    }

    /// Only the agent that created the promise may read it (Golem wakes only that one).
    fn get_promise(
        &mut self,
        promise_id: PromiseId,
    ) -> wasmtime::Result<Resource<PromiseResultEntry>> {
        let id = promise(&promise_id);
        if id.worker_id != self.worker.id {
            return Err(wasmtime::format_err!(
                "Tried awaiting a promise not created by the current agent"
            ));
        }
        let promises = Arc::clone(self.services()?.promises());
        let waited = id.clone();
        let settled: crate::bindings::resources::Settled = Box::new(move || {
            let promises = Arc::clone(&promises);
            let id = waited.clone();
            Box::pin(async move { promises.settled(&id).await })
        });
        Ok(self.table.push(PromiseResultEntry {
            worker_id: id.worker_id,
            oplog_idx: id.oplog_idx,
            settled,
        })?)
    }

    fn complete_promise(&mut self, promise_id: PromiseId, data: Vec<u8>) -> wasmtime::Result<bool> {
        let id = v0_2::PromiseId {
            worker_id: to_v0_2_worker_id(&promise_id.agent_id),
            oplog_idx: promise_id.oplog_idx,
        };
        v0_2::Host::complete_promise(self, id, data)
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
            min_delay: crate::interfaces::golem_api::nanos(policy.min_delay),
            max_delay: crate::interfaces::golem_api::nanos(policy.max_delay),
            multiplier: policy.multiplier,
            max_jitter_factor: policy.max_jitter_factor,
        })
    }

    fn set_retry_policy(&mut self, new_retry_policy: RetryPolicy) -> wasmtime::Result<()> {
        self.set_retry_config(crate::worker::context::RetryConfig {
            max_attempts: new_retry_policy.max_attempts,
            min_delay: std::time::Duration::from_nanos(new_retry_policy.min_delay),
            max_delay: std::time::Duration::from_nanos(new_retry_policy.max_delay),
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

    fn update_agent(
        &mut self,
        agent_id: AgentId,
        target_version: u64,
        mode: UpdateMode,
    ) -> wasmtime::Result<()> {
        v0_2::Host::update_worker(
            self,
            to_v0_2_worker_id(&agent_id),
            target_version,
            mode.into(),
        )
    }

    fn get_self_metadata(&mut self) -> wasmtime::Result<AgentMetadata> {
        v0_2::Host::get_self_metadata(self).map(from_v0_2_metadata)
    }

    fn get_agent_metadata(&mut self, agent_id: AgentId) -> wasmtime::Result<Option<AgentMetadata>> {
        let metadata = v0_2::Host::get_worker_metadata(self, to_v0_2_worker_id(&agent_id))?;
        Ok(metadata.map(from_v0_2_metadata))
    }

    fn fork_agent(
        &mut self,
        source_agent_id: AgentId,
        target_agent_id: AgentId,
        oplog_idx_cut_off: OplogIndex,
    ) -> wasmtime::Result<()> {
        Err(super::no_oplog(format!(
            "fork-agent({}, {}, {oplog_idx_cut_off})",
            from_agent_id(&source_agent_id),
            from_agent_id(&target_agent_id)
        )))
    }

    fn revert_agent(
        &mut self,
        agent_id: AgentId,
        revert_target: RevertAgentTarget,
    ) -> wasmtime::Result<()> {
        let (index, last) = match revert_target {
            RevertAgentTarget::RevertToOplogIndex(index) => (Some(index), None),
            RevertAgentTarget::RevertLastInvocations(n) => (None, Some(n)),
        };
        Err(super::no_revert(
            "revert-agent",
            &from_agent_id(&agent_id),
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

    /// Without checking that the agent exists.
    fn resolve_agent_id(
        &mut self,
        component_reference: String,
        agent_name: String,
    ) -> wasmtime::Result<Option<AgentId>> {
        let component = self.resolve_component_id(component_reference)?;
        Ok(component.map(|component_id| AgentId {
            component_id,
            agent_id: agent_name,
        }))
    }

    fn resolve_agent_id_strict(
        &mut self,
        component_reference: String,
        agent_name: String,
    ) -> wasmtime::Result<Option<AgentId>> {
        let existing = self.resolve_existing_worker(&component_reference, agent_name)?;
        Ok(existing.map(|id| to_agent_id(&id)))
    }

    fn fork(&mut self, new_name: String) -> wasmtime::Result<ForkResult> {
        Err(super::no_oplog(format!(
            "fork({new_name:?}) of agent {}",
            self.worker.id
        )))
    }
}
