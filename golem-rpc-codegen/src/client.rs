//! The generated module tree: one module per interface that owns a type the clients need,
//! holding its types, and for exported interfaces a client with one method per call form.

use std::collections::{BTreeMap, HashMap};

use proc_macro2::{Ident, TokenStream};
use quote::{ToTokens, format_ident, quote};
use wit_parser::{
    Function, FunctionKind, InterfaceId, Resolve, TypeId, TypeOwner, WorldId, WorldItem, WorldKey,
};

use crate::names::{Namespace, camel, ident, shouty, snake};
use crate::select::selected;
use crate::types::{Mode, Types};
use crate::{Error, GolemApi, Opts, module_name};

/// The whole expansion of one `import!`.
pub struct Module {
    name: Ident,
    docs: String,
    tree: Tree,
    /// The `golem-rpc:import` custom section's record for this import.
    section: String,
}

/// A module and its sub-modules, by name.
#[derive(Default)]
struct Tree {
    docs: Option<String>,
    items: Vec<TokenStream>,
    children: BTreeMap<String, Tree>,
}

/// Something the world exports that gets a client: an interface, or the world's own functions.
struct Exported<'a> {
    /// The client's type name, e.g. `Api`.
    client: String,
    /// What the client calls, for docs: "the functions of `demo:counter/api`".
    target: String,
    /// The prefix of wire names: `demo:counter/api` (sent as `demo:counter/api.{f}`), or none
    /// for world-level functions (sent as `f`).
    wire_prefix: Option<String>,
    owner: TypeOwner,
    functions: Vec<&'a Function>,
}

