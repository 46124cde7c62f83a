//! The value codec: Rust values to and from `wit-value` node trees.
//!
//! The layout is the one Golem's own builder (`golem-wasm-rpc`) produces and its executor reads:
//! the root is node 0 and nodes are written in pre-order. A container is pushed first, its
//! children are appended after it in declaration order, then the container is patched with
//! their indices. Decoding is driven by the Rust type that is expected, so it recurses only as
//! deep as that type is nested, whatever the remote side sends; every index is bounds-checked.

use std::borrow::Cow;
use std::fmt;

use crate::{NodeIndex, WitNode, WitValue};

/// A Rust value that can be written as a `wit-value` node tree.
///
/// Implemented for the WIT primitives, `String`/`str`, slices and `Vec`, `Option`, `Result`,
/// tuples up to 12 elements, and by `import!` for the records it generates.
pub trait WitEncode {
    /// `true` only for `()`, which stands for the missing side of a WIT `result`.
    #[doc(hidden)]
    const UNIT: bool = false;

    /// Appends this value's nodes to `builder`, its own node first.
    fn encode(&self, builder: &mut ValueBuilder);
}

/// A Rust value that can be read back from a `wit-value` node tree.
pub trait WitDecode: Sized {
    /// `true` only for `()`, which stands for the missing side of a WIT `result`.
    #[doc(hidden)]
    const UNIT: bool = false;

    /// Reads the value rooted at `index`, or says what was wrong with the node tree.
    fn decode(reader: &ValueReader<'_>, index: NodeIndex) -> Result<Self, DecodeError>;

    /// Reads a tuple's elements from the given nodes (the named results of a Golem 1.0/1.1
    /// function arrive as the children of the reply's root). Only tuples implement it.
    #[doc(hidden)]
    fn decode_items(reader: &ValueReader<'_>, items: &[NodeIndex]) -> Result<Self, DecodeError> {
        let _ = reader;
        Err(DecodeError::new(
            "a single result",
            format!("{} named results", items.len()),
        ))
    }
}

/// Encodes `value` as a complete `wit-value`.
///
/// Out of line, so each parameter type's encoder exists once rather than at every call site.
#[inline(never)]
pub fn encode<T: WitEncode + ?Sized>(value: &T) -> WitValue {
    let mut builder = ValueBuilder::new();
    value.encode(&mut builder);
    builder.finish()
}

/// Decodes a complete `wit-value` whose root is node 0.
pub fn decode<T: WitDecode>(value: &WitValue) -> Result<T, DecodeError> {
    T::decode(&ValueReader::new(value), 0)
}

/// Builds a `wit-value` node tree in Golem's pre-order layout.
#[derive(Debug, Default)]
pub struct ValueBuilder {
    nodes: Vec<WitNode>,
}

impl ValueBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The finished value.
    pub fn finish(self) -> WitValue {
        WitValue { nodes: self.nodes }
    }

    /// Appends one node and returns its index.
    pub fn push(&mut self, node: WitNode) -> NodeIndex {
        let index = self.next_index();
        self.nodes.push(node);
        index
    }

    /// Encodes `value` as the next node (and its children) and returns the node's index.
    pub fn child<T: WitEncode + ?Sized>(&mut self, value: &T) -> NodeIndex {
        let index = self.next_index();
        value.encode(self);
        index
    }

