golem_rpc::import!({
    inline: "package demo:a; interface api { get: func() -> u64; } world a { export api; }",
    additional_derives: ["Eq"],
});

fn main() {}
