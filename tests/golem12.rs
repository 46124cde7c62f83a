//! Golem 1.2, 1.3 and 1.4 end to end: one caller source built with golem-rpc's `golem-1-2`
//! feature (`caller12`, clients of `golem:rpc@0.2.0` and `golem:api/host@1.1.6`), with
//! `golem-1-3` (`caller13`, `golem:rpc@0.2.2` and `golem:api/host@1.1.7`) and with `golem-1-4`
//! (`caller14`, `golem:api/host@1.3.0`), next to Golem 1.0/1.1 callers, in one host, each linked with its own generation's host interfaces; and a "stubless" caller whose
//! imported client interfaces the host links dynamically.

use std::sync::OnceLock;
use std::time::Duration;

use golem_rpc_host::{Host, Val};
use golem_rpc_tests::{host_with, outcome, string, strings};

/// The callers, by the name they are loaded under, and the feature each is built with.
const CALLERS: [(&str, &str); 3] = [
    ("caller12", "golem-1-2"),
    ("caller13", "golem-1-3"),
    ("caller14", "golem-1-4"),
];

/// Each caller is built on its own: its feature must not reach the other components.
fn callers() -> &'static [std::path::PathBuf; 3] {
    static PATHS: OnceLock<[std::path::PathBuf; 3]> = OnceLock::new();
    PATHS.get_or_init(|| {
        CALLERS.map(|(_, feature)| {
            golem_rpc_host::build::build_component_with_features("caller12", &[feature])
                .unwrap_or_else(|e| panic!("caller12 builds with {feature}: {e:#}"))
        })
    })
}

fn host() -> Host {
    let host = host_with(&["counter", "caller", "resources", "probe", "stubless"]);
    for ((name, _), path) in CALLERS.iter().zip(callers()) {
        host.add_component_file(name, path).unwrap();
    }
    host
}

/// Calls `function` of `caller` on `worker`; its results.
fn call(host: &Host, caller: &str, worker: &str, function: &str, args: &[Val]) -> Vec<Val> {
    host.call(
        caller,
        worker,
        &format!("test:caller12/run.{{{function}}}"),
        args,
    )
    .unwrap_or_else(|e| panic!("{caller} {function}: {e:#}"))
}

/// Calls `function`; its one result.
fn run(host: &Host, caller: &str, worker: &str, function: &str, args: &[Val]) -> Val {
    call(host, caller, worker, function, args).remove(0)
}

fn counter(host: &Host, worker: &str) -> u64 {
    match host
        .call("counter", worker, "demo:counter/api.{get}", &[])
        .unwrap()[..]
    {
        [Val::U64(value)] => value,
        ref other => panic!("{other:?}"),
    }
}

fn u64_of(value: Option<Val>) -> u64 {
    match value {
        Some(Val::U64(value)) => value,
        other => panic!("expected a u64, got {other:?}"),
    }
}

#[test]
fn every_call_form_by_worker_name() {
    let host = host();
    for (caller, _) in CALLERS {
        let worker = format!("{caller}-w1");
        let seen = run(&host, caller, "c", "forms", &[string(&worker)]);
        // 1 + 2 blocking, then the fire-and-forget 4 reaches the worker before the future's `get`.
        assert_eq!(u64_of(outcome(&seen).unwrap()), 7, "{caller}");
        assert_eq!(counter(&host, &worker), 7, "{caller}");
    }
}

