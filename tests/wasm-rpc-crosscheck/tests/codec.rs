//! Our codec against Golem's own (golem-wasm-rpc 1.1.26; 1.0.x's builder is the same code): for
//! every WIT type, the node list `golem_rpc::encode` writes equals the one golem-wasm-rpc's
//! `Value` → `WitValue` conversion builds (through the `WitValueBuilder` behind its fluent
//! builder API too), our decoder reads what golem-wasm-rpc builds back into the Rust value, and
//! golem-wasm-rpc's `WitValue` → `Value` conversion reads what we write back into the original
//! `Value`.
//!
//! The Rust types are what `golem_rpc::import!` generates for the WIT below, plus the built-in
//! mappings (integers, `String`, `Vec`, `Option`, `Result`, tuples). Each Rust value is mapped
//! to golem-wasm-rpc's `Value` by hand ([`ToValue`]: field order, case indices, flag order and
//! unit result sides as WIT defines them), independently of our encoder.

use std::fmt::Debug;

use golem_rpc::{Handle, ValueBuilder, WitDecode, WitEncode, decode, encode};
use golem_wasm_rpc as gwr;
use gwr::Value;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

golem_rpc::import!({
    inline: "
        package test:crosscheck;

        interface kinds {
          enum color { red, green, blue-ish }
          enum single { only }
          flags perms { read, write, exec }
          flags twelve { f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11 }
          flags wide {
            f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15,
            f16, f17, f18, f19, f20, f21, f22, f23, f24, f25, f26, f27, f28, f29, f30, f31
          }
          record point { x: s32, y: s32 }
          record scalars {
            flag: bool, byte: u8, short: u16, word: u32, long: u64,
            sbyte: s8, sshort: s16, sword: s32, slong: s64,
            single: f32, double: f64, letter: char, text: string
          }
          record nested {
            name: string,
            at: point,
            path: list<point>,
            tags: option<list<string>>,
            maybe: option<option<u8>>,
            grid: list<list<f64>>,
            outcome: result<point, string>,
            color: color,
            perms: perms,
          }
          variant shape {
            empty,
            circle(f64),
            label(string),
            pair(tuple<u32, color>),
            at(point),
            maybe(option<option<s16>>),
            bytes(list<u8>),
          }
          variant signal { stop, go, pause }
          variant outcome {
            unit(result),
            value(result<u8>),
            err-only(result<_, string>),
            both(result<string, u64>),
          }
          record outer {
            inner: nested,
            shapes: list<shape>,
            signal: signal,
            outcomes: list<outcome>,
            twelve: twelve,
            wide: wide,
            single: single,
          }

          echo: func(o: outer, s: scalars) -> tuple<outer, scalars>;
        }

        world crosscheck {
          export kinds;
        }
    ",
});

use crosscheck::kinds::{
    Color, Nested, Outcome, Outer, Perms, Point, Scalars, Shape, Signal, Single, Twelve, Wide,
};

// ---------------------------------------------------------------------------------------------
// A common, comparable form of both crates' `wit-node`s (floats by bit pattern, so NaN payloads
// and -0.0 count). The matches have no wildcard: a node kind one side lacks fails to compile.

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Record(Vec<i32>),
    Variant(u32, Option<i32>),
    Enum(u32),
    Flags(Vec<bool>),
    Tuple(Vec<i32>),
    List(Vec<i32>),
    Option(Option<i32>),
    Result(Result<Option<i32>, Option<i32>>),
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    S8(i8),
    S16(i16),
    S32(i32),
    S64(i64),
    /// `f32::to_bits`.
    F32(u32),
    /// `f64::to_bits`.
    F64(u64),
    Char(char),
    Bool(bool),
    String(String),
    Handle(String, u64),
}

/// The comparable form of a node of either codec (their `WitNode`s have the same cases).
macro_rules! comparable {
    ($name:ident, $node:ty) => {
        fn $name(node: &$node) -> Node {
            use $node as W;
            match node {
                W::RecordValue(c) => Node::Record(c.clone()),
                W::VariantValue((case, payload)) => Node::Variant(*case, *payload),
                W::EnumValue(case) => Node::Enum(*case),
                W::FlagsValue(set) => Node::Flags(set.clone()),
                W::TupleValue(c) => Node::Tuple(c.clone()),
                W::ListValue(c) => Node::List(c.clone()),
                W::OptionValue(c) => Node::Option(*c),
                W::ResultValue(c) => Node::Result(*c),
                W::PrimU8(v) => Node::U8(*v),
                W::PrimU16(v) => Node::U16(*v),
                W::PrimU32(v) => Node::U32(*v),
                W::PrimU64(v) => Node::U64(*v),
                W::PrimS8(v) => Node::S8(*v),
                W::PrimS16(v) => Node::S16(*v),
                W::PrimS32(v) => Node::S32(*v),
                W::PrimS64(v) => Node::S64(*v),
                W::PrimFloat32(v) => Node::F32(v.to_bits()),
                W::PrimFloat64(v) => Node::F64(v.to_bits()),
                W::PrimChar(v) => Node::Char(*v),
                W::PrimBool(v) => Node::Bool(*v),
                W::PrimString(v) => Node::String(v.clone()),
                W::Handle((uri, id)) => Node::Handle(uri.value.clone(), *id),
            }
        }
    };
}

