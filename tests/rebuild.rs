//! Editing a WIT file that `import!` read — the target's own file or one under `deps/` —
//! rebuilds the caller on the next `cargo build`; and with `golem_rpc::build::track_wit_dir`
//! in a build script, so does adding a new file.
//!
//! Each case builds a scratch crate (its own workspace, sharing this workspace's target dir)
//! that uses a WIT item, then removes the item from the WIT only: a second build that still
//! succeeded would mean cargo thought the crate was fresh.

use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let root = golem_rpc_host::build::workspace_root();
    let dir = root.join("target").join("rebuild-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::create_dir_all(dir.join("wit").join("deps").join("units")).unwrap();
    let runtime = root.join("golem-rpc-runtime");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
             [dependencies]\ngolem-rpc = {{ path = {runtime:?} }}\n\n\
             [build-dependencies]\ngolem-rpc = {{ path = {runtime:?} }}\n\n[workspace]\n"
        ),
    )
    .unwrap();
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

fn check(dir: &Path) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target = golem_rpc_host::build::workspace_root().join("target");
    let out = Command::new(cargo)
        .args(["check", "--quiet"])
        .env("CARGO_TARGET_DIR", target)
        .current_dir(dir)
        .output()
        .unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

const TARGET: &str = "package demo:target;\n\
    interface api {\n  use demo:units/si.{meters};\n  get: func() -> meters;\n  extra: func();\n}\n\
    world target { export api; }\n";
const UNITS: &str = "package demo:units;\ninterface si {\n  record meters { value: f64 }\n}\n";
const MAIN: &str = "golem_rpc::import!(\"wit\");\n\
    pub fn uses(api: &target::api::Api) -> f64 {\n    api.blocking_extra();\n    api.blocking_get().value\n}\n";

#[test]
fn editing_any_wit_file_that_was_read_rebuilds_the_caller() {
    let dir = scratch("rebuild-edit");
    write(&dir.join("wit/target.wit"), TARGET);
    write(&dir.join("wit/deps/units/si.wit"), UNITS);
    write(&dir.join("src/lib.rs"), MAIN);
    check(&dir).expect("the first build succeeds");

    // Remove `extra` from the target's own WIT: the next build must see it.
    write(
        &dir.join("wit/target.wit"),
        &TARGET.replace("  extra: func();\n", ""),
    );
    let err = check(&dir).expect_err("the edit to target.wit was noticed");
    assert!(err.contains("blocking_extra"), "{err}");

    // Put it back, then rename the field in deps/: the next build must see that too.
    write(&dir.join("wit/target.wit"), TARGET);
    check(&dir).expect("the restored WIT builds");
    write(
        &dir.join("wit/deps/units/si.wit"),
        &UNITS.replace("value", "amount"),
    );
    let err = check(&dir).expect_err("the edit under deps/ was noticed");
    assert!(err.contains("value"), "{err}");
}

#[test]
fn a_build_script_makes_new_wit_files_count() {
    let dir = scratch("rebuild-new-file");
    write(&dir.join("wit/target.wit"), TARGET);
    write(&dir.join("wit/deps/units/si.wit"), UNITS);
    write(&dir.join("src/lib.rs"), MAIN);
    write(
        &dir.join("build.rs"),
        "fn main() {\n    golem_rpc::build::track_wit_dir(\"wit\");\n}\n",
    );
    check(&dir).expect("the first build succeeds");
    // A new file in the package that redeclares `api` makes the package invalid: only a
    // rebuild notices, and only the build script makes cargo rebuild for a new file.
    write(&dir.join("wit/more.wit"), "interface api {}\n");
    let err = check(&dir).expect_err("the new file was noticed");
    assert!(err.contains("api"), "{err}");
}
