//! `golem-rpc migrate [DIR]`: rewrites a Golem 1.0/1.1 stubgen-style workspace to `import!`.
//!
//! What such a workspace holds (`golem-cli stubgen`): a `<target>-stub` crate per target
//! (`[package.metadata.component.target] world = "wasm-rpc-stub-…"`, `wit/_stub.wit` of package
//! `ns:name-stub`; Golem 1.1 names it `wit/stub.wit` and moves the target's interfaces to a
//! `ns:name-interface` package, which `import!` reads with the target's `wit/`); callers whose world imports `ns:name-stub/stub-<world>`, with the stub,
//! the target's package, `golem:rpc` and `wasi:io` copied under `wit/deps/` and listed in
//! `[package.metadata.component.target.dependencies]`; cargo-component's generated
//! `src/bindings.rs` in every component; cargo-make tasks or scripts that build the stubs and
//! compose them into `*_composed.wasm`.
//!
//! The rewrite, planned in full before anything is written:
//! - callers: the stub import leaves the world, the copied packages leave `wit/deps` and the
//!   manifest; `golem-rpc` and `wit-bindgen` become dependencies; `golem_rpc::import!` of the
//!   target's own `wit/` follows `mod bindings;`; `use` lines of the stub's module (and of
//!   `bindings::golem::rpc::types` / `bindings::wasi::io::poll`) name the generated modules;
//! - every component: cargo-component's `src/bindings.rs` becomes the equivalent
//!   `wit_bindgen::generate!`, so `crate::bindings::…` and `bindings::export!` keep working and
//!   plain `cargo build --target wasm32-wasip2` builds it;
//! - the workspace: the stub crates leave `members` and are deleted; the Makefile.toml / script
//!   lines that generate, build or compose stubs are listed for the user to remove.
//!
//! Anything that cannot be rewritten safely stops the whole run before a file is touched, with
//! the file and the reason: a caller whose own WIT uses the target's or the stub's types (with a
//! stub they were one Rust type, `import!` generates its own), a stub from before Golem 1.0, a
//! use of the stub's module that is not a `use` line. `--dry-run` prints the plan
//! as a diff. A migrated workspace has no stubs: a second run changes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::json;
use toml_edit::{DocumentMut, Item, Table, value};
use wit_parser::{Resolve, TypeDefKind, WorldItem, WorldKey};

use crate::report::{Finding, Level, Report};

mod app;

/// What to migrate and how.
#[derive(Debug, Clone)]
pub struct MigrateOptions {
    /// The workspace root (its `Cargo.toml` lists the members).
    pub dir: PathBuf,
    /// Print the plan as a diff and change nothing.
    pub dry_run: bool,
    /// The `golem-rpc` dependency to add: a path to a golem-rpc checkout's `golem-rpc-runtime`,
    /// or `None` for `golem-rpc = "0.1"` from crates.io.
    pub golem_rpc_path: Option<PathBuf>,
}

/// A change to one file or directory.
#[derive(Debug)]
enum Edit {
    /// Replace (or create) a file's text.
    Write {
        path: PathBuf,
        old: String,
        new: String,
    },
    /// Delete a directory; its files are listed for the diff.
    RemoveDir {
        path: PathBuf,
        files: Vec<(PathBuf, String)>,
    },
}

/// Why the workspace cannot be migrated safely: a file and the reason.
#[derive(Debug)]
struct Refusal {
    file: PathBuf,
    why: String,
}

fn refuse(file: &Path, why: impl Into<String>) -> Refusal {
    Refusal {
        file: file.to_path_buf(),
        why: why.into(),
    }
}

/// A member crate and what its WIT says.
struct Member {
    dir: PathBuf,
    manifest_path: PathBuf,
    manifest: DocumentMut,
    /// Top-level `wit/*.wit` files and their text.
    wit: Vec<(PathBuf, String)>,
    /// `ns:name` of its main WIT package (without a version).
    package: Option<String>,
}

struct Stub {
    member: String,
    /// `ns:name-stub`.
    package: String,
    /// `ns:name`.
    target_package: String,
}

