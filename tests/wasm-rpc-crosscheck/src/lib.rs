//! Cross-checks golem-rpc's value codec against Golem's own `golem-wasm-rpc` (1.1.26, whose
//! builder is 1.0.x's): see `tests/codec.rs`. The crate has no code of its own.
