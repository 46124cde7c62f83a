golem_rpc::import!({
    inline: "
        package demo:empty;
        interface types { record point { x: u32 } }
        world empty { import types; }
    ",
});

fn main() {}