#[test]
fn golem_1_0_to_1_4_callers_share_a_worker() {
    let host = host();
    run(&host, "caller12", "c", "forms", &[string("shared")]);
    let uri = host.worker_uri("counter", "shared").unwrap();
    // The 1.0 caller reads what the 1.2 caller wrote, through golem:rpc@0.1.0.
    let total = host
        .call("caller", "c", "demo:caller/run.{total-at}", &[string(&uri)])
        .unwrap();
    assert_eq!(u64_of(outcome(&total[0]).unwrap()), 7);
    // The 1.2 and 1.3 callers reach the same worker by id (custom), through golem:rpc@0.2.0 and
    // @0.2.2.
    for (caller, _) in CALLERS {
        let by_id = run(&host, caller, "c", "by-id", &[string(&uri)]);
        assert_eq!(u64_of(outcome(&by_id).unwrap()), 7, "{caller}");
    }
    // A 1.0 caller calls components built for Golem 1.2 and 1.3, which answer from
    // get-self-metadata.
    for (caller, _) in CALLERS {
        let answering = host.worker_uri(caller, "answering").unwrap();
        let answer = host
            .call(
                "probe",
                "p",
                "test:probe/calls.{remote-self-uri}",
                &[string(&answering)],
            )
            .unwrap();
        assert_eq!(
            outcome(&answer[0]).unwrap(),
            Some(string(&answering)),
            "{caller}"
        );
    }
}

#[test]
fn golem_1_2_ephemeral_clients_each_get_their_own_worker() {
    let host = host();
    let seen = run(&host, "caller12", "c", "ephemeral", &[]);
    let Some(Val::Tuple(pair)) = outcome(&seen).unwrap() else {
        panic!("{seen:?}")
    };
    assert_eq!(pair, [Val::U64(2), Val::U64(0)]);
}

#[test]
fn a_component_that_is_not_deployed_is_a_typed_error() {
    let host = host();
    for (caller, _) in CALLERS {
        let Val::String(message) = run(&host, caller, "c", "missing", &[]) else {
            panic!()
        };
        assert!(
            message.starts_with("no component named `no-such-component` is deployed"),
            "{caller}: {message}"
        );
    }
}

#[test]
fn a_scheduled_call_runs_once_and_a_cancelled_one_never() {
    let host = host();
    for (caller, _) in CALLERS {
        let worker = format!("{caller}-sched");
        call(
            &host,
            caller,
            "c",
            "schedule",
            &[string(&worker), Val::U64(5), Val::U32(300)],
        );
        call(
            &host,
            caller,
            "c",
            "schedule-cancelled",
            &[string(&worker), Val::U64(100), Val::U32(300)],
        );
        // Not yet: it runs at its time, not when scheduled.
        assert_eq!(counter(&host, &worker), 0, "{caller}");
    }
    std::thread::sleep(Duration::from_millis(900));
    for (caller, _) in CALLERS {
        assert_eq!(counter(&host, &format!("{caller}-sched")), 5, "{caller}");
    }
    std::thread::sleep(Duration::from_millis(300));
    for (caller, _) in CALLERS {
        assert_eq!(
            counter(&host, &format!("{caller}-sched")),
            5,
            "{caller}: ran once, the cancelled one never"
        );
    }
}

#[test]
fn remote_resources_by_worker_name_and_by_id() {
    let host = host();
    for (caller, _) in CALLERS {
        let seen = run(
            &host,
            caller,
            "c",
            "resources",
            &[string(&format!("{caller}-res"))],
        );
        let Some(Val::Tuple(values)) = outcome(&seen).unwrap() else {
            panic!("{seen:?}")
        };
        // The scheduled `inc-by(100)` (due at once) may or may not have run by then; it runs
        // once.
        assert_eq!(values[0], Val::U64(11), "{caller}");
        let Val::U64(by_id) = values[1] else {
            panic!("{values:?}")
        };
        assert!(by_id == 22 || by_id == 122, "{caller}: {by_id}");
    }
}

#[test]
fn the_self_uri_comes_from_get_self_metadata() {
    let host = host();
    for (caller, _) in CALLERS {
        let Val::String(uri) = run(&host, caller, "me", "self-uri", &[]) else {
            panic!()
        };
        assert_eq!(uri, host.worker_uri(caller, "me").unwrap(), "{caller}");
    }
}

/// The stubless callers: Golem 1.2's client interfaces and (built with its `golem-1-3` feature)
/// Golem 1.3's, whose constructors and `custom` take an agent id.
const STUBLESS: [&str; 2] = ["stubless", "stubless13"];

fn stubless13() -> &'static std::path::Path {
    static PATH: OnceLock<std::path::PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        golem_rpc_host::build::build_component_with_features("stubless-caller", &["golem-1-3"])
            .expect("stubless-caller builds with golem-1-3")
    })
}

