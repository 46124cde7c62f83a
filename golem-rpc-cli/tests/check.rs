//! `golem-rpc check` on real components built with `golem_rpc::import!` and wit-bindgen.

mod common;

use common::{cargo_golem_rpc, component, golem_rpc, scratch};

#[test]
fn good_caller_passes() {
    let run = golem_rpc([
        component("counter-caller").as_os_str(),
        component("counter-target").as_os_str(),
    ]);
    // Without a subcommand: a usage error.
    run.expect_code(2);

    let run = golem_rpc([
        "check".as_ref(),
        component("counter-caller").as_os_str(),
        component("counter-target").as_os_str(),
    ]);
    run.expect_code(0)
        .expect_stdout("golem:rpc/types@0.1.0\n")
        .expect_stdout("wasi:io/poll@0.2.6  (provided as wasi:io/poll@0.2.0)")
        .expect_stdout("of `demo:counter` (world `counter`, WIT digest ")
        .expect_stdout("8 of 8 functions called")
        .expect_stdout("exports all 8 functions the caller calls of `demo:counter`")
        .expect_stdout("golem-rpc runtime, shared by all imports: ~")
        .expect_stdout("`demo:counter`: ~")
        .expect_stdout("estimate from the `name` section");
    assert_eq!(run.errors(), 0, "{}", run.stdout);
    assert!(!run.stdout.contains("warning:"), "{}", run.stdout);
    assert!(!run.stdout.contains('\x1b'), "no colours into a pipe");
}

#[test]
fn drift_is_reported_with_both_signatures() {
    let run = golem_rpc([
        "check".as_ref(),
        component("counter-caller").as_os_str(),
        component("impostor").as_os_str(),
    ]);
    run.expect_code(1)
        .expect_stdout("error: `demo:counter/api.{get}`: caller built against `func() -> u64`, target exports `func() -> string`\n")
        .expect_stdout("error: `demo:counter/api.{add-all}` is called by the caller but not exported by ")
        .expect_stdout("its `demo:counter/api` has no function `add-all` (it has only add, get)");
    // `add` matches; `get` drifted; the other six are missing: 7 errors and the summary.
    assert_eq!(run.errors(), 8, "{}", run.stdout);
    assert!(run.stdout.contains("failed: 7 errors"), "{}", run.stdout);
}

#[test]
fn unprovided_import_fails_naming_it() {
    let run = golem_rpc(["check".as_ref(), component("greet-caller").as_os_str()]);
    run.expect_code(1)
        .expect_stdout("imports `test:greet/api`, which the golem-1.0 host profile (Golem 1.0/1.1 worker executor) does not provide")
        .expect_stdout("functions imported from it: greet")
        .expect_stdout("test:greet/api  (not provided)");
    assert_eq!(run.errors(), 2, "{}", run.stdout);
}

#[test]
fn unused_import_warns_and_passes() {
    let run = golem_rpc(["check".as_ref(), component("unused-import").as_os_str()]);
    run.expect_code(0)
        .expect_stdout("warning: `golem_rpc::import!` of `demo:counter` (world `counter`) is declared but unused: none of its 8 functions is called")
        .expect_stdout("ok, 1 warning");
}

#[test]
fn target_matching_no_import_warns() {
    let run = golem_rpc([
        "check".as_ref(),
        component("counter-caller").as_os_str(),
        component("counter-target").as_os_str(),
        component("greeter").as_os_str(),
    ]);
    run.expect_code(0)
        .expect_stdout("matches no `golem_rpc::import!` of the caller")
        .expect_stdout("it exports `test:greet/api`; the caller imports `demo:counter`");
}

