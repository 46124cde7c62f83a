//! Golem 1.2's dynamic linking of client interfaces ("stubless" RPC).
//!
//! Golem 1.2's tooling generates, for a target component, a *client interface*
//! (`ns:pkg-client/world-client`): one resource per exported interface of the target (`api`,
//! with `constructor(worker-name)`, `custom(worker-id)` and per function `blocking-f`, `f` and
//! `schedule-f`), one per exported resource (its constructor takes the worker name first), and a
//! `future-f-result` resource per function with a result. A caller imports that interface and the
//! executor implements it when it instantiates the caller, turning every call into a `golem:rpc`
//! invocation of the target worker (behaviour read in Golem 1.2's executor,
//! `durable_host/dynamic_linking`).
//!
//! Golem links an import when the caller's component metadata says which target it stands for
//! (the application manifest's `wasm-rpc` dependencies). This host has no metadata: an imported
//! instance whose package is named `…-client` is linked, and each of its resources `R` stands for
//! the interface named `R` of the package without `-client` (or with `-exports`, the package
//! golem-cli moves a target's exports to; there the client resource named after the target's
//! world stands for `{world}-inline-functions`), or else for the resource `R` of such an interface —
//! found among the loaded components when the client is first used. What Golem does, this does:
//! - `constructor(worker-name, args…)` / `custom(worker-id, args…)` pick the worker (Golem 1.3's
//!   and 1.4's tooling names them `agent-id`, a string and an `agent-id` record; a constructor
//!   without a worker name, or Golem 1.2's `custom(component-id)`: a fresh ephemeral worker); a
//!   remote resource's constructor calls `{R.new}` there and keeps the returned handle;
//! - `blocking-f` is `invoke-and-await` of `iface.{f}` (`iface.{R.f}` with the handle first),
//!   `f` is `async-invoke-and-await` (a `future-…-result`) or, without results, `invoke`;
//!   `schedule-f(args…, scheduled-for)` is `schedule-cancelable-invocation`;
//! - the generated WIT has no error channel, so an RPC error traps the caller
//!   (`RPC invocation of … failed with: …`), as in Golem;
//! - dropping a remote resource's client calls `{R.drop}` (errors ignored).
//!
//! Instances the caller imports only for their types (`use target/iface.{record}`) need no
//! definition (wasmtime links them as they are).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use wasmtime::component::types::{ComponentFunc, ComponentItem};
use wasmtime::component::{
    Component, Linker, LinkerInstance, Resource, ResourceAny, ResourceDynamic, ResourceType, Type,
    Val,
};
use wasmtime::{Engine, StoreContextMut};
use wasmtime_wasi::p2::DynPollable;
use wasmtime_wasi::p2::bindings::clocks::wall_clock::Datetime;

use crate::bindings::FutureInvokeEntry;
use crate::bindings::golem::rpc0_1_3::types::{RpcError, Uri, WitNode, WitValue};
use crate::bindings::resources::CancellationTokenEntry;
use crate::bindings::value::{self, HandleContext, ValueError};
use crate::model::uri::WorkerId;
use crate::worker::state::ClientTarget;
use crate::worker::state::WorkerState;

/// Resource type ids handed out to client resources (`ResourceType::host_dynamic`), unique in
/// the process so that a handle's type says which client resource it is.
static NEXT_TYPE: AtomicU32 = AtomicU32::new(1);

/// One resource of a client interface.
struct ClientResource {
    name: String,
    /// The client's package without `-client` (and its version): where the target is looked for.
    target_package: String,
    type_id: u32,
    /// The targets found so far, by the component the worker id names (`None`: a constructor
    /// given only a worker name).
    targets: Mutex<HashMap<Option<uuid::Uuid>, ClientTarget>>,
}

impl ClientResource {
    /// What this resource stands for when its worker runs `component` (known from a worker id;
    /// several loaded components may export the target's interface, as when Golem 1.3's and
    /// 1.4's builds of one target are loaded side by side).
    fn target(
        &self,
        state: &WorkerState,
        component: Option<uuid::Uuid>,
    ) -> wasmtime::Result<ClientTarget> {
        let mut targets = self.targets.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = targets.get(&component) {
            return Ok(found.clone());
        }
        let found = state
            .services()?
            .client_target(&self.target_package, &self.name, component)
            .map_err(|e| wasmtime::format_err!("{e}"))?;
        // A target loaded later may still appear: only a success is remembered.
        targets.insert(component, found.clone());
        Ok(found)
    }

