// Functions left out by `only` are not generated.
golem_rpc::import!({
    inline: "
        package demo:counter;
        interface api { get: func() -> u64; add: func(value: u64); }
        world counter { export api; }
    ",
    only: ["api.get"],
});

fn main() {
    let api = counter::api::Api::new(&golem_rpc::Uri { value: String::new() });
    api.blocking_add(1);
}
