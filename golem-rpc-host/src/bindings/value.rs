//! Conversion between `golem:rpc` `wit-value` node trees and wasmtime's dynamic [`Val`]s.
//!
//! Both directions are driven by the component-model [`Type`] of the export being called, so a
//! `wit-value` is checked against the callee's real signature (protocol.md §3):
//!
//! - the root of every `wit-value` is `nodes[0]`;
//! - nodes are laid out in pre-order: a container node is pushed first, then its children in
//!   declaration order (so `record{u8 7, option<string> some "x"}` becomes
//!   `[record-value([1,2]), prim-u8(7), option-value(some(3)), prim-string("x")]`);
//! - results travel as one `wit-value` whose root is a `tuple-value` of all results.
//!
//! Decoding never panics and never recurses without bound: node indices are range-checked, every
//! node may be referenced at most once (which rules out cycles and exponential sharing), and the
//! nesting depth is limited to [`MAX_DEPTH`].
//!
//! Resource handles (`own<R>` / `borrow<R>`, encoded as `handle(uri, id)`) only mean something
//! relative to one worker: its table of resources and its self URI (protocol.md §5). The `*_in`
//! functions take a [`HandleContext`] that resolves and registers them; the plain functions use
//! [`NoHandles`], which rejects every handle.

use std::fmt;

use wasmtime::component::{ResourceAny, Type, Val};

use crate::bindings::golem::rpc0_1_3::types::{Uri, WitNode, WitValue};

/// Deepest value nesting accepted in either direction.
pub const MAX_DEPTH: usize = 128;

/// A `wit-value` that does not match the expected type, or a value that cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError(String);

impl ValueError {
    /// An error with the given description.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    /// The human-readable description of the problem.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}

/// Converts resource handles for the values of one worker.
///
/// `handle(uri, id)` nodes are decoded through [`HandleContext::decode_handle`] and
/// [`Val::Resource`]s are encoded through [`HandleContext::encode_handle`]; everything else is
/// converted by this module. The host implements it over the callee worker's resource table.
pub trait HandleContext {
    /// Resolves `handle(uri, id)` for a value of type `ty` (a [`Type::Own`] or [`Type::Borrow`]).
    fn decode_handle(&mut self, uri: &str, id: u64, ty: &Type) -> Result<Val, ValueError>;

    /// Encodes `resource` of type `ty` (registering it if needed): returns its `(uri, id)`.
    fn encode_handle(
        &mut self,
        resource: ResourceAny,
        ty: &Type,
    ) -> Result<(String, u64), ValueError>;
}

/// A [`HandleContext`] for values that may not contain resource handles: rejects them all.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHandles;

impl HandleContext for NoHandles {
    fn decode_handle(&mut self, _uri: &str, _id: u64, ty: &Type) -> Result<Val, ValueError> {
        Err(no_handles(ty))
    }

