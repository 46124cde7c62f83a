//! WIT types as Rust types: how they are spelled, and the definitions of named types with
//! their `WitEncode`/`WitDecode` impls.
//!
//! Spelling follows wit-bindgen for imported functions, so code written against wit-bindgen or
//! Golem's stubs compiles unchanged: results and fields are owned; a parameter whose type
//! contains a `string` or `list` is "top-borrowed" (`&str`, `&[T]`, `&Record`, with `option`,
//! `result` and `tuple` passed through), any other parameter is passed by value.

use std::cell::RefCell;
use std::collections::HashMap;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use wit_parser::{
    Docs, Enum, Flags, Handle, Record, Resolve, Span, Type, TypeDefKind, TypeId, TypeOwner, Variant,
};

use crate::Error;
use crate::names::{camel, ident, shouty, snake};

/// How a type is used, which decides how it is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Results, fields, payloads: owned values.
    Owned,
    /// Parameters of a client method: borrowed where wit-bindgen borrows.
    Param,
    /// What a remote function receives and returns as `golem_rpc::Function` types (fakes):
    /// owned, with a borrowed resource as the `Handle` that is sent.
    Wire,
}

/// Spells WIT types from inside a given generated module.
pub struct Types<'a> {
    pub resolve: &'a Resolve,
    /// `#runtime::__private`, the root of every runtime path in generated code.
    pub rt: TokenStream,
    /// The generated module of every type owner that has one, as a path from the root module.
    pub modules: HashMap<TypeOwner, Vec<Ident>>,
    /// Derives added to every generated record, variant and enum (the `additional_derives` option).
    pub derives: Vec<syn::Path>,
    /// How exported interfaces are named on the wire (`demo:counter/api`), by owner.
    pub wire_prefixes: HashMap<TypeOwner, String>,
    /// Every remote function the generated code can call: `(wire name, signature)`, recorded
    /// in the caller for `golem-rpc check`.
    pub manifest: RefCell<Vec<(String, String)>>,
    /// Functions whose Golem 1.0/1.1 named results were read as one tuple.
    pub named_results: crate::NamedResults,
    /// The Golem host API the clients call.
    pub golem_api: crate::GolemApi,
    /// Golem 1.2: the target component's name, resolved by `new(worker_name)`.
    pub component: String,
    /// How the deployed component names interfaces.
    pub wire: crate::wire::Wire<'a>,
}