/// Runs the migration (or, with `dry_run`, only plans it) and reports what it did.
pub fn migrate(options: &MigrateOptions) -> Report {
    let mut report = Report::new("migrate", options.dir.display().to_string());
    match plan(options) {
        Err(refusals) => {
            for refusal in refusals {
                report.push(
                    Finding::new(
                        Level::Error,
                        "cannot-migrate",
                        format!("{}: {}", refusal.file.display(), refusal.why),
                    )
                    .note("nothing was changed"),
                );
            }
        }
        Ok(None) => report.push(Finding::new(
            Level::Note,
            "nothing-to-migrate",
            "no stubgen stub crates, no RPC dependencies in golem.yaml: nothing to migrate",
        )),
        Ok(Some(plan)) => {
            let diff = plan.diff(&options.dir);
            report.data.insert("diff".into(), json!(diff));
            for manual in &plan.manual {
                report.push(
                    Finding::new(
                        Level::Warning,
                        manual.code,
                        format!(
                            "{}:{}: {}: `{}`",
                            manual.file.display(),
                            manual.line,
                            manual.what,
                            manual.text.trim()
                        ),
                    )
                    .note(manual.note),
                );
            }
            if options.dry_run {
                report.push(
                    Finding::new(
                        Level::Note,
                        "plan",
                        format!(
                            "dry run: {} changes planned, nothing written",
                            plan.edits.len()
                        ),
                    )
                    .note(diff),
                );
            } else {
                match plan.apply() {
                    Ok(()) => report.push(
                        Finding::new(Level::Note, "migrated", plan.summary.clone()).note(diff),
                    ),
                    Err(err) => report.push(Finding::new(
                        Level::Error,
                        "write-failed",
                        format!("{err:#}"),
                    )),
                }
            }
        }
    }
    report
}

/// A line the user must look at: the migration cannot change it safely.
struct Manual {
    code: &'static str,
    file: PathBuf,
    line: usize,
    text: String,
    what: &'static str,
    note: &'static str,
}

struct Plan {
    edits: Vec<Edit>,
    /// Lines of build files the user must remove: file, line number, text.
    manual: Vec<Manual>,
    /// What was done, in one line.
    summary: String,
}

impl Plan {
    fn diff(&self, root: &Path) -> String {
        let relative = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
        let mut out = String::new();
        for edit in &self.edits {
            match edit {
                Edit::Write { path, old, new } => {
                    let name = relative(path);
                    let diff = similar::TextDiff::from_lines(old, new);
                    let _ = write!(
                        out,
                        "{}",
                        diff.unified_diff()
                            .header(&format!("a/{name}"), &format!("b/{name}"))
                    );
                }
                Edit::RemoveDir { path, files } => {
                    let _ = writeln!(out, "deleted: {}/", relative(path));
                    for (file, text) in files {
                        let _ =
                            writeln!(out, "  {} ({} lines)", relative(file), text.lines().count());
                    }
                }
            }
        }
        out
    }

    fn apply(&self) -> anyhow::Result<()> {
        use anyhow::Context as _;
        for edit in &self.edits {
            match edit {
                Edit::Write { path, new, .. } => {
                    let temp = path.with_extension("golem-rpc-migrate.tmp");
                    std::fs::write(&temp, new)
                        .with_context(|| format!("writing {}", temp.display()))?;
                    std::fs::rename(&temp, path)
                        .with_context(|| format!("replacing {}", path.display()))?;
                }
                Edit::RemoveDir { path, .. } => std::fs::remove_dir_all(path)
                    .with_context(|| format!("deleting {}", path.display()))?,
            }
        }
        Ok(())
    }
}

fn read(path: &Path) -> Result<String, Refusal> {
    std::fs::read_to_string(path).map_err(|e| refuse(path, format!("cannot read it: {e}")))
}

/// The `package ns:name[@v];` of a WIT text, without the version.
fn wit_package(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("package "))
        .map(|rest| {
            let name = rest.trim_end_matches(';').trim();
            name.split('@').next().unwrap_or(name).to_string()
        })
}

fn wit_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "wit"))
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(&p).ok()?)))
        .collect();
    files.sort();
    files
}

