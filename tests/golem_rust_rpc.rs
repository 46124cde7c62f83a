//! Components built with Golem 1.3's and 1.4's own toolchains run as on Golem: the applications
//! `tests/golem13-rpc` and `tests/golem14-rpc` (golem-rust 1.8.1 / 1.11.0, wit-bindgen 0.40,
//! wasm32-wasip1 adapted to WASI 0.2.3 as cargo-component 0.21 does), laid out as golemcloud/golem
//! v1.3.1 and v1.4.2 lay out `test-components/rpc`, give the answers Golem's own executor tests
//! expect of them (`golem-worker-executor/tests/rust_rpc.rs` and `rust_rpc_stubless.rs` at those
//! tags): the caller reaches the targets through golem-cli's client interfaces, which the host
//! links as Golem's executor does. Each test starts a fresh host, as Golem's start a fresh
//! executor.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use golem_rpc_host::{Generation, Host, Output, Uuid, Val};
use golem_rpc_tests::{artifacts, string};

/// The Golem generations under test and their applications.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Golem {
    V1_3,
    V1_4,
}

impl Golem {
    /// What the host takes a component for when its imports fit several generations: Golem
    /// 1.4's caller imports only `golem:rpc@0.2.2`, which 1.3 links too (as a user running the
    /// host for Golem 1.4 says with `--golem 1.4`).
    fn generation(self) -> Generation {
        match self {
            Golem::V1_3 => Generation::Golem1_3,
            Golem::V1_4 => Generation::Golem1_4,
        }
    }

    fn components(self) -> &'static BTreeMap<String, PathBuf> {
        static V1_3: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
        static V1_4: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
        match self {
            Golem::V1_3 => V1_3.get_or_init(|| {
                golem_rpc_tests::golem_app_components(
                    "tests/golem13-rpc",
                    &["counters", "caller", "ephemeral"],
                )
            }),
            Golem::V1_4 => V1_4.get_or_init(|| {
                golem_rpc_tests::golem_app_components("tests/golem14-rpc", &["counters", "caller"])
            }),
        }
    }
}

/// A fresh host with the application's components, and the caller's worker environment that
/// Golem's counters tests pass (`COUNTERS_COMPONENT_ID`).
fn host(golem: Golem) -> (Host, Uuid) {
    let host = Host::new().expect("a host");
    host.set_output(Output::Capture);
    host.set_default_generation(golem.generation());
    let components = golem.components();
    let counters = host
        .add_component_file("counters", &components["counters"])
        .expect("loading counters");
    host.add_component_file("caller", &components["caller"])
        .expect("loading the caller");
    if let Some(ephemeral) = components.get("ephemeral") {
        host.add_ephemeral_component_file("ephemeral", ephemeral)
            .expect("loading the ephemeral target");
    }
    host.add_env("COUNTERS_COMPONENT_ID", counters.to_string());
    (host, counters)
}

/// `rpc:caller-exports/caller-inline-functions.{function}` on caller worker `worker`, as WAVE.
fn call(host: &Host, worker: &str, function: &str, args: &[&str]) -> anyhow::Result<Vec<String>> {
    host.call_wave(
        "caller",
        worker,
        &format!("rpc:caller-exports/caller-inline-functions.{{{function}}}"),
        args,
    )
}

fn ok(host: &Host, worker: &str, function: &str, args: &[&str]) -> String {
    let mut results = call(host, worker, function, args)
        .unwrap_or_else(|e| panic!("{function} on {worker}: {e:#}"));
    assert_eq!(results.len(), 1, "{results:?}");
    results.remove(0)
}

const BOTH: [Golem; 2] = [Golem::V1_3, Golem::V1_4];

#[test]
fn counter_resource_test_1_drops_remote_resources_in_order() {
    for golem in BOTH {
        let (host, _) = host(golem);
        assert_eq!(
            ok(&host, "rpc-counters-1", "test1", &[]),
            r#"[("counter3", 3), ("counter2", 3), ("counter1", 3)]"#,
            "{golem:?}"
        );
    }
}

