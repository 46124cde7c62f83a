//! Loaded components and their table of exported functions.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use anyhow::Context as _;
use uuid::Uuid;
use wasmtime::Engine;
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, ComponentExportIndex, InstancePre, Linker, Type};

use crate::function_name::{FunctionRef, ParsedFunctionName};
use crate::worker::WorkerState;

/// One exported function: where to find it in an instance and its signature.
#[derive(Debug)]
pub(crate) struct ExportedFunction {
    /// The Golem-style name (`ns:pkg/iface.{f}` or `f`).
    pub(crate) name: String,
    pub(crate) index: ComponentExportIndex,
    pub(crate) params: Vec<(String, Type)>,
    pub(crate) results: Vec<Type>,
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
    pub(crate) pre: InstancePre<WorkerState>,
    /// Exported functions by interface export name (`None` for world-level functions).
    functions: HashMap<Option<String>, HashMap<String, Arc<ExportedFunction>>>,
    /// Successfully resolved function-name strings (bounded by the exports and their spellings).
    resolved: RwLock<HashMap<String, Arc<ExportedFunction>>>,
}

impl LoadedComponent {
    /// Links `component` against the host's linker and indexes its exports.
    pub(crate) fn new(
        name: &str,
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
        for (export_name, export) in component.component_type().exports(engine) {
            match export.ty {
                ComponentItem::ComponentFunc(func) => {
                    if let Some(index) = component.get_export_index(None, export_name) {
                        let f = ExportedFunction {
                            name: export_name.to_string(),
                            index,
                            params: func.params().map(|(n, t)| (n.to_string(), t)).collect(),
                            results: func.results().collect(),
                        };
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
                    for (func_name, item) in instance.exports(engine) {
                        let ComponentItem::ComponentFunc(func) = item.ty else {
                            continue;
                        };
                        let Some(index) =
                            component.get_export_index(Some(&instance_index), func_name)
                        else {
                            continue;
                        };
                        let f = ExportedFunction {
                            name: format!("{export_name}.{{{func_name}}}"),
                            index,
                            params: func.params().map(|(n, t)| (n.to_string(), t)).collect(),
                            results: func.results().collect(),
                        };
                        entry.insert(func_name.to_string(), Arc::new(f));
                    }
                }
                _ => {}
            }
        }
        Ok(Self {
            name: name.to_string(),
            id: crate::uri::component_id(name),
            pre,
            functions,
            resolved: RwLock::default(),
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

    /// Finds the export a parsed function name refers to, by exact name.
    ///
    /// Errors are the text of Golem's `remote-internal-error` for an unknown function.
    pub(crate) fn resolve(
        &self,
        function: &ParsedFunctionName,
    ) -> Result<Arc<ExportedFunction>, String> {
        match &function.function {
            FunctionRef::Function(name) => {
                let interface = function.site.interface_name();
                let table = self
                    .functions
                    .get(&interface)
                    .ok_or_else(|| match &interface {
                        Some(interface) => format!(
                            "Invalid request: could not load exports for interface {interface}"
                        ),
                        None => format!("Invalid request: could not load function {name}"),
                    })?;
                table.get(name).cloned().ok_or_else(|| match &interface {
                    Some(interface) => format!(
                        "Invalid request: could not load function {name} for interface {interface}"
                    ),
                    None => format!("Invalid request: could not load function {name}"),
                })
            }
            // Resources come later: the export is `function.function.export_name()` inside the
            // interface; constructors return a handle, methods take one as parameter 0 and drops
            // are handled by the host (protocol.md §5).
            FunctionRef::ResourceConstructor { .. }
            | FunctionRef::ResourceMethod { .. }
            | FunctionRef::ResourceStatic { .. }
            | FunctionRef::ResourceDrop { .. } => Err(format!(
                "Invalid request: {function}: resource functions are not supported by golem-rpc-host yet"
            )),
        }
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
