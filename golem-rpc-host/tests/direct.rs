//! Direct calls (`Host::call`, `Host::call_wave`), the component metadata API and the CLI.

mod common;

use std::process::Command;

use common::{components, host, unique};
use golem_rpc_host::{Type, Val, uri};

#[test]
fn call_with_vals() {
    let worker = unique("direct");
    let results = host()
        .call(
            "counter",
            &worker,
            "demo:counter/api.{add-all}",
            &[Val::List(vec![Val::U64(2), Val::U64(3)])],
        )
        .unwrap();
    assert!(matches!(results.as_slice(), [Val::U64(5)]));
    let results = host()
        .call(
            "counter",
            &worker,
            "demo:counter/api.{try-sub}",
            &[Val::U64(9)],
        )
        .unwrap();
    match results.as_slice() {
        [Val::Result(Err(Some(message)))] => {
            assert!(matches!(message.as_ref(), Val::String(s) if s == "cannot subtract 9 from 5"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn call_with_wave_text() {
    let worker = unique("wave");
    let call = |function: &str, args: &[&str]| {
        host()
            .call_wave(
                "counter",
                &worker,
                &format!("demo:counter/api.{{{function}}}"),
                args,
            )
            .unwrap()
    };
    assert_eq!(call("add-all", &["[1, 2, 3]"]), ["6"]);
    assert_eq!(call("tag", &[r#""a""#, r#"some("b")"#]), [r#""a-b""#]);
    assert_eq!(call("min-max", &["[4, -2]"]), ["some((-2, 4))"]);
    assert_eq!(
        call("get-stats", &[]),
        [r#"{total: 6, calls: 4, last: some(3), labels: ["a-b"]}"#]
    );
    assert_eq!(
        call("restore", &["{total: 1, calls: 0, last: none, labels: []}"]),
        ["true"]
    );
    assert_eq!(call("add", &["1"]), Vec::<String>::new());
    assert_eq!(call("get", &[]), ["2"]);
    let ping = host()
        .call_wave("trap", &worker, "ping", &[] as &[&str])
        .unwrap();
    assert_eq!(ping, [r#""pong""#]);
}

#[test]
fn call_errors_are_reported() {
    let worker = unique("errors");
    let err = |component: &str, function: &str, args: &[&str]| {
        format!(
            "{:#}",
            host()
                .call_wave(component, &worker, function, args)
                .unwrap_err()
        )
    };
    assert!(err("nope", "x", &[]).contains("unknown component nope"));
    let message = err("counter", "demo:counter/api.{nope}", &[]);
    // Golem's text, exactly; the CLI (`repl::call`) adds what the component exports.
    assert_eq!(
        message,
        "Invalid request: could not load function nope for interface demo:counter/api"
    );
    let cli = golem_rpc_host::repl::call(host(), "counter/w", "demo:counter/api.{nope}", &[""; 0])
        .unwrap_err();
    assert!(
        format!("{cli:#}").contains("demo:counter/api.{add-all}"),
        "{cli:#}"
    );
    let message = err("counter", "demo:counter/api.{add}", &[]);
    assert!(
        message.contains("expects 1 arguments (value: u64), got 0"),
        "{message}"
    );
    let message = err("counter", "demo:counter/api.{add}", &["\"five\""]);
    assert!(message.contains("not valid WAVE"), "{message}");
    let message = err("trap", "test:trap/api.{boom}", &[]);
    assert!(message.contains("Runtime error"), "{message}");
    let message = format!(
        "{:#}",
        host()
            .call("counter", &worker, "demo:counter/api.{add}", &[])
            .unwrap_err()
    );
    assert!(message.contains("expects 1 arguments"), "{message}");
}

#[test]
fn metadata() {
    let id = host().component_id("counter").unwrap();
    assert_eq!(id, uri::component_id("counter"));
    assert_eq!(host().component_names(), ["counter", "resources", "trap"]);
    assert_eq!(
        host().worker_uri("counter", "a b").unwrap(),
        format!("urn:worker:{id}/a+b")
    );
    let names = host().function_names("trap").unwrap();
    assert!(names.contains(&"ping".to_string()), "{names:?}");
    assert!(
        names.contains(&"test:trap/api.{forward}".to_string()),
        "{names:?}"
    );
    let signature = host()
        .function_signature("counter", "demo:counter/api.{tag}")
        .unwrap();
    assert_eq!(signature.params.len(), 2);
    assert_eq!(signature.params[0].0, "name");
    assert_eq!(signature.params[0].1, Type::String);
    assert_eq!(signature.results, [Type::String]);
    // Loading the same name twice is refused.
    assert!(
        host()
            .add_component_file("counter", &components().counter)
            .is_err()
    );
}

fn cli(args: &[&str]) -> std::process::Output {
    let components = components();
    Command::new(env!("CARGO_BIN_EXE_golem-rpc-host"))
        .arg("run")
        .arg(format!(
            "--component=counter={}",
            components.counter.display()
        ))
        .arg(format!("--component=trap={}", components.trap.display()))
        .args(args)
        .output()
        .expect("running golem-rpc-host")
}

#[test]
fn cli_prints_results_as_wave() {
    let output = cli(&["counter/w", "demo:counter/api.{add-all}", "[1, 2, 3]"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "6\n");
    let output = cli(&["counter/w", "demo:counter/api.{min-max}", "[-5, 3]"]);
    assert_eq!(String::from_utf8_lossy(&output.stdout), "some((-5, 3))\n");
}

#[test]
fn cli_passes_env_and_component_ids() {
    let output = cli(&[
        "--env",
        "GREETING=hello",
        "trap/w",
        "test:trap/api.{env}",
        "\"GREETING\"",
    ]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "some(\"hello\")\n");
    // The host's convenience variables only when asked for (Golem sets none).
    let output = cli(&["trap/w", "test:trap/api.{env}", "\"COUNTER_COMPONENT_ID\""]);
    assert_eq!(String::from_utf8_lossy(&output.stdout), "none\n");
    let output = cli(&[
        "--component-id-env",
        "trap/w",
        "test:trap/api.{env}",
        "\"COUNTER_COMPONENT_ID\"",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("some(\"{}\")\n", uri::component_id("counter"))
    );
}

#[test]
fn cli_without_a_worker_name_calls_a_fresh_worker() {
    // As Golem's invocation API does without a worker name: a new worker named by a UUID.
    let output = cli(&["counter", "demo:counter/api.{get}"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "0\n");
}

#[test]
fn cli_fails_clearly() {
    for (args, expected) in [
        (
            &["counter/w", "demo:counter/api.{nope}"][..],
            "could not load function nope",
        ),
        (&["counter/", "demo:counter/api.{get}"][..], "is empty"),
        (&["trap/w", "test:trap/api.{boom}"][..], "Runtime error"),
        (
            &["counter/w", "demo:counter/api.{add}", "x"][..],
            "not valid WAVE",
        ),
    ] {
        let output = cli(args);
        assert!(!output.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
