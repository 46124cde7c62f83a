//! Golem 1.2's host API from a guest (`tests/components/api12-probe`): `golem:rpc/types@0.2.0`
//! (`wasm-rpc` from a worker id, `ephemeral`, schedules and their cancellation) and
//! `golem:api/host@1.1.6` (metadata, resolving names, `poll-promise`, what needs an oplog), and a
//! golem-rust 1.3 era import of `golem:api/host@1.1.5` served by the 1.1.6 definitions.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime};

use golem_rpc_host::{Host, Output, Uuid, build};

const PROBE: &str = "test:api12/probe";

struct Components {
    probe: PathBuf,
    /// The probe built with its `legacy` feature.
    legacy: PathBuf,
    trap: PathBuf,
}

fn components() -> &'static Components {
    static COMPONENTS: OnceLock<Components> = OnceLock::new();
    COMPONENTS.get_or_init(|| {
        // The legacy build first: it copies its artifact aside, the plain build then leaves the
        // probe's own artifact in place.
        let legacy = build::build_component_with_features("api12-probe", &["legacy"])
            .expect("building the legacy probe");
        let built = build::build_components(&["api12-probe", "trap-target"], true)
            .expect("building the test components");
        Components {
            probe: built["api12-probe"].clone(),
            legacy,
            trap: built["trap-target"].clone(),
        }
    })
}

