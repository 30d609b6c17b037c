//! The hand-kept Pinterest schema against the wire facts in `shared/reference`, read from Pinterest's OpenAPI
//! description: each schema the reference tabulates has exactly the properties it lists, of the types it gives
//! (a digits-only pattern where it gives one, a documented range as the field's limits, and an `integer` with
//! no range as 64 bits, since nothing bounds it), null where it says null, and each enum the values it lists.

mod common;

use std::collections::BTreeMap;

use marketing_apis_codegen::ir::{Field, Kind, Prim, Service, TypeRef};

/// Schemas the reference describes that the update operation never sends or receives.
const NOT_IN_SCHEMA: [&str; 1] = ["AudienceType"];

/// A property as the reference gives it: its type cell, whether it may be null, and whether it must be there.
struct Property {
    ty: String,
    nullable: bool,
    required: bool,
}

/// Section A.3's tables, by the `**Name**` above each. A cell may name several properties of one type
/// (`lead_type, order_id | string`), and a row may hold two property/type pairs.
fn tables(text: &str) -> BTreeMap<String, BTreeMap<String, Property>> {
    let section = text
        .split("### A.3 Schemas")
        .nth(1)
        .and_then(|s| s.split("### A.4").next())
        .expect("section A.3");
    let mut tables = BTreeMap::new();
    let mut current = None;
    for line in section.lines() {
        if let Some(rest) = line.strip_prefix("**") {
            current = rest.split_once("**").map(|(name, _)| name.to_string());
            // `**Error** (…): \`{"type":"object","properties":{…},"required":[…]}\``: a schema given whole.
            if let (Some(name), Some(schema)) = (&current, inline_schema(line)) {
                tables.insert(name.clone(), schema);
            }
            continue;
        }
        let (Some(name), true) = (&current, line.starts_with('|')) else {
            continue;
        };
        let row = common::cells(line);
        if row.iter().all(|c| c.chars().all(|ch| ch == '-')) || row[0] == "field" {
            continue;
        }
        let nullable = row.len() == 3 && row[2] == "yes";
        let pairs = match row.as_slice() {
            [a, b, c, d] => vec![(a, b), (c, d)],
            [a, b] | [a, b, _] => vec![(a, b)],
            _ => panic!("a row of {name} with {} cells: {line}", row.len()),
        };
        for (names, ty) in pairs {
            for property in names.split(", ") {
                tables
                    .entry(name.clone())
                    .or_insert_with(BTreeMap::new)
                    .insert(
                        property.to_string(),
                        Property {
                            ty: ty.to_string(),
                            nullable,
                            required: false,
                        },
                    );
            }
        }
    }
    tables
}

/// The properties of an object schema given as JSON in a line's code span.
fn inline_schema(line: &str) -> Option<BTreeMap<String, Property>> {
    let json = line.split('`').find(|span| span.starts_with('{'))?;
    let schema: serde_json::Value = serde_json::from_str(json).expect("the inline schema is JSON");
    let required = schema["required"].as_array().cloned().unwrap_or_default();
    let properties = schema["properties"].as_object()?;
    Some(
        properties
            .iter()
            .map(|(name, p)| {
                let property = Property {
                    ty: p["type"].as_str().expect("a property type").to_string(),
                    nullable: false,
                    required: required.iter().any(|r| r == name),
                };
                (name.clone(), property)
            })
            .collect(),
    )
}

/// The values of each enum the reference spells out: `**Currency** is a string enum: \`UNK, USD, …\``, and
/// in a property's notes, `\`AudienceUpdateOperationType\` | enum \`["UPDATE","REMOVE"]\``.
fn enums(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut enums = BTreeMap::new();
    for line in text.lines() {
        if let Some((name, rest)) = line.strip_prefix("**").and_then(|l| l.split_once("**"))
            && let Some((_, values)) = rest.split_once("enum").and_then(|(_, r)| r.split_once('`'))
        {
            let values = values.split('`').next().unwrap_or_default();
            enums.insert(
                name.to_string(),
                values.split(", ").map(String::from).collect(),
            );
        }
        if let [_, ty, notes] = common::cells(line).as_slice()
            && let Some(list) = notes
                .strip_prefix("enum `")
                .and_then(|n| n.split('`').next())
        {
            let values: Vec<String> =
                serde_json::from_str(list).expect("an enum's values are a JSON list");
            enums.insert(ty.trim_matches('`').to_string(), values);
        }
    }
    enums
}

