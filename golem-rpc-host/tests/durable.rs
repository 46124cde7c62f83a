//! Durable workers across real host processes: `golem-rpc-host run --data-dir DIR`, one process
//! per step. A caller killed with SIGKILL in the middle of a sequence of blocking RPC calls
//! finishes its invocation in the next process, and its target counts every call exactly once;
//! a random number and a clock reading taken before a restart read the same after it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn host_binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_golem-rpc-host"))
}

fn caller12() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        golem_rpc_host::build::build_component_with_features("caller12", &["golem-1-2"])
            .expect("building caller12")
    })
}

/// A directory of its own for one test, removed when the test ends.
struct DataDir(PathBuf);

impl DataDir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("golem-rpc-durable-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        DataDir(dir)
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `golem-rpc-host run --data-dir DIR` with the counter and caller12 loaded, calling
/// `function` on `target` with `args`.
fn run(dir: &Path, target: &str, function: &str, args: &[&str]) -> Command {
    let mut command = host_binary();
    command
        .arg("run")
        .arg("--data-dir")
        .arg(dir)
        .arg("--component")
        .arg(format!(
            "counter={}",
            common::components().counter.display()
        ))
        .arg("--component")
        .arg(format!("caller12={}", caller12().display()))
        .arg(target)
        .arg(function)
        .args(args);
    command
}

fn finished(output: Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// How many `invoke` entries the oplog of counter worker `worker` has: calls it ran.
fn recorded_adds(dir: &Path, worker: &str) -> usize {
    let mut adds = 0;
    for entry in walk(&dir.join("oplog")) {
        if entry.file_name().and_then(|n| n.to_str()) == Some(&format!("{worker}.oplog")) {
            let text = std::fs::read_to_string(&entry).unwrap();
            adds += text
                .lines()
                .filter(|l| l.contains("\"invoke\"") && l.contains("api.{add}"))
                .count();
        }
    }
    adds
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn a_caller_killed_mid_sequence_finishes_and_every_call_counts_once() {
    let dir = DataDir::new("kill");
    const TIMES: u32 = 30;
    let mut child = run(
        &dir.0,
        "caller12/c",
        "test:caller12/run.{count}",
        &["\"w\"", &TIMES.to_string(), "40"],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    // Killed once some calls have been made, while the sequence goes on.
    let started = Instant::now();
    while recorded_adds(&dir.0, "w") < 5 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no call was made"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = recorded_adds(&dir.0, "w");
    assert!(
        before < TIMES as usize,
        "the caller finished before it was killed"
    );

    // A new process recovers the caller; its next invocation (a count of 0: the total) queues
    // behind the resumed one.
    let total = finished(
        run(
            &dir.0,
            "caller12/c",
            "test:caller12/run.{count}",
            &["\"w\"", "0", "0"],
        )
        .output()
        .unwrap(),
    );
    assert_eq!(total, TIMES.to_string());
    assert_eq!(recorded_adds(&dir.0, "w"), TIMES as usize);
    // And once more, in a third process: nothing is sent again.
    let total = finished(
        run(&dir.0, "counter/w", "demo:counter/api.{get}", &[])
            .output()
            .unwrap(),
    );
    assert_eq!(total, TIMES.to_string());
}

#[test]
fn a_random_number_and_a_clock_reading_read_the_same_after_a_restart() {
    let dir = DataDir::new("moment");
    let moment = || {
        finished(
            run(&dir.0, "caller12/m", "test:caller12/run.{moment}", &[])
                .output()
                .unwrap(),
        )
    };
    let before = moment();
    std::thread::sleep(Duration::from_millis(10));
    // A new process replays the first call: the random number and the time are the recorded
    // ones, not new draws.
    assert_eq!(moment(), before);
    // Another worker draws its own.
    let other = finished(
        run(&dir.0, "caller12/n", "test:caller12/run.{moment}", &[])
            .output()
            .unwrap(),
    );
    assert_ne!(other, before);
}
