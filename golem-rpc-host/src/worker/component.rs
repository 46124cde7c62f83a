//! Loaded components and their table of exported functions.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use anyhow::Context as _;
use uuid::Uuid;
use wasmtime::Engine;
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, ComponentExportIndex, InstancePre, Linker, Type};

use crate::bindings::value::has_handles;
use crate::model::function_name::{FunctionRef, ParsedFunctionName};
use crate::model::generation::Generation;
use crate::worker::state::WorkerState;

/// What calling an [`ExportedFunction`] does.
#[derive(Debug)]
pub(crate) enum FunctionKind {
    /// Calls the export at this index.
    Export(ComponentExportIndex),
    /// `[drop]R`: not a real export; the host drops the resource behind the handle parameter
    /// (Golem's "special drop", protocol.md §5). The index is the resource type's export.
    ResourceDrop(ComponentExportIndex),
}

/// One callable function: where to find it in an instance and its signature.
#[derive(Debug)]
pub(crate) struct ExportedFunction {
    /// The Golem-style name (`ns:pkg/iface.{f}` or `f`).
    pub(crate) name: String,
    pub(crate) kind: FunctionKind,
    pub(crate) params: Vec<(String, Type)>,
    pub(crate) results: Vec<Type>,
    /// Whether a parameter can contain resource handles.
    pub(crate) params_have_handles: bool,
    /// Whether a result can contain resource handles.
    pub(crate) results_have_handles: bool,
}

impl ExportedFunction {
    fn new(
        name: String,
        kind: FunctionKind,
        params: Vec<(String, Type)>,
        results: Vec<Type>,
    ) -> Self {
        Self {
            params_have_handles: params.iter().any(|(_, ty)| has_handles(ty)),
            results_have_handles: results.iter().any(has_handles),
            name,
            kind,
            params,
            results,
        }
    }

    /// Whether parameters or results can contain resource handles.
    pub(crate) fn uses_handles(&self) -> bool {
        self.params_have_handles || self.results_have_handles
    }
}

/// The signature of an exported function.
#[derive(Debug, Clone)]
pub struct FunctionSignature {
    /// Parameter names and types, in order.
    pub params: Vec<(String, Type)>,
    /// Result types, in order.
    pub results: Vec<Type>,
}

/// A compiled component, ready to be instantiated as workers.
pub(crate) struct LoadedComponent {
    pub(crate) name: String,
    pub(crate) id: Uuid,
    /// Loaded as ephemeral: reached as `urn:worker:{component-id}`, a fresh worker per client.
    pub(crate) ephemeral: bool,
    /// The Golem generation it is built for: its workers see that generation's environment.
    pub(crate) generation: Generation,
    pub(crate) pre: InstancePre<WorkerState>,
    /// Exported functions by interface export name (`None` for world-level functions), then by
    /// export name inside the interface (`f`, `[method]R.m`, …, and a synthetic `[drop]R`).
    functions: HashMap<Option<String>, HashMap<String, Arc<ExportedFunction>>>,
    /// Exported resource types: their index and Golem-style name (`ns:pkg/iface.{R}`).
    pub(crate) resources: Vec<(ComponentExportIndex, Arc<str>)>,
    /// Successfully resolved function-name strings (bounded by the exports and their spellings).
    resolved: RwLock<HashMap<String, Arc<ExportedFunction>>>,
}

