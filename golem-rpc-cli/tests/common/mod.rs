//! Shared by the end-to-end tests: the test components (built once per test binary) and
//! running the `golem-rpc` binary.

#![allow(dead_code, reason = "each test binary uses part of this module")]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Every component the tests use, built together in one cargo run (release, like a deploy).
const COMPONENTS: &[&str] = &[
    "counter-caller",
    "counter-target",
    "impostor",
    "greet-caller",
    "greeter",
    "wrong-greeter",
    "unused-import",
    "counter-stub",
    "stub-caller",
    "stubless-caller",
];

/// The `.wasm` of a test component package.
pub fn component(package: &str) -> &'static Path {
    static BUILT: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        golem_rpc_host::build::build_components(COMPONENTS, true)
            .unwrap_or_else(|err| panic!("building the test components failed: {err:#}"))
    });
    &built[package]
}

/// What a run of the tool printed and how it exited.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics with the output unless the exit code is `code`.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "exit code\n--- stdout\n{}--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Panics with the output unless stdout contains `text`.
    pub fn expect_stdout(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}\n--- stdout\n{}--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// The number of `error:` lines (including the summary line of a failed run).
    pub fn errors(&self) -> usize {
        self.stdout
            .lines()
            .filter(|l| l.starts_with("error:"))
            .count()
    }

    /// stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{}", self.stdout))
    }
}

/// Runs `golem-rpc ARGS`.
pub fn golem_rpc<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run(env!("CARGO_BIN_EXE_golem-rpc"), args)
}

/// Runs `cargo-golem-rpc ARGS` (as cargo would, with `golem-rpc` as the first argument).
pub fn cargo_golem_rpc<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run(env!("CARGO_BIN_EXE_cargo-golem-rpc"), args)
}

fn run<I, S>(program: &str, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let output = Command::new(program)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap_or_else(|err| panic!("running {program}: {err}"));
    Run::from(output)
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("golem-rpc-cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creating a scratch directory");
    dir
}