    fn ty(&self) -> ResourceType {
        ResourceType::host_dynamic(self.type_id)
    }
}

/// The host data behind a client resource: the worker its calls go to and, for a remote
/// resource, its handle there.
pub struct ClientEntry {
    worker: WorkerId,
    handle: Option<(String, u64)>,
}

/// Links every client interface `component` imports into a copy of `linker`; `None` if it
/// imports none.
pub(crate) fn link_clients(
    engine: &Engine,
    linker: &Linker<WorkerState>,
    component: &Component,
) -> anyhow::Result<Option<Linker<WorkerState>>> {
    let mut linked: Option<Linker<WorkerState>> = None;
    for (name, item) in component.component_type().imports(engine) {
        if name.starts_with("wasi:") || name.starts_with("golem:") {
            continue;
        }
        let ComponentItem::ComponentInstance(instance) = item.ty else {
            continue;
        };
        let exports: Vec<(String, ComponentItem)> = instance
            .exports(engine)
            .map(|(n, i)| (n.to_string(), i.ty))
            .collect();
        let package = name.split('/').next().unwrap_or_default();
        let package_name = package.split('@').next().unwrap_or_default();
        let client = package_name.strip_suffix("-client");
        if let Some(target_package) = client {
            let linker = linked.get_or_insert_with(|| linker.clone());
            link_client(&mut linker.instance(name)?, target_package, &exports)?;
        }
    }
    Ok(linked)
}

/// Defines the resources and functions of one client interface.
fn link_client(
    instance: &mut LinkerInstance<'_, WorkerState>,
    target_package: &str,
    exports: &[(String, ComponentItem)],
) -> anyhow::Result<()> {
    let mut resources = Vec::new();
    for (name, item) in exports {
        if !matches!(item, ComponentItem::Resource(_)) {
            continue;
        }
        // Types the client interface `use`s under its own names (`wasi-io-pollable`,
        // `golem-rpc-cancellation-token`) are the host's own resources, as are the futures.
        if name == "pollable" || name.ends_with("-pollable") {
            table_resource::<DynPollable>(instance, name)?;
            continue;
        }
        if name == "cancellation-token" || name.ends_with("-cancellation-token") {
            table_resource::<CancellationTokenEntry>(instance, name)?;
            continue;
        }
        if is_future(name) {
            table_resource::<FutureInvokeEntry>(instance, name)?;
            continue;
        }
        let resource = Arc::new(ClientResource {
            name: name.clone(),
            target_package: target_package.to_string(),
            type_id: NEXT_TYPE.fetch_add(1, Ordering::Relaxed),
            targets: Mutex::default(),
        });
        let dropped = resource.clone();
        instance.resource(name, resource.ty(), move |store, rep| {
            drop_client(store, &dropped, rep)
        })?;
        resources.push(resource);
    }
    let resources: Arc<[Arc<ClientResource>]> = resources.into();
    for (name, item) in exports {
        if !matches!(item, ComponentItem::ComponentFunc(_)) {
            continue;
        }
        let call = Call::parse(name, &resources)?;
        let resources = resources.clone();
        instance.func_new(name, move |store, ty, params, results| {
            call.run(store, &resources, &ty, params, results)
        })?;
    }
    Ok(())
}

/// Defines resource `name` as the host's `T`, kept in the worker's resource table.
fn table_resource<T: Send + 'static>(
    instance: &mut LinkerInstance<'_, WorkerState>,
    name: &str,
) -> anyhow::Result<()> {
    instance.resource(name, ResourceType::host::<T>(), |mut store, rep| {
        store.data_mut().table.delete(Resource::<T>::new_own(rep))?;
        Ok(())
    })?;
    Ok(())
}

fn is_future(resource: &str) -> bool {
    resource.starts_with("future-") && resource.ends_with("-result")
}

