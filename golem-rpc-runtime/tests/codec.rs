//! The value codec against Golem's layout (protocol.md §3) and against hostile input.

use golem_rpc::{
    DecodeError, NodeIndex, ValueBuilder, ValueReader, WitDecode, WitEncode, WitNode, WitValue,
    decode, encode,
};
use proptest::prelude::*;

/// `record { a: u8, b: option<string> }`, written the way `import!` writes records.
#[derive(Debug, Clone, PartialEq)]
struct Rec {
    a: u8,
    b: Option<String>,
}

impl WitEncode for Rec {
    fn encode(&self, builder: &mut ValueBuilder) {
        builder.record(|fields| {
            fields.item(&self.a).item(&self.b);
        });
    }
}

impl WitDecode for Rec {
    fn decode(reader: &ValueReader<'_>, index: NodeIndex) -> Result<Self, DecodeError> {
        let fields = reader.record(index, "record `rec`", 2)?;
        Ok(Rec {
            a: reader.field(fields, 0, "a")?,
            b: reader.field(fields, 1, "b")?,
        })
    }
}

fn nodes(value: WitValue) -> Vec<WitNode> {
    value.nodes
}

#[test]
fn record_layout_matches_golem_builder() {
    let value = Rec {
        a: 7,
        b: Some("x".into()),
    };
    assert_eq!(
        nodes(encode(&value)),
        vec![
            WitNode::RecordValue(vec![1, 2]),
            WitNode::PrimU8(7),
            WitNode::OptionValue(Some(3)),
            WitNode::PrimString("x".into()),
        ]
    );
}

#[test]
fn list_layout_matches_golem_builder() {
    assert_eq!(
        nodes(encode(&[1i32, 2][..])),
        vec![
            WitNode::ListValue(vec![1, 2]),
            WitNode::PrimS32(1),
            WitNode::PrimS32(2),
        ]
    );
}

#[test]
fn result_layouts_match_golem_builder() {
    let err: Result<u32, String> = Err("err".into());
    assert_eq!(
        nodes(encode(&err)),
        vec![
            WitNode::ResultValue(Err(Some(1))),
            WitNode::PrimString("err".into()),
        ]
    );
    let ok_unit: Result<(), String> = Ok(());
    assert_eq!(
        nodes(encode(&ok_unit)),
        vec![WitNode::ResultValue(Ok(None))]
    );
    let err_unit: Result<u8, ()> = Err(());
    assert_eq!(
        nodes(encode(&err_unit)),
        vec![WitNode::ResultValue(Err(None))]
    );
}

#[test]
fn tuple_layout_is_pre_order() {
    let value = ((1u32, true), "s");
    assert_eq!(
        nodes(encode(&value)),
        vec![
            WitNode::TupleValue(vec![1, 4]),
            WitNode::TupleValue(vec![2, 3]),
            WitNode::PrimU32(1),
            WitNode::PrimBool(true),
            WitNode::PrimString("s".into()),
        ]
    );
}

#[test]
fn borrowed_params_encode_like_owned_values() {
    let owned: Vec<String> = vec!["a".into(), "b".into()];
    let borrowed: &[&str] = &["a", "b"];
    assert_eq!(encode(&owned), encode(borrowed));
    assert_eq!(encode(&Some("a")), encode(&Some(String::from("a"))));
}

fn node_count(value: &WitValue) -> usize {
    value.nodes.len()
}

#[test]
fn out_of_range_index_is_an_error() {
    let value = WitValue {
        nodes: vec![WitNode::ListValue(vec![1, 7])],
    };
    let err = decode::<Vec<u8>>(&value).unwrap_err();
    assert_eq!(err.path(), "[0]");
    assert_eq!(err.expected(), "u8");
    assert!(
        err.to_string()
            .contains("node 1, but the value has 1 nodes"),
        "{err}"
    );
    let negative = WitValue {
        nodes: vec![WitNode::OptionValue(Some(-5))],
    };
    assert!(decode::<Option<u8>>(&negative).is_err());
    assert!(decode::<u8>(&WitValue { nodes: vec![] }).is_err());
}

#[test]
fn cycles_cannot_make_decoding_loop() {
    // Node 0 is a list that contains itself: decoding follows the expected type, not the tree.
    let value = WitValue {
        nodes: vec![WitNode::ListValue(vec![0, 0])],
    };
    let err = decode::<Vec<Vec<Vec<u8>>>>(&value).unwrap_err();
    assert_eq!(err.path(), "[0][0][0]");
    assert_eq!(err.found(), "list-value");
}

#[test]
fn deep_nesting_is_bounded_by_the_type() {
    // 100 000 nested options only cost as much as the Rust type asks for.
    let mut nodes: Vec<WitNode> = (1..100_000)
        .map(|i| WitNode::OptionValue(Some(i)))
        .collect();
    nodes.push(WitNode::PrimU8(1));
    let value = WitValue { nodes };
    let err = decode::<Option<Option<u8>>>(&value).unwrap_err();
    assert_eq!(err.path(), ".some.some");
}

