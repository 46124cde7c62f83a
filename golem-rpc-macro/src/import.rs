//! `import!("path")`: parse, load the WIT, generate, and track the files read.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitStr;
use syn::parse::{Parse, ParseStream};
use wit_parser::Resolve;

/// The parsed macro input.
pub struct Import {
    path: LitStr,
}

impl Parse for Import {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let lookahead = input.lookahead1();
        if !lookahead.peek(LitStr) {
            return Err(syn::Error::new(
                input.span(),
                "expected the path of the target's WIT file or directory, e.g. `import!(\"../counter/wit\")`",
            ));
        }
        let path = input.parse()?;
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the WIT path"));
        }
        Ok(Import { path })
    }
}

impl Import {
    /// The generated clients, plus one `include_bytes!` per WIT file read so that editing any
    /// of them rebuilds the caller.
    pub fn expand(&self) -> syn::Result<TokenStream> {
        let span = self.path.span();
        let path = self.resolve_path()?;
        let mut resolve = Resolve::default();
        let (package, sources) = resolve.push_path(&path).map_err(|e| wit_error(span, &e))?;
        let world = resolve
            .select_world(&[package], None)
            .map_err(|e| wit_error(span, &e))?;
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
        let tracked = sources.paths().map(|p| {
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

    fn resolve_path(&self) -> syn::Result<PathBuf> {
        let base = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_default();
        let given = self.path.value();
        let joined = base.join(&given);
        match joined.canonicalize() {
            Ok(path) => Ok(path),
            Err(_) => Err(syn::Error::new(
                self.path.span(),
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

/// A wit-parser error with its whole cause chain; the causes carry `file:line:col` and the
/// offending source line.
fn wit_error(span: Span, error: &anyhow::Error) -> syn::Error {
    let mut message = format!("failed to load the target's WIT: {error}");
    for cause in error.chain().skip(1) {
        message.push_str(&format!("\n\nCaused by:\n  {cause}"));
    }
    syn::Error::new(span, message)
}
