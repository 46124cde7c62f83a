//! Echoes every value it gets, so callers can check that values survive RPC unchanged.

use std::cell::Cell;

wit_bindgen::generate!({
    path: "wit",
    world: "kitchen-sink",
    generate_all,
});

use exports::test::kitchen::echo::{Color, Label, Located, Meters, Perms, Shape, Wide};

struct Kitchen;

thread_local! {
    static NOTHING: Cell<u32> = const { Cell::new(0) };
}

type Results = (
    Result<u32, String>,
    Result<(), String>,
    Result<u32, ()>,
    Result<(), ()>,
);
type Tuple5 = (u8, i64, String, f32, char);

impl exports::test::kitchen::echo::Guest for Kitchen {
    fn echo_bool(x: bool) -> bool {
        x
    }
    fn echo_u8(x: u8) -> u8 {
        x
    }
    fn echo_u16(x: u16) -> u16 {
        x
    }
    fn echo_u32(x: u32) -> u32 {
        x
    }
    fn echo_u64(x: u64) -> u64 {
        x
    }
    fn echo_s8(x: i8) -> i8 {
        x
    }
    fn echo_s16(x: i16) -> i16 {
        x
    }
    fn echo_s32(x: i32) -> i32 {
        x
    }
    fn echo_s64(x: i64) -> i64 {
        x
    }
    fn echo_f32(x: f32) -> f32 {
        x
    }
    fn echo_f64(x: f64) -> f64 {
        x
    }
    fn echo_char(x: char) -> char {
        x
    }
    fn echo_string(x: String) -> String {
        x
    }
    fn echo_bytes(x: Vec<u8>) -> Vec<u8> {
        x
    }
    fn echo_nested(x: Vec<Vec<String>>) -> Vec<Vec<String>> {
        x
    }
    fn echo_option(x: Option<Option<u32>>) -> Option<Option<u32>> {
        x
    }
    fn echo_results(
        a: Result<u32, String>,
        b: Result<(), String>,
        c: Result<u32, ()>,
        d: Result<(), ()>,
    ) -> Results {
        (a, b, c, d)
    }
    fn echo_nested_result(
        x: Result<Result<u8, String>, Option<String>>,
    ) -> Result<Result<u8, String>, Option<String>> {
        x
    }
    fn echo_tuple1(x: (u8,)) -> (u8,) {
        x
    }
    fn echo_tuple5(x: Tuple5) -> Tuple5 {
        x
    }
    fn echo_located(x: Located) -> Located {
        x
    }
    fn echo_meters(x: Vec<Meters>) -> Vec<Meters> {
        x
    }
    fn echo_shape(x: Shape) -> Shape {
        x
    }
    fn echo_color(x: Color) -> Color {
        x
    }
    fn echo_flags(p: Perms, w: Wide) -> (Perms, Wide) {
        (p, w)
    }
    fn echo_label(x: Label) -> Label {
        x
    }
    fn nothing() {
        NOTHING.with(|n| n.set(n.get() + 1));
    }
    fn count_nothing() -> u32 {
        NOTHING.with(Cell::get)
    }
}

impl exports::test::units::convert::Guest for Kitchen {
    fn to_feet(m: Meters) -> f64 {
        m.value / 0.3048
    }
}

impl exports::inline_api::Guest for Kitchen {
    fn ping(n: u32) -> u32 {
        n + 1
    }
}

impl Guest for Kitchen {
    fn version() -> String {
        "kitchen 0.3.1".to_owned()
    }
}

export!(Kitchen);
