//! `golem-rpc migrate` on a Golem 1.0 stubgen workspace (`tests/fixtures/stubgen-workspace`,
//! copied to a scratch directory): the plan as a diff, the rewrite, a plain `cargo build` of the
//! result, the same answers in the local host as the composed original, and refusals that change
//! nothing.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{component, golem_rpc, scratch};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stubgen-workspace")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of the fixture workspace in a fresh scratch directory.
fn workspace(name: &str) -> PathBuf {
    let dir = scratch(name).join("ws");
    copy_dir(&fixture(), &dir);
    dir
}

/// Every file under `dir` (but `target/`) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.ends_with("target") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn runtime() -> PathBuf {
    golem_rpc_host::build::workspace_root().join("golem-rpc-runtime")
}

/// What the caller's `run` answers against a fresh counter worker.
fn run_caller(counter: &Path, caller: &Path) -> Vec<String> {
    let host = golem_rpc_host::Host::new().unwrap();
    host.add_component_file("counter", counter).unwrap();
    host.add_component_file("caller", caller).unwrap();
    let target = host.worker_uri("counter", "c1").unwrap();
    host.call_wave("caller", "w1", "run", &[format!("{target:?}")])
        .unwrap()
}

#[test]
fn a_stubgen_workspace_migrates_builds_and_answers_like_the_composed_original() {
    let ws = workspace("migrate");
    let before = snapshot(&ws);
    let path_arg = runtime();

    // The plan, as a diff; nothing is written.
    golem_rpc([
        "migrate".as_ref(),
        ws.as_os_str(),
        "--dry-run".as_ref(),
        "--golem-rpc-path".as_ref(),
        path_arg.as_os_str(),
    ])
    .expect_code(0)
    .expect_stdout("-  import demo:counter-stub/stub-counter;")
    .expect_stdout("+golem_rpc::import!(\"../counter/wit\");")
    .expect_stdout("-use bindings::demo::counter_stub::stub_counter::{Api, FutureGetResult};")
    .expect_stdout("+use counter::api::{Api, FutureGetResult};")
    .expect_stdout("+use golem_rpc::Uri;")
    .expect_stdout("deleted: counter-stub/")
    .expect_stdout("deleted: caller/wit/deps/demo_counter-stub/")
    .expect_stdout("dry run: ");
    assert!(snapshot(&ws) == before, "a dry run changes nothing");

    // The rewrite; the build steps the user must remove are named.
    golem_rpc([
        "migrate".as_ref(),
        ws.as_os_str(),
        "--golem-rpc-path".as_ref(),
        path_arg.as_os_str(),
    ])
    .expect_code(0)
    .expect_stdout("migrated: 1 callers, 1 stub crates removed")
    .expect_stdout("Makefile.toml:16: builds or composes stubs; remove it")
    .expect_stdout("build.sh:3: builds or composes stubs; remove it: `wasm-tools compose");
    assert!(!ws.join("counter-stub").exists());
    assert!(
        !ws.join("caller/wit/deps")
            .join("demo_counter-stub")
            .exists()
    );
    let after = snapshot(&ws);

    // A second run: nothing left to do.
    golem_rpc(["migrate".as_ref(), ws.as_os_str()])
        .expect_code(0)
        .expect_stdout("nothing to migrate");
    assert!(snapshot(&ws) == after, "a second run changes nothing");

    builds_and_answers_like_the_composed_original(&ws);
}

/// Plain cargo builds every component of the migrated workspace (the shared target dir keeps
/// dependencies built), and its caller answers like the composed original: the same caller code
/// against a stubgen-style stub component, composed with `golem-rpc compose`.
fn builds_and_answers_like_the_composed_original(ws: &Path) {
    // Both migrated workspaces build `counter.wasm` and `caller.wasm` into the same target dir:
    // one build-and-run at a time.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let built = build_release(ws);

    let composed = scratch("migrate-original").join("caller_composed.wasm");
    let stub = format!("counter-stub={}", component("counter-stub").display());
    golem_rpc([
        "compose".as_ref(),
        component("stub-caller").as_os_str(),
        "--plug".as_ref(),
        stub.as_ref(),
        "-o".as_ref(),
        composed.as_os_str(),
    ])
    .expect_code(0);
    let original = run_caller(component("counter-target"), &composed);
    let migrated = run_caller(&built.join("counter.wasm"), &built.join("caller.wasm"));
    assert_eq!(migrated, original);
    assert!(original[0].contains("blocking_get() = 5"), "{original:?}");
}

