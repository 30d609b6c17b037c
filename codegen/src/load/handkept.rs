//! Loader for hand-kept descriptions (`schemas/<platform>/*.toml`) into the IR.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::names::{rust_field_name, rust_variant_name};
use super::toml_format::{
    EnumValueDef, FaultCodesDef, FieldDef, HandKeptFile, OperationDef, ServersDef, TypeDefToml,
    parse,
};
use crate::diag::{Diagnostic, Sink};
use crate::ir::*;

pub fn load(platform: &str, files: &[PathBuf]) -> Result<Service, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut merged = Merged::default();
    for path in files {
        let mut sink = Sink::new(super::display(path));
        if let Some(text) = super::read_text(path, &mut sink)
            && let Some(file) = parse::<HandKeptFile>(&text, &mut sink)
        {
            merged.add(file, &mut sink);
        }
        problems.append(&mut sink.found);
    }
    let service = merged.lower(platform, &mut problems);
    if problems.is_empty() {
        service.ok_or(problems)
    } else {
        Err(problems)
    }
}

/// The sections of every file of one platform, each remembering the file it came from.
#[derive(Default)]
struct Merged {
    sources: Vec<String>,
    service: Option<(String, super::toml_format::ServiceDef)>,
    servers: Option<(String, super::toml_format::ServersDef)>,
    rest: Option<(String, super::toml_format::RestDef)>,
    soap: Option<(String, super::toml_format::SoapDef)>,
    credentials: Vec<(String, String, super::toml_format::CredentialDef)>,
    namespaces: BTreeMap<String, String>,
    operations: Vec<(String, String, OperationDef)>,
    types: Vec<(String, String, TypeDefToml)>,
}

impl Merged {
    fn add(&mut self, file: HandKeptFile, sink: &mut Sink) {
        let name = sink.file().to_string();
        self.sources.push(name.clone());
        once(&mut self.service, file.service, "service", sink);
        once(&mut self.servers, file.servers, "servers", sink);
        once(&mut self.rest, file.rest, "rest", sink);
        once(&mut self.soap, file.soap, "soap", sink);
        for (key, uri) in file.namespaces {
            if let Some(why) = namespace_problem(&key, &uri) {
                sink.error(format!("namespaces.{key}"), why);
            }
            if self.namespaces.insert(key.clone(), uri).is_some() {
                sink.error(format!("namespaces.{key}"), "namespace declared twice");
            }
        }
        self.credentials.extend(
            file.credentials
                .into_iter()
                .map(|(k, v)| (name.clone(), k, v)),
        );
        self.operations.extend(
            file.operations
                .into_iter()
                .map(|(k, v)| (name.clone(), k, v)),
        );
        self.types
            .extend(file.types.into_iter().map(|(k, v)| (name.clone(), k, v)));
    }