fn files_under(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                out.push((path, text));
            }
        }
    }
    out.sort();
    out
}

fn load_member(root: &Path, name: &str) -> Result<Member, Refusal> {
    let dir = root.join(name);
    let manifest_path = dir.join("Cargo.toml");
    let manifest: DocumentMut = read(&manifest_path)?
        .parse()
        .map_err(|e| refuse(&manifest_path, format!("not valid TOML: {e}")))?;
    let wit = wit_files(&dir.join("wit"));
    let package = wit.iter().find_map(|(_, text)| wit_package(text));
    Ok(Member {
        dir,
        manifest_path,
        manifest,
        wit,
        package,
    })
}

fn stub_world(manifest: &DocumentMut) -> Option<&str> {
    manifest
        .get("package")?
        .get("metadata")?
        .get("component")?
        .get("target")?
        .get("world")?
        .as_str()
}

/// Plans the migration: `Ok(None)` when there is nothing to migrate.
fn plan(options: &MigrateOptions) -> Result<Option<Plan>, Vec<Refusal>> {
    let root = &options.dir;
    if root.join(golem_rpc_codegen::application::MANIFEST).exists() {
        let app = golem_rpc_codegen::application::find(root)
            .map_err(|e| vec![refuse(&e.manifest, e.message)])?
            .ok_or_else(|| vec![refuse(root, "no golem.yaml")])?;
        return app::plan(options, &app);
    }
    let ws_path = root.join("Cargo.toml");
    let ws_text = read(&ws_path).map_err(|r| vec![r])?;
    let mut workspace: DocumentMut = ws_text
        .parse()
        .map_err(|e| vec![refuse(&ws_path, format!("not valid TOML: {e}"))])?;
    let member_names: Vec<String> = workspace
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .ok_or_else(|| vec![refuse(&ws_path, "no `[workspace] members` list")])?;
    let mut refusals = Vec::new();
    let mut members = BTreeMap::new();
    for name in &member_names {
        if name.contains('*') {
            refusals.push(refuse(
                &ws_path,
                format!("member pattern `{name}`: list the members one by one"),
            ));
            continue;
        }
        match load_member(root, name) {
            Ok(member) => {
                members.insert(name.clone(), member);
            }
            Err(r) => refusals.push(r),
        }
    }

    // Stubs.
    let mut stubs = Vec::new();
    for (name, member) in &members {
        if !stub_world(&member.manifest).is_some_and(|w| w.starts_with("wasm-rpc-stub-")) {
            continue;
        }
        // Golem 1.0's stubgen writes `_stub.wit`, 1.1's `stub.wit`.
        let stub_wit = ["wit/_stub.wit", "wit/stub.wit"]
            .iter()
            .map(|f| member.dir.join(f))
            .find(|p| p.exists())
            .unwrap_or_else(|| member.dir.join("wit/_stub.wit"));
        let text = match read(&stub_wit) {
            Ok(text) => text,
            Err(r) => {
                refusals.push(r);
                continue;
            }
        };
        if !text.contains("blocking-") {
            refusals.push(refuse(
                &stub_wit,
                "a stub from before Golem 1.0 (no `blocking-` functions): its callers use calls \
                 import! does not generate",
            ));
            continue;
        }
        let Some(package) = wit_package(&text).filter(|p| p.ends_with("-stub")) else {
            refusals.push(refuse(&stub_wit, "no `package ns:name-stub;` line"));
            continue;
        };
        let target_package = package.trim_end_matches("-stub").to_string();
        stubs.push(Stub {
            member: name.clone(),
            package,
            target_package,
        });
    }
    if stubs.is_empty() {
        return if refusals.is_empty() {
            Ok(None)
        } else {
            Err(refusals)
        };
    }

    let mut edits = Vec::new();
    let mut callers = 0;
    let stub_members: BTreeSet<&str> = stubs.iter().map(|s| s.member.as_str()).collect();
    for (name, member) in &members {
        if stub_members.contains(name.as_str()) {
            continue;
        }
        let imported: Vec<&Stub> = stubs
            .iter()
            .filter(|s| {
                member
                    .wit
                    .iter()
                    .any(|(_, text)| text.contains(&format!("import {}/", s.package)))
            })
            .collect();
        let mut manifest = member.manifest.clone();
        if !imported.is_empty() {
            callers += 1;
            match plan_caller(&members, member, &imported, &mut manifest, options) {
                Ok(mut caller_edits) => edits.append(&mut caller_edits),
                Err(mut r) => refusals.append(&mut r),
            }
        }
        match plan_bindings(member, &mut manifest) {
            Ok(mut more) => edits.append(&mut more),
            Err(r) => refusals.push(r),
        }
        let new_manifest = manifest.to_string();
        if new_manifest != member.manifest.to_string() {
            edits.push(Edit::Write {
                path: member.manifest_path.clone(),
                old: member.manifest.to_string(),
                new: new_manifest,
            });
        }
    }
    if !refusals.is_empty() {
        return Err(refusals);
    }

    // The workspace: stub crates leave `members` and are deleted.
    if let Some(array) = workspace
        .get_mut("workspace")
        .and_then(|w| w.get_mut("members"))
        .and_then(Item::as_array_mut)
    {
        array.retain(|v| !v.as_str().is_some_and(|m| stub_members.contains(m)));
    }
    edits.push(Edit::Write {
        path: ws_path,
        old: ws_text,
        new: workspace.to_string(),
    });
    for stub in &stubs {
        let dir = root.join(&stub.member);
        edits.push(Edit::RemoveDir {
            files: files_under(&dir),
            path: dir,
        });
    }
    Ok(Some(Plan {
        manual: build_lines(root),
        edits,
        summary: format!(
            "migrated: {callers} callers, {} stub crates removed; build with `cargo build --release --target wasm32-wasip2`",
            stubs.len()
        ),
    }))
}

