//! The host as its workers' host functions see it: [`HostInner`] implements
//! `worker::state::Services`.

use std::sync::{Arc, PoisonError};
use std::time::SystemTime;

use uuid::Uuid;

use super::inner::{HostInner, RPC_OPLOG_ENTRIES};
use crate::bindings::RpcResult;
use crate::bindings::golem::rpc0_1_3::types::{RpcError, WitValue};
use crate::execution::background::PendingInvocation;
use crate::execution::timers::{ScheduleError, ScheduleId};
use crate::model::uri::WorkerId;
use crate::services::data_store::DataStore;
use crate::services::promises::Promises;
use crate::worker::context::WorkerContext;
use crate::worker::output::OutputSink;
use crate::worker::state::{ClientTarget, Services, Settings};

/// The host functions of a worker reach the host through this (see `worker::state`).
impl Services for HostInner {
    fn invoke_and_await(
        self: Arc<Self>,
        caller: &WorkerContext,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
        key: Option<String>,
    ) -> Result<WitValue, RpcError> {
        caller.api().append(RPC_OPLOG_ENTRIES);
        self.rpc_invoke_and_await(target, function, params, Some(&caller.inherited), key)
    }

    fn invoke(
        self: Arc<Self>,
        caller: &WorkerContext,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
        key: Option<String>,
    ) -> Result<(), RpcError> {
        caller.api().append(RPC_OPLOG_ENTRIES);
        self.rpc_invoke(target, function, params, Some(&caller.inherited), key)
    }

    fn async_invoke_and_await(
        self: Arc<Self>,
        caller: &WorkerContext,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
        key: Option<String>,
    ) -> Result<PendingInvocation<RpcResult>, RpcError> {
        caller.api().append(RPC_OPLOG_ENTRIES);
        self.rpc_async_invoke_and_await(target, function, params, Some(&caller.inherited), key)
    }

    fn schedule(
        self: Arc<Self>,
        target: &WorkerId,
        function: &str,
        params: Vec<WitValue>,
        at: SystemTime,
    ) -> Result<Option<ScheduleId>, ScheduleError> {
        self.schedule_rpc(target, function, params, at)
    }

    fn cancel_schedule(&self, id: ScheduleId) {
        self.schedules.cancel(id);
    }

    /// By the name it was loaded under (Golem OSS's syntax), or by its id.
    fn resolve_component(&self, reference: &str) -> Option<Uuid> {
        if let Ok(component) = self.component_by_name(reference) {
            return Some(component.id);
        }
        let id = Uuid::parse_str(reference).ok()?;
        self.component_by_id(&id).map(|c| c.id)
    }

    /// The loaded component exporting interface `R` of the target package (or of golem-cli's
    /// `-exports` package, where `R-inline-functions` holds world `R`'s functions), else an
    /// interface there exporting resource `R`: `component` if it fits, else exactly one must.
    fn client_target(
        &self,
        target_package: &str,
        resource: &str,
        component: Option<Uuid>,
    ) -> Result<ClientTarget, String> {
        if let Some(id) = component
            && let Some(target) = self.client_target_among(target_package, resource, Some(id))?
        {
            return Ok(target);
        }
        self.client_target_among(target_package, resource, None)?
            .ok_or_else(|| unreachable_target(target_package, resource))
    }
    fn promises(&self) -> &Arc<Promises> {
        &self.promises
    }

    fn worker(&self, id: &WorkerId) -> Option<Arc<WorkerContext>> {
        self.existing_worker(id).map(|w| w.context.clone())
    }

    fn output(&self) -> Arc<OutputSink> {
        self.output.clone()
    }

    fn data(&self) -> Arc<DataStore> {
        self.data.clone()
    }

    fn settings(&self) -> Arc<Settings> {
        self.settings.clone()
    }

    /// Ephemeral workers keep no metadata in Golem, so they are not listed.
    fn workers_of(&self, component: &Uuid) -> Vec<Arc<WorkerContext>> {
        if self.component_by_id(component).is_none_or(|c| c.ephemeral) {
            return Vec::new();
        }
        let workers = self.workers.lock().unwrap_or_else(PoisonError::into_inner);
        let mut found: Vec<Arc<WorkerContext>> = workers
            .get(component)
            .map(|of| of.values().map(|w| w.context.clone()).collect())
            .unwrap_or_default();
        found.sort_by(|a, b| a.id.worker_name.cmp(&b.id.worker_name));
        found
    }
}

impl HostInner {
    /// What `client_target` looks for, among the loaded components (`only` the one with that
    /// id): `None` if none fits, an error if several do.
    fn client_target_among(
        &self,
        target_package: &str,
        resource: &str,
        only: Option<Uuid>,
    ) -> Result<Option<ClientTarget>, String> {
        let packages = [
            target_package.to_string(),
            format!("{target_package}-exports"),
        ];
        let components = self
            .components
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let unversioned = |name: &str| name.split('@').next().unwrap_or_default().to_string();
        let mut found = Vec::new();
        for interface_client in [true, false] {
            let candidates = components
                .by_name
                .values()
                .filter(|c| only.is_none_or(|id| c.id == id));
            for component in candidates {
                for interface in component.interfaces() {
                    let base = unversioned(interface);
                    let Some((package, name)) = base.split_once('/') else {
                        continue;
                    };
                    if !packages.iter().any(|p| p == package) {
                        continue;
                    }
                    // golem-cli names the client resource of a target's world-level
                    // functions after the world; they are `{world}-inline-functions`.
                    let fits = if interface_client {
                        name == resource
                            || (package.ends_with("-exports")
                                && name.strip_suffix("-inline-functions") == Some(resource))
                    } else {
                        component.exports_resource(interface, resource)
                    };
                    if fits {
                        found.push((
                            component.name.clone(),
                            ClientTarget {
                                component: component.id,
                                interface: interface.to_string(),
                                interface_client,
                            },
                        ));
                    }
                }
            }
            if !found.is_empty() {
                break;
            }
        }
        match found.len() {
            0 => Ok(None),
            1 => Ok(Some(found.remove(0).1)),
            _ => Err(format!(
                "the client resource '{resource}' fits exports of several components ({}): \
                 the local host cannot tell which one it stands for",
                found
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

/// Why no loaded component stands for client resource `resource` of `{target_package}-client`.
fn unreachable_target(target_package: &str, resource: &str) -> String {
    format!(
        "Resource '{resource}' not found in dynamic linked interface: no loaded component \
         exports an interface `{resource}` of {target_package} or {target_package}-exports, or a \
         resource `{resource}` there"
    )
}
