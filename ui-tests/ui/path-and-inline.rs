golem_rpc::import!({
    path: "wit/counter.wit",
    inline: "package demo:a; interface api { get: func() -> u64; } world a { export api; }",
});

fn main() {}
