//! Cross-checks golem-rpc's value codec against Golem's own `golem-wasm-rpc` (1.0 and 1.1):
//! see `tests/codec.rs`. The crate has no code of its own.
