// The bindings cargo-component generates from `[package.metadata.component.target]` (there is
// no cargo-component here: wit-bindgen reads the same WIT, and the modules are the same,
// `crate::bindings::rpc::counters_client::counters_client`, …).
wit_bindgen::generate!({
    path: [
        "../wit-deps/io",
        "../wit-deps/clocks",
        "../wit-deps/golem-rpc",
        "../wit-deps/golem-1.x",
        "wit-generated",
    ],
    world: "rpc:client-caller/client-caller",
    generate_all,
    default_bindings_module: "crate::bindings",
    pub_export_macro: true,
});
