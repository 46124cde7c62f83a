//! Golem's host interfaces, one folder per package, each version a thin adapter over the
//! semantics its folder's `mod.rs` keeps once: `golem_rpc` (`golem:rpc/types` 0.1.x, 0.2.0 and
//! 0.2.2), `golem_api` (`golem:api/host` 0.2.0, 1.1.6 and 1.1.7), `wasi` (the WASI interfaces
//! Golem adds to WASI 0.2), and `dynamic_linking` (Golem 1.2's generated client interfaces). They
//! implement the bindings on the worker's store data and reach the rest of the host only through
//! `worker::state::Services`. Each component is linked with the definitions of the Golem
//! generation it is built for ([`Generation`], [`Linkers`]).

pub(crate) mod dynamic_linking;
pub(crate) mod golem_api;
pub(crate) mod golem_rpc;
pub(crate) mod wasi;

use std::sync::OnceLock;

use wasmtime::Engine;
use wasmtime::component::{Component, HasSelf, Linker};

use crate::model::generation::Generation;
use crate::worker::state::WorkerState;

/// The generation `component` is built for (see [`Generation`]): each executor links exactly
/// one version of each host package, and wasmtime matches imports semver-compatibly (Golem 1.3's
/// `golem:rpc/types@0.2.2` would meet 1.2's 0.2.0, with other records), so the host keeps one
/// linker per generation and links a component with the one its imports ask for (`preferred`
/// where they fit several).
pub(crate) fn generation_of(
    engine: &Engine,
    component: &Component,
    preferred: Generation,
) -> Generation {
    let names: Vec<String> = component
        .component_type()
        .imports(engine)
        .map(|(name, _)| name.to_string())
        .collect();
    Generation::from_imports(names.iter().map(String::as_str), preferred)
}

/// One linker per [`Generation`], each built when a component of that generation is first
/// loaded.
pub(crate) struct Linkers {
    engine: Engine,
    up_to_1_2: OnceLock<Linker<WorkerState>>,
    golem_1_3: OnceLock<Linker<WorkerState>>,
    golem_1_4: OnceLock<Linker<WorkerState>>,
}

impl Linkers {
    pub(crate) fn new(engine: &Engine) -> Self {
        Self {
            engine: engine.clone(),
            up_to_1_2: OnceLock::new(),
            golem_1_3: OnceLock::new(),
            golem_1_4: OnceLock::new(),
        }
    }

    /// The linker for `generation`.
    pub(crate) fn get(&self, generation: Generation) -> anyhow::Result<&Linker<WorkerState>> {
        let cell = match generation {
            Generation::UpTo1_2 => &self.up_to_1_2,
            Generation::Golem1_3 => &self.golem_1_3,
            Generation::Golem1_4 => &self.golem_1_4,
        };
        if let Some(linker) = cell.get() {
            return Ok(linker);
        }
        let mut linker = Linker::new(&self.engine);
        add_to_linker(&mut linker, generation)?;
        Ok(cell.get_or_init(|| linker))
    }
}

/// Links everything a worker of `generation` may import: WASI 0.2 with outgoing `wasi:http`,
/// Golem's own interfaces in that generation's versions, and the WASI interfaces Golem adds.
/// (Client interfaces of Golem 1.2+ are linked per component, when it is loaded:
/// `dynamic_linking::link_clients`.)
fn add_to_linker(linker: &mut Linker<WorkerState>, generation: Generation) -> anyhow::Result<()> {
    wasmtime_wasi::p2::add_to_linker_sync(linker)?;
    // `wasi:random/random` through the worker's journal (`wasi::random`) instead.
    linker.allow_shadowing(true);
    wasmtime_wasi::p2::bindings::random::random::add_to_linker::<WorkerState, HasSelf<WorkerState>>(
        linker,
        |state| state,
    )?;
    linker.allow_shadowing(false);
    wasmtime_wasi_http::p2::add_only_http_to_linker_sync(linker)?;
    match generation {
        Generation::UpTo1_2 => add_golem_interfaces(linker)?,
        Generation::Golem1_3 => add_golem_1_3_interfaces(linker)?,
        Generation::Golem1_4 => add_golem_1_4_interfaces(linker)?,
    }
    add_worker_extras(linker)?;
    Ok(())
}

