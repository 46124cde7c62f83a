//! `import!("path")`: parse, load the WIT, generate, and track the files read.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Token};
use wit_parser::Resolve;

mod kw {
    syn::custom_keyword!(path);
    syn::custom_keyword!(inline);
    syn::custom_keyword!(world);
}

/// Where the target's WIT comes from.
enum Source {
    /// A WIT file or directory, relative to the calling crate's `Cargo.toml`.
    Path(LitStr),
    /// WIT text written in the macro call (handy for tests).
    Inline(LitStr),
}

/// The parsed macro input: `import!("path")` or `import!({ key: value, .. })`.
pub struct Import {
    source: Source,
    world: Option<LitStr>,
}

/// One `key: value` of the braced form.
enum Opt {
    Path(kw::path, LitStr),
    Inline(kw::inline, LitStr),
    World(kw::world, LitStr),
}

impl Parse for Opt {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let lookahead = input.lookahead1();
        if lookahead.peek(kw::path) {
            let key = input.parse()?;
            input.parse::<Token![:]>()?;
            Ok(Opt::Path(key, input.parse()?))
        } else if lookahead.peek(kw::inline) {
            let key = input.parse()?;
            input.parse::<Token![:]>()?;
            Ok(Opt::Inline(key, input.parse()?))
        } else if lookahead.peek(kw::world) {
            let key = input.parse()?;
            input.parse::<Token![:]>()?;
            Ok(Opt::World(key, input.parse()?))
        } else {
            Err(lookahead.error())
        }
    }
}

impl Parse for Import {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) {
            let path = input.parse()?;
            if !input.is_empty() {
                return Err(input.error(
                    "unexpected tokens after the WIT path; use the braced form `import!({ path: \"..\", world: \"..\" })` for options",
                ));
            }
            return Ok(Import {
                source: Source::Path(path),
                world: None,
            });
        }
        if !input.peek(syn::token::Brace) {
            return Err(input.error(
                "expected the path of the target's WIT as a string literal, e.g. `import!(\"../counter/wit\")`, \
                 or options in braces, e.g. `import!({ path: \"../counter/wit\" })`",
            ));
        }
        let content;
        let braces = syn::braced!(content in input);
        let opts = content.parse_terminated(Opt::parse, Token![,])?;
        let mut source: Option<Source> = None;
        let mut world = None;
        for opt in opts {
            match opt {
                Opt::Path(key, value) => set_source(&mut source, key.span, Source::Path(value))?,
                Opt::Inline(key, value) => {
                    set_source(&mut source, key.span, Source::Inline(value))?
                }
                Opt::World(key, value) => {
                    if world.replace(value).is_some() {
                        return Err(syn::Error::new(key.span, "`world` is given twice"));
                    }
                }
            }
        }
        let source = source.ok_or_else(|| {
            syn::Error::new(
                braces.span.join(),
                "missing the target's WIT: add `path: \"..\"` (a WIT file or directory) or `inline: \"..\"` (WIT text)",
            )
        })?;
        Ok(Import { source, world })
    }
}

fn set_source(source: &mut Option<Source>, span: Span, new: Source) -> syn::Result<()> {
    if source.replace(new).is_some() {
        return Err(syn::Error::new(
            span,
            "the target's WIT is given twice: use either one `path` or one `inline`",
        ));
    }
    Ok(())
}

impl Import {
    /// The generated clients, plus one `include_bytes!` per WIT file read so that editing any
    /// of them rebuilds the caller.
    pub fn expand(&self) -> syn::Result<TokenStream> {
        let mut resolve = Resolve::default();
        let (span, package, files) = match &self.source {
            Source::Path(path) => {
                let span = path.span();
                let (package, sources) = resolve
                    .push_path(self.resolve_path(path)?)
                    .map_err(|e| wit_error(span, &resolve, &e))?;
                (
                    span,
                    package,
                    sources.paths().map(Path::to_path_buf).collect(),
                )
            }
            Source::Inline(wit) => {
                let span = wit.span();
                let package = resolve
                    .push_str("inline.wit", &wit.value())
                    .map_err(|e| wit_error(span, &resolve, &e))?;
                (span, package, Vec::new())
            }
        };
        let world = self.world.as_ref().map(LitStr::value);
        let world_span = self.world.as_ref().map_or(span, LitStr::span);
        let world = resolve
            .select_world(&[package], world.as_deref())
            .map_err(|e| wit_error(world_span, &resolve, &e))?;
        let opts = golem_rpc_codegen::Opts::default();
        let clients = golem_rpc_codegen::generate(&resolve, world, &opts).map_err(|errors| {
            errors
                .iter()
                .map(|e| syn::Error::new(span, e))
                .reduce(|mut all, e| {
                    all.combine(e);
                    all
                })
                .expect("codegen reports at least one error")
        })?;
        let tracked = files.iter().map(|p| {
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

    fn resolve_path(&self, path: &LitStr) -> syn::Result<PathBuf> {
        let base = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_default();
        let given = path.value();
        let joined = base.join(&given);
        match joined.canonicalize() {
            Ok(path) => Ok(path),
            Err(_) => Err(syn::Error::new(
                path.span(),
                format!(
                    "WIT path `{given}` does not exist: looked for `{}` (paths are relative to the crate's \
                     Cargo.toml directory `{}`)",
                    joined.display(),
                    Path::new(&base).display()
                ),
            )),
        }
    }
}

/// A wit-parser error with its whole cause chain; parse and resolve errors are rendered with
/// their `file:line:col` and the offending source line.
fn wit_error(span: Span, resolve: &Resolve, error: &anyhow::Error) -> syn::Error {
    let rendered = resolve.render_error(error);
    syn::Error::new(span, format!("failed to load the target's WIT: {rendered}"))
}
