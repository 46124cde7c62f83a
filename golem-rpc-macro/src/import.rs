//! `import!("path")` / `import!({ key: value, .. })`: parse, load the WIT, generate, and track
//! the files read.

use std::path::{Path, PathBuf};

use golem_rpc_codegen::ExportNames;
use golem_rpc_codegen::application::{self, Membership};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitBool, LitStr, Token, bracketed};
use wit_parser::Resolve;

mod kw {
    syn::custom_keyword!(path);
    syn::custom_keyword!(inline);
    syn::custom_keyword!(world);
    syn::custom_keyword!(module);
    syn::custom_keyword!(only);
    syn::custom_keyword!(additional_derives);
    syn::custom_keyword!(runtime_path);
    syn::custom_keyword!(component);
    syn::custom_keyword!(exports);
    syn::custom_keyword!(wit_deps);
    syn::custom_keyword!(debug);
}

/// Where the target's WIT comes from.
enum Source {
    /// A WIT file or directory, relative to the calling crate's `Cargo.toml`.
    Path(LitStr),
    /// WIT text written in the macro call (handy for tests).
    Inline(LitStr),
}

/// The parsed macro input.
pub struct Import {
    source: Source,
    world: Option<LitStr>,
    module: Option<Ident>,
    only: Option<Vec<LitStr>>,
    additional_derives: Vec<syn::Path>,
    runtime_path: Option<syn::Path>,
    component: Option<LitStr>,
    exports: Option<LitStr>,
    wit_deps: Option<Vec<LitStr>>,
    debug: bool,
}

/// One `key: value` of the braced form, with the key's span for errors.
enum Opt {
    Path(LitStr),
    Inline(LitStr),
    World(LitStr),
    Module(Ident),
    Only(Vec<LitStr>),
    AdditionalDerives(Vec<syn::Path>),
    RuntimePath(syn::Path),
    Component(LitStr),
    Exports(LitStr),
    WitDeps(Vec<LitStr>),
    Debug(LitBool),
}

impl Opt {
    fn name(&self) -> &'static str {
        match self {
            Opt::Path(_) => "path",
            Opt::Inline(_) => "inline",
            Opt::World(_) => "world",
            Opt::Module(_) => "module",
            Opt::Only(_) => "only",
            Opt::AdditionalDerives(_) => "additional_derives",
            Opt::RuntimePath(_) => "runtime_path",
            Opt::Component(_) => "component",
            Opt::Exports(_) => "exports",
            Opt::WitDeps(_) => "wit_deps",
            Opt::Debug(_) => "debug",
        }
    }
}

/// Parses the value after `key:`, turning syn's generic error into one that names the option
/// and shows an example.
fn value<T: Parse>(input: ParseStream<'_>, option: &str, example: &str) -> syn::Result<T> {
    let span = input.span();
    input
        .parse()
        .map_err(|_| syn::Error::new(span, format!("`{option}` expects {example}")))
}

fn list<T: Parse>(input: ParseStream<'_>, option: &str, example: &str) -> syn::Result<Vec<T>> {
    let span = input.span();
    let content;
    bracketed!(content in input);
    let items: Punctuated<T, Token![,]> = Punctuated::parse_terminated(&content)
        .map_err(|_| syn::Error::new(span, format!("`{option}` expects {example}")))?;
    Ok(items.into_iter().collect())
}

impl Parse for Opt {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let l = input.lookahead1();
        macro_rules! key {
            ($kw:ident) => {{
                input.parse::<kw::$kw>()?;
                input.parse::<Token![:]>()?;
            }};
        }
        if l.peek(kw::path) {
            key!(path);
            Ok(Opt::Path(value(
                input,
                "path",
                "a string: the target's WIT file or directory, e.g. `\"../counter/wit\"`",
            )?))
        } else if l.peek(kw::inline) {
            key!(inline);
            Ok(Opt::Inline(value(input, "inline", "a string of WIT text")?))
        } else if l.peek(kw::world) {
            key!(world);
            Ok(Opt::World(value(
                input,
                "world",
                "a string naming a world of the target package, e.g. `\"counter\"`",
            )?))
        } else if l.peek(kw::module) {
            key!(module);
            Ok(Opt::Module(value(
                input,
                "module",
                "an identifier for the generated module, e.g. `counter_v2`",
            )?))
        } else if l.peek(kw::only) {
            key!(only);
            Ok(Opt::Only(list(
                input,
                "only",
                "a list of export names, e.g. `[\"api\", \"other.get\"]`",
            )?))
        } else if l.peek(kw::additional_derives) {
            key!(additional_derives);
            Ok(Opt::AdditionalDerives(list(
                input,
                "additional_derives",
                "a list of derive paths, e.g. `[Eq, serde::Serialize]`",
            )?))
        } else if l.peek(kw::runtime_path) {
            key!(runtime_path);
            Ok(Opt::RuntimePath(value(
                input,
                "runtime_path",
                "a path to the golem-rpc runtime crate, e.g. `my_crate::golem_rpc` (not a string)",
            )?))
        } else if l.peek(kw::component) {
            key!(component);
            Ok(Opt::Component(value(
                input,
                "component",
                "a string: the name the target component is deployed under, e.g. `\"counter\"`",
            )?))
        } else if l.peek(kw::exports) {
            key!(exports);
            Ok(Opt::Exports(value(
                input,
                "exports",
                "`\"golem-app\"` (the target is built by golem-cli's application build, which moves its \
                 exports to `ns:name-exports`) or `\"as-written\"` (built from its WIT as it is)",
            )?))
        } else if l.peek(kw::wit_deps) {
            key!(wit_deps);
            Ok(Opt::WitDeps(list(
                input,
                "wit_deps",
                "a list of directories of WIT packages, e.g. `[\"../wit-deps\"]`",
            )?))
        } else if l.peek(kw::debug) {
            key!(debug);
            Ok(Opt::Debug(value(input, "debug", "`true` or `false`")?))
        } else {
            Err(l.error())
        }
    }
}

