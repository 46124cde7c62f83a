//! `golem-rpc migrate` of a Golem 1.2 application (golem-cli 1.2's `golem.yaml` model).
//!
//! What such a caller holds (golem-cli v1.2.5 `app/build/gen_rpc.rs`, `wasm_rpc_stubgen/`):
//! - an entry `{type: wasm-rpc | static-wasm-rpc, target: <component>}` under `dependencies:
//!   <caller>:` in a manifest;
//! - in its `generatedWit`, the import of the client interface `{ns}:{name}-client/{world}-client`
//!   (one resource per exported interface, per exported resource, and one named after the
//!   target's world for its world-level functions), the client package and the packages it uses
//!   under `deps/`, listed in `[package.metadata.component.target.dependencies]`;
//! - Rust code using the client through cargo-component's bindings
//!   (`crate::bindings::rpc::counters_client::counters_client::{Api, Counter}`).
//!
//! The rewrite, planned in full before anything is written:
//! - the manifest entries go (`wasm` library dependencies stay);
//! - the generated WIT loses the client import, and `deps/` and the Cargo metadata lose the
//!   packages nothing else needs any more (what golem-cli generates without the dependency);
//! - `golem-rpc` (with `golem-1-2`) becomes a dependency, `golem_rpc::import!` of the target's
//!   `sourceWit` follows `mod bindings;` (inside the application it sends golem-cli's names and
//!   finds the component by its manifest name, as the client did), `use` lines of the client
//!   module name the generated modules, `schedule-f` calls (which return a cancellation token)
//!   become `schedule_cancelable_f`, and the clocks / `golem:rpc` / `wasi:io` bindings the
//!   client brought in become golem-rpc's.
//!
//! Refused, with the file and the reason, before anything is written: a caller whose own WIT
//! uses the target's types (with the client they were one Rust type, `import!` generates its
//! own), a dependency on a component no manifest declares, a caller that is not a Rust crate,
//! a Golem 1.1 application (`golem:rpc@0.1`, stubs composed by golem-cli).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use golem_rpc_codegen::application::{Application, Dependency};
use golem_rpc_codegen::{GolemApi, camel, snake};
use serde_yaml::{Mapping, Value};
use toml_edit::{DocumentMut, Item, Table};
use wit_parser::{Resolve, UnresolvedPackageGroup};

use super::{
    Edit, Manual, MigrateOptions, Plan, Refusal, files_under, import_line, insert_imports,
    pathdiff, read, refuse, rewrite_source, rust_sources, stub_items,
};

/// Plans the migration of `app`'s RPC dependencies: `Ok(None)` when it has none.
pub(super) fn plan(
    options: &MigrateOptions,
    app: &Application,
) -> Result<Option<Plan>, Vec<Refusal>> {
    let rpc: Vec<&Dependency> = app.dependencies.iter().filter(|d| d.is_rpc()).collect();
    if rpc.is_empty() {
        return Ok(None);
    }
    if let Some(old) = golem_rpc_version(app).filter(|v| v.starts_with("0.1")) {
        return Err(vec![refuse(
            &app.root,
            format!(
                "a Golem 1.1 application (its witDeps have golem:rpc@{old}): golem-cli 1.1 composes \
                 stubs into its callers; migrate handles Golem 1.2 applications"
            ),
        )]);
    }
    let mut refusals = Vec::new();
    let mut edits = Vec::new();

    // The manifests: every RPC dependency entry goes.
    let manifests: BTreeSet<&PathBuf> = rpc.iter().map(|d| &d.manifest).collect();
    for manifest in manifests {
        match without_rpc_dependencies(manifest) {
            Ok(edit) => edits.push(edit),
            Err(r) => refusals.push(r),
        }
    }

    // The callers.
    let mut callers: BTreeMap<&str, Vec<&Dependency>> = BTreeMap::new();
    for dependency in &rpc {
        callers
            .entry(dependency.component.as_str())
            .or_default()
            .push(dependency);
    }
    let mut manual = Vec::new();
    for (caller, dependencies) in &callers {
        match plan_caller(options, app, caller, dependencies, &mut manual) {
            Ok(mut more) => edits.append(&mut more),
            Err(mut r) => refusals.append(&mut r),
        }
    }
    if !refusals.is_empty() {
        return Err(refusals);
    }
    Ok(Some(Plan {
        edits,
        manual,
        summary: format!(
            "migrated: {} callers, {} client dependencies removed from the application; build \
             with `golem-cli app build`, or `cargo build --release --target wasm32-wasip2`",
            callers.len(),
            rpc.len()
        ),
    }))
}

