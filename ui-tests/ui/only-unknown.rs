golem_rpc::import!({
    inline: "
        package demo:counter;
        interface api { get: func() -> u64; add: func(value: u64); }
        world counter { export api; }
    ",
    only: ["api.get", "api.ad", "apii"],
});

fn main() {}
