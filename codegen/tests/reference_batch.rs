//! The Batch schema, as loaded from Batch's published OpenAPI document and its overrides, against the wire facts
//! in `shared/reference`: the server and its version variable, the two credential headers and the error body
//! (section B.1's verbatim OpenAPI), and for each operation the schema holds, its method, path and success status
//! and every request property of its row in section B.2's table, with the type, presence, limits and values the
//! row gives, plus section B.3's limit on `attributes`.

mod common;

use marketing_apis_codegen::ir::{Field, Kind, Prim, Service, TypeRef};

/// A request property as B.2 writes it: `"name": <what> (<notes>)`, where `<what>` is a word (`string`,
/// `object`, `string enum`), the values of an enum (`"add"|"remove"`), an object, or an array of one.
#[derive(Debug)]
struct Property {
    name: String,
    what: What,
    notes: String,
}

#[derive(Debug)]
enum What {
    Word(String),
    Object(Vec<Property>),
    ArrayOf(Vec<Property>),
}

/// Reads B.2's request cell, `{"name": string (required, ...), "ids": [ {...} ] (required, maxItems 10000)}`.
struct Cell<'a> {
    rest: &'a str,
}

impl<'a> Cell<'a> {
    fn eat(&mut self, token: &str) -> bool {
        let trimmed = self.rest.trim_start();
        match trimmed.strip_prefix(token) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    fn expect(&mut self, token: &str) {
        assert!(self.eat(token), "expected `{token}` at `{}`", self.rest);
    }

    fn object(&mut self) -> Vec<Property> {
        self.expect("{");
        let mut properties = Vec::new();
        loop {
            self.expect("\"");
            let (name, rest) = self.rest.split_once('"').expect("a closing quote");
            self.rest = rest;
            self.expect(":");
            let what = if self.rest.trim_start().starts_with('{') {
                What::Object(self.object())
            } else if self.eat("[") {
                let items = self.object();
                self.expect("]");
                What::ArrayOf(items)
            } else {
                let end = self.rest.find(['(', ',', '}']).expect("a word's end");
                let word = self.rest[..end].trim().to_string();
                self.rest = &self.rest[end..];
                What::Word(word)
            };
            let notes = if self.eat("(") {
                let (notes, rest) = self.rest.split_once(')').expect("a closing parenthesis");
                self.rest = rest;
                notes.to_string()
            } else {
                String::new()
            };
            properties.push(Property {
                name: name.to_string(),
                what,
                notes,
            });
            if self.eat("}") {
                return properties;
            }
            self.expect(",");
        }
    }
}

/// The number after `label` in `notes`, as in `maxItems 10000`.
fn number_after(notes: &str, label: &str) -> Option<u64> {
    let after = notes.split_once(label)?.1.trim_start();
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// What is wrong with struct `name`'s fields against `properties`.
fn check_struct(service: &Service, name: &str, properties: &[Property], out: &mut Vec<String>) {
    let Some(Kind::Struct(strukt)) = service.types.get(name).map(|d| &d.kind) else {
        out.push(format!(
            "{name}: an object in the reference, not a struct in the schema"
        ));
        return;
    };
    for field in &strukt.fields {
        if !properties.iter().any(|p| p.name == field.wire) {
            out.push(format!(
                "{name}.{}: in the schema, not in the reference",
                field.wire
            ));
        }
    }
    for property in properties {
        let at = format!("{name}.{}", property.name);
        match strukt.fields.iter().find(|f| f.wire == property.name) {
            Some(field) => check_field(service, &at, field, property, strukt, out),
            None => out.push(format!("{at}: in the reference, not in the schema")),
        }
    }
}

fn check_field(
    service: &Service,
    at: &str,
    field: &Field,
    property: &Property,
    strukt: &marketing_apis_codegen::ir::Struct,
    out: &mut Vec<String>,
) {
    let required = property.notes.starts_with("required");
    if field.required != required {
        out.push(format!(
            "{at}: required = {} in the schema, the reference says `{}`",
            field.required, property.notes
        ));
    }
    let limits = [
        ("maxItems", field.limits.max_items),
        ("maxLength", field.limits.max_length),
    ];
    for (label, declared) in limits {
        if declared != number_after(&property.notes, label) {
            out.push(format!(
                "{at}: {label} {declared:?} in the schema, the reference says `{}`",
                property.notes
            ));
        }
    }
    // "only accepted for add": the property is refused unless `action` is `add`.
    if let Some(value) = property
        .notes
        .split_once("only accepted for ")
        .map(|(_, v)| v.trim())
    {
        let rule = strukt.rules.iter().find(|r| r.field == field.wire);
        if !rule.is_some_and(|r| r.only_when_field == "action" && r.equals == value) {
            out.push(format!(
                "{at}: only for `{value}` in the reference, rule {rule:?} in the schema"
            ));
        }
    }
    match (&property.what, &field.ty) {
        (What::ArrayOf(items), TypeRef::Array(item)) => match item.as_ref() {
            TypeRef::Named(name) => check_struct(service, name, items, out),
            other => out.push(format!(
                "{at}: an array of objects in the reference, of {other:?} in the schema"
            )),
        },
        (What::Object(properties), TypeRef::Named(name)) => {
            check_struct(service, name, properties, out)
        }
        (What::Word(word), ty) if word.contains('"') => {
            let listed: Vec<&str> = word
                .split('|')
                .map(|v| v.trim().trim_matches('"'))
                .collect();
            let values = match ty {
                TypeRef::Named(name) => match service.types.get(name).map(|d| &d.kind) {
                    Some(Kind::Enum(e)) => e.values.iter().map(|v| v.wire.as_str()).collect(),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            if values != listed {
                out.push(format!(
                    "{at}: values {listed:?} in the reference, {ty:?} with {values:?} in the schema"
                ));
            }
        }
        (What::Word(word), ty) => {
            let fits = match word.as_str() {
                "string" => *ty == TypeRef::Prim(Prim::String),
                "object" => *ty == TypeRef::JsonObject,
                "string enum" => ty
                    .named()
                    .and_then(|n| service.types.get(n))
                    .is_some_and(|d| matches!(d.kind, Kind::Enum(_))),
                _ => false,
            };
            if !fits {
                out.push(format!(
                    "{at}: {word} in the reference, {ty:?} in the schema"
                ));
            }
        }
        (what, ty) => out.push(format!(
            "{at}: {what:?} in the reference, {ty:?} in the schema"
        )),
    }
}

#[test]
fn the_schema_carries_every_wire_fact_the_reference_gives() {
    let text = common::shared_page("reference", "batch-audiences.md");
    let service = common::project_service("batch");
    let mut differences = Vec::new();

    // B.1: the OpenAPI fragment common to every endpoint, verbatim.
    let common_json = text
        .split("```json")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("B.1's JSON");
    let b1: serde_json::Value = serde_json::from_str(common_json).expect("B.1 is JSON");
    let server = &b1["servers"][0];
    let production = &service.servers.production;
    if production.url != server["url"] {
        differences.push(format!(
            "server {:?} in the schema, {} in the reference",
            production.url, server["url"]
        ));
    }
    let variables: Vec<(&str, &str)> = production
        .variables
        .iter()
        .map(|v| (v.name.as_str(), v.default.as_str()))
        .collect();
    let documented = vec![(
        "version",
        server["variables"]["version"]["default"]
            .as_str()
            .expect("a default"),
    )];
    if variables != documented {
        differences.push(format!(
            "server variables {variables:?} in the schema, {documented:?} in the reference"
        ));
    }
    // Bearer scheme and the project key's header parameter, each bound to a credential.
    let header = |name: &str| {
        service
            .rest
            .as_ref()
            .and_then(|r| r.headers.iter().find(|h| h.name == name))
            .map(|h| h.format.clone())
    };
    assert_eq!(
        b1["components"]["securitySchemes"]["rest_key"]["scheme"],
        "bearer"
    );
    let project = &b1["components"]["parameters"]["HeaderProjectKey"];
    assert_eq!(
        (&project["in"], &project["required"]),
        (&"header".into(), &true.into())
    );
    let project_header = project["name"].as_str().expect("a header name");
    for (name, wanted) in [
        ("Authorization", "Bearer {rest_key}"),
        (project_header, "{project_key}"),
    ] {
        if header(name).as_deref() != Some(wanted) {
            differences.push(format!(
                "header {name}: {:?} in the schema, `{wanted}` from the reference",
                header(name)
            ));
        }
    }
    // The error body: both properties required strings ("`error_code` is a string").
    let error = &b1["components"]["schemas"]["Error"];
    match service.types.get(&service.error_type).map(|d| &d.kind) {
        Some(Kind::Struct(s)) => {
            let found: Vec<(&str, bool, &TypeRef)> = s
                .fields
                .iter()
                .map(|f| (f.wire.as_str(), f.required, &f.ty))
                .collect();
            let string = TypeRef::Prim(Prim::String);
            let wanted: Vec<(&str, bool, &TypeRef)> = error["required"]
                .as_array()
                .expect("required")
                .iter()
                .map(|n| (n.as_str().expect("a name"), true, &string))
                .collect();
            if found != wanted {
                differences.push(format!(
                    "error body {found:?} in the schema, {wanted:?} in the reference"
                ));
            }
        }
        other => differences.push(format!("error type {other:?}")),
    }
    let statuses: Vec<u16> = b1["components"]["responses"]
        .as_object()
        .expect("responses")
        .keys()
        .map(|s| s.parse().expect("a status"))
        .collect();

    // B.2: one row per endpoint; B.3's count of `attributes` elements.
    let attributes_max = number_after(&text, "At most **").expect("B.3's count");
    let mut rows = 0;
    for line in text.lines().filter(|l| l.starts_with('|')) {
        let row = common::cells(line);
        let [_, call, request, success] = row.as_slice() else {
            continue;
        };
        let Some((method, path)) = call.trim_matches('`').split_once(' ') else {
            continue;
        };
        let Some(op) = service
            .operations
            .iter()
            .find(|o| o.rest.as_ref().is_some_and(|r| r.path == path))
        else {
            continue;
        };
        rows += 1;
        let rest = op.rest.as_ref().expect("a REST binding");
        let documented_success = number_after(success, "**").expect("a success status");
        if (rest.method.as_str(), u64::from(op.success_status)) != (method, documented_success) {
            differences.push(format!(
                "{}: {} {} giving {} in the schema, {call} giving {documented_success} in the reference",
                op.id, rest.method, rest.path, op.success_status
            ));
        }
        for status in &statuses {
            if !op.error_statuses.contains(status) {
                differences.push(format!(
                    "{}: documented error status {status} not decoded as the error body",
                    op.id
                ));
            }
        }
        let mut cell = Cell {
            rest: request.trim_matches('`'),
        };
        check_struct(&service, &op.request, &cell.object(), &mut differences);
        assert!(
            cell.rest.trim().is_empty(),
            "the request cell was read whole: `{}`",
            cell.rest
        );
        if let Some(Kind::Struct(s)) = service.types.get(&op.request).map(|d| &d.kind)
            && let Some(TypeRef::Array(item)) =
                s.fields.iter().find(|f| f.wire == "ids").map(|f| &f.ty)
            && let Some(Kind::Struct(item)) = item
                .named()
                .and_then(|n| service.types.get(n))
                .map(|d| &d.kind)
            && let Some(attributes) = item.fields.iter().find(|f| f.wire == "attributes")
            && attributes.limits.max_properties != Some(attributes_max)
        {
            differences.push(format!(
                "{}: attributes hold at most {:?} in the schema, {attributes_max} in the reference",
                op.id, attributes.limits.max_properties
            ));
        }
    }
    assert_eq!(
        rows,
        service.operations.len(),
        "every operation of the schema has its row"
    );
    common::assert_agree(&differences);
}