    /// Writes a record: `fields` encodes each field with [`SeqBuilder::item`], in declaration order.
    pub fn record(&mut self, fields: impl FnOnce(&mut SeqBuilder<'_>)) {
        let at = self.push(WitNode::RecordValue(Vec::new()));
        let children = self.seq(fields);
        self.nodes[at as usize] = WitNode::RecordValue(children);
    }

    /// Writes a tuple: `items` encodes each element with [`SeqBuilder::item`], in order.
    pub fn tuple(&mut self, items: impl FnOnce(&mut SeqBuilder<'_>)) {
        let at = self.push(WitNode::TupleValue(Vec::new()));
        let children = self.seq(items);
        self.nodes[at as usize] = WitNode::TupleValue(children);
    }

    /// Writes a list of the given items.
    pub fn list<'a, T: WitEncode + 'a>(&mut self, items: impl IntoIterator<Item = &'a T>) {
        let at = self.push(WitNode::ListValue(Vec::new()));
        let children = items.into_iter().map(|item| self.child(item)).collect();
        self.nodes[at as usize] = WitNode::ListValue(children);
    }

    /// Writes an option: `none`, or `some` with its payload as the next node.
    pub fn option<T: WitEncode + ?Sized>(&mut self, value: Option<&T>) {
        match value {
            None => {
                self.push(WitNode::OptionValue(None));
            }
            Some(value) => {
                let at = self.push(WitNode::OptionValue(Some(-1)));
                let child = self.child(value);
                self.nodes[at as usize] = WitNode::OptionValue(Some(child));
            }
        }
    }

    /// Writes a result; a unit side (`()`) has no payload node.
    pub fn result<T: WitEncode, E: WitEncode>(&mut self, value: &Result<T, E>) {
        let at = self.push(WitNode::ResultValue(Ok(None)));
        let node = match value {
            Ok(ok) => WitNode::ResultValue(Ok(self.payload(ok))),
            Err(err) => WitNode::ResultValue(Err(self.payload(err))),
        };
        self.nodes[at as usize] = node;
    }

    /// Writes case `case` (its declaration index) of a variant, with its payload if it has one.
    pub fn variant<T: WitEncode + ?Sized>(&mut self, case: u32, payload: Option<&T>) {
        match payload {
            None => {
                self.push(WitNode::VariantValue((case, None)));
            }
            Some(payload) => {
                let at = self.push(WitNode::VariantValue((case, Some(-1))));
                let child = self.child(payload);
                self.nodes[at as usize] = WitNode::VariantValue((case, Some(child)));
            }
        }
    }

    /// Writes a payload-less case of a variant.
    pub fn variant_unit(&mut self, case: u32) {
        self.push(WitNode::VariantValue((case, None)));
    }

    /// Writes flags: one `bool` per flag, in declaration order.
    pub fn flags(&mut self, set: Vec<bool>) {
        self.push(WitNode::FlagsValue(set));
    }

    /// Writes case `case` (its declaration index) of an enum.
    pub fn enum_case(&mut self, case: u32) {
        self.push(WitNode::EnumValue(case));
    }

    fn payload<T: WitEncode>(&mut self, value: &T) -> Option<NodeIndex> {
        (!T::UNIT).then(|| self.child(value))
    }

    fn seq(&mut self, items: impl FnOnce(&mut SeqBuilder<'_>)) -> Vec<NodeIndex> {
        let mut seq = SeqBuilder {
            builder: self,
            children: Vec::new(),
        };
        items(&mut seq);
        seq.children
    }

    fn next_index(&self) -> NodeIndex {
        // A tree with more than `i32::MAX` nodes cannot be sent over `golem:rpc` at all.
        NodeIndex::try_from(self.nodes.len()).expect("wit-value has more than i32::MAX nodes")
    }
}

/// Collects the children of a record or tuple while they are encoded.
pub struct SeqBuilder<'a> {
    builder: &'a mut ValueBuilder,
    children: Vec<NodeIndex>,
}

impl SeqBuilder<'_> {
    /// Encodes the next field or element.
    pub fn item<T: WitEncode + ?Sized>(&mut self, value: &T) -> &mut Self {
        let index = self.builder.child(value);
        self.children.push(index);
        self
    }
}

/// Reads nodes of a `wit-value`, checking every index and node kind.
#[derive(Debug, Clone, Copy)]
pub struct ValueReader<'a> {
    nodes: &'a [WitNode],
}