#[test]
fn json_has_the_same_findings() {
    let run = golem_rpc([
        "check".as_ref(),
        component("counter-caller").as_os_str(),
        component("impostor").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    run.expect_code(1);
    let json = run.json();
    assert_eq!(json["command"], "check");
    assert_eq!(json["ok"], false);
    assert_eq!(json["errors"], 7);
    assert_eq!(json["profile"], "golem-1.0");
    let findings = json["findings"].as_array().unwrap();
    let drift = findings
        .iter()
        .find(|f| f["code"] == "signature-drift")
        .expect("a signature-drift finding");
    assert_eq!(drift["level"], "error");
    assert_eq!(drift["function"], "demo:counter/api.{get}");
    assert_eq!(drift["caller_signature"], "func() -> u64");
    assert_eq!(drift["target_signature"], "func() -> string");
    assert_eq!(
        findings
            .iter()
            .filter(|f| f["code"] == "missing-function")
            .count(),
        6
    );
    assert_eq!(json["records"][0]["target"], "demo:counter");
    assert_eq!(
        json["records"][0]["referenced"].as_array().unwrap().len(),
        8
    );
    assert!(json["imports"].as_array().unwrap().iter().any(|i| i["name"]
        == "golem:rpc/types@0.1.0"
        && i["provided_as"] == "golem:rpc/types@0.1.0"));
    assert_eq!(json["sizes"]["estimate"], true);
    assert!(json["sizes"]["imports"][0]["code"].as_u64().unwrap() > 0);

    let unused = golem_rpc([
        "check".as_ref(),
        component("unused-import").as_os_str(),
        "--format=json".as_ref(),
    ]);
    unused.expect_code(0);
    let json = unused.json();
    assert_eq!(json["ok"], true);
    assert_eq!(json["warnings"], 1);
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "unused-import" && f["level"] == "warning")
    );
}