impl Module {
    /// Generates everything for `world`, or every error found on the way.
    pub fn build(resolve: &Resolve, world_id: WorldId, opts: &Opts) -> Result<Self, Vec<Error>> {
        let world = &resolve.worlds[world_id];
        let runtime = &opts.runtime_path;
        let only = opts.only.as_deref();
        let mut errors = Vec::new();

        let mut modules: HashMap<TypeOwner, Vec<Ident>> = HashMap::new();
        modules.insert(TypeOwner::World(world_id), Vec::new());
        let mut exported = Vec::new();
        let mut world_functions = Vec::new();
        let wire = crate::wire::Wire::new(resolve, world_id, opts.exports);
        for (key, item) in &world.exports {
            match item {
                WorldItem::Interface { id, .. } => {
                    let iface = &resolve.interfaces[*id];
                    let (name, wire_prefix) = match key {
                        WorldKey::Name(name) => (name.clone(), wire.inline_interface(name)),
                        WorldKey::Interface(_) => {
                            (iface.name.clone().unwrap_or_default(), wire.interface(*id))
                        }
                    };
                    let id_text = resolve.id_of(*id);
                    let functions: Vec<&Function> = iface
                        .functions
                        .values()
                        .filter(|f| selected(only, &name, id_text.as_deref(), &f.name))
                        .collect();
                    if functions.is_empty() && only.is_some() {
                        continue;
                    }
                    modules.insert(TypeOwner::Interface(*id), vec![ident(&snake(&name))]);
                    exported.push(Exported {
                        client: camel(&name),
                        target: format!("the functions of `{wire_prefix}`"),
                        wire_prefix: Some(wire_prefix),
                        owner: TypeOwner::Interface(*id),
                        functions,
                    });
                }
                WorldItem::Function(function) => {
                    if only.is_none_or(|only| only.contains(&function.name)) {
                        world_functions.push(function);
                    }
                }
                WorldItem::Type { .. } => {}
            }
        }
        if !world_functions.is_empty() {
            exported.push(Exported {
                client: camel(&world.name),
                target: format!("the functions of world `{}`", world.name),
                wire_prefix: wire.world_functions(),
                owner: TypeOwner::World(world_id),
                functions: world_functions,
            });
        }
        if exported.iter().all(|e| e.functions.is_empty()) {
            return Err(vec![Error::at(
                resolve,
                world.span,
                format!(
                    "world `{}` exports no functions, so there is nothing to call; \
                     import the WIT of the component you want to call (its world must `export` an interface or functions)",
                    world.name
                ),
            )]);
        }

        // Named types the clients need, and the module of every interface that owns one.
        let mut types = Types {
            resolve,
            rt: quote!(#runtime::__private),
            modules,
            derives: opts.additional_derives.clone(),
            wire_prefixes: exported
                .iter()
                .filter_map(|e| Some((e.owner, e.wire_prefix.clone()?)))
                .collect(),
            manifest: Default::default(),
            wire,
            named_results: opts.named_results.clone(),
            golem_api: opts.golem_api,
            component: opts.component.clone().unwrap_or_else(|| {
                world
                    .package
                    .map(|p| {
                        let name = &resolve.packages[p].name;
                        format!("{}:{}", name.namespace, name.name)
                    })
                    .unwrap_or_else(|| world.name.clone())
            }),
        };
        let mut needed: Vec<TypeId> = Vec::new();
        for e in &exported {
            if let TypeOwner::Interface(id) = e.owner {
                needed.extend(resolve.interfaces[id].types.values().copied());
            }
            for f in &e.functions {
                for ty in f.params.iter().map(|p| &p.ty).chain(f.result.iter()) {
                    types.named_types_in(ty, &mut needed);
                }
            }
        }
        // `needed` grows while it is walked: whatever a needed type refers to is needed too.
        let mut i = 0;
        while i < needed.len() {
            let def = &resolve.types[needed[i]];
            types.named_types_within(&def.kind, &mut needed);
            if let TypeOwner::Interface(owner) = def.owner {
                types
                    .modules
                    .entry(def.owner)
                    .or_insert_with(|| dependency_module(resolve, owner, world.package));
            }
            i += 1;
        }

        let mut root = Tree::default();
        let mut namespaces: HashMap<Vec<String>, Namespace> = HashMap::new();
        for id in needed {
            let def = &resolve.types[id];
            let Some(module) = types.modules.get(&def.owner).cloned() else {
                errors.push(Error::at(
                    resolve,
                    def.span,
                    "golem-rpc cannot generate types declared outside an interface or the target world",
                ));
                continue;
            };
            let name = camel(def.name.as_deref().unwrap_or_default());
            if let Err(e) = claim(
                &mut namespaces,
                &module,
                &name,
                format!("type `{}`", def.name.as_deref().unwrap_or_default()),
                resolve,
                def.span,
            ) {
                errors.push(e);
                continue;
            }
            match types.definition(id, &module) {
                Ok(tokens) => root.at(&module).items.push(tokens),
                Err(e) => errors.push(e),
            }
        }
        for (owner, module) in &types.modules {
            if let TypeOwner::Interface(id) = owner {
                let node = root.at(module);
                if node.docs.is_none() {
                    node.docs = Some(interface_docs(resolve, *id));
                }
            }
        }

        for e in &exported {
            let module = types.modules[&e.owner].clone();
            match client(&types, e, &module, &mut namespaces) {
                Ok(tokens) => root.at(&module).items.push(tokens),
                Err(mut errs) => errors.append(&mut errs),
            }
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        let package = world
            .package
            .map(|p| resolve.packages[p].name.to_string())
            .unwrap_or_else(|| world.name.clone());
        let target = world
            .package
            .map(|p| resolve.packages[p].name.to_string())
            .unwrap_or_default();
        let mut section = format!(
            "golem-rpc-import 1\ntarget {target}\nworld {}\nwit-digest {:016x}\ngolem-api {}\n",
            world.name,
            opts.wit_digest,
            opts.golem_api.name()
        );
        for (wire, signature) in types.manifest.borrow().iter() {
            section.push_str(&format!("function {wire}\t{signature}\n"));
        }
        section.push_str("end\n");
        Ok(Module {
            section,
            name: ident(
                &opts
                    .module
                    .clone()
                    .unwrap_or_else(|| module_name(resolve, world_id)),
            ),
            docs: format!(
                " RPC clients for the component package `{package}` (world `{}`), generated by `golem_rpc::import!`.",
                world.name
            ),
            tree: root,
        })
    }
}

impl Tree {
    fn at(&mut self, path: &[Ident]) -> &mut Tree {
        path.iter().fold(self, |node, segment| {
            node.children.entry(segment.to_string()).or_default()
        })
    }

    fn contents(&self) -> TokenStream {
        let items = &self.items;
        let children = self.children.iter().map(|(name, child)| {
            let name = ident(name);
            let docs = child
                .docs
                .as_deref()
                .unwrap_or(" Types of a WIT package the clients use.");
            let contents = child.contents();
            quote! {
                #[doc = #docs]
                pub mod #name {
                    #contents
                }
            }
        });
        quote!(#(#items)* #(#children)*)
    }
}

impl ToTokens for Module {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = &self.name;
        let docs = &self.docs;
        let contents = self.tree.contents();
        let bytes = proc_macro2::Literal::byte_string(self.section.as_bytes());
        let len = self.section.len();
        tokens.extend(quote! {
            #[doc = #docs]
            #[allow(dead_code, unused_imports, clippy::all)]
            pub mod #name {
                #contents

                // What this caller was built against, for `golem-rpc check` (see the README).
                #[cfg(target_family = "wasm")]
                #[unsafe(link_section = "golem-rpc:import")]
                static __GOLEM_RPC_IMPORT: [u8; #len] = *#bytes;
            }
        });
    }
}

/// Where the types of an interface that is not exported go: beside the exported ones for the
/// target's own package, under `ns::pkg::` for other packages.
fn dependency_module(
    resolve: &Resolve,
    id: InterfaceId,
    root: Option<wit_parser::PackageId>,
) -> Vec<Ident> {
    let iface = &resolve.interfaces[id];
    let name = ident(&snake(iface.name.as_deref().unwrap_or("interface")));
    match iface.package {
        Some(package) if Some(package) != root => {
            let package = &resolve.packages[package].name;
            vec![
                ident(&snake(&package.namespace)),
                ident(&snake(&package.name)),
                name,
            ]
        }
        _ => vec![name],
    }
}

fn interface_docs(resolve: &Resolve, id: InterfaceId) -> String {
    let iface = &resolve.interfaces[id];
    let what = resolve
        .id_of(id)
        .or_else(|| iface.name.clone())
        .unwrap_or_default();
    match &iface.docs.contents {
        Some(contents) => contents
            .lines()
            .map(|l| format!(" {l}\n"))
            .collect::<String>()
            .trim_end()
            .to_owned(),
        None => format!(" Types and client of the WIT interface `{what}`."),
    }
}

/// Claims `name` in the namespace of `module`; a collision names both WIT items.
fn claim(
    namespaces: &mut HashMap<Vec<String>, Namespace>,
    module: &[Ident],
    name: &str,
    item: String,
    resolve: &Resolve,
    span: wit_parser::Span,
) -> Result<(), Error> {
    let key = module.iter().map(ToString::to_string).collect();
    namespaces.entry(key).or_default().claim(name, item.clone()).map_err(|previous| {
        Error::at(
            resolve,
            span,
            format!(
                "{item} and {previous} would both be generated as `{name}`; rename one of them in the WIT"
            ),
        )
    })
}

/// The client type of one exported interface (or of the world's functions) and its methods.
fn client(
    types: &Types<'_>,
    exported: &Exported<'_>,
    module: &[Ident],
    namespaces: &mut HashMap<Vec<String>, Namespace>,
) -> Result<TokenStream, Vec<Error>> {
    let resolve = types.resolve;
    let rt = &types.rt;
    let mut errors = Vec::new();
    let resources = match resource_impls(types, exported, module, namespaces) {
        Ok(tokens) => tokens,
        Err(mut errs) => {
            errors.append(&mut errs);
            TokenStream::new()
        }
    };
    let functions: Vec<&Function> = exported
        .functions
        .iter()
        .copied()
        .filter(|f| resource_of(f).is_none())
        .collect();
    if functions.is_empty() {
        return if errors.is_empty() {
            Ok(resources)
        } else {
            Err(errors)
        };
    }
    let name = ident(&exported.client);
    let span = functions.first().map(|f| f.span).unwrap_or_default();
    if let Err(e) = claim(
        namespaces,
        module,
        &exported.client,
        format!("the client of {}", exported.target),
        resolve,
        span,
    ) {
        return Err(vec![e]);
    }

    let mut methods = Namespace::default();
    let constructors: &[&str] = match types.golem_api {
        GolemApi::V1_1 => &["new", "try_new"],
        GolemApi::V1_2 => &[
            "new",
            "try_new",
            "custom",
            "ephemeral",
            "try_ephemeral",
            "custom_ephemeral",
        ],
        GolemApi::V1_3 | GolemApi::V1_4 => &["new", "try_new", "custom"],
    };
    for constructor in constructors {
        methods
            .claim(
                constructor,
                format!("the constructor `{}::{constructor}`", exported.client),
            )
            .expect("a fresh namespace");
    }
    let mut items = Vec::new();
    let mut aliases = Vec::new();
    for function in &functions {
        match method(types, exported, function, module, &mut methods, namespaces) {
            Ok((method, alias)) => {
                items.push(method);
                aliases.extend(alias);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let target = &exported.target;
    let doc =
        format!(" Calls {target} on a remote worker through Golem's `golem:rpc` host interface.");
    let constructors = client_constructors(types);
    Ok(quote! {
        #[doc = #doc]
        pub struct #name {
            target: #rt::Target,
        }

        impl #name {
            #constructors

            #(#items)*
        }

        #(#aliases)*

        #resources
    })
}

/// The ways to make an interface client: from a worker URI (Golem 1.0/1.1), or from a worker
/// name, a worker id or as an ephemeral worker (Golem 1.2).
fn client_constructors(types: &Types<'_>) -> TokenStream {
    let rt = &types.rt;
    match types.golem_api {
        GolemApi::V1_1 => quote! {
            /// A client for the worker at `location` (`urn:worker:{component-id}/{worker-name}`).
            ///
            /// No call is made until a method is called; the worker is created on first use.
            /// Panics if `location` is not a worker URI, as Golem's host traps on one; see `try_new`.
            #[track_caller]
            pub fn new(location: &#rt::Uri) -> Self {
                Self {
                    target: #rt::Target::connect(location),
                }
            }

            /// A client for the worker at `location`, or `Error::InvalidUri` if it is not a
            /// worker URI. The older `worker://{component-id}/{worker-name}` form is accepted.
            pub fn try_new(location: &#rt::Uri) -> #rt::Result<Self, #rt::Error> {
                #rt::Result::Ok(Self {
                    target: #rt::Target::new(location)?,
                })
            }
        },
        GolemApi::V1_2 | GolemApi::V1_3 | GolemApi::V1_4 => {
            let component = &types.component;
            let new_doc = format!(
                " A client for the worker named `worker_name` of component `{component}` (found with \
                 `resolve-component-id`); panics if there is no such component, see `try_new`."
            );
            let try_new_doc = format!(
                " A client for the worker named `worker_name` of component `{component}`, or \
                 `Error::ComponentNotFound`."
            );
            let ephemeral_doc = format!(
                " A client for a new ephemeral worker of component `{component}`: every call through \
                 this client goes to the same worker; panics if there is no such component."
            );
            let ephemeral = types.golem_api.has_ephemeral().then(|| {
                quote! {
                    #[doc = #ephemeral_doc]
                    #[track_caller]
                    pub fn ephemeral() -> Self {
                        Self {
                            target: #rt::Target::ephemeral_named(#component),
                        }
                    }

                    /// Like `ephemeral`, or `Error::ComponentNotFound`.
                    pub fn try_ephemeral() -> #rt::Result<Self, #rt::Error> {
                        #rt::Result::Ok(Self {
                            target: #rt::Target::try_ephemeral_named(#component)?,
                        })
                    }

                    /// A client for a new ephemeral worker of the component `component_id`.
                    pub fn custom_ephemeral(component_id: #rt::ComponentId) -> Self {
                        Self {
                            target: #rt::Target::ephemeral(component_id),
                        }
                    }
                }
            });
            quote! {
                #[doc = #new_doc]
                ///
                /// No call is made until a method is called; the worker is created on first use.
                #[track_caller]
                pub fn new(worker_name: &str) -> Self {
                    Self {
                        target: #rt::Target::named(#component, worker_name),
                    }
                }

                #[doc = #try_new_doc]
                pub fn try_new(worker_name: &str) -> #rt::Result<Self, #rt::Error> {
                    #rt::Result::Ok(Self {
                        target: #rt::Target::try_named(#component, worker_name)?,
                    })
                }

                /// A client for the worker `worker_id` (of any component).
                pub fn custom(worker_id: &#rt::WorkerId) -> Self {
                    Self {
                        target: #rt::Target::worker(worker_id),
                    }
                }

                #ephemeral
            }
        }
    }
}

