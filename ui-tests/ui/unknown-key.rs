golem_rpc::import!({
    path: "wit/counter.wit",
    wrld: "counter",
});

fn main() {}
