//! OpenAPI 3.1 → what `openapiv3` (3.0) reads, before it reads it.
//!
//! `openapiv3` ignores keywords it does not know, so every schema object is checked here against the keywords
//! the generator understands: anything else is a located diagnostic, never silently dropped.

use serde_json::{Map, Value};

use crate::diag::{Sink, pointer_segment};

/// Keywords whose meaning the generator keeps or that are documentation only.
const KNOWN: &[&str] = &[
    "type",
    "format",
    "description",
    "title",
    "properties",
    "required",
    "items",
    "enum",
    "nullable",
    "default",
    "example",
    "maxItems",
    "minItems",
    "maxLength",
    "minLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "additionalProperties",
    "allOf",
    "readOnly",
    "writeOnly",
    "deprecated",
    "$ref",
    "maxProperties",
    "minProperties",
    "uniqueItems",
    "externalDocs",
    "examples",
    "const",
];

const COUNTS: &[&str] = &[
    "maxItems",
    "minItems",
    "maxLength",
    "minLength",
    "maxProperties",
    "minProperties",
];
const TEXTS: &[&str] = &["description", "title", "format", "pattern", "$ref"];

/// Rewrites 3.1 constructs in place and reports what cannot be read.
pub fn normalize(doc: &mut Value, sink: &mut Sink) {
    let Some(root) = doc.as_object_mut() else {
        sink.error(
            "#",
            "expected a JSON object at the top of an OpenAPI document",
        );
        return;
    };
    if let Some(Value::Object(schemas)) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
    {
        for (name, schema) in schemas.iter_mut() {
            walk_schema(
                schema,
                &format!("#/components/schemas/{}", pointer_segment(name)),
                sink,
            );
        }
    }
    walk_schema_positions(doc, "#", sink);
}

/// Finds every `schema` key outside `components/schemas` (parameters, bodies, responses).
fn walk_schema_positions(value: &mut Value, at: &str, sink: &mut Sink) {
    let Value::Object(map) = value else {
        if let Value::Array(items) = value {
            for (i, item) in items.iter_mut().enumerate() {
                walk_schema_positions(item, &format!("{at}/{i}"), sink);
            }
        }
        return;
    };
    for (key, child) in map.iter_mut() {
        let here = format!("{at}/{}", pointer_segment(key));
        if here == "#/components/schemas" {
            continue;
        }
        if key == "schema" {
            walk_schema(child, &here, sink);
        } else {
            walk_schema_positions(child, &here, sink);
        }
    }
}

fn walk_schema(schema: &mut Value, at: &str, sink: &mut Sink) {
    let Value::Object(map) = schema else {
        sink.error(
            at,
            format!("expected a schema object, found {}", kind_of(schema)),
        );
        return;
    };
    check_keywords(map, at, sink);
    rewrite_type_array(map, at, sink);
    // A problem with the values is placed at the keyword the document wrote.
    let values_keyword = if let Some(value) = map.remove("const") {
        map.insert("enum".into(), Value::Array(vec![value]));
        "const"
    } else {
        "enum"
    };
    if let Some(Value::Array(examples)) = map.remove("examples")
        && !map.contains_key("example")
        && let Some(first) = examples.into_iter().next()
    {
        map.insert("example".into(), first);
    }
    for bound in ["exclusiveMinimum", "exclusiveMaximum"] {
        if let Some(n @ Value::Number(_)) = map.get(bound).cloned() {
            map.insert(bound.replace("exclusiveM", "m"), n);
            map.insert(bound.into(), Value::Bool(true));
        }
    }
    if let Some(reference) = map.get("$ref") {
        let others: Vec<&String> = map
            .keys()
            .filter(|k| !matches!(k.as_str(), "$ref" | "description" | "summary"))
            .collect();
        if !others.is_empty() {
            sink.error(at, format!("`$ref` with sibling keywords {others:?} is not supported; move them into the referenced schema"));
        }
        if !reference.as_str().is_some_and(|r| r.starts_with("#/")) {
            sink.error(
                format!("{at}/$ref"),
                "expected a local reference starting with `#/`",
            );
        }
        // openapiv3 reads a `$ref` object as a bare reference; the description beside it is kept by the lowering.
        return;
    }
    infer_type(map);
    check_enum_type(map, &format!("{at}/{values_keyword}"), sink);
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (name, prop) in props.iter_mut() {
            walk_schema(
                prop,
                &format!("{at}/properties/{}", pointer_segment(name)),
                sink,
            );
        }
    }
    if let Some(items) = map.get_mut("items") {
        walk_schema(items, &format!("{at}/items"), sink);
    }
    if let Some(extra @ Value::Object(_)) = map.get_mut("additionalProperties") {
        walk_schema(extra, &format!("{at}/additionalProperties"), sink);
    }
    if let Some(Value::Array(parts)) = map.get_mut("allOf") {
        for (i, part) in parts.iter_mut().enumerate() {
            walk_schema(part, &format!("{at}/allOf/{i}"), sink);
        }
    }
}

