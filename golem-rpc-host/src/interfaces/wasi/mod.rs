//! The WASI interfaces Golem links beside WASI 0.2: outgoing `wasi:http`, `wasi:keyvalue@0.1.0`,
//! `wasi:blobstore` and `wasi:logging`.

pub(crate) mod blobstore;
pub(crate) mod http;
pub(crate) mod keyvalue;
pub(crate) mod logging;
pub(crate) mod random;
pub(crate) mod streams;