/// The resource a function belongs to (constructor, method or static), if any.
fn resource_of(function: &Function) -> Option<TypeId> {
    match function.kind {
        FunctionKind::Constructor(id)
        | FunctionKind::Method(id)
        | FunctionKind::Static(id)
        | FunctionKind::AsyncMethod(id)
        | FunctionKind::AsyncStatic(id) => Some(id),
        _ => None,
    }
}

/// One `impl R { .. }` per resource of the interface: its constructor, methods and statics.
fn resource_impls(
    types: &Types<'_>,
    exported: &Exported<'_>,
    module: &[Ident],
    namespaces: &mut HashMap<Vec<String>, Namespace>,
) -> Result<TokenStream, Vec<Error>> {
    let resolve = types.resolve;
    let mut errors = Vec::new();
    let mut by_resource: Vec<(TypeId, Vec<&Function>)> = Vec::new();
    for function in &exported.functions {
        let Some(id) = resource_of(function) else {
            continue;
        };
        match by_resource.iter_mut().find(|(r, _)| *r == id) {
            Some((_, functions)) => functions.push(function),
            None => by_resource.push((id, vec![function])),
        }
    }
    let mut tokens = TokenStream::new();
    for (id, functions) in by_resource {
        let resource = resolve.types[id].name.as_deref().unwrap_or_default();
        let name = ident(&camel(resource));
        let mut methods = Namespace::default();
        let constructors: &[&str] = match types.golem_api {
            GolemApi::V1_1 => &["new", "try_new"],
            GolemApi::V1_2 | GolemApi::V1_3 | GolemApi::V1_4 => {
                &["new", "try_new", "custom", "try_custom"]
            }
        };
        for reserved in constructors.iter().chain(&["drop_remote", "__resource"]) {
            methods
                .claim(reserved, format!("`{}::{reserved}`", camel(resource)))
                .expect("a fresh namespace");
        }
        let mut items = Vec::new();
        let mut aliases = Vec::new();
        for function in functions {
            let generated = match function.kind {
                FunctionKind::Constructor(_) => {
                    constructor(types, exported, function, resource, module).map(|t| (t, None))
                }
                _ => method(types, exported, function, module, &mut methods, namespaces),
            };
            match generated {
                Ok((item, alias)) => {
                    items.push(item);
                    aliases.extend(alias);
                }
                Err(e) => errors.push(e),
            }
        }
        tokens.extend(quote! {
            impl #name {
                #(#items)*
            }

            #(#aliases)*
        });
    }
    if errors.is_empty() {
        Ok(tokens)
    } else {
        Err(errors)
    }
}

