golem_rpc::import!({
    path: "wit/counter.wit",
    debug: yes,
});

fn main() {}