/// A host with `probe`, `probe-eph` (the same component, ephemeral) and `trap`.
fn new_host() -> Host {
    let components = components();
    let host = Host::new().expect("creating a host");
    host.add_component_file("probe", &components.probe)
        .expect("loading the probe");
    host.add_ephemeral_component_file("probe-eph", &components.probe)
        .expect("loading the ephemeral probe");
    host.add_component_file("trap", &components.trap)
        .expect("loading trap-target");
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

/// Calls `probe.{function}` on worker `worker` of `probe`: its one result as WAVE.
fn call_on(host: &Host, worker: &str, function: &str, args: &[&str]) -> anyhow::Result<String> {
    let mut results = host.call_wave("probe", worker, &format!("{PROBE}.{{{function}}}"), args)?;
    Ok(if results.is_empty() {
        String::new()
    } else {
        results.remove(0)
    })
}

fn call(worker: &str, function: &str, args: &[&str]) -> String {
    call_on(host(), worker, function, args)
        .unwrap_or_else(|err| panic!("{function}{args:?} on {worker}: {err:#}"))
}

fn wave_string(text: &str) -> String {
    format!("{text:?}")
}

fn id(component: &str) -> String {
    host().component_id(component).unwrap().to_string()
}

#[test]
fn self_metadata_and_resolved_names() {
    let worker = unique("meta");
    let probe = id("probe");
    assert_eq!(
        call(&worker, "info", &[]),
        format!(
            "{{component-id: \"{probe}\", worker-name: \"{worker}\", args: [], status: \"running\", \
             component-version: 0}}"
        )
    );
    assert_eq!(
        call(&worker, "resolve-component", &["\"probe\""]),
        format!("some(\"{probe}\")")
    );
    assert_eq!(
        call(&worker, "resolve-component", &[&wave_string(&probe)]),
        format!("some(\"{probe}\")"),
        "a component id is a reference too"
    );
    assert_eq!(
        call(&worker, "resolve-component", &["\"trap\""]),
        format!("some(\"{}\")", id("trap"))
    );
    assert_eq!(call(&worker, "resolve-component", &["\"nope\""]), "none");
    let unknown = wave_string(&Uuid::new_v4().to_string());
    assert_eq!(call(&worker, "resolve-component", &[&unknown]), "none");

    let ghost = unique("ghost");
    let ghost_arg = wave_string(&ghost);
    assert_eq!(
        call(
            &worker,
            "resolve-worker",
            &["\"probe\"", &ghost_arg, "false"]
        ),
        format!("some(\"{probe}/{ghost}\")"),
        "resolve-worker-id does not check that the worker exists"
    );
    assert_eq!(
        call(
            &worker,
            "resolve-worker",
            &["\"probe\"", &ghost_arg, "true"]
        ),
        "none"
    );
    assert_eq!(
        call(
            &worker,
            "resolve-worker",
            &["\"nope\"", &ghost_arg, "false"]
        ),
        "none"
    );
    // The worker exists once something called it.
    call(&ghost, "notes", &[]);
    assert_eq!(
        call(
            &worker,
            "resolve-worker",
            &["\"probe\"", &ghost_arg, "true"]
        ),
        format!("some(\"{probe}/{ghost}\")")
    );
    assert_eq!(
        call(
            &worker,
            "resolve-worker",
            &["\"probe\"", &wave_string(&worker), "true"]
        ),
        format!("some(\"{probe}/{worker}\")")
    );
}

#[test]
fn poll_promise_sees_a_completion_by_another_worker() {
    let owner = unique("owner");
    let other = unique("completer");
    let idx = call(&owner, "create-promise", &[]);
    let owner_arg = wave_string(&owner);
    assert_eq!(call(&owner, "poll-promise", &[&owner_arg, &idx]), "none");
    assert_eq!(
        call(&other, "complete-promise", &[&owner_arg, &idx, "[1, 2, 3]"]),
        "true"
    );
    assert_eq!(
        call(&owner, "poll-promise", &[&owner_arg, &idx]),
        "some([1, 2, 3])"
    );
    assert_eq!(
        call(&other, "complete-promise", &[&owner_arg, &idx, "[9]"]),
        "false",
        "a promise is completed once"
    );
    assert_eq!(
        call(&other, "poll-promise", &[&owner_arg, &idx]),
        "some([1, 2, 3])"
    );
    let err = call_on(host(), &owner, "poll-promise", &[&owner_arg, "999999"])
        .expect_err("polling an unknown promise traps");
    assert!(format!("{err:#}").contains("Promise not found"), "{err:#}");
}

#[test]
fn wasm_rpc_from_a_worker_id_creates_the_target_with_the_callers_arguments() {
    let host = new_host();
    host.add_arg("first");
    let caller = unique("caller");
    let target = unique("target");
    call_on(&host, &caller, "notes", &[]).unwrap();
    // Workers the host creates from now on get "late"; one created by the caller's RPC
    // inherits the caller's arguments instead.
    host.add_arg("late");
    let target_arg = wave_string(&target);
    assert_eq!(
        call_on(
            &host,
            &caller,
            "call-note",
            &["\"probe\"", &target_arg, "\"hello\""]
        )
        .unwrap(),
        "ok([\"hello\"])"
    );
    assert_eq!(
        call_on(
            &host,
            &caller,
            "call-note",
            &["\"probe\"", &target_arg, "\"again\""]
        )
        .unwrap(),
        "ok([\"hello\", \"again\"])"
    );
    let info = call_on(&host, &target, "info", &[]).unwrap();
    assert!(info.contains("args: [\"first\"]"), "{info}");
    assert_eq!(
        call_on(
            &host,
            &caller,
            "call-note",
            &["\"nope\"", &target_arg, "\"x\""]
        )
        .unwrap(),
        "err(\"no component nope\")"
    );

    // Another component's export, through the same kind of wasm-rpc.
    let trap_worker = unique("trap");
    assert_eq!(
        call_on(
            &host,
            &caller,
            "call-ok",
            &["\"trap\"", &wave_string(&trap_worker)]
        )
        .unwrap(),
        "ok(42)"
    );
    let calls = host
        .call_wave(
            "trap",
            &trap_worker,
            "test:trap/api.{calls}",
            &[] as &[&str],
        )
        .unwrap();
    assert_eq!(calls, ["1"]);
}

#[test]
fn an_ephemeral_wasm_rpc_is_one_fresh_worker_per_resource() {
    let names = call(&unique("eph"), "ephemeral-names", &["\"probe-eph\""]);
    let names: Vec<&str> = names
        .trim_matches(['[', ']'])
        .split(", ")
        .map(|name| name.trim_matches('"'))
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[0], names[1], "one resource, one worker");
    assert_ne!(names[0], names[2], "another resource, another worker");
    for name in &names {
        assert!(Uuid::parse_str(name).is_ok(), "{name} is not a UUID");
    }
}

fn note_fn() -> String {
    wave_string(&format!("{PROBE}.{{note}}"))
}

