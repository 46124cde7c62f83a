//! The host as a test harness for your own components: integration tests that build the
//! component crates of your workspace and run them together, as workers, in a fresh [`Host`].
//!
//! ```no_run
//! // tests/through_host.rs of a crate in your workspace (golem-rpc-host as a dev-dependency)
//! use golem_rpc_host::testing::Components;
//! use golem_rpc_host::Val;
//!
//! #[test]
//! fn the_caller_reaches_the_counter() -> anyhow::Result<()> {
//!     // Built for wasm32-wasip2 once per test binary (cargo's own caching across runs).
//!     let components = Components::build(&["counter", "caller"])?;
//!     let host = components.host()?;               // each loaded under its package name
//!     host.add_env("GREETING", "hi");              // what workers are created with
//!
//!     // Typed values…
//!     let counter = host.worker_uri("counter", "c1")?;
//!     let result = host.call("caller", "w1", "demo:caller/run.{total-at}", &[Val::String(counter)])?;
//!     // …or WAVE text, as the `golem-rpc-host run` command line takes it.
//!     let text = host.call_wave("counter", "c1", "demo:counter/api.{get}", &[])?;
//!     assert_eq!(text, ["0"]);
//!
//!     // What each worker printed.
//!     let output = host.worker_output("caller", "w1");
//!     assert!(String::from_utf8_lossy(&output.stdout).is_empty());
//!     # let _ = result;
//!     Ok(())
//! }
//! ```
//!
//! [`Components::build`] runs `cargo build --release --target wasm32-wasip2 -p …` in the
//! workspace of the crate under test (`CARGO_MANIFEST_DIR`), once per test process for the same
//! request; `cargo test` needs `rustup target add wasm32-wasip2`. Each [`Components::host`] is a
//! fresh host whose workers' output is captured, so tests can run in parallel. Builds of the
//! same packages with different features may be made in one process: each build's `.wasm` is
//! kept apart (`{name}-{features}.wasm` beside cargo's), so no later build replaces it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use anyhow::{Context as _, anyhow};

use crate::{Host, Output};

/// Workspace, packages, profile, features.
type Request = (PathBuf, Vec<String>, String, Vec<String>);
type Outcome = Result<BTreeMap<String, PathBuf>, String>;

/// Builds made by this process: each request runs cargo once.
static BUILT: Mutex<Vec<(Request, Outcome)>> = Mutex::new(Vec::new());

/// Component crates of the workspace under test, built for `wasm32-wasip2`.
#[derive(Debug, Clone)]
pub struct Components {
    artifacts: BTreeMap<String, PathBuf>,
}

/// How to build: see [`Components::builder`].
#[derive(Debug, Clone)]
pub struct Build {
    dir: Option<PathBuf>,
    packages: Vec<String>,
    profile: String,
    features: Vec<String>,
}

impl Build {
    /// A cargo profile instead of `release` (`dev` for debug builds).
    pub fn profile(mut self, profile: &str) -> Self {
        self.profile = profile.to_string();
        self
    }

    /// Debug builds (faster to compile, slower to run).
    pub fn debug(self) -> Self {
        self.profile("dev")
    }

    /// Cargo features to enable (`package/feature` for one package's).
    pub fn features(mut self, features: &[&str]) -> Self {
        self.features = features.iter().map(|f| f.to_string()).collect();
        self
    }

    /// The workspace (any directory in it) instead of the crate under test's.
    pub fn workspace(mut self, dir: impl AsRef<Path>) -> Self {
        self.dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Builds (once per process for the same request) and returns the components.
    pub fn build(self) -> anyhow::Result<Components> {
        let dir = match self.dir {
            Some(dir) => dir,
            None => std::env::var_os("CARGO_MANIFEST_DIR")
                .map(PathBuf::from)
                .or_else(|| std::env::current_dir().ok())
                .ok_or_else(|| anyhow!("no CARGO_MANIFEST_DIR or current directory"))?,
        };
        let mut packages = self.packages;
        packages.sort();
        packages.dedup();
        let request: Request = (dir, packages, self.profile, self.features);
        let mut built = BUILT.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, outcome)) = built.iter().find(|(r, _)| *r == request) {
            return outcome
                .clone()
                .map(|artifacts| Components { artifacts })
                .map_err(|e| anyhow!(e));
        }
        let (dir, packages, profile, features) = &request;
        let features: Vec<&str> = features.iter().map(String::as_str).collect();
        let outcome = crate::build::cargo_build(
            dir,
            None,
            packages,
            "wasm32-wasip2",
            Some(profile),
            &features,
        )
        .and_then(|artifacts| crate::build::keep_apart(artifacts, &features))
        .map_err(|e| format!("{e:#}"));
        built.push((request.clone(), outcome.clone()));
        outcome
            .map(|artifacts| Components { artifacts })
            .map_err(|e| anyhow!(e))
    }
}

impl Components {
    /// Builds `packages` (release) in the workspace of the crate under test.
    pub fn build(packages: &[&str]) -> anyhow::Result<Self> {
        Self::builder(packages).build()
    }

    /// A build of `packages` to configure: profile, features, workspace.
    pub fn builder(packages: &[&str]) -> Build {
        Build {
            dir: None,
            packages: packages.iter().map(|p| p.to_string()).collect(),
            profile: "release".to_string(),
            features: Vec::new(),
        }
    }

    /// The `.wasm` of `package`.
    pub fn path(&self, package: &str) -> anyhow::Result<&Path> {
        self.artifacts
            .get(package)
            .map(PathBuf::as_path)
            .ok_or_else(|| anyhow!("{package} was not built (build it with Components::build)"))
    }

    /// A fresh host with every component loaded under its package name and the workers' output
    /// captured ([`Host::worker_output`]).
    pub fn host(&self) -> anyhow::Result<Host> {
        let names: Vec<(&str, &str)> = self
            .artifacts
            .keys()
            .map(|p| (p.as_str(), p.as_str()))
            .collect();
        self.host_with(&names)
    }

    /// A fresh host with the given `(name, package)` components loaded and output captured.
    pub fn host_with(&self, components: &[(&str, &str)]) -> anyhow::Result<Host> {
        let host = Host::new()?;
        host.set_output(Output::Capture);
        for (name, package) in components {
            host.add_component_file(name, self.path(package)?)
                .with_context(|| format!("loading {package} as {name}"))?;
        }
        Ok(host)
    }
}
