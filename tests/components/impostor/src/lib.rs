//! A fake counter: same interface name, wrong types, and a trap.

wit_bindgen::generate!({
    path: "wit",
    world: "impostor",
});

struct Impostor;

impl exports::demo::counter::api::Guest for Impostor {
    fn add(value: u64) {
        panic!("impostor refuses to add {value}");
    }

    fn get() -> String {
        "not a number".to_owned()
    }
}

export!(Impostor);
