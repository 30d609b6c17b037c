//! JSON request bodies: each struct writes its properties in field order, each union its tag first, with
//! property names quoted and escaped here, once, rather than on every call.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use super::types::{is_optional, long_as_string, members};
use crate::ir::*;

/// Encoders for the types in `written`: those a request can hold.
pub fn emit(service: &Service, written: &BTreeSet<&str>) -> TokenStream {
    let requests = service
        .types
        .values()
        .filter(|def| written.contains(def.name.as_str()));
    let impls = requests.map(|def| match &def.kind {
        Kind::Struct(s) => emit_struct(service, def, s),
        Kind::Union(u) => emit_union(service, def, u),
        Kind::Enum(e) if !e.flags => emit_enum(def, e),
        // Lists are `Vec`s and flag enums `rt::Flags`, which the runtime covers.
        Kind::Enum(_) | Kind::List(_) => TokenStream::new(),
    });
    quote! { #(#impls)* }
}

/// `text` as a JSON string, escaped as serde_json escapes it.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes")
}

/// `,"name":` as bytes: every property leads with its comma (`rt::json::Encode::encode_fields`).
fn key(name: &str) -> Literal {
    Literal::byte_string(format!(",{}:", quoted(name)).as_bytes())
}

/// A listed value is written as its JSON string, quoted here; only `Unknown` text is looked at per call.
fn emit_enum(def: &TypeDef, e: &Enum) -> TokenStream {
    let name = ident(&def.name);
    let variants = e.values.iter().map(|v| ident(&v.rust));
    let strings = e
        .values
        .iter()
        .map(|v| Literal::byte_string(quoted(&v.wire).as_bytes()));
    quote! {
        impl rt::json::Encode for #name {
            #[inline]
            fn encode(&self, out: &mut Vec<u8>) {
                match self {
                    #( Self::#variants => out.extend_from_slice(#strings), )*
                    Self::Unknown(other) => rt::json::unlisted(out, other),
                }
            }
        }
    }
}

fn emit_struct(service: &Service, def: &TypeDef, strukt: &Struct) -> TokenStream {
    let name = ident(&def.name);
    if strukt.fields.is_empty() {
        return quote! { impl rt::json::Encode for #name {} };
    }
    let writes = strukt.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let key = key(f.json_name());
        let long = long_as_string(service, f);
        match (is_optional(f), long) {
            (false, false) => quote! { rt::json::field(out, #key, &self.#fname); },
            (false, true) => {
                quote! { rt::json::field(out, #key, &rt::json::Quoted(&self.#fname)); }
            }
            (true, false) => quote! { rt::json::optional(out, #key, self.#fname.as_ref()); },
            (true, true) => quote! {
                rt::json::optional(out, #key, self.#fname.as_ref().map(rt::json::Quoted).as_ref());
            },
        }
    });
    quote! {
        impl rt::json::Encode for #name {
            #[inline]
            fn encode_fields(&self, out: &mut Vec<u8>) {
                #(#writes)*
            }
        }
    }
}

fn emit_union(service: &Service, def: &TypeDef, union: &Union) -> TokenStream {
    let name = ident(&def.name);
    let key = key(&union.discriminator);
    let members = members(service, union);
    let variants = members.iter().map(|m| &m.variant);
    let tags = members.iter().map(|m| m.tag);
    let base_arm = union.base_tag.as_ref().map(|tag| {
        quote! { Self::Base(fields) => rt::json::tagged(out, #key, #tag, fields), }
    });
    quote! {
        impl rt::json::Encode for #name {
            fn encode(&self, out: &mut Vec<u8>) {
                match self {
                    #( Self::#variants(fields) => rt::json::tagged(out, #key, #tags, fields), )*
                    #base_arm
                    Self::Unknown { type_name, fields } => rt::json::tagged(out, #key, type_name, fields),
                }
            }
        }
    }
}