impl Types<'_> {
    /// The Rust spelling of `ty` in module `from`; `span` locates errors.
    pub fn spell(
        &self,
        ty: &Type,
        mode: Mode,
        from: &[Ident],
        span: Span,
    ) -> Result<TokenStream, Error> {
        match mode {
            Mode::Param if self.borrows(ty) => self.top_borrowed(ty, from, span),
            Mode::Wire => self.wire(ty, from, span),
            _ => self.owned(ty, from, span),
        }
    }

    /// [`Mode::Wire`]: borrows appear only in parameters, outside named types, so only
    /// anonymous types are walked.
    fn wire(&self, ty: &Type, from: &[Ident], span: Span) -> Result<TokenStream, Error> {
        let Type::Id(id) = ty else {
            return self.owned(ty, from, span);
        };
        let def = &self.resolve.types[*id];
        if def.name.is_some() {
            return self.named(*id, from, span);
        }
        let rt = &self.rt;
        Ok(match &def.kind {
            TypeDefKind::Handle(Handle::Borrow(_)) => quote!(#rt::Handle),
            TypeDefKind::List(item) => {
                let item = self.wire(item, from, span)?;
                quote!(::std::vec::Vec<#item>)
            }
            TypeDefKind::Option(payload) => {
                let payload = self.wire(payload, from, span)?;
                quote!(::core::option::Option<#payload>)
            }
            TypeDefKind::Tuple(tuple) => {
                let items = tuple
                    .types
                    .iter()
                    .map(|t| self.wire(t, from, span))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!((#(#items,)*))
            }
            TypeDefKind::Type(inner) => self.wire(inner, from, span)?,
            other => self.owned_kind(other, from, span)?,
        })
    }

    fn owned(&self, ty: &Type, from: &[Ident], span: Span) -> Result<TokenStream, Error> {
        Ok(match ty {
            Type::Bool => quote!(bool),
            Type::U8 => quote!(u8),
            Type::U16 => quote!(u16),
            Type::U32 => quote!(u32),
            Type::U64 => quote!(u64),
            Type::S8 => quote!(i8),
            Type::S16 => quote!(i16),
            Type::S32 => quote!(i32),
            Type::S64 => quote!(i64),
            Type::F32 => quote!(f32),
            Type::F64 => quote!(f64),
            Type::Char => quote!(char),
            Type::String => quote!(::std::string::String),
            Type::ErrorContext => return Err(self.unsupported("error-context", span)),
            Type::Id(id) => {
                let def = &self.resolve.types[*id];
                if def.name.is_some() {
                    return self.named(*id, from, span);
                }
                return self.owned_kind(&def.kind, from, span);
            }
        })
    }

    /// The owned spelling of a type's structure, ignoring any name it has.
    fn owned_kind(
        &self,
        kind: &TypeDefKind,
        from: &[Ident],
        span: Span,
    ) -> Result<TokenStream, Error> {
        Ok(match kind {
            TypeDefKind::List(item) => {
                let item = self.owned(item, from, span)?;
                quote!(::std::vec::Vec<#item>)
            }
            TypeDefKind::Option(payload) => {
                let payload = self.owned(payload, from, span)?;
                quote!(::core::option::Option<#payload>)
            }
            TypeDefKind::Result(result) => {
                let ok = self.side(result.ok.as_ref(), Mode::Owned, from, span)?;
                let err = self.side(result.err.as_ref(), Mode::Owned, from, span)?;
                quote!(::core::result::Result<#ok, #err>)
            }
            TypeDefKind::Tuple(tuple) => {
                let items = tuple
                    .types
                    .iter()
                    .map(|t| self.owned(t, from, span))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!((#(#items,)*))
            }
            TypeDefKind::Type(inner) => self.owned(inner, from, span)?,
            TypeDefKind::Handle(Handle::Own(resource)) => self.named(*resource, from, span)?,
            TypeDefKind::Handle(Handle::Borrow(resource)) => {
                let resource = self.named(*resource, from, span)?;
                quote!(&#resource)
            }
            other => return Err(self.unsupported(kind_name(other), span)),
        })
    }

    /// Whether `ty` is `own<R>`: passing it moves the resource to the callee.
    pub fn is_own_handle(&self, ty: &Type) -> bool {
        match self.dealias(ty) {
            Type::Id(id) => matches!(
                self.resolve.types[id].kind,
                TypeDefKind::Handle(Handle::Own(_))
            ),
            _ => false,
        }
    }

    fn top_borrowed(&self, ty: &Type, from: &[Ident], span: Span) -> Result<TokenStream, Error> {
        let Type::Id(id) = ty else {
            return match ty {
                Type::String => Ok(quote!(&str)),
                other => self.owned(other, from, span),
            };
        };
        let def = &self.resolve.types[*id];
        if def.name.is_some() {
            // An alias of `string` or `list<T>` is passed as `&str` / `&[T]`; any other named
            // type by reference.
            let target = self.dealias(ty);
            if target == Type::String {
                return Ok(quote!(&str));
            }
            if let Some(item) = self.list_item(&target) {
                let item = self.owned(&item, from, span)?;
                return Ok(quote!(&[#item]));
            }
            let named = self.named(*id, from, span)?;
            return Ok(quote!(&#named));
        }
        Ok(match &def.kind {
            TypeDefKind::List(item) => {
                let item = self.owned(item, from, span)?;
                quote!(&[#item])
            }
            TypeDefKind::Option(payload) => {
                let payload = self.spell(payload, Mode::Param, from, span)?;
                quote!(::core::option::Option<#payload>)
            }
            TypeDefKind::Result(result) => {
                let ok = self.side(result.ok.as_ref(), Mode::Param, from, span)?;
                let err = self.side(result.err.as_ref(), Mode::Param, from, span)?;
                quote!(::core::result::Result<#ok, #err>)
            }
            TypeDefKind::Tuple(tuple) => {
                let items = tuple
                    .types
                    .iter()
                    .map(|t| self.top_borrowed_item(t, from, span))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!((#(#items,)*))
            }
            TypeDefKind::Type(inner) => self.top_borrowed(inner, from, span)?,
            other => return Err(self.unsupported(kind_name(other), span)),
        })
    }

    /// Inside a borrowed tuple every named type is borrowed, even a `Copy` one (wit-bindgen).
    fn top_borrowed_item(
        &self,
        ty: &Type,
        from: &[Ident],
        span: Span,
    ) -> Result<TokenStream, Error> {
        match ty {
            Type::Id(_) => self.top_borrowed(ty, from, span),
            _ => self.spell(ty, Mode::Param, from, span),
        }
    }

    fn side(
        &self,
        ty: Option<&Type>,
        mode: Mode,
        from: &[Ident],
        span: Span,
    ) -> Result<TokenStream, Error> {
        match (ty, mode) {
            (None, _) => Ok(quote!(())),
            (Some(ty), Mode::Owned | Mode::Wire) => self.owned(ty, from, span),
            (Some(ty), Mode::Param) => self.top_borrowed_item(ty, from, span),
        }
    }

    /// The path to a named type from module `from`.
    fn named(&self, id: TypeId, from: &[Ident], span: Span) -> Result<TokenStream, Error> {
        let def = &self.resolve.types[id];
        let name = ident(&camel(def.name.as_deref().unwrap_or_default()));
        let Some(module) = self.modules.get(&def.owner) else {
            return Err(Error::at(
                self.resolve,
                span,
                format!(
                    "type `{}` is declared where golem-rpc cannot generate it",
                    def.name.as_deref().unwrap_or_default()
                ),
            ));
        };
        Ok(relative_path(from, module, &name))
    }

    /// Whether a parameter of this type is passed borrowed: it holds a `string` or `list`.
    pub fn borrows(&self, ty: &Type) -> bool {
        match ty {
            Type::String => true,
            Type::Id(id) => match &self.resolve.types[*id].kind {
                TypeDefKind::List(_) => true,
                TypeDefKind::Option(t) | TypeDefKind::Type(t) => self.borrows(t),
                TypeDefKind::Result(r) => {
                    r.ok.as_ref().is_some_and(|t| self.borrows(t))
                        || r.err.as_ref().is_some_and(|t| self.borrows(t))
                }
                TypeDefKind::Tuple(t) => t.types.iter().any(|t| self.borrows(t)),
                TypeDefKind::Record(r) => r.fields.iter().any(|f| self.borrows(&f.ty)),
                TypeDefKind::Variant(v) => v
                    .cases
                    .iter()
                    .filter_map(|c| c.ty.as_ref())
                    .any(|t| self.borrows(t)),
                _ => false,
            },
            _ => false,
        }
    }

    fn dealias(&self, ty: &Type) -> Type {
        let mut ty = *ty;
        while let Type::Id(id) = ty {
            match &self.resolve.types[id].kind {
                TypeDefKind::Type(inner) => ty = *inner,
                _ => break,
            }
        }
        ty
    }

    fn list_item(&self, ty: &Type) -> Option<Type> {
        match ty {
            Type::Id(id) => match &self.resolve.types[*id].kind {
                TypeDefKind::List(item) => Some(*item),
                _ => None,
            },
            _ => None,
        }
    }

    fn unsupported(&self, what: &str, span: Span) -> Error {
        Error::at(
            self.resolve,
            span,
            format!(
                "golem-rpc does not support `{what}` types yet; change the target's WIT to avoid them"
            ),
        )
    }

    /// The definition of the named type `id` inside module `from`, with its codec impls.
    pub fn definition(&self, id: TypeId, from: &[Ident]) -> Result<TokenStream, Error> {
        let def = &self.resolve.types[id];
        let wit_name = def.name.as_deref().unwrap_or_default();
        let name = ident(&camel(wit_name));
        let docs = doc_attrs(&def.docs, &format!("The WIT type `{wit_name}`."));
        match &def.kind {
            TypeDefKind::Record(record) => {
                self.record(&name, wit_name, record, &docs, from, def.span)
            }
            TypeDefKind::Variant(variant) => {
                self.variant(&name, wit_name, variant, &docs, from, def.span)
            }
            TypeDefKind::Flags(flags) => Ok(self.flags(&name, wit_name, flags, &docs)),
            TypeDefKind::Resource => Ok(self.resource(id, &name, wit_name, &docs)),
            TypeDefKind::Enum(enumeration) => {
                Ok(self.enumeration(&name, wit_name, enumeration, &docs))
            }
            TypeDefKind::Type(_)
            | TypeDefKind::List(_)
            | TypeDefKind::Option(_)
            | TypeDefKind::Result(_)
            | TypeDefKind::Tuple(_) => {
                let target = self.owned_kind(&def.kind, from, def.span)?;
                Ok(quote! {
                    #docs
                    pub type #name = #target;
                })
            }
            other => Err(self.unsupported(kind_name(other), def.span)),
        }
    }

    fn record(
        &self,
        name: &Ident,
        wit_name: &str,
        record: &Record,
        docs: &TokenStream,
        from: &[Ident],
        span: Span,
    ) -> Result<TokenStream, Error> {
        let rt = &self.rt;
        let mut fields = Vec::new();
        let mut field_names = Vec::new();
        let mut wit_field_names = Vec::new();
        for field in &record.fields {
            let field_name = ident(&snake(&field.name));
            let ty = self.owned(&field.ty, from, span)?;
            let field_docs = doc_attrs(&field.docs, &format!("The field `{}`.", field.name));
            fields.push(quote!(#field_docs pub #field_name: #ty));
            field_names.push(field_name);
            wit_field_names.push(field.name.as_str());
        }
        let copy = (!record.fields.iter().any(|f| self.borrows(&f.ty)))
            .then(|| quote!(::core::marker::Copy,));
        let extra = self.extra_derives(&["Debug", "Clone", "Copy", "PartialEq"]);
        let count = record.fields.len();
        let positions = 0..count;
        let expected = format!("record `{wit_name}`");
        Ok(quote! {
            #docs
            #[derive(::core::fmt::Debug, ::core::clone::Clone, #copy ::core::cmp::PartialEq #extra)]
            pub struct #name {
                #(#fields,)*
            }

            impl #rt::WitEncode for #name {
                fn encode(&self, __builder: &mut #rt::ValueBuilder) {
                    __builder.record(|__fields| {
                        #(__fields.item(&self.#field_names);)*
                    });
                }
            }

            impl #rt::WitDecode for #name {
                fn decode(
                    __reader: &#rt::ValueReader<'_>,
                    __index: #rt::NodeIndex,
                ) -> #rt::Result<Self, #rt::DecodeError> {
                    let __fields = __reader.record(__index, #expected, #count)?;
                    #rt::Result::Ok(Self {
                        #(#field_names: __reader.field(__fields, #positions, #wit_field_names)?,)*
                    })
                }
            }
        })
    }

    fn variant(
        &self,
        name: &Ident,
        wit_name: &str,
        variant: &Variant,
        docs: &TokenStream,
        from: &[Ident],
        span: Span,
    ) -> Result<TokenStream, Error> {
        let rt = &self.rt;
        let mut cases = Vec::new();
        let mut encode = Vec::new();
        let mut decode = Vec::new();
        for (position, case) in variant.cases.iter().enumerate() {
            let case_name = ident(&camel(&case.name));
            let wit_case = case.name.as_str();
            let position =
                u32::try_from(position).expect("WIT variants have fewer than 2^32 cases");
            let case_docs = doc_attrs(&case.docs, &format!("The case `{wit_case}`."));
            match &case.ty {
                Some(ty) => {
                    let ty = self.owned(ty, from, span)?;
                    cases.push(quote!(#case_docs #case_name(#ty)));
                    encode.push(quote! {
                        Self::#case_name(__payload) => {
                            __builder.variant(#position, ::core::option::Option::Some(__payload))
                        }
                    });
                    decode.push(quote! {
                        #position => #rt::Result::Ok(Self::#case_name(
                            __reader.case_payload(__payload, #wit_case)?,
                        )),
                    });
                }
                None => {
                    cases.push(quote!(#case_docs #case_name));
                    encode.push(quote!(Self::#case_name => __builder.variant_unit(#position),));
                    decode.push(quote! {
                        #position => {
                            __reader.no_payload(__payload, #wit_case)?;
                            #rt::Result::Ok(Self::#case_name)
                        }
                    });
                }
            }
        }
        let copy = (!variant
            .cases
            .iter()
            .filter_map(|c| c.ty.as_ref())
            .any(|t| self.borrows(t)))
        .then(|| quote!(::core::marker::Copy,));
        let extra = self.extra_derives(&["Debug", "Clone", "Copy", "PartialEq"]);
        let count =
            u32::try_from(variant.cases.len()).expect("WIT variants have fewer than 2^32 cases");
        let expected = format!("variant `{wit_name}`");
        Ok(quote! {
            #docs
            #[derive(::core::fmt::Debug, ::core::clone::Clone, #copy ::core::cmp::PartialEq #extra)]
            pub enum #name {
                #(#cases,)*
            }

            impl #rt::WitEncode for #name {
                fn encode(&self, __builder: &mut #rt::ValueBuilder) {
                    match self {
                        #(#encode)*
                    }
                }
            }

            impl #rt::WitDecode for #name {
                fn decode(
                    __reader: &#rt::ValueReader<'_>,
                    __index: #rt::NodeIndex,
                ) -> #rt::Result<Self, #rt::DecodeError> {
                    let (__case, __payload) = __reader.variant(__index, #expected, #count)?;
                    match __case {
                        #(#decode)*
                        _ => #rt::Result::Err(#rt::DecodeError::new(#expected, "an unknown case")),
                    }
                }
            }
        })
    }

    /// A resource owned by a remote worker: a handle that calls `{R.drop}` when dropped.
    fn resource(
        &self,
        id: TypeId,
        name: &Ident,
        wit_name: &str,
        docs: &TokenStream,
    ) -> TokenStream {
        let rt = &self.rt;
        let owner = self.resolve.types[id].owner;
        let prefix = match (self.wire_prefixes.get(&owner), owner) {
            (Some(prefix), _) => prefix.clone(),
            (None, TypeOwner::Interface(iface)) => self.wire.interface(iface),
            (None, _) => String::new(),
        };
        let drop_wire = format!("{prefix}.{{{wit_name}.drop}}");
        self.manifest
            .borrow_mut()
            .push((drop_wire.clone(), format!("func(self: own<{wit_name}>)")));
        quote! {
            #docs
            ///
            /// A handle to the resource in the worker that owns it; dropping the handle drops the
            /// resource there (errors ignored: call `drop_remote` to see them).
            pub struct #name {
                resource: #rt::RemoteResource,
            }

            impl #name {
                /// Drops the resource in the worker that owns it now, reporting any error.
                pub fn drop_remote(self) -> #rt::Result<(), #rt::Error> {
                    self.resource.drop_remote()
                }

                /// The runtime's view of the handle (owner URI and id).
                pub fn __resource(&self) -> &#rt::RemoteResource {
                    &self.resource
                }
            }

            impl #rt::WitEncode for #name {
                fn encode(&self, __builder: &mut #rt::ValueBuilder) {
                    #rt::WitEncode::encode(&self.resource, __builder);
                }
            }

            impl #rt::WitDecode for #name {
                fn decode(
                    __reader: &#rt::ValueReader<'_>,
                    __index: #rt::NodeIndex,
                ) -> #rt::Result<Self, #rt::DecodeError> {
                    #rt::Result::Ok(Self {
                        resource: #rt::decode_resource(__reader, __index, #drop_wire)?,
                    })
                }
            }
        }
    }

    /// Flags as a bitflags-style struct: one constant per flag, set operations, and a `Debug`
    /// that names the flags that are set.
    fn flags(
        &self,
        name: &Ident,
        wit_name: &str,
        flags: &Flags,
        docs: &TokenStream,
    ) -> TokenStream {
        let rt = &self.rt;
        let repr = match flags.flags.len() {
            0..=8 => quote!(u8),
            9..=16 => quote!(u16),
            17..=32 => quote!(u32),
            _ => quote!(u64),
        };
        let constants: Vec<Ident> = flags
            .flags
            .iter()
            .map(|f| ident(&shouty(&f.name)))
            .collect();
        let constant_docs = flags
            .flags
            .iter()
            .map(|f| doc_attrs(&f.docs, &format!("The flag `{}`.", f.name)));
        let positions: Vec<usize> = (0..constants.len()).collect();
        let shifts = positions.iter().map(|p| *p as u32);
        let labels = flags.flags.iter().map(|f| shouty(&f.name));
        let count = constants.len();
        let all_bits = if constants.is_empty() {
            quote!(0)
        } else {
            quote!(#(Self::#constants.bits)|*)
        };
        let expected = format!("flags `{wit_name}`");
        let extra = self.extra_derives(&[
            "Clone",
            "Copy",
            "PartialEq",
            "Eq",
            "PartialOrd",
            "Ord",
            "Hash",
            "Default",
        ]);
        quote! {
            #docs
            #[derive(
                ::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq, ::core::cmp::Eq,
                ::core::cmp::PartialOrd, ::core::cmp::Ord, ::core::hash::Hash, ::core::default::Default #extra
            )]
            pub struct #name {
                bits: #repr,
            }

            impl #name {
                #(#constant_docs pub const #constants: Self = Self { bits: 1 << #shifts };)*

                /// No flags set.
                pub const fn empty() -> Self {
                    Self { bits: 0 }
                }

                /// Every flag set.
                pub const fn all() -> Self {
                    Self { bits: #all_bits }
                }

                /// The flags as bits, flag `n` (in WIT declaration order) at bit `n`.
                pub const fn bits(&self) -> #repr {
                    self.bits
                }

                /// The flags whose bits are set in `bits`; other bits are ignored.
                pub const fn from_bits_truncate(bits: #repr) -> Self {
                    Self { bits: bits & Self::all().bits }
                }

                /// Whether no flag is set.
                pub const fn is_empty(&self) -> bool {
                    self.bits == 0
                }

                /// Whether every flag set in `other` is set here.
                pub const fn contains(&self, other: Self) -> bool {
                    self.bits & other.bits == other.bits
                }

                /// Sets the flags of `other`.
                pub fn insert(&mut self, other: Self) {
                    self.bits |= other.bits;
                }

                /// Clears the flags of `other`.
                pub fn remove(&mut self, other: Self) {
                    self.bits &= !other.bits;
                }
            }

            impl ::core::ops::BitOr for #name {
                type Output = Self;
                fn bitor(self, other: Self) -> Self {
                    Self { bits: self.bits | other.bits }
                }
            }

            impl ::core::ops::BitAnd for #name {
                type Output = Self;
                fn bitand(self, other: Self) -> Self {
                    Self { bits: self.bits & other.bits }
                }
            }

            impl ::core::ops::BitXor for #name {
                type Output = Self;
                fn bitxor(self, other: Self) -> Self {
                    Self { bits: self.bits ^ other.bits }
                }
            }

            impl ::core::ops::Not for #name {
                type Output = Self;
                fn not(self) -> Self {
                    Self::from_bits_truncate(!self.bits)
                }
            }

            impl ::core::ops::BitOrAssign for #name {
                fn bitor_assign(&mut self, other: Self) {
                    self.bits |= other.bits;
                }
            }

            impl ::core::ops::BitAndAssign for #name {
                fn bitand_assign(&mut self, other: Self) {
                    self.bits &= other.bits;
                }
            }

            impl ::core::fmt::Debug for #name {
                fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    __f.write_str(::core::stringify!(#name))?;
                    __f.write_str("(")?;
                    let mut __first = true;
                    #(
                        if self.contains(Self::#constants) {
                            if !__first {
                                __f.write_str(" | ")?;
                            }
                            __first = false;
                            __f.write_str(#labels)?;
                        }
                    )*
                    let _ = __first;
                    __f.write_str(")")
                }
            }

            impl #rt::WitEncode for #name {
                fn encode(&self, __builder: &mut #rt::ValueBuilder) {
                    __builder.flags(::std::vec![#(self.contains(Self::#constants)),*]);
                }
            }

            impl #rt::WitDecode for #name {
                fn decode(
                    __reader: &#rt::ValueReader<'_>,
                    __index: #rt::NodeIndex,
                ) -> #rt::Result<Self, #rt::DecodeError> {
                    let __set = __reader.flags(__index, #expected, #count)?;
                    let mut __flags = Self::empty();
                    #(
                        if __set[#positions] {
                            __flags.insert(Self::#constants);
                        }
                    )*
                    let _ = __set;
                    #rt::Result::Ok(__flags)
                }
            }
        }
    }

    fn enumeration(
        &self,
        name: &Ident,
        wit_name: &str,
        enumeration: &Enum,
        docs: &TokenStream,
    ) -> TokenStream {
        let rt = &self.rt;
        let cases: Vec<Ident> = enumeration
            .cases
            .iter()
            .map(|c| ident(&camel(&c.name)))
            .collect();
        let case_docs = enumeration
            .cases
            .iter()
            .map(|c| doc_attrs(&c.docs, &format!("The case `{}`.", c.name)));
        let positions: Vec<u32> = (0..cases.len())
            .map(|p| u32::try_from(p).expect("WIT enums have fewer than 2^32 cases"))
            .collect();
        let count = positions.len() as u32;
        let extra = self.extra_derives(&[
            "Debug",
            "Clone",
            "Copy",
            "PartialEq",
            "Eq",
            "PartialOrd",
            "Ord",
            "Hash",
        ]);
        let expected = format!("enum `{wit_name}`");
        quote! {
            #docs
            #[derive(
                ::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq,
                ::core::cmp::Eq, ::core::cmp::PartialOrd, ::core::cmp::Ord, ::core::hash::Hash #extra
            )]
            pub enum #name {
                #(#case_docs #cases,)*
            }

            impl #rt::WitEncode for #name {
                fn encode(&self, __builder: &mut #rt::ValueBuilder) {
                    __builder.enum_case(match self {
                        #(Self::#cases => #positions,)*
                    });
                }
            }

            impl #rt::WitDecode for #name {
                fn decode(
                    __reader: &#rt::ValueReader<'_>,
                    __index: #rt::NodeIndex,
                ) -> #rt::Result<Self, #rt::DecodeError> {
                    match __reader.enum_case(__index, #expected, #count)? {
                        #(#positions => #rt::Result::Ok(Self::#cases),)*
                        _ => #rt::Result::Err(#rt::DecodeError::new(#expected, "an unknown case")),
                    }
                }
            }
        }
    }

    /// `, A, B` for the additional derives not already among `base` (compared by last segment).
    fn extra_derives(&self, base: &[&str]) -> TokenStream {
        let extra = self.derives.iter().filter(|path| {
            path.segments
                .last()
                .is_none_or(|last| !base.contains(&last.ident.to_string().as_str()))
        });
        quote!(#(, #extra)*)
    }

    /// Every named type reachable from `ty`, in the order they are first met.
    pub fn named_types_in(&self, ty: &Type, out: &mut Vec<TypeId>) {
        let Type::Id(id) = ty else { return };
        let def = &self.resolve.types[*id];
        if def.name.is_some() {
            if out.contains(id) {
                return;
            }
            out.push(*id);
        }
        self.named_types_within(&def.kind, out);
    }

    /// Every named type reachable from the structure of `kind` (not counting its own name).
    pub fn named_types_within(&self, kind: &TypeDefKind, out: &mut Vec<TypeId>) {
        match kind {
            TypeDefKind::Record(r) => r
                .fields
                .iter()
                .for_each(|f| self.named_types_in(&f.ty, out)),
            TypeDefKind::Tuple(t) => t.types.iter().for_each(|t| self.named_types_in(t, out)),
            TypeDefKind::Variant(v) => v
                .cases
                .iter()
                .filter_map(|c| c.ty.as_ref())
                .for_each(|t| self.named_types_in(t, out)),
            TypeDefKind::Option(t) | TypeDefKind::List(t) | TypeDefKind::Type(t) => {
                self.named_types_in(t, out)
            }
            TypeDefKind::Result(r) => {
                r.ok.iter()
                    .chain(r.err.iter())
                    .for_each(|t| self.named_types_in(t, out));
            }
            TypeDefKind::Handle(Handle::Own(t) | Handle::Borrow(t)) => {
                self.named_types_in(&Type::Id(*t), out)
            }
            _ => {}
        }
    }
}

