//! The `import!` proc macro of golem-rpc. Use it as `golem_rpc::import!`, where it is documented.
//!
//! This crate only parses the macro input, loads the WIT and reports errors at the right span;
//! the code generator is the `golem-rpc-codegen` library.

mod import;

use proc_macro::TokenStream;

/// Generates typed RPC clients for the interfaces a target component exports.
/// See `golem_rpc::import!`.
#[proc_macro]
pub fn import(input: TokenStream) -> TokenStream {
    syn::parse_macro_input!(input as import::Import)
        .expand()
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
