// An additional derive whose trait the generated type cannot satisfy fails at the type.
golem_rpc::import!({
    inline: "
        package demo:a;
        interface api { record point { x: f64 } get: func() -> point; }
        world a { export api; }
    ",
    additional_derives: [Eq],
});

fn main() {}