    fn encode_handle(
        &mut self,
        _resource: ResourceAny,
        ty: &Type,
    ) -> Result<(String, u64), ValueError> {
        Err(no_handles(ty))
    }
}

fn no_handles(ty: &Type) -> ValueError {
    ValueError::new(format!(
        "a {} value needs the resource table of a worker",
        type_name(ty)
    ))
}

/// Decodes one `wit-value` (root at node 0) into a [`Val`] of type `ty`; handles are rejected.
pub fn wit_value_to_val(value: &WitValue, ty: &Type) -> Result<Val, ValueError> {
    wit_value_to_val_in(value, ty, &mut NoHandles)
}

/// Decodes one `wit-value` (root at node 0) into a [`Val`] of type `ty`, resolving handles
/// through `handles`.
pub fn wit_value_to_val_in(
    value: &WitValue,
    ty: &Type,
    handles: &mut impl HandleContext,
) -> Result<Val, ValueError> {
    let mut decoder = Decoder {
        nodes: &value.nodes,
        used: vec![false; value.nodes.len()],
        handles,
    };
    decoder.decode(0, ty, 0)
}

/// Decodes a function's results as Golem sends them (one `wit-value` whose root is a
/// `tuple-value` of the results, or a `record-value` for named results) into [`Val`]s of
/// `types`, resolving handles through `handles`.
pub fn wit_results_to_vals_in(
    value: &WitValue,
    types: &[Type],
    handles: &mut impl HandleContext,
) -> Result<Vec<Val>, ValueError> {
    let mut decoder = Decoder {
        nodes: &value.nodes,
        used: vec![false; value.nodes.len()],
        handles,
    };
    match decoder.node(0)? {
        WitNode::TupleValue(children) | WitNode::RecordValue(children) => {
            decoder.children(0, children, types.iter().cloned(), "the results", 0)
        }
        _ => Err(ValueError::new(
            "node 0: expected the results as a tuple-value".to_string(),
        )),
    }
}

/// Encodes a [`Val`] of type `ty` as a `wit-value` (root at node 0, pre-order layout); resources
/// are rejected.
pub fn val_to_wit_value(val: &Val, ty: &Type) -> Result<WitValue, ValueError> {
    val_to_wit_value_in(val, ty, &mut NoHandles)
}

/// Encodes a [`Val`] of type `ty` as a `wit-value`, encoding resources through `handles`.
pub fn val_to_wit_value_in(
    val: &Val,
    ty: &Type,
    handles: &mut impl HandleContext,
) -> Result<WitValue, ValueError> {
    let mut encoder = Encoder {
        nodes: Vec::new(),
        handles,
    };
    encoder.encode(val, ty, 0)?;
    Ok(WitValue {
        nodes: encoder.nodes,
    })
}

/// Encodes a function's results as Golem does: one `wit-value` whose root is a `tuple-value`;
/// resources are rejected.
pub fn results_to_wit_value(vals: &[Val], types: &[Type]) -> Result<WitValue, ValueError> {
    results_to_wit_value_in(vals, types, &mut NoHandles)
}

/// Like [`results_to_wit_value`], encoding resources (`own<R>` results) through `handles`.
pub fn results_to_wit_value_in(
    vals: &[Val],
    types: &[Type],
    handles: &mut impl HandleContext,
) -> Result<WitValue, ValueError> {
    if vals.len() != types.len() {
        return Err(ValueError::new(format!(
            "expected {} results, got {}",
            types.len(),
            vals.len()
        )));
    }
    let mut encoder = Encoder {
        nodes: Vec::new(),
        handles,
    };
    let root = encoder.push()?;
    let mut children = Vec::with_capacity(vals.len());
    for (val, ty) in vals.iter().zip(types) {
        children.push(encoder.encode(val, ty, 1)?);
    }
    encoder.nodes[root] = WitNode::TupleValue(children);
    Ok(WitValue {
        nodes: encoder.nodes,
    })
}

/// Whether values of type `ty` can contain resource handles (`own` or `borrow`).
///
/// Types nested deeper than [`MAX_DEPTH`] are reported as containing handles (the caller then
/// takes the general path, which rejects such values anyway).
pub(crate) fn has_handles(ty: &Type) -> bool {
    fn walk(ty: &Type, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        let inner = |ty: Type| walk(&ty, depth + 1);
        match ty {
            Type::Own(_) | Type::Borrow(_) => true,
            Type::List(list) => inner(list.ty()),
            Type::FixedLengthList(list) => inner(list.ty()),
            Type::Record(record) => record.fields().any(|field| inner(field.ty)),
            Type::Tuple(tuple) => tuple.types().any(inner),
            Type::Variant(variant) => variant.cases().any(|case| case.ty.is_some_and(inner)),
            Type::Option(option) => inner(option.ty()),
            Type::Result(result) => {
                result.ok().is_some_and(inner) || result.err().is_some_and(inner)
            }
            Type::Map(map) => inner(map.key()) || inner(map.value()),
            _ => false,
        }
    }
    walk(ty, 0)
}

/// A short name of a component-model type, for error messages.
pub(crate) fn type_name(ty: &Type) -> &'static str {
    match ty {
        Type::Bool => "bool",
        Type::S8 => "s8",
        Type::U8 => "u8",
        Type::S16 => "s16",
        Type::U16 => "u16",
        Type::S32 => "s32",
        Type::U32 => "u32",
        Type::S64 => "s64",
        Type::U64 => "u64",
        Type::Float32 => "f32",
        Type::Float64 => "f64",
        Type::Char => "char",
        Type::String => "string",
        Type::List(_) => "list",
        Type::Map(_) => "map",
        Type::Record(_) => "record",
        Type::Tuple(_) => "tuple",
        Type::Variant(_) => "variant",
        Type::Enum(_) => "enum",
        Type::Option(_) => "option",
        Type::Result(_) => "result",
        Type::Flags(_) => "flags",
        Type::Own(_) => "own<resource>",
        Type::Borrow(_) => "borrow<resource>",
        Type::Future(_) => "future",
        Type::Stream(_) => "stream",
        Type::ErrorContext => "error-context",
        Type::FixedLengthList(_) => "fixed-length list",
    }
}