impl LoadedComponent {
    /// Links `component` against the host's linker and indexes its exports.
    pub(crate) fn new(
        name: &str,
        ephemeral: bool,
        generation: Generation,
        engine: &Engine,
        linker: &Linker<WorkerState>,
        component: Component,
    ) -> anyhow::Result<Self> {
        let pre = linker
            .instantiate_pre(&component)
            .map_err(anyhow::Error::from)
            .with_context(|| {
                format!("component {name} imports something this host does not provide")
            })?;
        let mut functions: HashMap<Option<String>, HashMap<String, Arc<ExportedFunction>>> =
            HashMap::new();
        let mut resources = Vec::new();
        for (export_name, export) in component.component_type().exports(engine) {
            match export.ty {
                ComponentItem::ComponentFunc(func) => {
                    if let Some(index) = component.get_export_index(None, export_name) {
                        let f = ExportedFunction::new(
                            export_name.to_string(),
                            FunctionKind::Export(index),
                            func.params().map(|(n, t)| (n.to_string(), t)).collect(),
                            func.results().collect(),
                        );
                        functions
                            .entry(None)
                            .or_default()
                            .insert(export_name.to_string(), Arc::new(f));
                    }
                }
                ComponentItem::ComponentInstance(instance) => {
                    let Some(instance_index) = component.get_export_index(None, export_name) else {
                        continue;
                    };
                    let entry = functions.entry(Some(export_name.to_string())).or_default();
                    for (item_name, item) in instance.exports(engine) {
                        let Some(index) =
                            component.get_export_index(Some(&instance_index), item_name)
                        else {
                            continue;
                        };
                        match item.ty {
                            ComponentItem::ComponentFunc(func) => {
                                let f = ExportedFunction::new(
                                    format!("{export_name}.{{{item_name}}}"),
                                    FunctionKind::Export(index),
                                    func.params().map(|(n, t)| (n.to_string(), t)).collect(),
                                    func.results().collect(),
                                );
                                entry.insert(item_name.to_string(), Arc::new(f));
                            }
                            ComponentItem::Resource(resource) => {
                                resources.push((index, format!("{export_name}.{{{item_name}}}")));
                                let drop = format!("[drop]{item_name}");
                                let f = ExportedFunction::new(
                                    format!("{export_name}.{{{drop}}}"),
                                    FunctionKind::ResourceDrop(index),
                                    vec![("self".to_string(), Type::Own(resource))],
                                    Vec::new(),
                                );
                                // A real export of that name would win, as in Golem.
                                entry.entry(drop).or_insert_with(|| Arc::new(f));
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(Self {
            name: name.to_string(),
            id: crate::model::uri::component_id(name),
            ephemeral,
            generation,
            pre,
            functions,
            resources: resources
                .into_iter()
                .map(|(index, name)| (index, name.into()))
                .collect(),
            resolved: RwLock::default(),
        })
    }

    /// The names of the interfaces it exports (`demo:counter/api`).
    pub(crate) fn interfaces(&self) -> impl Iterator<Item = &str> {
        self.functions.keys().flatten().map(String::as_str)
    }

    /// Whether its exported interface `interface` exports resource `resource`.
    pub(crate) fn exports_resource(&self, interface: &str, resource: &str) -> bool {
        let constructor = format!("[constructor]{resource}");
        let method = format!("[method]{resource}.");
        self.functions
            .get(&Some(interface.to_string()))
            .is_some_and(|functions| {
                functions
                    .keys()
                    .any(|f| *f == constructor || f.starts_with(&method))
            })
    }

    /// Parses and resolves a function-name string (cached); errors are Golem's error texts.
    pub(crate) fn lookup(&self, function_name: &str) -> Result<Arc<ExportedFunction>, String> {
        let cached = self
            .resolved
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(function_name)
            .cloned();
        if let Some(function) = cached {
            return Ok(function);
        }
        let parsed = ParsedFunctionName::parse(function_name)
            .map_err(|err| format!("Invalid request: {err}"))?;
        let function = self.resolve(&parsed)?;
        self.resolved
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(function_name.to_string(), function.clone());
        Ok(function)
    }

    /// Finds the export a parsed function name refers to, by exact name (Golem's `find_function`).
    ///
    /// Resource functions are looked up by their export name inside the interface
    /// (`[constructor]R`, `[method]R.m`, `[static]R.m`); a method that does not exist is retried
    /// as a static function (`method_as_static`), and `[drop]R` is the host's drop of resource
    /// `R`. Errors are the text of Golem's `remote-internal-error` for an unknown function.
    pub(crate) fn resolve(
        &self,
        function: &ParsedFunctionName,
    ) -> Result<Arc<ExportedFunction>, String> {
        let name = function.function.export_name();
        let interface = function.site.interface_name();
        let table = self
            .functions
            .get(&interface)
            .ok_or_else(|| match &interface {
                Some(interface) => {
                    format!("Invalid request: could not load exports for interface {interface}")
                }
                None => format!("Invalid request: could not load function {name}"),
            })?;
        let found = match &function.function {
            FunctionRef::ResourceMethod { resource, method } => table
                .get(&name)
                .or_else(|| table.get(&format!("[static]{resource}.{method}"))),
            _ => table.get(&name),
        };
        found.cloned().ok_or_else(|| match &interface {
            Some(interface) => {
                format!("Invalid request: could not load function {name} for interface {interface}")
            }
            None => format!("Invalid request: could not load function {name}"),
        })
    }

    /// All exported functions, Golem-style names, sorted.
    pub(crate) fn function_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .functions
            .values()
            .flat_map(|table| table.values().map(|f| f.name.clone()))
            .collect();
        names.sort();
        names
    }
}
