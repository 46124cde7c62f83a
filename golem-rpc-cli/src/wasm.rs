//! What the tool reads from a component binary besides its WIT: the core modules inside it,
//! with their data, their `golem-rpc:import` custom sections and the size of each named
//! function.

use anyhow::{Context as _, bail};
use wasmparser::{Encoding, KnownCustom, Name, Parser, Payload};

/// The custom section `golem_rpc::import!` embeds in the caller.
pub const IMPORT_SECTION: &str = "golem-rpc:import";

/// A component binary, taken apart.
#[derive(Debug, Default)]
pub struct Component {
    /// The size of the whole binary in bytes.
    pub size: u64,
    /// The core modules it embeds (at any depth), in binary order.
    pub modules: Vec<CoreModule>,
}

/// One core module inside a component.
#[derive(Debug, Default)]
pub struct CoreModule {
    /// The module's size in bytes, including its custom sections.
    pub size: u64,
    /// The contents of its data segments, concatenated in order.
    pub data: Vec<u8>,
    /// The contents of each `golem-rpc:import` custom section (the linker merges the records of
    /// all `import!` calls into one, but tolerate several).
    pub import_sections: Vec<Vec<u8>>,
    /// The module's defined functions with their code size, named from the `name` section
    /// where it has one.
    pub functions: Vec<Function>,
}

/// A function defined in a core module.
#[derive(Debug, Clone)]
pub struct Function {
    /// Its name from the `name` section (a symbol, usually demangled by the linker), if any.
    pub name: Option<String>,
    /// The size of its body in the code section, in bytes.
    pub code_size: u64,
}

impl Component {
    /// Takes a component binary apart. Fails on a core module or malformed input.
    pub fn parse(bytes: &[u8]) -> anyhow::Result<Self> {
        let mut component = Component {
            size: bytes.len() as u64,
            modules: Vec::new(),
        };
        // One frame per module or component being parsed; nested ones are reported inline.
        let mut stack: Vec<Option<ModuleBuilder>> = Vec::new();
        for payload in Parser::new(0).parse_all(bytes) {
            let payload = payload.context("malformed WebAssembly binary")?;
            match payload {
                Payload::Version {
                    encoding, range, ..
                } => {
                    if stack.is_empty() && encoding != Encoding::Component {
                        bail!("this is a core WebAssembly module, not a component");
                    }
                    stack.push(match encoding {
                        Encoding::Module => Some(ModuleBuilder::new(range.start)),
                        Encoding::Component => None,
                    });
                }
                Payload::End(offset) => {
                    if let Some(Some(module)) = stack.pop() {
                        component.modules.push(module.finish(offset));
                    }
                }
                payload => {
                    if let Some(Some(module)) = stack.last_mut() {
                        module.add(payload)?;
                    }
                }
            }
        }
        Ok(component)
    }

    /// The `golem-rpc:import` sections of all core modules, with the module index each came from.
    pub fn import_sections(&self) -> impl Iterator<Item = (usize, &[u8])> {
        self.modules.iter().enumerate().flat_map(|(index, module)| {
            module
                .import_sections
                .iter()
                .map(move |section| (index, section.as_slice()))
        })
    }
}

struct ModuleBuilder {
    start: u64,
    module: CoreModule,
    imported_functions: u32,
    names: Vec<(u32, String)>,
}

impl ModuleBuilder {
    fn new(start: u64) -> Self {
        Self {
            start,
            module: CoreModule::default(),
            imported_functions: 0,
            names: Vec::new(),
        }
    }

    fn add(&mut self, payload: Payload<'_>) -> anyhow::Result<()> {
        match payload {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import?.ty, wasmparser::TypeRef::Func(_)) {
                        self.imported_functions += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                self.module.functions.push(Function {
                    name: None,
                    code_size: body.range().end - body.range().start,
                });
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    self.module.data.extend_from_slice(data?.data);
                }
            }
            Payload::CustomSection(reader) => {
                if reader.name() == IMPORT_SECTION {
                    self.module.import_sections.push(reader.data().to_vec());
                } else if let KnownCustom::Name(names) = reader.as_known() {
                    // A malformed name section only costs the size estimate its names.
                    for name in names.into_iter().flatten() {
                        if let Name::Function(map) = name {
                            for naming in map.into_iter().flatten() {
                                self.names.push((naming.index, naming.name.to_owned()));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(mut self, end: u64) -> CoreModule {
        for (index, name) in self.names {
            let Some(defined) = index.checked_sub(self.imported_functions) else {
                continue;
            };
            if let Some(function) = self.module.functions.get_mut(defined as usize) {
                function.name = Some(name);
            }
        }
        self.module.size = end.saturating_sub(self.start);
        self.module
    }
}