comparable!(from_ours, golem_rpc::WitNode);
comparable!(from_theirs, gwr::WitNode);

/// A node of either codec from the comparable form.
macro_rules! node_of {
    ($name:ident, $node:ty, $uri:ty) => {
        fn $name(node: Node) -> $node {
            use $node as W;
            type U = $uri;
            match node {
                Node::Record(c) => W::RecordValue(c),
                Node::Variant(case, payload) => W::VariantValue((case, payload)),
                Node::Enum(case) => W::EnumValue(case),
                Node::Flags(set) => W::FlagsValue(set),
                Node::Tuple(c) => W::TupleValue(c),
                Node::List(c) => W::ListValue(c),
                Node::Option(c) => W::OptionValue(c),
                Node::Result(c) => W::ResultValue(c),
                Node::U8(v) => W::PrimU8(v),
                Node::U16(v) => W::PrimU16(v),
                Node::U32(v) => W::PrimU32(v),
                Node::U64(v) => W::PrimU64(v),
                Node::S8(v) => W::PrimS8(v),
                Node::S16(v) => W::PrimS16(v),
                Node::S32(v) => W::PrimS32(v),
                Node::S64(v) => W::PrimS64(v),
                Node::F32(bits) => W::PrimFloat32(f32::from_bits(bits)),
                Node::F64(bits) => W::PrimFloat64(f64::from_bits(bits)),
                Node::Char(v) => W::PrimChar(v),
                Node::Bool(v) => W::PrimBool(v),
                Node::String(v) => W::PrimString(v),
                Node::Handle(value, id) => W::Handle((U { value }, id)),
            }
        }
    };
}

node_of!(to_ours, golem_rpc::WitNode, golem_rpc::Uri);
node_of!(to_theirs, gwr::WitNode, gwr::Uri);

fn our_nodes(value: &golem_rpc::WitValue) -> Vec<Node> {
    value.nodes.iter().map(from_ours).collect()
}

fn their_nodes(value: &gwr::WitValue) -> Vec<Node> {
    value.nodes.iter().map(from_theirs).collect()
}

fn into_ours(value: &gwr::WitValue) -> golem_rpc::WitValue {
    golem_rpc::WitValue {
        nodes: their_nodes(value).into_iter().map(to_ours).collect(),
    }
}

fn into_theirs(value: &golem_rpc::WitValue) -> gwr::WitValue {
    gwr::WitValue {
        nodes: our_nodes(value).into_iter().map(to_theirs).collect(),
    }
}

