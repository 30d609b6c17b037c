//! Checks of documented limits, generated from the IR and run before anything is sent.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::types::members;
use crate::ir::*;

pub fn emit(service: &Service) -> TokenStream {
    let impls = service.types.values().map(|def| {
        let name = ident(&def.name);
        let at = match &def.kind {
            Kind::Struct(s) if s.fields.is_empty() => quote! { _at },
            _ => quote! { at },
        };
        let body = match &def.kind {
            Kind::Struct(s) => struct_body(service, s),
            Kind::Enum(_) => quote! { rt::validate_enum(self, at) },
            Kind::Union(u) => union_body(service, u),
            Kind::List(_) => return TokenStream::new(),
        };
        quote! {
            impl rt::Validate for #name {
                fn validate(&self, #at: &rt::At<'_>) -> Result<(), rt::Invalid> {
                    #body
                }
            }
        }
    });
    quote! { #(#impls)* }
}

/// The per-value limits (all but item counts) as a `rt::Limits` constant expression.
pub fn limits_expr(limits: &Limits) -> TokenStream {
    let max_length = opt(limits.max_length);
    let max_properties = opt(limits.max_properties);
    let opt_i = |v: Option<i64>| match v {
        Some(n) => quote! { Some(#n) },
        None => quote! { None },
    };
    let minimum = opt_i(limits.minimum);
    let maximum = opt_i(limits.maximum);
    let pattern = match &limits.pattern {
        Some(p) => quote! { Some(#p) },
        None => quote! { None },
    };
    quote! {
        rt::Limits {
            max_length: #max_length,
            pattern: #pattern,
            minimum: #minimum,
            maximum: #maximum,
            max_properties: #max_properties,
        }
    }
}

fn struct_body(service: &Service, strukt: &Struct) -> TokenStream {
    let checks = strukt.fields.iter().map(|f| {
        let name = ident(&f.rust);
        let wire = f.json_name();
        let counts = (f.limits.max_items.is_some() || f.limits.min_items.is_some()).then(|| {
            let max = opt(f.limits.max_items);
            let min = opt(f.limits.min_items);
            quote! { rt::check_items(&self.#name, &at.field(#wire), #max, #min)?; }
        });
        let per_value = Limits {
            max_items: None,
            min_items: None,
            ..f.limits.clone()
        };
        let limits = (!per_value.is_empty()).then(|| {
            let l = limits_expr(&per_value);
            quote! { rt::check_limits(&self.#name, &at.field(#wire), &#l)?; }
        });
        quote! {
            #counts
            #limits
            rt::Validate::validate(&self.#name, &at.field(#wire))?;
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
            rt::only_when(self.#fname.is_some(), &at.field(#wire), #other_wire, #actual, #equals)?;
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

fn union_body(service: &Service, union: &Union) -> TokenStream {
    let variants: Vec<_> = members(service, union)
        .into_iter()
        .map(|m| m.variant)
        .collect();
    let base = union
        .base_tag
        .as_ref()
        .map(|_| quote! { Self::Base(fields) => rt::Validate::validate(fields, at), });
    let disc = &union.discriminator;
    quote! {
        match self {
            #( Self::#variants(fields) => rt::Validate::validate(fields, at), )*
            #base
            Self::Unknown { type_name, .. } => Err(rt::unknown_tag(at, #disc, type_name, Self::TAGS)),
        }
    }
}