/// The version of `golem:rpc` in the application's `witDeps`, if any.
fn golem_rpc_version(app: &Application) -> Option<String> {
    app.wit_deps.iter().find_map(|dir| {
        files_under(dir).into_iter().find_map(|(_, text)| {
            text.lines()
                .map(str::trim)
                .find_map(|l| l.strip_prefix("package golem:rpc@"))
                .map(|v| v.trim_end_matches(';').trim().to_string())
        })
    })
}

/// The manifest without its `wasm-rpc` / `static-wasm-rpc` dependency entries: the top-level
/// `dependencies:` block is rewritten (its comments go with it), every other line stays.
fn without_rpc_dependencies(manifest: &Path) -> Result<Edit, Refusal> {
    let text = read(manifest)?;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("dependencies:"))
        .ok_or_else(|| refuse(manifest, "no top-level `dependencies:` line"))?;
    let end = (start + 1..lines.len())
        .find(|&i| {
            let line = lines[i];
            !line.trim().is_empty() && !line.starts_with([' ', '\t', '#', '-'])
        })
        .unwrap_or(lines.len());
    let block: String = lines[start..end].concat();
    let parsed: Mapping = serde_yaml::from_str(&block)
        .map_err(|e| refuse(manifest, format!("its `dependencies:` block: {e}")))?;
    let kept = kept_dependencies(parsed.get("dependencies"));
    let mut new = lines[..start].concat();
    if let Some(kept) = &kept {
        let mut mapping = Mapping::new();
        mapping.insert("dependencies".into(), kept.clone());
        new.push_str(
            &serde_yaml::to_string(&mapping)
                .map_err(|e| refuse(manifest, format!("writing `dependencies:`: {e}")))?,
        );
    }
    new.push_str(&lines[end..].concat());

    // The rest of the manifest must read exactly as before.
    let expected = {
        let mut value: Value = serde_yaml::from_str(&text)
            .map_err(|e| refuse(manifest, format!("not valid YAML: {e}")))?;
        if let Value::Mapping(top) = &mut value {
            match &kept {
                Some(kept) => top.insert("dependencies".into(), kept.clone()),
                None => top.remove("dependencies"),
            };
        }
        value
    };
    let written: Value = serde_yaml::from_str(&new).unwrap_or(Value::Null);
    if written != expected {
        return Err(refuse(
            manifest,
            "its `dependencies:` block could not be rewritten on its own (flow style or anchors?): \
             remove the `wasm-rpc` / `static-wasm-rpc` entries by hand first",
        ));
    }
    Ok(Edit::Write {
        path: manifest.to_path_buf(),
        old: text,
        new,
    })
}

/// `dependencies:` without its RPC entries; `None` when nothing is left.
fn kept_dependencies(value: Option<&Value>) -> Option<Value> {
    let Some(Value::Mapping(components)) = value else {
        return None;
    };
    let mut kept = Mapping::new();
    for (component, list) in components {
        let Value::Sequence(items) = list else {
            continue;
        };
        let rest: Vec<Value> = items
            .iter()
            .filter(|item| {
                !matches!(
                    item.get("type").and_then(Value::as_str),
                    Some("wasm-rpc" | "static-wasm-rpc")
                )
            })
            .cloned()
            .collect();
        if !rest.is_empty() {
            kept.insert(component.clone(), Value::Sequence(rest));
        }
    }
    (!kept.is_empty()).then_some(Value::Mapping(kept))
}