impl Parse for Import {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut import = Import {
            source: Source::Path(LitStr::new("", Span::call_site())),
            world: None,
            module: None,
            only: None,
            additional_derives: Vec::new(),
            runtime_path: None,
            component: None,
            exports: None,
            wit_deps: None,
            debug: false,
        };
        if input.peek(LitStr) {
            import.source = Source::Path(input.parse()?);
            if !input.is_empty() {
                return Err(input.error(
                    "unexpected tokens after the WIT path; use the braced form `import!({ path: \"..\", world: \"..\" })` for options",
                ));
            }
            return Ok(import);
        }
        if !input.peek(syn::token::Brace) {
            return Err(input.error(
                "expected the path of the target's WIT as a string literal, e.g. `import!(\"../counter/wit\")`, \
                 or options in braces, e.g. `import!({ path: \"../counter/wit\" })`",
            ));
        }
        let content;
        let braces = syn::braced!(content in input);
        let mut seen: Vec<&'static str> = Vec::new();
        let mut source = None;
        while !content.is_empty() {
            let key_span = content.span();
            let opt: Opt = content.parse()?;
            let name = opt.name();
            if seen.contains(&name) {
                return Err(syn::Error::new(
                    key_span,
                    format!("`{name}` is given twice"),
                ));
            }
            seen.push(name);
            match opt {
                Opt::Path(_) | Opt::Inline(_) if source.is_some() => {
                    return Err(syn::Error::new(
                        key_span,
                        "the target's WIT is given twice: use either `path` or `inline`",
                    ));
                }
                Opt::Path(path) => source = Some(Source::Path(path)),
                Opt::Inline(wit) => source = Some(Source::Inline(wit)),
                Opt::World(world) => import.world = Some(world),
                Opt::Module(module) => import.module = Some(module),
                Opt::Only(only) => import.only = Some(only),
                Opt::AdditionalDerives(derives) => import.additional_derives = derives,
                Opt::RuntimePath(path) => import.runtime_path = Some(path),
                Opt::Component(component) => import.component = Some(component),
                Opt::Exports(exports) => import.exports = Some(exports),
                Opt::WitDeps(dirs) => import.wit_deps = Some(dirs),
                Opt::Debug(debug) => import.debug = debug.value,
            }
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        import.source = source.ok_or_else(|| {
            syn::Error::new(
                braces.span.join(),
                "missing the target's WIT: add `path: \"..\"` (a WIT file or directory) or `inline: \"..\"` (WIT text)",
            )
        })?;
        Ok(import)
    }
}