#[test]
fn malformed_input_is_reported_not_a_panic() {
    let dir = scratch("malformed");
    let caller = std::fs::read(component("counter-caller")).unwrap();

    // A corrupted `golem-rpc:import` section (same length, so the binary stays valid).
    let at = caller
        .windows(b"\ntarget demo:counter".len())
        .position(|w| w == b"\ntarget demo:counter")
        .expect("the caller records its import");
    let mut corrupted = caller.clone();
    corrupted[at + 1..at + 7].copy_from_slice(b"tarXet");
    let bad_section = dir.join("bad-section.wasm");
    std::fs::write(&bad_section, &corrupted).unwrap();
    golem_rpc(["check".as_ref(), bad_section.as_os_str()])
        .expect_code(1)
        .expect_stdout("malformed `golem-rpc:import` custom section: line 2: expected `target …`, found `tarXet demo:counter`");

    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.wasm", b"", "malformed WebAssembly binary"),
        ("text.wasm", b"hello world", "malformed WebAssembly binary"),
        (
            "core.wasm",
            b"\0asm\x01\0\0\0",
            "a core WebAssembly module, not a component",
        ),
        (
            "truncated.wasm",
            &caller[..caller.len() / 2],
            "malformed WebAssembly binary",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let run = golem_rpc(["check".as_ref(), path.as_os_str()]);
        run.expect_code(1).expect_stdout(expected);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        // As a target: an error too, the caller is still checked.
        let run = golem_rpc([
            "check".as_ref(),
            component("counter-caller").as_os_str(),
            path.as_os_str(),
        ]);
        run.expect_code(1).expect_stdout(expected);
    }
    golem_rpc(["check".as_ref(), dir.join("missing.wasm").as_os_str()])
        .expect_code(1)
        .expect_stdout("cannot read");
    let run = golem_rpc([
        "check".as_ref(),
        component("counter-caller").as_os_str(),
        "--profile".as_ref(),
        "golem-9".as_ref(),
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(
            "unknown profile `golem-9` (known: golem-1.0, golem-1.1.26, golem-1.2, golem-1.3, golem-1.4)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn cargo_subcommand_drops_its_name() {
    let args = [
        "check".as_ref(),
        component("counter-caller").as_os_str(),
        component("counter-target").as_os_str(),
    ];
    let direct = golem_rpc(args);
    let cargo = cargo_golem_rpc(std::iter::once("golem-rpc".as_ref()).chain(args));
    cargo.expect_code(0);
    assert_eq!(cargo.stdout, direct.stdout);
}

/// `caller12` (tests/components): clients built with golem-rpc's `golem-1-2` feature.
fn caller12() -> &'static std::path::Path {
    static BUILT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| built("caller12", &["golem-1-2"]))
}

#[test]
fn golem_1_3_callers_are_checked_against_golem_1_3() {
    // The same caller source built with `golem-1-3`: detected from its imports.
    let caller13 = built("caller12", &["golem-1-3"]);
    let run = golem_rpc([
        "check".as_ref(),
        caller13.as_os_str(),
        component("counter-target").as_os_str(),
    ]);
    run.expect_code(0)
        .expect_stdout("golem:rpc/types@0.2.2\n")
        .expect_stdout("golem:api/host@1.1.7\n")
        .expect_stdout("(checked against the golem-1.3 host profile)")
        .expect_stdout(", golem-1.3 clients)");
    assert_eq!(run.errors(), 0, "{}", run.stdout);

    // Against Golem 1.2 (whose host interfaces wasmtime would even link by semver): the
    // clients are for another executor.
    let run = golem_rpc([
        "check".as_ref(),
        caller13.as_os_str(),
        "--profile".as_ref(),
        "golem-1.2".as_ref(),
    ]);
    run.expect_code(1)
        .expect_stdout("generated golem-1.3 clients, but the caller is checked against the golem-1.2 host profile")
        .expect_stdout("build the caller with golem-rpc's `golem-1-2` feature (and not `golem-1-3`)");

    // Built with `golem-1-4`: Golem 1.4's host API, detected likewise.
    let caller14 = built("caller12", &["golem-1-4"]);
    let run = golem_rpc([
        "check".as_ref(),
        caller14.as_os_str(),
        component("counter-target").as_os_str(),
    ]);
    run.expect_code(0)
        .expect_stdout("golem:api/host@1.3.0\n")
        .expect_stdout("(checked against the golem-1.4 host profile)")
        .expect_stdout(", golem-1.4 clients)");
    assert_eq!(run.errors(), 0, "{}", run.stdout);
}

#[test]
fn golem_1_2_callers_are_checked_against_golem_1_2() {
    // Detected from its imports.
    let run = golem_rpc([
        "check".as_ref(),
        caller12().as_os_str(),
        component("counter-target").as_os_str(),
    ]);
    run.expect_code(0)
        .expect_stdout("golem:rpc/types@0.2.0\n")
        .expect_stdout("golem:api/host@1.1.6\n")
        .expect_stdout("(checked against the golem-1.2 host profile)")
        .expect_stdout("of `demo:counter` (world `counter`, WIT digest ")
        .expect_stdout(", golem-1.2 clients)");
    assert_eq!(run.errors(), 0, "{}", run.stdout);

    // Against Golem 1.0/1.1: its imports are missing there and its clients are for 1.2.
    let run = golem_rpc([
        "check".as_ref(),
        caller12().as_os_str(),
        "--profile".as_ref(),
        "golem-1.1".as_ref(),
    ]);
    run.expect_code(1)
        .expect_stdout("imports `golem:rpc/types@0.2.0`, which the golem-1.0 host profile (Golem 1.0/1.1 worker executor) does not provide")
        .expect_stdout("`golem_rpc::import!` of `demo:counter` generated golem-1.2 clients, but the caller is checked against the golem-1.0 host profile")
        .expect_stdout("build the caller without golem-rpc's `golem-1-2` / `golem-1-3` / `golem-1-4` features");

    // A Golem 1.0/1.1 caller against Golem 1.2: golem:rpc@0.1.0 is gone there.
    let run = golem_rpc([
        "check".as_ref(),
        component("counter-caller").as_os_str(),
        "--profile".as_ref(),
        "golem-1.2".as_ref(),
    ]);
    run.expect_code(1)
        .expect_stdout("imports `golem:rpc/types@0.1.0`, which the golem-1.2 host profile (Golem 1.2 worker executor) does not provide")
        .expect_stdout("generated golem-1.1 clients, but the caller is checked against the golem-1.2 host profile")
        .expect_stdout("build the caller with golem-rpc's `golem-1-2` feature");

    // A Golem 1.2 "stubless" caller: its client interfaces are linked by Golem, its import of
    // the target's interface is for types only.
    let run = golem_rpc(["check".as_ref(), component("stubless-caller").as_os_str()]);
    run.expect_code(0)
        .expect_stdout("(checked against the golem-1.2 host profile)")
        .expect_stdout("demo:counter-client/counter-client  (a client interface: Golem 1.2 links it from the component's `wasm-rpc` dependencies)")
        .expect_stdout("demo:counter/api  (types only: needs no implementation)");
    assert_eq!(run.errors(), 0, "{}", run.stdout);
    let run = golem_rpc([
        "check".as_ref(),
        component("stubless-caller").as_os_str(),
        "--profile".as_ref(),
        "golem-1.0".as_ref(),
    ]);
    run.expect_code(1).expect_stdout(
        "imports `demo:counter-client/counter-client`, which the golem-1.0 host profile",
    );
}

/// A golem-rust 1.3 era component (the host's api12-probe, `legacy` build): it imports
/// `golem:rpc/types@0.1.3` (and calls its schedules) and `golem:api/host@1.1.5`, as served by
/// Golem 1.1.19 to 1.1.26.
#[test]
fn late_golem_1_1_components_are_checked_against_golem_1_1_26() {
    let probe = golem_rpc_host::build::build_component_with_features("api12-probe", &["legacy"])
        .unwrap_or_else(|err| panic!("building the legacy api12-probe failed: {err:#}"));
    let run = golem_rpc(["check".as_ref(), probe.as_os_str()]);
    run.expect_code(0)
        .expect_stdout("(checked against the golem-1.1.26 host profile)")
        .expect_stdout("golem:rpc/types@0.1.3\n")
        .expect_stdout("golem:api/host@1.1.5\n");
    assert_eq!(run.errors(), 0, "{}", run.stdout);

    // Golem 1.0 and 1.1.0 had no schedules, and golem:api@0.2.0 only.
    let run = golem_rpc([
        "check".as_ref(),
        probe.as_os_str(),
        "--profile".as_ref(),
        "golem-1.0".as_ref(),
    ]);
    run.expect_code(1)
        .expect_stdout("imports `[method]wasm-rpc.schedule-invocation` from `golem:rpc/types@0.1.3`, which the golem-1.0 host profile")
        .expect_stdout("imports `golem:api/host@1.1.5`, which the golem-1.0 host profile");

    // A caller with golem-rpc's default (Golem 1.0/1.1) clients runs there too.
    let run = golem_rpc([
        "check".as_ref(),
        component("counter-caller").as_os_str(),
        "--profile".as_ref(),
        "golem-1.1.26".as_ref(),
    ]);
    run.expect_code(0);
    assert_eq!(run.errors(), 0, "{}", run.stdout);
}

/// `package` built with `features` (release), kept apart from its other builds.
fn built(package: &str, features: &[&str]) -> std::path::PathBuf {
    golem_rpc_host::build::build_component_with_features(package, features)
        .unwrap_or_else(|err| panic!("building {package} failed: {err:#}"))
}

/// tests/golem-app: `app-caller` imports `counters` twice, once with golem-cli's export names
/// (the application's default) and once as written.
#[test]
fn each_import_of_a_golem_app_target_is_checked_against_the_build_it_names() {
    let caller = built("app-caller", &["golem-1-2"]);
    let golem_cli_built = built("app-counters", &[]);
    let plain = built("app-counters", &["plain"]);
    let run = golem_rpc([
        "check".as_ref(),
        caller.as_os_str(),
        golem_cli_built.as_os_str(),
        plain.as_os_str(),
    ]);
    run.expect_code(0)
        .expect_stdout("rpc:counters-exports/api.{counter.new}")
        .expect_stdout("rpc:counters-exports/counters-inline-functions.{version}")
        .expect_stdout("exports all 10 functions the caller calls of `rpc:counters`")
        .expect_stdout("exports all 3 functions the caller calls of `rpc:counters`");
    assert_eq!(run.errors(), 0, "{}", run.stdout);

    // Only the build golem-cli makes: the as-written import is left unverified, not failed.
    let run = golem_rpc([
        "check".as_ref(),
        caller.as_os_str(),
        golem_cli_built.as_os_str(),
    ]);
    run.expect_code(0)
        .expect_stdout("`rpc:counters` was not compared with a target component");
    assert_eq!(run.errors(), 0, "{}", run.stdout);
}