/// A target of the caller: its client's names and what `import!` generates for it.
struct Target {
    /// `ns:name-client`.
    client_package: String,
    /// `ns::name_client::world_client`, the client's module in cargo-component's bindings.
    client_module: String,
    /// `ns:name-exports` and `ns:name`: packages a caller's own WIT must not use.
    packages: [String; 2],
    items: BTreeMap<String, String>,
}

fn load_target(
    app: &Application,
    dependency: &Dependency,
    taken: &BTreeSet<String>,
    imports: &mut String,
    caller_dir: &Path,
) -> Result<Target, Refusal> {
    let name = dependency.target.as_deref().unwrap_or_default();
    let component = app
        .components
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            refuse(
                &dependency.manifest,
                format!(
                    "`{}` depends on `{name}`, which no manifest of the application declares",
                    dependency.component
                ),
            )
        })?;
    let wit = component.source_wit.first().cloned().ok_or_else(|| {
        refuse(
            &component.manifest,
            format!("component `{name}` has no `sourceWit`"),
        )
    })?;
    let mut resolve = Resolve::default();
    let loaded = golem_rpc_codegen::load_path_with_deps(
        &mut resolve,
        &wit,
        &app.wit_deps,
        golem_rpc_codegen::shipped::shipped(GolemApi::V1_2),
    )
    .map_err(|e| refuse(&wit, format!("import! could not read it: {e}")))?;
    let world = golem_rpc_codegen::select_world(&resolve, loaded.package, None)
        .map_err(|e| refuse(&wit, e))?;
    let module = import_line(
        imports,
        &pathdiff(&wit, caller_dir),
        &golem_rpc_codegen::module_name(&resolve, world),
        taken,
    );
    let package = &resolve.packages[loaded.package].name;
    let world_name = resolve.worlds[world].name.clone();
    let mut items = stub_items(&resolve, world, &module);
    // The world-level functions: a resource named after the world.
    if resolve.worlds[world]
        .exports
        .values()
        .any(|item| matches!(item, wit_parser::WorldItem::Function(_)))
    {
        items.insert(
            camel(&world_name),
            format!("{module}::{}", camel(&world_name)),
        );
        for item in resolve.worlds[world].exports.values() {
            if let wit_parser::WorldItem::Function(function) = item {
                let future = format!("Future{}Result", camel(&function.name));
                items.insert(future.clone(), format!("{module}::{future}"));
            }
        }
    }
    for (alias, real) in [
        ("GolemRpcWorkerId", "WorkerId"),
        ("GolemRpcComponentId", "ComponentId"),
        ("GolemRpcCancellationToken", "CancellationToken"),
        ("WasiIoPollable", "Pollable"),
        ("WasiClocksDatetime", "Datetime"),
    ] {
        items.insert(alias.to_string(), format!("golem_rpc::{real}"));
    }
    Ok(Target {
        client_package: format!("{}:{}-client", package.namespace, package.name),
        client_module: format!(
            "{}::{}_client::{}_client",
            snake(&package.namespace),
            snake(&package.name),
            snake(&world_name)
        ),
        packages: [
            format!("{}:{}-exports", package.namespace, package.name),
            format!("{}:{}", package.namespace, package.name),
        ],
        items,
    })
}

