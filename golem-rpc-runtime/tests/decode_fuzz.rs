//! Fuzzing the decoder: arbitrary node trees (any node kinds, indices in and out of range,
//! cycles, shared nodes) decoded as nested Rust types never panic, and anything that decodes
//! re-encodes to a tree that decodes to the same value.
//!
//! `GOLEM_RPC_FUZZ_CASES=1000000 cargo test --release -p golem-rpc --test decode_fuzz -- --nocapture`
//! for a longer run.

use std::sync::atomic::{AtomicU64, Ordering};

use golem_rpc::{NodeIndex, WitNode, WitValue, decode, encode};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

golem_rpc::import!("../golem-rpc-codegen/tests/codegen/variants.wit");
golem_rpc::import!("../golem-rpc-codegen/tests/codegen/counter.wit");

fn index() -> impl Strategy<Value = NodeIndex> {
    prop_oneof![0..12i32, any::<i32>()]
}

fn node() -> impl Strategy<Value = WitNode> {
    prop_oneof![
        proptest::collection::vec(index(), 0..5).prop_map(WitNode::RecordValue),
        (0..6u32, proptest::option::of(index())).prop_map(WitNode::VariantValue),
        (0..6u32).prop_map(WitNode::EnumValue),
        proptest::collection::vec(any::<bool>(), 0..4).prop_map(WitNode::FlagsValue),
        proptest::collection::vec(index(), 0..5).prop_map(WitNode::TupleValue),
        proptest::collection::vec(index(), 0..5).prop_map(WitNode::ListValue),
        proptest::option::of(index()).prop_map(WitNode::OptionValue),
        prop_oneof![
            proptest::option::of(index()).prop_map(Ok),
            proptest::option::of(index()).prop_map(Err)
        ]
        .prop_map(WitNode::ResultValue),
        any::<u8>().prop_map(WitNode::PrimU8),
        any::<u32>().prop_map(WitNode::PrimU32),
        any::<u64>().prop_map(WitNode::PrimU64),
        any::<i32>().prop_map(WitNode::PrimS32),
        any::<f64>().prop_map(WitNode::PrimFloat64),
        any::<char>().prop_map(WitNode::PrimChar),
        any::<bool>().prop_map(WitNode::PrimBool),
        ".{0,4}".prop_map(WitNode::PrimString),
    ]
}

/// Decodes `value` as `T`; if it decodes, the value must survive a re-encode.
fn check<T: golem_rpc::WitDecode + golem_rpc::WitEncode + PartialEq + std::fmt::Debug>(
    value: &WitValue,
) -> bool {
    match decode::<T>(value) {
        Ok(decoded) => {
            let again: T = decode(&encode(&decoded)).expect("a re-encoded value decodes");
            assert!(again == decoded || format!("{again:?}") == format!("{decoded:?}"));
            true
        }
        Err(error) => {
            let _ = error.to_string();
            false
        }
    }
}

#[test]
fn decoding_arbitrary_trees_never_panics() {
    let cases: u32 = std::env::var("GOLEM_RPC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let (ran, decoded) = (AtomicU64::new(0), AtomicU64::new(0));
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(node(), 0..12), |nodes| {
            let value = WitValue { nodes };
            ran.fetch_add(1, Ordering::Relaxed);
            let ok = [
                check::<u64>(&value),
                check::<String>(&value),
                check::<Vec<Vec<Option<u8>>>>(&value),
                check::<Option<Result<(u32, bool), ()>>>(&value),
                check::<Result<(), Vec<String>>>(&value),
                check::<variants::shapes::Shape>(&value),
                check::<Vec<variants::shapes::Color>>(&value),
                check::<counter::api::Stats>(&value),
                golem_rpc::__private::decode_results::<u64>(&value).is_ok(),
            ];
            decoded.fetch_add(
                ok.iter().filter(|ok| **ok).count() as u64,
                Ordering::Relaxed,
            );
            Ok(())
        })
        .unwrap();
    println!(
        "decoded {} arbitrary wit-values as 9 types each ({} decodes succeeded), 0 panics",
        ran.load(Ordering::Relaxed),
        decoded.load(Ordering::Relaxed)
    );
}
