//! SOAP: element-order-exact encoders for the types a request can hold and tolerant decoders for the types a
//! response can hold.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::types::{is_optional, members};
use crate::ir::*;
use crate::load::bare;

/// Encoders for the types in `written`, those a request can hold, and decoders for the types in `read`, those a
/// response can hold.
pub fn emit(service: &Service, written: &BTreeSet<&str>, read: &BTreeSet<&str>) -> TokenStream {
    let Some(soap) = &service.soap else {
        return TokenStream::new();
    };
    let tns = &soap.namespace;
    let prefixes = soap.namespaces.iter().map(|(p, uri)| quote! { (#p, #uri) });
    let impls = service.types.values().filter_map(|def| {
        let (writes, reads) = (
            written.contains(def.name.as_str()),
            read.contains(def.name.as_str()),
        );
        if !writes && !reads {
            return None;
        }
        let (encode, decode) = match &def.kind {
            Kind::Struct(s) => emit_struct(service, def, s),
            Kind::Union(u) => emit_union(service, def, u),
            // The runtime's codecs read and write every enum by its wire names, flag sets (`rt::Flags`)
            // included, and each list through the field that holds it.
            Kind::Enum(_) | Kind::List(_) => Default::default(),
        };
        let (encode, decode) = (writes.then_some(encode), reads.then_some(decode));
        Some(quote! { #encode #decode })
    });
    quote! {
        /// The target namespace of the service's SOAP elements.
        pub(crate) const TNS: &str = #tns;

        /// Prefixes requests bind for the namespaces other than the target namespace.
        pub(crate) const SOAP_PREFIXES: &[(&str, &str)] = &[#(#prefixes),*];

        #(#impls)*
    }
}

/// How the platform's error body is read from a SOAP fault's detail, for its `Fault` impl; nothing for a
/// platform without SOAP.
pub fn fault_detail(service: &Service) -> TokenStream {
    if service.soap.is_none() {
        return TokenStream::new();
    }
    let decode_detail = match service.types.get(&service.error_type).map(|t| &t.kind) {
        Some(Kind::Union(_)) => {
            quote! { Self::decode_as(Some(detail.local_name()), reader, detail) }
        }
        _ => quote! { rt::soap::Decode::decode(reader, detail) },
    };
    quote! {
        fn from_soap_detail(reader: &mut rt::soap::Reader<'_>, detail: &rt::soap::Start<'_>) -> Option<Result<Self, rt::soap::DecodeError>> {
            Some(#decode_detail)
        }
    }
}

/// The namespace expression for elements a type declares.
fn ns_expr(ns: &Option<String>) -> TokenStream {
    match ns {
        Some(uri) => quote! { #uri },
        None => quote! { TNS },
    }
}

/// `(item namespace, item element)` when `ty` is a SOAP array type.
fn list_of<'a>(service: &'a Service, ty: &TypeRef) -> Option<(&'a TypeDef, &'a List)> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    let def = service.types.get(name)?;
    match &def.kind {
        Kind::List(list) => Some((def, list)),
        _ => None,
    }
}

/// Each emitter gives a type's encoder and its decoder apart, as only request types get the first.
fn emit_struct(service: &Service, def: &TypeDef, strukt: &Struct) -> (TokenStream, TokenStream) {
    let name = ident(&def.name);
    let writes = strukt.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let ns = ns_expr(&f.xml_ns);
        let wire = &f.wire;
        // Required and not nillable: a plain value, always written. Otherwise an `Option`, left out when
        // absent unless the schema requires the element, which is then nil.
        let optional = is_optional(f);
        let (value_method, list_method) = match (optional, f.required) {
            (false, _) => (quote! { element }, quote! { items }),
            (true, true) => (quote! { value_or_nil }, quote! { list_or_nil }),
            (true, false) => (quote! { value }, quote! { list }),
        };
        let (value, slice) = if optional {
            (
                quote! { self.#fname.as_ref() },
                quote! { self.#fname.as_deref() },
            )
        } else {
            (quote! { &self.#fname }, quote! { &self.#fname })
        };
        match (list_of(service, &f.ty), &f.ty) {
            (Some((list_def, list)), _) => {
                let item_ns = ns_expr(&list_def.xml_ns);
                let item = &list.item_element;
                quote! { writer.#list_method(#ns, #wire, (#item_ns, #item), #slice); }
            }
            // A repeated element without a wrapper (`maxOccurs="unbounded"`).
            (None, TypeRef::Array(_)) => {
                let items = if optional {
                    quote! { #value.into_iter().flatten() }
                } else {
                    value
                };
                quote! {
                    for item in #items {
                        writer.element(#ns, #wire, item);
                    }
                }
            }
            (None, _) => quote! { writer.#value_method(#ns, #wire, #value); },
        }
    });
    // A struct whose fields are all optional (such a struct always derives `Default`) is filled in place from
    // its default. One with a required field gathers each field in a local first, so that a missing one is an
    // error that names it.
    let in_place = !strukt.fields.is_empty() && strukt.fields.iter().all(is_optional);
    let targets: Vec<TokenStream> = strukt
        .fields
        .iter()
        .map(|f| {
            if in_place {
                let fname = ident(&f.rust);
                quote! { value.#fname }
            } else {
                let local = ident(&format!("f_{}", bare(&f.rust)));
                quote! { #local }
            }
        })
        .collect();
    let arms = strukt.fields.iter().zip(&targets).map(|(f, target)| {
        let wire = &f.wire;
        match (list_of(service, &f.ty), &f.ty) {
            (Some((_, list)), _) => {
                let item = &list.item_element;
                quote! { #wire => #target = Some(rt::soap::decode_list(reader, &child, #item)?), }
            }
            (None, TypeRef::Array(_)) => quote! { #wire => #target.get_or_insert_with(Vec::new).push(rt::soap::field(reader, &child)?), },
            (None, _) => quote! { #wire => #target = Some(rt::soap::field(reader, &child)?), },
        }
    });
    let loop_body = if strukt.fields.is_empty() {
        quote! { reader.skip(start)?; }
    } else {
        quote! {
            while let Some(child) = reader.next_child(start)? {
                if child.is_nil() {
                    continue;
                }
                match child.local_name() {
                    #(#arms)*
                    // Elements this schema does not know are skipped: a newer server may send more.
                    _ => {}
                }
            }
        }
    };
    let (decls, result) = if in_place {
        (
            quote! { let mut value = Self::default(); },
            quote! { Ok(value) },
        )
    } else {
        let inits = strukt.fields.iter().zip(&targets).map(|(f, local)| {
            let fname = ident(&f.rust);
            if is_optional(f) {
                quote! { #fname: #local, }
            } else {
                let missing = format!("required element <{}> is missing", f.wire);
                quote! { #fname: #local.ok_or_else(|| rt::soap::DecodeError::new(#missing))?, }
            }
        });
        (
            quote! { #(let mut #targets = None;)* },
            quote! { Ok(Self { #(#inits)* }) },
        )
    };
    let writer_param = if strukt.fields.is_empty() {
        quote! { _writer }
    } else {
        quote! { writer }
    };
    let encode = quote! {
        impl rt::soap::Encode for #name {
            fn encode_content(&self, #writer_param: &mut rt::soap::Writer) {
                #(#writes)*
            }
        }
    };
    let decode = quote! {
        impl rt::soap::Decode for #name {
            fn decode(reader: &mut rt::soap::Reader<'_>, start: &rt::soap::Start<'_>) -> Result<Self, rt::soap::DecodeError> {
                #decls
                #loop_body
                #result
            }
        }
    };
    (encode, decode)
}

fn emit_union(service: &Service, def: &TypeDef, union: &Union) -> (TokenStream, TokenStream) {
    let name = ident(&def.name);
    let base = ident(&union.base_struct);
    let own_ns = ns_expr(&def.xml_ns);
    let members = members(service, union);
    let variants: Vec<_> = members.iter().map(|m| &m.variant).collect();
    let type_names: Vec<&str> = members.iter().map(|m| m.schema_name).collect();
    let type_ns: Vec<TokenStream> = members
        .iter()
        .map(|m| {
            ns_expr(
                &service
                    .types
                    .get(m.schema_name)
                    .and_then(|t| t.xml_ns.clone()),
            )
        })
        .collect();
    let base_name = &def.name;
    let (base_type_arm, base_content_arm, base_decode_arm, absent_arm) = match &union.base_tag {
        Some(_) => (
            quote! { Self::Base(_) => None, },
            quote! { Self::Base(fields) => rt::soap::Encode::encode_content(fields, writer), },
            quote! { None | Some(#base_name) => #base::decode(reader, start).map(Self::Base), },
            TokenStream::new(),
        ),
        None => (
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
            quote! { None => Ok(Self::Unknown { type_name: String::new(), fields: #base::decode(reader, start)? }), },
        ),
    };
    let encode = quote! {
        impl rt::soap::Encode for #name {
            fn xsi_type(&self) -> Option<(&str, &str)> {
                match self {
                    #( Self::#variants(_) => Some((#type_ns, #type_names)), )*
                    #base_type_arm
                    Self::Unknown { type_name, .. } => Some((#own_ns, type_name.as_str())),
                }
            }

            fn encode_content(&self, writer: &mut rt::soap::Writer) {
                match self {
                    #( Self::#variants(fields) => rt::soap::Encode::encode_content(fields, writer), )*
                    #base_content_arm
                    Self::Unknown { fields, .. } => rt::soap::Encode::encode_content(fields, writer),
                }
            }
        }
    };
    let decode = quote! {
        impl rt::soap::Decode for #name {
            fn decode(reader: &mut rt::soap::Reader<'_>, start: &rt::soap::Start<'_>) -> Result<Self, rt::soap::DecodeError> {
                Self::decode_as(start.xsi_type(), reader, start)
            }
        }

        impl #name {
            /// Decodes the element `start` opens as the derived type named `type_name` (its `xsi:type`, or a
            /// fault detail's element name).
            pub(crate) fn decode_as(type_name: Option<&str>, reader: &mut rt::soap::Reader<'_>, start: &rt::soap::Start<'_>) -> Result<Self, rt::soap::DecodeError> {
                use rt::soap::Decode as _;
                match type_name {
                    #( Some(#type_names) => #variants::decode(reader, start).map(Self::#variants), )*
                    #base_decode_arm
                    #absent_arm
                    Some(other) => Ok(Self::Unknown { type_name: other.to_string(), fields: #base::decode(reader, start)? }),
                }
            }
        }
    };
    (encode, decode)
}
