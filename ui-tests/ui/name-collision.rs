golem_rpc::import!({
    inline: "
        package demo:clash;
        interface api {
            get: func() -> u64;
            blocking-get: func() -> u64;
        }
        world clash { export api; }
    ",
});

fn main() {}
