//! Rust names from wire names, the same way every time.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// `UpdateAudiences` → `UpdateAudiences`; `audience_update` → `AudienceUpdate`.
pub fn rust_type_name(wire: &str) -> String {
    let name = wire
        .replace(['/', '.', '-', ' '], "_")
        .to_upper_camel_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    }
}

/// `AudienceNetworkSize` → `audience_network_size`; `type` → `r#type`.
pub fn rust_field_name(wire: &str) -> String {
    let snake = wire
        .replace(['/', '.', '-', ' ', '(', ')'], "_")
        .to_snake_case();
    let snake = if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{snake}")
    } else {
        snake
    };
    if syn::parse_str::<syn::Ident>(&snake).is_ok() {
        snake
    } else if matches!(snake.as_str(), "self" | "super" | "crate" | "Self") {
        format!("{snake}_")
    } else {
        format!("r#{snake}")
    }
}
