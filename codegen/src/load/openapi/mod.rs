//! Loader for a published OpenAPI 3.1 document (read with `openapiv3` after normalization) into the IR.

use std::collections::BTreeMap;
use std::path::Path;

use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody,
    Schema, SchemaKind, SecurityScheme, StatusCode, Type,
};

use super::names::{rust_field_name, rust_type_name, rust_variant_name};
use super::openapi_normalize::normalize;
use super::overrides::{self, Overrides};
use crate::diag::{Diagnostic, Sink, pointer_segment};
use crate::ir::*;

pub fn load(
    platform: &str,
    path: &Path,
    overrides_path: Option<&Path>,
) -> Result<Service, Vec<Diagnostic>> {
    let mut sink = Sink::new(super::display(path));
    let overrides = overrides::read(overrides_path);
    let mut problems = overrides.problems.clone();
    let doc = super::read_text(path, &mut sink).and_then(|text| read_document(&text, &mut sink));
    let service =
        doc.and_then(|doc| Lowering::new(&doc, &overrides, &mut sink).service(platform, path));
    problems.append(&mut sink.found);
    match service {
        Some(service) if problems.is_empty() => Ok(service),
        _ => Err(problems),
    }
}

fn read_document(text: &str, sink: &mut Sink) -> Option<OpenAPI> {
    let mut value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            // serde_json ends its message with the position, which the place already gives.
            let message = e.to_string();
            let at = format!(" at line {} column {}", e.line(), e.column());
            sink.error(
                format!("line {}, column {}", e.line(), e.column()),
                format!(
                    "invalid JSON: {}",
                    message.strip_suffix(&at).unwrap_or(&message)
                ),
            );
            return None;
        }
    };
    let before = sink.found.len();
    normalize(&mut value, sink);
    if sink.found.len() > before {
        return None;
    }
    match serde_path_to_error::deserialize::<_, OpenAPI>(value) {
        Ok(doc) => Some(doc),
        Err(e) => {
            let pointer = path_to_pointer(e.path());
            sink.error(
                pointer,
                format!("not a valid OpenAPI document here: {}", e.inner()),
            );
            None
        }
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Map { key } => out.push_str(&format!("/{}", pointer_segment(key))),
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

struct Lowering<'a> {
    doc: &'a OpenAPI,
    overrides: &'a Overrides,
    sink: &'a mut Sink,
    types: BTreeMap<String, TypeDef>,
    /// Which pointer each named type came from, so two schemas never merge under one name.
    origins: BTreeMap<String, String>,
    /// Field locations by schema pointer, for limits from the overrides file.
    fields_at: BTreeMap<String, (String, usize)>,
    /// Operation ids seen so far, with where.
    operation_ids: BTreeMap<String, String>,
    /// Types of the documented error responses.
    error_types: BTreeMap<String, String>,
    /// The schemas being lowered, outermost first: a reference to one of them is a cycle.
    lowering: Vec<String>,
}

impl<'a> Lowering<'a> {
    fn new(doc: &'a OpenAPI, overrides: &'a Overrides, sink: &'a mut Sink) -> Self {
        Lowering {
            doc,
            overrides,
            sink,
            types: BTreeMap::new(),
            origins: BTreeMap::new(),
            fields_at: BTreeMap::new(),
            operation_ids: BTreeMap::new(),
            error_types: BTreeMap::new(),
            lowering: Vec::new(),
        }
    }

