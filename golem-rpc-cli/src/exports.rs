//! A target component's exports, looked up by the function names golem-rpc sends on the wire
//! (protocol.md §2): `ns:pkg/iface@ver.{f}` is function `f` of the exported interface
//! `ns:pkg/iface@ver`; `{R.new}` is `[constructor]R`; `{R.m}` is `[method]R.m` or
//! `[static]R.m`; `{R.drop}` needs only the resource `R`; a bare `f` is the world-level
//! function `f`.

use std::collections::BTreeSet;

use wit_parser::{Function, Resolve, TypeDefKind, WorldId, WorldItem};

use crate::section::Record;

/// What a target exports, by the names used on the wire.
pub(crate) struct Exports<'a> {
    resolve: &'a Resolve,
    interfaces: Vec<(String, wit_parser::InterfaceId)>,
    functions: Vec<&'a Function>,
    packages: BTreeSet<String>,
}

pub(crate) enum Export<'a> {
    Function(&'a Function),
    /// `{R.drop}`: the resource exists (dropping needs no export).
    ResourceDrop,
}

impl<'a> Exports<'a> {
    pub(crate) fn of(resolve: &'a Resolve, world: WorldId) -> Self {
        let mut exports = Exports {
            resolve,
            interfaces: Vec::new(),
            functions: Vec::new(),
            packages: BTreeSet::new(),
        };
        for (key, item) in &resolve.worlds[world].exports {
            match item {
                WorldItem::Interface { id, .. } => {
                    exports.interfaces.push((resolve.name_world_key(key), *id));
                    if let Some(package) = resolve.interfaces[*id].package {
                        exports
                            .packages
                            .insert(resolve.packages[package].name.to_string());
                    }
                }
                WorldItem::Function(function) => exports.functions.push(function),
                WorldItem::Type { .. } => {}
            }
        }
        exports
    }

    /// Whether `record` was generated from this target: its package exports an interface
    /// here, or one of its functions is in an interface exported here, or (for a target with
    /// only world-level functions, whose package a component does not keep) all its functions
    /// are world-level and one of them is exported here.
    /// Whether this target is what `record` was generated for: it exports an interface (or,
    /// for world-level functions, a function) the record calls, or, failing that, it is of the
    /// record's package.
    pub(crate) fn matches(&self, record: &Record) -> bool {
        self.packages.contains(&record.target) || self.answers(record)
    }

    /// Whether this target exports an interface `record` calls or, when it calls only
    /// world-level functions, one of those. Of two records of one package (e.g. imported once
    /// with golem-cli's export names and once as written), only the one whose names the target
    /// exports.
    pub(crate) fn answers(&self, record: &Record) -> bool {
        record.functions.iter().any(|f| {
            interface_of(&f.wire_name)
                .is_some_and(|iface| self.interfaces.iter().any(|(name, _)| name == iface))
        }) || (record
            .functions
            .iter()
            .all(|f| interface_of(&f.wire_name).is_none())
            && record
                .functions
                .iter()
                .any(|f| self.functions.iter().any(|g| g.name == f.wire_name)))
    }

    pub(crate) fn describe(&self) -> String {
        let mut names: Vec<String> = self
            .interfaces
            .iter()
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        names.extend(self.functions.iter().map(|f| format!("`{}`", f.name)));
        if names.is_empty() {
            "nothing".into()
        } else {
            names.join(", ")
        }
    }

    /// The export a wire name calls: `ns:pkg/iface@ver.{f}` → interface `ns:pkg/iface@ver`
    /// function `f`; `{R.new}` → `[constructor]R`; `{R.m}` → `[method]R.m` or `[static]R.m`;
    /// `{R.drop}` → resource `R`; a bare `f` → world-level function `f`.
    pub(crate) fn find(&self, wire: &str) -> Result<Export<'a>, String> {
        let Some((iface_name, reference)) = split_wire_name(wire) else {
            return self
                .functions
                .iter()
                .find(|f| f.name == wire)
                .map(|f| Export::Function(f))
                .ok_or_else(|| format!("it exports no world-level function `{wire}`"));
        };
        let Some((_, id)) = self.interfaces.iter().find(|(name, _)| name == iface_name) else {
            return Err(format!(
                "it exports no interface `{iface_name}` (it exports {})",
                self.describe()
            ));
        };
        let iface = &self.resolve.interfaces[*id];
        let function = |name: &str| iface.functions.get(name).map(Export::Function);
        let found = match reference.split_once('.') {
            None => function(reference),
            Some((resource, "new")) => function(&format!("[constructor]{resource}")),
            Some((resource, "drop")) => iface
                .types
                .get(resource)
                .filter(|ty| matches!(self.resolve.types[**ty].kind, TypeDefKind::Resource))
                .map(|_| Export::ResourceDrop),
            Some((resource, member)) => function(&format!("[method]{resource}.{member}"))
                .or_else(|| function(&format!("[static]{resource}.{member}"))),
        };
        found.ok_or_else(|| {
            let has: Vec<&str> = iface.functions.keys().map(String::as_str).collect();
            let has = if has.is_empty() {
                "no functions".to_owned()
            } else {
                format!("only {}", has.join(", "))
            };
            match reference.split_once('.') {
                Some((resource, _)) if !iface.types.contains_key(resource) => {
                    format!("its `{iface_name}` has no resource `{resource}`")
                }
                Some((resource, member)) => format!(
                    "its `{iface_name}` has no constructor, method or static function `{member}` of resource `{resource}` (it has {has})"
                ),
                None => format!("its `{iface_name}` has no function `{reference}` (it has {has})"),
            }
        })
    }
}

