//! `golem-rpc compose`: plugs the exports of other components into the caller's imports with
//! `wac-graph`, the composer Golem's stubgen 1.0.6+ uses.
//!
//! Like stubgen's patched `plug`, a plug the caller does not use is skipped with a warning
//! ("Skipping NAME, not used") instead of failing. Unlike `wac_graph::plug`, an export whose
//! name matches an import but whose type does not is an error naming both, not silently left
//! unplugged.

use std::path::PathBuf;

use serde_json::json;
use wac_graph::types::{Package, SubtypeChecker, are_semver_compatible};
use wac_graph::{CompositionGraph, EncodeOptions, PackageId};

use crate::check::display;
use crate::report::{Finding, Level, Report};

/// What to compose.
#[derive(Debug, Clone)]
pub struct ComposeOptions {
    /// The component whose imports are satisfied (wac's "socket").
    pub caller: PathBuf,
    /// `(NAME, PATH)`: components whose exports are plugged in, in order.
    pub plugs: Vec<(String, PathBuf)>,
    /// Where to write the composed component.
    pub output: PathBuf,
}

/// A plug registered with the graph.
struct Plug {
    name: String,
    display: String,
    package: PackageId,
}

/// Composes and writes the output; the report says what was plugged where, or why not.
pub fn compose(options: &ComposeOptions) -> Report {
    let mut report = Report::new("compose", display(&options.caller));
    match run(options, &mut report) {
        Ok(()) => {}
        Err(finding) => report.push(*finding),
    }
    report
}

