golem_rpc::import!({
    inline: "package demo:counter; interface api { get: func() -> u64; } world counter { export api; }",
    exports: "golem-cli",
});

fn main() {}
