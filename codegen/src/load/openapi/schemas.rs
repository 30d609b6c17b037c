//! OpenAPI schemas lowered to IR types, named and defined once each, with their limits.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowering;
use crate::diag::pointer_segment;
use crate::ir::*;
use crate::load::names::{rust_field_name, rust_type_name, rust_variant_name};

impl<'a> Lowering<'a> {
    /// Resolves or creates the named type for a schema used as a whole body.
    pub(super) fn named_type(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        at: &str,
    ) -> Option<String> {
        match self.type_ref(schema, hint, at)? {
            TypeRef::Named(name) => Some(name),
            _ => {
                self.sink.error(
                    at,
                    "expected an object schema for a request or response body",
                );
                None
            }
        }
    }

    pub(super) fn type_ref(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        at: &str,
    ) -> Option<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => {
                let Some(name) = reference.strip_prefix("#/components/schemas/") else {
                    self.sink.error(
                        format!("{at}/$ref"),
                        format!("`{reference}` does not point into #/components/schemas"),
                    );
                    return None;
                };
                let target = self
                    .doc
                    .components
                    .as_ref()
                    .and_then(|c| c.schemas.get(name));
                let Some(target) = target else {
                    self.sink.error(
                        format!("{at}/$ref"),
                        format!("dangling reference: `{reference}` names no schema"),
                    );
                    return None;
                };
                let pointer = format!("#/components/schemas/{}", pointer_segment(name));
                if let Some(start) = self.lowering.iter().position(|p| *p == pointer) {
                    let cycle = self.lowering[start..].join(" → ");
                    self.sink.error(
                        format!("{at}/$ref"),
                        format!("`{reference}` holds itself ({cycle} → {pointer}); recursive schemas are not supported"),
                    );
                    return None;
                }
                self.lowering.push(pointer.clone());
                let lowered = self.type_ref(target, &rust_type_name(name), &pointer);
                self.lowering.pop();
                lowered
            }
            ReferenceOr::Item(schema) => self.inline(schema, hint, at),
        }
    }

    fn inline(&mut self, schema: &Schema, hint: &str, at: &str) -> Option<TypeRef> {
        let docs = schema.schema_data.description.clone().unwrap_or_default();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let values = s
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| EnumValue {
                        wire: v.clone(),
                        rust: rust_variant_name(v),
                        docs: String::new(),
                    })
                    .collect();
                self.define(
                    hint,
                    at,
                    docs,
                    Kind::Enum(Enum {
                        values,
                        flags: false,
                    }),
                )
            }
            SchemaKind::Type(Type::String(_)) => Some(TypeRef::Prim(Prim::String)),
            SchemaKind::Type(Type::Boolean(_)) => Some(TypeRef::Prim(Prim::Bool)),
            SchemaKind::Type(Type::Integer(i)) => Some(TypeRef::Prim(match &i.format {
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                    Prim::I32
                }
                _ => Prim::I64,
            })),
            SchemaKind::Type(Type::Number(_)) => Some(TypeRef::Prim(Prim::F64)),
            SchemaKind::Type(Type::Array(a)) => {
                let Some(items) = &a.items else {
                    self.sink.error(at, "expected `items` in an array schema");
                    return None;
                };
                let item = match items {
                    ReferenceOr::Item(b) => {
                        self.inline(b, &format!("{hint}Item"), &format!("{at}/items"))?
                    }
                    ReferenceOr::Reference { reference } => self.type_ref(
                        &ReferenceOr::Reference {
                            reference: reference.clone(),
                        },
                        &format!("{hint}Item"),
                        &format!("{at}/items"),
                    )?,
                };
                Some(TypeRef::Array(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                match &o.additional_properties {
                    None | Some(AdditionalProperties::Any(true)) => Some(TypeRef::JsonObject),
                    Some(_) => {
                        self.sink.error(at, "typed or forbidden additionalProperties on an object without properties is not supported");
                        None
                    }
                }
            }
            SchemaKind::Type(Type::Object(o)) => {
                if o.additional_properties.is_some() {
                    self.sink.error(
                        format!("{at}/additionalProperties"),
                        "additionalProperties beside properties is not supported",
                    );
                }
                let name = self.name_for(hint, at);
                let mut fields = Vec::new();
                for (prop, prop_schema) in &o.properties {
                    let here = format!("{at}/properties/{}", pointer_segment(prop));
                    let prop_hint = format!("{name}{}", rust_type_name(prop));
                    let unboxed = match prop_schema {
                        ReferenceOr::Item(b) => ReferenceOr::Item((**b).clone()),
                        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                            reference: reference.clone(),
                        },
                    };
                    let Some(ty) = self.type_ref(&unboxed, &prop_hint, &here) else {
                        continue;
                    };
                    let (docs, limits, nillable) = match prop_schema {
                        ReferenceOr::Item(s) => (
                            s.schema_data.description.clone().unwrap_or_default(),
                            schema_limits(s),
                            s.schema_data.nullable,
                        ),
                        ReferenceOr::Reference { .. } => (String::new(), Limits::default(), false),
                    };
                    self.fields_at.insert(here, (name.clone(), fields.len()));
                    fields.push(Field {
                        wire: prop.clone(),
                        json_aliases: Vec::new(),
                        json: None,
                        rust: rust_field_name(prop),
                        ty,
                        required: o.required.contains(prop),
                        nillable,
                        docs,
                        limits,
                        xml_ns: None,
                    });
                }
                for missing in o.required.iter().filter(|r| !o.properties.contains_key(*r)) {
                    self.sink.error(
                        format!("{at}/required"),
                        format!("`{missing}` is required but has no property schema"),
                    );
                }
                let kind = Kind::Struct(Struct {
                    fields,
                    ..Struct::default()
                });
                self.define(&name, at, docs, kind)
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_ref(&all_of[0], hint, &format!("{at}/allOf/0"))
            }
            SchemaKind::Any(any)
                if any.typ.is_none() && any.properties.is_empty() && any.items.is_none() =>
            {
                Some(TypeRef::Prim(Prim::Json))
            }
            _ => {
                self.sink.error(at, "unsupported schema construct: expected a string, number, integer, boolean, array or object schema (oneOf, anyOf, not and multi-part allOf are not generated)");
                None
            }
        }
    }

    /// The override name for the schema at `at`, else the hint.
    fn name_for(&self, hint: &str, at: &str) -> String {
        self.overrides
            .names
            .get(at)
            .cloned()
            .unwrap_or_else(|| rust_type_name(hint))
    }

    fn define(&mut self, hint: &str, at: &str, docs: String, kind: Kind) -> Option<TypeRef> {
        let name = self.name_for(hint, at);
        if let Some(origin) = self.origins.get(&name) {
            if origin != at {
                self.sink.error(at, format!("two schemas would both be named `{name}` (the other at {origin}); name one in overrides.toml [names]"));
                return None;
            }
            return Some(TypeRef::Named(name));
        }
        self.origins.insert(name.clone(), at.to_string());
        let loc = Loc {
            file: self.sink.file().to_string(),
            place: at.to_string(),
        };
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                docs,
                loc,
                xml_ns: None,
                kind,
            },
        );
        Some(TypeRef::Named(name))
    }

    /// Limits and rules from the page's prose, which the OpenAPI document does not carry.
    pub(super) fn apply_limit_overrides(&mut self) {
        for limit in &self.overrides.limits {
            let Some((ty, index)) = self.fields_at.get(&limit.at).cloned() else {
                self.sink.error(
                    format!("overrides.toml limits ({})", limit.at),
                    "this pointer names no property of a generated type",
                );
                continue;
            };
            let Some(TypeDef {
                kind: Kind::Struct(strukt),
                ..
            }) = self.types.get_mut(&ty)
            else {
                continue;
            };
            let field = &mut strukt.fields[index];
            merge_limits(&mut field.limits, &limit.limits);
            if let Some(rule) = &limit.only_when {
                let wire = field.wire.clone();
                strukt.rules.push(FieldRule {
                    field: wire,
                    only_when_field: rule.field.clone(),
                    equals: rule.equals.clone(),
                });
            }
        }
    }
}

