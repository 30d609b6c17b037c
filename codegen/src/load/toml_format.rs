//! The hand-kept description format (documented in `schemas/README.md`), and the overrides that sit beside a
//! published OpenAPI document. Unknown keys are errors, never ignored.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::diag::Sink;

/// One hand-kept file; a platform's files are merged, and each section may appear in one file only.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandKeptFile {
    pub service: Option<ServiceDef>,
    pub servers: Option<ServersDef>,
    #[serde(default)]
    pub credentials: BTreeMap<String, CredentialDef>,
    pub rest: Option<RestDef>,
    pub soap: Option<SoapDef>,
    #[serde(default)]
    pub namespaces: BTreeMap<String, String>,
    #[serde(default)]
    pub operations: BTreeMap<String, OperationDef>,
    #[serde(default)]
    pub types: BTreeMap<String, TypeDefToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceDef {
    pub title: String,
    #[serde(default)]
    pub docs: String,
    pub error_type: String,
    pub tracking_id: Option<String>,
    pub throttling: Option<FaultCodesDef>,
    pub authentication: Option<FaultCodesDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultCodesDef {
    pub code_field: String,
    pub codes: Vec<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServersDef {
    pub production: String,
    pub sandbox: Option<String>,
    /// The `{variables}` the URLs name, by name.
    #[serde(default)]
    pub variables: BTreeMap<String, ServerVariableDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerVariableDef {
    pub default: String,
    #[serde(default)]
    pub docs: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialDef {
    pub env: String,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub docs: String,
    /// Overrides only: what in the OpenAPI document this credential fills.
    pub binds: Option<BindDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BindDef {
    pub security_scheme: Option<String>,
    pub header: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestDef {
    #[serde(default)]
    pub base_path: String,
    #[serde(default)]
    pub long_as_string: bool,
    #[serde(default)]
    pub headers: Vec<RestHeaderDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestHeaderDef {
    pub name: String,
    pub format: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoapDef {
    pub path: String,
    pub namespace: String,
    #[serde(default)]
    pub headers: Vec<SoapHeaderDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoapHeaderDef {
    pub element: String,
    pub credential: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationDef {
    #[serde(default)]
    pub docs: String,
    pub request: String,
    pub response: String,
    pub soap_action: Option<String>,
    pub rest: Option<RestOperationDef>,
    #[serde(default = "default_success")]
    pub success_status: u16,
    #[serde(default)]
    pub error_statuses: Vec<u16>,
    #[serde(default = "default_true")]
    pub sandbox: bool,
    pub idempotent: Option<bool>,
    #[serde(default)]
    pub path_params: BTreeMap<String, ParamDef>,
}

fn default_success() -> u16 {
    200
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestOperationDef {
    pub method: String,
    pub path: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamDef {
    #[serde(default)]
    pub docs: String,
    #[serde(flatten)]
    pub limits: LimitsDef,
}

/// A type: a struct (`fields`, optionally `extends`), an enum (`values`) or a SOAP array (`list`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDefToml {
    #[serde(default)]
    pub docs: String,
    /// Short namespace name from `[namespaces]`, for types declared outside the service namespace.
    pub ns: Option<String>,
    pub extends: Option<String>,
    /// REST discriminator value of this type.
    pub tag: Option<String>,
    /// On a base type: the JSON property that names the derived type.
    pub discriminator: Option<String>,
    pub fields: Option<Vec<FieldDef>>,
    pub values: Option<Vec<EnumValueDef>>,
    #[serde(default)]
    pub flags: bool,
    pub list: Option<ListDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub nillable: bool,
    #[serde(default)]
    pub docs: String,
    pub json: Option<String>,
    #[serde(default)]
    pub json_aliases: Vec<String>,
    #[serde(flatten)]
    pub limits: LimitsDef,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsDef {
    pub max_items: Option<u64>,
    pub min_items: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub max_properties: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum EnumValueDef {
    Plain(String),
    Documented { name: String, docs: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListDef {
    pub item: String,
    pub element: String,
}

/// What sits beside a published OpenAPI document: facts its JSON does not carry.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverridesFile {
    #[serde(default)]
    pub credentials: BTreeMap<String, CredentialDef>,
    #[serde(default)]
    pub limits: Vec<LimitOverride>,
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    pub sandbox: Option<String>,
    #[serde(default)]
    pub operations: BTreeMap<String, OperationOverride>,
}

/// Per-operation facts the document does not state, keyed by `operationId`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationOverride {
    pub idempotent: Option<bool>,
}

/// Limits from the page's prose, attached to the schema at a JSON pointer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitOverride {
    pub at: String,
    #[serde(flatten)]
    pub limits: LimitsDef,
    pub only_when: Option<OnlyWhen>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnlyWhen {
    pub field: String,
    pub equals: String,
}

impl LimitsDef {
    pub fn to_ir(&self) -> crate::ir::Limits {
        crate::ir::Limits {
            max_items: self.max_items,
            min_items: self.min_items,
            max_length: self.max_length,
            pattern: self.pattern.clone(),
            minimum: self.minimum,
            maximum: self.maximum,
            max_properties: self.max_properties,
        }
    }
}

/// Parses TOML into `T`, reporting the key path of the first problem. The table is read into a JSON value first,
/// so the schema types are deserialized through the same deserializer as the OpenAPI document's: one copy of that
/// code in the generator rather than one per format. The problem's line is added with the others' (`positions`).
pub fn parse<T: DeserializeOwned>(text: &str, sink: &mut Sink) -> Option<T> {
    let value = match toml::de::Deserializer::parse(text).and_then(serde_json::Value::deserialize) {
        Ok(value) => value,
        Err(e) => {
            sink.error(
                line_of(text, e.span()),
                format!("invalid TOML: {}", e.message()),
            );
            return None;
        }
    };
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(value) => Some(value),
        Err(e) => {
            sink.error(e.path().to_string(), e.inner().to_string());
            None
        }
    }
}

pub(super) fn line_of(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(span) => {
            let upto = &text[..span.start.min(text.len())];
            let line = upto.matches('\n').count() + 1;
            let column = upto.len() - upto.rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
            format!("line {line}, column {column}")
        }
        None => "top level".into(),
    }
}
