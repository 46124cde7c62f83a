//! A function's WIT signature as text with every named type spelled out structurally, so two
//! components built from different WIT can be compared: `func(s: record{x: u8}) -> u64`.
//!
//! Used by `import!` to record what the caller was built against (the `golem-rpc:import` custom
//! section) and by the `golem-rpc check` tool to compare that with a target's real exports.

use wit_parser::{Function, Handle, Resolve, Type, TypeDefKind};

/// `func(name: type, ..) -> type`, with named types expanded (aliases are transparent; records,
/// variants, enums and flags list their fields or cases; resources appear as `own<name>` /
/// `borrow<name>`).
pub fn signature(resolve: &Resolve, function: &Function) -> String {
    let params: Vec<String> = function
        .params
        .iter()
        .map(|p| format!("{}: {}", p.name, ty(resolve, &p.ty)))
        .collect();
    let mut text = format!("func({})", params.join(", "));
    if let Some(result) = &function.result {
        text.push_str(" -> ");
        text.push_str(&ty(resolve, result));
    }
    text
}

fn ty(resolve: &Resolve, ty: &Type) -> String {
    match ty {
        Type::Bool => "bool".into(),
        Type::U8 => "u8".into(),
        Type::U16 => "u16".into(),
        Type::U32 => "u32".into(),
        Type::U64 => "u64".into(),
        Type::S8 => "s8".into(),
        Type::S16 => "s16".into(),
        Type::S32 => "s32".into(),
        Type::S64 => "s64".into(),
        Type::F32 => "f32".into(),
        Type::F64 => "f64".into(),
        Type::Char => "char".into(),
        Type::String => "string".into(),
        Type::ErrorContext => "error-context".into(),
        Type::Id(id) => {
            let def = &resolve.types[*id];
            let name = def.name.as_deref().unwrap_or("?");
            let list = |items: Vec<String>| items.join(", ");
            match &def.kind {
                TypeDefKind::Record(r) => format!(
                    "record{{{}}}",
                    list(
                        r.fields
                            .iter()
                            .map(|f| format!("{}: {}", f.name, self::ty(resolve, &f.ty)))
                            .collect()
                    )
                ),
                TypeDefKind::Variant(v) => format!(
                    "variant{{{}}}",
                    list(
                        v.cases
                            .iter()
                            .map(|c| match &c.ty {
                                Some(t) => format!("{}({})", c.name, self::ty(resolve, t)),
                                None => c.name.clone(),
                            })
                            .collect()
                    )
                ),
                TypeDefKind::Enum(e) => format!(
                    "enum{{{}}}",
                    list(e.cases.iter().map(|c| c.name.clone()).collect())
                ),
                TypeDefKind::Flags(f) => format!(
                    "flags{{{}}}",
                    list(f.flags.iter().map(|f| f.name.clone()).collect())
                ),
                TypeDefKind::Tuple(t) => {
                    format!(
                        "tuple<{}>",
                        list(t.types.iter().map(|t| self::ty(resolve, t)).collect())
                    )
                }
                TypeDefKind::List(t) => format!("list<{}>", self::ty(resolve, t)),
                TypeDefKind::Option(t) => format!("option<{}>", self::ty(resolve, t)),
                TypeDefKind::Result(r) => match (&r.ok, &r.err) {
                    (None, None) => "result".into(),
                    (Some(ok), None) => format!("result<{}>", self::ty(resolve, ok)),
                    (None, Some(err)) => format!("result<_, {}>", self::ty(resolve, err)),
                    (Some(ok), Some(err)) => {
                        format!(
                            "result<{}, {}>",
                            self::ty(resolve, ok),
                            self::ty(resolve, err)
                        )
                    }
                },
                TypeDefKind::Type(t) => self::ty(resolve, t),
                TypeDefKind::Resource => name.to_owned(),
                TypeDefKind::Handle(Handle::Own(r)) => {
                    format!("own<{}>", self::ty(resolve, &Type::Id(*r)))
                }
                TypeDefKind::Handle(Handle::Borrow(r)) => {
                    format!("borrow<{}>", self::ty(resolve, &Type::Id(*r)))
                }
                TypeDefKind::Future(t) => format!(
                    "future<{}>",
                    t.as_ref().map_or("_".into(), |t| self::ty(resolve, t))
                ),
                TypeDefKind::Stream(t) => format!(
                    "stream<{}>",
                    t.as_ref().map_or("_".into(), |t| self::ty(resolve, t))
                ),
                TypeDefKind::Map(k, v) => {
                    format!("map<{}, {}>", self::ty(resolve, k), self::ty(resolve, v))
                }
                TypeDefKind::FixedLengthList(t, n) => {
                    format!("list<{}, {n}>", self::ty(resolve, t))
                }
                TypeDefKind::Unknown => "unknown".into(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_types_are_spelled_out() {
        let mut resolve = Resolve::default();
        resolve
            .push_str(
                "t.wit",
                "package a:b;\ninterface api {\n  record point { x: s32, y: s32 }\n  type pts = list<point>;\n  variant v { a, b(pts) }\n  enum e { x, y }\n  flags f { r, w }\n  resource res { m: func(o: borrow<res>) -> result<_, string>; }\n  g: func(p: point, v: v, e: e, f: f) -> option<tuple<u8, res>>;\n}\n",
            )
            .unwrap();
        let iface = resolve.interfaces.iter().next().unwrap().1;
        assert_eq!(
            signature(&resolve, &iface.functions["g"]),
            "func(p: record{x: s32, y: s32}, v: variant{a, b(list<record{x: s32, y: s32}>)}, e: enum{x, y}, f: flags{r, w}) -> option<tuple<u8, own<res>>>"
        );
        assert_eq!(
            signature(&resolve, &iface.functions["[method]res.m"]),
            "func(self: borrow<res>, o: borrow<res>) -> result<_, string>"
        );
    }
}
