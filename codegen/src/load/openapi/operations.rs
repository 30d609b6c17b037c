//! An OpenAPI operation lowered to the IR: its parameters, request body, responses and error body.

use openapiv3::{
    Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Schema, StatusCode,
};

use super::Lowering;
use super::schemas::schema_limits;
use crate::diag::pointer_segment;
use crate::ir::*;
use crate::load::names::{rust_field_name, rust_type_name};

impl<'a> Lowering<'a> {
    pub(super) fn operation(
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
                    if self.overrides.binds_header(&parameter_data.name) => {}
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
    pub(super) fn error_type(&mut self, operations: &[Operation]) -> Option<String> {
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