    fn lower(self, platform: &str, problems: &mut Vec<Diagnostic>) -> Option<Service> {
        let first = self.sources.first().cloned().unwrap_or_default();
        let mut sink = Sink::new(first);
        let Some((_, service)) = self.service else {
            sink.error(
                "service",
                "expected a [service] section (title, error_type) in one of the files",
            );
            problems.append(&mut sink.found);
            return None;
        };
        let Some((servers_file, servers)) = self.servers else {
            sink.error("servers", "expected a [servers] section with `production`");
            problems.append(&mut sink.found);
            return None;
        };
        let ns_of = |key: &Option<String>, sink: &mut Sink, place: &str| -> Option<String> {
            let key = key.as_ref()?;
            match self.namespaces.get(key) {
                Some(uri) => Some(uri.clone()),
                None => {
                    sink.error(
                        place,
                        format!("unknown namespace `{key}`; declare it under [namespaces]"),
                    );
                    None
                }
            }
        };

        let mut types = BTreeMap::new();
        for (file, name, def) in &self.types {
            let mut sink = Sink::new(file.clone());
            let place = format!("types.{name}");
            let xml_ns = ns_of(&def.ns, &mut sink, &place);
            if let Some(kind) = lower_kind(def, &place, &mut sink) {
                let loc = Loc {
                    file: file.clone(),
                    place: place.clone(),
                };
                let ty = TypeDef {
                    name: name.clone(),
                    docs: def.docs.clone(),
                    loc,
                    xml_ns,
                    kind,
                };
                if types.insert(name.clone(), ty).is_some() {
                    sink.error(place, "type declared twice");
                }
            }
            problems.append(&mut sink.found);
        }

        let mut operations = Vec::new();
        for (file, id, def) in &self.operations {
            let place = format!("operations.{id}");
            let mut sink = Sink::new(file.clone());
            if def.rest.is_none() && def.soap_action.is_none() {
                sink.error(
                    &place,
                    "expected `rest` or `soap_action`: an operation needs a transport",
                );
            }
            let rest = def.rest.as_ref().map(|r| RestOperation {
                method: r.method.clone(),
                path: r.path.clone(),
                path_params: def
                    .path_params
                    .iter()
                    .map(|(name, p)| Param {
                        name: name.clone(),
                        rust: rust_field_name(name),
                        docs: p.docs.clone(),
                        limits: p.limits.to_ir(),
                    })
                    .collect(),
            });
            let soap = def.soap_action.as_ref().map(|action| SoapOperation {
                action: action.clone(),
                request_element: def.request.clone(),
                response_element: def.response.clone(),
            });
            operations.push(Operation {
                id: id.clone(),
                rust: rust_field_name(id),
                docs: def.docs.clone(),
                loc: Loc {
                    file: file.clone(),
                    place,
                },
                rest,
                soap,
                request: def.request.clone(),
                response: def.response.clone(),
                success_status: def.success_status,
                error_statuses: def.error_statuses.clone(),
                sandbox: def.sandbox,
                idempotent: def.idempotent.unwrap_or_else(|| {
                    def.rest
                        .as_ref()
                        .is_some_and(|r| method_is_idempotent(&r.method))
                }),
            });
            problems.append(&mut sink.found);
        }

        let credentials = self
            .credentials
            .iter()
            .map(|(_, name, c)| Credential {
                name: name.clone(),
                env: c.env.clone(),
                secret: c.secret,
                docs: c.docs.clone(),
            })
            .collect();
        let rest = self.rest.map(|(file, r)| RestService {
            base_path: r.base_path,
            headers: r
                .headers
                .iter()
                .enumerate()
                .map(|(i, h)| header_binding(i, &h.name, &h.format, &file, problems))
                .collect(),
            json: JsonRules {
                long_as_string: r.long_as_string,
            },
            loc: Loc {
                file,
                place: "rest".into(),
            },
        });
        let namespaces: Vec<(String, String)> = self.namespaces.clone().into_iter().collect();
        let soap = self.soap.map(|(file, s)| SoapService {
            loc: Loc {
                file,
                place: "soap".into(),
            },
            path: s.path,
            namespace: s.namespace,
            namespaces,
            headers: s
                .headers
                .into_iter()
                .map(|h| SoapHeader {
                    element: h.element,
                    credential: h.credential,
                })
                .collect(),
        });
        problems.append(&mut sink.found);
        Some(Service {
            name: platform.to_string(),
            title: service.title,
            docs: service.docs,
            sources: self.sources,
            servers: lower_servers(&servers_file, servers, problems),
            credentials,
            rest,
            soap,
            operations,
            types,
            error_type: service.error_type,
            tracking_id: service.tracking_id,
            throttling: service.throttling.map(fault_codes),
            authentication: service.authentication.map(fault_codes),
        })
    }
}

fn fault_codes(def: FaultCodesDef) -> FaultCodes {
    FaultCodes {
        code_field: def.code_field,
        codes: def.codes,
    }
}

/// Each URL of `[servers]` with the declared variables it names; a variable neither names is reported, since
/// setting it would change nothing.
fn lower_servers(file: &str, def: ServersDef, problems: &mut Vec<Diagnostic>) -> Servers {
    let variables: Vec<ServerVariable> = def
        .variables
        .into_iter()
        .map(|(name, v)| ServerVariable {
            name,
            default: v.default,
            docs: v.docs,
        })
        .collect();
    let urls = std::iter::once(def.production.as_str()).chain(def.sandbox.as_deref());
    let named = |v: &ServerVariable, url: &str| url.contains(&format!("{{{}}}", v.name));
    for v in &variables {
        if !urls.clone().any(|url| named(v, url)) {
            problems.push(Diagnostic {
                file: file.to_string(),
                place: format!("servers.variables.{}", v.name),
                message: format!(
                    "variable `{}` is declared, but no server URL names it as `{{{}}}`",
                    v.name, v.name
                ),
            });
        }
    }
    let server = |url: String, key: &str| Server {
        variables: variables
            .iter()
            .filter(|v| named(v, &url))
            .cloned()
            .collect(),
        url,
        loc: Loc {
            file: file.to_string(),
            place: format!("servers.{key}"),
        },
    };
    Servers {
        production: server(def.production, "production"),
        sandbox: def.sandbox.map(|url| server(url, "sandbox")),
    }
}

/// What is wrong with a `[namespaces]` entry, which requests declare as `xmlns:key="uri"`: the key must be an XML
/// name other than the prefixes the SOAP writer binds itself (`s`, `i`, `t`) and those XML reserves (`xml...`),
/// and the URI may not be empty, which XML 1.0 forbids for a prefix.
fn namespace_problem(key: &str, uri: &str) -> Option<String> {
    if !super::is_xml_name(key) {
        Some(format!("`{key}`: expected an XML name to use as a prefix"))
    } else if matches!(key, "s" | "i" | "t") || key.to_ascii_lowercase().starts_with("xml") {
        Some(format!(
            "`{key}` is a prefix requests already use (s, i, t) or XML reserves (xml...)"
        ))
    } else if uri.is_empty() || uri.contains(char::is_whitespace) {
        Some(format!(
            "`{uri}`: expected a namespace URI, not empty and without white space"
        ))
    } else {
        None
    }
}

