//! The names calls are sent under: the interface a function belongs to as the deployed
//! component exports it, which is not always the name the target's WIT gives it.
//!
//! Golem applications built by golem-cli (1.1's and 1.2's application manifests) move a
//! component's exports into a package of their own before building it (golem-cli
//! `wasm-rpc-stubgen`, `extract_exports_as_wit_dep`): package `ns:name` exports its interfaces
//! from `ns:name-exports` (same interface names, same version), an inline
//! `export foo: interface { .. }` of world `w` becomes interface `w-foo` there, and world-level
//! functions become interface `w-inline-functions`. Exports of other packages keep their names.

use wit_parser::{InterfaceId, Resolve, WorldId, WorldItem};

/// How the deployed component names the target's exports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportNames {
    /// As the target's WIT writes them (`demo:counter/api.{add}`, world functions bare): a
    /// component built from that WIT as it is (cargo-component, wit-bindgen).
    #[default]
    AsWritten,
    /// As golem-cli's application build renames them (`demo:counter-exports/api.{add}`,
    /// `demo:counter-exports/w-inline-functions.{f}`).
    GolemApp,
}

impl ExportNames {
    /// The option value that selects this naming in `import!` (`exports: "…"`).
    pub fn option_value(self) -> &'static str {
        match self {
            ExportNames::AsWritten => "as-written",
            ExportNames::GolemApp => "golem-app",
        }
    }
}

/// Where the wire names of `world`'s exports point.
#[derive(Clone, Copy)]
pub(crate) struct Wire<'a> {
    resolve: &'a Resolve,
    world: WorldId,
    names: ExportNames,
}

impl<'a> Wire<'a> {
    pub(crate) fn new(resolve: &'a Resolve, world: WorldId, names: ExportNames) -> Self {
        Self {
            resolve,
            world,
            names,
        }
    }

    /// `ns:name-exports` and `@version` of the world's package, when exports are renamed.
    fn exports_package(&self) -> Option<(String, String)> {
        if self.names != ExportNames::GolemApp {
            return None;
        }
        let package = &self.resolve.packages[self.resolve.worlds[self.world].package?].name;
        let version = package
            .version
            .as_ref()
            .map(|v| format!("@{v}"))
            .unwrap_or_default();
        Some((
            format!("{}:{}-exports", package.namespace, package.name),
            version,
        ))
    }

    /// An interface exported by name (`export demo:counter/api;`) or any other interface whose
    /// resources are called (`demo:counter/api`). golem-cli moves only the interfaces of the
    /// world's own package that the world exports; every other keeps its name.
    pub(crate) fn interface(&self, id: InterfaceId) -> String {
        let iface = &self.resolve.interfaces[id];
        let world = &self.resolve.worlds[self.world];
        let moved = iface.package == world.package
            && world.exports.values().any(
                |item| matches!(item, WorldItem::Interface { id: exported, .. } if *exported == id),
            );
        match (self.exports_package(), &iface.name) {
            (Some((package, version)), Some(name)) if moved => format!("{package}/{name}{version}"),
            _ => self.resolve.id_of(id).unwrap_or_default(),
        }
    }

    /// An inline interface the world exports as `export name: interface { .. }`.
    pub(crate) fn inline_interface(&self, name: &str) -> String {
        match self.exports_package() {
            Some((package, version)) => {
                let world = &self.resolve.worlds[self.world].name;
                format!("{package}/{world}-{name}{version}")
            }
            None => name.to_owned(),
        }
    }

    /// The world's own exported functions: sent bare, or from `w-inline-functions`.
    pub(crate) fn world_functions(&self) -> Option<String> {
        let (package, version) = self.exports_package()?;
        let world = &self.resolve.worlds[self.world].name;
        Some(format!("{package}/{world}-inline-functions{version}"))
    }
}
