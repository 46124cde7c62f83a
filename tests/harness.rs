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
    adapted(
        modules,
        wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        "wasip1-component",
    )
}

/// Builds `packages` of the Golem application `app` (a Cargo workspace of its own under the
/// repository root, laid out like Golem's `test-components`) for `wasm32-wasip1` and adapts each
/// module with the WASI preview1 reactor adapter of wasmtime 29, whose imports are WASI 0.2.3 —
/// what cargo-component 0.21, Golem 1.3's and 1.4's toolchain, produces. Returns the
/// components' paths by package name.
pub fn golem_app_components(app: &str, packages: &[&str]) -> BTreeMap<String, PathBuf> {
    let modules = golem_rpc_host::build::build_other_workspace(app, packages, "wasm32-wasip1")
        .unwrap_or_else(|e| panic!("building {app}: {e:#}"));
    adapted(
        modules,
        adapter_wasi_0_2_3::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        "component",
    )
}

/// Each core module made a component with `adapter`, written beside it as `{stem}.{suffix}.wasm`.
fn adapted(
    modules: BTreeMap<String, PathBuf>,
    adapter: &[u8],
    suffix: &str,
) -> BTreeMap<String, PathBuf> {
    modules
        .into_iter()
        .map(|(package, module)| {
            let bytes = std::fs::read(&module).expect("reading the core module");
            let component = wit_component::ComponentEncoder::default()
                .module(&bytes)
                .and_then(|encoder| {
                    encoder
                        .validate(true)
                        .adapter("wasi_snapshot_preview1", adapter)
                })
                .and_then(|encoder| encoder.encode())
                .unwrap_or_else(|e| panic!("adapting {package}: {e:#}"));
            let stem = module.file_stem().unwrap_or_default().to_string_lossy();
            let path = module.with_file_name(format!("{stem}.{suffix}.wasm"));
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