/// Lines of Makefile.toml and shell scripts that generate, build or compose stubs.
fn build_lines(root: &Path) -> Vec<Manual> {
    const PATTERNS: &[&str] = &[
        "stubgen",
        "wasm-rpc-stubgen",
        "wasm-tools compose",
        "_stub.wasm",
        "_composed",
        "-stub/wit",
    ];
    let mut files = vec![root.join("Makefile.toml")];
    files.extend(
        std::fs::read_dir(root)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "sh")),
    );
    files.sort();
    let mut lines = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            if PATTERNS.iter().any(|p| line.contains(p)) {
                lines.push(Manual {
                    code: "remove-by-hand",
                    file: file.clone(),
                    line: number + 1,
                    text: line.to_string(),
                    what: "builds or composes stubs; remove it",
                    note: "with import! there is no stub to build and nothing to compose: upload the caller's own .wasm",
                });
            }
        }
    }
    lines
}

/// The `import!`ed target of a stub: its member, its resolved WIT and the generated module.
struct Target<'a> {
    member: &'a Member,
    resolve: Resolve,
    world: wit_parser::WorldId,
    module: String,
}

fn load_target<'a>(
    members: &'a BTreeMap<String, Member>,
    stub: &Stub,
) -> Result<Target<'a>, Refusal> {
    let member = members
        .values()
        .find(|m| m.package.as_deref() == Some(stub.target_package.as_str()))
        .ok_or_else(|| {
            refuse(
                Path::new(&stub.member),
                format!(
                    "the stub's target `{}` is not a member of this workspace (import! reads the target's own WIT)",
                    stub.target_package
                ),
            )
        })?;
    let wit = member.dir.join("wit");
    let mut resolve = Resolve::default();
    let loaded = golem_rpc_codegen::load_path(&mut resolve, &wit)
        .map_err(|e| refuse(&wit, format!("import! could not read it: {e}")))?;
    let world = golem_rpc_codegen::select_world(&resolve, loaded.package, None)
        .map_err(|e| refuse(&wit, e))?;
    let module = golem_rpc_codegen::module_name(&resolve, world);
    Ok(Target {
        member,
        resolve,
        world,
        module,
    })
}

