//! Every compile error `golem_rpc::import!` can give, with its expected rustc output.
//!
//! Never hand-write a `.stderr`: run `TRYBUILD=overwrite cargo test -p golem-rpc-ui-tests`
//! and review the diff.

#[test]
fn ui() {
    trybuild::TestCases::new().compile_fail("ui/*.rs");
}