/// What one imported client function does.
enum Call {
    /// `[constructor]R`: picks the worker (and creates the remote resource).
    Constructor(Arc<ClientResource>),
    /// `[static]R.custom`: the same, the worker given by id.
    Custom(Arc<ClientResource>),
    /// `[method]R.blocking-f`.
    Blocking(Arc<ClientResource>, String),
    /// `[method]R.f`: a future, or fire-and-forget without results.
    Start(Arc<ClientResource>, String),
    /// `[method]R.schedule-f`.
    Schedule(Arc<ClientResource>, String),
    /// `[method]future-….subscribe`.
    Subscribe,
    /// `[method]future-….get`.
    Get,
    /// Anything else (e.g. a remote resource's static function, which Golem 1.2 cannot call
    /// either): traps when called.
    Unsupported(String),
}

impl Call {
    fn parse(name: &str, resources: &[Arc<ClientResource>]) -> anyhow::Result<Self> {
        let resource = |r: &str| resources.iter().find(|c| c.name == r).cloned();
        let unsupported = || Call::Unsupported(name.to_string());
        if let Some(r) = name.strip_prefix("[constructor]") {
            return Ok(resource(r).map_or_else(unsupported, Call::Constructor));
        }
        if let Some(rest) = name.strip_prefix("[static]") {
            return Ok(match rest.split_once('.') {
                Some((r, "custom")) => resource(r).map_or_else(unsupported, Call::Custom),
                _ => unsupported(),
            });
        }
        let Some((r, method)) = name
            .strip_prefix("[method]")
            .and_then(|rest| rest.split_once('.'))
        else {
            return Ok(unsupported());
        };
        if is_future(r) {
            return Ok(match method {
                "subscribe" => Call::Subscribe,
                "get" => Call::Get,
                _ => unsupported(),
            });
        }
        let Some(resource) = resource(r) else {
            return Ok(unsupported());
        };
        Ok(if let Some(f) = method.strip_prefix("blocking-") {
            Call::Blocking(resource, f.to_string())
        } else if let Some(f) = method.strip_prefix("schedule-") {
            Call::Schedule(resource, f.to_string())
        } else {
            Call::Start(resource, method.to_string())
        })
    }

