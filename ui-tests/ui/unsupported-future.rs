golem_rpc::import!({
    inline: "
        package demo:streams;
        interface api {
            watch: func() -> stream<u8>;
            later: func(value: future<u64>);
        }
        world streams { export api; }
    ",
});

fn main() {}