/// `schedule(…)` on `caller` for worker `target` of `probe`: the kept token's slot, if any.
fn schedule(
    host: &Host,
    caller: &str,
    target: &str,
    tag: &str,
    delay_ms: i64,
    mode: &str,
) -> String {
    schedule_fn(host, caller, target, &note_fn(), tag, delay_ms, mode)
}

fn schedule_fn(
    host: &Host,
    caller: &str,
    target: &str,
    function: &str,
    tag: &str,
    delay_ms: i64,
    mode: &str,
) -> String {
    call_on(
        host,
        caller,
        "schedule",
        &[
            "\"probe\"",
            &wave_string(target),
            function,
            &wave_string(tag),
            &delay_ms.to_string(),
            mode,
        ],
    )
    .unwrap_or_else(|err| panic!("scheduling {tag}: {err:#}"))
}

fn pending_for(host: &Host, target: &str) -> Vec<String> {
    host.pending_schedules()
        .into_iter()
        .filter(|s| s.worker.worker_name == target)
        .map(|s| s.function)
        .collect()
}

/// Waits until at most `left` schedules for `target` are pending.
fn wait_until_pending(host: &Host, target: &str, left: usize) {
    let until = Instant::now() + Duration::from_secs(20);
    while pending_for(host, target).len() > left {
        assert!(Instant::now() < until, "schedules did not come due");
        std::thread::sleep(Duration::from_millis(20));
    }
    host.wait_for_background();
}

#[test]
fn scheduled_invocations_run_once_at_their_time_unless_cancelled() {
    let host = host();
    let caller = unique("scheduler");
    let target = unique("scheduled");
    let before = SystemTime::now();
    assert_eq!(
        schedule(host, &caller, &target, "cancelled", 1_500, "cancel-now"),
        "none"
    );
    assert_eq!(
        schedule(host, &caller, &target, "dropped", 1_500, "drop-token"),
        "none"
    );
    assert_eq!(
        schedule(host, &caller, &target, "plain", 1_500, "plain"),
        "none"
    );
    let kept = schedule(host, &caller, &target, "kept", 1_000, "keep-token");
    let later = schedule(host, &caller, &target, "later", 3_600_000, "keep-token");
    assert_eq!((kept.as_str(), later.as_str()), ("some(0)", "some(1)"));
    // Checked when scheduled: an unknown function is reported and never scheduled.
    let unknown = wave_string(&format!("{PROBE}.{{nope}}"));
    assert_eq!(
        schedule_fn(host, &caller, &target, &unknown, "bad", 0, "plain"),
        "none"
    );

    let pending: Vec<_> = host
        .pending_schedules()
        .into_iter()
        .filter(|s| s.worker.worker_name == target)
        .collect();
    let note = format!("{PROBE}.{{note}}");
    assert_eq!(
        pending
            .iter()
            .map(|s| s.function.as_str())
            .collect::<Vec<_>>(),
        [note.as_str(); 4],
        "kept, dropped, plain, later; not the cancelled or rejected ones"
    );
    let hour = Duration::from_secs(3_600);
    assert!(pending[0].at >= before + Duration::from_millis(1_000));
    assert!(pending[3].at >= before + hour && pending[3].at < SystemTime::now() + hour);
    let shown = pending[0].to_string();
    assert!(
        shown.starts_with(&format!(
            "{note} on worker {} at 20",
            host.worker_uri("probe", &target).unwrap()
        )) && shown.ends_with('Z'),
        "{shown}"
    );

    // One in the past runs at once, then the others at their time, each once.
    assert_eq!(
        schedule(host, &caller, &target, "past", -5_000, "plain"),
        "none"
    );
    wait_until_pending(host, &target, 1);
    assert_eq!(
        call(&target, "notes", &[]),
        "[\"past\", \"kept\", \"dropped\", \"plain\"]"
    );
    // Cancelling one that ran does nothing; cancelling a pending one removes it.
    call(&caller, "cancel-token", &["0"]);
    call(&caller, "cancel-token", &["1"]);
    assert!(pending_for(host, &target).is_empty());
    std::thread::sleep(Duration::from_millis(400));
    host.wait_for_background();
    assert_eq!(
        call(&target, "notes", &[]),
        "[\"past\", \"kept\", \"dropped\", \"plain\"]"
    );
}

