//! A worker: what the host knows about it (`context`), the data of its wasmtime store
//! (`state`), the loaded component it instantiates (`component`) and the instance that runs its
//! calls (`instance`), the handles other workers hold to its resources (`handles`), its output,
//! and how a call to it fails (`error`).

pub(crate) mod component;
pub(crate) mod context;
pub(crate) mod error;
pub(crate) mod handles;
pub(crate) mod instance;
pub(crate) mod output;
pub(crate) mod state;