/// `super::super::types::Name` from module `from` to `Name` in module `to`.
pub fn relative_path(from: &[Ident], to: &[Ident], name: &Ident) -> TokenStream {
    if from == to {
        return quote!(#name);
    }
    let supers = from.iter().map(|_| format_ident!("super"));
    quote!(#(#supers::)* #(#to::)* #name)
}

/// `#[doc = ..]` from WIT docs, or `fallback` when the WIT has none.
pub fn doc_attrs(docs: &Docs, fallback: &str) -> TokenStream {
    let text = docs.contents.as_deref().unwrap_or(fallback);
    let lines = text.lines().map(|line| format!(" {line}"));
    quote!(#(#[doc = #lines])*)
}

fn kind_name(kind: &TypeDefKind) -> &'static str {
    match kind {
        TypeDefKind::Record(_) => "record",
        TypeDefKind::Resource => "resource",
        TypeDefKind::Handle(_) => "resource handle",
        TypeDefKind::Flags(_) => "flags",
        TypeDefKind::Tuple(_) => "tuple",
        TypeDefKind::Variant(_) => "variant",
        TypeDefKind::Enum(_) => "enum",
        TypeDefKind::Option(_) => "option",
        TypeDefKind::Result(_) => "result",
        TypeDefKind::List(_) => "list",
        TypeDefKind::Map(..) => "map",
        TypeDefKind::FixedLengthList(..) => "fixed-length list",
        TypeDefKind::Future(_) => "future",
        TypeDefKind::Stream(_) => "stream",
        TypeDefKind::Type(_) => "type alias",
        TypeDefKind::Unknown => "unknown",
    }
}