/// A `Value` printed with floats as bit patterns, so that NaN equals itself and -0.0 does not
/// equal 0.0 (`Value`'s `PartialEq` compares floats with `==`).
fn canonical(value: &Value) -> String {
    fn boxed(value: &Option<Box<Value>>) -> String {
        value
            .as_deref()
            .map_or_else(|| "-".to_owned(), |v| format!("({})", canonical(v)))
    }
    fn seq(values: &[Value]) -> String {
        values.iter().map(canonical).collect::<Vec<_>>().join(", ")
    }
    match value {
        Value::F32(v) => format!("F32({:#010x} = {v:?})", v.to_bits()),
        Value::F64(v) => format!("F64({:#018x} = {v:?})", v.to_bits()),
        Value::List(items) => format!("List[{}]", seq(items)),
        Value::Tuple(items) => format!("Tuple[{}]", seq(items)),
        Value::Record(items) => format!("Record[{}]", seq(items)),
        Value::Variant {
            case_idx,
            case_value,
        } => format!("Variant({case_idx}, {})", boxed(case_value)),
        Value::Option(v) => format!("Option{}", boxed(v)),
        Value::Result(Ok(v)) => format!("Ok{}", boxed(v)),
        Value::Result(Err(v)) => format!("Err{}", boxed(v)),
        Value::Bool(_)
        | Value::U8(_)
        | Value::U16(_)
        | Value::U32(_)
        | Value::U64(_)
        | Value::S8(_)
        | Value::S16(_)
        | Value::S32(_)
        | Value::S64(_)
        | Value::Char(_)
        | Value::String(_)
        | Value::Enum(_)
        | Value::Flags(_)
        | Value::Handle { .. } => format!("{value:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Rust values as golem-wasm-rpc `Value`s, written from the WIT definitions.

trait ToValue {
    fn to_value(&self) -> Value;

    /// The payload of a `result` side holding this type: none for `()`.
    fn payload(&self) -> Option<Box<Value>> {
        Some(Box::new(self.to_value()))
    }
}

impl ToValue for () {
    fn to_value(&self) -> Value {
        unreachable!("`()` only stands for a missing result side")
    }

    fn payload(&self) -> Option<Box<Value>> {
        None
    }
}

macro_rules! primitive_value {
    ($($ty:ty => $case:ident),* $(,)?) => {$(
        impl ToValue for $ty {
            fn to_value(&self) -> Value {
                Value::$case(*self)
            }
        }
    )*};
}

primitive_value! {
    bool => Bool, u8 => U8, u16 => U16, u32 => U32, u64 => U64,
    i8 => S8, i16 => S16, i32 => S32, i64 => S64,
    f32 => F32, f64 => F64, char => Char,
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
}

impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        Value::List(self.iter().map(ToValue::to_value).collect())
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        Value::Option(self.as_ref().map(|v| Box::new(v.to_value())))
    }
}

impl<T: ToValue, E: ToValue> ToValue for Result<T, E> {
    fn to_value(&self) -> Value {
        Value::Result(match self {
            Ok(v) => Ok(v.payload()),
            Err(e) => Err(e.payload()),
        })
    }
}

macro_rules! tuple_value {
    ($($name:ident $pos:tt),+) => {
        impl<$($name: ToValue),+> ToValue for ($($name,)+) {
            fn to_value(&self) -> Value {
                Value::Tuple(vec![$(self.$pos.to_value()),+])
            }
        }
    };
}

tuple_value!(A 0);
tuple_value!(A 0, B 1);
tuple_value!(A 0, B 1, C 2);
tuple_value!(A 0, B 1, C 2, D 3);
tuple_value!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_value!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

fn variant(case_idx: u32, payload: Option<Value>) -> Value {
    Value::Variant {
        case_idx,
        case_value: payload.map(Box::new),
    }
}

impl ToValue for Color {
    fn to_value(&self) -> Value {
        Value::Enum(match self {
            Color::Red => 0,
            Color::Green => 1,
            Color::BlueIsh => 2,
        })
    }
}

impl ToValue for Single {
    fn to_value(&self) -> Value {
        match self {
            Single::Only => Value::Enum(0),
        }
    }
}

impl ToValue for Perms {
    fn to_value(&self) -> Value {
        Value::Flags(vec![
            self.contains(Perms::READ),
            self.contains(Perms::WRITE),
            self.contains(Perms::EXEC),
        ])
    }
}

/// Flag `n` (declaration order) is bit `n` of the generated type's `bits()`.
fn flag_bits(bits: u64, count: u32) -> Value {
    Value::Flags((0..count).map(|n| bits & (1 << n) != 0).collect())
}

impl ToValue for Twelve {
    fn to_value(&self) -> Value {
        flag_bits(self.bits().into(), 12)
    }
}

impl ToValue for Wide {
    fn to_value(&self) -> Value {
        flag_bits(self.bits().into(), 32)
    }
}

impl ToValue for Point {
    fn to_value(&self) -> Value {
        Value::Record(vec![self.x.to_value(), self.y.to_value()])
    }
}

impl ToValue for Scalars {
    fn to_value(&self) -> Value {
        Value::Record(vec![
            self.flag.to_value(),
            self.byte.to_value(),
            self.short.to_value(),
            self.word.to_value(),
            self.long.to_value(),
            self.sbyte.to_value(),
            self.sshort.to_value(),
            self.sword.to_value(),
            self.slong.to_value(),
            self.single.to_value(),
            self.double.to_value(),
            self.letter.to_value(),
            self.text.to_value(),
        ])
    }
}

impl ToValue for Nested {
    fn to_value(&self) -> Value {
        Value::Record(vec![
            self.name.to_value(),
            self.at.to_value(),
            self.path.to_value(),
            self.tags.to_value(),
            self.maybe.to_value(),
            self.grid.to_value(),
            self.outcome.to_value(),
            self.color.to_value(),
            self.perms.to_value(),
        ])
    }
}

impl ToValue for Shape {
    fn to_value(&self) -> Value {
        match self {
            Shape::Empty => variant(0, None),
            Shape::Circle(r) => variant(1, Some(r.to_value())),
            Shape::Label(s) => variant(2, Some(s.to_value())),
            Shape::Pair(p) => variant(3, Some(p.to_value())),
            Shape::At(p) => variant(4, Some(p.to_value())),
            Shape::Maybe(m) => variant(5, Some(m.to_value())),
            Shape::Bytes(b) => variant(6, Some(b.to_value())),
        }
    }
}

impl ToValue for Signal {
    fn to_value(&self) -> Value {
        match self {
            Signal::Stop => variant(0, None),
            Signal::Go => variant(1, None),
            Signal::Pause => variant(2, None),
        }
    }
}

impl ToValue for Outcome {
    fn to_value(&self) -> Value {
        match self {
            Outcome::Unit(r) => variant(0, Some(r.to_value())),
            Outcome::Value(r) => variant(1, Some(r.to_value())),
            Outcome::ErrOnly(r) => variant(2, Some(r.to_value())),
            Outcome::Both(r) => variant(3, Some(r.to_value())),
        }
    }
}

impl ToValue for Outer {
    fn to_value(&self) -> Value {
        Value::Record(vec![
            self.inner.to_value(),
            self.shapes.to_value(),
            self.signal.to_value(),
            self.outcomes.to_value(),
            self.twelve.to_value(),
            self.wide.to_value(),
            self.single.to_value(),
        ])
    }
}

/// A resource handle: `uri` and `id`.
///
/// Generated clients hold handles as `golem_rpc::RemoteResource`, which needs a `golem:rpc` host
/// to exist; its `WitEncode` pushes one `handle((uri, id))` node, as this does, and decoding
/// goes through `golem_rpc::Handle` (what `decode_resource` reads before it connects).
#[derive(Debug, Clone, PartialEq)]
struct HandleValue {
    uri: String,
    id: u64,
}

impl WitEncode for HandleValue {
    fn encode(&self, builder: &mut ValueBuilder) {
        builder.push(golem_rpc::WitNode::Handle((
            golem_rpc::Uri {
                value: self.uri.clone(),
            },
            self.id,
        )));
    }
}

impl WitDecode for HandleValue {
    fn decode(
        reader: &golem_rpc::ValueReader<'_>,
        index: golem_rpc::NodeIndex,
    ) -> Result<Self, golem_rpc::DecodeError> {
        let Handle { uri, id } = Handle::decode(reader, index)?;
        Ok(Self { uri: uri.value, id })
    }
}

impl ToValue for HandleValue {
    fn to_value(&self) -> Value {
        Value::Handle {
            uri: self.uri.clone(),
            resource_id: self.id,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The check.

/// The cross-check for one value; panics with both sides on any divergence.
fn check<T: WitEncode + WitDecode + ToValue + Debug>(value: &T) {
    let golem_value = value.to_value();
    let theirs: gwr::WitValue = golem_value.clone().into();
    let ours = encode(value);

    // 1. Our encoder writes golem-wasm-rpc's node list, node for node.
    assert_eq!(
        our_nodes(&ours),
        their_nodes(&theirs),
        "encoder diverges for {value:?}\n  (left: golem-rpc, right: golem-wasm-rpc)"
    );

    // 2. Our decoder reads golem-wasm-rpc's node list back into the Rust value (float bits
    //    included: re-encoding what was decoded gives golem-wasm-rpc's nodes again).
    let decoded: T = decode(&into_ours(&theirs)).unwrap_or_else(|e| {
        panic!("decoder rejects golem-wasm-rpc's nodes for {value:?}: {e}\n  {theirs:?}")
    });
    assert_eq!(
        format!("{decoded:?}"),
        format!("{value:?}"),
        "decoder reads golem-wasm-rpc's nodes wrongly"
    );
    assert_eq!(our_nodes(&encode(&decoded)), their_nodes(&theirs));

    // 3. golem-wasm-rpc reads our node list back into the original `Value`.
    let back = Value::from(into_theirs(&ours));
    assert_eq!(
        canonical(&back),
        canonical(&golem_value),
        "golem-wasm-rpc reads our nodes for {value:?} as another value"
    );
}

fn s(text: &str) -> String {
    text.to_owned()
}

fn point(x: i32, y: i32) -> Point {
    Point { x, y }
}

fn handle(uri: &str, id: u64) -> HandleValue {
    HandleValue { uri: s(uri), id }
}

const URI: &str = "urn:worker:6f3c2a1e-0b5d-4d2a-9c8e-3f1a2b4c5d6e/worker-1";

// ---------------------------------------------------------------------------------------------
// The fixed corpus, one test per WIT type family.

#[test]
fn integers_and_bool() {
    for v in [false, true] {
        check(&v);
    }
    for v in [0, 1, 127, 128, u8::MAX] {
        check(&v);
    }
    for v in [0, 1, 255, 256, u16::MAX] {
        check(&v);
    }
    for v in [0, 1, u32::MAX - 1, u32::MAX] {
        check(&v);
    }
    for v in [0, 1, u64::from(u32::MAX) + 1, u64::MAX] {
        check(&v);
    }
    for v in [i8::MIN, -1, 0, 1, i8::MAX] {
        check(&v);
    }
    for v in [i16::MIN, -1, 0, 1, i16::MAX] {
        check(&v);
    }
    for v in [i32::MIN, -1, 0, 1, i32::MAX] {
        check(&v);
    }
    for v in [i64::MIN, -1, 0, 1, i64::MAX] {
        check(&v);
    }
}

#[test]
fn floats_including_nan_signed_zero_and_infinities() {
    for v in [
        0.0,
        -0.0,
        1.5,
        -1.0e-40, // subnormal
        f32::MIN,
        f32::MAX,
        f32::MIN_POSITIVE,
        f32::EPSILON,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
        f32::from_bits(0x7fc0_0001), // quiet NaN with a payload
        f32::from_bits(0x7f80_0001), // signalling NaN
    ] {
        check(&v);
    }
    for v in [
        0.0,
        -0.0,
        -2.5,
        5e-324, // subnormal
        f64::MIN,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::EPSILON,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
        f64::from_bits(0x7ff8_0000_0000_beef),
        f64::from_bits(0x7ff0_0000_0000_0001),
    ] {
        check(&v);
    }
}

#[test]
fn chars_and_strings() {
    for v in ['\0', 'a', 'ü', '€', '😀', '\u{d7ff}', '\u{e000}', char::MAX] {
        check(&v);
    }
    for v in [
        s(""),
        s("a"),
        s("hello, world"),
        s("ünïcödé — 😀 ∑ 日本語"),
        s("nul \0 inside"),
        s("\u{10ffff}"),
        "long ".repeat(1000),
    ] {
        check(&v);
    }
}

#[test]
fn lists() {
    check(&Vec::<u8>::new());
    check(&vec![0u8, 1, 255]);
    check(&Vec::<String>::new());
    check(&vec![s(""), s("x"), s("ü")]);
    check(&vec![Vec::<u32>::new()]);
    check(&vec![vec![1u32, 2], vec![], vec![3]]);
    check(&vec![
        vec![vec![s("deep")]],
        vec![],
        vec![vec![], vec![s("a"), s("b")]],
    ]);
    check(&vec![Some(1i64), None, Some(-1)]);
    check(&vec![Ok::<u8, String>(1), Err(s("e")), Ok(2)]);
    check(&vec![Ok::<(), ()>(()), Err(())]);
    check(&vec![(1u8, 'a'), (2, 'b')]);
    check(&vec![point(1, 2), point(-3, 4)]);
    check(&vec![f32::NAN, -0.0, f32::INFINITY]);
    check(&(0..300).map(|i| i as u16).collect::<Vec<_>>());
}

#[test]
fn options() {
    check(&None::<u8>);
    check(&Some(0u8));
    check(&Some(s("")));
    check(&None::<Option<u8>>);
    check(&Some(None::<u8>));
    check(&Some(Some(7u8)));
    check(&Some(Some(None::<String>)));
    check(&Some(Some(Some(s("three")))));
    check(&Some(Vec::<u8>::new()));
    check(&Some(vec![None, Some(1u64)]));
    check(&Some(point(0, 0)));
    check(&Some((1u8, None::<char>)));
    check(&Some(Ok::<(), String>(())));
}

#[test]
fn results() {
    // `result`: both sides unit.
    check(&Ok::<(), ()>(()));
    check(&Err::<(), ()>(()));
    // `result<u8>`: unit error.
    check(&Ok::<u8, ()>(42));
    check(&Err::<u8, ()>(()));
    // `result<_, string>`: unit ok.
    check(&Ok::<(), String>(()));
    check(&Err::<(), String>(s("bad")));
    // `result<u32, string>`.
    check(&Ok::<u32, String>(7));
    check(&Err::<u32, String>(s("")));
    // Nested.
    check(&Ok::<Result<u8, String>, Option<u8>>(Ok(1)));
    check(&Ok::<Result<u8, String>, Option<u8>>(Err(s("inner"))));
    check(&Err::<Result<u8, String>, Option<u8>>(None));
    check(&Err::<Result<u8, String>, Option<u8>>(Some(3)));
    check(&Ok::<Result<(), ()>, ()>(Err(())));
    check(&Err::<(), Result<(), String>>(Ok(())));
    check(&Ok::<Vec<u8>, Vec<String>>(vec![]));
    check(&Err::<Vec<u8>, Vec<String>>(vec![s("a")]));
    check(&Ok::<Option<Option<u8>>, ()>(Some(None)));
    check(&Ok::<Point, String>(point(5, -5)));
}

#[test]
fn tuples() {
    check(&(1u8,));
    check(&(1u8, s("two")));
    check(&(true, 'c', -1i16));
    check(&((1u8, (2i64, 'x')), s("outer"), (None::<u8>,)));
    check(&(Some(1u32), Ok::<(), String>(()), vec![(1u8,)], point(1, 1)));
    check(&(
        1u8,
        2u16,
        3u32,
        4u64,
        -5i8,
        -6i16,
        -7i32,
        -8i64,
        9.5f32,
        -10.25f64,
        'k',
        s("twelve"),
    ));
}

fn scalars() -> Scalars {
    Scalars {
        flag: true,
        byte: u8::MAX,
        short: u16::MAX,
        word: u32::MAX,
        long: u64::MAX,
        sbyte: i8::MIN,
        sshort: i16::MIN,
        sword: i32::MIN,
        slong: i64::MIN,
        single: -0.0,
        double: f64::NAN,
        letter: '😀',
        text: s("ü"),
    }
}

fn nested() -> Nested {
    Nested {
        name: s("n"),
        at: point(1, 2),
        path: vec![point(3, 4), point(5, 6)],
        tags: Some(vec![s("a"), s("")]),
        maybe: Some(None),
        grid: vec![vec![1.0, -0.0], vec![], vec![f64::INFINITY]],
        outcome: Err(s("no")),
        color: Color::BlueIsh,
        perms: Perms::READ | Perms::EXEC,
    }
}

fn outer() -> Outer {
    Outer {
        inner: nested(),
        shapes: vec![
            Shape::Empty,
            Shape::Pair((9, Color::Green)),
            Shape::Maybe(Some(Some(-1))),
        ],
        signal: Signal::Pause,
        outcomes: vec![
            Outcome::Unit(Ok(())),
            Outcome::Value(Err(())),
            Outcome::ErrOnly(Err(s("e"))),
            Outcome::Both(Ok(s("ok"))),
        ],
        twelve: Twelve::F0 | Twelve::F11,
        wide: Wide::F31,
        single: Single::Only,
    }
}

#[test]
fn records() {
    check(&point(0, 0));
    check(&point(i32::MIN, i32::MAX));
    check(&scalars());
    check(&Scalars {
        flag: false,
        byte: 0,
        short: 0,
        word: 0,
        long: 0,
        sbyte: 0,
        sshort: 0,
        sword: 0,
        slong: 0,
        single: f32::NAN,
        double: -0.0,
        letter: '\0',
        text: s(""),
    });
    check(&nested());
    check(&Nested {
        name: s(""),
        at: point(0, 0),
        path: vec![],
        tags: None,
        maybe: None,
        grid: vec![],
        outcome: Ok(point(-1, -1)),
        color: Color::Red,
        perms: Perms::empty(),
    });
    check(&Nested {
        tags: Some(vec![]),
        maybe: Some(Some(255)),
        ..nested()
    });
    check(&outer());
    check(&Outer {
        shapes: vec![],
        outcomes: vec![],
        twelve: Twelve::empty(),
        wide: Wide::empty(),
        ..outer()
    });
    check(&vec![outer(), outer()]);
}

#[test]
fn variants() {
    for v in [
        Shape::Empty,
        Shape::Circle(2.5),
        Shape::Circle(f64::NAN),
        Shape::Label(s("")),
        Shape::Label(s("ü")),
        Shape::Pair((0, Color::Red)),
        Shape::Pair((u32::MAX, Color::BlueIsh)),
        Shape::At(point(7, -7)),
        Shape::Maybe(None),
        Shape::Maybe(Some(None)),
        Shape::Maybe(Some(Some(i16::MIN))),
        Shape::Bytes(vec![]),
        Shape::Bytes(vec![0, 255]),
    ] {
        check(&v);
    }
    for v in [Signal::Stop, Signal::Go, Signal::Pause] {
        check(&v);
    }
    for v in [
        Outcome::Unit(Ok(())),
        Outcome::Unit(Err(())),
        Outcome::Value(Ok(0)),
        Outcome::Value(Err(())),
        Outcome::ErrOnly(Ok(())),
        Outcome::ErrOnly(Err(s("why"))),
        Outcome::Both(Ok(s("yes"))),
        Outcome::Both(Err(u64::MAX)),
    ] {
        check(&v);
    }
    check(&Some(Shape::Empty));
    check(&vec![Signal::Go, Signal::Stop]);
    check(&Ok::<Shape, Signal>(Shape::At(point(1, 1))));
    check(&Err::<Shape, Signal>(Signal::Pause));
}

#[test]
fn enums() {
    for v in [Color::Red, Color::Green, Color::BlueIsh] {
        check(&v);
    }
    check(&Single::Only);
    check(&vec![Color::BlueIsh, Color::Red]);
    check(&(Single::Only, Some(Color::Green)));
}

#[test]
fn flags() {
    for v in [
        Perms::empty(),
        Perms::READ,
        Perms::WRITE,
        Perms::EXEC,
        Perms::READ | Perms::EXEC,
        Perms::all(),
    ] {
        check(&v);
    }
    for v in [
        Twelve::empty(),
        Twelve::F0,
        Twelve::F7,
        Twelve::F8,
        Twelve::F11,
        Twelve::F7 | Twelve::F8,
        Twelve::from_bits_truncate(0b1010_1010_1010),
        Twelve::all(),
    ] {
        check(&v);
    }
    for v in [
        Wide::empty(),
        Wide::F0,
        Wide::F31,
        Wide::from_bits_truncate(0x8000_0001),
        Wide::from_bits_truncate(0x5555_5555),
        Wide::all(),
    ] {
        check(&v);
    }
    check(&vec![Perms::empty(), Perms::all()]);
    check(&Some((Perms::WRITE, Twelve::F10, Wide::F16)));
}

#[test]
fn resource_handles() {
    for v in [
        handle(URI, 0),
        handle(URI, 1),
        handle(URI, u64::MAX),
        handle("urn:worker:00000000-0000-0000-0000-000000000000/ü 😀", 42),
        handle("", 7),
    ] {
        check(&v);
    }
    check(&vec![handle(URI, 1), handle(URI, 2)]);
    check(&Vec::<HandleValue>::new());
    check(&Some(handle(URI, 3)));
    check(&None::<HandleValue>);
    check(&(handle(URI, 4), s("name")));
    check(&Ok::<HandleValue, String>(handle(URI, 5)));
    check(&Err::<HandleValue, String>(s("gone")));
    check(&Some(Some(handle(URI, 6))));
}

/// Decodes `value` as the type of `_like`.
fn decode_as<T: WitDecode>(_like: &T, value: &golem_rpc::WitValue) -> T {
    decode(value).unwrap()
}

/// golem-wasm-rpc's fluent builder API (`WitValue::builder()`, what code written against
/// golem-wasm-rpc builds values with) writes the same nodes as its `Value` conversion and ours.
#[test]
fn fluent_builder_api() {
    use gwr::{NodeBuilder, WitValueBuilderExtensions};

    let theirs = gwr::WitValue::builder()
        .tuple()
        .item()
        .record()
        .item()
        .s32(1)
        .item()
        .s32(-2)
        .finish()
        .item()
        .option_some()
        .option_none()
        .finish()
        .item()
        .list()
        .item()
        .string("a")
        .item()
        .string("")
        .finish()
        .item()
        .result_err_unit()
        .item()
        .result_ok()
        .variant(3)
        .tuple()
        .item()
        .u32(9)
        .item()
        .enum_value(1)
        .finish()
        .finish()
        .finish()
        .item()
        .flags(vec![true, false, true])
        .item()
        .handle(gwr::Uri { value: s(URI) }, 5)
        .finish();
    let value = (
        point(1, -2),
        Some(None::<u8>),
        vec![s("a"), s("")],
        Err::<u8, ()>(()),
        Ok::<Shape, String>(Shape::Pair((9, Color::Green))),
        Perms::READ | Perms::EXEC,
        handle(URI, 5),
    );
    assert_eq!(our_nodes(&encode(&value)), their_nodes(&theirs));
    let decoded = decode_as(&value, &into_ours(&theirs));
    assert_eq!(format!("{decoded:?}"), format!("{value:?}"));
    check(&value);
}

// ---------------------------------------------------------------------------------------------
// The check itself fails where the two sides differ.

/// A point whose `Value` lists its fields in the wrong order.
#[derive(Debug)]
struct Swapped(Point);

impl WitEncode for Swapped {
    fn encode(&self, builder: &mut ValueBuilder) {
        self.0.encode(builder);
    }
}

impl WitDecode for Swapped {
    fn decode(
        reader: &golem_rpc::ValueReader<'_>,
        index: golem_rpc::NodeIndex,
    ) -> Result<Self, golem_rpc::DecodeError> {
        Point::decode(reader, index).map(Swapped)
    }
}

impl ToValue for Swapped {
    fn to_value(&self) -> Value {
        Value::Record(vec![self.0.y.to_value(), self.0.x.to_value()])
    }
}

/// A NaN whose `Value` is another NaN.
#[derive(Debug)]
struct OtherNan;

impl WitEncode for OtherNan {
    fn encode(&self, builder: &mut ValueBuilder) {
        f32::NAN.encode(builder);
    }
}

impl WitDecode for OtherNan {
    fn decode(
        _reader: &golem_rpc::ValueReader<'_>,
        _index: golem_rpc::NodeIndex,
    ) -> Result<Self, golem_rpc::DecodeError> {
        Ok(OtherNan)
    }
}

impl ToValue for OtherNan {
    fn to_value(&self) -> Value {
        Value::F32(-f32::NAN)
    }
}

#[test]
#[should_panic(expected = "encoder diverges")]
fn check_catches_a_field_order_divergence() {
    check(&Swapped(point(1, 2)));
}

#[test]
#[should_panic(expected = "encoder diverges")]
fn check_compares_floats_by_bits() {
    check(&OtherNan);
}

// ---------------------------------------------------------------------------------------------
// Random values of composite types (`GOLEM_RPC_CROSSCHECK_CASES`, default 256 per type).

fn run<S: Strategy>(strategy: S)
where
    S::Value: WitEncode + WitDecode + ToValue + Debug,
{
    let cases = std::env::var("GOLEM_RPC_CROSSCHECK_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&strategy, |value| {
            check(&value);
            Ok(())
        })
        .unwrap();
}

fn any_f32() -> impl Strategy<Value = f32> {
    prop_oneof![any::<f32>(), any::<u32>().prop_map(f32::from_bits)]
}

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![any::<f64>(), any::<u64>().prop_map(f64::from_bits)]
}

fn text() -> impl Strategy<Value = String> {
    ".{0,6}"
}

fn any_point() -> impl Strategy<Value = Point> {
    (any::<i32>(), any::<i32>()).prop_map(|(x, y)| Point { x, y })
}

fn any_color() -> impl Strategy<Value = Color> {
    prop_oneof![Just(Color::Red), Just(Color::Green), Just(Color::BlueIsh)]
}

fn any_shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Empty),
        any_f64().prop_map(Shape::Circle),
        text().prop_map(Shape::Label),
        (any::<u32>(), any_color()).prop_map(Shape::Pair),
        any_point().prop_map(Shape::At),
        proptest::option::of(proptest::option::of(any::<i16>())).prop_map(Shape::Maybe),
        proptest::collection::vec(any::<u8>(), 0..4).prop_map(Shape::Bytes),
    ]
}

