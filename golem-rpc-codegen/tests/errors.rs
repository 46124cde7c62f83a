//! What the generator says about WIT it cannot turn into clients: the message and the
//! `file:line:col` of the WIT item at fault.

use wit_parser::Resolve;

fn errors(wit: &str) -> Vec<String> {
    let mut resolve = Resolve::default();
    let package = resolve
        .push_str("target.wit", wit)
        .expect("test WIT parses");
    let world = resolve.select_world(&[package], None).unwrap();
    match golem_rpc_codegen::generate(&resolve, world, &golem_rpc_codegen::Opts::default()) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn world_without_exported_functions() {
    let errs = errors("package a:b;\ninterface t { record r { x: u8 } }\nworld w { import t; }\n");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("world `w` exports no functions"),
        "{errs:?}"
    );
    assert!(errs[0].ends_with("--> target.wit:3:7"), "{errs:?}");
}

#[test]
fn unsupported_types_name_the_function_and_location() {
    let errs = errors(
        "package a:b;\ninterface api {\n  f: func(x: future<u8>);\n  g: func() -> stream<u8>;\n}\nworld w { export api; }\n",
    );
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(
        errs[0].starts_with("function `f`: golem-rpc does not support `future` types"),
        "{errs:?}"
    );
    assert!(errs[0].ends_with("--> target.wit:3:3"), "{errs:?}");
    assert!(
        errs[1].starts_with("function `g`: golem-rpc does not support `stream` types"),
        "{errs:?}"
    );
}

#[test]
fn method_collisions_name_both_functions() {
    let errs = errors(
        "package a:b;\ninterface api {\n  get: func() -> u32;\n  blocking-get: func() -> u32;\n}\nworld w { export api; }\n",
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(
            "function `blocking-get` needs a method `blocking_get`, which function `get` already generates"
        ),
        "{errs:?}"
    );
    assert!(errs[0].ends_with("--> target.wit:4:3"), "{errs:?}");
}

#[test]
fn a_function_named_new_collides_with_the_constructor() {
    let errs = errors(
        "package a:b;\ninterface api {\n  new: func() -> u32;\n}\nworld w { export api; }\n",
    );
    assert!(
        errs[0].contains("function `new` needs a method `new`, which the constructor `Api::new` already generates"),
        "{errs:?}"
    );
}

#[test]
fn type_collisions_name_both_items() {
    let errs = errors(
        "package a:b;\ninterface api {\n  record api { x: u8 }\n  f: func() -> api;\n}\nworld w { export api; }\n",
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("the client of the functions of `a:b/api` and type `api` would both be generated as `Api`"),
        "{errs:?}"
    );
    let errs = errors(
        "package a:b;\ninterface api {\n  record future-f-result { x: u8 }\n  f: func() -> future-f-result;\n}\nworld w { export api; }\n",
    );
    assert!(
        errs[0].starts_with("the future type of function `f` and type `future-f-result` would both be generated as `FutureFResult`"),
        "{errs:?}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let errs = errors(
        "package a:b;\ninterface api {\n  f: func(x: future);\n  g: func() -> stream<u8>;\n  h: func(x: error-context);\n  get: func() -> u8;\n  blocking-get: func();\n}\nworld w { export api; }\n",
    );
    assert_eq!(errs.len(), 4, "{errs:?}");
    assert!(errs[0].starts_with("function `f`"), "{errs:?}");
    assert!(errs[1].starts_with("function `g`"), "{errs:?}");
    assert!(errs[2].starts_with("function `h`"), "{errs:?}");
    assert!(
        errs[3].starts_with("function `blocking-get` needs a method"),
        "{errs:?}"
    );
}

#[test]
fn resource_method_collisions_name_the_resource() {
    let errs = errors(
        "package a:b;\ninterface api {\n  resource r {\n    drop-remote: func();\n  }\n}\nworld w { export api; }\n",
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(
            "`r.drop-remote` needs a method `drop_remote`, which `R::drop_remote` already generates"
        ),
        "{errs:?}"
    );
}

#[test]
fn keywords_and_kebab_names_are_sanitised() {
    let mut resolve = Resolve::default();
    let package = resolve
        .push_str(
            "t.wit",
            "package my-ns:my-pkg;\ninterface the-api {\n  record %self { %type: u8 }\n  do-it: func(%self: %self, crate: string) -> %self;\n}\nworld w { export the-api; }\n",
        )
        .unwrap();
    let world = resolve.select_world(&[package], None).unwrap();
    assert_eq!(golem_rpc_codegen::module_name(&resolve, world), "my_pkg");
    let code = golem_rpc_codegen::generate(&resolve, world, &Default::default())
        .unwrap()
        .to_string();
    for expected in [
        "pub mod my_pkg",
        "pub mod the_api",
        "pub struct TheApi",
        "pub struct Self_",
        "pub type_ : u8",
        "pub fn blocking_do_it (& self , self_ : Self_ , crate_ : & str) -> Self_",
        "\"my-ns:my-pkg/the-api.{do-it}\"",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in {code}");
    }
}

/// What WIT itself allows of the edge shapes: the parser's verdict, before golem-rpc sees them.
#[test]
fn edge_shapes_the_wit_parser_decides() {
    let parses = |body: &str| {
        let wit =
            format!("package a:b;\ninterface api {{\n{body}\n}}\nworld w {{ export api; }}\n");
        let mut resolve = Resolve::default();
        resolve
            .push_str("t.wit", &wit)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let thirty_three: Vec<String> = (0..33).map(|i| format!("f{i}")).collect();
    let outcomes = [
        ("empty record", parses("record r {}\n f: func(x: r) -> r;")),
        ("empty flags", parses("flags f {}\n g: func(x: f) -> f;")),
        ("one flag", parses("flags f { only }\n g: func(x: f) -> f;")),
        ("empty tuple", parses("f: func(x: tuple<>) -> tuple<>;")),
        (
            "33 flags",
            parses(&format!(
                "flags f {{ {} }}\n g: func(x: f);",
                thirty_three.join(", ")
            )),
        ),
    ];
    let verdicts: Vec<String> = outcomes
        .iter()
        .map(|(what, outcome)| {
            format!(
                "{what}: {}",
                if outcome.is_ok() { "ok" } else { "rejected" }
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            "empty record: rejected",
            "empty flags: rejected",
            "one flag: ok",
            "empty tuple: rejected",
            "33 flags: rejected"
        ]
    );
    // What the parser accepts, golem-rpc generates.
    let one_flag = "package a:b;\ninterface api {\nflags f { only }\n g: func(x: f) -> f;\n}\nworld w { export api; }\n";
    assert_eq!(errors(one_flag), Vec::<String>::new());
}