/// The interface part of a wire name, `None` for a world-level function.
fn interface_of(wire: &str) -> Option<&str> {
    split_wire_name(wire).map(|(iface, _)| iface)
}

/// `("ns:pkg/iface@ver", "ref")` for `ns:pkg/iface@ver.{ref}`, `None` for a bare name.
fn split_wire_name(wire: &str) -> Option<(&str, &str)> {
    let inner = wire.strip_suffix('}')?;
    let at = inner.find(".{")?;
    Some((&inner[..at], &inner[at + 2..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TARGET: &str = "package test:t@1.0.0;
interface api {
  resource r {
    constructor(n: u32);
    m: func(x: string) -> u32;
    s: static func() -> r;
  }
  f: func(a: list<u8>) -> option<r>;
}
world target {
  export api;
  export version: func() -> string;
}";

    fn target() -> (Resolve, WorldId) {
        let mut resolve = Resolve::default();
        let package = resolve.push_str("t.wit", TARGET).unwrap();
        let world = resolve.select_world(&[package], Some("target")).unwrap();
        (resolve, world)
    }

    fn record(target: &str, wire_names: &[&str]) -> Record {
        Record {
            target: target.into(),
            world: "w".into(),
            wit_digest: "0".repeat(16),
            golem_api: "golem-1.1".into(),
            functions: wire_names
                .iter()
                .map(|w| crate::section::RecordFunction {
                    wire_name: (*w).into(),
                    signature: "func()".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn wire_names_find_their_exports() {
        let (resolve, world) = target();
        let exports = Exports::of(&resolve, world);
        let signature = |wire: &str| match exports.find(wire) {
            Ok(Export::Function(f)) => golem_rpc_codegen::signature(&resolve, f),
            Ok(Export::ResourceDrop) => "drop".into(),
            Err(why) => format!("error: {why}"),
        };
        assert_eq!(
            signature("test:t/api@1.0.0.{f}"),
            "func(a: list<u8>) -> option<own<r>>"
        );
        assert_eq!(
            signature("test:t/api@1.0.0.{r.new}"),
            "func(n: u32) -> own<r>"
        );
        assert_eq!(
            signature("test:t/api@1.0.0.{r.m}"),
            "func(self: borrow<r>, x: string) -> u32"
        );
        assert_eq!(signature("test:t/api@1.0.0.{r.s}"), "func() -> own<r>");
        assert_eq!(signature("test:t/api@1.0.0.{r.drop}"), "drop");
        assert_eq!(signature("version"), "func() -> string");
        assert_eq!(
            signature("test:t/api@1.0.0.{g}"),
            "error: its `test:t/api@1.0.0` has no function `g` (it has only [constructor]r, [method]r.m, [static]r.s, f)"
        );
        assert_eq!(
            signature("test:t/api@1.0.0.{q.drop}"),
            "error: its `test:t/api@1.0.0` has no resource `q`"
        );
        assert_eq!(
            signature("test:t/api.{f}"),
            "error: it exports no interface `test:t/api` (it exports `test:t/api@1.0.0`, `version`)"
        );
        assert_eq!(
            signature("other"),
            "error: it exports no world-level function `other`"
        );
    }

    #[test]
    fn records_match_targets_by_package_interface_or_world_function() {
        let (resolve, world) = target();
        let exports = Exports::of(&resolve, world);
        assert!(exports.matches(&record("test:t@1.0.0", &[])));
        assert!(exports.matches(&record("other:p", &["test:t/api@1.0.0.{f}"])));
        assert!(exports.matches(&record("x:only-world", &["version"])));
        assert!(!exports.matches(&record("test:t", &["test:t/api.{f}"])));
        assert!(!exports.matches(&record("x:y", &["nope"])));
    }

    #[test]
    fn wire_names_split_at_the_brace() {
        assert_eq!(
            split_wire_name("demo:counter/api.{add}"),
            Some(("demo:counter/api", "add"))
        );
        assert_eq!(
            split_wire_name("test:p/echo@1.2.0.{r.new}"),
            Some(("test:p/echo@1.2.0", "r.new"))
        );
        assert_eq!(split_wire_name("api.{f}"), Some(("api", "f")));
        assert_eq!(split_wire_name("version"), None);
        assert_eq!(split_wire_name("x}"), None);
    }
}
