//! The code `import!` generates for the whole codegen corpus (`golem-rpc-codegen/tests/codegen`,
//! imported by `tests/hygiene`) compiles for `wasm32-wasip2`, the target components are built for.

use std::process::Command;

#[test]
fn the_corpus_compiles_for_wasm32_wasip2() {
    let corpus = golem_rpc_host::build::workspace_root().join("golem-rpc-codegen/tests/codegen");
    let entries = std::fs::read_dir(&corpus).unwrap().count();
    let hygiene = std::fs::read_to_string(
        golem_rpc_host::build::workspace_root().join("tests/hygiene/src/lib.rs"),
    )
    .unwrap();
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            hygiene.contains(&format!("tests/codegen/{name}\"")),
            "tests/hygiene does not import corpus entry {name}"
        );
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "build",
            "--target",
            "wasm32-wasip2",
            "-p",
            "golem-rpc-hygiene",
        ])
        .current_dir(golem_rpc_host::build::workspace_root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the corpus ({entries} entries) does not compile for wasm32-wasip2:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