#[test]
fn counter_resource_test_2_keeps_a_remote_resource_across_invocations() {
    for golem in BOTH {
        let (host, _) = host(golem);
        let results: Vec<String> = (0..2)
            .map(|_| ok(&host, "rpc-counters-2", "test2", &[]))
            .collect();
        assert_eq!(results, ["1", "2"], "{golem:?}");
    }
}

#[test]
fn counter_resource_test_3_global_state_of_the_remote_worker() {
    for golem in BOTH {
        let (host, _) = host(golem);
        let results: Vec<String> = (0..2)
            .map(|_| ok(&host, "rpc-counters-3", "test3", &[]))
            .collect();
        assert_eq!(results, ["1", "2"], "{golem:?}");
    }
}

#[test]
fn counter_resource_test_5_three_calls_in_flight() {
    for golem in BOTH {
        let (host, _) = host(golem);
        assert_eq!(
            ok(&host, "rpc-counters-5", "test5", &[]),
            "[3, 3, 3]",
            "{golem:?}"
        );
    }
}

/// Golem's `context_inheritance`: the worker the caller's RPC creates gets the caller's
/// arguments (1.3; 1.4's workers have none) and environment, plus Golem's own variables for
/// itself, and nothing else; Golem's test compares the sorted list.
#[test]
fn context_inheritance_exactly_golems_environment() {
    for golem in BOTH {
        let (host, counters) = host(golem);
        host.add_env("TEST_CONFIG", "123");
        if golem == Golem::V1_3 {
            for arg in ["a", "b", "c"] {
                host.add_arg(arg);
            }
        }
        let (args, env) = args_and_env(&host);
        let mut expected = vec![
            ("COUNTERS_COMPONENT_ID", counters.to_string()),
            ("GOLEM_AGENT_ID", "counters_test4".into()),
            ("GOLEM_COMPONENT_ID", counters.to_string()),
        ];
        match golem {
            Golem::V1_3 => {
                assert_eq!(args, ["a", "b", "c"]);
                expected.push(("GOLEM_COMPONENT_VERSION", "0".into()));
            }
            Golem::V1_4 => {
                assert_eq!(args, Vec::<String>::new());
                expected.push(("GOLEM_COMPONENT_REVISION", "0".into()));
            }
        }
        expected.push(("GOLEM_WORKER_NAME", "counters_test4".into()));
        expected.push(("TEST_CONFIG", "123".into()));
        let mut expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        expected.sort();
        assert_eq!(env, expected, "{golem:?}");
    }
}

/// test4's answer: the counters worker's arguments, and its environment sorted by name.
fn args_and_env(host: &Host) -> (Vec<String>, Vec<(String, String)>) {
    let results = host
        .call(
            "caller",
            "rpc-counters-4",
            "rpc:caller-exports/caller-inline-functions.{test4}",
            &[],
        )
        .expect("test4");
    let text = |value: &Val| match value {
        Val::String(text) => text.clone(),
        other => panic!("expected a string, got {other:?}"),
    };
    let [Val::Tuple(answer)] = results.as_slice() else {
        panic!("unexpected answer {results:?}");
    };
    let [Val::List(args), Val::List(env)] = answer.as_slice() else {
        panic!("unexpected answer {answer:?}");
    };
    let mut env: Vec<(String, String)> = env
        .iter()
        .map(|pair| match pair {
            Val::Tuple(pair) if pair.len() == 2 => (text(&pair[0]), text(&pair[1])),
            other => panic!("expected a pair, got {other:?}"),
        })
        .collect();
    env.sort();
    (args.iter().map(text).collect(), env)
}

