//! Golem applications as golem-cli reads them (`golem_rpc_codegen::application`) and the WIT
//! loaded with the application's `witDeps` (`load_path_with_deps`), on applications written to
//! a temporary directory.

use std::path::{Path, PathBuf};

use golem_rpc_codegen::application::{self, Membership};
use wit_parser::Resolve;

/// A fresh directory with `files` (path, text) written into it.
fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = std::env::temp_dir().join(format!(
        "golem-rpc-application-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&root);
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root.canonicalize().unwrap()
}

const SHARED: &str =
    "package acme:shared@0.1.0;\ninterface types { record money { cents: u64 } }\n";
const UNUSED: &str = "package acme:unused@0.1.0;\ninterface nothing { f: func(); }\n";
const BILLING: &str = "package rpc:billing;\ninterface api {\n  use acme:shared/types@0.1.0.{money};\n  charge: func(amount: money) -> money;\n}\nworld billing { export api; }\n";

fn application() -> PathBuf {
    tree(
        "app",
        &[
            (
                "golem.yaml",
                "includes:\n- components-*/*/golem.yaml\n- common/golem.yaml\nwitDeps:\n- wit-deps\n",
            ),
            (
                "common/golem.yaml",
                "templates:\n  rust:\n    profiles:\n      debug:\n        sourceWit: wit\n        generatedWit: wit-generated\n      release:\n        sourceWit: wit\n        generatedWit: wit-generated\n    defaultProfile: debug\n  named:\n    sourceWit: '../../wits/{{ component_name | to_snake_case }}'\n",
            ),
            (
                "components-rust/billing/golem.yaml",
                "components:\n  rpc:billing:\n    template: rust\n",
            ),
            ("components-rust/billing/wit/billing.wit", BILLING),
            (
                "components-rust/ledger/golem.yaml",
                "components:\n  ledger-v2:\n    template: named\ndependencies:\n  ledger-v2:\n  - target: rpc:billing\n    type: wasm-rpc\n  - type: wasm\n    path: lib.wasm\n",
            ),
            ("wits/ledger_v2/ledger.wit", BILLING),
            // Not included by the root's `includes`: never read.
            (
                "elsewhere/golem.yaml",
                "components:\n  ignored:\n    sourceWit: wit\n",
            ),
            ("wit-deps/shared/types.wit", SHARED),
            ("wit-deps/unused/nothing.wit", UNUSED),
        ],
    )
}

#[test]
fn the_outermost_manifest_and_its_includes_name_the_components() {
    let root = application();
    let wit = root.join("components-rust/billing/wit");
    let app = application::find(&wit)
        .unwrap()
        .expect("inside an application");
    assert_eq!(app.root, root.join("golem.yaml"));
    assert_eq!(app.wit_deps, [root.join("wit-deps")]);
    let names: Vec<&str> = app.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["rpc:billing", "ledger-v2"]);
    match app.membership(&wit.join("billing.wit")) {
        Membership::Component(c) => assert_eq!(c.name, "rpc:billing"),
        other => panic!("{other:?}"),
    }
    // A template's `sourceWit` rendered for the component, relative to its manifest.
    match app.membership(&root.join("wits/ledger_v2")) {
        Membership::Component(c) => assert_eq!(c.name, "ledger-v2"),
        other => panic!("{other:?}"),
    }
    // `generatedWit` likewise; `dependencies` as listed.
    assert_eq!(
        app.components[0].generated_wit,
        [root.join("components-rust/billing/wit-generated")]
    );
    let deps: Vec<(&str, &str, Option<&str>, bool)> = app
        .dependencies
        .iter()
        .map(|d| {
            (
                d.component.as_str(),
                d.kind.as_str(),
                d.target.as_deref(),
                d.is_rpc(),
            )
        })
        .collect();
    assert_eq!(
        deps,
        [
            ("ledger-v2", "wasm-rpc", Some("rpc:billing"), true),
            ("ledger-v2", "wasm", None, false)
        ]
    );
    assert!(matches!(
        app.membership(&root.join("elsewhere/wit")),
        Membership::None
    ));
    // Outside any manifest's tree: no application.
    assert!(application::find(&std::env::temp_dir()).unwrap().is_none());
}

#[test]
fn manifests_golem_cli_refuses_are_errors_naming_the_manifest() {
    let root = tree(
        "twice",
        &[
            ("golem.yaml", "witDeps:\n- a\n"),
            ("c/golem.yaml", "witDeps:\n- b\n"),
        ],
    );
    let err = application::find(&root).unwrap_err();
    assert_eq!(err.manifest, root.join("c/golem.yaml"));
    assert!(
        err.message
            .contains("`witDeps` is defined in multiple sources"),
        "{err}"
    );

    let root = tree(
        "template",
        &[("golem.yaml", "components:\n  x:\n    template: nope\n")],
    );
    let err = application::find(&root).unwrap_err();
    assert!(err.message.contains("template `nope`"), "{err}");
}