fn check_keywords(map: &Map<String, Value>, at: &str, sink: &mut Sink) {
    for (key, value) in map {
        let here = format!("{at}/{}", pointer_segment(key));
        if key.starts_with("x-") {
            continue;
        }
        if !KNOWN.contains(&key.as_str()) {
            sink.error(
                here,
                format!("unsupported schema keyword `{key}` (the generator would have to drop it)"),
            );
        } else if COUNTS.contains(&key.as_str()) && value.as_u64().is_none() {
            sink.error(
                here,
                format!(
                    "expected a non-negative integer for `{key}`, found {}",
                    kind_of(value)
                ),
            );
        } else if TEXTS.contains(&key.as_str()) && !value.is_string() {
            sink.error(
                here,
                format!("expected a string for `{key}`, found {}", kind_of(value)),
            );
        } else if key == "required"
            && !value
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string))
        {
            sink.error(here, "expected an array of property names for `required`");
        } else if key == "properties" && !value.is_object() {
            sink.error(
                here,
                format!(
                    "expected an object for `properties`, found {}",
                    kind_of(value)
                ),
            );
        } else if key == "enum" && !value.is_array() {
            sink.error(
                here,
                format!("expected an array for `enum`, found {}", kind_of(value)),
            );
        } else if key == "examples" && !value.is_array() {
            sink.error(
                here,
                format!("expected an array for `examples`, found {}", kind_of(value)),
            );
        }
    }
}

/// A schema that leaves `type` out but has `properties` or `additionalProperties` is an object, one that has
/// `items` is an array, and one whose `enum` holds strings is a string: OpenAPI documents often mean them so, and
/// `openapiv3` would read each as untyped.
fn infer_type(map: &mut Map<String, Value>) {
    if map.contains_key("type") {
        return;
    }
    let object = map.contains_key("properties") || map.contains_key("additionalProperties");
    let array = map.contains_key("items");
    let values = map.get("enum").and_then(Value::as_array);
    let strings = values.is_some_and(|values| {
        values.iter().any(Value::is_string) && values.iter().all(|v| v.is_string() || v.is_null())
    });
    // Untyped, a `null` among the values is one the schema takes.
    let nullable = values.is_some_and(|values| values.contains(&Value::Null));
    let inferred = match (object, array, strings) {
        (true, false, false) => "object",
        (false, true, false) => "array",
        (false, false, true) => "string",
        _ => return,
    };
    map.insert("type".into(), Value::String(inferred.into()));
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
}

/// Only string enums become Rust enums; `openapiv3` would read another's values and the generator drop them.
/// `at` is the `enum` (or `const`) keyword's place.
fn check_enum_type(map: &Map<String, Value>, at: &str, sink: &mut Sink) {
    if !map.contains_key("enum") {
        return;
    }
    let found = match map.get("type") {
        None => "untyped".to_string(),
        Some(Value::String(t)) if t != "string" => format!("of type `{t}`"),
        _ => return,
    };
    sink.error(
        at,
        format!("`enum` and `const` are generated for string schemas only; this schema is {found}"),
    );
}

/// `type: ["string", "null"]` → `type: "string", nullable: true`.
fn rewrite_type_array(map: &mut Map<String, Value>, at: &str, sink: &mut Sink) {
    let here = format!("{at}/type");
    match map.get("type") {
        Some(Value::Array(types)) => {
            let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
            let non_null: Vec<&str> = names.iter().copied().filter(|t| *t != "null").collect();
            if names.len() != types.len() || non_null.len() != 1 {
                sink.error(
                    here,
                    format!(
                        "expected one type, optionally with \"null\", found {}",
                        Value::Array(types.clone())
                    ),
                );
                return;
            }
            let nullable = names.len() > non_null.len();
            map.insert("type".into(), Value::String(non_null[0].to_string()));
            if nullable {
                map.insert("nullable".into(), Value::Bool(true));
            }
        }
        Some(Value::String(t)) if t == "null" => {
            sink.error(here, "a schema of type \"null\" alone is not supported")
        }
        Some(Value::String(t))
            if !matches!(
                t.as_str(),
                "string" | "integer" | "number" | "boolean" | "object" | "array"
            ) =>
        {
            sink.error(here, format!("unknown type `{t}`"));
        }
        Some(Value::String(_)) | None => {}
        Some(other) => sink.error(
            here,
            format!(
                "expected a string or an array for `type`, found {}",
                kind_of(other)
            ),
        ),
    }
}

pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