fn plan_caller(
    options: &MigrateOptions,
    app: &Application,
    caller: &str,
    dependencies: &[&Dependency],
    manual: &mut Vec<Manual>,
) -> Result<Vec<Edit>, Vec<Refusal>> {
    let manifest = &dependencies[0].manifest;
    let component = app
        .components
        .iter()
        .find(|c| c.name == caller)
        .ok_or_else(|| {
            vec![refuse(
                manifest,
                format!(
                    "dependencies of `{caller}`, which no manifest of the application declares"
                ),
            )]
        })?;
    let source_wit = component.source_wit.first().ok_or_else(|| {
        vec![refuse(
            &component.manifest,
            format!("component `{caller}` has no `sourceWit`"),
        )]
    })?;
    let dir = source_wit.parent().unwrap_or(source_wit).to_path_buf();
    let cargo_toml = dir.join("Cargo.toml");
    if !cargo_toml.is_file() {
        return Err(vec![refuse(
            &component.manifest,
            format!(
                "`{caller}` is not a Rust crate (no {}): migrate rewrites Rust callers",
                cargo_toml.display()
            ),
        )]);
    }
    let mut refusals = Vec::new();
    let mut edits = Vec::new();

    // Modules the caller already declares: an import! of the same name gets another.
    let (sources, taken) = rust_sources(&dir);
    let mut imports = String::new();
    let mut targets = Vec::new();
    for dependency in dependencies {
        match load_target(app, dependency, &taken, &mut imports, &dir) {
            Ok(target) => targets.push(target),
            Err(r) => refusals.push(r),
        }
    }

    // The caller's own WIT must not use a target's types.
    for (path, text) in files_under(source_wit) {
        if path.extension().is_none_or(|e| e != "wit") {
            continue;
        }
        for (number, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            for target in &targets {
                for package in target.packages.iter().chain([&target.client_package]) {
                    if trimmed.starts_with("use ") && trimmed.contains(&format!("{package}/")) {
                        refusals.push(refuse(
                            &path,
                            format!(
                                "line {}: `{trimmed}`: the caller's own WIT uses a type of `{package}`; \
                                 with the client it was the client's type too, import! generates its own",
                                number + 1
                            ),
                        ));
                    }
                }
            }
        }
    }

    // The generated WIT: the client imports go, then every package nothing needs any more.
    let manifest_text = read(&cargo_toml).map_err(|r| vec![r])?;
    let mut cargo: DocumentMut = manifest_text
        .parse()
        .map_err(|e| vec![refuse(&cargo_toml, format!("not valid TOML: {e}"))])?;
    let listed = listed_packages(&cargo, &dir);
    let mut unreachable = BTreeSet::new();
    if let Some(generated) = component.generated_wit.first().filter(|g| g.is_dir()) {
        match plan_generated_wit(generated, &targets, &listed) {
            Ok((mut more, gone)) => {
                edits.append(&mut more);
                unreachable = gone;
            }
            Err(r) => refusals.push(r),
        }
    }

    // Cargo.toml: the packages gone leave the component metadata; golem-rpc comes in.
    if let Some(table) = cargo
        .get_mut("package")
        .and_then(|p| p.get_mut("metadata"))
        .and_then(|m| m.get_mut("component"))
        .and_then(|c| c.get_mut("target"))
        .and_then(|t| t.get_mut("dependencies"))
        .and_then(Item::as_table_like_mut)
    {
        for package in &unreachable {
            table.remove(package);
        }
    }
    if let Some(table) = cargo
        .entry("dependencies")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_like_mut()
    {
        let mut inline = toml_edit::InlineTable::new();
        match &options.golem_rpc_path {
            None => inline.insert("version", "0.1".into()),
            Some(path) => inline.insert("path", path.display().to_string().into()),
        };
        let mut features = toml_edit::Array::new();
        features.push("golem-1-2");
        inline.insert("features", toml_edit::Value::Array(features));
        table.insert(
            "golem-rpc",
            Item::Value(toml_edit::Value::InlineTable(inline)),
        );
    }
    let new_manifest = cargo.to_string();
    if new_manifest != manifest_text {
        edits.push(Edit::Write {
            path: cargo_toml.clone(),
            old: manifest_text,
            new: new_manifest,
        });
    }

    // Rust: import! after `mod bindings;`, the client's `use` lines rewritten, and the
    // bindings that only the client brought in replaced by golem-rpc's.
    let client_modules: Vec<String> = targets.iter().map(|t| t.client_module.clone()).collect();
    let items: BTreeMap<String, String> = targets.iter().flat_map(|t| t.items.clone()).collect();
    let mut replacements: Vec<(&str, &str)> = vec![("bindings::wasi::io::poll::", "golem_rpc::")];
    if unreachable.contains("wasi:clocks") {
        replacements.push((
            "bindings::wasi::clocks::wall_clock::Datetime",
            "golem_rpc::Datetime",
        ));
    }
    if unreachable.contains("golem:rpc") {
        replacements.push(("bindings::golem::rpc::types::", "golem_rpc::"));
    }
    let lib = dir.join("src/lib.rs");
    for (path, text) in &sources {
        let uses_client = client_modules.iter().any(|m| text.contains(m.as_str()));
        match rewrite_source(path, text, &client_modules, &items, &replacements) {
            Ok(mut new) => {
                if uses_client {
                    new = cancelable_schedules(&new);
                }
                if *path == lib {
                    match insert_imports(&new, &imports) {
                        Some(with_imports) => new = with_imports,
                        None => refusals.push(refuse(
                            path,
                            "no `mod bindings;` line to put golem_rpc::import! after",
                        )),
                    }
                }
                if uses_client {
                    // Line numbers as the migrated file has them.
                    manual.extend(worker_ids(path, &new));
                }
                if new != *text {
                    edits.push(Edit::Write {
                        path: path.clone(),
                        old: text.clone(),
                        new,
                    });
                }
            }
            Err(mut r) => refusals.append(&mut r),
        }
    }
    if refusals.is_empty() {
        Ok(edits)
    } else {
        Err(refusals)
    }
}

