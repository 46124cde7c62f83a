//! Shared set-up of the end-to-end tests: the test components, built to wasm once per test
//! binary, loaded into a fresh local host per test.

use std::collections::BTreeMap;
use std::path::PathBuf;

use golem_rpc_host::{Host, Val};

/// The components the end-to-end tests load, as (name in the host, cargo package).
pub const COMPONENTS: &[(&str, &str)] = &[
    ("counter", "counter-target"),
    ("caller", "counter-caller"),
    ("impostor", "impostor"),
    ("probe", "probe"),
    ("resources", "resource-target"),
    ("rcaller", "resource-caller"),
    ("kitchen", "kitchen-sink"),
    ("kcaller", "kitchen-caller"),
    ("wprobe", "worker-probe"),
    ("auction", "legacy-target"),
    ("lcaller", "legacy-caller"),
    ("stubless", "stubless-caller"),
];

/// The `.wasm` of every test component by package name, built (release) on first use.
pub fn artifacts() -> BTreeMap<String, PathBuf> {
    let packages: Vec<&str> = COMPONENTS.iter().map(|(_, package)| *package).collect();
    golem_rpc_host::build::build_components(&packages, true).expect("test components build")
}

/// Builds `packages` for `wasm32-wasip1` (release) and turns each core module into a component
/// with the WASI preview1 reactor adapter of wasmtime 24, whose imports are WASI 0.2.0 — what
/// cargo-component produced for Golem 1.0/1.1. Returns the components' paths by package name.
pub fn wasip1_components(packages: &[&str]) -> BTreeMap<String, PathBuf> {
    let modules = golem_rpc_host::build::build_for_target(packages, "wasm32-wasip1", true)
        .expect("wasm32-wasip1 builds");
    modules
        .into_iter()
        .map(|(package, module)| {
            let bytes = std::fs::read(&module).expect("reading the core module");
            let component = wit_component::ComponentEncoder::default()
                .module(&bytes)
                .and_then(|encoder| {
                    encoder.validate(true).adapter(
                        "wasi_snapshot_preview1",
                        wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
                    )
                })
                .and_then(|encoder| encoder.encode())
                .unwrap_or_else(|e| panic!("adapting {package}: {e:#}"));
            let path = module.with_file_name(format!("{package}.wasip1-component.wasm"));
            std::fs::write(&path, component).expect("writing the component");
            (package, path)
        })
        .collect()
}

/// A fresh host with the components most tests use loaded under their short names.
pub fn host() -> Host {
    host_with(&["counter", "caller", "impostor", "probe"])
}

/// A fresh host with the named test components (see [`COMPONENTS`]) loaded.
pub fn host_with(names: &[&str]) -> Host {
    let artifacts = artifacts();
    let host = Host::new().expect("host starts");
    for (name, package) in COMPONENTS.iter().filter(|(name, _)| names.contains(name)) {
        host.add_component_file(name, &artifacts[*package])
            .unwrap_or_else(|e| panic!("loading {package}: {e:#}"));
    }
    // The example caller finds the counter through COUNTER_COMPONENT_ID, which a Golem user
    // passes when creating its worker.
    if let Some(counter) = host.component_id("counter") {
        host.add_env("COUNTER_COMPONENT_ID", counter.to_string());
    }
    host
}

/// A string argument.
pub fn string(value: &str) -> Val {
    Val::String(value.to_owned())
}

/// The strings of a `list<string>` result.
pub fn strings(value: &Val) -> Vec<String> {
    match value {
        Val::List(items) => items
            .iter()
            .map(|item| match item {
                Val::String(s) => s.clone(),
                other => panic!("expected a string, got {other:?}"),
            })
            .collect(),
        other => panic!("expected a list, got {other:?}"),
    }
}

/// A `result<T, string>` result as a Rust result.
pub fn outcome(value: &Val) -> Result<Option<Val>, String> {
    match value {
        Val::Result(Ok(payload)) => Ok(payload.as_deref().cloned()),
        Val::Result(Err(Some(err))) => match &**err {
            Val::String(message) => Err(message.clone()),
            other => panic!("expected a string error, got {other:?}"),
        },
        other => panic!("expected a result, got {other:?}"),
    }
}
