//! Building this workspace's `wasm32-wasip2` component packages (for tests, benches and demos).
//!
//! This is for the golem-rpc repository's own tests: it builds in the workspace this crate was
//! compiled in. To build *your* workspace's components in your tests, use
//! [`crate::testing::Components`].
//!
//! Runs `cargo build --target wasm32-wasip2 [--profile wasm-release] -p … --message-format=json-render-diagnostics`
//! in the workspace root (found from this crate's `CARGO_MANIFEST_DIR` at compile time), with
//! `$CARGO` or `cargo`, and reads the `.wasm` artifacts from cargo's JSON messages. Results are
//! memoized per process: each distinct request runs cargo once, and requests are serialized.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, PoisonError};

use anyhow::{Context as _, anyhow, bail};

/// The root of the workspace this crate was built in.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

type Request = (Vec<String>, bool, &'static str);
type Outcome = Result<BTreeMap<String, PathBuf>, String>;

static BUILDS: Mutex<Vec<(Request, Outcome)>> = Mutex::new(Vec::new());

/// Builds the given workspace packages as `wasm32-wasip2` components and returns the path of
/// each package's `.wasm` artifact by package name (once per process for the same request).
pub fn build_components(
    packages: &[&str],
    release: bool,
) -> anyhow::Result<BTreeMap<String, PathBuf>> {
    build_for_target(packages, "wasm32-wasip2", release)
}

/// Builds the given workspace packages for `target` (`wasm32-wasip2`, or `wasm32-wasip1` for
/// core modules to adapt into components, as cargo-component does) and returns each package's
/// `.wasm` artifact by package name (once per process for the same request).
pub fn build_for_target(
    packages: &[&str],
    target: &'static str,
    release: bool,
) -> anyhow::Result<BTreeMap<String, PathBuf>> {
    let mut sorted: Vec<String> = packages.iter().map(|p| p.to_string()).collect();
    sorted.sort();
    sorted.dedup();
    let request = (sorted, release, target);
    let mut builds = BUILDS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, outcome)) = builds.iter().find(|(r, _)| *r == request) {
        return outcome.clone().map_err(|message| anyhow!(message));
    }
    let outcome = run_cargo(&request.0, target, release, &[]).map_err(|err| format!("{err:#}"));
    builds.push((request, outcome.clone()));
    outcome.map_err(|message| anyhow!(message))
}

/// Builds one workspace package as a `wasm32-wasip2` component and returns its `.wasm` path.
pub fn build_component(package: &str, release: bool) -> anyhow::Result<PathBuf> {
    let mut artifacts = build_components(&[package], release)?;
    artifacts
        .remove(package)
        .ok_or_else(|| anyhow!("cargo produced no .wasm artifact for {package}"))
}

/// Builds one package with the given cargo features (release) and returns a copy of its `.wasm`,
/// `{name}-{features}.wasm` beside cargo's (`{name}-no-features.wasm` without), which later
/// builds with other features do not replace; so builds can be compared. Not memoized.
pub fn build_component_with_features(package: &str, features: &[&str]) -> anyhow::Result<PathBuf> {
    let built = run_cargo(&[package.to_owned()], "wasm32-wasip2", true, features)?;
    keep_apart(built, features)?
        .remove(package)
        .ok_or_else(|| anyhow!("cargo produced no .wasm artifact for {package}"))
}

/// Builds packages of another Cargo workspace inside this repository, `dir` relative to its root
/// (a Golem application laid out as Golem's own `test-components`, say, whose dependencies need
/// a lockfile of their own), for `target` with that workspace's `release` profile, into this
/// workspace's target directory. Returns each package's `.wasm` copied aside as
/// `{workspace}-{package}.wasm` (two such workspaces may have packages of the same name, whose
/// artifacts cargo writes to the same path). Not memoized; serialized within the process.
pub fn build_other_workspace(
    dir: &str,
    packages: &[&str],
    target: &str,
) -> anyhow::Result<BTreeMap<String, PathBuf>> {
    static SERIAL: Mutex<()> = Mutex::new(());
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let root = workspace_root();
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let workspace = root.join(dir);
    let name = workspace
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let packages: Vec<String> = packages.iter().map(|p| p.to_string()).collect();
    let built = cargo_build(
        &workspace,
        Some(&target_dir),
        &packages,
        target,
        Some("release"),
        &[],
    )?;
    built
        .into_iter()
        .map(|(package, wasm)| {
            let copy = wasm.with_file_name(format!("{name}-{package}.wasm"));
            std::fs::copy(&wasm, &copy)
                .with_context(|| format!("copying {} to {}", wasm.display(), copy.display()))?;
            Ok((package, copy))
        })
        .collect()
}

