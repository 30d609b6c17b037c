//! Checks of documented limits, generated from the IR and run before anything is sent.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::ident;
use super::types::members;
use crate::ir::*;

/// `Validate` impls for the request types that have something to check, and for every operation's request
/// type, which the runtime validates whatever it holds.
pub fn emit(service: &Service, written: &BTreeSet<&str>) -> TokenStream {
    let checked = checked(service, written);
    let roots: BTreeSet<&str> = service
        .operations
        .iter()
        .map(|o| o.request.as_str())
        .collect();
    let impls = service
        .types
        .values()
        .filter(|def| checked.contains(def.name.as_str()) || roots.contains(def.name.as_str()))
        .map(|def| {
            let name = ident(&def.name);
            let body = match &def.kind {
                Kind::Struct(s) => struct_body(service, &checked, s),
                // A flag enum is only ever held in `rt::Flags`, which checks each value itself.
                Kind::Enum(e) if e.flags => return TokenStream::new(),
                Kind::Enum(_) => quote! { rt::validate_enum(self) },
                Kind::Union(u) => union_body(service, &checked, u),
                Kind::List(_) => return TokenStream::new(),
            };
            quote! {
                impl rt::Validate for #name {
                    #[inline]
                    fn validate(&self) -> rt::Checked {
                        #body
                    }
                }
            }
        });
    quote! { #(#impls)* }
}

/// The types of `written` a value of which can break a limit: enums (an `Unknown` value may not be listed),
/// unions (nor may an unknown member), lists of such, and structs with a limit, a rule or a field of such a
/// type. Checks of any other value are left out: they could only pass.
fn checked<'a>(service: &Service, written: &BTreeSet<&'a str>) -> BTreeSet<&'a str> {
    let mut checked = BTreeSet::new();
    // A type's answer depends on the types it holds, which may come after it; grow the set until it holds still.
    loop {
        let before = checked.len();
        for &name in written {
            let holds = match service.types.get(name).map(|def| &def.kind) {
                Some(Kind::Enum(_) | Kind::Union(_)) => true,
                Some(Kind::List(list)) => refers(&list.item, &checked),
                Some(Kind::Struct(s)) => {
                    !s.rules.is_empty()
                        || s.fields
                            .iter()
                            .any(|f| !f.limits.is_empty() || refers(&f.ty, &checked))
                }
                None => false,
            };
            if holds {
                checked.insert(name);
            }
        }
        if checked.len() == before {
            return checked;
        }
    }
}

/// Whether a value of `ty` can break a limit, given the named types known to be checked.
fn refers(ty: &TypeRef, checked: &BTreeSet<&str>) -> bool {
    ty.named().is_some_and(|name| checked.contains(name))
}

/// The per-value limits (all but item counts) as a `rt::Limits` constant expression naming only the limits
/// that are set, so a reviewer reads what the schema states and nothing else.
pub fn limits_expr(limits: &Limits) -> TokenStream {
    let Limits {
        max_length,
        pattern,
        minimum,
        maximum,
        max_properties,
        max_items: _,
        min_items: _,
    } = limits;
    let set = [
        max_length.map(|n| quote! { max_length: Some(#n), }),
        pattern.as_ref().map(|p| quote! { pattern: Some(#p), }),
        minimum.map(|n| quote! { minimum: Some(#n), }),
        maximum.map(|n| quote! { maximum: Some(#n), }),
        max_properties.map(|n| quote! { max_properties: Some(#n), }),
    ];
    if set.iter().all(Option::is_none) {
        return quote! { rt::Limits::NONE };
    }
    quote! { rt::Limits { #(#set)* ..rt::Limits::NONE } }
}

fn struct_body(service: &Service, checked: &BTreeSet<&str>, strukt: &Struct) -> TokenStream {
    let checks = strukt.fields.iter().map(|f| {
        let name = ident(&f.rust);
        let wire = f.json_name();
        let counts = (f.limits.max_items.is_some() || f.limits.min_items.is_some()).then(|| {
            let max = opt(f.limits.max_items);
            let min = opt(f.limits.min_items);
            quote! { rt::check_items(&self.#name, #wire, #max, #min)?; }
        });
        let per_value = Limits {
            max_items: None,
            min_items: None,
            ..f.limits.clone()
        };
        let limits = (!per_value.is_empty()).then(|| {
            let l = limits_expr(&per_value);
            quote! { rt::check_limits(&self.#name, #wire, &#l)?; }
        });
        let nested =
            refers(&f.ty, checked).then(|| quote! { rt::validate_field(&self.#name, #wire)?; });
        quote! {
            #counts
            #limits
            #nested
        }
    });
    let rules = strukt.rules.iter().filter_map(|rule| {
        let field = strukt.fields.iter().find(|f| f.wire == rule.field)?;
        let other = strukt
            .fields
            .iter()
            .find(|f| f.wire == rule.only_when_field)?;
        let fname = ident(&field.rust);
        let oname = ident(&other.rust);
        let (wire, other_wire, equals) = (field.json_name(), other.json_name(), &rule.equals);
        let actual = match &other.ty {
            TypeRef::Named(n)
                if matches!(service.types.get(n).map(|t| &t.kind), Some(Kind::Enum(_))) =>
            {
                quote! { rt::WireEnum::as_wire(&self.#oname) }
            }
            _ => quote! { self.#oname.as_str() },
        };
        Some(quote! {
            rt::only_when(self.#fname.is_some(), #wire, #other_wire, #actual, #equals)?;
        })
    });
    quote! {
        #(#checks)*
        #(#rules)*
        Ok(())
    }
}

fn opt(value: Option<u64>) -> TokenStream {
    match value {
        Some(n) => quote! { Some(#n) },
        None => quote! { None },
    }
}

fn union_body(service: &Service, checked: &BTreeSet<&str>, union: &Union) -> TokenStream {
    let arm = |variant: TokenStream, member: &str| {
        if checked.contains(member) {
            quote! { Self::#variant(fields) => rt::Validate::validate(fields), }
        } else {
            quote! { Self::#variant(_) => Ok(()), }
        }
    };
    let arms = members(service, union)
        .into_iter()
        .map(|m| arm(m.variant.to_token_stream(), m.schema_name));
    let base = union
        .base_tag
        .as_ref()
        .map(|_| arm(quote! { Base }, &union.base_struct));
    let disc = &union.discriminator;
    quote! {
        match self {
            #( #arms )*
            #base
            Self::Unknown { type_name, .. } => Err(rt::unknown_tag(#disc, type_name, Self::TAGS)),
        }
    }
}
