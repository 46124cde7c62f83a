//! Imports the counter with `golem_rpc::import!` but never calls it: `golem-rpc check` warns
//! that the import is declared but unused, and does not fail.

golem_rpc::import!("../../../../examples/counter/counter/wit/counter.wit");

wit_bindgen::generate!({
    path: "../wit",
    world: "unused-import",
    generate_all,
});

struct UnusedImport;

impl Guest for UnusedImport {
    fn answer() -> u32 {
        42
    }
}

export!(UnusedImport);
