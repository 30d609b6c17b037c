//! Types: structs with fields in wire order, open enums, unions of derived types, and their JSON form.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident};
use crate::ir::*;
use crate::load::bare;

pub fn emit(service: &Service) -> TokenStream {
    let usage = Usage::of(service);
    let items = service.types.values().map(|def| match &def.kind {
        Kind::Struct(s) => emit_struct(service, &usage, def, s),
        Kind::Enum(e) => emit_enum(service, &usage, def, e),
        Kind::Union(u) => emit_union(service, &usage, def, u),
        // SOAP arrays are `Vec`s of their item; the wrapper exists only on the wire.
        Kind::List(_) => TokenStream::new(),
    });
    quote! { #(#items)* }
}

/// Which calls each named type travels in, for its docs: a reader of a type learns where it is used.
struct Usage<'a> {
    /// How many operations the service has: a type that all of them carry reads "every call".
    operations: usize,
    /// Type name → the client methods whose request holds it, and whether it is the body itself.
    requests: BTreeMap<&'a str, Vec<(&'a str, bool)>>,
    /// The same for responses.
    responses: BTreeMap<&'a str, Vec<(&'a str, bool)>>,
    /// What the error body of a failed call holds.
    error: BTreeSet<&'a str>,
}

impl<'a> Usage<'a> {
    fn of(service: &'a Service) -> Self {
        let (mut requests, mut responses) = (BTreeMap::new(), BTreeMap::new());
        for op in &service.operations {
            for (root, by_type) in [(&op.request, &mut requests), (&op.response, &mut responses)] {
                for name in service.reachable([root.as_str()].into_iter()) {
                    let uses: &mut Vec<_> = by_type.entry(name).or_default();
                    uses.push((op.rust.as_str(), name == root));
                }
            }
        }
        Usage {
            operations: service.operations.len(),
            requests,
            responses,
            error: service.reachable([service.error_type.as_str()].into_iter()),
        }
    }

    /// The type's docs from the schema, then `extra` (facts of its kind), then where it travels.
    fn doc(&self, service: &Service, def: &TypeDef, extra: &str) -> TokenStream {
        let schema = docs::outer(&format!("{}{extra}", type_docs(service, def)));
        let name = def.name.as_str();
        // "The request body of ...", then where else it is sent and received.
        let (mut travels, mut sent, mut received) = (Vec::new(), Vec::new(), Vec::new());
        for (uses, part, within_part) in [
            (&self.requests, "request", &mut sent),
            (&self.responses, "response", &mut received),
        ] {
            let uses = uses.get(name).map_or(&[][..], Vec::as_slice);
            let (bodies, within): (Vec<_>, Vec<_>) = uses.iter().partition(|(_, root)| *root);
            if !bodies.is_empty() {
                travels.push(format!("The {part} body of {}.", self.calls(&bodies)));
            }
            if !within.is_empty() {
                within_part.push(format!("the {part} of {}", self.calls(&within)));
            }
        }
        if name == service.error_type {
            travels.push("The error body of a failed call.".to_string());
        } else if self.error.contains(name) {
            received.push("the error body of a failed call".to_string());
        }
        for (verb, places) in [("Sent", sent), ("Received", received)] {
            if !places.is_empty() {
                travels.push(format!("{verb} in {}.", places.join(", and in ")));
            }
        }
        if travels.is_empty() {
            return schema;
        }
        let travels = docs::written(&travels.join(" "));
        quote! {
            #schema
            ///
            #travels
        }
    }

    /// The methods as links in a list that reads as prose ("a, b and c"), or "every call" when they are all.
    fn calls(&self, uses: &[&(&str, bool)]) -> String {
        if uses.len() == self.operations && self.operations > 1 {
            return "every call".to_string();
        }
        let links: Vec<String> = uses
            .iter()
            .map(|(m, _)| format!("[`Client::{m}`]"))
            .collect();
        match links.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => links.concat(),
        }
    }
}

