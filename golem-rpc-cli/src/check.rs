//! `golem-rpc check`: the caller's imports against a host profile, what its `import!` calls
//! were built against compared with the targets' real exports, and a size estimate.
//!
//! Components' WIT is decoded with `wit_parser::decoding::decode` (what `wit_component::decode`
//! re-exports) from wit-parser 0.262, the version golem-rpc-codegen uses, so that target
//! signatures are rendered by the same `golem_rpc_codegen::signature` as the caller's record.
//! A record's function counts as *called* when its wire name occurs in the data of the core
//! module that holds the record: the linker drops the strings of unused client functions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::json;
use wit_parser::decoding::{DecodedWasm, decode};
use wit_parser::{Resolve, TypeDefKind, WorldId, WorldItem, WorldKey};

use crate::exports::{Export, Exports};
use crate::profile::Profile;
use crate::report::{Finding, Level, Report};
use crate::section::{self, Record, UsedRecord};
use crate::size;
use crate::wasm::{self, Component};

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The caller component.
    pub caller: PathBuf,
    /// Target components to compare the caller's `import!` records with.
    pub targets: Vec<PathBuf>,
    /// The host profile the caller's imports must be provided by; `None` picks it from the
    /// caller's imports ([`Profile::detect`]).
    pub profile: Option<Profile>,
}

/// A component file, read and decoded.
pub(crate) struct Loaded {
    pub display: String,
    pub component: Component,
    pub resolve: Resolve,
    pub world: WorldId,
}

/// Reads and decodes a component, or says why it cannot.
pub(crate) fn load(path: &Path) -> Result<Loaded, String> {
    let display = display(path);
    let bytes = std::fs::read(path).map_err(|err| format!("cannot read `{display}`: {err}"))?;
    let component = Component::parse(&bytes).map_err(|err| format!("`{display}`: {err:#}"))?;
    let (resolve, world) = match decode(&bytes) {
        Ok(DecodedWasm::Component(resolve, world)) => (resolve, world),
        Ok(DecodedWasm::WitPackage(..)) => {
            return Err(format!(
                "`{display}` is a WIT package, not a component (build the component itself)"
            ));
        }
        Err(err) => return Err(format!("`{display}`: cannot decode its WIT: {err:#}")),
    };
    Ok(Loaded {
        display,
        component,
        resolve,
        world,
    })
}

/// A path as the user wrote it.
pub(crate) fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Runs the check and returns its findings; never panics on malformed input.
pub fn check(options: &CheckOptions) -> Report {
    let mut report = Report::new("check", display(&options.caller));
    let caller = match load(&options.caller) {
        Ok(caller) => caller,
        Err(message) => {
            report.push(Finding::new(Level::Error, "unreadable-component", message));
            return report;
        }
    };
    let profile = match &options.profile {
        Some(profile) => profile.clone(),
        None => {
            let world = &caller.resolve.worlds[caller.world];
            let imports: Vec<String> = world
                .imports
                .keys()
                .map(|key| caller.resolve.name_world_key(key))
                .collect();
            Profile::detect(imports.iter().map(String::as_str))
        }
    };
    report.data.insert("profile".into(), json!(profile.name()));

    check_imports(&caller, &profile, &mut report);
    let records = read_records(&caller, &mut report);
    check_record_apis(&records, &profile, &mut report);
    check_targets(&records, &options.targets, &mut report);
    size::report(&caller.component, &records, &mut report);
    report
}

