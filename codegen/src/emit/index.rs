//! `api.rs`: the platforms the schemas describe, each behind its cargo feature.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::Api;

pub fn emit(api: &Api) -> TokenStream {
    let names = api.services.iter().map(|s| s.name.as_str());
    let modules = api.services.iter().map(|s| ident(&s.name));
    let docs = api.services.iter().map(|s| {
        let count = match s.operations.len() {
            1 => "1 operation".to_string(),
            n => format!("{n} operations"),
        };
        format!(
            " {}: {count}, generated from {}.",
            s.title,
            s.sources.join(", ")
        )
    });
    quote! {
        platforms! {
            #( #names => #modules, #docs; )*
        }
    }
}
