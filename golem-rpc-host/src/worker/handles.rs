//! Resources exported by a worker, as other workers see them: `handle(uri, id)` values
//! (protocol.md §5, as Golem 1.0's executor does it).
//!
//! A resource that leaves a worker as an `own<R>` result (a constructor's, or any function's) is
//! kept in the worker's [`HandleTable`] under a fresh id and travels as
//! `handle(worker's self URI, id)`. A handle in a parameter must carry the callee's own URI and an
//! id from its table; an `own` parameter takes the resource out of the table (ownership moves to
//! the callee's function), a `borrow` leaves it there. `{R.drop}` removes and drops it. The table
//! lives as long as the worker's instance: after a trap it is gone, and ids are never reused.

use std::collections::HashMap;
use std::sync::Arc;

use wasmtime::component::{ResourceAny, ResourceType, Type, Val};

use crate::bindings::value::{HandleContext, ValueError, type_name};

/// Golem's error text for a handle whose URI is not the callee's.
pub(crate) const DIFFERENT_WORKER: &str = "cannot resolve handle belonging to a different worker";

/// The resources of one worker that callers hold handles to, by id.
#[derive(Default)]
pub(crate) struct HandleTable {
    entries: HashMap<u64, ResourceAny>,
    next_id: u64,
}

impl HandleTable {
    /// Registers `resource` under a fresh id.
    pub(crate) fn insert(&mut self, resource: ResourceAny) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.entries.insert(id, resource);
        id
    }

    pub(crate) fn get(&self, id: u64) -> Option<ResourceAny> {
        self.entries.get(&id).copied()
    }

    pub(crate) fn remove(&mut self, id: u64) -> Option<ResourceAny> {
        self.entries.remove(&id)
    }

    /// Forgets every entry (the instance, and with it the resources, is gone); ids stay unique.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}

/// The names of the resource types an instance exports, for messages and type checks.
#[derive(Default)]
pub(crate) struct ResourceNames(Vec<(ResourceType, Arc<str>)>);

impl ResourceNames {
    pub(crate) fn new(names: Vec<(ResourceType, Arc<str>)>) -> Self {
        Self(names)
    }

    /// The name of `ty` (`ns:pkg/iface.{R}`), or `resource` if the instance does not export it.
    pub(crate) fn name(&self, ty: &ResourceType) -> &str {
        self.0
            .iter()
            .find(|(t, _)| t == ty)
            .map_or("resource", |(_, name)| name)
    }
}

fn resource_type(ty: &Type) -> Result<(&ResourceType, bool), ValueError> {
    match ty {
        Type::Own(resource) => Ok((resource, true)),
        Type::Borrow(resource) => Ok((resource, false)),
        other => Err(ValueError::new(format!(
            "a handle cannot be a value of type {}",
            type_name(other)
        ))),
    }
}

/// Checks the handles of a call before it is queued: only that they belong to the callee.
///
/// The decoded value is a placeholder; the real resolution happens when the call runs
/// ([`WorkerHandles`]), since only then may the callee's table be touched.
pub(crate) struct CheckHandles<'a> {
    /// The callee's self URI.
    pub(crate) self_uri: &'a str,
}

impl HandleContext for CheckHandles<'_> {
    fn decode_handle(&mut self, uri: &str, id: u64, ty: &Type) -> Result<Val, ValueError> {
        resource_type(ty)?;
        if uri != self.self_uri {
            return Err(ValueError::new(DIFFERENT_WORKER));
        }
        Ok(Val::U64(id))
    }

    fn encode_handle(
        &mut self,
        _resource: ResourceAny,
        _ty: &Type,
    ) -> Result<(String, u64), ValueError> {
        Err(ValueError::new(
            "cannot encode resources before the call runs",
        ))
    }
}

/// Resolves and registers the handles of one call in the callee's table (under its lock).
///
/// Decoding a parameter only looks handles up; [`WorkerHandles::commit`] then takes the `own`
/// ones out of the table, so a call rejected half-way through decoding changes nothing.
pub(crate) struct WorkerHandles<'a> {
    table: &'a mut HandleTable,
    self_uri: &'a str,
    names: &'a ResourceNames,
    /// Handles used by the parameters so far, and whether as `own`.
    used: Vec<(u64, bool)>,
}

impl<'a> WorkerHandles<'a> {
    pub(crate) fn new(
        table: &'a mut HandleTable,
        self_uri: &'a str,
        names: &'a ResourceNames,
    ) -> Self {
        Self {
            table,
            self_uri,
            names,
            used: Vec::new(),
        }
    }

    /// Removes the resources passed as `own` from the table: the callee's function owns them now.
    pub(crate) fn commit(&mut self) {
        for (id, own) in self.used.drain(..) {
            if own {
                self.table.remove(id);
            }
        }
    }
}

impl HandleContext for WorkerHandles<'_> {
    fn decode_handle(&mut self, uri: &str, id: u64, ty: &Type) -> Result<Val, ValueError> {
        let (expected, own) = resource_type(ty)?;
        if uri != self.self_uri {
            return Err(ValueError::new(DIFFERENT_WORKER));
        }
        let resource = self.table.get(id).ok_or_else(|| {
            ValueError::new(format!(
                "resource not found: {} with id {id} in worker {}",
                self.names.name(expected),
                self.self_uri
            ))
        })?;
        if resource.ty() != *expected {
            return Err(ValueError::new(format!(
                "handle {id} is a {}, expected a {}",
                self.names.name(&resource.ty()),
                self.names.name(expected)
            )));
        }
        // wasmtime moves an own handle into the callee when lowering it: a second use of it in
        // the same call would fail inside the call and cost the worker its instance.
        if let Some((_, used_as_own)) = self.used.iter().find(|(used, _)| *used == id)
            && (own || *used_as_own)
        {
            return Err(ValueError::new(format!(
                "handle {id} is passed more than once in one call, and at least once as own"
            )));
        }
        self.used.push((id, own));
        Ok(Val::Resource(resource))
    }

    fn encode_handle(
        &mut self,
        resource: ResourceAny,
        _ty: &Type,
    ) -> Result<(String, u64), ValueError> {
        if !resource.owned() {
            return Err(ValueError::new("a borrowed handle cannot leave the worker"));
        }
        let id = self.table.insert(resource);
        Ok((self.self_uri.to_string(), id))
    }
}