/// Keeps a section that may appear in one file only, with the name of that file (the sink's).
fn once<T>(slot: &mut Option<(String, T)>, value: Option<T>, section: &str, sink: &mut Sink) {
    if let Some(value) = value {
        if slot.is_some() {
            sink.error(
                section,
                format!("[{section}] appears in more than one file of this platform"),
            );
        } else {
            *slot = Some((sink.file().to_string(), value));
        }
    }
}

/// `Bearer {access_token}` → header bound to credential `access_token`; `index` places it in `[rest] headers`.
pub(crate) fn header_binding(
    index: usize,
    name: &str,
    format: &str,
    file: &str,
    problems: &mut Vec<Diagnostic>,
) -> HeaderBinding {
    let credential = format
        .split_once('{')
        .and_then(|(_, rest)| rest.split_once('}'))
        .map(|(cred, _)| cred.to_string())
        .unwrap_or_default();
    if credential.is_empty() {
        problems.push(Diagnostic {
            file: file.to_string(),
            place: format!("rest.headers[{index}]"),
            message: format!(
                "header `{name}`: expected a format holding `{{credential}}`, found `{format}`"
            ),
        });
    }
    HeaderBinding {
        name: name.to_string(),
        format: format.to_string(),
        credential,
    }
}

fn lower_kind(def: &TypeDefToml, place: &str, sink: &mut Sink) -> Option<Kind> {
    let shapes = [
        def.fields.is_some(),
        def.values.is_some(),
        def.list.is_some(),
    ];
    if shapes.iter().filter(|s| **s).count() != 1 {
        sink.error(place, "expected exactly one of `fields` (a struct), `values` (an enum) or `list` (a SOAP array)");
        return None;
    }
    if let Some(values) = &def.values {
        let values = values
            .iter()
            .map(|v| {
                let (wire, docs) = match v {
                    EnumValueDef::Plain(name) => (name.clone(), String::new()),
                    EnumValueDef::Documented { name, docs } => (name.clone(), docs.clone()),
                };
                EnumValue {
                    rust: rust_variant_name(&wire),
                    wire,
                    docs,
                }
            })
            .collect();
        return Some(Kind::Enum(Enum {
            values,
            flags: def.flags,
        }));
    }
    if let Some(list) = &def.list {
        let item = parse_type_ref(&list.item, &format!("{place}.list.item"), sink)?;
        return Some(Kind::List(List {
            item,
            item_element: list.element.clone(),
        }));
    }
    let fields = def.fields.as_ref()?;
    let fields = fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| lower_field(f, &format!("{place}.fields[{i}]"), sink))
        .collect();
    Some(Kind::Struct(Struct {
        fields,
        base: def.extends.clone(),
        tag: def.tag.clone(),
        discriminator: def.discriminator.clone(),
        rules: Vec::new(),
    }))
}

fn lower_field(f: &FieldDef, place: &str, sink: &mut Sink) -> Option<Field> {
    let ty = parse_type_ref(&f.ty, &format!("{place}.type"), sink)?;
    Some(Field {
        wire: f.name.clone(),
        json_aliases: f.json_aliases.clone(),
        json: f.json.clone(),
        rust: rust_field_name(&f.name),
        ty,
        required: f.required,
        nillable: f.nillable,
        docs: f.docs.clone(),
        limits: f.limits.to_ir(),
        xml_ns: None,
    })
}

/// `string`, `int`, `long`, `decimal`, `boolean`, `double`, `json`, `object`, `T[]`, or a type name.
pub(crate) fn parse_type_ref(text: &str, place: &str, sink: &mut Sink) -> Option<TypeRef> {
    let text = text.trim();
    if let Some(item) = text.strip_suffix("[]") {
        return parse_type_ref(item, place, sink).map(|t| TypeRef::Array(Box::new(t)));
    }
    let prim = match text {
        "string" => Prim::String,
        "boolean" => Prim::Bool,
        "int" => Prim::I32,
        "long" => Prim::I64,
        "double" => Prim::F64,
        "decimal" => Prim::Decimal,
        "json" => Prim::Json,
        "object" => return Some(TypeRef::JsonObject),
        "" => {
            sink.error(place, "expected a type, found an empty string");
            return None;
        }
        name if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            return Some(TypeRef::Named(name.to_string()));
        }
        other => {
            sink.error(place, format!("expected a primitive (string, int, long, ...), `T[]` or a type name, found `{other}`"));
            return None;
        }
    };
    Some(TypeRef::Prim(prim))
}
