//! The host side of `golem:api/host@1.3.0` (Golem 1.4), as an adapter over `v1_1_7` (1.3's):
//! the interface is 1.1.7's with a component's *version* called its *revision* (`agent-metadata`'s
//! `component-revision`, `update-agent`'s `target-revision`), and `fork()` taking no name and
//! answering with the phantom id of the fork (golemcloud/golem v1.4.2
//! `golem-common/wit/deps/golem-1.x/golem-host.wit`). This module converts the records and calls
//! `v1_1_7`; `agent-id` and `component-id` are `golem:rpc/types@0.2.2`'s in both.

use wasmtime::component::Resource;

use crate::bindings::GetWorkersEntry;
use crate::bindings::golem::api1_1_7::host as v1_1_7;
use crate::bindings::golem::api1_3_0::host::{
    AgentAllFilter, AgentAnyFilter, AgentConfigVarsFilter, AgentCreatedAtFilter, AgentEnvFilter,
    AgentId, AgentMetadata, AgentNameFilter, AgentPropertyFilter, AgentStatus, AgentStatusFilter,
    AgentVersionFilter, ComponentId, FilterComparator, ForkResult, Host, HostGetAgents,
    HostGetPromiseResult, OplogIndex, PersistenceLevel, PromiseId, RetryPolicy, RevertAgentTarget,
    StringFilterComparator, UpdateMode, Uuid,
};
use crate::bindings::resources::PromiseResultEntry;
use crate::worker::state::WorkerState;

super::same_enums! {
    v1_1_7;
    PersistenceLevel { PersistNothing, PersistRemoteSideEffects, Smart }
    UpdateMode { Automatic, SnapshotBased }
    FilterComparator { Equal, NotEqual, GreaterEqual, Greater, LessEqual, Less }
    StringFilterComparator { Equal, NotEqual, Like, NotLike, StartsWith }
    AgentStatus { Running, Idle, Suspended, Interrupted, Retrying, Failed, Exited }
}

fn to_v1_1_7(id: PromiseId) -> v1_1_7::PromiseId {
    v1_1_7::PromiseId {
        agent_id: id.agent_id,
        oplog_idx: id.oplog_idx,
    }
}

fn metadata(metadata: v1_1_7::AgentMetadata) -> AgentMetadata {
    AgentMetadata {
        agent_id: metadata.agent_id,
        args: metadata.args,
        env: metadata.env,
        config_vars: metadata.config_vars,
        status: metadata.status.into(),
        component_revision: metadata.component_version,
        retry_count: metadata.retry_count,
    }
}

fn property_filter(filter: AgentPropertyFilter) -> v1_1_7::AgentPropertyFilter {
    use v1_1_7::AgentPropertyFilter as F;
    match filter {
        AgentPropertyFilter::Name(AgentNameFilter { comparator, value }) => {
            F::Name(v1_1_7::AgentNameFilter {
                comparator: comparator.into(),
                value,
            })
        }
        AgentPropertyFilter::Status(AgentStatusFilter { comparator, value }) => {
            F::Status(v1_1_7::AgentStatusFilter {
                comparator: comparator.into(),
                value: value.into(),
            })
        }
        AgentPropertyFilter::Version(AgentVersionFilter { comparator, value }) => {
            F::Version(v1_1_7::AgentVersionFilter {
                comparator: comparator.into(),
                value,
            })
        }
        AgentPropertyFilter::CreatedAt(AgentCreatedAtFilter { comparator, value }) => {
            F::CreatedAt(v1_1_7::AgentCreatedAtFilter {
                comparator: comparator.into(),
                value,
            })
        }
        AgentPropertyFilter::Env(AgentEnvFilter {
            name,
            comparator,
            value,
        }) => F::Env(v1_1_7::AgentEnvFilter {
            name,
            comparator: comparator.into(),
            value,
        }),
        AgentPropertyFilter::WasiConfigVars(AgentConfigVarsFilter {
            name,
            comparator,
            value,
        }) => F::WasiConfigVars(v1_1_7::AgentConfigVarsFilter {
            name,
            comparator: comparator.into(),
            value,
        }),
    }
}

