//! The one model every loader fills and every emitter reads.
//!
//! Nothing here is Rust-specific except the `rust` names, which the naming pass fills in; wire names are kept
//! apart from them so emitters can show both.

use std::collections::{BTreeMap, BTreeSet};

/// Everything under `schemas/`, one service per platform, sorted by name so output is deterministic.
#[derive(Debug, Clone, Default)]
pub struct Api {
    pub services: Vec<Service>,
}

#[derive(Debug, Clone)]
pub struct Service {
    /// Platform name: module name, CLI word and cargo feature (`batch`, `microsoft`, `pinterest`).
    pub name: String,
    pub title: String,
    pub docs: String,
    /// Schema files this service was loaded from, relative to the schema folder's parent.
    pub sources: Vec<String>,
    pub servers: Servers,
    pub credentials: Vec<Credential>,
    pub rest: Option<RestService>,
    pub soap: Option<SoapService>,
    pub operations: Vec<Operation>,
    /// Named types by schema name; `BTreeMap` keeps emission order stable.
    pub types: BTreeMap<String, TypeDef>,
    /// The body every non-success response carries (Batch `Error`, Pinterest `Error`, Microsoft `ApplicationFault`).
    pub error_type: String,
    /// The name of the platform's per-call tracking id: a response header, and for SOAP a header element; read
    /// from the error body's property of that name too.
    pub tracking_id: Option<String>,
    /// Error codes in the error body that mean "slow down"; calls that get them are retried like HTTP 429.
    pub throttling: Option<Throttling>,
}

#[derive(Debug, Clone)]
pub struct Throttling {
    /// The error-body property holding a numeric code, at any depth (Microsoft `Code`, Pinterest `code`).
    pub code_field: String,
    pub codes: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct Servers {
    pub production: Server,
    /// `None`: the platform documents no sandbox.
    pub sandbox: Option<Server>,
}

/// A base URL, possibly with `{variables}` (Batch: `https://api.batch.com/{version}`).
#[derive(Debug, Clone)]
pub struct Server {
    pub url: String,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    pub docs: String,
}

impl Service {
    /// The named types a request can hold: each operation's request type and, through fields, list items and
    /// union members, everything it reaches.
    pub fn request_types(&self) -> BTreeSet<&str> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&str> = self.operations.iter().map(|o| o.request.as_str()).collect();
        while let Some(name) = todo.pop() {
            let Some((name, def)) = self.types.get_key_value(name) else {
                continue;
            };
            if !seen.insert(name.as_str()) {
                continue;
            }
            let mut refs: Vec<&TypeRef> = Vec::new();
            match &def.kind {
                Kind::Struct(s) => refs.extend(s.fields.iter().map(|f| &f.ty)),
                Kind::List(l) => refs.push(&l.item),
                Kind::Union(u) => todo.extend(
                    u.variants
                        .iter()
                        .chain([&u.base_struct])
                        .map(String::as_str),
                ),
                Kind::Enum(_) => {}
            }
            while let Some(ty) = refs.pop() {
                match ty {
                    TypeRef::Named(n) => todo.push(n),
                    TypeRef::Array(item) => refs.push(item),
                    TypeRef::Prim(_) | TypeRef::JsonObject => {}
                }
            }
        }
        seen
    }
}

/// A value the caller supplies once per client: a token, a key, an account id.
#[derive(Debug, Clone)]
pub struct Credential {
    pub name: String,
    pub env: String,
    pub secret: bool,
    pub docs: String,
}

#[derive(Debug, Clone)]
pub struct RestService {
    /// Path prefix after the server URL (`/CampaignManagement/v13`), empty when the server URL holds it.
    pub base_path: String,
    pub headers: Vec<HeaderBinding>,
    pub json: JsonRules,
}

