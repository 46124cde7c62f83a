golem_rpc::import!({
    inline: "
        package demo:broken;
        interface api {
            add: func(value: money);
        }
        world broken { export api; }
    ",
});

fn main() {}
