//! The code `import!` generates for the codegen corpus compiles, and its types encode to
//! Golem's layout (protocol.md §3) and decode back.

use golem_rpc::{WitNode, decode, encode};

golem_rpc::import!("../golem-rpc-codegen/tests/codegen/counter.wit");
golem_rpc::import!("../golem-rpc-codegen/tests/codegen/primitives.wit");
golem_rpc::import!("../golem-rpc-codegen/tests/codegen/borrowing.wit");
golem_rpc::import!("../golem-rpc-codegen/tests/codegen/ledger");
golem_rpc::import!("../golem-rpc-codegen/tests/codegen/variants.wit");
golem_rpc::import!("../golem-rpc-codegen/tests/codegen/resources.wit");

use variants::shapes::{Color, Perms, Shape, Small, Wide};

#[test]
fn variant_with_payload_matches_golem_layout() {
    let value = Shape::Pair((1, Color::Green));
    assert_eq!(
        encode(&value).nodes,
        vec![
            WitNode::VariantValue((3, Some(1))),
            WitNode::TupleValue(vec![2, 3]),
            WitNode::PrimU32(1),
            WitNode::EnumValue(1),
        ]
    );
    assert_eq!(decode::<Shape>(&encode(&value)).unwrap(), value);
}

#[test]
fn variant_cases_round_trip() {
    for value in [
        Shape::Empty,
        Shape::Circle(-0.5),
        Shape::Label("ü".into()),
        Shape::Pair((7, Color::BlueIsh)),
    ] {
        assert_eq!(decode::<Shape>(&encode(&value)).unwrap(), value);
    }
    assert_eq!(
        encode(&Small::None).nodes,
        vec![WitNode::VariantValue((0, None))]
    );
    assert_eq!(
        decode::<Small>(&encode(&Small::One(3))).unwrap(),
        Small::One(3)
    );
}

#[test]
fn malformed_variants_are_errors() {
    let out_of_range = golem_rpc::WitValue {
        nodes: vec![WitNode::VariantValue((9, None))],
    };
    let err = decode::<Shape>(&out_of_range).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected variant `shape` (cases 0..4), found case 9"
    );
    let missing_payload = golem_rpc::WitValue {
        nodes: vec![WitNode::VariantValue((1, None))],
    };
    let err = decode::<Shape>(&missing_payload).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected a payload node at `.circle`, found none"
    );
    let stray_payload = golem_rpc::WitValue {
        nodes: vec![WitNode::VariantValue((0, Some(1))), WitNode::PrimBool(true)],
    };
    assert!(decode::<Shape>(&stray_payload).is_err());
    let bad_enum = golem_rpc::WitValue {
        nodes: vec![WitNode::EnumValue(3)],
    };
    assert!(decode::<Color>(&bad_enum).is_err());
}

#[test]
fn records_from_other_packages_round_trip() {
    let entry = ledger::books::Entry {
        what: "rent".into(),
        amount: ledger::books::Money {
            cents: -120_000,
            currency: "EUR".into(),
        },
    };
    assert_eq!(
        decode::<ledger::books::Entry>(&encode(&entry)).unwrap(),
        entry
    );
    let stats = counter::api::Stats {
        total: 1,
        calls: 2,
        last: None,
        labels: vec!["a".into()],
    };
    assert_eq!(
        decode::<counter::api::Stats>(&encode(&stats)).unwrap(),
        stats
    );
}

#[test]
fn flags_are_bitflags_with_golem_layout() {
    let p = Perms::READ | Perms::EXEC_ALL;
    assert!(p.contains(Perms::READ) && !p.contains(Perms::WRITE));
    assert_eq!(format!("{p:?}"), "Perms(READ | EXEC_ALL)");
    assert_eq!(format!("{:?}", Perms::empty()), "Perms()");
    assert_eq!((p ^ Perms::all()), Perms::WRITE);
    assert_eq!(!Perms::READ, Perms::WRITE | Perms::EXEC_ALL);
    assert_eq!(
        encode(&p).nodes,
        vec![WitNode::FlagsValue(vec![true, false, true])]
    );
    assert_eq!(decode::<Perms>(&encode(&p)).unwrap(), p);
    let w = Wide::F0 | Wide::F31;
    assert_eq!(w.bits(), 0x8000_0001);
    assert_eq!(decode::<Wide>(&encode(&w)).unwrap(), w);
    let short = golem_rpc::WitValue {
        nodes: vec![WitNode::FlagsValue(vec![true])],
    };
    assert_eq!(
        decode::<Perms>(&short).unwrap_err().to_string(),
        "expected flags `perms` with 3 flags, found 1 flags"
    );
}