impl<'a> ValueReader<'a> {
    /// A reader over `value`'s nodes.
    pub fn new(value: &'a WitValue) -> Self {
        Self {
            nodes: &value.nodes,
        }
    }

    /// The node at `index`, or an error naming `expected` if there is none.
    pub fn node(
        &self,
        index: NodeIndex,
        expected: &'static str,
    ) -> Result<&'a WitNode, DecodeError> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.nodes.get(i))
            .ok_or_else(|| DecodeError::missing_node(expected, index, self.nodes.len()))
    }

    /// Decodes the child at `index` as a `T`.
    pub fn read<T: WitDecode>(&self, index: NodeIndex) -> Result<T, DecodeError> {
        T::decode(self, index)
    }

    /// The children of the record at `index`, which must have exactly `fields` fields.
    pub fn record(
        &self,
        index: NodeIndex,
        expected: &'static str,
        fields: usize,
    ) -> Result<&'a [NodeIndex], DecodeError> {
        match self.node(index, expected)? {
            WitNode::RecordValue(children) if children.len() == fields => Ok(children),
            WitNode::RecordValue(children) => {
                Err(DecodeError::arity(expected, fields, children.len()))
            }
            other => Err(DecodeError::unexpected(expected, other)),
        }
    }

    /// Decodes field `position` (named `name`) of a record whose children are `fields`.
    pub fn field<T: WitDecode>(
        &self,
        fields: &[NodeIndex],
        position: usize,
        name: &'static str,
    ) -> Result<T, DecodeError> {
        self.read(fields[position])
            .map_err(|e| e.within(PathSegment::Field(name)))
    }

    /// The children of the tuple at `index`, which must have exactly `items` elements.
    pub fn tuple(
        &self,
        index: NodeIndex,
        expected: &'static str,
        items: usize,
    ) -> Result<&'a [NodeIndex], DecodeError> {
        match self.node(index, expected)? {
            WitNode::TupleValue(children) if children.len() == items => Ok(children),
            WitNode::TupleValue(children) => {
                Err(DecodeError::arity(expected, items, children.len()))
            }
            other => Err(DecodeError::unexpected(expected, other)),
        }
    }

    /// The case index and payload node of the variant at `index`; the index is checked to be
    /// below `cases`.
    pub fn variant(
        &self,
        index: NodeIndex,
        expected: &'static str,
        cases: u32,
    ) -> Result<(u32, Option<NodeIndex>), DecodeError> {
        match self.node(index, expected)? {
            WitNode::VariantValue((case, payload)) if *case < cases => Ok((*case, *payload)),
            WitNode::VariantValue((case, _)) => Err(DecodeError::new(
                format!("{expected} (cases 0..{cases})"),
                format!("case {case}"),
            )),
            other => Err(DecodeError::unexpected(expected, other)),
        }
    }

    /// Decodes the payload of variant case `case`, which must have one.
    pub fn case_payload<T: WitDecode>(
        &self,
        payload: Option<NodeIndex>,
        case: &'static str,
    ) -> Result<T, DecodeError> {
        match payload {
            Some(index) => self.read(index),
            None => Err(DecodeError::new("a payload node", "none")),
        }
        .map_err(|e| e.within(PathSegment::Case(case)))
    }

    /// Checks that payload-less variant case `case` came without a payload.
    pub fn no_payload(
        &self,
        payload: Option<NodeIndex>,
        case: &'static str,
    ) -> Result<(), DecodeError> {
        match payload {
            None => Ok(()),
            Some(_) => {
                Err(DecodeError::new("no payload", "a payload node")
                    .within(PathSegment::Case(case)))
            }
        }
    }

    /// The flags at `index`: one `bool` per flag in declaration order, exactly `count` of them.
    pub fn flags(
        &self,
        index: NodeIndex,
        expected: &'static str,
        count: usize,
    ) -> Result<&'a [bool], DecodeError> {
        match self.node(index, expected)? {
            WitNode::FlagsValue(set) if set.len() == count => Ok(set),
            WitNode::FlagsValue(set) => Err(DecodeError::new(
                format!("{expected} with {count} flags"),
                format!("{} flags", set.len()),
            )),
            other => Err(DecodeError::unexpected(expected, other)),
        }
    }

    /// The case index of the enum at `index`, checked to be below `cases`.
    pub fn enum_case(
        &self,
        index: NodeIndex,
        expected: &'static str,
        cases: u32,
    ) -> Result<u32, DecodeError> {
        match self.node(index, expected)? {
            WitNode::EnumValue(case) if *case < cases => Ok(*case),
            WitNode::EnumValue(case) => Err(DecodeError::new(
                format!("{expected} (cases 0..{cases})"),
                format!("case {case}"),
            )),
            other => Err(DecodeError::unexpected(expected, other)),
        }
    }

    /// Decodes element `position` of a tuple whose children are `items`.
    pub fn element<T: WitDecode>(
        &self,
        items: &[NodeIndex],
        position: usize,
    ) -> Result<T, DecodeError> {
        self.read(items[position])
            .map_err(|e| e.within(PathSegment::Element(position)))
    }
}

