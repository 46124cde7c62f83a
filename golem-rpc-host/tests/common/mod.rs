//! Shared setup for the integration tests: the guest components, built once per test binary.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use golem_rpc_host::{Host, WitNode, WitValue, build};

/// Paths of the guest components used by the tests.
pub struct Components {
    pub counter: PathBuf,
    pub trap: PathBuf,
    pub resources: PathBuf,
}

/// Builds `counter-target`, `trap-target` and `resource-target` (release, wasm32-wasip2) once
/// per process.
pub fn components() -> &'static Components {
    static COMPONENTS: OnceLock<Components> = OnceLock::new();
    COMPONENTS.get_or_init(|| {
        let artifacts =
            build::build_components(&["counter-target", "trap-target", "resource-target"], true)
                .expect("building the test components");
        Components {
            counter: artifacts["counter-target"].clone(),
            trap: artifacts["trap-target"].clone(),
            resources: artifacts["resource-target"].clone(),
        }
    })
}

/// A new host with `counter`, `trap` and `resources` loaded.
pub fn new_host() -> Host {
    let components = components();
    let host = Host::new().expect("creating a host");
    host.add_component_file("counter", &components.counter)
        .expect("loading counter");
    host.add_component_file("trap", &components.trap)
        .expect("loading trap");
    host.add_component_file("resources", &components.resources)
        .expect("loading resources");
    host
}

/// One host shared by all tests of a binary (tests use distinct worker names).
pub fn host() -> &'static Host {
    static HOST: OnceLock<Host> = OnceLock::new();
    HOST.get_or_init(new_host)
}

/// A worker name not used by any other test in this process.
pub fn unique(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The URI of a fresh worker of `component` on the shared host.
pub fn fresh_uri(component: &str) -> String {
    host()
        .worker_uri(component, &unique(component))
        .expect("worker uri")
}

/// A wit-value from its nodes.
pub fn wv(nodes: Vec<WitNode>) -> WitValue {
    WitValue { nodes }
}

/// A one-node `prim-u64` wit-value.
pub fn u64v(value: u64) -> WitValue {
    wv(vec![WitNode::PrimU64(value)])
}

/// A one-node `prim-string` wit-value.
pub fn stringv(value: &str) -> WitValue {
    wv(vec![WitNode::PrimString(value.to_string())])
}

/// The empty result tuple.
pub fn unit() -> WitValue {
    wv(vec![WitNode::TupleValue(vec![])])
}
