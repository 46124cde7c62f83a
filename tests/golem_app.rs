//! Inside a Golem 1.2 application (`tests/golem-app`, laid out as golem-cli 1.2 lays one out): a
//! caller whose bare `golem_rpc::import!("../counters/wit")` reads the application's manifests —
//! the target's WIT uses `golem:api` from the application's `witDeps`, its calls go to the names
//! golem-cli's build gives the deployed component (`rpc:counters-exports/…`), and
//! `Api::new(worker)` finds the component by its manifest name (`counters`). The same caller
//! source, with `exports: "as-written"`, calls a target built from the WIT as it is.

use std::sync::OnceLock;

use golem_rpc_host::{Host, Val};
use golem_rpc_tests::{outcome, string};

fn built(package: &str, features: &[&str]) -> std::path::PathBuf {
    golem_rpc_host::build::build_component_with_features(package, features)
        .unwrap_or_else(|e| panic!("{package} with {features:?} builds: {e:#}"))
}

/// The components, each built on its own and kept apart (the two builds of `app-counters` write
/// the same cargo artifact): the caller with `golem-1-2` (like caller12), the target as
/// golem-cli's build makes it, and the target built from its WIT as it is.
fn components() -> &'static [(&'static str, std::path::PathBuf); 3] {
    static PATHS: OnceLock<[(&str, std::path::PathBuf); 3]> = OnceLock::new();
    PATHS.get_or_init(|| {
        [
            ("caller", built("app-caller", &["golem-1-2"])),
            ("counters", built("app-counters", &[])),
            ("counters-plain", built("app-counters", &["plain"])),
        ]
    })
}

/// `caller`, `counters` (built as golem-cli builds it) and `counters-plain`: the first two under
/// the names the application's manifests give them.
fn host() -> Host {
    let host = Host::new().unwrap();
    for (name, path) in components() {
        host.add_component_file(name, path).unwrap();
    }
    host
}

fn run(host: &Host, worker: &str, function: &str, args: &[Val]) -> Val {
    host.call(
        "caller",
        worker,
        &format!("rpc:caller/run.{{{function}}}"),
        args,
    )
    .unwrap_or_else(|e| panic!("{function}: {e:#}"))
    .remove(0)
}

fn tuple(value: Option<Val>) -> Vec<Val> {
    match value {
        Some(Val::Tuple(items)) => items,
        other => panic!("expected a tuple, got {other:?}"),
    }
}

#[test]
fn the_deployed_component_exports_what_golem_cli_builds() {
    let names = host().function_names("counters").unwrap();
    assert!(
        names.contains(&"rpc:counters-exports/api.{inc-global-by}".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"rpc:counters-exports/counters-inline-functions.{version}".to_string()),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.starts_with("rpc:counters/")),
        "{names:?}"
    );
}

#[test]
fn every_call_form_reaches_the_component_by_its_manifest_name() {
    let host = host();
    let result = run(&host, "main", "forms", &[string("w1")]);
    let values = tuple(outcome(&result).unwrap());
    assert_eq!(
        values,
        [
            Val::U64(7),
            Val::U64(7),
            // inc ×3, get (the future), get-totals
            Val::U32(5),
            Val::String("cannot take 100 from 7".to_string()),
            Val::String("counters (golem-cli)".to_string()),
        ]
    );
    // The calls reached worker `w1` of `counters`, under golem-cli's names.
    assert_eq!(
        host.call_wave(
            "counters",
            "w1",
            "rpc:counters-exports/api.{get-global-value}",
            &[] as &[&str]
        )
        .unwrap(),
        ["7"]
    );
}

#[test]
fn remote_resources_use_types_from_the_application_wit_deps() {
    let host = host();
    let result = run(&host, "main", "resource-calls", &[string("w2")]);
    assert_eq!(
        tuple(outcome(&result).unwrap()),
        [Val::U64(7), Val::Bool(true)]
    );
}

#[test]
fn the_same_wit_as_written_calls_a_plain_cargo_target() {
    let host = host();
    let result = run(&host, "main", "plain", &[string("p1")]);
    assert_eq!(
        tuple(outcome(&result).unwrap()),
        [Val::String("counters (plain)".to_string()), Val::U64(5)]
    );
    // The golem-cli-built component was not touched.
    assert_eq!(
        host.call_wave(
            "counters",
            "p1",
            "rpc:counters-exports/api.{get-global-value}",
            &[] as &[&str]
        )
        .unwrap(),
        ["0"]
    );
}

#[test]
fn each_build_answers_only_its_own_names_as_golem_does() {
    let host = host();
    // golem-cli's build exports nothing under the package as written, and a plain build nothing
    // under `-exports`: the call fails with the text of Golem's executor, in both directions.
    let err = host
        .call_wave(
            "counters",
            "n1",
            "rpc:counters/api.{get-global-value}",
            &[] as &[&str],
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("could not load exports for interface rpc:counters/api"),
        "{err}"
    );
    let err = host
        .call_wave(
            "counters-plain",
            "n1",
            "rpc:counters-exports/api.{get-global-value}",
            &[] as &[&str],
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("could not load exports for interface rpc:counters-exports/api"),
        "{err}"
    );
}