/// Who a generated method is called on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Receiver {
    /// An interface's (or the world's) client: `&self`, calls go to `self.target`.
    Client,
    /// A resource method: `&self`, the resource's handle is parameter 0.
    Method,
    /// A resource's static function: `location: &Uri` comes first, there is no handle.
    Static,
}

/// The methods for one function, and the future type alias when it has a result.
fn method(
    types: &Types<'_>,
    exported: &Exported<'_>,
    function: &Function,
    module: &[Ident],
    methods: &mut Namespace,
    namespaces: &mut HashMap<Vec<String>, Namespace>,
) -> Result<(TokenStream, Option<TokenStream>), Error> {
    let resolve = types.resolve;
    let rt = &types.rt;
    let (receiver, resource) = match function.kind {
        FunctionKind::Freestanding => (Receiver::Client, None),
        FunctionKind::Method(id) => (Receiver::Method, Some(id)),
        FunctionKind::Static(id) => (Receiver::Static, Some(id)),
        _ => {
            let what = match function.kind {
                FunctionKind::AsyncFreestanding
                | FunctionKind::AsyncMethod(_)
                | FunctionKind::AsyncStatic(_) => "`async` functions",
                _ => "this kind of function",
            };
            return Err(Error::at(
                resolve,
                function.span,
                format!(
                    "function `{}`: golem-rpc does not support {what} yet",
                    function.name
                ),
            ));
        }
    };
    let wit = function.item_name();
    let resource_name = resource.and_then(|id| resolve.types[id].name.as_deref());
    let wire_ref = match resource_name {
        Some(resource) => format!("{resource}.{wit}"),
        None => wit.to_owned(),
    };
    let wire = match &exported.wire_prefix {
        Some(prefix) => format!("{prefix}.{{{wire_ref}}}"),
        None => wire_ref.clone(),
    };
    let what = match resource_name {
        Some(resource) => format!("`{resource}.{wit}`"),
        None => format!("function `{wit}`"),
    };
    types
        .manifest
        .borrow_mut()
        .push((wire.clone(), crate::signature(resolve, function)));

    // A method's `self` parameter is the handle, sent first; it is not a Rust parameter.
    let skip = usize::from(receiver == Receiver::Method);
    let mut params = Vec::new();
    let mut param_types = Vec::new();
    let mut moved = Vec::new();
    for param in &function.params[skip..] {
        let name = ident(&snake(&param.name));
        let ty = types
            .spell(&param.ty, Mode::Param, module, function.span)
            .map_err(|e| in_function(e, &wire_ref))?;
        if types.is_own_handle(&param.ty) {
            moved.push(name.clone());
        }
        params.push(name);
        param_types.push(ty);
    }
    let result = match &function.result {
        Some(ty) => Some(
            types
                .spell(ty, Mode::Owned, module, function.span)
                .map_err(|e| in_function(e, &wire_ref))?,
        ),
        None => None,
    };
    let ret = result.clone().unwrap_or_else(|| quote!(()));

    let blocking = snake(&format!("blocking-{wit}"));
    let try_blocking = snake(&format!("try-blocking-{wit}"));
    let plain = snake(wit);
    let try_plain = snake(&format!("try-{wit}"));
    let schedule = snake(&format!("schedule-{wit}"));
    let schedule_cancelable = snake(&format!("schedule-cancelable-{wit}"));
    // Golem 1.2 schedules calls; a static function has no worker to schedule on before its call.
    let schedules = types.golem_api.by_name() && receiver != Receiver::Static;
    let mut names = vec![&blocking, &try_blocking, &plain];
    if result.is_none() {
        names.push(&try_plain);
    }
    if schedules {
        names.push(&schedule);
        names.push(&schedule_cancelable);
    }
    for name in names {
        methods.claim(name, what.clone()).map_err(|previous| {
            Error::at(
                resolve,
                function.span,
                format!(
                    "{what} needs a method `{name}`, which {previous} already generates; rename one of them in the WIT"
                ),
            )
        })?;
    }
    let (blocking, try_blocking, plain, try_plain) = (
        ident(&blocking),
        ident(&try_blocking),
        ident(&plain),
        ident(&try_plain),
    );

    let (signature, forward, target, target_or_panic) = match receiver {
        Receiver::Client => (
            quote!(&self, #(#params: #param_types),*),
            quote!(self.),
            quote!(&self.target),
            quote!(&self.target),
        ),
        Receiver::Method => (
            quote!(&self, #(#params: #param_types),*),
            quote!(self.),
            quote!(self.resource.target()),
            quote!(self.resource.target()),
        ),
        Receiver::Static => match types.golem_api {
            GolemApi::V1_1 => (
                quote!(location: &#rt::Uri, #(#params: #param_types),*),
                quote!(Self::),
                quote!(&#rt::Target::new(location)?),
                quote!(&#rt::Target::connect(location)),
            ),
            GolemApi::V1_2 | GolemApi::V1_3 | GolemApi::V1_4 => {
                let component = &types.component;
                (
                    quote!(worker_name: &str, #(#params: #param_types),*),
                    quote!(Self::),
                    quote!(&#rt::Target::try_named(#component, worker_name)?),
                    quote!(&#rt::Target::named(#component, worker_name)),
                )
            }
        },
    };
    let forward_args = match (receiver, types.golem_api) {
        (Receiver::Static, GolemApi::V1_1) => quote!(location, #(#params),*),
        (Receiver::Static, GolemApi::V1_2 | GolemApi::V1_3 | GolemApi::V1_4) => {
            quote!(worker_name, #(#params),*)
        }
        _ => quote!(#(#params),*),
    };
    // Golem sends named results (Golem 1.0/1.1 WIT) as the values themselves, not one tuple.
    let (invoke_and_await, async_invoke_and_await) =
        if types.named_results.contains(resolve, function) {
            (
                quote!(invoke_and_await_named),
                quote!(async_invoke_and_await_named),
            )
        } else {
            (quote!(invoke_and_await), quote!(async_invoke_and_await))
        };
    let handle = (receiver == Receiver::Method).then(|| quote!(self.resource.handle(),));
    let encoded = quote!(&[#handle #(#rt::encode(&#params)),*]);
    // Resources passed as `own<R>` now belong to the callee: their handles must not drop them.
    let release = quote!(#(#moved.__resource().release();)*);
    let wit_docs = function_docs(function);
    let blocking_doc =
        format!(" Calls `{wire}` and waits for its result; panics if the call fails.");
    let try_blocking_doc = format!(" Calls `{wire}` and waits for its result.");
    let descriptor = descriptor(
        types,
        function,
        &shouty(wit),
        &wire,
        module,
        result.is_some(),
    )?;
    let mut tokens = quote! {
        #descriptor

        #wit_docs
        #[doc = #blocking_doc]
        #[track_caller]
        pub fn #blocking(#signature) -> #ret {
            match #forward #try_blocking(#forward_args) {
                #rt::Result::Ok(__value) => __value,
                #rt::Result::Err(__error) => #rt::fail("invoke-and-await", #wire, &__error),
            }
        }

        #wit_docs
        #[doc = #try_blocking_doc]
        pub fn #try_blocking(#signature) -> #rt::Result<#ret, #rt::Error> {
            let __result = #rt::#invoke_and_await(#target, #wire, #encoded);
            if __result.is_ok() {
                #release
            }
            __result
        }
    };

    let alias = match &result {
        Some(result) => {
            let future_name = match resource_name {
                Some(resource) => format!("Future{}{}Result", camel(resource), camel(wit)),
                None => format!("Future{}Result", camel(wit)),
            };
            claim(
                namespaces,
                module,
                &future_name,
                format!("the future type of {what}"),
                resolve,
                function.span,
            )?;
            let future = format_ident!("{}", future_name);
            let doc =
                format!(" Starts `{wire}` without waiting; the returned future yields its result.");
            tokens.extend(quote! {
                #wit_docs
                #[doc = #doc]
                #[track_caller]
                pub fn #plain(#signature) -> #future {
                    let __future = #rt::#async_invoke_and_await(#target_or_panic, #wire, #encoded);
                    #release
                    __future
                }
            });
            let alias_doc = format!(
                " The pending result of `{wire}`: `subscribe()` to wait, `get()`/`try_get()` to take it."
            );
            Some(quote! {
                #[doc = #alias_doc]
                pub type #future = #rt::FutureResult<#result>;
            })
        }
        None => {
            let doc = format!(
                " Sends `{wire}` without waiting for it to run (fire-and-forget); panics if it cannot be sent."
            );
            let try_doc =
                format!(" Sends `{wire}` without waiting for it to run (fire-and-forget).");
            tokens.extend(quote! {
                #wit_docs
                #[doc = #doc]
                #[track_caller]
                pub fn #plain(#signature) {
                    if let #rt::Result::Err(__error) = #forward #try_plain(#forward_args) {
                        #rt::fail("invoke", #wire, &__error)
                    }
                }

                #wit_docs
                #[doc = #try_doc]
                pub fn #try_plain(#signature) -> #rt::Result<(), #rt::Error> {
                    let __result = #rt::invoke(#target, #wire, #encoded);
                    if __result.is_ok() {
                        #release
                    }
                    __result
                }
            });
            None
        }
    };
    if schedules {
        let (schedule, schedule_cancelable) = (ident(&schedule), ident(&schedule_cancelable));
        let signature =
            quote!(&self, #(#params: #param_types,)* at: impl ::core::convert::Into<#rt::Datetime>);
        let doc = format!(
            " Schedules `{wire}` to run on the worker at `at` (wall-clock time; a time in the past \
             runs it at once); the call's result is discarded."
        );
        let cancelable_doc = format!(
            " Schedules `{wire}` like `{schedule}`; `cancel()` on the returned token before `at` \
             keeps it from running (dropping the token does not)."
        );
        tokens.extend(quote! {
            #wit_docs
            #[doc = #doc]
            pub fn #schedule(#signature) {
                #rt::schedule_invocation(#target_or_panic, #wire, #encoded, at.into());
                #release
            }

            #wit_docs
            #[doc = #cancelable_doc]
            pub fn #schedule_cancelable(#signature) -> #rt::CancellationToken {
                let __token = #rt::schedule_cancelable_invocation(#target_or_panic, #wire, #encoded, at.into());
                #release
                __token
            }
        });
    }
    Ok((tokens, alias))
}

/// The constructor of resource `resource`: `new(location, params..)` and `try_new`.
fn constructor(
    types: &Types<'_>,
    exported: &Exported<'_>,
    function: &Function,
    resource: &str,
    module: &[Ident],
) -> Result<TokenStream, Error> {
    let rt = &types.rt;
    let prefix = exported.wire_prefix.as_deref().unwrap_or_default();
    let wire = format!("{prefix}.{{{resource}.new}}");
    let drop_wire = format!("{prefix}.{{{resource}.drop}}");
    types
        .manifest
        .borrow_mut()
        .push((wire.clone(), crate::signature(types.resolve, function)));
    let mut params = Vec::new();
    let mut param_types = Vec::new();
    let mut moved = Vec::new();
    for param in &function.params {
        let name = ident(&snake(&param.name));
        param_types.push(
            types
                .spell(&param.ty, Mode::Param, module, function.span)
                .map_err(|e| in_function(e, &format!("{resource}.new")))?,
        );
        if types.is_own_handle(&param.ty) {
            moved.push(name.clone());
        }
        params.push(name);
    }
    let wit_docs = function_docs(function);
    let descriptor = {
        let doc = format!(
            " `{wire}` as a typed descriptor (its parameters, and the handle it returns), for \
             `golem_rpc::testing` fakes."
        );
        let wire_params = function
            .params
            .iter()
            .map(|p| types.spell(&p.ty, Mode::Wire, module, function.span))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| in_function(e, &format!("{resource}.new")))?;
        quote! {
            #[doc = #doc]
            pub const NEW: #rt::Function<(#(#wire_params,)*), #rt::Handle> = #rt::Function::new(#wire);
        }
    };
    let encoded = quote!(&[#(#rt::encode(&#params)),*]);
    let release = quote!(#(#moved.__resource().release();)*);
    let construct = |target: TokenStream| {
        quote! {
            let __resource = #rt::RemoteResource::construct_on(#target, #wire, #drop_wire, #encoded)?;
            #release
            #rt::Result::Ok(Self { resource: __resource })
        }
    };
    Ok(match types.golem_api {
        GolemApi::V1_1 => {
            let doc = format!(
                " Creates the resource in the worker at `location` (`{wire}`); panics if that fails, see `try_new`."
            );
            let try_doc = format!(" Creates the resource in the worker at `location` (`{wire}`).");
            quote! {
                #descriptor

                #wit_docs
                #[doc = #doc]
                #[track_caller]
                pub fn new(location: &#rt::Uri, #(#params: #param_types),*) -> Self {
                    match Self::try_new(location, #(#params),*) {
                        #rt::Result::Ok(__value) => __value,
                        #rt::Result::Err(__error) => #rt::fail("invoke-and-await", #wire, &__error),
                    }
                }

                #wit_docs
                #[doc = #try_doc]
                pub fn try_new(location: &#rt::Uri, #(#params: #param_types),*) -> #rt::Result<Self, #rt::Error> {
                    let __resource = #rt::RemoteResource::construct(
                        location,
                        #wire,
                        #drop_wire,
                        #encoded,
                    )?;
                    #release
                    #rt::Result::Ok(Self { resource: __resource })
                }
            }
        }
        GolemApi::V1_2 | GolemApi::V1_3 | GolemApi::V1_4 => {
            let component = &types.component;
            let doc = format!(
                " Creates the resource in the worker named `worker_name` of component `{component}` \
                 (`{wire}`); panics if that fails, see `try_new`."
            );
            let try_doc = format!(
                " Creates the resource in the worker named `worker_name` of component `{component}` (`{wire}`)."
            );
            let custom_doc = format!(
                " Creates the resource in the worker `worker_id` (`{wire}`); panics if that fails, see `try_custom`."
            );
            let try_custom_doc =
                format!(" Creates the resource in the worker `worker_id` (`{wire}`).");
            let by_name = construct(quote!(#rt::Target::try_named(#component, worker_name)?));
            let by_id = construct(quote!(#rt::Target::worker(worker_id)));
            quote! {
                #descriptor

                #wit_docs
                #[doc = #doc]
                #[track_caller]
                pub fn new(worker_name: &str, #(#params: #param_types),*) -> Self {
                    match Self::try_new(worker_name, #(#params),*) {
                        #rt::Result::Ok(__value) => __value,
                        #rt::Result::Err(__error) => #rt::fail("invoke-and-await", #wire, &__error),
                    }
                }

                #wit_docs
                #[doc = #try_doc]
                pub fn try_new(worker_name: &str, #(#params: #param_types),*) -> #rt::Result<Self, #rt::Error> {
                    #by_name
                }

                #wit_docs
                #[doc = #custom_doc]
                #[track_caller]
                pub fn custom(worker_id: &#rt::WorkerId, #(#params: #param_types),*) -> Self {
                    match Self::try_custom(worker_id, #(#params),*) {
                        #rt::Result::Ok(__value) => __value,
                        #rt::Result::Err(__error) => #rt::fail("invoke-and-await", #wire, &__error),
                    }
                }

                #wit_docs
                #[doc = #try_custom_doc]
                pub fn try_custom(worker_id: &#rt::WorkerId, #(#params: #param_types),*) -> #rt::Result<Self, #rt::Error> {
                    #by_id
                }
            }
        }
    })
}

/// `pub const F: Function<(params…), R>`: the function as a typed descriptor, which
/// `golem_rpc::testing` fakes answer (parameters as sent, a method's handle first).
fn descriptor(
    types: &Types<'_>,
    function: &Function,
    name: &str,
    wire: &str,
    module: &[Ident],
    has_result: bool,
) -> Result<TokenStream, Error> {
    let rt = &types.rt;
    let params = function
        .params
        .iter()
        .map(|p| types.spell(&p.ty, Mode::Wire, module, function.span))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| in_function(e, wire))?;
    let result = match (&function.result, has_result) {
        (Some(ty), true) => types
            .spell(ty, Mode::Wire, module, function.span)
            .map_err(|e| in_function(e, wire))?,
        _ => quote!(()),
    };
    let name = format_ident!("{}", name);
    let doc = format!(" `{wire}` as a typed descriptor, for `golem_rpc::testing` fakes.");
    Ok(quote! {
        #[doc = #doc]
        pub const #name: #rt::Function<(#(#params,)*), #result> = #rt::Function::new(#wire);
    })
}

/// The function's WIT docs followed by an empty line, or nothing; generated docs follow.
fn function_docs(function: &Function) -> Option<TokenStream> {
    function.docs.contents.as_deref().map(|d| {
        let lines = d.lines().map(|l| format!(" {l}"));
        quote!(#(#[doc = #lines])* #[doc = ""])
    })
}

fn in_function(error: Error, function: &str) -> Error {
    Error {
        message: format!("function `{function}`: {}", error.message),
        location: error.location,
    }
}
