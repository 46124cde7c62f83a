//! Golem 1.3's and 1.4's host API from a guest (`tests/components/api13-probe`, built from
//! Golem 1.3.1's WIT, and with `golem-1-4` from 1.4.2's): `golem:rpc/types@0.2.2` (`wasm-rpc`
//! from an agent id, every call form, schedules) and `golem:api/host@1.1.7` / `@1.3.0` (agent
//! metadata, resolving names, `get-promise` and its pollable, `get-agents` with `starts-with`,
//! what needs an oplog), side by side with a Golem 1.2 component in one host: each is linked with
//! its own generation's definitions.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use golem_rpc_host::{Host, build};

const PROBE: &str = "test:api13/probe";

/// The probes: Golem 1.2's, 1.3's and (the 1.3 probe built with `golem-1-4`) 1.4's.
struct Built {
    probe12: std::path::PathBuf,
    probe13: std::path::PathBuf,
    probe14: std::path::PathBuf,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        // The featured build first: it copies its artifact aside, the plain build then leaves
        // the probe's own artifact in place.
        let probe14 = build::build_component_with_features("api13-probe", &["golem-1-4"])
            .expect("building the 1.4 probe");
        let built = build::build_components(&["api13-probe", "api12-probe"], true)
            .expect("building the test components");
        Built {
            probe12: built["api12-probe"].clone(),
            probe13: built["api13-probe"].clone(),
            probe14,
        }
    })
}

fn new_host() -> Host {
    let host = Host::new().expect("creating a host");
    host.add_component_file("probe13", &built().probe13)
        .expect("loading the 1.3 probe");
    host.add_component_file("probe14", &built().probe14)
        .expect("loading the 1.4 probe");
    host.add_component_file("probe12", &built().probe12)
        .expect("loading the 1.2 probe");
    host
}

fn host() -> &'static Host {
    static HOST: OnceLock<Host> = OnceLock::new();
    HOST.get_or_init(new_host)
}