/// Cargo writes a package's `.wasm` to the same path whatever its features, so the next build
/// with other features would replace what an earlier one returned. Every build's `.wasm` is
/// copied aside, to `{name}-{features}.wasm` (`{name}-no-features.wasm` without), and that copy
/// is returned. The copy is written to a temporary file and renamed into place, so a test
/// loading it while another thread's build rewrites it (the same bytes) reads a whole file.
pub(crate) fn keep_apart(
    artifacts: BTreeMap<String, PathBuf>,
    features: &[&str],
) -> anyhow::Result<BTreeMap<String, PathBuf>> {
    let suffix: String = if features.is_empty() {
        "no-features".to_string()
    } else {
        features
            .join("+")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    artifacts
        .into_iter()
        .map(|(package, wasm)| {
            let stem = wasm.file_stem().unwrap_or_default().to_string_lossy();
            let copy = wasm.with_file_name(format!("{stem}-{suffix}.wasm"));
            let partial = wasm.with_file_name(format!(".{stem}-{suffix}.{}", std::process::id()));
            std::fs::copy(&wasm, &partial)
                .and_then(|_| std::fs::rename(&partial, &copy))
                .with_context(|| format!("copying {} to {}", wasm.display(), copy.display()))?;
            Ok((package, copy))
        })
        .collect()
}

fn run_cargo(
    packages: &[String],
    target: &str,
    release: bool,
    features: &[&str],
) -> anyhow::Result<BTreeMap<String, PathBuf>> {
    // Size-optimised, LTO: see `[profile.wasm-release]` in the workspace Cargo.toml.
    let profile = release.then_some("wasm-release");
    cargo_build(&workspace_root(), None, packages, target, profile, features)
}

/// Runs `cargo build --target {target} [--target-dir {target_dir}] [--profile {profile}]
/// [--features …] -p …` in `dir` and returns each package's `.wasm` artifact (also used by
/// [`crate::testing`] for the user's own workspace).
pub(crate) fn cargo_build(
    dir: &Path,
    target_dir: Option<&Path>,
    packages: &[String],
    target: &str,
    profile: Option<&str>,
    features: &[&str],
) -> anyhow::Result<BTreeMap<String, PathBuf>> {
    if packages.is_empty() {
        return Ok(BTreeMap::new());
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(&cargo);
    command.current_dir(dir).args([
        "build",
        "--target",
        target,
        "--message-format=json-render-diagnostics",
    ]);
    if let Some(target_dir) = target_dir {
        command.arg("--target-dir").arg(target_dir);
    }
    if let Some(profile) = profile {
        command.args(["--profile", profile]);
    }
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    for package in packages {
        command.args(["-p", package]);
    }
    let output = command
        .output()
        .with_context(|| format!("failed to run {}", Path::new(&cargo).display()))?;
    if !output.status.success() {
        bail!(
            "cargo build of {} for {target} failed ({}):\n{}",
            packages.join(", "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let mut artifacts = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-artifact" {
            continue;
        }
        let Some(target_name) = message["target"]["name"].as_str() else {
            continue;
        };
        let Some(package) = packages
            .iter()
            .find(|p| p.replace('-', "_") == target_name.replace('-', "_"))
        else {
            continue;
        };
        let wasm = message["filenames"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str())
            .find(|f| f.ends_with(".wasm"));
        if let Some(wasm) = wasm {
            artifacts.insert(package.clone(), PathBuf::from(wasm));
        }
    }
    if let Some(missing) = packages.iter().find(|p| !artifacts.contains_key(*p)) {
        bail!("cargo produced no .wasm artifact for {missing} (is it a cdylib component package?)");
    }
    Ok(artifacts)
}