fn merge_limits(into: &mut Limits, from: &Limits) {
    let Limits {
        max_items,
        min_items,
        max_length,
        pattern,
        minimum,
        maximum,
        max_properties,
    } = from.clone();
    into.max_items = max_items.or(into.max_items);
    into.min_items = min_items.or(into.min_items);
    into.max_length = max_length.or(into.max_length);
    into.pattern = pattern.or(into.pattern.take());
    into.minimum = minimum.or(into.minimum);
    into.maximum = maximum.or(into.maximum);
    into.max_properties = max_properties.or(into.max_properties);
}

pub(super) fn schema_limits(schema: &Schema) -> Limits {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => Limits {
            max_length: s.max_length.map(|n| n as u64),
            pattern: s.pattern.clone(),
            ..Limits::default()
        },
        SchemaKind::Type(Type::Array(a)) => Limits {
            max_items: a.max_items.map(|n| n as u64),
            min_items: a.min_items.map(|n| n as u64),
            ..Limits::default()
        },
        SchemaKind::Type(Type::Integer(i)) => Limits {
            minimum: i.minimum,
            maximum: i.maximum,
            ..Limits::default()
        },
        SchemaKind::Type(Type::Object(o)) => Limits {
            max_properties: o.max_properties.map(|n| n as u64),
            ..Limits::default()
        },
        _ => Limits::default(),
    }
}