    fn service(mut self, platform: &str, path: &Path) -> Option<Service> {
        if !self.doc.openapi.starts_with("3.") {
            self.sink.error(
                "#/openapi",
                format!(
                    "expected an OpenAPI 3.x version, found `{}`",
                    self.doc.openapi
                ),
            );
        }
        let production = self.server()?;
        let headers = self.security_headers();
        let mut operations = Vec::new();
        let doc = self.doc;
        for (route, item) in &doc.paths.paths {
            let at = format!("#/paths/{}", pointer_segment(route));
            let ReferenceOr::Item(item) = item else {
                self.sink
                    .error(&at, "path item references are not supported");
                continue;
            };
            for (method, op) in item.iter() {
                if let Some(op) = self.operation(
                    route,
                    method,
                    op,
                    &item.parameters,
                    &format!("{at}/{method}"),
                ) {
                    operations.push(op);
                }
            }
        }
        self.apply_limit_overrides();
        for id in self.overrides.idempotent.keys() {
            if !operations.iter().any(|op| &op.id == id) {
                self.sink.error(
                    format!("overrides.toml operations.{id}"),
                    "no operation of the document has this operationId",
                );
            }
        }
        let error_type = self.error_type(&operations);
        let mut sources = vec![super::display(path)];
        sources.extend(self.overrides.source.clone());
        Some(Service {
            name: platform.to_string(),
            title: self.doc.info.title.clone(),
            docs: self.doc.info.description.clone().unwrap_or_default(),
            sources,
            servers: Servers {
                production,
                sandbox: self.overrides.sandbox.clone().map(|url| Server {
                    url,
                    variables: Vec::new(),
                    loc: Loc {
                        file: self.overrides.source.clone().unwrap_or_default(),
                        place: "sandbox".into(),
                    },
                }),
            },
            credentials: self.overrides.credentials.clone(),
            rest: Some(RestService {
                base_path: String::new(),
                headers,
                json: JsonRules::default(),
                // Its headers come from the security schemes (and header parameters the overrides bind).
                loc: Loc {
                    file: self.sink.file().to_string(),
                    place: "#/components/securitySchemes".into(),
                },
            }),
            soap: None,
            operations,
            types: self.types,
            error_type: error_type?,
            tracking_id: None,
            throttling: None,
            authentication: None,
        })
    }

    fn server(&mut self) -> Option<Server> {
        let Some(server) = self.doc.servers.first() else {
            self.sink.error(
                "#/servers",
                "expected at least one server: the base URL comes from it",
            );
            return None;
        };
        let variables = server
            .variables
            .iter()
            .flatten()
            .map(|(name, v)| ServerVariable {
                name: name.clone(),
                default: v.default.clone(),
                docs: v.description.clone().unwrap_or_default(),
            })
            .collect();
        Some(Server {
            url: server.url.clone(),
            variables,
            loc: Loc {
                file: self.sink.file().to_string(),
                place: "#/servers/0".into(),
            },
        })
    }