/// The packages `[package.metadata.component.target.dependencies]` lists: name → directory.
fn listed_packages(cargo: &DocumentMut, dir: &Path) -> BTreeMap<String, PathBuf> {
    cargo
        .get("package")
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("component"))
        .and_then(|c| c.get("target"))
        .and_then(|t| t.get("dependencies"))
        .and_then(Item::as_table_like)
        .map(|table| {
            table
                .iter()
                .filter_map(|(name, dep)| {
                    let path = dep.get("path")?.as_str()?;
                    Some((name.to_string(), dir.join(path)))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The generated WIT without the targets' client imports, and the packages (unversioned
/// `ns:name`) that no longer reach the caller's world: their `deps/` directories are deleted.
fn plan_generated_wit(
    generated: &Path,
    targets: &[Target],
    listed: &BTreeMap<String, PathBuf>,
) -> Result<(Vec<Edit>, BTreeSet<String>), Refusal> {
    let mut edits = Vec::new();
    let (mut before, mut main_texts) = (Vec::new(), Vec::new());
    for (path, text) in files_under(generated) {
        if path.parent() != Some(generated) || path.extension().is_none_or(|e| e != "wit") {
            continue;
        }
        let kept: Vec<&str> = text
            .split_inclusive('\n')
            .filter(|line| {
                let trimmed = line.trim();
                !targets.iter().any(|t| {
                    trimmed.starts_with(&format!("import {}/", t.client_package))
                        || trimmed.starts_with(&format!("import {}@", t.client_package))
                })
            })
            .collect();
        let new = kept.concat();
        before.push(text.clone());
        main_texts.push(new.clone());
        if new != text {
            edits.push(Edit::Write {
                path,
                old: text,
                new,
            });
        }
    }

    // Every package the caller can see: its generated deps/ and the Cargo metadata's.
    let mut available: BTreeMap<String, (Option<PathBuf>, BTreeSet<String>)> = BTreeMap::new();
    let deps_dir = generated.join("deps");
    let mut dirs: Vec<(PathBuf, bool)> = std::fs::read_dir(&deps_dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| (e.path(), true))
        .filter(|(p, _)| p.is_dir())
        .collect();
    dirs.extend(listed.values().map(|p| (p.clone(), false)));
    dirs.sort();
    for (dir, in_generated) in dirs {
        let Ok(group) = UnresolvedPackageGroup::parse_dir(&dir) else {
            continue;
        };
        let name = unversioned(&group.main.name.to_string());
        let uses = foreign(&group);
        let entry = available.entry(name).or_insert((None, uses));
        if in_generated {
            entry.0 = Some(dir);
        }
    }
    let before = reachable(generated, &before, &available)?;
    let after = reachable(generated, &main_texts, &available)?;
    let gone: BTreeSet<String> = before.difference(&after).cloned().collect();
    for package in &gone {
        if let Some((Some(dir), _)) = available.get(package) {
            edits.push(Edit::RemoveDir {
                files: files_under(dir),
                path: dir.clone(),
            });
        }
    }
    Ok((edits, gone))
}

/// The packages (unversioned) the main package's texts use, transitively.
fn reachable(
    generated: &Path,
    main: &[String],
    available: &BTreeMap<String, (Option<PathBuf>, BTreeSet<String>)>,
) -> Result<BTreeSet<String>, Refusal> {
    let mut map = wit_parser::SourceMap::new();
    for (i, text) in main.iter().enumerate() {
        map.push_str(&format!("main-{i}.wit"), text.clone());
    }
    let group = map.parse().map_err(|(_, e)| {
        refuse(
            generated,
            format!("its main package does not parse ({e}): regenerate it with golem-cli first"),
        )
    })?;
    let mut seen = BTreeSet::new();
    let mut wanted: Vec<String> = foreign(&group).into_iter().collect();
    while let Some(name) = wanted.pop() {
        if seen.insert(name.clone())
            && let Some((_, uses)) = available.get(&name)
        {
            wanted.extend(uses.iter().cloned());
        }
    }
    Ok(seen)
}

fn foreign(group: &UnresolvedPackageGroup) -> BTreeSet<String> {
    std::iter::once(&group.main)
        .chain(&group.nested)
        .flat_map(|p| p.foreign_deps.keys())
        .map(|name| unversioned(&name.to_string()))
        .collect()
}

fn unversioned(name: &str) -> String {
    name.split('@').next().unwrap_or(name).to_string()
}

/// `.schedule_f(` → `.schedule_cancelable_f(`: Golem 1.2's client `schedule-f` returns a
/// cancellation token, as `import!`'s `schedule_cancelable_f` does (`schedule_f` returns nothing).
fn cancelable_schedules(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(".schedule_") {
        let after = &rest[at + ".schedule_".len()..];
        out.push_str(&rest[..at]);
        if after.starts_with("cancelable_") {
            out.push_str(".schedule_");
        } else {
            out.push_str(".schedule_cancelable_");
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Lines that build a worker or component id as a struct (golem-rust's or the bindings'
/// `golem:rpc` types): `import!`'s `custom` takes golem-rpc's `WorkerId`, built with
/// `WorkerId::new(component_id, name)`.
fn worker_ids(path: &Path, text: &str) -> Vec<Manual> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            ["WorkerId {", "ComponentId {", "golem_rust::wasm_rpc::"]
                .iter()
                .any(|p| line.contains(p))
        })
        .map(|(number, line)| Manual {
            code: "check-by-hand",
            file: path.to_path_buf(),
            line: number + 1,
            text: line.to_string(),
            what: "a worker or component id of the client's types",
            note: "import!'s `custom` takes golem_rpc::WorkerId: build it with \
                   `golem_rpc::WorkerId::new(component_id, name)` (`golem_rpc::ComponentId::parse` \
                   reads a UUID's text, `ComponentId::from_u128` takes its bits)",
        })
        .collect()
}