/// Builds the migrated workspace `ws` with plain cargo (release, wasm32-wasip2) into the shared
/// target dir, which keeps dependencies built; the directory of the `.wasm` files.
fn build_release(ws: &Path) -> PathBuf {
    std::fs::copy(
        golem_rpc_host::build::workspace_root().join("Cargo.lock"),
        ws.join("Cargo.lock"),
    )
    .unwrap();
    let target_dir = golem_rpc_host::build::workspace_root().join("target");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let build = Command::new(cargo)
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", &target_dir)
        .args(["build", "--release", "--target", "wasm32-wasip2"])
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "the migrated workspace does not build:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    target_dir.join("wasm32-wasip2/release")
}

/// Replaces `from` (which must be there) by `to` in the file at `path`.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// Runs `migrate` on a fixture copy changed by `edit`; it must refuse with `expected` and
/// leave every file as it was.
fn refused(name: &str, edit: impl FnOnce(&Path), expected: &str) {
    let ws = workspace(name);
    edit(&ws);
    let before = snapshot(&ws);
    golem_rpc(["migrate".as_ref(), ws.as_os_str()])
        .expect_code(1)
        .expect_stdout(expected)
        .expect_stdout("nothing was changed");
    assert!(
        snapshot(&ws) == before,
        "a refused migration changes nothing"
    );
}

#[test]
fn what_cannot_be_rewritten_safely_is_refused_naming_the_file() {
    // The caller's own WIT uses the target's types: with the stub they were the client's too.
    refused(
        "refuse-shared-types",
        |ws| {
            edit(
                &ws.join("caller/wit/caller.wit"),
                "world caller {",
                "world caller {\n  use demo:counter/api.{stats};",
            )
        },
        "caller.wit: line 4: `use demo:counter/api.{stats};`: the caller's own WIT uses a type of `demo:counter`",
    );
    // The stub's module named outside a `use` line.
    refused(
        "refuse-qualified",
        |ws| {
            edit(
                &ws.join("caller/src/lib.rs"),
                "struct Caller;",
                "struct Caller;\n\ntype Client = bindings::demo::counter_stub::stub_counter::Api;",
            )
        },
        "names the stub's module outside a `use` line",
    );
    // A stub from before Golem 1.0.
    refused(
        "refuse-old-stub",
        |ws| edit(&ws.join("counter-stub/wit/_stub.wit"), "blocking-", "sync-"),
        "a stub from before Golem 1.0",
    );
}

#[test]
fn a_module_of_the_targets_name_gets_the_import_another_name() {
    let ws = workspace("migrate-module-clash");
    edit(
        &ws.join("caller/src/lib.rs"),
        "struct Caller;",
        "mod counter {}\n\nstruct Caller;",
    );
    golem_rpc(["migrate".as_ref(), ws.as_os_str(), "--dry-run".as_ref()])
        .expect_code(0)
        .expect_stdout("+golem_rpc::import!({ path: \"../counter/wit\", module: counter_rpc });")
        .expect_stdout("+use counter_rpc::api::{Api, FutureGetResult};")
        .expect_stdout("+golem-rpc = \"0.1\"");
}

