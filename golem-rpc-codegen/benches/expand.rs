//! Macro expansion time for a generated 500-function WIT (50 interfaces x 10 functions), against
//! parsing the same WIT alone as the baseline measured in the same run.
//!
//! `cargo bench -p golem-rpc-codegen --bench expand`

use std::time::{Duration, Instant};

use wit_parser::Resolve;

const SIGNATURES: &[&str] = &[
    "func(a: u32) -> u64",
    "func(name: string) -> string",
    "func(values: list<u64>) -> u64",
    "func(flag: bool, label: option<string>)",
    "func(x: s32, y: s32) -> tuple<s32, s32>",
    "func(p: point) -> point",
    "func() -> result<u64, string>",
    "func(items: list<point>) -> list<point>",
    "func(s: shape) -> shape",
    "func(c: char) -> option<char>",
];

fn wit(interfaces: usize) -> String {
    let mut text = String::from("package bench:many;\n");
    for i in 0..interfaces {
        text.push_str(&format!(
            "interface i{i} {{\n  record point {{ x: s32, y: s32 }}\n  variant shape {{ none, circle(f64), named(string) }}\n"
        ));
        for (f, signature) in SIGNATURES.iter().enumerate() {
            text.push_str(&format!("  f{f}: {signature};\n"));
        }
        text.push_str("}\n");
    }
    text.push_str("world many {\n");
    for i in 0..interfaces {
        text.push_str(&format!("  export i{i};\n"));
    }
    text.push_str("}\n");
    text
}

fn mean(runs: u32, mut f: impl FnMut()) -> Duration {
    f();
    let start = Instant::now();
    for _ in 0..runs {
        f();
    }
    start.elapsed() / runs
}

fn main() {
    let text = wit(50);
    let parse = || {
        let mut resolve = Resolve::default();
        let package = resolve.push_str("many.wit", &text).unwrap();
        let world = golem_rpc_codegen::select_world(&resolve, package, None).unwrap();
        (resolve, world)
    };
    let parse_only = mean(20, || {
        std::hint::black_box(parse());
    });
    let mut lines = 0;
    let expand = mean(20, || {
        let (resolve, world) = parse();
        let tokens = golem_rpc_codegen::generate(&resolve, world, &Default::default()).unwrap();
        // The macro hands rustc the tokens; rendering them is a fair stand-in for that cost.
        lines = tokens.to_string().len();
    });
    println!(
        "expansion of a 500-function WIT (50 interfaces x 10 functions, {lines} bytes of tokens)"
    );
    println!("  parse + resolve only (baseline)   {parse_only:>10.2?}  1.00x");
    println!(
        "  parse + resolve + generate        {expand:>10.2?}  {:.2}x  (goal <= 100 ms)",
        expand.as_secs_f64() / parse_only.as_secs_f64()
    );
}