impl Import {
    /// The generated clients, plus one `include_bytes!` per WIT file read so that editing any
    /// of them rebuilds the caller.
    pub fn expand(&self) -> syn::Result<TokenStream> {
        if let (false, Some(component)) = (cfg!(feature = "golem-1-2"), &self.component) {
            return Err(syn::Error::new(
                component.span(),
                "`component` names the target for Golem 1.2 clients (golem-rpc's `golem-1-2` \
                 feature), which connect by worker name; Golem 1.0/1.1 clients connect to a worker \
                 URI and need no component name",
            ));
        }
        let explicit_exports = self.export_names()?;
        let mut resolve = Resolve::default();
        let mut target = Target {
            exports: explicit_exports.unwrap_or_default(),
            component: None,
            manifests: Vec::new(),
        };
        let (span, loaded) = match &self.source {
            Source::Path(path) => {
                let span = path.span();
                let wit = self.resolve_path(path)?;
                let wit_deps = self.in_application(path, &wit, explicit_exports, &mut target)?;
                let shipped = golem_rpc_codegen::shipped::shipped(golem_api());
                let loaded =
                    golem_rpc_codegen::load_path_with_deps(&mut resolve, &wit, &wit_deps, shipped)
                        .map_err(|e| wit_error(span, &e))?;
                (span, loaded)
            }
            Source::Inline(wit) => {
                let span = wit.span();
                let loaded = golem_rpc_codegen::load_str(&mut resolve, "inline.wit", &wit.value())
                    .map_err(|e| wit_error(span, &e))?;
                (span, loaded)
            }
        };
        let golem_rpc_codegen::Loaded {
            package,
            files,
            named_results,
        } = loaded;
        let world_name = self.world.as_ref().map(LitStr::value);
        let world = golem_rpc_codegen::select_world(&resolve, package, world_name.as_deref())
            .map_err(|message| {
                syn::Error::new(self.world.as_ref().map_or(span, LitStr::span), message)
            })?;
        let only: Option<Vec<String>> = self
            .only
            .as_ref()
            .map(|o| o.iter().map(LitStr::value).collect());
        if let (Some(entries), Some(literals)) = (&only, &self.only) {
            let unknown = golem_rpc_codegen::check_only(&resolve, world, entries);
            if let Some(error) = combine(
                unknown
                    .into_iter()
                    .map(|(i, m)| syn::Error::new(literals[i].span(), m)),
            ) {
                return Err(error);
            }
        }
        let opts = golem_rpc_codegen::Opts {
            runtime_path: self
                .runtime_path
                .clone()
                .unwrap_or_else(|| syn::parse_quote!(::golem_rpc)),
            additional_derives: self.additional_derives.clone(),
            only,
            module: self.module.as_ref().map(ToString::to_string),
            wit_digest: self.digest(&files),
            named_results,
            golem_api: golem_api(),
            component: self
                .component
                .as_ref()
                .map(LitStr::value)
                .or(target.component.filter(|_| cfg!(feature = "golem-1-2"))),
            exports: target.exports,
        };
        let clients = golem_rpc_codegen::generate(&resolve, world, &opts).map_err(|errors| {
            combine(errors.iter().map(|e| syn::Error::new(span, e)))
                .expect("codegen reports at least one error")
        })?;
        let clients = if self.debug || std::env::var_os("GOLEM_RPC_DEBUG").is_some_and(|v| v != "0")
        {
            debug_include(&clients, &opts, &resolve, world)?
        } else {
            clients
        };
        let tracked = files.iter().chain(&target.manifests).map(|p| {
            let p = p.display().to_string();
            quote!(
                const _: &[u8] = include_bytes!(#p);
            )
        });
        Ok(quote! {
            #clients
            #(#tracked)*
        })
    }

    /// FNV-1a 64 over the WIT read (files sorted by path), recorded for `golem-rpc check`.
    fn digest(&self, files: &[PathBuf]) -> u64 {
        use golem_rpc_codegen::{FNV_OFFSET, fnv1a};
        match &self.source {
            Source::Inline(wit) => fnv1a(FNV_OFFSET, wit.value().as_bytes()),
            Source::Path(_) => {
                let mut sorted = files.to_vec();
                sorted.sort();
                sorted.iter().fold(FNV_OFFSET, |hash, file| {
                    fnv1a(hash, &std::fs::read(file).unwrap_or_default())
                })
            }
        }
    }

    /// The `exports` option, if given.
    fn export_names(&self) -> syn::Result<Option<ExportNames>> {
        let Some(exports) = &self.exports else {
            return Ok(None);
        };
        match exports.value().as_str() {
            "golem-app" => Ok(Some(ExportNames::GolemApp)),
            "as-written" => Ok(Some(ExportNames::AsWritten)),
            other => Err(syn::Error::new(
                exports.span(),
                format!(
                    "unknown `exports: \"{other}\"`: use `\"golem-app\"` (the target is built by \
                     golem-cli's application build, which moves its exports to `ns:name-exports`) \
                     or `\"as-written\"` (built from its WIT as it is)"
                ),
            )),
        }
    }

    /// When the target's WIT (`wit`, given as `path`) belongs to a Golem application, takes from
    /// its manifests what golem-cli's build does with the target (unless options say otherwise)
    /// and returns the directories its WIT dependencies come from.
    fn in_application(
        &self,
        path: &LitStr,
        wit: &Path,
        explicit_exports: Option<ExportNames>,
        target: &mut Target,
    ) -> syn::Result<Vec<PathBuf>> {
        let base = manifest_dir();
        let explicit_deps = self.wit_deps.as_ref().map(|dirs| {
            dirs.iter()
                .map(|d| base.join(d.value()))
                .collect::<Vec<_>>()
        });
        let app = application::find(wit).map_err(|e| {
            syn::Error::new(
                path.span(),
                format!(
                    "the target's WIT lies in a Golem application whose manifest cannot be read: {e}"
                ),
            )
        })?;
        let Some(app) = app else {
            return Ok(explicit_deps.unwrap_or_default());
        };
        target.manifests.clone_from(&app.manifests);
        let wit_deps = explicit_deps.unwrap_or_else(|| app.wit_deps.clone());
        match (app.membership(wit), explicit_exports) {
            (Membership::Component(component), exports) => {
                target.exports = exports.unwrap_or(ExportNames::GolemApp);
                target.component = Some(component.name.clone());
            }
            (_, Some(exports)) => target.exports = exports,
            (membership, None) => {
                let why = match membership {
                    Membership::Several(components) => format!(
                        "the components {} all name it as their `sourceWit`",
                        components
                            .iter()
                            .map(|c| format!("`{}` ({})", c.name, c.manifest.display()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    _ => "no component of it names this directory as its `sourceWit`".to_string(),
                };
                return Err(syn::Error::new(
                    path.span(),
                    format!(
                        "the target's WIT `{}` lies in the Golem application of {}, but {why}, so \
                         golem-rpc cannot tell how the deployed component names its exports: add \
                         `exports: \"golem-app\"` if golem-cli builds the target from this WIT \
                         (its exports move to `ns:name-exports`) or `exports: \"as-written\"` if \
                         it is built from this WIT as it is (and, for Golem 1.2 clients, \
                         `component: \"..\"`, the name it is deployed under)",
                        wit.display(),
                        app.root.display()
                    ),
                ));
            }
        }
        Ok(wit_deps)
    }

    fn resolve_path(&self, path: &LitStr) -> syn::Result<PathBuf> {
        let base = manifest_dir();
        let given = path.value();
        let joined = base.join(&given);
        joined.canonicalize().map_err(|_| {
            syn::Error::new(
                path.span(),
                format!(
                    "WIT path `{given}` does not exist: looked for `{}` (paths are relative to the crate's \
                     Cargo.toml directory `{}`)",
                    joined.display(),
                    base.display()
                ),
            )
        })
    }
}

/// The calling crate's directory, which relative paths start from.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// What the target's Golem application (if any) and the options say about the deployed target.
struct Target {
    exports: ExportNames,
    /// The component's name in its application manifest.
    component: Option<String>,
    /// The manifests read, tracked like the WIT files.
    manifests: Vec<PathBuf>,
}

/// Writes the formatted expansion to a file and expands to `include!` of it, so rustc errors
/// in generated code point at real lines.
fn debug_include(
    clients: &TokenStream,
    opts: &golem_rpc_codegen::Opts,
    resolve: &Resolve,
    world: wit_parser::WorldId,
) -> syn::Result<TokenStream> {
    let file = syn::parse2::<syn::File>(clients.clone()).map_err(|e| {
        syn::Error::new(
            Span::call_site(),
            format!("generated code does not parse: {e}"),
        )
    })?;
    let module = opts
        .module
        .clone()
        .unwrap_or_else(|| golem_rpc_codegen::module_name(resolve, world));
    let dir = Path::new(env!("DEBUG_OUTPUT_DIR"));
    let path = dir.join(format!("golem-rpc-{module}.rs"));
    std::fs::write(&path, prettyplease::unparse(&file)).map_err(|e| {
        syn::Error::new(
            Span::call_site(),
            format!(
                "cannot write the debug expansion to {}: {e}",
                path.display()
            ),
        )
    })?;
    let path = path.display().to_string();
    Ok(quote!(include!(#path);))
}

fn combine(errors: impl Iterator<Item = syn::Error>) -> Option<syn::Error> {
    errors.reduce(|mut all, e| {
        all.combine(e);
        all
    })
}

/// A WIT loading error, rendered by wit-parser with its `file:line:col` and source line.
fn wit_error(span: Span, rendered: &str) -> syn::Error {
    syn::Error::new(span, format!("failed to load the target's WIT: {rendered}"))
}

/// The Golem host API the clients are built for (golem-rpc's `golem-1-2` / `golem-1-3` /
/// `golem-1-4` features choose; each implies the one before, whose client surface it keeps).
fn golem_api() -> golem_rpc_codegen::GolemApi {
    if cfg!(feature = "golem-1-4") {
        golem_rpc_codegen::GolemApi::V1_4
    } else if cfg!(feature = "golem-1-3") {
        golem_rpc_codegen::GolemApi::V1_3
    } else if cfg!(feature = "golem-1-2") {
        golem_rpc_codegen::GolemApi::V1_2
    } else {
        golem_rpc_codegen::GolemApi::V1_1
    }
}