fn node_name(node: &WitNode) -> &'static str {
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

fn unsupported(ty: &Type) -> ValueError {
    ValueError::new(format!(
        "values of type {} are not supported by golem-rpc-host yet",
        type_name(ty)
    ))
}

struct Decoder<'a, H> {
    nodes: &'a [WitNode],
    used: Vec<bool>,
    handles: &'a mut H,
}

impl<'a, H: HandleContext> Decoder<'a, H> {
    fn node(&mut self, index: i32) -> Result<&'a WitNode, ValueError> {
        let slot = usize::try_from(index)
            .ok()
            .filter(|&i| i < self.nodes.len())
            .ok_or_else(|| {
                ValueError::new(format!(
                    "node index {index} is out of range (the wit-value has {} nodes)",
                    self.nodes.len()
                ))
            })?;
        if std::mem::replace(&mut self.used[slot], true) {
            return Err(ValueError::new(format!(
                "node {index} is referenced more than once (a wit-value must be a tree)"
            )));
        }
        Ok(&self.nodes[slot])
    }

    fn children(
        &mut self,
        index: i32,
        children: &[i32],
        types: impl ExactSizeIterator<Item = Type>,
        what: &str,
        depth: usize,
    ) -> Result<Vec<Val>, ValueError> {
        if children.len() != types.len() {
            return Err(ValueError::new(format!(
                "node {index}: {what} has {} items, the type expects {}",
                children.len(),
                types.len()
            )));
        }
        children
            .iter()
            .zip(types)
            .map(|(&child, ty)| self.decode(child, &ty, depth + 1))
            .collect()
    }

    fn payload(
        &mut self,
        index: i32,
        child: Option<i32>,
        ty: Option<Type>,
        what: &str,
        depth: usize,
    ) -> Result<Option<Box<Val>>, ValueError> {
        match (child, ty) {
            (Some(child), Some(ty)) => Ok(Some(Box::new(self.decode(child, &ty, depth + 1)?))),
            (None, None) => Ok(None),
            (Some(_), None) => Err(ValueError::new(format!(
                "node {index}: {what} has a payload, but the type has none"
            ))),
            (None, Some(_)) => Err(ValueError::new(format!(
                "node {index}: {what} has no payload, but the type requires one"
            ))),
        }
    }

    fn decode(&mut self, index: i32, ty: &Type, depth: usize) -> Result<Val, ValueError> {
        if depth > MAX_DEPTH {
            return Err(ValueError::new(format!(
                "value nesting exceeds the maximum depth of {MAX_DEPTH}"
            )));
        }
        let node = self.node(index)?;
        let mismatch = || {
            ValueError::new(format!(
                "node {index}: expected a value of type {}, found {}",
                type_name(ty),
                node_name(node)
            ))
        };
        let val = match (ty, node) {
            (Type::Bool, WitNode::PrimBool(v)) => Val::Bool(*v),
            (Type::S8, WitNode::PrimS8(v)) => Val::S8(*v),
            (Type::U8, WitNode::PrimU8(v)) => Val::U8(*v),
            (Type::S16, WitNode::PrimS16(v)) => Val::S16(*v),
            (Type::U16, WitNode::PrimU16(v)) => Val::U16(*v),
            (Type::S32, WitNode::PrimS32(v)) => Val::S32(*v),
            (Type::U32, WitNode::PrimU32(v)) => Val::U32(*v),
            (Type::S64, WitNode::PrimS64(v)) => Val::S64(*v),
            (Type::U64, WitNode::PrimU64(v)) => Val::U64(*v),
            (Type::Float32, WitNode::PrimFloat32(v)) => Val::Float32(*v),
            (Type::Float64, WitNode::PrimFloat64(v)) => Val::Float64(*v),
            (Type::Char, WitNode::PrimChar(v)) => Val::Char(*v),
            (Type::String, WitNode::PrimString(v)) => Val::String(v.clone()),
            (Type::List(list), WitNode::ListValue(items)) => {
                let elem = list.ty();
                let mut vals = Vec::with_capacity(items.len());
                for &item in items {
                    vals.push(self.decode(item, &elem, depth + 1)?);
                }
                Val::List(vals)
            }
            (Type::FixedLengthList(list), WitNode::ListValue(items)) => {
                if usize::try_from(list.len()).ok() != Some(items.len()) {
                    return Err(ValueError::new(format!(
                        "node {index}: list-value has {} items, the type expects {}",
                        items.len(),
                        list.len()
                    )));
                }
                let elem = list.ty();
                let mut vals = Vec::with_capacity(items.len());
                for &item in items {
                    vals.push(self.decode(item, &elem, depth + 1)?);
                }
                Val::FixedLengthList(vals)
            }
            (Type::Record(record), WitNode::RecordValue(fields)) => {
                let names: Vec<String> = record.fields().map(|f| f.name.to_string()).collect();
                let types = record.fields().map(|f| f.ty);
                let vals = self.children(index, fields, types, "record-value", depth)?;
                Val::Record(names.into_iter().zip(vals).collect())
            }
            (Type::Tuple(tuple), WitNode::TupleValue(items)) => {
                Val::Tuple(self.children(index, items, tuple.types(), "tuple-value", depth)?)
            }
            (Type::Variant(variant), WitNode::VariantValue((case, payload))) => {
                let (name, case_ty) = variant
                    .cases()
                    .nth(*case as usize)
                    .map(|c| (c.name.to_string(), c.ty))
                    .ok_or_else(|| {
                        ValueError::new(format!(
                            "node {index}: variant case index {case} is out of range (the variant has {} cases)",
                            variant.cases().len()
                        ))
                    })?;
                let payload = self.payload(index, *payload, case_ty, "variant-value", depth)?;
                Val::Variant(name, payload)
            }
            (Type::Enum(enum_ty), WitNode::EnumValue(case)) => {
                let name = enum_ty.names().nth(*case as usize).ok_or_else(|| {
                    ValueError::new(format!(
                        "node {index}: enum case index {case} is out of range (the enum has {} cases)",
                        enum_ty.names().len()
                    ))
                })?;
                Val::Enum(name.to_string())
            }
            (Type::Flags(flags), WitNode::FlagsValue(bits)) => {
                if bits.len() != flags.names().len() {
                    return Err(ValueError::new(format!(
                        "node {index}: flags-value has {} entries, the type has {} flags",
                        bits.len(),
                        flags.names().len()
                    )));
                }
                let set = flags
                    .names()
                    .zip(bits)
                    .filter(|(_, set)| **set)
                    .map(|(name, _)| name.to_string());
                Val::Flags(set.collect())
            }
            (Type::Option(option), WitNode::OptionValue(child)) => match child {
                Some(child) => Val::Option(Some(Box::new(self.decode(
                    *child,
                    &option.ty(),
                    depth + 1,
                )?))),
                None => Val::Option(None),
            },
            (Type::Result(result), WitNode::ResultValue(value)) => match value {
                Ok(child) => Val::Result(Ok(self.payload(
                    index,
                    *child,
                    result.ok(),
                    "result-value(ok)",
                    depth,
                )?)),
                Err(child) => Val::Result(Err(self.payload(
                    index,
                    *child,
                    result.err(),
                    "result-value(err)",
                    depth,
                )?)),
            },
            (Type::Own(_) | Type::Borrow(_), WitNode::Handle((uri, id))) => self
                .handles
                .decode_handle(&uri.value, *id, ty)
                .map_err(|err| ValueError::new(format!("node {index}: {err}")))?,
            (Type::Map(_) | Type::Future(_) | Type::Stream(_) | Type::ErrorContext, _) => {
                return Err(unsupported(ty));
            }
            _ => return Err(mismatch()),
        };
        Ok(val)
    }
}

