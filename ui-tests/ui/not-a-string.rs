golem_rpc::import!(counter);

fn main() {}
