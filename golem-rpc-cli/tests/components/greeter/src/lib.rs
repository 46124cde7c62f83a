//! Exports `test:greet/api`, to be plugged into the greet caller by `golem-rpc compose`.

wit_bindgen::generate!({
    path: "../wit",
    world: "greeter",
    generate_all,
});

struct Greeter;

impl exports::test::greet::api::Guest for Greeter {
    fn greet(name: String) -> String {
        format!("Hello, {name}!")
    }
}

export!(Greeter);