/// Step 1: every import must be provided by the profile.
fn check_imports(caller: &Loaded, profile: &Profile, report: &mut Report) {
    let resolve = &caller.resolve;
    let world = &resolve.worlds[caller.world];
    let mut listed = Vec::new();
    let mut json_imports = Vec::new();
    let mut errors = Vec::new();
    let host = format!(
        "the {} host profile ({})",
        profile.name(),
        profile.description()
    );
    for (key, item) in &world.imports {
        let name = resolve.name_world_key(key);
        match item {
            WorldItem::Interface { id, .. } => {
                let functions: Vec<&str> = resolve.interfaces[*id]
                    .functions
                    .keys()
                    .map(String::as_str)
                    .collect();
                let provided = match key {
                    WorldKey::Interface(_) => profile.lookup(&name),
                    // An inline `import name: interface { .. }` is never a host interface.
                    WorldKey::Name(_) => None,
                };
                json_imports.push(json!({
                    "name": name,
                    "kind": "interface",
                    "functions": functions,
                    "provided_as": provided.as_ref().map(|p| p.name),
                }));
                let types_only = functions.is_empty()
                    && !resolve.interfaces[*id]
                        .types
                        .values()
                        .any(|t| matches!(resolve.types[*t].kind, TypeDefKind::Resource));
                if provided.is_none() && types_only {
                    // wasmtime (and so Golem) needs no definition for an instance of types.
                    listed.push(format!("{name}  (types only: needs no implementation)"));
                    continue;
                }
                if provided.is_none() && profile.links_clients() && is_client_interface(&name) {
                    listed.push(format!(
                        "{name}  (a client interface: Golem 1.2 links it from the component's `wasm-rpc` dependencies)"
                    ));
                    continue;
                }
                let Some(provided) = provided else {
                    listed.push(format!("{name}  (not provided)"));
                    errors.push(
                        Finding::new(
                            Level::Error,
                            "unprovided-import",
                            format!(
                                "`{}` imports `{name}`, which {host} does not provide",
                                caller.display
                            ),
                        )
                        .note(if functions.is_empty() {
                            "it imports no functions from it, only types".to_owned()
                        } else {
                            format!("functions imported from it: {}", functions.join(", "))
                        })
                        .note("Golem would refuse to instantiate the component: compose an implementation in (`golem-rpc compose`) or remove the import")
                        .details(json!({ "import": name })),
                    );
                    continue;
                };
                if provided.name == name {
                    listed.push(name.clone());
                } else {
                    listed.push(format!("{name}  (provided as {})", provided.name));
                }
                for function in &functions {
                    if !provided.functions.contains(*function) {
                        errors.push(
                            Finding::new(
                                Level::Error,
                                "unprovided-function",
                                format!(
                                    "`{}` imports `{function}` from `{name}`, which {host} does not provide",
                                    caller.display
                                ),
                            )
                            .note(format!(
                                "the host provides `{}`, which has no function `{function}`",
                                provided.name
                            ))
                            .details(json!({ "import": name, "function": function })),
                        );
                    }
                }
            }
            WorldItem::Function(function) => {
                listed.push(format!("{name}  (function, not provided)"));
                json_imports.push(json!({ "name": name, "kind": "function", "provided_as": null }));
                errors.push(
                    Finding::new(
                        Level::Error,
                        "unprovided-import",
                        format!(
                            "`{}` imports the function `{}`, which {host} does not provide",
                            caller.display, function.name
                        ),
                    )
                    .note("Golem provides interfaces, not world-level functions")
                    .details(json!({ "import": name })),
                );
            }
            WorldItem::Type { id, .. } => {
                // Plain types need nothing from the host; an imported resource type does.
                if matches!(resolve.types[*id].kind, TypeDefKind::Resource) {
                    listed.push(format!("{name}  (resource, not provided)"));
                    json_imports
                        .push(json!({ "name": name, "kind": "resource", "provided_as": null }));
                    errors.push(
                        Finding::new(
                            Level::Error,
                            "unprovided-import",
                            format!(
                                "`{}` imports the resource type `{name}`, which {host} does not provide",
                                caller.display
                            ),
                        )
                        .details(json!({ "import": name })),
                    );
                }
            }
        }
    }
    let mut finding = Finding::new(
        Level::Note,
        "imports",
        format!(
            "`{}` imports {} (checked against the {} host profile)",
            caller.display,
            match listed.len() {
                0 => "nothing".to_owned(),
                1 => "1 item".to_owned(),
                n => format!("{n} items"),
            },
            profile.name()
        ),
    );
    if !listed.is_empty() {
        finding = finding.note(listed.join("\n"));
    }
    report.push(finding);
    report.findings.extend(errors);
    report.data.insert("imports".into(), json!(json_imports));
}

