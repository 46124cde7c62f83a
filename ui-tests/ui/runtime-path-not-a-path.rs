golem_rpc::import!({
    path: "wit/counter.wit",
    runtime_path: "golem_rpc",
});

fn main() {}