fn any_signal() -> impl Strategy<Value = Signal> {
    prop_oneof![Just(Signal::Stop), Just(Signal::Go), Just(Signal::Pause)]
}

fn unit_result() -> impl Strategy<Value = Result<(), ()>> {
    prop_oneof![Just(Ok(())), Just(Err(()))]
}

fn any_outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        unit_result().prop_map(Outcome::Unit),
        proptest::option::of(any::<u8>())
            .prop_map(|v| Outcome::Value(v.ok_or(())))
            .boxed(),
        proptest::option::of(text())
            .prop_map(|e| Outcome::ErrOnly(e.map_or(Ok(()), Err)))
            .boxed(),
        proptest::result::maybe_ok(text(), any::<u64>()).prop_map(Outcome::Both),
    ]
}

fn any_scalars() -> impl Strategy<Value = Scalars> {
    (
        (
            any::<bool>(),
            any::<u8>(),
            any::<u16>(),
            any::<u32>(),
            any::<u64>(),
            any::<i8>(),
            any::<i16>(),
        ),
        (
            any::<i32>(),
            any::<i64>(),
            any_f32(),
            any_f64(),
            any::<char>(),
            text(),
        ),
    )
        .prop_map(
            |(
                (flag, byte, short, word, long, sbyte, sshort),
                (sword, slong, single, double, letter, text),
            )| Scalars {
                flag,
                byte,
                short,
                word,
                long,
                sbyte,
                sshort,
                sword,
                slong,
                single,
                double,
                letter,
                text,
            },
        )
}