#[test]
fn wit_deps_supply_only_what_the_target_needs() {
    let root = application();
    let wit = root.join("components-rust/billing/wit");
    let mut resolve = Resolve::default();
    let loaded =
        golem_rpc_codegen::load_path_with_deps(&mut resolve, &wit, &[root.join("wit-deps")], &[])
            .unwrap();
    let names: Vec<String> = resolve
        .packages
        .iter()
        .map(|(_, p)| p.name.to_string())
        .collect();
    assert_eq!(names, ["acme:shared@0.1.0", "rpc:billing"]);
    let read: Vec<&Path> = loaded
        .files
        .iter()
        .map(|f| f.strip_prefix(&root).unwrap())
        .collect();
    assert_eq!(
        read,
        [
            Path::new("components-rust/billing/wit/billing.wit"),
            Path::new("wit-deps/shared/types.wit")
        ]
    );

    // Without them, the package is missing, as before.
    let err = golem_rpc_codegen::load_path(&mut Resolve::default(), &wit).unwrap_err();
    assert!(err.contains("acme:shared"), "{err}");
}

#[test]
fn the_targets_own_deps_come_before_the_applications() {
    let root = tree(
        "own-deps",
        &[
            ("wit/billing.wit", BILLING),
            (
                "wit/deps/shared/types.wit",
                "package acme:shared@0.1.0;\ninterface types { record money { cents: u64, currency: string } }\n",
            ),
            ("wit-deps/shared/types.wit", SHARED),
        ],
    );
    let mut resolve = Resolve::default();
    golem_rpc_codegen::load_path_with_deps(
        &mut resolve,
        &root.join("wit"),
        &[root.join("wit-deps")],
        &[],
    )
    .unwrap();
    let money = resolve
        .types
        .iter()
        .find(|(_, t)| t.name.as_deref() == Some("money"))
        .unwrap()
        .1;
    match &money.kind {
        wit_parser::TypeDefKind::Record(record) => assert_eq!(record.fields.len(), 2),
        other => panic!("{other:?}"),
    }
}

/// A target that uses Golem's host API and WASI's clocks, with no `deps/` and no application.
const COUNTERS: &str = "package rpc:counters;

interface api {
  use golem:api/host@1.1.6.{promise-id};
  use wasi:clocks/wall-clock@0.2.0.{datetime};
  await-promise: func(id: promise-id) -> list<u8>;
  at: func(when: datetime) -> u64;
}

world counters { export api; }
";

#[test]
fn golems_and_wasis_packages_that_nothing_provides_come_from_golem_rpcs_copies() {
    use golem_rpc_codegen::{GolemApi, shipped::shipped};
    let root = tree("shipped", &[("wit/counters.wit", COUNTERS)]);
    let wit = root.join("wit");

    let mut resolve = Resolve::default();
    let loaded =
        golem_rpc_codegen::load_path_with_deps(&mut resolve, &wit, &[], shipped(GolemApi::V1_2))
            .unwrap();
    let mut names: Vec<String> = resolve
        .packages
        .iter()
        .map(|(_, p)| p.name.to_string())
        .collect();
    names.sort();
    // golem:api/host@1.1.6 needs golem:rpc (and it wasi:io); only what is used is read.
    assert_eq!(
        names,
        [
            "golem:api@1.1.6",
            "golem:rpc@0.2.0",
            "rpc:counters",
            "wasi:clocks@0.2.0",
            "wasi:io@0.2.0"
        ]
    );
    // The copies are not the target's files: nothing to track or digest.
    assert_eq!(loaded.files, [wit.join("counters.wit")]);

    // What the application (or the target's deps/) provides wins over the copies.
    let own = tree(
        "shipped-own",
        &[
            ("wit/counters.wit", COUNTERS),
            (
                "wit-deps/golem-1.x/host.wit",
                "package golem:api@1.1.6;\ninterface host { type promise-id = string; }\n",
            ),
        ],
    );
    let mut resolve = Resolve::default();
    golem_rpc_codegen::load_path_with_deps(
        &mut resolve,
        &own.join("wit"),
        &[own.join("wit-deps")],
        shipped(GolemApi::V1_2),
    )
    .unwrap();
    assert!(
        resolve
            .types
            .iter()
            .any(|(_, t)| t.name.as_deref() == Some("promise-id")
                && matches!(
                    t.kind,
                    wit_parser::TypeDefKind::Type(wit_parser::Type::String)
                )),
        "the application's golem:api is used"
    );

    // Golem 1.0/1.1's copies have golem:api@0.2.0, not 1.1.6: wit-parser names the package and
    // the line that uses it.
    let err = golem_rpc_codegen::load_path_with_deps(
        &mut Resolve::default(),
        &wit,
        &[],
        shipped(GolemApi::V1_1),
    )
    .unwrap_err();
    assert!(
        err.contains("golem:api@1.1.6") && err.contains("counters.wit:4"),
        "{err}"
    );
    // And without any, as before.
    let err = golem_rpc_codegen::load_path(&mut Resolve::default(), &wit).unwrap_err();
    assert!(err.contains("golem:api"), "{err}");
}