fn any_filter(filter: AgentAnyFilter) -> v1_1_7::AgentAnyFilter {
    v1_1_7::AgentAnyFilter {
        filters: filter
            .filters
            .into_iter()
            .map(|AgentAllFilter { filters }| v1_1_7::AgentAllFilter {
                filters: filters.into_iter().map(property_filter).collect(),
            })
            .collect(),
    }
}

impl HostGetAgents for WorkerState {
    fn new(
        &mut self,
        component_id: ComponentId,
        filter: Option<AgentAnyFilter>,
        precise: bool,
    ) -> wasmtime::Result<Resource<GetWorkersEntry>> {
        v1_1_7::HostGetAgents::new(self, component_id, filter.map(any_filter), precise)
    }

    fn get_next(
        &mut self,
        self_: Resource<GetWorkersEntry>,
    ) -> wasmtime::Result<Option<Vec<AgentMetadata>>> {
        let page = v1_1_7::HostGetAgents::get_next(self, self_)?;
        Ok(page.map(|page| page.into_iter().map(metadata).collect()))
    }

    fn drop(&mut self, rep: Resource<GetWorkersEntry>) -> wasmtime::Result<()> {
        v1_1_7::HostGetAgents::drop(self, rep)
    }
}

impl HostGetPromiseResult for WorkerState {
    fn subscribe(
        &mut self,
        self_: Resource<PromiseResultEntry>,
    ) -> wasmtime::Result<Resource<wasmtime_wasi::p2::DynPollable>> {
        v1_1_7::HostGetPromiseResult::subscribe(self, self_)
    }

    fn get(&mut self, self_: Resource<PromiseResultEntry>) -> wasmtime::Result<Option<Vec<u8>>> {
        v1_1_7::HostGetPromiseResult::get(self, self_)
    }

    fn drop(&mut self, rep: Resource<PromiseResultEntry>) -> wasmtime::Result<()> {
        v1_1_7::HostGetPromiseResult::drop(self, rep)
    }
}

impl Host for WorkerState {
    fn create_promise(&mut self) -> wasmtime::Result<PromiseId> {
        let id = v1_1_7::Host::create_promise(self)?;
        Ok(PromiseId {
            agent_id: id.agent_id,
            oplog_idx: id.oplog_idx,
        })
    }

    fn get_promise(
        &mut self,
        promise_id: PromiseId,
    ) -> wasmtime::Result<Resource<PromiseResultEntry>> {
        v1_1_7::Host::get_promise(self, to_v1_1_7(promise_id))
    }

    fn complete_promise(&mut self, promise_id: PromiseId, data: Vec<u8>) -> wasmtime::Result<bool> {
        v1_1_7::Host::complete_promise(self, to_v1_1_7(promise_id), data)
    }

    fn get_oplog_index(&mut self) -> wasmtime::Result<OplogIndex> {
        v1_1_7::Host::get_oplog_index(self)
    }

    fn set_oplog_index(&mut self, oplog_idx: OplogIndex) -> wasmtime::Result<()> {
        v1_1_7::Host::set_oplog_index(self, oplog_idx)
    }

    fn oplog_commit(&mut self, replicas: u8) -> wasmtime::Result<()> {
        v1_1_7::Host::oplog_commit(self, replicas)
    }

    fn mark_begin_operation(&mut self) -> wasmtime::Result<OplogIndex> {
        v1_1_7::Host::mark_begin_operation(self)
    }

    fn mark_end_operation(&mut self, begin: OplogIndex) -> wasmtime::Result<()> {
        v1_1_7::Host::mark_end_operation(self, begin)
    }

    fn get_retry_policy(&mut self) -> wasmtime::Result<RetryPolicy> {
        let policy = v1_1_7::Host::get_retry_policy(self)?;
        Ok(RetryPolicy {
            max_attempts: policy.max_attempts,
            min_delay: policy.min_delay,
            max_delay: policy.max_delay,
            multiplier: policy.multiplier,
            max_jitter_factor: policy.max_jitter_factor,
        })
    }