fn any_nested() -> impl Strategy<Value = Nested> {
    (
        text(),
        any_point(),
        proptest::collection::vec(any_point(), 0..3),
        proptest::option::of(proptest::collection::vec(text(), 0..3)),
        proptest::option::of(proptest::option::of(any::<u8>())),
        proptest::collection::vec(proptest::collection::vec(any_f64(), 0..3), 0..3),
        proptest::result::maybe_ok(any_point(), text()),
        any_color(),
        any::<u8>().prop_map(Perms::from_bits_truncate),
    )
        .prop_map(
            |(name, at, path, tags, maybe, grid, outcome, color, perms)| Nested {
                name,
                at,
                path,
                tags,
                maybe,
                grid,
                outcome,
                color,
                perms,
            },
        )
}

fn any_outer() -> impl Strategy<Value = Outer> {
    (
        any_nested(),
        proptest::collection::vec(any_shape(), 0..4),
        any_signal(),
        proptest::collection::vec(any_outcome(), 0..4),
        any::<u16>().prop_map(Twelve::from_bits_truncate),
        any::<u32>().prop_map(Wide::from_bits_truncate),
    )
        .prop_map(|(inner, shapes, signal, outcomes, twelve, wide)| Outer {
            inner,
            shapes,
            signal,
            outcomes,
            twelve,
            wide,
            single: Single::Only,
        })
}

