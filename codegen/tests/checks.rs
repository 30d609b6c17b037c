//! Which request values get checked before sending: only those that can break a limit, however deep.

mod common;

use common::{platform_text, run_openapi, valid_openapi};
use serde_json::json;

/// The generated `impl rt::Validate for name`, if there is one.
fn validate_impl<'a>(code: &'a str, name: &str) -> Option<&'a str> {
    let start = code.find(&format!("impl rt::Validate for {name} {{"))?;
    let rest = &code[start..];
    let end = rest[1..].find("\nimpl ").map_or(rest.len(), |i| i + 1);
    Some(&rest[..end])
}

#[test]
fn only_values_that_can_break_a_limit_are_checked() {
    let mut doc = valid_openapi();
    doc["components"]["schemas"]
        .as_object_mut()
        .expect("schemas")
        .extend([
            ("Plain".into(), json!({"type": "object", "properties": {"a": {"type": "string"}}})),
            ("Kind".into(), json!({"type": "string", "enum": ["x", "y"]})),
            ("Inner".into(), json!({"type": "object", "properties": {"kind": {"$ref": "#/components/schemas/Kind"}}})),
            ("Holder".into(), json!({"type": "object", "properties": {"inner": {"$ref": "#/components/schemas/Inner"}}})),
            ("Limited".into(), json!({"type": "object", "properties": {"n": {"type": "integer", "maximum": 5}}})),
            ("Lists".into(), json!({"type": "object", "properties": {
                "limited": {"type": "array", "items": {"$ref": "#/components/schemas/Limited"}},
                "plain": {"type": "array", "items": {"$ref": "#/components/schemas/Plain"}}
            }})),
        ]);
    let body = &mut doc["paths"]["/things/update"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"]["properties"];
    for name in ["Plain", "Holder", "Lists"] {
        body[name.to_lowercase()] = json!({"$ref": format!("#/components/schemas/{name}")});
    }
    let generated = run_openapi("checks", &doc).expect("valid");
    let code = platform_text(&generated);

    for unchecked in ["Plain", "Error"] {
        assert!(validate_impl(code, unchecked).is_none(), "{unchecked}");
    }
    let inner = validate_impl(code, "Inner").expect("Inner holds an enum");
    assert!(
        inner.contains(r#"rt::validate_field(&self.kind, "kind")?;"#),
        "{inner}"
    );
    let holder = validate_impl(code, "Holder").expect("Holder holds Inner");
    assert!(
        holder.contains(r#"rt::validate_field(&self.inner, "inner")?;"#),
        "{holder}"
    );
    let limited = validate_impl(code, "Limited").expect("Limited has a limit");
    assert!(limited.contains(r#"rt::check_limits("#), "{limited}");
    let lists = validate_impl(code, "Lists").expect("Lists holds a list of Limited");
    assert!(
        lists.contains(r#"rt::validate_field(&self.limited, "limited")?;"#),
        "{lists}"
    );
    assert!(!lists.contains("&self.plain"), "{lists}");
    assert!(validate_impl(code, "Kind").is_some_and(|k| k.contains("rt::validate_enum(self)")));

    // The operation's request type is always validated, and calls only what can fail.
    let root = code
        .lines()
        .find_map(|l| {
            l.strip_prefix("impl rt::Validate for ")
                .filter(|n| n.contains("Request"))
        })
        .and_then(|n| validate_impl(code, n.trim_end_matches(" {")))
        .expect("the request type's impl");
    assert!(
        root.contains(r#"rt::check_items(&self.ids, "ids", Some(10u64), Some(1u64))?;"#),
        "{root}"
    );
    assert!(
        root.contains(r#"rt::validate_field(&self.holder, "holder")?;"#),
        "{root}"
    );
    assert!(
        root.contains(r#"rt::validate_field(&self.lists, "lists")?;"#),
        "{root}"
    );
    for unchecked in ["ids", "plain"] {
        assert!(
            !root.contains(&format!("validate_field(&self.{unchecked},")),
            "{root}"
        );
    }
}

/// A limit constant names only the limits the schema sets; a value with none takes `rt::Limits::NONE` whole.
#[test]
fn limits_name_only_what_the_schema_sets() {
    let mut doc = valid_openapi();
    let op = doc["paths"]["/things/update"].take();
    doc["paths"] = json!({ "/things/{owner}/{thing}/update": op });
    doc["paths"]["/things/{owner}/{thing}/update"]["post"]["parameters"] = json!([
        {"name": "owner", "in": "path", "required": true, "schema": {"type": "string"}},
        {"name": "thing", "in": "path", "required": true,
         "schema": {"type": "string", "pattern": "^\\d+$", "maxLength": 18}}
    ]);
    doc["paths"]["/things/{owner}/{thing}/update"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"]["properties"]["count"] = json!({"type": "integer", "minimum": 1, "maximum": 5});
    let generated = run_openapi("limits", &doc).expect("valid");
    let code = platform_text(&generated);
    let squeezed: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    for wanted in [
        r#"name: "owner", flag: "owner", docs: "", limits: rt::Limits::NONE, }"#,
        r#"limits: rt::Limits { max_length: Some(18u64), pattern: Some("^\\d+$"), ..rt::Limits::NONE },"#,
        r#"&rt::Limits { minimum: Some(1i64), maximum: Some(5i64), ..rt::Limits::NONE },"#,
    ] {
        assert!(squeezed.contains(wanted), "{wanted}\nin\n{code}");
    }
}