/// Links Golem's own interfaces in both generations: 1.0/1.1 (`golem:rpc/types@0.1.3`,
/// `golem:api/host@0.2.0`) and 1.2 (`golem:rpc/types@0.2.0`, `golem:api/host@1.1.6`). wasmtime's
/// linker matches imports semver-compatibly, so `golem:api/host@1.1.0` … `@1.1.5` imports
/// (golem-rust 1.2.x / 1.3.x) link against 1.1.6 (plus 1.1.5's `worker-uri`), and
/// `golem:rpc/types@0.1.0` (Golem 1.0 to 1.1.18) against 0.1.3 (Golem 1.1.19+, a superset).
fn add_golem_interfaces(linker: &mut Linker<WorkerState>) -> anyhow::Result<()> {
    use crate::bindings::golem::{api0_2_0, api1_1_6, rpc0_1_3, rpc0_2_0};
    type State = HasSelf<WorkerState>;
    fn get(state: &mut WorkerState) -> &mut WorkerState {
        state
    }
    rpc0_1_3::types::add_to_linker::<WorkerState, State>(linker, get)?;
    api0_2_0::host::add_to_linker::<WorkerState, State>(linker, get)?;
    rpc0_2_0::types::add_to_linker::<WorkerState, State>(linker, get)?;
    api1_1_6::host::add_to_linker::<WorkerState, State>(linker, get)?;
    golem_api::v1_1::add_worker_uri(linker)?;
    Ok(())
}

/// Links Golem 1.3's interfaces: `golem:rpc/types@0.2.2`, `golem:api/host@1.1.7`.
fn add_golem_1_3_interfaces(linker: &mut Linker<WorkerState>) -> anyhow::Result<()> {
    use crate::bindings::golem::{api1_1_7, rpc0_2_2};
    type State = HasSelf<WorkerState>;
    fn get(state: &mut WorkerState) -> &mut WorkerState {
        state
    }
    rpc0_2_2::types::add_to_linker::<WorkerState, State>(linker, get)?;
    api1_1_7::host::add_to_linker::<WorkerState, State>(linker, get)?;
    Ok(())
}

/// Links Golem 1.4's interfaces: `golem:rpc/types@0.2.2` (1.3's), `golem:api/host@1.3.0`.
fn add_golem_1_4_interfaces(linker: &mut Linker<WorkerState>) -> anyhow::Result<()> {
    use crate::bindings::golem::{api1_3_0, rpc0_2_2};
    type State = HasSelf<WorkerState>;
    fn get(state: &mut WorkerState) -> &mut WorkerState {
        state
    }
    rpc0_2_2::types::add_to_linker::<WorkerState, State>(linker, get)?;
    api1_3_0::host::add_to_linker::<WorkerState, State>(linker, get)?;
    Ok(())
}

/// Links the WASI interfaces Golem 1.0/1.1 add to WASI 0.2, each in its own module.
fn add_worker_extras(linker: &mut Linker<WorkerState>) -> anyhow::Result<()> {
    use crate::bindings::wasi::{blobstore, keyvalue, logging};
    type State = HasSelf<WorkerState>;
    fn get(state: &mut WorkerState) -> &mut WorkerState {
        state
    }
    keyvalue::types::add_to_linker::<WorkerState, State>(linker, get)?;
    keyvalue::wasi_keyvalue_error::add_to_linker::<WorkerState, State>(linker, get)?;
    keyvalue::eventual::add_to_linker::<WorkerState, State>(linker, get)?;
    keyvalue::eventual_batch::add_to_linker::<WorkerState, State>(linker, get)?;
    keyvalue::atomic::add_to_linker::<WorkerState, State>(linker, get)?;
    keyvalue::cache::add_to_linker::<WorkerState, State>(linker, get)?;
    blobstore::types::add_to_linker::<WorkerState, State>(linker, get)?;
    blobstore::container::add_to_linker::<WorkerState, State>(linker, get)?;
    blobstore::blobstore::add_to_linker::<WorkerState, State>(linker, get)?;
    logging::logging::add_to_linker::<WorkerState, State>(linker, get)?;
    Ok(())
}
