//! Imports `test:greet/api` (not provided by Golem) and calls it: `golem-rpc check` must name
//! the import, and `golem-rpc compose` with the greeter plugged in must make it runnable.

wit_bindgen::generate!({
    path: "../wit",
    world: "greet-caller",
    generate_all,
});

struct GreetCaller;

impl Guest for GreetCaller {
    fn run(name: String) -> String {
        format!("[{}]", test::greet::api::greet(&name))
    }
}

export!(GreetCaller);