fn any_handle() -> impl Strategy<Value = HandleValue> {
    (
        prop_oneof![Just(s(URI)), "urn:worker:[a-z0-9-]{0,8}/.{0,6}"],
        any::<u64>(),
    )
        .prop_map(|(uri, id)| HandleValue { uri, id })
}

#[test]
fn random_records() {
    run(any_outer());
    run(any_scalars());
}

#[test]
fn random_variants_and_flags() {
    run(proptest::result::maybe_ok(
        proptest::collection::vec(any_shape(), 0..5),
        (
            any::<u8>().prop_map(Perms::from_bits_truncate),
            any::<u32>().prop_map(Wide::from_bits_truncate),
            any_color(),
        ),
    ));
    run(proptest::collection::vec(
        (any_outcome(), proptest::option::of(any_signal())),
        0..5,
    ));
}

#[test]
fn random_options_results_lists_and_tuples() {
    run(proptest::collection::vec(
        proptest::option::of(proptest::result::maybe_ok(
            (any::<u8>(), text()),
            proptest::option::of(any::<i64>()),
        )),
        0..6,
    ));
    run(proptest::option::of(proptest::option::of(
        proptest::collection::vec(any::<char>(), 0..4),
    )));
    run(proptest::result::maybe_ok(
        Just(()),
        proptest::result::maybe_ok(text(), Just(())),
    ));
    run(proptest::collection::vec(
        proptest::collection::vec(proptest::collection::vec(any_f32(), 0..3), 0..3),
        0..3,
    ));
}

#[test]
fn random_handles() {
    run(proptest::collection::vec(
        (any_handle(), proptest::option::of(any_signal())),
        0..5,
    ));
    run(proptest::result::maybe_ok(
        proptest::option::of(any_handle()),
        text(),
    ));
}
