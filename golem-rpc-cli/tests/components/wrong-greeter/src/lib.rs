//! Exports `test:greet/api` with an extra parameter, so it does not fit the greet caller.

wit_bindgen::generate!({
    path: "wit",
    world: "wrong-greeter",
    generate_all,
});

struct WrongGreeter;

impl exports::test::greet::api::Guest for WrongGreeter {
    fn greet(name: String, times: u32) -> String {
        format!("Hello, {name}! ").repeat(times as usize)
    }
}

export!(WrongGreeter);