    fn run(
        &self,
        mut store: StoreContextMut<'_, WorkerState>,
        resources: &[Arc<ClientResource>],
        ty: &ComponentFunc,
        params: &[Val],
        results: &mut [Val],
    ) -> wasmtime::Result<()> {
        let param_types: Vec<Type> = ty.params().map(|(_, t)| t).collect();
        let result_types: Vec<Type> = ty.results().collect();
        match self {
            Call::Constructor(resource) => {
                let durable = ty.params().next().is_some_and(|(name, t)| {
                    matches!(name, "worker-name" | "agent-id") && matches!(t, Type::String)
                });
                let (worker_name, args) = match (durable, params) {
                    (true, [Val::String(name), args @ ..]) => (name.clone(), args),
                    _ => (store.data().fresh_worker_name(), params),
                };
                let target = resource.target(store.data(), None)?;
                let worker = WorkerId::new(target.component, worker_name);
                let skip = params.len() - args.len();
                let entry = construct(
                    &mut store,
                    resource,
                    &target,
                    worker,
                    args,
                    &param_types[skip..],
                )?;
                results[0] = entry;
            }
            Call::Custom(resource) => {
                let worker = match params.first() {
                    Some(Val::Record(fields))
                        if field(fields, "worker-name")
                            .or_else(|| field(fields, "agent-id"))
                            .is_some() =>
                    {
                        worker_id(fields)?
                    }
                    Some(Val::Record(fields)) if field(fields, "uuid").is_some() => {
                        WorkerId::new(uuid_of(fields)?, store.data().fresh_worker_name())
                    }
                    other => wasmtime::bail!(
                        "Missing or invalid worker id parameter. Expected to get a worker-id value \
                         as a custom constructor parameter, got {other:?}"
                    ),
                };
                let target = resource.target(store.data(), Some(worker.component_id))?;
                let entry = construct(
                    &mut store,
                    resource,
                    &target,
                    worker,
                    &params[1..],
                    &param_types[1..],
                )?;
                results[0] = entry;
            }
            Call::Blocking(resource, f) => {
                let (worker, function, args) =
                    prepare(&mut store, resource, f, params, &param_types)?;
                let state = store.data_mut();
                let reply = state
                    .durable_invoke_and_await(&worker, &function, args)?
                    .map_err(|err| rpc_failed(&function, &err))?;
                decode_results(&mut store, resources, &reply, &result_types, results)
                    .map_err(|err| wasmtime::format_err!("{function}: unexpected result: {err}"))?;
            }
            Call::Start(resource, f) => {
                let (worker, function, args) =
                    prepare(&mut store, resource, f, params, &param_types)?;
                let state = store.data_mut();
                if results.is_empty() {
                    state
                        .durable_invoke(&worker, &function, args)?
                        .map_err(|err| rpc_failed(&function, &err))?;
                } else {
                    let future = state.durable_async_invoke_and_await(&worker, &function, args)?;
                    results[0] = Val::Resource(ResourceAny::try_from_resource(future, &mut store)?);
                }
            }
            Call::Schedule(resource, f) => {
                let Some((Val::Record(at), rest)) = params.split_last() else {
                    wasmtime::bail!(
                        "Function did not have any parameters. Expected at least scheduled_for"
                    );
                };
                let at = datetime(at)?;
                let (worker, function, args) =
                    prepare(&mut store, resource, f, rest, &param_types[..rest.len()])?;
                let token = store
                    .data_mut()
                    .schedule_call(&worker, at, &function, args)?;
                results[0] = Val::Resource(ResourceAny::try_from_resource(token, &mut store)?);
            }
            Call::Subscribe => {
                let future = future_of(&mut store, params)?;
                let pollable = store.data_mut().future_subscribe(&future)?;
                results[0] = Val::Resource(ResourceAny::try_from_resource(pollable, &mut store)?);
            }
            Call::Get => {
                let future = future_of(&mut store, params)?;
                let taken = store.data_mut().future_get(&future)?;
                results[0] = match taken {
                    None => Val::Option(None),
                    Some(Err(err)) => return Err(rpc_failed("the asynchronous call", &err)),
                    Some(Ok(reply)) => {
                        let Some(Type::Option(option)) = result_types.first() else {
                            wasmtime::bail!("a future's get must return an option");
                        };
                        let mut value = [Val::Bool(false)];
                        decode_results(&mut store, resources, &reply, &[option.ty()], &mut value)
                            .map_err(|err| wasmtime::format_err!("unexpected result: {err}"))?;
                        let [value] = value;
                        Val::Option(Some(Box::new(value)))
                    }
                };
            }
            Call::Unsupported(name) => wasmtime::bail!(
                "{name} of a dynamically linked client interface is not supported (Golem 1.2 \
                 calls constructors, `custom`, `blocking-f`, `f` and `schedule-f`)"
            ),
        }
        Ok(())
    }
}

/// A new client resource for `worker`; a remote resource is created there first.
fn construct(
    store: &mut StoreContextMut<'_, WorkerState>,
    resource: &ClientResource,
    target: &ClientTarget,
    worker: WorkerId,
    args: &[Val],
    types: &[Type],
) -> wasmtime::Result<Val> {
    let handle = if target.interface_client {
        None
    } else {
        let function = format!("{}.{{{}.new}}", target.interface, resource.name);
        let params = encode(store, args, types)?;
        let state = store.data_mut();
        let reply = state
            .durable_invoke_and_await(&worker, &function, params)?
            .map_err(|err| rpc_failed(&function, &err))?;
        Some(constructed_handle(&reply).ok_or_else(|| {
            wasmtime::format_err!("Invalid constructor result: single handle expected")
        })?)
    };
    let entry = store
        .data_mut()
        .table
        .push(ClientEntry { worker, handle })?;
    let dynamic = ResourceDynamic::new_own(entry.rep(), resource.type_id);
    Ok(Val::Resource(dynamic.try_into_resource_any(store)?))
}