fn run(options: &ComposeOptions, report: &mut Report) -> Result<(), Box<Finding>> {
    let fail =
        |code: &'static str, message: String| Box::new(Finding::new(Level::Error, code, message));
    let mut graph = CompositionGraph::new();
    let register = |graph: &mut CompositionGraph, key: String, path: &PathBuf| {
        let display = display(path);
        let bytes = std::fs::read(path).map_err(|err| {
            fail(
                "unreadable-component",
                format!("cannot read `{display}`: {err}"),
            )
        })?;
        let package = Package::from_bytes(&key, None, bytes, graph.types_mut())
            .map_err(|err| fail("unreadable-component", format!("`{display}`: {err:#}")))?;
        graph
            .register_package(package)
            .map_err(|err| fail("duplicate-plug", format!("`{display}`: {err:#}")))
    };

    let caller = register(&mut graph, "caller".into(), &options.caller)?;
    let mut plugs = Vec::new();
    for (name, path) in &options.plugs {
        if plugs.iter().any(|p: &Plug| p.name == *name) {
            return Err(fail(
                "duplicate-plug",
                format!("the plug name `{name}` is given twice"),
            ));
        }
        let package = register(&mut graph, format!("plug:{name}"), path)?;
        plugs.push(Plug {
            name: name.clone(),
            display: display(path),
            package,
        });
    }

    let caller_instance = graph.instantiate(caller);
    let mut used = Vec::new();
    let mut json_plugs = Vec::new();
    let mut failed = false;
    for plug in &plugs {
        let (matches, mismatches) = matching_exports(&graph, plug.package, caller);
        for (export, import, error) in &mismatches {
            failed = true;
            report.push(
                Finding::new(
                    Level::Error,
                    "type-mismatch",
                    format!(
                        "`{}` (plug `{}`) exports `{export}`, but its type does not match the caller's import `{import}`",
                        plug.display, plug.name
                    ),
                )
                .note(error.clone())
                .details(json!({ "plug": plug.name, "export": export, "import": import })),
            );
        }
        if matches.is_empty() {
            if mismatches.is_empty() {
                report.push(
                    Finding::new(
                        Level::Warning,
                        "unused-plug",
                        format!("Skipping {}, not used", plug.name),
                    )
                    .note(format!(
                        "the caller imports none of the exports of `{}`",
                        plug.display
                    ))
                    .details(json!({ "plug": plug.name })),
                );
            }
            json_plugs.push(json!({ "name": plug.name, "used": false, "plugged": [] }));
            continue;
        }
        let instance = graph.instantiate(plug.package);
        let mut plugged = Vec::new();
        for (export, import) in matches {
            let alias = graph
                .alias_instance_export(instance, &export)
                .map_err(|err| fail("composition-failed", format!("{err:#}")))?;
            if let Err(err) = graph.set_instantiation_argument(caller_instance, &import, alias) {
                failed = true;
                report.push(
                    Finding::new(
                        Level::Error,
                        "composition-failed",
                        format!(
                            "cannot plug `{export}` of `{}` (plug `{}`) into the caller's import `{import}`",
                            plug.display, plug.name
                        ),
                    )
                    .note(format!("{err:#}")),
                );
                continue;
            }
            report.push(Finding::new(
                Level::Note,
                "plugged",
                format!(
                    "plugged `{export}` of `{}` into the caller's import `{import}`",
                    plug.name
                ),
            ));
            plugged.push(json!({ "export": export, "import": import }));
        }
        used.push(plug.name.clone());
        json_plugs.push(json!({ "name": plug.name, "used": true, "plugged": plugged }));
    }
    report.data.insert("plugs".into(), json!(json_plugs));
    if failed {
        return Ok(());
    }

    let bytes = if used.is_empty() {
        report.push(Finding::new(
            Level::Warning,
            "nothing-plugged",
            format!(
                "no plug is used: `{}` is a copy of the caller",
                display(&options.output)
            ),
        ));
        std::fs::read(&options.caller).map_err(|err| {
            fail(
                "unreadable-component",
                format!("cannot read `{}`: {err}", display(&options.caller)),
            )
        })?
    } else {
        // The composition exports what the caller exports.
        let exports: Vec<String> = graph.types()[graph[caller].ty()]
            .exports
            .keys()
            .cloned()
            .collect();
        for name in exports {
            let alias = graph
                .alias_instance_export(caller_instance, &name)
                .map_err(|err| fail("composition-failed", format!("{err:#}")))?;
            graph
                .export(alias, &name)
                .map_err(|err| fail("composition-failed", format!("{err:#}")))?;
        }
        graph.encode(EncodeOptions::default()).map_err(|err| {
            fail(
                "composition-failed",
                format!("wac-graph cannot encode the composition: {err:#}"),
            )
        })?
    };
    std::fs::write(&options.output, &bytes).map_err(|err| {
        fail(
            "unwritable-output",
            format!("cannot write `{}`: {err}", display(&options.output)),
        )
    })?;
    report.push(Finding::new(
        Level::Note,
        "written",
        format!(
            "wrote `{}` ({} bytes)",
            display(&options.output),
            bytes.len()
        ),
    ));
    report
        .data
        .insert("output".into(), json!(display(&options.output)));
    report.data.insert("output_size".into(), json!(bytes.len()));
    Ok(())
}

/// `(plug export, caller import)` pairs whose names match (exactly, else semver-compatibly) and
/// whose types fit, and `(export, import, why)` for those whose names match but types do not.
#[allow(clippy::type_complexity, reason = "two plain lists of tuples")]
fn matching_exports(
    graph: &CompositionGraph,
    plug: PackageId,
    caller: PackageId,
) -> (Vec<(String, String)>, Vec<(String, String, String)>) {
    let types = graph.types();
    let imports = &types[graph[caller].ty()].imports;
    let mut cache = Default::default();
    let mut checker = SubtypeChecker::new(&mut cache);
    let mut matches = Vec::new();
    let mut mismatches = Vec::new();
    for (export, export_kind) in &types[graph[plug].ty()].exports {
        let import = imports.get_key_value(export).or_else(|| {
            imports
                .iter()
                .find(|(import, _)| are_semver_compatible(export, import))
        });
        let Some((import, import_kind)) = import else {
            continue;
        };
        match checker.is_subtype(*export_kind, types, *import_kind, types) {
            Ok(()) => matches.push((export.clone(), import.clone())),
            Err(err) => mismatches.push((export.clone(), import.clone(), format!("{err:#}"))),
        }
    }
    (matches, mismatches)
}