/// Step 2: the `golem-rpc:import` records and which functions are referenced.
fn read_records(caller: &Loaded, report: &mut Report) -> Vec<UsedRecord> {
    let mut records = Vec::new();
    for (module, bytes) in caller.component.import_sections() {
        let parsed = section::parse(bytes);
        for error in parsed.errors {
            report.push(
                Finding::new(
                    Level::Error,
                    "malformed-section",
                    format!(
                        "`{}`: malformed `{}` custom section: {error}",
                        caller.display,
                        wasm::IMPORT_SECTION
                    ),
                )
                .note("the section is written by `golem_rpc::import!`; was it built with a different golem-rpc version, or edited?"),
            );
        }
        let data = &caller.component.modules[module].data;
        for record in parsed.records {
            let referenced = record
                .functions
                .iter()
                .enumerate()
                .filter(|(_, f)| contains(data, f.wire_name.as_bytes()))
                .map(|(i, _)| i)
                .collect();
            let section_bytes = record_len(&record);
            records.push(UsedRecord {
                record,
                referenced,
                section_bytes,
            });
        }
    }

    if records.is_empty() {
        report.push(Finding::new(
            Level::Note,
            "no-records",
            format!(
                "`{}` has no `{}` records: it uses no `golem_rpc::import!` (or was built without one that records them)",
                caller.display,
                wasm::IMPORT_SECTION
            ),
        ));
    }
    let mut json_records = Vec::new();
    for used in &records {
        let record = &used.record;
        let total = record.functions.len();
        let referenced: Vec<&str> = used.referenced().map(|f| f.wire_name.as_str()).collect();
        json_records.push(json!({
            "target": record.target,
            "world": record.world,
            "wit_digest": record.wit_digest,
            "golem_api": record.golem_api,
            "functions": record.functions.iter().map(|f| json!({
                "wire_name": f.wire_name,
                "signature": f.signature,
            })).collect::<Vec<_>>(),
            "referenced": referenced,
        }));
        if referenced.is_empty() {
            report.push(
                Finding::new(
                    Level::Warning,
                    "unused-import",
                    format!(
                        "`golem_rpc::import!` of `{}` (world `{}`) is declared but unused: none of its {total} functions is called",
                        record.target, record.world
                    ),
                )
                .note("remove the `import!`, or ignore this if it is used only in some builds")
                .details(json!({ "target": record.target, "world": record.world })),
            );
        } else {
            report.push(
                Finding::new(
                    Level::Note,
                    "import",
                    format!(
                        "`golem_rpc::import!` of `{}` (world `{}`, WIT digest {}, {} clients): {} of {total} functions called",
                        record.target,
                        record.world,
                        record.wit_digest,
                        record.golem_api,
                        referenced.len()
                    ),
                )
                .note(referenced.join("\n")),
            );
        }
    }
    report.data.insert("records".into(), json!(json_records));
    records
}

/// `ns:pkg-client/iface`: the name Golem 1.2's tooling gives a generated client interface.
fn is_client_interface(name: &str) -> bool {
    name.split('/')
        .next()
        .and_then(|package| package.split('@').next())
        .is_some_and(|package| package.ends_with("-client"))
}

/// Every `import!` must have generated clients for the profile's host API.
fn check_record_apis(records: &[UsedRecord], profile: &Profile, report: &mut Report) {
    for used in records {
        let record = &used.record;
        if record.golem_api == profile.golem_api() {
            continue;
        }
        report.push(
            Finding::new(
                Level::Error,
                "golem-api-mismatch",
                format!(
                    "`golem_rpc::import!` of `{}` generated {} clients, but the caller is checked against the {} host profile ({}), whose clients are {}",
                    record.target,
                    record.golem_api,
                    profile.name(),
                    profile.description(),
                    profile.golem_api()
                ),
            )
            .note(match profile.golem_api() {
                "golem-1.2" => "build the caller with golem-rpc's `golem-1-2` feature (and not `golem-1-3`)",
                "golem-1.3" => "build the caller with golem-rpc's `golem-1-3` feature (and not `golem-1-4`)",
                "golem-1.4" => "build the caller with golem-rpc's `golem-1-4` feature",
                _ => "build the caller without golem-rpc's `golem-1-2` / `golem-1-3` / `golem-1-4` features, or check it with `--profile golem-1.2` / `golem-1.3` / `golem-1.4`",
            })
            .details(json!({ "target": record.target, "golem_api": record.golem_api })),
        );
    }
}

