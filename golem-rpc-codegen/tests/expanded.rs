//! Snapshot tests of the expansion over the WIT corpus in `tests/codegen`.
//!
//! Each corpus entry (a `.wit` file or a directory with `deps/`) is expanded and formatted with
//! prettyplease, then compared with `tests/expanded/<name>.rs`. After an intended change, run
//! with `GOLEM_RPC_BLESS=1` to rewrite the snapshots, and review the diff. The entries in
//! [`GOLEM_1_2`] are also expanded for Golem 1.2's API, into `tests/expanded/golem-1.2/`, and
//! those in [`GOLEM_1_3`] for Golem 1.3's into `tests/expanded/golem-1.3/`, and
//! those in [`GOLEM_APP`] for Golem 1.2's API with the export names of golem-cli's application
//! build, into `tests/expanded/golem-app/`.

use std::path::{Path, PathBuf};

use golem_rpc_codegen::{ExportNames, GolemApi};
use wit_parser::Resolve;

/// Corpus entries also snapshotted with Golem 1.2 clients.
const GOLEM_1_2: &[&str] = &["counter", "resources"];

/// Corpus entries also snapshotted with Golem 1.3 clients.
const GOLEM_1_3: &[&str] = &["counter"];

/// Corpus entries also snapshotted as targets built by golem-cli's application build.
const GOLEM_APP: &[&str] = &["app", "counter"];

fn expand(path: &Path, golem_api: GolemApi, exports: ExportNames) -> String {
    let mut resolve = Resolve::default();
    // As `import!` reads a target: what nothing provides comes from golem-rpc's own copies.
    let shipped = golem_rpc_codegen::shipped::shipped(golem_api);
    let loaded = golem_rpc_codegen::load_path_with_deps(&mut resolve, path, &[], shipped)
        .expect("corpus WIT loads");
    let world = resolve
        .select_world(&[loaded.package], None)
        .expect("corpus has one world");
    let opts = golem_rpc_codegen::Opts {
        named_results: loaded.named_results,
        golem_api,
        exports,
        ..golem_rpc_codegen::Opts::default()
    };
    let tokens = golem_rpc_codegen::generate(&resolve, world, &opts)
        .unwrap_or_else(|errors| panic!("{}: {errors:?}", path.display()));
    let file = syn::parse2::<syn::File>(tokens).expect("generated code parses");
    prettyplease::unparse(&file)
}

#[test]
fn expansions_match_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let bless = std::env::var_os("GOLEM_RPC_BLESS").is_some();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(root.join("codegen"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    assert!(entries.len() >= 4, "the corpus went missing");
    let mut failures = Vec::new();
    let listed = |names: &'static [&str]| {
        entries
            .iter()
            .filter(move |e| names.iter().any(|n| e.file_stem().unwrap() == *n))
    };
    let runs = entries
        .iter()
        .map(|e| (e, GolemApi::V1_1, ExportNames::AsWritten, "."))
        .chain(listed(GOLEM_1_2).map(|e| (e, GolemApi::V1_2, ExportNames::AsWritten, "golem-1.2")))
        .chain(listed(GOLEM_1_3).map(|e| (e, GolemApi::V1_3, ExportNames::AsWritten, "golem-1.3")))
        .chain(listed(GOLEM_APP).map(|e| (e, GolemApi::V1_2, ExportNames::GolemApp, "golem-app")));
    for (entry, api, exports, subdir) in runs {
        let name = entry.file_stem().unwrap().to_string_lossy().into_owned();
        let actual = expand(entry, api, exports);
        let dir = root.join("expanded").join(subdir);
        let snapshot = dir.join(format!("{name}.rs"));
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&snapshot, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
        if expected != actual {
            let diff = similar::TextDiff::from_lines(&expected, &actual);
            failures.push(format!(
                "{name} ({subdir}):\n{}",
                diff.unified_diff().header("snapshot", "generated")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "expansions differ from tests/expanded (re-run with GOLEM_RPC_BLESS=1 to accept):\n{}",
        failures.join("\n")
    );
}