/// The string literals of a WAVE text, unescaped (none of these values holds a quote).
fn quoted(wave: &str) -> Vec<String> {
    wave.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn wasm_rpc_bug_32_a_unit_case_variant_round_trips() {
    for golem in BOTH {
        let (host, _) = host(golem);
        assert_eq!(
            ok(&host, "rpc-counters-bug32", "bug-wasm-rpc-i32", &["leaf"]),
            "leaf",
            "{golem:?}"
        );
    }
}

#[test]
fn golem_bug_1265_a_unit_ok_result_round_trips() {
    for golem in BOTH {
        let (host, _) = host(golem);
        assert_eq!(
            ok(
                &host,
                "rpc-counters-bug1265",
                "bug-golem1265",
                &[r#""test""#]
            ),
            "ok",
            "{golem:?}"
        );
    }
}

/// Golem's `error_message_non_existing_target_component`: the client's call fails with Golem's
/// text, and the generated client (no error channel) traps the caller's invocation with it.
#[test]
fn a_target_component_that_does_not_exist_is_golems_error() {
    for golem in BOTH {
        let (host, _) = host(golem);
        host.add_env(
            "COUNTERS_COMPONENT_ID",
            "FB2F8E32-7B94-4699-B6EC-82BCE80FF9F2".to_lowercase(),
        );
        let err = call(&host, "rpc-missing-target", "test3", &[]).unwrap_err();
        assert!(
            format!("{err:#}").contains("Could not find any component with the given id"),
            "{golem:?}: {err:#}"
        );
    }
}

/// Golem 1.3's `ephemeral_worker_invocation_via_rpc1`: an ephemeral target keeps the agent id
/// it is called with as its name, and every invocation is a fresh one (a new idempotency key).
#[test]
fn ephemeral_worker_invocation_via_rpc() {
    let (host, _) = host(Golem::V1_3);
    let ephemeral = host.component_id("ephemeral").unwrap();
    host.add_env("EPHEMERAL_COMPONENT_ID", ephemeral.to_string());
    let result = ok(&host, "rpc-ephemeral-1", "ephemeral-test1", &[]);
    let strings = quoted(&result);
    assert_eq!(strings.len(), 6, "{result}");
    let (name1, key1, name2, key2, name3, key3) = (
        &strings[0],
        &strings[1],
        &strings[2],
        &strings[3],
        &strings[4],
        &strings[5],
    );
    assert_eq!((name1.as_str(), name3.as_str()), ("eph1", "eph2"));
    assert_eq!(name1, name2);
    assert_ne!(key1, key2);
    assert_ne!(key2, key3);
}

/// Golem 1.3 and 1.4 components beside Golem 1.0's (the example counter and caller) in one host:
/// each is linked with its own generation's host interfaces, and all answer. Both generations'
/// `counters` export `rpc:counters-exports/api`: each caller's client reaches the one its agent
/// id names.
#[test]
fn golem_1_3_and_1_4_components_beside_golem_1_0_ones_in_one_host() {
    let host = Host::new().expect("a host");
    host.set_output(Output::Capture);
    let mut ids = BTreeMap::new();
    for golem in BOTH {
        // Components loaded from now on whose imports fit several generations are this one's.
        host.set_default_generation(golem.generation());
        let components = golem.components();
        for name in ["counters", "caller"] {
            let id = host
                .add_component_file(&format!("{name}-{golem:?}"), &components[name])
                .unwrap();
            ids.insert(format!("{name}-{golem:?}"), id);
        }
    }
    let built = artifacts();
    let counter = host
        .add_component_file("counter", &built["counter-target"])
        .unwrap();
    host.add_component_file("caller-1.0", &built["counter-caller"])
        .unwrap();
    host.add_env("COUNTER_COMPONENT_ID", counter.to_string());

    for golem in BOTH {
        // Both callers read COUNTERS_COMPONENT_ID: each caller's worker is created (and given
        // the environment) after its generation's id is set.
        host.add_env(
            "COUNTERS_COMPONENT_ID",
            ids[&format!("counters-{golem:?}")].to_string(),
        );
        let results: Vec<String> = (0..2)
            .map(|_| {
                host.call_wave(
                    &format!("caller-{golem:?}"),
                    "side-by-side",
                    "rpc:caller-exports/caller-inline-functions.{test3}",
                    &[] as &[&str],
                )
                .unwrap()
                .remove(0)
            })
            .collect();
        assert_eq!(results, ["1", "2"], "{golem:?}");
    }
    let lines = host
        .call(
            "caller-1.0",
            "side-by-side",
            "demo:caller/run.{demo}",
            &[string("counter-1")],
        )
        .unwrap();
    assert!(
        format!("{lines:?}").contains("blocking_get() = 5"),
        "{lines:?}"
    );
}
