// The generated WIT of a component of a Golem application (what golem-cli builds from), not the
// component's `sourceWit`: golem-rpc cannot tell how the deployed component names its exports.
golem_rpc::import!("../../../../tests/golem-app/counters/wit-generated");

fn main() {}
