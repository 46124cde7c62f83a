//! The macro never panics on any WIT: mutated corpus WIT and WIT-shaped token soup go through
//! everything `import!` does with WIT (parse, resolve, pick the world, check `only`, generate),
//! which must return errors, not panic.
//!
//! `GOLEM_RPC_FUZZ_CASES=100000 cargo test --release -p golem-rpc-codegen --test fuzz -- --nocapture`
//! runs a longer campaign; the default is small enough for every test run.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use wit_parser::Resolve;

const CORPUS: &[&str] = &[
    include_str!("codegen/counter.wit"),
    include_str!("codegen/primitives.wit"),
    include_str!("codegen/borrowing.wit"),
    include_str!("codegen/variants.wit"),
    include_str!("codegen/ledger/ledger.wit"),
];

/// WIT tokens and fragments to splice in.
const FRAGMENTS: &[&str] = &[
    "record r { a: u8 }",
    "variant v { a, b(string) }",
    "enum e { x, y }",
    "flags f { a, b }",
    "resource res { constructor(); m: func(); }",
    "type t = list<u8>;",
    "future<u8>",
    "stream<u8>",
    "borrow<res>",
    "own<res>",
    "tuple<>",
    "tuple<u8, string>",
    "option<option<u8>>",
    "result<_, string>",
    "result",
    "list<list<string>>",
    "error-context",
    "use api.{stats};",
    "export api;",
    "import api;",
    "export f: func() -> u8;",
    "interface i { }",
    "world w { }",
    "package a:b@1.0.0;",
    "%type",
    "func(",
    "->",
    "{",
    "}",
    "<",
    ">",
    ";",
    ",",
    ":",
    "@",
    "/",
    "\u{0}",
    "é",
    "-",
    "new: func() -> u32;",
    "get: func() -> u64;",
    "blocking-get: func();",
    "async func()",
    "static func()",
    "constructor(a: u8);",
    "include w;",
    "with { a as b }",
    "map<string, u8>",
    "list<u8, 4>",
    "@since(version = 1.0.0)",
    "@unstable(feature = x)",
];

fn mutate(base: &str, edits: &[(u8, usize, usize)]) -> String {
    let mut text: Vec<char> = base.chars().collect();
    for &(kind, at, pick) in edits {
        let at = if text.is_empty() {
            0
        } else {
            at % (text.len() + 1)
        };
        match kind % 4 {
            0 => {
                let fragment = FRAGMENTS[pick % FRAGMENTS.len()];
                text.splice(at..at, fragment.chars().chain([' ']));
            }
            1 => {
                let end = (at + pick % 12).min(text.len());
                text.drain(at..end);
            }
            2 => {
                let end = (at + pick % 40).min(text.len());
                let copy: Vec<char> = text[at..end].to_vec();
                let to = pick % (text.len() + 1);
                text.splice(to..to, copy);
            }
            _ => {
                if at < text.len() {
                    text[at] = char::from(b' ' + (pick % 95) as u8);
                }
            }
        }
    }
    text.into_iter().collect()
}

/// Everything `import!` does with WIT text; `Ok` or `Err` are both fine, a panic is not.
fn front_end(wit: &str) -> bool {
    let mut resolve = Resolve::default();
    let Ok(package) = resolve.push_str("fuzz.wit", wit) else {
        return false;
    };
    let Ok(world) = golem_rpc_codegen::select_world(&resolve, package, None) else {
        return false;
    };
    let only = vec!["api".to_owned(), "api.get".to_owned(), "nope".to_owned()];
    let _ = golem_rpc_codegen::check_only(&resolve, world, &only);
    let opts = golem_rpc_codegen::Opts {
        only: Some(only[..2].to_vec()),
        ..Default::default()
    };
    let _ = golem_rpc_codegen::generate(&resolve, world, &golem_rpc_codegen::Opts::default());
    golem_rpc_codegen::generate(&resolve, world, &opts).is_ok()
}

#[test]
fn the_wit_front_end_never_panics() {
    let cases: u32 = std::env::var("GOLEM_RPC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let ran = AtomicU64::new(0);
    let generated = AtomicU64::new(0);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let edits = proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 0..8);
    let result = runner.run(&(0..CORPUS.len(), edits), |(base, edits)| {
        let wit = mutate(CORPUS[base], &edits);
        ran.fetch_add(1, Ordering::Relaxed);
        match catch_unwind(AssertUnwindSafe(|| front_end(&wit))) {
            Ok(ok) => {
                generated.fetch_add(u64::from(ok), Ordering::Relaxed);
                Ok(())
            }
            Err(_) => Err(TestCaseError::fail(format!("panicked on WIT:\n{wit}"))),
        }
    });
    println!(
        "fuzzed the WIT front end with {} inputs ({} generated clients), 0 panics",
        ran.load(Ordering::Relaxed),
        generated.load(Ordering::Relaxed)
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}