/// What a type cell says the field must be, and what is wrong with `field` against it. `sent`: whether the
/// field's type goes in a request, where a documented pattern must be checked.
fn check(
    service: &Service,
    at: &str,
    field: &Field,
    cell: &str,
    sent: bool,
    out: &mut Vec<String>,
) {
    let (item_cell, array) = match cell.strip_prefix("array of ") {
        Some(rest) => (rest, true),
        None => (cell, false),
    };
    let ty = match &field.ty {
        TypeRef::Array(item) if array => item.as_ref(),
        other if !array => other,
        other => {
            out.push(format!(
                "{at}: an array in the reference, {other:?} in the schema"
            ));
            return;
        }
    };
    let word = item_cell
        .split(['`', ' ', ',', '('])
        .find(|w| !w.is_empty() && *w != "allOf")
        .unwrap_or_default();
    let range = item_cell
        .split_once('(')
        .and_then(|(_, r)| r.split([',', ')']).next())
        .and_then(|r| r.split_once('-'))
        .and_then(|(lo, hi)| {
            Some((
                lo.trim().parse::<i64>().ok()?,
                hi.trim().parse::<i64>().ok()?,
            ))
        });
    let fits = match word {
        "string" => *ty == TypeRef::Prim(Prim::String),
        "boolean" => *ty == TypeRef::Prim(Prim::Bool),
        "object" => *ty == TypeRef::JsonObject,
        // With no range, nothing keeps the value within 32 bits.
        "integer" => match range {
            Some((lo, hi)) => {
                if (field.limits.minimum, field.limits.maximum) != (Some(lo), Some(hi)) {
                    out.push(format!(
                        "{at}: range {lo}-{hi} in the reference, limits {:?} to {:?} in the schema",
                        field.limits.minimum, field.limits.maximum
                    ));
                }
                matches!(ty, TypeRef::Prim(Prim::I32 | Prim::I64))
            }
            None => *ty == TypeRef::Prim(Prim::I64),
        },
        named => *ty == TypeRef::Named(named.to_string()) && service.types.contains_key(named),
    };
    if !fits {
        out.push(format!(
            "{at}: {cell} in the reference, {:?} in the schema",
            field.ty
        ));
    }
    let digits = item_cell.contains(r"`^\d+$`");
    if sent && digits != (field.limits.pattern.as_deref() == Some(r"^\d+$")) {
        out.push(format!(
            "{at}: pattern {:?} in the schema, the reference {}",
            field.limits.pattern,
            if digits { r"gives ^\d+$" } else { "gives none" }
        ));
    }
}

#[test]
fn the_schema_declares_every_type_as_the_reference_gives_it() {
    let text = common::shared_page("reference", "pinterest-v5-audiences-update.md");
    let service = common::project_service("pinterest");
    let tables = tables(&text);
    let enums = enums(&text);
    // Only in what a request holds is a pattern a limit, checked before sending.
    let sent = service.request_types();
    assert!(
        tables.len() >= 6 && enums.len() >= 4,
        "the reference's tables were read"
    );

    let mut differences = Vec::new();
    for (name, properties) in &tables {
        let Some(Kind::Struct(strukt)) = service.types.get(name).map(|d| &d.kind) else {
            differences.push(format!(
                "{name}: a schema in the reference, not a struct in the schema"
            ));
            continue;
        };
        let declared: Vec<&str> = strukt.fields.iter().map(|f| f.wire.as_str()).collect();
        for property in properties.keys() {
            if !declared.contains(&property.as_str()) {
                differences.push(format!(
                    "{name}.{property}: in the reference, not in the schema"
                ));
            }
        }
        for field in &strukt.fields {
            let at = format!("{name}.{}", field.wire);
            let Some(wanted) = properties.get(&field.wire) else {
                differences.push(format!("{at}: in the schema, not in the reference"));
                continue;
            };
            let in_request = sent.contains(name.as_str());
            check(
                &service,
                &at,
                field,
                &wanted.ty,
                in_request,
                &mut differences,
            );
            if field.nillable != wanted.nullable {
                differences.push(format!(
                    "{at}: nillable = {} in the schema, nullable = {} in the reference",
                    field.nillable, wanted.nullable
                ));
            }
            if field.required != wanted.required {
                differences.push(format!(
                    "{at}: required = {} in the schema, {} in the reference",
                    field.required, wanted.required
                ));
            }
        }
    }
    for (name, values) in &enums {
        match service.types.get(name).map(|d| &d.kind) {
            Some(Kind::Enum(e)) => {
                let found: Vec<&str> = e.values.iter().map(|v| v.wire.as_str()).collect();
                if found != *values {
                    differences.push(format!(
                        "{name}: values {found:?} in the schema, {values:?} in the reference"
                    ));
                }
            }
            None if NOT_IN_SCHEMA.contains(&name.as_str()) => {}
            other => differences.push(format!(
                "{name}: an enum in the reference, {other:?} in the schema"
            )),
        }
    }
    common::assert_agree(&differences);
}
