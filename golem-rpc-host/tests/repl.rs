//! `golem-rpc-host run` and `repl` as a user runs them: the binary, a counter component, state
//! carried over between the repl's calls, errors that do not stop it, `--env`/`--arg`.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

fn host_binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_golem-rpc-host"))
}

fn counter_arg() -> String {
    format!("counter={}", common::components().counter.display())
}

#[test]
fn repl_keeps_worker_state_between_lines_and_goes_on_after_errors() {
    let mut child = host_binary()
        .args(["repl", "--component", &counter_arg()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("golem-rpc-host starts");
    let input = r#"
# a comment, then calls against the same worker
counter/c1 demo:counter/api.{add}(5)
counter/c1 demo:counter/api.{add-all}([1, 2, 3])
counter/c1 demo:counter/api.{get}()
counter/c2 demo:counter/api.{get}()
counter/c1 demo:counter/api.{try-sub}(100)
counter/c1 demo:counter/api.{nope}()
counter/c1 demo:counter/api.{add}("five")
counter/c1 demo:counter/api.{get
nobody/c1 demo:counter/api.{get}()
counter/c1 demo:counter/api.{try-sub}(1)
counter/c1 demo:counter/api.{get}()
"#;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 11, "{stdout}");
    assert_eq!(lines[0], "()");
    assert_eq!(lines[1], "11");
    assert_eq!(lines[2], "11");
    assert_eq!(lines[3], "0");
    assert_eq!(lines[4], r#"err("cannot subtract 100 from 11")"#);
    for (line, expected) in [
        (lines[5], "error: "),
        (lines[6], "error: argument 0 (value: u64) is not valid WAVE"),
        (lines[7], "error: expected `FUNCTION(ARG, …)`"),
        (lines[8], "error: unknown component nobody"),
    ] {
        assert!(
            line.starts_with(expected),
            "{line:?} should start with {expected:?}"
        );
    }
    assert!(lines[5].contains("nope"), "{}", lines[5]);
    assert_eq!(lines[9], "ok(10)");
    assert_eq!(lines[10], "10");
}

#[test]
fn run_passes_env_and_args_and_reports_errors() {
    let run = |extra: &[&str]| {
        let output = host_binary()
            .args(["run", "--component", &counter_arg()])
            .args(extra)
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (ok, stdout, _) = run(&[
        "--env",
        "A=1",
        "--arg",
        "--verbose",
        "counter/w",
        "demo:counter/api.{add-all}",
        "[1, 2]",
    ]);
    assert!(ok);
    assert_eq!(stdout, "3\n");
    let (ok, _, stderr) = run(&["counter/w", "demo:counter/api.{add}"]);
    assert!(!ok);
    assert!(stderr.contains("expects 1 arguments"), "{stderr}");
    let (ok, _, stderr) = run(&["--env", "novalue", "counter/w", "demo:counter/api.{get}"]);
    assert!(!ok);
    assert!(stderr.contains("expected --env KEY=VALUE"), "{stderr}");
    let (ok, _, stderr) = run(&["--log-level", "loud", "counter/w", "demo:counter/api.{get}"]);
    assert!(!ok);
    assert!(stderr.contains("unknown log level \"loud\""), "{stderr}");
    let (ok, stdout, _) = run(&["--golem", "1.4", "counter/w", "demo:counter/api.{get}"]);
    assert!(ok);
    assert_eq!(stdout, "0\n");
    let (ok, _, stderr) = run(&["--golem", "1.5", "counter/w", "demo:counter/api.{get}"]);
    assert!(!ok);
    assert!(
        stderr.contains("\"1.5\": expected 1.0, 1.1, 1.2, 1.3 or 1.4"),
        "{stderr}"
    );
}

#[test]
fn run_ends_after_its_call_even_if_a_background_call_never_does() {
    let trap = format!("trap={}", common::components().trap.display());
    let target = common::host().worker_uri("trap", "spinner").unwrap();
    let started = std::time::Instant::now();
    let output = host_binary()
        .args(["run", "--component", &trap, "--background-timeout", "0.5"])
        .args([
            "trap/caller",
            "test:trap/api.{forward}",
            &format!("{target:?}"),
            r#""test:trap/api.{spin}""#,
            "[]",
            "fire-and-forget",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "stopped 1 background invocation(s) still running 0.5s after the last call returned"
        ) && stderr.contains(&format!("test:trap/api.{{spin}} on worker {target}")),
        "{stderr}"
    );
}

#[test]
fn run_applies_the_invocation_timeout() {
    let trap = format!("trap={}", common::components().trap.display());
    let output = host_binary()
        .args(["run", "--component", &trap, "--timeout", "0.2"])
        .args(["trap/w", "test:trap/api.{spin}"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ran past its deadline"), "{stderr}");
}