/// Where inside a value a decode error happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// A record field, by WIT name.
    Field(&'static str),
    /// A tuple element, by position.
    Element(usize),
    /// A list item, by position.
    Item(usize),
    /// The payload of a variant case, by WIT name.
    Case(&'static str),
    /// The payload of `some`.
    Some,
    /// The payload of `ok`.
    Ok,
    /// The payload of `err`.
    Err,
}

impl fmt::Display for PathSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathSegment::Field(name) => write!(f, ".{name}"),
            PathSegment::Element(i) => write!(f, ".{i}"),
            PathSegment::Item(i) => write!(f, "[{i}]"),
            PathSegment::Case(name) => write!(f, ".{name}"),
            PathSegment::Some => f.write_str(".some"),
            PathSegment::Ok => f.write_str(".ok"),
            PathSegment::Err => f.write_str(".err"),
        }
    }
}

/// A `wit-value` did not have the shape of the expected type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    expected: Cow<'static, str>,
    found: String,
    path: Vec<PathSegment>,
}

impl DecodeError {
    /// `expected` was wanted, and `found` describes what was there instead.
    pub fn new(expected: impl Into<Cow<'static, str>>, found: impl Into<String>) -> Self {
        Self {
            expected: expected.into(),
            found: found.into(),
            path: Vec::new(),
        }
    }

    /// The node at this position was of the wrong kind.
    pub fn unexpected(expected: impl Into<Cow<'static, str>>, found: &WitNode) -> Self {
        Self::new(expected, node_kind(found))
    }

    fn missing_node(expected: &'static str, index: NodeIndex, len: usize) -> Self {
        Self::new(
            expected,
            format!("a reference to node {index}, but the value has {len} nodes"),
        )
    }

    fn arity(expected: &'static str, wanted: usize, got: usize) -> Self {
        Self::new(
            format!("{expected} with {wanted} items"),
            format!("{got} items"),
        )
    }

    /// Records that this error happened inside `segment` of the enclosing value.
    pub fn within(mut self, segment: PathSegment) -> Self {
        self.path.push(segment);
        self
    }

    /// The WIT type that was expected where decoding failed.
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// What was found there instead.
    pub fn found(&self) -> &str {
        &self.found
    }

    /// The path from the root of the value to where decoding failed, e.g. `.labels[3]`.
    pub fn path(&self) -> String {
        self.path.iter().rev().map(ToString::to_string).collect()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}", self.expected)?;
        if !self.path.is_empty() {
            write!(f, " at `{}`", self.path())?;
        }
        write!(f, ", found {}", self.found)
    }
}

impl std::error::Error for DecodeError {}