#[test]
fn shutdown_runs_what_comes_due_in_the_grace_and_reports_the_rest() {
    let host = new_host();
    host.set_output(Output::Capture);
    let caller = unique("scheduler");
    let target = unique("scheduled");
    schedule(&host, &caller, &target, "soon", 300, "drop-token");
    schedule(&host, &caller, &target, "much-later", 3_600_000, "plain");
    let uri = host.worker_uri("probe", &target).unwrap();

    let reported = host.shutdown(Duration::from_secs(5));
    assert_eq!(reported.len(), 1, "{reported:?}");
    let prefix = format!("not run: {PROBE}.{{note}} on worker {uri} at 20");
    assert!(reported[0].starts_with(&prefix), "{reported:?}");
    let output = host.worker_output("probe", &target);
    assert_eq!(String::from_utf8_lossy(&output.stdout), "noted soon\n");
    assert!(host.pending_schedules().is_empty());
}

#[test]
fn golem_1_2_uuid_functions() {
    let worker = unique("uuid");
    assert_eq!(
        call(
            &worker,
            "uuid-round-trip",
            &["\"6F2A4C1E-3B7D-4E0A-9C55-1D2E8F7A9B30\""]
        ),
        "ok(\"6f2a4c1e-3b7d-4e0a-9c55-1d2e8f7a9b30\")"
    );
    let err = call(&worker, "uuid-round-trip", &["\"not-a-uuid\""]);
    assert!(err.starts_with("err(\"invalid character"), "{err}");
}

#[test]
fn fork_traps_saying_the_local_host_keeps_no_oplog() {
    let worker = unique("fork");
    let err = call_on(host(), &worker, "fork", &["\"copy\""]).expect_err("fork must trap");
    let message = format!("{err:#}");
    assert!(
        message.contains("fork(\"copy\") of worker urn:worker:")
            && message.contains("is not supported by the local host: it keeps no oplog"),
        "{message}"
    );
}

#[test]
fn golem_api_1_1_5_imports_link_to_the_1_1_6_definitions() {
    let host = Host::new().unwrap();
    let id = host
        .add_component_file("legacy", &components().legacy)
        .expect("a golem:api/host@1.1.5 import links");
    let results = host
        .call_wave(
            "legacy",
            "a+b c",
            "test:api12/legacy.{legacy-self}",
            &[] as &[&str],
        )
        .unwrap();
    // worker-uri as Golem 1.1 builds it: the name as it is, not urlencoded.
    assert_eq!(results, [format!("(\"a+b c\", \"urn:worker:{id}/a+b c\")")]);
}

/// Golem 1.1.19+ serve `golem:rpc/types@0.1.3`: 0.1.0's URI-based `wasm-rpc` with 0.2.0's
/// schedules, cancellation tokens and `extract-*`. The host's 0.1.x definitions are 0.1.3's.
#[test]
fn golem_rpc_0_1_3_schedules_through_a_uri_wasm_rpc() {
    let host = new_host();
    host.add_component_file("legacy", &components().legacy)
        .expect("golem:rpc/types@0.1.3 imports link");
    let legacy = |function: &str, args: &[&str]| {
        let name = format!("test:api12/legacy.{{{function}}}");
        host.call_wave("legacy", "scheduler", &name, args)
            .unwrap_or_else(|err| panic!("{function}{args:?}: {err:#}"))
    };
    let target = unique("scheduled-013");
    let uri = wave_string(&host.worker_uri("probe", &target).unwrap());
    let note = note_fn();
    for (tag, delay_ms, cancel) in [
        ("cancelled", "300", "true"),
        ("soon", "300", "false"),
        ("past", "-1000", "false"),
    ] {
        legacy(
            "legacy-schedule",
            &[&uri, &note, &wave_string(tag), delay_ms, cancel],
        );
    }
    wait_until_pending(&host, &target, 0);
    // Read back through a 0.1.3 `invoke-and-await`.
    let notes = wave_string(&format!("{PROBE}.{{notes}}"));
    assert_eq!(
        legacy("legacy-strings", &[&uri, &notes]),
        ["ok([\"past\", \"soon\"])"],
        "the past one at once, then the other at its time; the cancelled one never"
    );
    assert_eq!(
        legacy("legacy-extract", &["\"text\""]),
        ["(\"text\", true)"]
    );
}