fn unique(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The 1.3 and 1.4 probes: the same exports, each through its own generation's host API.
const PROBES: [&str; 2] = ["probe13", "probe14"];

fn call_on(worker: &str, function: &str, args: &[&str]) -> anyhow::Result<String> {
    call_probe("probe13", worker, function, args)
}

fn call_probe(probe: &str, worker: &str, function: &str, args: &[&str]) -> anyhow::Result<String> {
    let mut results = host().call_wave(probe, worker, &format!("{PROBE}.{{{function}}}"), args)?;
    Ok(if results.is_empty() {
        String::new()
    } else {
        results.remove(0)
    })
}

fn call(worker: &str, function: &str, args: &[&str]) -> String {
    call_on(worker, function, args)
        .unwrap_or_else(|err| panic!("{function}{args:?} on {worker}: {err:#}"))
}

fn wave(text: &str) -> String {
    format!("{text:?}")
}

fn id(component: &str) -> String {
    host().component_id(component).unwrap().to_string()
}

#[test]
fn agent_metadata_and_resolved_agent_ids() {
    let agent = unique("meta");
    let probe = id("probe13");
    assert_eq!(
        call(&agent, "info", &[]),
        format!("(\"{probe}/{agent}\", \"AgentStatus::Running\")")
    );
    let ghost = unique("ghost");
    assert_eq!(
        call(
            &agent,
            "resolve-agent",
            &["\"probe13\"", &wave(&ghost), "false"]
        ),
        format!("some(\"{probe}/{ghost}\")"),
        "resolve-agent-id does not check that the agent exists"
    );
    assert_eq!(
        call(
            &agent,
            "resolve-agent",
            &["\"probe13\"", &wave(&ghost), "true"]
        ),
        "none"
    );
    assert_eq!(
        call(
            &agent,
            "resolve-agent",
            &["\"probe13\"", &wave(&agent), "true"]
        ),
        format!("some(\"{probe}/{agent}\")")
    );
    assert_eq!(
        call(
            &agent,
            "resolve-agent",
            &["\"nope\"", &wave(&ghost), "false"]
        ),
        "none"
    );
}

#[test]
fn every_call_form_through_an_agent_id_and_across_generations() {
    let caller = unique("caller");
    let target = unique("target");
    assert_eq!(
        call(
            &caller,
            "call-note",
            &["\"probe13\"", &wave(&target), "\"t\""]
        ),
        "ok([\"t-awaited\", \"t-sent\", \"t-async\"])"
    );
    // A Golem 1.2 component, linked with 1.2's definitions in the same host, answers a 1.3
    // caller, and is itself still served by golem:rpc@0.2.0.
    let old = unique("old");
    host()
        .call_wave(
            "probe12",
            &old,
            "test:api12/probe.{note}",
            &["\"from-the-host\""],
        )
        .unwrap();
    assert_eq!(
        call(
            &caller,
            "call-strings",
            &["\"probe12\"", &wave(&old), "\"test:api12/probe.{notes}\""]
        ),
        "ok([\"from-the-host\"])"
    );
    // An unknown function: Golem's error, as a value.
    let err = call(
        &caller,
        "call-strings",
        &["\"probe12\"", &wave(&old), "\"test:api12/probe.{nope}\""],
    );
    assert!(
        err.starts_with("err(") && err.contains("could not load function"),
        "{err}"
    );
}

#[test]
fn scheduled_calls_run_once_and_cancelled_ones_never() {
    let caller = unique("scheduler");
    let target = unique("scheduled");
    call(
        &caller,
        "schedule-note",
        &["\"probe13\"", &wave(&target), "\"later\"", "100", "false"],
    );
    call(
        &caller,
        "schedule-note",
        &["\"probe13\"", &wave(&target), "\"never\"", "100", "true"],
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let notes = call(&target, "notes", &[]);
        if notes.contains("later") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the scheduled call never ran: {notes}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(call(&target, "notes", &[]), "[\"later\"]");
}

#[test]
fn get_promise_waits_on_its_pollable_and_only_its_creator_may_read_it() {
    let owner = unique("owner");
    let index = call(&owner, "create-promise", &[]);
    // Nothing completes it: the pollable times out, `get` is none.
    assert_eq!(call(&owner, "await-promise", &[&index, "50"]), "none");

    let waiting = {
        let owner = owner.clone();
        let index = index.clone();
        std::thread::spawn(move || call(&owner, "await-promise", &[&index, "10000"]))
    };
    std::thread::sleep(Duration::from_millis(100));
    let other = unique("completer");
    assert_eq!(
        call(
            &other,
            "complete-promise",
            &[&wave(&owner), &index, "[1, 2, 3]"]
        ),
        "true"
    );
    assert_eq!(waiting.join().unwrap(), "some([1, 2, 3])");
    assert_eq!(
        call(&other, "complete-promise", &[&wave(&owner), &index, "[4]"]),
        "false",
        "a promise completes once"
    );

    // Golem wakes only the creating agent: another may not read the promise.
    let err = call_on(&other, "peek-promise", &[&wave(&owner), &index]).unwrap_err();
    assert!(
        format!("{err:#}").contains("Tried awaiting a promise not created by the current agent"),
        "{err:#}"
    );
}

#[test]
fn get_agents_filters_names_with_starts_with() {
    let prefix = unique("listed");
    for suffix in ["a", "b"] {
        call(&format!("{prefix}-{suffix}"), "notes", &[]);
    }
    call(&unique("unlisted"), "notes", &[]);
    let asker = unique("asker");
    assert_eq!(
        call(&asker, "agents-starting-with", &[&wave(&prefix)]),
        format!("[\"{prefix}-a\", \"{prefix}-b\"]")
    );
}

#[test]
fn what_needs_an_oplog_traps_saying_so() {
    let agent = unique("forker");
    let err = call_on(&agent, "fork-to", &["\"copy\""]).unwrap_err();
    assert!(
        format!("{err:#}").contains("fork-agent(") && format!("{err:#}").contains("keeps no oplog"),
        "{err:#}"
    );
}

#[test]
fn each_generation_sees_its_executors_environment() {
    let host = new_host();
    host.add_env("KEY", "value");
    host.add_env("GOLEM_AGENT_TYPE", "stale");
    host.add_env("GOLEM_WORKER_NAME", "stale");
    let env13 = host
        .call_wave("probe13", "e1", &format!("{PROBE}.{{env}}"), &[] as &[&str])
        .unwrap()
        .remove(0);
    let component = host.component_id("probe13").unwrap();
    assert_eq!(
        env13,
        format!(
            "[(\"KEY\", \"value\"), (\"GOLEM_AGENT_ID\", \"e1\"), \
             (\"GOLEM_WORKER_NAME\", \"e1\"), (\"GOLEM_COMPONENT_ID\", \"{component}\"), \
             (\"GOLEM_COMPONENT_VERSION\", \"0\")]"
        ),
        "Golem 1.3's enrich_env: the agent id first, a stale GOLEM_AGENT_TYPE dropped"
    );
}

#[test]
fn golem_1_4_serves_the_same_probe_through_its_own_host_api() {
    for probe in PROBES {
        let call = |worker: &str, function: &str, args: &[&str]| {
            call_probe(probe, worker, function, args)
                .unwrap_or_else(|err| panic!("{probe} {function}{args:?}: {err:#}"))
        };
        let agent = unique("g14");
        let id = id(probe);
        assert_eq!(
            call(&agent, "info", &[]),
            format!("(\"{id}/{agent}\", \"AgentStatus::Running\")"),
            "{probe}"
        );
        // Calls between the generations: the 1.4 probe's agent calls a 1.3 agent and back.
        let other = if probe == "probe13" {
            "probe14"
        } else {
            "probe13"
        };
        let target = unique("g14-target");
        assert_eq!(
            call(
                &agent,
                "call-note",
                &[&wave(other), &wave(&target), "\"x\""]
            ),
            "ok([\"x-awaited\", \"x-sent\", \"x-async\"])",
            "{probe} -> {other}"
        );
        let index = call(&agent, "create-promise", &[]);
        let completer = unique("g14-completer");
        assert_eq!(
            call(
                &completer,
                "complete-promise",
                &[&wave(&agent), &index, "[7]"]
            ),
            "true"
        );
        assert_eq!(
            call(&agent, "await-promise", &[&index, "1000"]),
            "some([7])",
            "{probe}"
        );
        let err = call_probe(probe, &agent, "fork-to", &["\"copy\""]).unwrap_err();
        assert!(
            format!("{err:#}").contains("keeps no oplog"),
            "{probe}: {err:#}"
        );
    }

    // Golem 1.4's environment: GOLEM_COMPONENT_REVISION instead of GOLEM_COMPONENT_VERSION.
    let host = new_host();
    host.add_env("GOLEM_COMPONENT_VERSION", "inherited");
    let env14 = host
        .call_wave("probe14", "e1", &format!("{PROBE}.{{env}}"), &[] as &[&str])
        .unwrap()
        .remove(0);
    let component = host.component_id("probe14").unwrap();
    assert!(
        env14.starts_with("[(\"GOLEM_COMPONENT_VERSION\", \"inherited\"), ")
            && env14.ends_with(&format!(
                "(\"GOLEM_AGENT_ID\", \"e1\"), (\"GOLEM_WORKER_NAME\", \"e1\"), \
                 (\"GOLEM_COMPONENT_ID\", \"{component}\"), (\"GOLEM_COMPONENT_REVISION\", \"0\")]"
            )),
        "Golem 1.4's enrich_env keeps an inherited GOLEM_COMPONENT_VERSION: {env14}"
    );
}