struct Encoder<'a, H> {
    nodes: Vec<WitNode>,
    handles: &'a mut H,
}

impl<H: HandleContext> Encoder<'_, H> {
    /// Reserves the next node slot (filled in by the caller once its children are known).
    fn push(&mut self) -> Result<usize, ValueError> {
        let index = self.nodes.len();
        if i32::try_from(index).is_err() {
            return Err(ValueError::new("value has too many nodes for a wit-value"));
        }
        self.nodes.push(WitNode::TupleValue(Vec::new()));
        Ok(index)
    }

    fn encode_all<'a>(
        &mut self,
        vals: impl ExactSizeIterator<Item = &'a Val>,
        types: impl ExactSizeIterator<Item = Type>,
        what: &str,
        depth: usize,
    ) -> Result<Vec<i32>, ValueError> {
        if vals.len() != types.len() {
            return Err(ValueError::new(format!(
                "{what} has {} items, the type expects {}",
                vals.len(),
                types.len()
            )));
        }
        vals.zip(types)
            .map(|(val, ty)| self.encode(val, &ty, depth + 1))
            .collect()
    }

    fn encode_payload(
        &mut self,
        val: Option<&Val>,
        ty: Option<Type>,
        what: &str,
        depth: usize,
    ) -> Result<Option<i32>, ValueError> {
        match (val, ty) {
            (Some(val), Some(ty)) => Ok(Some(self.encode(val, &ty, depth + 1)?)),
            (None, None) => Ok(None),
            _ => Err(ValueError::new(format!(
                "{what}: payload does not match the type"
            ))),
        }
    }

    fn encode(&mut self, val: &Val, ty: &Type, depth: usize) -> Result<i32, ValueError> {
        if depth > MAX_DEPTH {
            return Err(ValueError::new(format!(
                "value nesting exceeds the maximum depth of {MAX_DEPTH}"
            )));
        }
        let index = self.push()?;
        let node = match (val, ty) {
            (Val::Bool(v), Type::Bool) => WitNode::PrimBool(*v),
            (Val::S8(v), Type::S8) => WitNode::PrimS8(*v),
            (Val::U8(v), Type::U8) => WitNode::PrimU8(*v),
            (Val::S16(v), Type::S16) => WitNode::PrimS16(*v),
            (Val::U16(v), Type::U16) => WitNode::PrimU16(*v),
            (Val::S32(v), Type::S32) => WitNode::PrimS32(*v),
            (Val::U32(v), Type::U32) => WitNode::PrimU32(*v),
            (Val::S64(v), Type::S64) => WitNode::PrimS64(*v),
            (Val::U64(v), Type::U64) => WitNode::PrimU64(*v),
            (Val::Float32(v), Type::Float32) => WitNode::PrimFloat32(*v),
            (Val::Float64(v), Type::Float64) => WitNode::PrimFloat64(*v),
            (Val::Char(v), Type::Char) => WitNode::PrimChar(*v),
            (Val::String(v), Type::String) => WitNode::PrimString(v.clone()),
            (Val::List(items), Type::List(list)) => {
                let elem = list.ty();
                let mut children = Vec::with_capacity(items.len());
                for item in items {
                    children.push(self.encode(item, &elem, depth + 1)?);
                }
                WitNode::ListValue(children)
            }
            (Val::FixedLengthList(items), Type::FixedLengthList(list)) => {
                if usize::try_from(list.len()).ok() != Some(items.len()) {
                    return Err(ValueError::new(format!(
                        "fixed-length list has {} items, the type expects {}",
                        items.len(),
                        list.len()
                    )));
                }
                let elem = list.ty();
                let mut children = Vec::with_capacity(items.len());
                for item in items {
                    children.push(self.encode(item, &elem, depth + 1)?);
                }
                WitNode::ListValue(children)
            }
            (Val::Record(fields), Type::Record(record)) => {
                for ((name, _), field) in fields.iter().zip(record.fields()) {
                    if name != field.name {
                        return Err(ValueError::new(format!(
                            "record field {name} does not match the type's field {}",
                            field.name
                        )));
                    }
                }
                WitNode::RecordValue(self.encode_all(
                    fields.iter().map(|(_, v)| v),
                    record.fields().map(|f| f.ty),
                    "record",
                    depth,
                )?)
            }
            (Val::Tuple(items), Type::Tuple(tuple)) => {
                WitNode::TupleValue(self.encode_all(items.iter(), tuple.types(), "tuple", depth)?)
            }
            (Val::Variant(name, payload), Type::Variant(variant)) => {
                let (case, case_ty) = variant
                    .cases()
                    .enumerate()
                    .find(|(_, c)| c.name == name)
                    .map(|(i, c)| (i, c.ty))
                    .ok_or_else(|| ValueError::new(format!("variant has no case named {name}")))?;
                let case = u32::try_from(case)
                    .map_err(|_| ValueError::new("variant has too many cases"))?;
                let child = self.encode_payload(payload.as_deref(), case_ty, "variant", depth)?;
                WitNode::VariantValue((case, child))
            }
            (Val::Enum(name), Type::Enum(enum_ty)) => {
                let case = enum_ty
                    .names()
                    .position(|n| n == name)
                    .ok_or_else(|| ValueError::new(format!("enum has no case named {name}")))?;
                WitNode::EnumValue(
                    u32::try_from(case).map_err(|_| ValueError::new("enum has too many cases"))?,
                )
            }
            (Val::Flags(set), Type::Flags(flags)) => {
                if let Some(unknown) = set.iter().find(|s| flags.names().all(|n| n != *s)) {
                    return Err(ValueError::new(format!(
                        "flags have no flag named {unknown}"
                    )));
                }
                WitNode::FlagsValue(flags.names().map(|n| set.iter().any(|s| s == n)).collect())
            }
            (Val::Option(option), Type::Option(option_ty)) => match option {
                Some(inner) => {
                    WitNode::OptionValue(Some(self.encode(inner, &option_ty.ty(), depth + 1)?))
                }
                None => WitNode::OptionValue(None),
            },
            (Val::Result(result), Type::Result(result_ty)) => match result {
                Ok(ok) => WitNode::ResultValue(Ok(self.encode_payload(
                    ok.as_deref(),
                    result_ty.ok(),
                    "result ok",
                    depth,
                )?)),
                Err(err) => WitNode::ResultValue(Err(self.encode_payload(
                    err.as_deref(),
                    result_ty.err(),
                    "result err",
                    depth,
                )?)),
            },
            (Val::Resource(resource), Type::Own(_) | Type::Borrow(_)) => {
                let (uri, id) = self.handles.encode_handle(*resource, ty)?;
                WitNode::Handle((Uri { value: uri }, id))
            }
            (_, Type::Map(_) | Type::Future(_) | Type::Stream(_) | Type::ErrorContext) => {
                return Err(unsupported(ty));
            }
            _ => {
                return Err(ValueError::new(format!(
                    "value does not match its type {}",
                    type_name(ty)
                )));
            }
        };
        self.nodes[index] = node;
        i32::try_from(index).map_err(|_| ValueError::new("value has too many nodes"))
    }
}