/// The WIT name of a node's kind, for error messages.
pub fn node_kind(node: &WitNode) -> &'static str {
    match node {
        WitNode::RecordValue(_) => "record-value",
        WitNode::VariantValue(_) => "variant-value",
        WitNode::EnumValue(_) => "enum-value",
        WitNode::FlagsValue(_) => "flags-value",
        WitNode::TupleValue(_) => "tuple-value",
        WitNode::ListValue(_) => "list-value",
        WitNode::OptionValue(_) => "option-value",
        WitNode::ResultValue(_) => "result-value",
        WitNode::PrimU8(_) => "prim-u8",
        WitNode::PrimU16(_) => "prim-u16",
        WitNode::PrimU32(_) => "prim-u32",
        WitNode::PrimU64(_) => "prim-u64",
        WitNode::PrimS8(_) => "prim-s8",
        WitNode::PrimS16(_) => "prim-s16",
        WitNode::PrimS32(_) => "prim-s32",
        WitNode::PrimS64(_) => "prim-s64",
        WitNode::PrimFloat32(_) => "prim-float32",
        WitNode::PrimFloat64(_) => "prim-float64",
        WitNode::PrimChar(_) => "prim-char",
        WitNode::PrimBool(_) => "prim-bool",
        WitNode::PrimString(_) => "prim-string",
        WitNode::Handle(_) => "handle",
    }
}

macro_rules! primitive {
    ($($ty:ty => $case:ident, $wit:literal;)*) => {$(
        impl WitEncode for $ty {
            fn encode(&self, builder: &mut ValueBuilder) {
                builder.push(WitNode::$case(*self));
            }
        }

        impl WitDecode for $ty {
            fn decode(reader: &ValueReader<'_>, index: NodeIndex) -> Result<Self, DecodeError> {
                match reader.node(index, $wit)? {
                    WitNode::$case(value) => Ok(*value),
                    other => Err(DecodeError::unexpected($wit, other)),
                }
            }
        }
    )*};
}

primitive! {
    bool => PrimBool, "bool";
    u8 => PrimU8, "u8";
    u16 => PrimU16, "u16";
    u32 => PrimU32, "u32";
    u64 => PrimU64, "u64";
    i8 => PrimS8, "s8";
    i16 => PrimS16, "s16";
    i32 => PrimS32, "s32";
    i64 => PrimS64, "s64";
    f32 => PrimFloat32, "f32";
    f64 => PrimFloat64, "f64";
    char => PrimChar, "char";
}

impl WitEncode for str {
    fn encode(&self, builder: &mut ValueBuilder) {
        builder.push(WitNode::PrimString(self.to_owned()));
    }
}

impl WitEncode for String {
    fn encode(&self, builder: &mut ValueBuilder) {
        self.as_str().encode(builder);
    }
}

impl WitDecode for String {
    fn decode(reader: &ValueReader<'_>, index: NodeIndex) -> Result<Self, DecodeError> {
        match reader.node(index, "string")? {
            WitNode::PrimString(value) => Ok(value.clone()),
            other => Err(DecodeError::unexpected("string", other)),
        }
    }
}

impl<T: WitEncode + ?Sized> WitEncode for &T {
    fn encode(&self, builder: &mut ValueBuilder) {
        (**self).encode(builder);
    }
}

impl<T: WitEncode> WitEncode for [T] {
    fn encode(&self, builder: &mut ValueBuilder) {
        builder.list(self);
    }
}

impl<T: WitEncode> WitEncode for Vec<T> {
    fn encode(&self, builder: &mut ValueBuilder) {
        builder.list(self);
    }
}

impl<T: WitDecode> WitDecode for Vec<T> {
    fn decode(reader: &ValueReader<'_>, index: NodeIndex) -> Result<Self, DecodeError> {
        match reader.node(index, "list")? {
            WitNode::ListValue(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    reader
                        .read(*item)
                        .map_err(|e| e.within(PathSegment::Item(i)))
                })
                .collect(),
            other => Err(DecodeError::unexpected("list", other)),
        }
    }
}