/// The generated item paths (`counter::api::Api`) of what a stub module holds, by name.
fn stub_items(
    resolve: &Resolve,
    world: wit_parser::WorldId,
    target_module: &str,
) -> BTreeMap<String, String> {
    use golem_rpc_codegen::{camel, snake};
    let mut items = BTreeMap::new();
    for (key, item) in &resolve.worlds[world].exports {
        let WorldItem::Interface { id, .. } = item else {
            continue;
        };
        let iface = &resolve.interfaces[*id];
        let name = match key {
            WorldKey::Name(name) => name.clone(),
            WorldKey::Interface(_) => iface.name.clone().unwrap_or_default(),
        };
        let module = format!("{target_module}::{}", snake(&name));
        let mut add = |item: String| {
            items.insert(item.clone(), format!("{module}::{item}"));
        };
        add(camel(&name));
        for ty in iface.types.values() {
            let def = &resolve.types[*ty];
            if let Some(type_name) = &def.name {
                add(camel(type_name));
                if matches!(def.kind, TypeDefKind::Resource) {
                    for function in iface.functions.values() {
                        let prefix = format!("[method]{type_name}.");
                        if let Some(method) = function.name.strip_prefix(&prefix) {
                            add(format!("Future{}{}Result", camel(type_name), camel(method)));
                        }
                    }
                }
            }
        }
        for function in iface.functions.values() {
            if !function.name.starts_with('[') {
                add(format!("Future{}Result", camel(&function.name)));
            }
        }
    }
    for (alias, real) in [
        ("Uri", "Uri"),
        ("GolemRpcUri", "Uri"),
        ("Pollable", "Pollable"),
        ("WasiIoPollable", "Pollable"),
    ] {
        items.insert(alias.to_string(), format!("golem_rpc::{real}"));
    }
    items
}

