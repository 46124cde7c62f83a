//! The code generator behind `golem_rpc::import!`: a target component's WIT in, typed RPC
//! clients out.
//!
//! This crate is a plain library (no `proc_macro` dependency) so that it can be unit- and
//! snapshot-tested without a compiler run and reused by tools. [`generate`] takes a resolved
//! WIT world and returns the tokens the macro expands to.

pub mod application;
mod client;
pub mod legacy;
mod load;
mod names;
mod select;
pub mod shipped;
mod signature;
mod types;
mod wire;

use std::fmt;

use proc_macro2::TokenStream;
use quote::quote;
use wit_parser::{Resolve, Span, WorldId};

pub use load::{Loaded, NamedResults, load_path, load_path_with_deps, load_str};
pub use names::{camel, shouty, snake};
pub use select::{check_only, select_world};
pub use signature::signature;
pub use wire::ExportNames;

/// How to generate the clients.
#[derive(Clone)]
pub struct Opts {
    /// Path of the runtime crate in generated code, `::golem_rpc` unless the caller re-exports it.
    pub runtime_path: syn::Path,
    /// More derives for every generated record, variant and enum (e.g. `serde::Serialize`).
    pub additional_derives: Vec<syn::Path>,
    /// Generate only these exports: interface names (`api`), interface ids (`demo:counter/api`),
    /// functions (`api.get`), or world-level functions (`version`). `None` generates everything.
    pub only: Option<Vec<String>>,
    /// The name of the generated module instead of the target package's name.
    pub module: Option<String>,
    /// A digest of the WIT sources (FNV-1a 64), recorded in the caller for `golem-rpc check`.
    pub wit_digest: u64,
    /// Functions whose Golem 1.0/1.1 named results were read as one tuple ([`load_path`]).
    pub named_results: NamedResults,
    /// The Golem host API the clients call.
    pub golem_api: GolemApi,
    /// Golem 1.2: the name the target component is deployed under, which `new(worker_name)`
    /// resolves with `resolve-component-id`; the target's package name (`ns:pkg`) by default, as
    /// Golem 1.2's application manifests name components.
    pub component: Option<String>,
    /// How the deployed component names the target's exports on the wire ([`ExportNames`]).
    pub exports: ExportNames,
}

/// The Golem host API generated clients call (a cargo feature of `golem-rpc` chooses).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GolemApi {
    /// Golem 1.0/1.1: `golem:rpc/types@0.1.0`; clients connect to a worker URI.
    #[default]
    V1_1,
    /// Golem 1.2: `golem:rpc/types@0.2.0` and `golem:api/host@1.1.x`; clients connect to a
    /// worker id or a worker name, and can schedule calls.
    V1_2,
    /// Golem 1.3: `golem:rpc/types@0.2.2` and `golem:api/host@1.1.7`; clients as 1.2's, but an
    /// ephemeral component's workers are named by the caller like any other (no `ephemeral`).
    V1_3,
    /// Golem 1.4: `golem:rpc/types@0.2.2` and `golem:api/host@1.3.0`; clients as 1.3's.
    V1_4,
}

impl GolemApi {
    /// Clients connect by worker name or id and can schedule calls (Golem 1.2 and later).
    pub fn by_name(self) -> bool {
        self != GolemApi::V1_1
    }

    /// Clients can ask for a fresh ephemeral worker (Golem 1.2's `wasm-rpc.ephemeral`).
    pub fn has_ephemeral(self) -> bool {
        self == GolemApi::V1_2
    }

    /// The name `golem-rpc check` profiles and the `golem-rpc:import` record use.
    pub fn name(self) -> &'static str {
        match self {
            GolemApi::V1_1 => "golem-1.1",
            GolemApi::V1_2 => "golem-1.2",
            GolemApi::V1_3 => "golem-1.3",
            GolemApi::V1_4 => "golem-1.4",
        }
    }
}

impl Default for Opts {
    fn default() -> Self {
        Self {
            runtime_path: syn::parse_quote!(::golem_rpc),
            additional_derives: Vec::new(),
            only: None,
            module: None,
            wit_digest: 0,
            named_results: NamedResults::default(),
            golem_api: GolemApi::default(),
            component: None,
            exports: ExportNames::AsWritten,
        }
    }
}

/// Something in the target's WIT that cannot be turned into a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
    location: Option<String>,
}

impl Error {
    fn at(resolve: &Resolve, span: Span, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            location: span.is_known().then(|| resolve.render_location(span)),
        }
    }

    /// What is wrong and how to fix it.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// `file:line:col` of the WIT item at fault, when it has one.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(location) = &self.location {
            write!(f, "\n  --> {location}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Generates the clients for everything `world` exports.
///
/// The output is one module named after the world's package (`demo:counter` → `counter`)
/// holding one module per exported interface (its types and its client) and, when the world
/// exports functions directly, a client named after the world. All errors found are returned,
/// not just the first.
pub fn generate(resolve: &Resolve, world: WorldId, opts: &Opts) -> Result<TokenStream, Vec<Error>> {
    let module = client::Module::build(resolve, world, opts)?;
    Ok(quote!(#module))
}

/// The name of the module `generate` emits for `world`: its package's name in snake case.
pub fn module_name(resolve: &Resolve, world: WorldId) -> String {
    let world = &resolve.worlds[world];
    match world.package {
        Some(package) => snake(&resolve.packages[package].name.name),
        None => snake(&world.name),
    }
}

/// FNV-1a 64 of `bytes`, continuing from `hash` (start with [`FNV_OFFSET`]): the WIT digest.
pub fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The FNV-1a 64 offset basis.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