    /// Security schemes and credential-bound header parameters become client-level headers.
    fn security_headers(&mut self) -> Vec<HeaderBinding> {
        let mut headers = Vec::new();
        let schemes = self
            .doc
            .components
            .as_ref()
            .map(|c| c.security_schemes.clone())
            .unwrap_or_default();
        let used: Vec<String> = self
            .doc
            .security
            .iter()
            .flatten()
            .flat_map(|req| req.keys().cloned())
            .collect();
        for name in used {
            let at = format!("#/components/securitySchemes/{}", pointer_segment(&name));
            let Some(ReferenceOr::Item(scheme)) = schemes.get(&name) else {
                self.sink.error(
                    &at,
                    format!("security requirement `{name}` names no security scheme"),
                );
                continue;
            };
            let Some(credential) = self.overrides.bound_to_scheme(&name) else {
                self.sink.error(
                    &at,
                    format!("no credential in overrides.toml binds security scheme `{name}`"),
                );
                continue;
            };
            match scheme {
                SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    headers.push(HeaderBinding {
                        name: "Authorization".into(),
                        format: format!("Bearer {{{credential}}}"),
                        credential,
                    })
                }
                SecurityScheme::OAuth2 { .. } => headers.push(HeaderBinding {
                    name: "Authorization".into(),
                    format: format!("Bearer {{{credential}}}"),
                    credential,
                }),
                SecurityScheme::APIKey {
                    location: openapiv3::APIKeyLocation::Header,
                    name,
                    ..
                } => headers.push(HeaderBinding {
                    name: name.clone(),
                    format: format!("{{{credential}}}"),
                    credential,
                }),
                _ => self.sink.error(
                    &at,
                    "unsupported security scheme: expected http bearer, oauth2 or a header API key",
                ),
            }
        }
        for (header, credential) in &self.overrides.header_bindings {
            headers.push(HeaderBinding {
                name: header.clone(),
                format: format!("{{{credential}}}"),
                credential: credential.clone(),
            });
        }
        headers
    }

    fn operation(
        &mut self,
        route: &str,
        method: &str,
        op: &'a openapiv3::Operation,
        shared: &'a [ReferenceOr<Parameter>],
        at: &str,
    ) -> Option<Operation> {
        let Some(id) = op.operation_id.clone() else {
            self.sink.error(
                at,
                "expected an `operationId`: it names the client method and the CLI command",
            );
            return None;
        };
        if let Some(first) = self
            .operation_ids
            .insert(rust_field_name(&id), at.to_string())
        {
            self.sink.error(
                at,
                format!(
                    "operation `{id}` has the same method name `{}` as the operation at {first}",
                    rust_field_name(&id)
                ),
            );
            return None;
        }
        let rust = rust_field_name(&id);
        let type_base = rust_type_name(&id);
        let idempotent = self
            .overrides
            .idempotent
            .get(&id)
            .copied()
            .unwrap_or_else(|| method_is_idempotent(&method.to_ascii_uppercase()));
        let mut path_params = Vec::new();
        for (i, param) in shared.iter().chain(&op.parameters).enumerate() {
            let here = format!("{at}/parameters/{i}");
            let Some((param, here)) =
                self.resolve(param, &here, ("parameters", "parameter"), |c, name| {
                    c.parameters.get(name)
                })
            else {
                continue;
            };
            match param {
                Parameter::Path { parameter_data, .. } => {
                    let limits = match &parameter_data.format {
                        ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => schema_limits(s),
                        _ => Limits::default(),
                    };
                    path_params.push(Param {
                        rust: rust_field_name(&parameter_data.name),
                        name: parameter_data.name.clone(),
                        docs: parameter_data.description.clone().unwrap_or_default(),
                        limits,
                    });
                }
                Parameter::Header { parameter_data, .. }
                    if self
                        .overrides
                        .header_credential(&parameter_data.name)
                        .is_some() => {}
                Parameter::Header { parameter_data, .. } => self.sink.error(
                    here,
                    format!(
                        "header parameter `{}` is bound to no credential in overrides.toml",
                        parameter_data.name
                    ),
                ),
                _ => self.sink.error(
                    here,
                    "only path parameters and credential headers are supported",
                ),
            }
        }
        for placeholder in route
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}'))
            .map(|(p, _)| p)
        {
            if !path_params.iter().any(|p| p.name == placeholder) {
                self.sink.error(
                    at,
                    format!("path placeholder `{{{placeholder}}}` has no path parameter"),
                );
            }
        }
        let request = match &op.request_body {
            Some(body) => self.request_body(
                body,
                &format!("{type_base}Request"),
                &format!("{at}/requestBody"),
            )?,
            None => {
                self.sink.error(
                    at,
                    "expected a `requestBody`: every generated operation sends a JSON body",
                );
                return None;
            }
        };
        let (success_status, response, error_statuses) = self.responses(op, &type_base, at)?;
        Some(Operation {
            id,
            rust,
            docs: join_docs(op.summary.as_deref(), op.description.as_deref()),
            loc: Loc {
                file: self.sink.file().to_string(),
                place: at.to_string(),
            },
            rest: Some(RestOperation {
                method: method.to_ascii_uppercase(),
                path: route.to_string(),
                path_params,
            }),
            soap: None,
            request,
            response,
            success_status,
            error_statuses,
            sandbox: true,
            idempotent,
        })
    }

    /// `item` itself at `at`, or the entry of `components.{section}` its `$ref` names, at that entry's own pointer,
    /// so that a problem inside a shared entry is placed where the document has it. A reference to anything else
    /// is reported at `at` as pointing at no `kind`.
    fn resolve<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        at: &str,
        (section, kind): (&str, &str),
        entry: fn(&'a openapiv3::Components, &str) -> Option<&'a ReferenceOr<T>>,
    ) -> Option<(&'a T, String)> {
        match item {
            ReferenceOr::Item(t) => Some((t, at.to_string())),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/")
                    .and_then(|r| r.strip_prefix(section))
                    .and_then(|r| r.strip_prefix('/'))
                    .and_then(|name| Some((name, entry(self.doc.components.as_ref()?, name)?)));
                match found {
                    Some((name, ReferenceOr::Item(t))) => Some((
                        t,
                        format!("#/components/{section}/{}", pointer_segment(name)),
                    )),
                    _ => {
                        self.sink.error(
                            format!("{at}/$ref"),
                            format!("`{reference}` points at no {kind}"),
                        );
                        None
                    }
                }
            }
        }
    }

    fn request_body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        hint: &str,
        at: &str,
    ) -> Option<String> {
        let (body, at) = self.resolve(body, at, ("requestBodies", "request body"), |c, name| {
            c.request_bodies.get(name)
        })?;
        let schema = self.json_schema(&body.content, &format!("{at}/content"))?;
        self.named_type(
            schema,
            hint,
            &format!("{at}/content/application~1json/schema"),
        )
    }

    /// `(success status, response type, documented error statuses)`.
    fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        type_base: &str,
        at: &str,
    ) -> Option<(u16, String, Vec<u16>)> {
        let mut success = None;
        let mut errors = Vec::new();
        for (status, response) in &op.responses.responses {
            let here = format!("{at}/responses/{status}");
            let StatusCode::Code(code) = status else {
                self.sink
                    .error(here, "status ranges (2XX) are not supported");
                continue;
            };
            let Some((response, response_at)) =
                self.resolve(response, &here, ("responses", "response"), |c, name| {
                    c.responses.get(name)
                })
            else {
                continue;
            };
            if (200..300).contains(code) {
                if success.is_some() {
                    self.sink
                        .error(&here, "more than one success response is not supported");
                    continue;
                }
                let Some(schema) =
                    self.json_schema(&response.content, &format!("{response_at}/content"))
                else {
                    continue;
                };
                let ty = self.named_type(
                    schema,
                    &format!("{type_base}Response"),
                    &format!("{response_at}/content/application~1json/schema"),
                )?;
                success = Some((*code, ty));
            } else {
                errors.push(*code);
                if let Some(schema) = response
                    .content
                    .get("application/json")
                    .and_then(|m| m.schema.as_ref())
                {
                    let schema_at = format!("{response_at}/content/application~1json/schema");
                    if let Some(ty) =
                        self.named_type(schema, &format!("{type_base}Error"), &schema_at)
                    {
                        self.error_types.insert(ty, schema_at);
                    }
                }
            }
        }
        match success {
            Some((code, ty)) => Some((code, ty, errors)),
            None => {
                self.sink.error(
                    format!("{at}/responses"),
                    "expected a 2xx response with an application/json schema",
                );
                None
            }
        }
    }

    fn json_schema(
        &mut self,
        content: &'a openapiv3::Content,
        at: &str,
    ) -> Option<&'a ReferenceOr<Schema>> {
        match content
            .get("application/json")
            .and_then(|m| m.schema.as_ref())
        {
            Some(schema) => Some(schema),
            None => {
                let found: Vec<&String> = content.keys().collect();
                self.sink.error(
                    at,
                    format!("expected an application/json schema, found media types {found:?}"),
                );
                None
            }
        }
    }

    /// The error body every documented error response shares; one per service.
    fn error_type(&mut self, operations: &[Operation]) -> Option<String> {
        let mut found = self.error_types.iter();
        match (found.next(), found.next()) {
            (Some((ty, _)), None) => Some(ty.clone()),
            (Some((first, _)), Some((second, at))) => {
                self.sink.error(at, format!("error responses use different schemas (`{first}`, `{second}`); one error body per platform is supported"));
                None
            }
            (None, _) if operations.is_empty() => Some(String::new()),
            (None, _) => {
                self.sink.error("#/paths", "expected error responses with an application/json schema: the platform's error body");
                None
            }
        }
    }

    /// Resolves or creates the named type for a schema used as a whole body.
    fn named_type(&mut self, schema: &ReferenceOr<Schema>, hint: &str, at: &str) -> Option<String> {
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

    fn type_ref(&mut self, schema: &ReferenceOr<Schema>, hint: &str, at: &str) -> Option<TypeRef> {
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
    fn apply_limit_overrides(&mut self) {
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

fn schema_limits(schema: &Schema) -> Limits {
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

fn join_docs(summary: Option<&str>, description: Option<&str>) -> String {
    match (summary, description) {
        (Some(s), Some(d)) if d.trim_end_matches('.') != s.trim_end_matches('.') => {
            format!("{s}.\n\n{d}")
        }
        (_, Some(d)) => d.to_string(),
        (Some(s), None) => s.to_string(),
        (None, None) => String::new(),
    }
}
