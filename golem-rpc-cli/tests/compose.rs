//! `golem-rpc compose` on real components: plug a greeter into a caller that imports its
//! interface, then run the result in the local host.

mod common;

use common::{component, golem_rpc, scratch};

#[test]
fn composed_caller_runs_in_the_local_host() {
    let dir = scratch("compose");
    let out = dir.join("composed.wasm");
    let greeter = format!("greet={}", component("greeter").display());
    let unused = format!("counter={}", component("counter-target").display());
    let run = golem_rpc([
        "compose".as_ref(),
        component("greet-caller").as_os_str(),
        "--plug".as_ref(),
        greeter.as_ref(),
        "--plug".as_ref(),
        unused.as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    run.expect_code(0)
        .expect_stdout(
            "note: plugged `test:greet/api` of `greet` into the caller's import `test:greet/api`",
        )
        .expect_stdout("warning: Skipping counter, not used\n");

    // The composition no longer imports `test:greet/api`, so it passes the check ...
    golem_rpc(["check".as_ref(), out.as_os_str()]).expect_code(0);
    // ... and runs.
    let host = golem_rpc_host::Host::new().unwrap();
    host.add_component_file("greet", &out).unwrap();
    let result = host
        .call_wave("greet", "w1", "run", &[r#""Golem""#])
        .unwrap();
    assert_eq!(result, [r#""[Hello, Golem!]""#]);
}

/// A Golem 1.0 project's caller: a stubgen-style stub component (exports the client interface,
/// imports `golem:rpc`) composed into a caller that imports that interface, then run against a
/// real target worker.
#[test]
fn stubgen_style_caller_composed_with_its_stub_calls_the_target() {
    let dir = scratch("stub");
    let out = dir.join("caller_composed.wasm");
    let stub = format!("counter-stub={}", component("counter-stub").display());
    golem_rpc([
        "compose".as_ref(),
        component("stub-caller").as_os_str(),
        "--plug".as_ref(),
        stub.as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(0)
    .expect_stdout("plugged `demo:counter-stub/stub-counter` of `counter-stub`");
    // Before composition the stub interface is something Golem does not provide; after, only
    // golem:rpc and WASI are imported.
    golem_rpc(["check".as_ref(), component("stub-caller").as_os_str()])
        .expect_code(1)
        .expect_stdout("demo:counter-stub/stub-counter");
    golem_rpc(["check".as_ref(), out.as_os_str()]).expect_code(0);

    let host = golem_rpc_host::Host::new().unwrap();
    host.add_component_file("counter", component("counter-target"))
        .unwrap();
    host.add_component_file("caller", &out).unwrap();
    let target = host.worker_uri("counter", "c1").unwrap();
    let lines = host
        .call_wave("caller", "w1", "run", &[format!("{target:?}")])
        .unwrap();
    assert_eq!(
        lines,
        [concat!(
            r#"["blocking_get() = 5", "blocking_add_all([1, 2, 3]) = 11", "#,
            r#""blocking_try_sub(100) = Err(\"cannot subtract 100 from 11\")", "get() = Some(21)", "#,
            r#""try_sub(1) = Some(Ok(20))", "add_all([100]) = Some(120)"]"#
        )]
    );
}

#[test]
fn type_mismatch_is_an_error() {
    let dir = scratch("mismatch");
    let out = dir.join("composed.wasm");
    let wrong = format!("greet={}", component("wrong-greeter").display());
    let run = golem_rpc([
        "compose".as_ref(),
        component("greet-caller").as_os_str(),
        "--plug".as_ref(),
        wrong.as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    run.expect_code(1)
        .expect_stdout("(plug `greet`) exports `test:greet/api`, but its type does not match the caller's import `test:greet/api`")
        .expect_stdout("mismatched type for export `greet`");
    assert!(!out.exists(), "nothing is written on errors");
}

#[test]
fn unused_plugs_only_warn_and_json_parses() {
    let dir = scratch("unused-plugs");
    let out = dir.join("composed.wasm");
    let unused = format!("counter={}", component("counter-target").display());
    let run = golem_rpc([
        "compose".as_ref(),
        component("greet-caller").as_os_str(),
        "--plug".as_ref(),
        unused.as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    run.expect_code(0);
    let json = run.json();
    assert_eq!(json["command"], "compose");
    assert_eq!(json["ok"], true);
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unused-plug", "nothing-plugged", "written"]);
    assert_eq!(json["findings"][0]["message"], "Skipping counter, not used");
    assert_eq!(json["plugs"][0]["used"], false);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(component("greet-caller")).unwrap()
    );

    // Bad plugs are errors, not panics.
    let garbage = dir.join("garbage.wasm");
    std::fs::write(&garbage, b"not wasm").unwrap();
    for plug in [
        format!("bad={}", garbage.display()),
        format!("missing={}", dir.join("missing.wasm").display()),
    ] {
        let run = golem_rpc([
            "compose".as_ref(),
            component("greet-caller").as_os_str(),
            "--plug".as_ref(),
            plug.as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ]);
        run.expect_code(1);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    let run = golem_rpc([
        "compose".as_ref(),
        component("greet-caller").as_os_str(),
        "--plug".as_ref(),
        "no-equals-sign".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("expected NAME=PATH"), "{}", run.stderr);
}