/// Turns the fixture into what Golem 1.1's stubgen leaves: `wit/stub.wit`, and the target's
/// interfaces moved to a `demo:counter-interface` package that its world exports.
fn golem_1_1_layout(ws: &Path) {
    for dir in ["counter-stub/wit", "caller/wit/deps/demo_counter-stub"] {
        let dir = ws.join(dir);
        std::fs::rename(dir.join("_stub.wit"), dir.join("stub.wit")).unwrap();
        edit(
            &dir.join("stub.wit"),
            "use demo:counter/api.{stats};",
            "use demo:counter-interface/api.{stats};",
        );
    }
    let original = std::fs::read_to_string(ws.join("counter/wit/counter.wit")).unwrap();
    let interface = original
        .replace("package demo:counter;", "package demo:counter-interface;")
        .replace("world counter {\n  export api;\n}\n", "");
    for deps in [
        "counter/wit/deps",
        "caller/wit/deps",
        "counter-stub/wit/deps",
    ] {
        let dir = ws.join(deps).join("demo_counter-interface");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("interface.wit"), &interface).unwrap();
        let _ = std::fs::remove_dir_all(ws.join(deps).join("demo_counter"));
    }
    std::fs::write(
        ws.join("counter/wit/counter.wit"),
        "package demo:counter;\n\nworld counter {\n  export demo:counter-interface/api;\n}\n",
    )
    .unwrap();
    edit(
        &ws.join("counter/src/lib.rs"),
        "bindings::exports::demo::counter::api",
        "bindings::exports::demo::counter_interface::api",
    );
    edit(
        &ws.join("counter/Cargo.toml"),
        "[dependencies.wit-bindgen-rt]",
        "[package.metadata.component.target.dependencies.\"demo:counter-interface\"]\npath = \"wit/deps/demo_counter-interface\"\n\n[dependencies.wit-bindgen-rt]",
    );
    for manifest in ["caller/Cargo.toml", "counter-stub/Cargo.toml"] {
        edit(
            &ws.join(manifest),
            "dependencies.\"demo:counter\"]\npath = \"wit/deps/demo_counter\"",
            "dependencies.\"demo:counter-interface\"]\npath = \"wit/deps/demo_counter-interface\"",
        );
    }
}

#[test]
fn a_golem_1_1_stubgen_workspace_migrates_too() {
    let ws = workspace("migrate-1-1");
    golem_1_1_layout(&ws);
    let path_arg = runtime();
    golem_rpc([
        "migrate".as_ref(),
        ws.as_os_str(),
        "--golem-rpc-path".as_ref(),
        path_arg.as_os_str(),
    ])
    .expect_code(0)
    .expect_stdout("deleted: caller/wit/deps/demo_counter-interface/")
    .expect_stdout("migrated: 1 callers, 1 stub crates removed");
    // The target keeps its interface package; the caller imports the target's whole `wit/`.
    assert!(ws.join("counter/wit/deps/demo_counter-interface").exists());
    builds_and_answers_like_the_composed_original(&ws);
}