/// The handle a remote constructor returned (its one result).
fn constructed_handle(reply: &WitValue) -> Option<(String, u64)> {
    match reply.nodes.as_slice() {
        [WitNode::TupleValue(children), ..] if children.len() == 1 => {
            match reply.nodes.get(usize::try_from(children[0]).ok()?)? {
                WitNode::Handle((uri, id)) => Some((uri.value.clone(), *id)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The worker, the remote function name and the encoded arguments of a method call.
fn prepare(
    store: &mut StoreContextMut<'_, WorkerState>,
    resource: &ClientResource,
    f: &str,
    params: &[Val],
    types: &[Type],
) -> wasmtime::Result<(WorkerId, String, Vec<WitValue>)> {
    let Some((Val::Resource(me), args)) = params.split_first() else {
        wasmtime::bail!("a client method needs its resource as the first parameter");
    };
    let rep = ResourceDynamic::try_from_resource_any(*me, &mut *store)?.rep();
    let entry = store
        .data()
        .table
        .get(&Resource::<ClientEntry>::new_borrow(rep))?;
    let worker = entry.worker.clone();
    let handle = entry.handle.clone();
    let target = resource.target(store.data(), Some(worker.component_id))?;
    let mut encoded = Vec::with_capacity(params.len());
    let function = match &handle {
        None => format!("{}.{{{f}}}", target.interface),
        Some((uri, id)) => {
            encoded.push(handle_value(uri.clone(), *id));
            format!("{}.{{{}.{f}}}", target.interface, resource.name)
        }
    };
    encoded.extend(encode(store, args, &types[1..])?);
    Ok((worker, function, encoded))
}

fn encode(
    store: &mut StoreContextMut<'_, WorkerState>,
    args: &[Val],
    types: &[Type],
) -> wasmtime::Result<Vec<WitValue>> {
    let mut handles = ClientHandles {
        store,
        resources: &[],
    };
    args.iter()
        .zip(types)
        .map(|(val, ty)| {
            value::val_to_wit_value_in(val, ty, &mut handles)
                .map_err(|err| wasmtime::format_err!("cannot send the parameter: {err}"))
        })
        .collect()
}

fn decode_results(
    store: &mut StoreContextMut<'_, WorkerState>,
    resources: &[Arc<ClientResource>],
    reply: &WitValue,
    types: &[Type],
    results: &mut [Val],
) -> Result<(), ValueError> {
    let mut handles = ClientHandles { store, resources };
    let values = value::wit_results_to_vals_in(reply, types, &mut handles)?;
    for (slot, value) in results.iter_mut().zip(values) {
        *slot = value;
    }
    Ok(())
}

/// Client resources in values: a remote resource's client is its `handle(uri, id)`; a handle
/// in a reply becomes a new client of the resource its type names.
struct ClientHandles<'s, 'a> {
    store: &'s mut StoreContextMut<'a, WorkerState>,
    resources: &'s [Arc<ClientResource>],
}

impl HandleContext for ClientHandles<'_, '_> {
    fn decode_handle(&mut self, uri: &str, id: u64, ty: &Type) -> Result<Val, ValueError> {
        let (Type::Own(rt) | Type::Borrow(rt)) = ty else {
            return Err(ValueError::new("a handle where no resource is expected"));
        };
        let resource = self
            .resources
            .iter()
            .find(|r| r.ty() == *rt)
            .ok_or_else(|| ValueError::new("a handle of a resource this client does not know"))?;
        let worker = crate::model::uri::parse_target_uri(uri)
            .ok()
            .and_then(|(component, name)| Some(WorkerId::new(component, name?)))
            .ok_or_else(|| {
                ValueError::new(format!("a handle with an invalid worker URI: {uri}"))
            })?;
        let entry = self
            .store
            .data_mut()
            .table
            .push(ClientEntry {
                worker,
                handle: Some((uri.to_string(), id)),
            })
            .map_err(|err| ValueError::new(err.to_string()))?;
        ResourceDynamic::new_own(entry.rep(), resource.type_id)
            .try_into_resource_any(&mut *self.store)
            .map(Val::Resource)
            .map_err(|err| ValueError::new(err.to_string()))
    }

    fn encode_handle(
        &mut self,
        resource: ResourceAny,
        _ty: &Type,
    ) -> Result<(String, u64), ValueError> {
        let rep = ResourceDynamic::try_from_resource_any(resource, &mut *self.store)
            .map_err(|_| ValueError::new("only a client of a remote resource can be sent"))?
            .rep();
        let entry = self
            .store
            .data()
            .table
            .get(&Resource::<ClientEntry>::new_borrow(rep))
            .map_err(|err| ValueError::new(err.to_string()))?;
        entry.handle.clone().ok_or_else(|| {
            ValueError::new("a client of a worker's interface is not a resource of that worker")
        })
    }
}

/// Drops a client resource: a remote resource is dropped in its worker (errors ignored).
fn drop_client(
    mut store: StoreContextMut<'_, WorkerState>,
    resource: &ClientResource,
    rep: u32,
) -> wasmtime::Result<()> {
    let state = store.data_mut();
    let entry = state.table.delete(Resource::<ClientEntry>::new_own(rep))?;
    if let Some((uri, id)) = entry.handle
        && let Ok(target) = resource.target(state, Some(entry.worker.component_id))
    {
        let function = format!("{}.{{{}.drop}}", target.interface, resource.name);
        let _ = state.durable_invoke_and_await(
            &entry.worker,
            &function,
            vec![handle_value(uri, id)],
        )?;
    }
    Ok(())
}

/// `handle(uri, id)` as a whole `wit-value`: a remote resource's first parameter.
fn handle_value(uri: String, id: u64) -> WitValue {
    WitValue {
        nodes: vec![WitNode::Handle((Uri { value: uri }, id))],
    }
}

fn future_of(
    store: &mut StoreContextMut<'_, WorkerState>,
    params: &[Val],
) -> wasmtime::Result<Resource<FutureInvokeEntry>> {
    let Some(Val::Resource(future)) = params.first() else {
        wasmtime::bail!("a future's method needs the future as its first parameter");
    };
    let future: Resource<FutureInvokeEntry> = future.try_into_resource(&mut *store)?;
    Ok(Resource::new_borrow(future.rep()))
}

/// Golem's trap text for a failed call through a client interface.
fn rpc_failed(function: &str, err: &RpcError) -> wasmtime::Error {
    let err = match err {
        RpcError::ProtocolError(m) => format!("Protocol error: {m}"),
        RpcError::Denied(m) => format!("Denied: {m}"),
        RpcError::NotFound(m) => format!("Not found: {m}"),
        RpcError::RemoteInternalError(m) => format!("Remote internal error: {m}"),
    };
    wasmtime::format_err!("RPC invocation of {function} failed with: {err}")
}

fn field<'v>(fields: &'v [(String, Val)], name: &str) -> Option<&'v Val> {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

fn uuid_of(component_id: &[(String, Val)]) -> wasmtime::Result<uuid::Uuid> {
    if let Some(Val::Record(uuid)) = field(component_id, "uuid")
        && let (Some(Val::U64(high)), Some(Val::U64(low))) =
            (field(uuid, "high-bits"), field(uuid, "low-bits"))
    {
        return Ok(uuid::Uuid::from_u64_pair(*high, *low));
    }
    wasmtime::bail!("Missing or invalid component id parameter")
}

/// Golem 1.2's `worker-id { component-id, worker-name }` or 1.3/1.4's
/// `agent-id { component-id, agent-id }` (a WIT component's agent id is its worker name).
fn worker_id(fields: &[(String, Val)]) -> wasmtime::Result<WorkerId> {
    let name = field(fields, "worker-name").or_else(|| field(fields, "agent-id"));
    match (field(fields, "component-id"), name) {
        (Some(Val::Record(component)), Some(Val::String(name))) => {
            Ok(WorkerId::new(uuid_of(component)?, name.clone()))
        }
        _ => wasmtime::bail!("Missing or invalid worker id parameter"),
    }
}

fn datetime(fields: &[(String, Val)]) -> wasmtime::Result<Datetime> {
    match (field(fields, "seconds"), field(fields, "nanoseconds")) {
        (Some(Val::U64(seconds)), Some(Val::U32(nanoseconds))) => Ok(Datetime {
            seconds: *seconds,
            nanoseconds: *nanoseconds,
        }),
        _ => wasmtime::bail!("did not find seconds field"),
    }
}
