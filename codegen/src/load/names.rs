//! Rust names from wire names, the same way every time. A wire name with no letter or digit gives an empty name,
//! which the names pass reports with the schema's place.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// `UpdateAudiences` → `UpdateAudiences`; `audience_update` → `AudienceUpdate`; `self` → `Self_`.
pub fn rust_type_name(wire: &str) -> String {
    let name = wire
        .replace(['/', '.', '-', ' '], "_")
        .to_upper_camel_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else if name == "Self" {
        "Self_".into()
    } else {
        name
    }
}

/// An enum value's variant: as a type name, except that `Unknown` is taken by the variant that keeps values the
/// schema does not list.
pub fn rust_variant_name(wire: &str) -> String {
    match rust_type_name(wire) {
        name if name == "Unknown" => "UnknownValue".into(),
        name => name,
    }
}

/// `AudienceNetworkSize` → `audience_network_size`; `type` → `r#type`; `self` → `self_`.
pub fn rust_field_name(wire: &str) -> String {
    let snake = wire
        .replace(['/', '.', '-', ' ', '(', ')'], "_")
        .to_snake_case();
    let snake = if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{snake}")
    } else {
        snake
    };
    if snake.is_empty() || is_rust_ident(&snake) {
        snake
    } else if matches!(snake.as_str(), "self" | "super" | "crate" | "Self") {
        format!("{snake}_")
    } else {
        format!("r#{snake}")
    }
}

/// Whether the emitters can make `name` into an identifier: a plain one, or a raw one (`r#type`).
pub fn is_rust_ident(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok()
}

/// Whether `name` is an XML name without a prefix (an NCName, ASCII or not): a letter or `_`, then letters,
/// digits, `-`, `.` or `_`.
pub fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

/// `name` without the `r#` of a raw identifier, to build another name from (`prepare_type`).
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}