fn stubless(host: &Host, caller: &str, function: &str, args: &[Val]) -> Result<Vec<Val>, String> {
    if caller == "stubless13" && host.component_id(caller).is_none() {
        host.add_component_file(caller, stubless13()).unwrap();
    }
    host.call(
        caller,
        "s",
        &format!("test:stubless-caller/run.{{{function}}}"),
        args,
    )
    .map_err(|e| format!("{e:#}"))
}

#[test]
fn a_stubless_caller_gets_its_client_interfaces_linked() {
    let host = host();
    for caller in STUBLESS {
        let worker = format!("{caller}-dyn");
        let seen = stubless(&host, caller, "counter", &[string(&worker)]).unwrap();
        assert_eq!(
            strings(&seen[0]),
            [
                "get = Some(5)",
                "stats = 5 in 4 calls",
                "try-sub(100) = Err(\"cannot subtract 100 from 5\")",
                "min-max = Some((-1, 7))",
                "tag = a-b",
                "restore = true, get = 40",
            ],
            "{caller}"
        );
        assert_eq!(counter(&host, &worker), 40, "{caller}");
        // custom(worker-id) / custom(agent-id): the same worker.
        let uri = host.worker_uri("counter", &worker).unwrap();
        let by_id = stubless(&host, caller, "counter-by-id", &[string(&uri)]).unwrap();
        assert_eq!(by_id, [Val::U64(40)], "{caller}");
    }
}

#[test]
fn a_stubless_caller_uses_remote_resources() {
    let host = host();
    for caller in STUBLESS {
        let worker = format!("{caller}-rw");
        let uri = host.worker_uri("resources", &worker).unwrap();
        let seen = stubless(&host, caller, "resources", &[string(&worker), string(&uri)]).unwrap();
        assert_eq!(
            strings(&seen[0]),
            [
                "a = Some(13)",
                "b.name = b",
                "total = 18",
                "a.merge(b) = 18",
                "c = 2",
                "after drop(b): 18",
            ],
            "{caller}"
        );
        // Every client dropped: the remote resources were dropped too.
        let live = host
            .call(
                "resources",
                &worker,
                "test:resources/api.{[static]counter.count-live}",
                &[],
            )
            .unwrap();
        assert_eq!(live, [Val::U32(0)], "{caller}");
    }
}

#[test]
fn a_stubless_caller_schedules_and_cancels() {
    let host = host();
    for caller in STUBLESS {
        stubless(
            &host,
            caller,
            "schedule",
            &[
                string(&format!("{caller}-sched")),
                Val::U64(3),
                Val::U32(200),
            ],
        )
        .unwrap();
        assert_eq!(counter(&host, &format!("{caller}-sched")), 0, "{caller}");
    }
    std::thread::sleep(Duration::from_millis(700));
    for caller in STUBLESS {
        assert_eq!(
            counter(&host, &format!("{caller}-sched")),
            3,
            "{caller}: the cancelled 1000 never ran"
        );
    }
}

#[test]
fn a_remote_trap_traps_the_stubless_caller() {
    let host = host();
    for caller in STUBLESS {
        let err = stubless(&host, caller, "boom", &[string("rb")]).unwrap_err();
        assert!(
            err.contains(
                "RPC invocation of test:resources/api.{boom} failed with: Remote internal error"
            ),
            "{caller}: {err}"
        );
    }
}

#[test]
fn a_client_whose_target_is_not_loaded_traps_naming_it() {
    // The stubless caller without the resources component: its `counter` client stands for
    // nothing this host has loaded.
    let host = host_with(&["counter", "stubless"]);
    let uri = host.worker_uri("counter", "x").unwrap();
    let err = host
        .call(
            "stubless",
            "s",
            "test:stubless-caller/run.{resources}",
            &[string("rw"), string(&uri)],
        )
        .map(|_| ())
        .unwrap_err();
    let err = format!("{err:#}");
    assert!(
        err.contains("Resource 'counter' not found in dynamic linked interface")
            && err.contains("test:resources"),
        "{err}"
    );
}