/// The length of a record's text in the section.
fn record_len(record: &Record) -> usize {
    let header = format!(
        "golem-rpc-import 1\ntarget {}\nworld {}\nwit-digest {}\ngolem-api {}\nend\n",
        record.target, record.world, record.wit_digest, record.golem_api
    );
    header.len()
        + record
            .functions
            .iter()
            .map(|f| "function \t\n".len() + f.wire_name.len() + f.signature.len())
            .sum::<usize>()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// Step 3: each target against the records it matches.
fn check_targets(records: &[UsedRecord], targets: &[PathBuf], report: &mut Report) {
    let mut verified = BTreeSet::new();
    for path in targets {
        let target = match load(path) {
            Ok(target) => target,
            Err(message) => {
                report.push(Finding::new(Level::Error, "unreadable-component", message));
                continue;
            }
        };
        let exports = Exports::of(&target.resolve, target.world);
        // The records whose calls this target answers; failing any, those of its package (so a
        // target that lacks what its caller calls is compared, and the calls reported).
        let answered: Vec<(usize, &UsedRecord)> = records
            .iter()
            .enumerate()
            .filter(|(_, used)| exports.answers(&used.record))
            .collect();
        let matching: Vec<(usize, &UsedRecord)> = if answered.is_empty() {
            records
                .iter()
                .enumerate()
                .filter(|(_, used)| exports.matches(&used.record))
                .collect()
        } else {
            answered
        };
        if matching.is_empty() {
            let imported: Vec<String> = records
                .iter()
                .map(|r| format!("`{}`", r.record.target))
                .collect();
            report.push(
                Finding::new(
                    Level::Warning,
                    "unmatched-target",
                    format!(
                        "target `{}` matches no `golem_rpc::import!` of the caller",
                        target.display
                    ),
                )
                .note(format!(
                    "it exports {}; the caller imports {}",
                    exports.describe(),
                    if imported.is_empty() {
                        "nothing with `import!`".to_owned()
                    } else {
                        imported.join(", ")
                    }
                ))
                .details(json!({ "target_file": target.display })),
            );
            continue;
        }
        for (index, used) in matching {
            verified.insert(index);
            check_record(used, &target, &exports, report);
        }
    }
    for (index, used) in records.iter().enumerate() {
        if !verified.contains(&index) && !used.referenced.is_empty() {
            report.push(Finding::new(
                Level::Note,
                "unverified",
                format!(
                    "`{}` was not compared with a target component (pass its .wasm to check the signatures)",
                    used.record.target
                ),
            ));
        }
    }
}

fn check_record(used: &UsedRecord, target: &Loaded, exports: &Exports<'_>, report: &mut Report) {
    let mut good = 0;
    let mut bad = 0;
    for function in used.referenced() {
        let wire = &function.wire_name;
        match exports.find(wire) {
            Err(why) => {
                bad += 1;
                report.push(
                    Finding::new(
                        Level::Error,
                        "missing-function",
                        format!(
                            "`{wire}` is called by the caller but not exported by `{}`",
                            target.display
                        ),
                    )
                    .note(why)
                    .note(format!(
                        "the caller was built against `{}`",
                        function.signature
                    ))
                    .details(json!({
                        "function": wire,
                        "target_file": target.display,
                        "caller_signature": function.signature,
                    })),
                );
            }
            Ok(Export::ResourceDrop) => good += 1,
            Ok(Export::Function(exported)) => {
                let signature = golem_rpc_codegen::signature(&target.resolve, exported);
                if signature == function.signature {
                    good += 1;
                } else {
                    bad += 1;
                    report.push(
                        Finding::new(
                            Level::Error,
                            "signature-drift",
                            format!(
                                "`{wire}`: caller built against `{}`, target exports `{signature}`",
                                function.signature
                            ),
                        )
                        .note(format!(
                            "target: `{}`; rebuild the caller against the target's current WIT (or deploy the matching target)",
                            target.display
                        ))
                        .details(json!({
                            "function": wire,
                            "target_file": target.display,
                            "caller_signature": function.signature,
                            "target_signature": signature,
                        })),
                    );
                }
            }
        }
    }
    if bad == 0 {
        report.push(Finding::new(
            Level::Note,
            "target-ok",
            format!(
                "`{}` exports all {good} functions the caller calls of `{}`, with the signatures it was built against",
                target.display, used.record.target
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_search() {
        assert!(contains(
            b"..demo:counter/api.{add}..",
            b"demo:counter/api.{add}"
        ));
        assert!(!contains(
            b"demo:counter/api.{add-all}",
            b"demo:counter/api.{add}"
        ));
        assert!(!contains(b"abc", b""));
        assert!(!contains(b"", b"a"));
    }
}