/// How a credential travels as an HTTP header: `format` holds `{credential}` (`Bearer {access_token}`).
#[derive(Debug, Clone)]
pub struct HeaderBinding {
    pub name: String,
    pub format: String,
    pub credential: String,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct JsonRules {
    /// Microsoft REST writes `xs:long` as JSON strings.
    pub long_as_string: bool,
}

#[derive(Debug, Clone)]
pub struct SoapService {
    pub path: String,
    /// The target namespace; types and elements without their own namespace live here.
    pub namespace: String,
    /// Other namespaces types live in, as `(prefix, uri)`; the prefixes are the ones requests are written with.
    pub namespaces: Vec<(String, String)>,
    /// Header elements in WSDL order, each filled from a credential.
    pub headers: Vec<SoapHeader>,
}

#[derive(Debug, Clone)]
pub struct SoapHeader {
    pub element: String,
    pub credential: String,
}

/// Where something was declared, for diagnostics from later passes.
#[derive(Debug, Clone, Default)]
pub struct Loc {
    pub file: String,
    pub place: String,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The id as the platform publishes it (`audience_update`, `UpdateAudiences`, `audiences/update`).
    pub id: String,
    /// snake_case name of the client method; kebab-case of it is the CLI word.
    pub rust: String,
    pub docs: String,
    pub loc: Loc,
    pub rest: Option<RestOperation>,
    pub soap: Option<SoapOperation>,
    pub request: String,
    pub response: String,
    pub success_status: u16,
    /// Documented error statuses, for docs and tests; any non-success status is decoded as the error body.
    pub error_statuses: Vec<u16>,
    pub sandbox: bool,
    /// Repeating the call leaves the same state, so it may be retried after a failure whose outcome is unknown
    /// (a timeout, a dropped connection, a 502).
    pub idempotent: bool,
}

/// The default for `Operation::idempotent`: PUT, DELETE and reads by HTTP's rules, and PATCH because the
/// platforms' PATCH bodies set fields to values, so repeating one sets the same values.
pub fn method_is_idempotent(method: &str) -> bool {
    matches!(
        method,
        "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE" | "PATCH"
    )
}

#[derive(Debug, Clone)]
pub struct RestOperation {
    pub method: String,
    /// Path template after the base, with `{param}` placeholders.
    pub path: String,
    pub path_params: Vec<Param>,
}

#[derive(Debug, Clone)]
pub struct SoapOperation {
    pub action: String,
    pub request_element: String,
    pub response_element: String,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub rust: String,
    pub docs: String,
    pub limits: Limits,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub docs: String,
    pub loc: Loc,
    /// XML namespace of elements this type declares (`None`: the service namespace).
    pub xml_ns: Option<String>,
    pub kind: Kind,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Struct(Struct),
    Enum(Enum),
    /// A base type together with its derived types, told apart by `discriminator` in JSON and `xsi:type` in SOAP.
    Union(Union),
    /// A SOAP `ArrayOfX`: a wrapper with one `item_element` per value; plain arrays in JSON.
    List(List),
}

#[derive(Debug, Clone, Default)]
pub struct Struct {
    /// Fields in wire order; for a derived type, after the unions pass, the base's fields come first.
    pub fields: Vec<Field>,
    /// Schema name of the base type, for derived types.
    pub base: Option<String>,
    /// The discriminator value this type is written with (REST `Type`), for members of a union.
    pub tag: Option<String>,
    /// On a base type: the JSON property naming the derived type. The unions pass turns such a struct into a
    /// `Union` of itself and its derived types.
    pub discriminator: Option<String>,
    /// Only-when rules that tie one field to another field's value (Batch: `attributes` only with `add`).
    pub rules: Vec<FieldRule>,
}

#[derive(Debug, Clone)]
pub struct FieldRule {
    pub field: String,
    pub only_when_field: String,
    pub equals: String,
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub values: Vec<EnumValue>,
    /// Flag enums (`xs:list`): a set of values, space-separated in XML and `", "`-separated in JSON.
    pub flags: bool,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub wire: String,
    pub rust: String,
    pub docs: String,
}

#[derive(Debug, Clone)]
pub struct Union {
    /// JSON property naming the variant (`Type`).
    pub discriminator: String,
    /// The struct holding the base's own fields, used for the base variant and for unknown variants.
    pub base_struct: String,
    /// The base type's own tag, when the base itself can be sent or received.
    pub base_tag: Option<String>,
    /// Derived types in schema order.
    pub variants: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct List {
    pub item: TypeRef,
    pub item_element: String,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// Element name in XML and property name in JSON.
    pub wire: String,
    /// Other names accepted when reading JSON (Microsoft's `key`/`value` beside `Key`/`Value`).
    pub json_aliases: Vec<String>,
    /// JSON name when it differs from `wire`.
    pub json: Option<String>,
    pub rust: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nillable: bool,
    pub docs: String,
    pub limits: Limits,
    /// Namespace of the declaring type, filled by the unions pass for inherited fields.
    pub xml_ns: Option<String>,
}

impl Field {
    pub fn json_name(&self) -> &str {
        self.json.as_deref().unwrap_or(&self.wire)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    Named(String),
    Prim(Prim),
    /// A JSON array of items (OpenAPI `array`); SOAP arrays are named `List` types.
    Array(Box<TypeRef>),
    /// A free-form JSON object.
    JsonObject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prim {
    String,
    Bool,
    I32,
    I64,
    F64,
    /// Exact decimal text, never a binary float.
    Decimal,
    /// Any JSON value.
    Json,
}

/// Documented limits, checked before a request is sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    pub max_items: Option<u64>,
    pub min_items: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub max_properties: Option<u64>,
}

impl Limits {
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}