#[test]
fn wrong_kinds_name_the_path_and_types() {
    let value = encode(&Rec {
        a: 1,
        b: Some("x".into()),
    });
    let err = decode::<(u8, Option<u32>)>(&value).unwrap_err();
    assert_eq!(err.to_string(), "expected tuple, found record-value");
    let mut bad = value.clone();
    bad.nodes[3] = WitNode::PrimBool(false);
    let err = decode::<Rec>(&bad).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected string at `.b.some`, found prim-bool"
    );
    let short = WitValue {
        nodes: vec![WitNode::RecordValue(vec![1]), WitNode::PrimU8(1)],
    };
    let err = decode::<Rec>(&short).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected record `rec` with 2 items, found 1 items"
    );
}

#[test]
fn unit_result_sides_reject_stray_payloads() {
    let value = WitValue {
        nodes: vec![WitNode::ResultValue(Ok(Some(1))), WitNode::PrimU8(1)],
    };
    let err = decode::<Result<(), u8>>(&value).unwrap_err();
    assert_eq!(err.path(), ".ok");
    let value = WitValue {
        nodes: vec![WitNode::ResultValue(Err(None))],
    };
    assert!(decode::<Result<(), u8>>(&value).is_err());
}

fn round_trip<T: WitEncode + WitDecode + PartialEq + std::fmt::Debug>(value: &T) {
    let wire = encode(value);
    assert!(node_count(&wire) > 0);
    assert_eq!(&decode::<T>(&wire).unwrap(), value);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn primitives_round_trip(
        b: bool, a: u8, c: u16, d: u32, e: u64, f: i8, g: i16, h: i32, i: i64, ch: char,
    ) {
        round_trip(&b); round_trip(&a); round_trip(&c); round_trip(&d); round_trip(&e);
        round_trip(&f); round_trip(&g); round_trip(&h); round_trip(&i); round_trip(&ch);
    }

    #[test]
    fn floats_round_trip_bit_for_bit(x: f32, y: f64) {
        let back: f32 = decode(&encode(&x)).unwrap();
        prop_assert_eq!(back.to_bits(), x.to_bits());
        let back: f64 = decode(&encode(&y)).unwrap();
        prop_assert_eq!(back.to_bits(), y.to_bits());
    }

    #[test]
    fn strings_and_lists_round_trip(
        s: String,
        l in proptest::collection::vec(proptest::collection::vec(".{0,8}", 0..4), 0..4),
        bytes in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        round_trip(&s); round_trip(&l); round_trip(&bytes);
    }

    #[test]
    fn options_and_results_round_trip(
        o: Option<Option<String>>, r: Result<u32, String>, u: Result<(), Option<u8>>,
        n: Result<Result<(), ()>, ()>,
    ) {
        round_trip(&o); round_trip(&r); round_trip(&u); round_trip(&n);
    }

    #[test]
    fn tuples_and_records_round_trip(
        t: (u8, String, Vec<i64>), a in any::<u8>(), b in proptest::option::of(".*"),
        many in proptest::collection::vec((any::<u8>(), proptest::option::of(".*")), 0..8),
    ) {
        round_trip(&t);
        round_trip(&Rec { a, b });
        let recs: Vec<Rec> = many.into_iter().map(|(a, b)| Rec { a, b }).collect();
        round_trip(&recs);
    }
}

#[test]
fn float_specials_round_trip() {
    for x in [
        f64::NAN,
        -0.0,
        0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE,
    ] {
        let back: f64 = decode(&encode(&x)).unwrap();
        assert_eq!(back.to_bits(), x.to_bits());
    }
}

/// Named results (Golem 1.0/1.1 WIT `-> (count: u32, name: string)`) in every shape a reply can
/// have: Golem 1.1's record of the values, early 1.0's tuple of them, and a rebuilt target's one
/// `tuple<u32, string>` result.
#[test]
fn named_results_in_every_reply_shape() {
    use golem_rpc::__private::decode_named_results;
    let shapes = [
        vec![
            WitNode::RecordValue(vec![1, 2]),
            WitNode::PrimU32(7),
            WitNode::PrimString("x".into()),
        ],
        vec![
            WitNode::TupleValue(vec![1, 2]),
            WitNode::PrimU32(7),
            WitNode::PrimString("x".into()),
        ],
        vec![
            WitNode::TupleValue(vec![1]),
            WitNode::TupleValue(vec![2, 3]),
            WitNode::PrimU32(7),
            WitNode::PrimString("x".into()),
        ],
    ];
    for nodes in shapes {
        let reply = WitValue { nodes };
        assert_eq!(
            decode_named_results::<(u32, String)>(&reply),
            Ok((7, "x".to_string())),
            "{reply:?}"
        );
    }
    for nodes in [
        vec![WitNode::RecordValue(vec![1]), WitNode::PrimU32(7)],
        vec![WitNode::RecordValue(vec![1, 2, 3]), WitNode::PrimU32(7)],
        vec![WitNode::PrimU32(7)],
        vec![],
    ] {
        let reply = WitValue { nodes };
        assert!(
            decode_named_results::<(u32, String)>(&reply).is_err(),
            "{reply:?}"
        );
    }
}