impl<T: WitEncode> WitEncode for Option<T> {
    fn encode(&self, builder: &mut ValueBuilder) {
        builder.option(self.as_ref());
    }
}

impl<T: WitDecode> WitDecode for Option<T> {
    fn decode(reader: &ValueReader<'_>, index: NodeIndex) -> Result<Self, DecodeError> {
        match reader.node(index, "option")? {
            WitNode::OptionValue(None) => Ok(None),
            WitNode::OptionValue(Some(payload)) => reader
                .read(*payload)
                .map(Some)
                .map_err(|e| e.within(PathSegment::Some)),
            other => Err(DecodeError::unexpected("option", other)),
        }
    }
}

impl<T: WitEncode, E: WitEncode> WitEncode for Result<T, E> {
    fn encode(&self, builder: &mut ValueBuilder) {
        builder.result(self);
    }
}

impl<T: WitDecode, E: WitDecode> WitDecode for Result<T, E> {
    fn decode(reader: &ValueReader<'_>, index: NodeIndex) -> Result<Self, DecodeError> {
        match reader.node(index, "result")? {
            WitNode::ResultValue(Ok(payload)) => {
                decode_payload(reader, *payload, PathSegment::Ok).map(Ok)
            }
            WitNode::ResultValue(Err(payload)) => {
                decode_payload(reader, *payload, PathSegment::Err).map(Err)
            }
            other => Err(DecodeError::unexpected("result", other)),
        }
    }
}

/// Decodes one side of a `result`: `()` has no payload node, every other type has one.
fn decode_payload<T: WitDecode>(
    reader: &ValueReader<'_>,
    payload: Option<NodeIndex>,
    side: PathSegment,
) -> Result<T, DecodeError> {
    match (T::UNIT, payload) {
        (true, None) => T::decode(reader, -1),
        (false, Some(index)) => reader.read(index),
        (true, Some(_)) => Err(DecodeError::new("no payload", "a payload node")),
        (false, None) => Err(DecodeError::new("a payload node", "none")),
    }
    .map_err(|e| e.within(side))
}

impl WitEncode for () {
    const UNIT: bool = true;

    fn encode(&self, _builder: &mut ValueBuilder) {}
}

impl WitDecode for () {
    const UNIT: bool = true;

    fn decode(_reader: &ValueReader<'_>, _index: NodeIndex) -> Result<Self, DecodeError> {
        Ok(())
    }
}

macro_rules! tuple {
    ($len:literal: $($name:ident $pos:tt),+) => {
        impl<$($name: WitEncode),+> WitEncode for ($($name,)+) {
            fn encode(&self, builder: &mut ValueBuilder) {
                builder.tuple(|items| {
                    $(items.item(&self.$pos);)+
                });
            }
        }

        impl<$($name: WitDecode),+> WitDecode for ($($name,)+) {
            fn decode(reader: &ValueReader<'_>, index: NodeIndex) -> Result<Self, DecodeError> {
                let items = reader.tuple(index, "tuple", $len)?;
                Self::decode_items(reader, items)
            }

            fn decode_items(
                reader: &ValueReader<'_>,
                items: &[NodeIndex],
            ) -> Result<Self, DecodeError> {
                if items.len() != $len {
                    return Err(DecodeError::arity("tuple", $len, items.len()));
                }
                Ok(($(reader.element::<$name>(items, $pos)?,)+))
            }
        }
    };
}

tuple!(1: A 0);
tuple!(2: A 0, B 1);
tuple!(3: A 0, B 1, C 2);
tuple!(4: A 0, B 1, C 2, D 3);
tuple!(5: A 0, B 1, C 2, D 3, E 4);
tuple!(6: A 0, B 1, C 2, D 3, E 4, F 5);
tuple!(7: A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple!(8: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple!(9: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple!(10: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple!(11: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple!(12: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
