golem_rpc::import!({
    world: "counter",
});

fn main() {}
