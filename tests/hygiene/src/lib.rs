//! Hygiene of `import!`'s output: it compiles without the prelude, with every warning and
//! missing doc denied, next to user modules named `core`, `std` and `golem_rpc`, with the
//! runtime crate renamed (reached through `runtime_path`), and with each option in use.

#![no_implicit_prelude]
#![deny(warnings, missing_docs)]

/// Canary: generated code must say `::core::`, not `core::`.
pub mod core {}
/// Canary: generated code must say `::std::`, not `std::`.
pub mod std {}
/// Canary: generated code must not assume the runtime is called `golem_rpc`.
pub mod golem_rpc {}

::rpc::import!({
    path: "../../golem-rpc-codegen/tests/codegen/counter.wit",
    runtime_path: ::rpc,
});
::rpc::import!({
    path: "../../golem-rpc-codegen/tests/codegen/primitives.wit",
    runtime_path: ::rpc,
});
::rpc::import!({
    path: "../../golem-rpc-codegen/tests/codegen/borrowing.wit",
    runtime_path: ::rpc,
    additional_derives: [::core::cmp::PartialOrd],
});
::rpc::import!({
    path: "../../golem-rpc-codegen/tests/codegen/ledger",
    runtime_path: ::rpc,
    additional_derives: [Eq, ::core::hash::Hash],
});
::rpc::import!({
    path: "../../golem-rpc-codegen/tests/codegen/variants.wit",
    runtime_path: ::rpc,
    debug: true,
});
::rpc::import!({
    path: "../../golem-rpc-codegen/tests/codegen/resources.wit",
    runtime_path: ::rpc,
});
// A target built by golem-cli's application build (its exports in demo:app-exports).
::rpc::import!({
    path: "../../golem-rpc-codegen/tests/codegen/app.wit",
    runtime_path: ::rpc,
    exports: "golem-app",
});
// A target whose Golem host API packages nothing provides (golem-rpc's copies are used).
::rpc::import!({
    path: "../../golem-rpc-codegen/tests/codegen/golem-host.wit",
    runtime_path: ::rpc,
});
// Two targets that share a dependency package (test:units).
::rpc::import!({
    path: "../../golem-rpc-codegen/tests/codegen/surveyor",
    runtime_path: ::rpc,
});
// Golem 1.0/1.1's WIT dialect, in the target and in its deps.
::rpc::import!({
    path: "../../golem-rpc-codegen/tests/codegen/legacy",
    runtime_path: ::rpc,
});
::rpc::import!({
    path: "../components/kitchen-sink/wit",
    runtime_path: ::rpc,
});
// The same target twice, under another module name and with only part of it.
::rpc::import!({
    path: "../../golem-rpc-codegen/tests/codegen/counter.wit",
    runtime_path: ::rpc,
    module: counter_reads,
    only: ["api.get", "api.get-stats"],
});

#[cfg(test)]
mod tests {
    use ::std::collections::HashSet;
    use ::std::prelude::rust_2024::*;
    use ::std::{assert, assert_eq, assert_ne, vec};

    use super::*;

    #[test]
    fn additional_derives_apply() {
        let money = |cents| ledger::books::Money {
            cents,
            currency: "EUR".into(),
        };
        let set: HashSet<_> = [money(1), money(1), money(2)].into_iter().collect();
        assert_eq!(set.len(), 2);
        let a = borrowing::shapes::Point { x: 1, y: 2 };
        let b = borrowing::shapes::Point { x: 1, y: 3 };
        assert!(a < b);
    }

    #[test]
    fn module_and_only_shape_the_output() {
        // `counter_reads` holds the types and a client with just the selected functions.
        let stats = counter_reads::api::Stats {
            total: 1,
            calls: 1,
            last: ::core::option::Option::None,
            labels: vec![],
        };
        assert_ne!(
            stats,
            counter_reads::api::Stats {
                total: 2,
                ..stats.clone()
            }
        );
        let _: fn(&counter_reads::api::Api) -> u64 = counter_reads::api::Api::blocking_get;
        let _: fn(&counter_reads::api::Api) -> counter_reads::api::Stats =
            counter_reads::api::Api::blocking_get_stats;
    }
}
