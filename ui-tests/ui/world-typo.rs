golem_rpc::import!({
    inline: "
        package demo:two;
        interface api { get: func() -> u64; }
        world first { export api; }
        world second { export api; }
    ",
    world: "secnd",
});

fn main() {}
