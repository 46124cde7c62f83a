golem_rpc::import!({
    inline: "
        package demo:broken;
        interface api {
            add: func(value: u64) -> ;
        }
        world broken { export api; }
    ",
});

fn main() {}
