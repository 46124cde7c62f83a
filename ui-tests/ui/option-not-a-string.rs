golem_rpc::import!({
    path: ../counter/wit,
});

fn main() {}