/// `tests/golem-app` (a Golem 1.2 application) copied to a scratch directory, as a cargo
/// workspace of its `client-caller`: a caller of golem-cli's generated client of `counters`.
fn golem_app(name: &str) -> PathBuf {
    let dir = scratch(name).join("app");
    copy_dir(
        &golem_rpc_host::build::workspace_root().join("tests/golem-app"),
        &dir,
    );
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nmembers = [\"client-caller\"]\nresolver = \"2\"\n\n\
         [workspace.package]\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
         [workspace.dependencies]\n\
         wit-bindgen = { version = \"0.63\", default-features = false, features = [\"macros\", \"realloc\"] }\n",
    )
    .unwrap();
    dir
}

/// What the caller's `run` answers against `counters` built as golem-cli builds it, each
/// under its manifest name.
fn run_app_caller(caller: &Path) -> Vec<String> {
    let counters = golem_rpc_host::build::build_component_with_features("app-counters", &[])
        .expect("counters builds");
    let host = golem_rpc_host::Host::new().unwrap();
    host.add_component_file("counters", &counters).unwrap();
    host.add_component_file("client-caller", caller).unwrap();
    host.call_wave(
        "client-caller",
        "main",
        "rpc:client-caller-exports/client-caller-inline-functions.{run}",
        &["\"w1\"".to_string()],
    )
    .unwrap()
}

#[test]
fn a_golem_app_caller_of_a_generated_client_migrates_and_answers_like_before() {
    let app = golem_app("migrate-app");
    let before = snapshot(&app);
    let path_arg = runtime();

    golem_rpc([
        "migrate".as_ref(),
        app.as_os_str(),
        "--dry-run".as_ref(),
        "--golem-rpc-path".as_ref(),
        path_arg.as_os_str(),
    ])
    .expect_code(0)
    .expect_stdout("-dependencies:\n")
    .expect_stdout("-  import rpc:counters-client/counters-client;")
    .expect_stdout("deleted: client-caller/wit-generated/deps/rpc_counters-client/")
    .expect_stdout("deleted: client-caller/wit-generated/deps/rpc_counters-exports/")
    .expect_stdout(
        "-\"rpc:counters-client\" = { path = \"wit-generated/deps/rpc_counters-client\" }",
    )
    .expect_stdout("+golem_rpc::import!(\"../counters/wit\");")
    .expect_stdout("-use crate::bindings::rpc::counters_client::counters_client::{")
    .expect_stdout("+use counters::api::{Api, Counter, FutureGetGlobalValueResult};")
    .expect_stdout("+use counters::Counters;")
    .expect_stdout("+use golem_rpc::Datetime;")
    .expect_stdout("+        let token = api.schedule_cancelable_inc_global_by(")
    .expect_stdout("dry run: ");
    assert!(snapshot(&app) == before, "a dry run changes nothing");

    golem_rpc([
        "migrate".as_ref(),
        app.as_os_str(),
        "--golem-rpc-path".as_ref(),
        path_arg.as_os_str(),
    ])
    .expect_code(0)
    .expect_stdout("migrated: 1 callers, 1 client dependencies removed from the application");
    let manifest = std::fs::read_to_string(app.join("client-caller/golem.yaml")).unwrap();
    assert!(
        !manifest.contains("dependencies") && manifest.contains("template: rust"),
        "{manifest}"
    );
    let cargo = std::fs::read_to_string(app.join("client-caller/Cargo.toml")).unwrap();
    assert!(cargo.contains("features = [\"golem-1-2\"]"), "{cargo}");
    let after = snapshot(&app);

    // A second run: nothing left to do.
    golem_rpc(["migrate".as_ref(), app.as_os_str()])
        .expect_code(0)
        .expect_stdout("nothing to migrate");
    assert!(snapshot(&app) == after, "a second run changes nothing");

    // The original, built as the application builds it, and the migrated caller, built with
    // plain cargo: the same answers.
    let original = golem_rpc_host::build::build_component_with_features("app-client-caller", &[])
        .expect("the original caller builds");
    let migrated = build_release(&app).join("app_client_caller.wasm");
    let expected = run_app_caller(&original);
    assert_eq!(run_app_caller(&migrated), expected);
    assert_eq!(
        expected,
        [concat!(
            "[\"global = 5\", \"try-dec(100) = Err(\\\"cannot take 100 from 5\\\")\", ",
            "\"try-dec(1) = Some(Ok(4))\", \"totals = 4 in 6 calls\", \"counter = Some(11)\", ",
            "\"promise of w1 at true\", \"version = counters (golem-cli)\", \"global = 4\"]"
        )]
    );
}

#[test]
fn golem_app_callers_that_cannot_be_rewritten_safely_are_refused() {
    // The caller's own WIT uses a type of the target's exports package.
    let app = golem_app("migrate-app-shared-types");
    edit(
        &app.join("client-caller/wit/client-caller.wit"),
        "world client-caller {",
        "world client-caller {\n  use rpc:counters-exports/api.{totals};",
    );
    let before = snapshot(&app);
    golem_rpc(["migrate".as_ref(), app.as_os_str()])
        .expect_code(1)
        .expect_stdout("client-caller.wit: line 4: `use rpc:counters-exports/api.{totals};`")
        .expect_stdout("nothing was changed");
    assert!(snapshot(&app) == before);

    // A worker id built from the client's types: rewritten where golem-rpc has the type, but
    // golem-rpc's WorkerId is built differently; the line is named for the user.
    let app = golem_app("migrate-app-worker-id");
    edit(
        &app.join("client-caller/src/lib.rs"),
        "struct Component;",
        "struct Component;\n\nfn by_id(id: &crate::bindings::golem::rpc::types::WorkerId) -> Api {\n    Api::custom(&WorkerId { component_id: id.component_id, worker_name: id.worker_name.clone() })\n}",
    );
    golem_rpc(["migrate".as_ref(), app.as_os_str(), "--dry-run".as_ref()])
        .expect_code(0)
        .expect_stdout("+fn by_id(id: &golem_rpc::WorkerId) -> Api {")
        .expect_stdout("src/lib.rs:19: a worker or component id of the client's types: `Api::custom(&WorkerId {")
        .expect_stdout("golem_rpc::WorkerId::new(component_id, name)");

    // A dependency on a component no manifest declares.
    let app = golem_app("migrate-app-unknown-target");
    edit(
        &app.join("client-caller/golem.yaml"),
        "target: counters",
        "target: nowhere",
    );
    golem_rpc(["migrate".as_ref(), app.as_os_str()])
        .expect_code(1)
        .expect_stdout(
            "`client-caller` depends on `nowhere`, which no manifest of the application declares",
        );
}