fn plan_caller(
    members: &BTreeMap<String, Member>,
    caller: &Member,
    stubs: &[&Stub],
    manifest: &mut DocumentMut,
    options: &MigrateOptions,
) -> Result<Vec<Edit>, Vec<Refusal>> {
    let mut refusals = Vec::new();
    let mut edits = Vec::new();
    let mut targets = Vec::new();
    for stub in stubs {
        match load_target(members, stub) {
            Ok(target) => targets.push((*stub, target)),
            Err(r) => refusals.push(r),
        }
    }

    // The caller's own WIT: the stub imports go; its types must not be used there.
    for (path, text) in &caller.wit {
        let mut kept = Vec::new();
        for (number, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            let mut drop = false;
            for stub in stubs {
                if trimmed.starts_with(&format!("import {}/", stub.package)) {
                    drop = true;
                }
                let interface_package = format!("{}-interface", stub.target_package);
                for package in [&stub.package, &stub.target_package, &interface_package] {
                    if trimmed.starts_with("use ") && trimmed.contains(&format!("{package}/")) {
                        refusals.push(refuse(
                            path,
                            format!(
                                "line {}: `{trimmed}`: the caller's own WIT uses a type of `{package}`; \
                                 with the stub it was the client's type too, import! generates its own",
                                number + 1
                            ),
                        ));
                    }
                }
            }
            if !drop {
                kept.push(line);
            }
        }
        let mut new = kept.join("\n");
        if text.ends_with('\n') {
            new.push('\n');
        }
        if new != *text {
            edits.push(Edit::Write {
                path: path.clone(),
                old: text.clone(),
                new,
            });
        }
    }
    let own_wit: String = caller
        .wit
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");

    // wit/deps: the stub, the target's package, and golem:rpc / wasi:io unless still needed.
    let deps = caller.dir.join("wit/deps");
    let mut removed_packages = BTreeSet::new();
    let mut dep_dirs: Vec<(PathBuf, Option<String>)> = std::fs::read_dir(&deps)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .map(|p| {
            let package = wit_files(&p).iter().find_map(|(_, t)| wit_package(t));
            (p, package)
        })
        .collect();
    dep_dirs.sort();
    // Golem 1.1's stubgen moved the target's interfaces to `ns:name-interface`.
    let mut remove: BTreeSet<String> = stubs
        .iter()
        .flat_map(|s| {
            [
                s.package.clone(),
                s.target_package.clone(),
                format!("{}-interface", s.target_package),
            ]
        })
        .collect();
    for (package, needle) in [("golem:rpc", "golem:rpc/"), ("wasi:io", "wasi:io/")] {
        let still_used = own_wit.contains(needle)
            || dep_dirs.iter().any(|(dir, p)| {
                p.as_deref()
                    .is_some_and(|p| !remove.contains(p) && p != package)
                    && files_under(dir).iter().any(|(_, t)| t.contains(needle))
            });
        if !still_used {
            remove.insert(package.to_string());
        }
    }
    for (dir, package) in &dep_dirs {
        if let Some(package) = package
            && remove.contains(package)
        {
            removed_packages.insert(package.clone());
            edits.push(Edit::RemoveDir {
                files: files_under(dir),
                path: dir.clone(),
            });
        }
    }

    // Cargo.toml: the removed packages leave the component metadata; golem-rpc and wit-bindgen
    // come in.
    if let Some(dependencies) = manifest
        .get_mut("package")
        .and_then(|p| p.get_mut("metadata"))
        .and_then(|m| m.get_mut("component"))
        .and_then(|c| c.get_mut("target"))
        .and_then(|t| t.get_mut("dependencies"))
        .and_then(Item::as_table_like_mut)
    {
        for package in &removed_packages {
            dependencies.remove(package);
        }
    }
    let deps_table = manifest
        .entry("dependencies")
        .or_insert_with(|| Item::Table(Table::new()));
    if let Some(table) = deps_table.as_table_like_mut() {
        let golem_rpc = match &options.golem_rpc_path {
            None => value("0.1"),
            Some(path) => {
                let mut inline = toml_edit::InlineTable::new();
                inline.insert("path", path.display().to_string().into());
                Item::Value(toml_edit::Value::InlineTable(inline))
            }
        };
        table.insert("golem-rpc", golem_rpc);
    }

    // Rust: import! after `mod bindings;`, the stub's `use` lines rewritten.
    let lib = caller.dir.join("src/lib.rs");
    let (sources, modules_taken) = rust_sources(&caller.dir);
    let mut imports = String::new();
    let mut items = BTreeMap::new();
    let mut stub_modules = Vec::new();
    for (stub, target) in &mut targets {
        let relative = pathdiff(&target.member.dir.join("wit"), &caller.dir);
        target.module = import_line(&mut imports, &relative, &target.module, &modules_taken);
        items.extend(stub_items(&target.resolve, target.world, &target.module));
        let (ns, name) = stub.package.split_once(':').unwrap_or(("", &stub.package));
        let world = target.resolve.worlds[target.world].name.clone();
        stub_modules.push(format!(
            "{}::{}::stub_{}",
            golem_rpc_codegen::snake(ns),
            golem_rpc_codegen::snake(name),
            golem_rpc_codegen::snake(&world)
        ));
    }
    for (path, text) in &sources {
        match rewrite_source(path, text, &stub_modules, &items, STUB_HOST_PATHS) {
            Ok(mut new) => {
                if *path == lib {
                    new = insert_imports(&new, &imports).ok_or_else(|| {
                        vec![refuse(
                            path,
                            "no `mod bindings;` line to put golem_rpc::import! after",
                        )]
                    })?;
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

/// A crate's Rust sources (but cargo-component's `src/bindings.rs`) and the modules they
/// declare.
fn rust_sources(dir: &Path) -> (Vec<(PathBuf, String)>, BTreeSet<String>) {
    let sources: Vec<(PathBuf, String)> = files_under(&dir.join("src"))
        .into_iter()
        .filter(|(p, _)| {
            p.extension().is_some_and(|e| e == "rs") && !p.ends_with("src/bindings.rs")
        })
        .collect();
    let mut modules = BTreeSet::new();
    for (_, text) in &sources {
        for line in text.lines() {
            let line = line.trim().trim_start_matches("pub ");
            if let Some(rest) = line.strip_prefix("mod ") {
                let name = rest
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .unwrap_or_default();
                modules.insert(name.to_string());
            }
        }
    }
    (sources, modules)
}

/// Appends the `golem_rpc::import!` of the WIT at `relative` to `imports`; its module is
/// `module`, or `{module}_rpc` when the crate has a module of that name. Returns the module.
fn import_line(
    imports: &mut String,
    relative: &str,
    module: &str,
    taken: &BTreeSet<String>,
) -> String {
    if taken.contains(module) {
        let module = format!("{module}_rpc");
        let _ = writeln!(
            imports,
            "golem_rpc::import!({{ path: {relative:?}, module: {module} }});"
        );
        module
    } else {
        let _ = writeln!(imports, "golem_rpc::import!({relative:?});");
        module.to_string()
    }
}

/// `to` relative to `from` (both under the workspace), with `/`.
fn pathdiff(to: &Path, from: &Path) -> String {
    let to: Vec<_> = to.components().collect();
    let from: Vec<_> = from.components().collect();
    let common = to.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> =
        std::iter::repeat_n("..".to_string(), from.len() - common).collect();
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

fn insert_imports(text: &str, imports: &str) -> Option<String> {
    let mut out = String::new();
    let mut done = false;
    for line in text.split_inclusive('\n') {
        out.push_str(line);
        if !done && line.trim_start().starts_with("mod bindings") {
            out.push('\n');
            out.push_str(imports);
            done = true;
        }
    }
    done.then_some(out)
}

/// The host bindings a stub's caller used that golem-rpc provides: replaced by golem-rpc's.
const STUB_HOST_PATHS: &[(&str, &str)] = &[
    ("bindings::golem::rpc::types::", "golem_rpc::"),
    ("bindings::wasi::io::poll::", "golem_rpc::"),
];

/// Rewrites the `use` lines naming a stub module and the paths `replacements` name (each also
/// with `crate::` before it); any other mention of the stub module is refused.
fn rewrite_source(
    path: &Path,
    text: &str,
    stub_modules: &[String],
    items: &BTreeMap<String, String>,
    replacements: &[(&str, &str)],
) -> Result<String, Vec<Refusal>> {
    let mut refusals = Vec::new();
    let mut out = String::new();
    let mut lines = text.split_inclusive('\n').enumerate();
    while let Some((number, line)) = lines.next() {
        let mut trimmed = line.trim().to_string();
        let stub = stub_modules.iter().find(|m| line.contains(m.as_str()));
        let mut new_line = line.to_string();
        if let Some(stub) = stub {
            // A `use` over several lines (as rustfmt writes long ones) is read as one.
            if trimmed.starts_with("use ") {
                while !trimmed.ends_with(';') {
                    let Some((_, more)) = lines.next() else { break };
                    trimmed.push(' ');
                    trimmed.push_str(more.trim());
                }
                trimmed = trimmed.replace("{ ", "{").replace(", }", "}");
            }
            match rewrite_use(&trimmed, stub, items) {
                Ok(rewritten) => {
                    let indent = &line[..line.len() - line.trim_start().len()];
                    new_line = rewritten
                        .lines()
                        .map(|l| format!("{indent}{l}\n"))
                        .collect();
                }
                Err(why) => refusals.push(refuse(path, format!("line {}: {why}", number + 1))),
            }
        }
        for (from, to) in replacements {
            for prefix in [format!("crate::{from}"), from.to_string()] {
                if new_line.contains(&prefix) {
                    new_line = new_line.replace(&prefix, to);
                }
            }
        }
        out.push_str(&new_line);
    }
    if refusals.is_empty() {
        Ok(out)
    } else {
        Err(refusals)
    }
}

/// `use [crate::]bindings::<stub module>::{A, B as C};` → `use <module>::<iface>::{A, B as C};`
/// (one line per generated module).
fn rewrite_use(line: &str, stub: &str, items: &BTreeMap<String, String>) -> Result<String, String> {
    let Some(rest) = line.strip_prefix("use ") else {
        return Err(format!(
            "`{line}` names the stub's module outside a `use` line; make it a `use` of the items first"
        ));
    };
    let rest = rest.trim_end_matches(';').trim();
    let after = rest
        .split_once(&format!("{stub}::"))
        .map(|(_, after)| after.trim())
        .ok_or_else(|| format!("`{line}`: only `use …::{stub}::{{…}};` lines can be rewritten"))?;
    let list: Vec<&str> = match after.strip_prefix('{') {
        Some(inner) => inner
            .trim_end_matches('}')
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect(),
        None => vec![after],
    };
    let mut by_module: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in list {
        if entry == "*" {
            return Err(format!(
                "`{line}`: a glob import of the stub's module; list the items it uses instead"
            ));
        }
        let (name, alias) = match entry.split_once(" as ") {
            Some((name, alias)) => (name.trim(), Some(alias.trim())),
            None => (entry, None),
        };
        let path = items.get(name).ok_or_else(|| {
            format!("`{line}`: `{name}` is not something import! generates for this target")
        })?;
        let (module, item) = path.rsplit_once("::").unwrap_or(("", path));
        let alias = match (alias, name == item) {
            (Some(alias), _) => format!("{item} as {alias}"),
            (None, true) => item.to_string(),
            (None, false) => format!("{item} as {name}"),
        };
        by_module.entry(module.to_string()).or_default().push(alias);
    }
    Ok(by_module
        .into_iter()
        .map(|(module, items)| match items.as_slice() {
            [one] => format!("use {module}::{one};"),
            many => format!("use {module}::{{{}}};", many.join(", ")),
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

/// cargo-component's generated `src/bindings.rs` → `wit_bindgen::generate!`; `wit-bindgen-rt`
/// → `wit-bindgen` in the manifest.
fn plan_bindings(member: &Member, manifest: &mut DocumentMut) -> Result<Vec<Edit>, Refusal> {
    let bindings = member.dir.join("src/bindings.rs");
    let Ok(text) = std::fs::read_to_string(&bindings) else {
        return Ok(Vec::new());
    };
    let first = text.lines().next().unwrap_or_default();
    if !(first.starts_with("// Generated by `wit-bindgen`") && first.ends_with("DO NOT EDIT!")) {
        return Ok(Vec::new());
    }
    let target = manifest
        .get("package")
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("component"))
        .and_then(|c| c.get("target"));
    let path = target
        .and_then(|t| t.get("path"))
        .and_then(Item::as_str)
        .unwrap_or("wit")
        .to_string();
    let world = match target.and_then(|t| t.get("world")).and_then(Item::as_str) {
        Some(world) => world.to_string(),
        None => {
            let worlds: Vec<String> = member
                .wit
                .iter()
                .flat_map(|(_, t)| t.lines())
                .filter_map(|l| l.trim().strip_prefix("world "))
                .map(|w| w.trim_end_matches('{').trim().to_string())
                .collect();
            match worlds.as_slice() {
                [one] => one.clone(),
                _ => {
                    return Err(refuse(
                        &member.manifest_path,
                        "name the component's world in `[package.metadata.component.target] world` \
                         (its WIT has none or several)",
                    ));
                }
            }
        }
    };
    if let Some(dependencies) = target
        .and_then(|t| t.get("dependencies"))
        .and_then(Item::as_table_like)
    {
        for (package, dep) in dependencies.iter() {
            let dep_path = dep.get("path").and_then(Item::as_str).unwrap_or_default();
            if !dep_path.starts_with(&format!("{path}/deps/")) {
                return Err(refuse(
                    &member.manifest_path,
                    format!(
                        "the WIT dependency `{package}` is at `{dep_path}`, outside `{path}/deps`: \
                         wit-bindgen reads dependencies from there; move it first"
                    ),
                ));
            }
        }
    }
    let new = format!(
        "// Generated at compile time by wit-bindgen (golem-rpc migrate replaced cargo-component's\n\
         // generated bindings with this).\n\
         wit_bindgen::generate!({{\n    path: {path:?},\n    world: {world:?},\n    generate_all,\n    \
         default_bindings_module: \"crate::bindings\",\n}});\n"
    );
    if let Some(table) = manifest
        .entry("dependencies")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_like_mut()
    {
        table.remove("wit-bindgen-rt");
        table.insert("wit-bindgen", value("0.63"));
    }
    Ok(vec![Edit::Write {
        path: bindings,
        old: text,
        new,
    }])
}
