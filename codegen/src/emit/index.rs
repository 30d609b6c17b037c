//! `api.rs`: the platforms the schemas describe, each a module behind its cargo feature, and the table of every
//! enabled operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident};
use crate::ir::Api;

pub fn emit(api: &Api) -> TokenStream {
    let modules = api.services.iter().map(|s| {
        let (feature, module) = (s.name.as_str(), ident(&s.name));
        let count = match s.operations.len() {
            1 => "1 operation".to_string(),
            n => format!("{n} operations"),
        };
        let sources: Vec<String> = s.sources.iter().map(|f| format!("`{f}`")).collect();
        let doc = docs::written(&format!(
            "{}: {count}.\n\nGenerated from {}.",
            s.title,
            sources.join(", ")
        ));
        let file = format!("/{feature}.rs");
        quote! {
            #doc
            #[cfg(feature = #feature)]
            #[allow(rustdoc::bare_urls, clippy::large_enum_variant, clippy::enum_variant_names, clippy::single_match)]
            #[warn(missing_docs)]
            pub mod #module {
                include!(concat!(env!("OUT_DIR"), #file));
            }
        }
    });
    let features = api.services.iter().map(|s| s.name.as_str());
    let tables = api.services.iter().map(|s| ident(&s.name));
    quote! {
        #(#modules)*

        /// Every generated operation of the enabled platforms.
        #[allow(dead_code)]
        pub(crate) fn operation_table() -> Vec<&'static runtime::cli::Entry> {
            #[allow(unused_mut)]
            let mut all = Vec::new();
            #(
                #[cfg(feature = #features)]
                all.extend(#tables::OPERATIONS.iter());
            )*
            all
        }
    }
}