    fn set_retry_policy(&mut self, new_retry_policy: RetryPolicy) -> wasmtime::Result<()> {
        v1_1_7::Host::set_retry_policy(
            self,
            v1_1_7::RetryPolicy {
                max_attempts: new_retry_policy.max_attempts,
                min_delay: new_retry_policy.min_delay,
                max_delay: new_retry_policy.max_delay,
                multiplier: new_retry_policy.multiplier,
                max_jitter_factor: new_retry_policy.max_jitter_factor,
            },
        )
    }

    fn get_oplog_persistence_level(&mut self) -> wasmtime::Result<PersistenceLevel> {
        v1_1_7::Host::get_oplog_persistence_level(self).map(Into::into)
    }

    fn set_oplog_persistence_level(
        &mut self,
        new_persistence_level: PersistenceLevel,
    ) -> wasmtime::Result<()> {
        v1_1_7::Host::set_oplog_persistence_level(self, new_persistence_level.into())
    }

    fn get_idempotence_mode(&mut self) -> wasmtime::Result<bool> {
        v1_1_7::Host::get_idempotence_mode(self)
    }

    fn set_idempotence_mode(&mut self, idempotent: bool) -> wasmtime::Result<()> {
        v1_1_7::Host::set_idempotence_mode(self, idempotent)
    }

    fn generate_idempotency_key(&mut self) -> wasmtime::Result<Uuid> {
        v1_1_7::Host::generate_idempotency_key(self)
    }

    fn update_agent(
        &mut self,
        agent_id: AgentId,
        target_revision: u64,
        mode: UpdateMode,
    ) -> wasmtime::Result<()> {
        v1_1_7::Host::update_agent(self, agent_id, target_revision, mode.into())
    }

    fn get_self_metadata(&mut self) -> wasmtime::Result<AgentMetadata> {
        v1_1_7::Host::get_self_metadata(self).map(metadata)
    }

    fn get_agent_metadata(&mut self, agent_id: AgentId) -> wasmtime::Result<Option<AgentMetadata>> {
        Ok(v1_1_7::Host::get_agent_metadata(self, agent_id)?.map(metadata))
    }

    fn fork_agent(
        &mut self,
        source_agent_id: AgentId,
        target_agent_id: AgentId,
        oplog_idx_cut_off: OplogIndex,
    ) -> wasmtime::Result<()> {
        v1_1_7::Host::fork_agent(self, source_agent_id, target_agent_id, oplog_idx_cut_off)
    }

    fn revert_agent(
        &mut self,
        agent_id: AgentId,
        revert_target: RevertAgentTarget,
    ) -> wasmtime::Result<()> {
        let target = match revert_target {
            RevertAgentTarget::RevertToOplogIndex(index) => {
                v1_1_7::RevertAgentTarget::RevertToOplogIndex(index)
            }
            RevertAgentTarget::RevertLastInvocations(n) => {
                v1_1_7::RevertAgentTarget::RevertLastInvocations(n)
            }
        };
        v1_1_7::Host::revert_agent(self, agent_id, target)
    }

    fn resolve_component_id(
        &mut self,
        component_reference: String,
    ) -> wasmtime::Result<Option<ComponentId>> {
        v1_1_7::Host::resolve_component_id(self, component_reference)
    }

    fn resolve_agent_id(
        &mut self,
        component_reference: String,
        agent_name: String,
    ) -> wasmtime::Result<Option<AgentId>> {
        v1_1_7::Host::resolve_agent_id(self, component_reference, agent_name)
    }

    fn resolve_agent_id_strict(
        &mut self,
        component_reference: String,
        agent_name: String,
    ) -> wasmtime::Result<Option<AgentId>> {
        v1_1_7::Host::resolve_agent_id_strict(self, component_reference, agent_name)
    }

    /// Golem 1.4's `fork()` (no name; the fork gets a phantom id): it needs an oplog.
    fn fork(&mut self) -> wasmtime::Result<ForkResult> {
        Err(super::no_oplog(format!(
            "fork() of agent {}",
            self.worker.id
        )))
    }
}