/// The Rust type of a value of `ty`, without the `Option` presence adds.
pub fn rust_type(service: &Service, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Prim(p) => prim_type(*p),
        TypeRef::JsonObject => quote! { serde_json::Map<String, serde_json::Value> },
        TypeRef::Array(item) => {
            let item = rust_type(service, item);
            quote! { Vec<#item> }
        }
        TypeRef::Named(name) => match service.types.get(name).map(|t| &t.kind) {
            Some(Kind::List(list)) => {
                let item = rust_type(service, &list.item);
                quote! { Vec<#item> }
            }
            Some(Kind::Enum(Enum { flags: true, .. })) => {
                let name = ident(name);
                quote! { rt::Flags<#name> }
            }
            _ => {
                let name = ident(name);
                quote! { #name }
            }
        },
    }
}

fn prim_type(p: Prim) -> TokenStream {
    match p {
        Prim::String => quote! { String },
        Prim::Bool => quote! { bool },
        Prim::I32 => quote! { i32 },
        Prim::I64 => quote! { i64 },
        Prim::F64 => quote! { f64 },
        Prim::Decimal => quote! { rt::Decimal },
        Prim::Json => quote! { serde_json::Value },
    }
}

/// A field holds an `Option` unless the wire requires a non-nil value.
pub fn is_optional(field: &Field) -> bool {
    !field.required || field.nillable
}

pub fn field_type(service: &Service, field: &Field) -> TokenStream {
    let inner = rust_type(service, &field.ty);
    if is_optional(field) {
        quote! { Option<#inner> }
    } else {
        inner
    }
}

/// Whether values of `ty` have a sensible `Default` (empty, absent or zero), so structs can derive it. The
/// recursion ends: the checks refuse a type that holds itself before anything is emitted.
fn defaultable(service: &Service, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Prim(_) | TypeRef::JsonObject | TypeRef::Array(_) => true,
        TypeRef::Named(name) => match service.types.get(name).map(|t| &t.kind) {
            Some(Kind::List(_)) | Some(Kind::Enum(Enum { flags: true, .. })) => true,
            Some(Kind::Struct(s)) => s
                .fields
                .iter()
                .all(|f| is_optional(f) || defaultable(service, &f.ty)),
            _ => false,
        },
    }
}

/// Whether `field` is written as JSON strings: it holds 64-bit integers and its service writes those so.
pub fn long_as_string(service: &Service, field: &Field) -> bool {
    service.rest.as_ref().is_some_and(|r| r.json.long_as_string) && holds_long(service, &field.ty)
}

fn holds_long(service: &Service, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Prim(Prim::I64) => true,
        TypeRef::Array(item) => holds_long(service, item),
        TypeRef::Named(name) => {
            matches!(service.types.get(name).map(|t| &t.kind), Some(Kind::List(l)) if holds_long(service, &l.item))
        }
        _ => false,
    }
}

/// The schema's description, or where it has none, what the type is: every public item gets a doc.
fn type_docs(service: &Service, def: &TypeDef) -> String {
    if def.docs.is_empty() {
        format!("The `{}` type of {}.", def.name, service.title)
    } else {
        def.docs.clone()
    }
}

fn emit_struct(service: &Service, usage: &Usage, def: &TypeDef, strukt: &Struct) -> TokenStream {
    let name = ident(&def.name);
    // A union's base struct goes on the wire as the base type itself, which SOAP sends without `xsi:type`.
    let union_of = service
        .types
        .values()
        .find(|t| matches!(&t.kind, Kind::Union(u) if u.base_struct == def.name));
    let tag = strukt.tag.as_ref().map(|tag| match union_of {
        Some(union) => format!(
            "\n\nOn the wire it is the base type `{}` itself: `Type` = `{tag}` in JSON, and no `xsi:type` in SOAP.",
            union.name
        ),
        None => format!(
            "\n\nSent with `Type` = `{tag}` in JSON and `xsi:type` = `{}` in SOAP.",
            def.name
        ),
    });
    let doc = usage.doc(service, def, tag.as_deref().unwrap_or_default());
    let fields = strukt.fields.iter().map(|f| {
        let fdoc = docs::outer(&field_docs(service, f));
        let fname = ident(&f.rust);
        let ty = field_type(service, f);
        let json = f.json_name();
        let aliases = f.json_aliases.iter();
        let optional =
            is_optional(f).then(|| quote! { , default, skip_serializing_if = "Option::is_none" });
        let with = long_as_string(service, f).then(|| quote! { , with = "rt::json::long_string" });
        quote! {
            #fdoc
            #[serde(rename = #json #( , alias = #aliases )* #optional #with)]
            pub #fname: #ty,
        }
    });
    let default = strukt
        .fields
        .iter()
        .all(|f| is_optional(f) || defaultable(service, &f.ty))
        .then(|| quote! { Default, });
    // Documented list sizes as constants, for code that splits work into calls (the bulk helpers).
    let max_items: Vec<TokenStream> = strukt
        .fields
        .iter()
        .filter_map(|f| {
            let n =
                proc_macro2::Literal::usize_unsuffixed(usize::try_from(f.limits.max_items?).ok()?);
            let constant = ident(&format!("{}_MAX_ITEMS", bare(&f.rust).to_uppercase()));
            let doc = format!(" The documented maximum of items in `{}`.", f.wire);
            Some(quote! { #[doc = #doc] pub const #constant: usize = #n; })
        })
        .collect();
    let limits = (!max_items.is_empty()).then(|| quote! { impl #name { #(#max_items)* } });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }
        #limits
    }
}

fn field_docs(service: &Service, f: &Field) -> String {
    let mut text = match (f.docs.is_empty(), service.soap.is_some()) {
        (false, _) => f.docs.clone(),
        (true, true) => format!("The `{}` element in SOAP, property in JSON.", f.wire),
        (true, false) => format!("The `{}` property.", f.json_name()),
    };
    let mut facts = Vec::new();
    if let Some(n) = f.limits.max_items {
        facts.push(format!("at most {n} items"));
    }
    if let Some(n) = f.limits.min_items {
        facts.push(format!("at least {n} items"));
    }
    if let Some(n) = f.limits.max_length {
        facts.push(format!("at most {n} characters"));
    }
    if let Some(p) = &f.limits.pattern {
        facts.push(format!("matches `{p}`"));
    }
    match (f.limits.minimum, f.limits.maximum) {
        (Some(lo), Some(hi)) => facts.push(format!("from {lo} to {hi}")),
        (Some(lo), None) => facts.push(format!("at least {lo}")),
        (None, Some(hi)) => facts.push(format!("at most {hi}")),
        (None, None) => {}
    }
    if let Some(n) = f.limits.max_properties {
        facts.push(format!("at most {n} entries"));
    }
    if f.required && f.nillable {
        facts.push("required on the wire: `None` is sent as nil".into());
    }
    if !facts.is_empty() {
        text.push_str(&format!(
            "\n\nChecked before sending: {}.",
            facts.join(", ")
        ));
    }
    text
}

fn emit_enum(service: &Service, usage: &Usage, def: &TypeDef, e: &Enum) -> TokenStream {
    let name = ident(&def.name);
    let flags = if e.flags {
        "\n\nA flag value: combine several in [`Flags`](crate::Flags) (space-separated in SOAP, `\", \"`-separated in JSON)."
    } else {
        ""
    };
    let doc = usage.doc(service, def, flags);
    let variants: Vec<_> = e.values.iter().map(|v| ident(&v.rust)).collect();
    let wires: Vec<&str> = e.values.iter().map(|v| v.wire.as_str()).collect();
    let vdocs = e.values.iter().map(|v| {
        let text = if v.docs.is_empty() {
            format!("`{}`", v.wire)
        } else {
            format!("`{}`: {}", v.wire, v.docs)
        };
        docs::outer(&text)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #vdocs #variants, )*
            /// A value this schema does not list, kept as received.
            Unknown(String),
        }

        impl rt::WireEnum for #name {
            const VALUES: &'static [&'static str] = &[#(#wires),*];

            fn as_wire(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(other) => other,
                }
            }

            fn unknown(&self) -> Option<&str> {
                match self {
                    Self::Unknown(other) => Some(other),
                    _ => None,
                }
            }

            fn from_wire(text: &str) -> Self {
                match text {
                    #( #wires => Self::#variants, )*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(rt::WireEnum::as_wire(self))
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                rt::json::deserialize_enum(deserializer)
            }
        }
    }
}

/// The REST tag of each union member, for docs, JSON and the SOAP `xsi:type`.
pub struct Member<'a> {
    pub variant: proc_macro2::Ident,
    pub ty: proc_macro2::Ident,
    pub schema_name: &'a str,
    pub tag: &'a str,
}

pub fn members<'a>(service: &'a Service, union: &'a Union) -> Vec<Member<'a>> {
    union
        .variants
        .iter()
        .filter_map(|v| match &service.types.get(v)?.kind {
            Kind::Struct(Struct { tag: Some(tag), .. }) => Some(Member {
                variant: ident(v),
                ty: ident(v),
                schema_name: v,
                tag,
            }),
            _ => None,
        })
        .collect()
}

fn emit_union(service: &Service, usage: &Usage, def: &TypeDef, union: &Union) -> TokenStream {
    let name = ident(&def.name);
    let base = ident(&union.base_struct);
    let disc = &union.discriminator;
    let doc = usage.doc(
        service,
        def,
        &format!("\n\nOne of the derived types, told apart by `{disc}` in JSON and by `xsi:type` in SOAP."),
    );
    let members = members(service, union);
    let variants: Vec<_> = members.iter().map(|m| &m.variant).collect();
    let tys: Vec<_> = members.iter().map(|m| &m.ty).collect();
    let tags: Vec<&str> = members.iter().map(|m| m.tag).collect();
    let vdocs = members
        .iter()
        .map(|m| docs::outer(&format!("`{}` (`{disc}` = `{}`)", m.schema_name, m.tag)));
    let (base_variant, base_ser, base_de, base_tag_arm) = match &union.base_tag {
        Some(tag) => (
            {
                let doc = docs::outer(&format!("The base type itself (`{disc}` = `{tag}`)."));
                quote! {
                    #doc
                    Base(#base),
                }
            },
            quote! { Self::Base(fields) => rt::json::serialize_tagged(serializer, #disc, #tag, fields), },
            quote! { None | Some(#tag) => rt::json::from_rest(rest).map(Self::Base), },
            quote! { Self::Base(_) => #tag, },
        ),
        None => (
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
        ),
    };
    let values_list: Vec<&str> = union
        .base_tag
        .iter()
        .map(String::as_str)
        .chain(tags.iter().copied())
        .collect();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #vdocs #variants(#tys), )*
            #base_variant
            /// A derived type this schema does not describe: its name and the base fields are kept.
            Unknown {
                /// The `Type` or `xsi:type` value as received.
                type_name: String,
                /// The fields every derived type shares.
                fields: #base,
            },
        }

        impl #name {
            /// The discriminator values this schema knows.
            pub const TAGS: &'static [&'static str] = &[#(#values_list),*];

            /// The discriminator value this variant is sent with.
            pub fn tag(&self) -> &str {
                match self {
                    #( Self::#variants(_) => #tags, )*
                    #base_tag_arm
                    Self::Unknown { type_name, .. } => type_name,
                }
            }
        }

        #(
            impl From<#tys> for #name {
                fn from(value: #tys) -> Self {
                    Self::#variants(value)
                }
            }
        )*

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( Self::#variants(fields) => rt::json::serialize_tagged(serializer, #disc, #tags, fields), )*
                    #base_ser
                    Self::Unknown { type_name, fields } => rt::json::serialize_tagged(serializer, #disc, type_name, fields),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let (tag, rest) = rt::json::split_tag(deserializer, #disc)?;
                match tag.as_deref() {
                    #( Some(#tags) => rt::json::from_rest(rest).map(Self::#variants), )*
                    #base_de
                    other => Ok(Self::Unknown {
                        type_name: other.unwrap_or_default().to_string(),
                        fields: rt::json::from_rest(rest)?,
                    }),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The doc lines `Usage` gives the type `name` of `platform`, joined by spaces.
    fn travels(api: &Api, platform: &str, name: &str) -> String {
        let service = api
            .services
            .iter()
            .find(|s| s.name == platform)
            .expect("platform");
        let doc = Usage::of(service).doc(service, &service.types[name], "");
        let file: syn::File = syn::parse2(quote! { #doc struct S; }).expect("doc attributes");
        let Some(syn::Item::Struct(item)) = file.items.into_iter().next() else {
            unreachable!("parsed a struct")
        };
        let texts = item.attrs.iter().filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        });
        texts
            .map(|t| t.trim().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn type_docs_name_the_calls_that_carry_them() {
        let api = crate::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas"))
            .expect("schemas load");
        for (platform, name, ending) in [
            (
                "batch",
                "AudienceUpdateRequest",
                "The request body of [`Client::audience_update`].",
            ),
            (
                "batch",
                "AudienceIdAction",
                "Sent in the request of [`Client::audience_update`].",
            ),
            ("batch", "Error", "The error body of a failed call."),
            (
                "microsoft",
                "BatchError",
                "Received in the response of every call, and in the error body of a failed call.",
            ),
        ] {
            let docs = travels(&api, platform, name);
            assert!(docs.ends_with(ending), "{docs}");
        }
        let two = travels(&api, "microsoft", "AudienceGroupDimension");
        assert!(two.contains("[`Client::update_audience_groups`]"), "{two}");
    }
}
