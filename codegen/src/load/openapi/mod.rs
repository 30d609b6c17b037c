//! Loader for a published OpenAPI 3.1 document (read with `openapiv3` after normalization) into the IR: the
//! document and the service here, its operations in `operations`, its schemas in `schemas`.

mod normalize;
mod operations;
mod schemas;

use std::collections::BTreeMap;
use std::path::Path;

use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};

use super::overrides::{self, Overrides};
use crate::diag::{Diagnostic, Sink, pointer_segment};
use crate::ir::*;
use normalize::normalize;

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
}
