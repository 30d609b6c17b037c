//! The one model every loader fills and every emitter reads.
//!
//! Nothing here is Rust-specific except the `rust` names, which the loaders make from the wire names
//! (`load::names`) and the names pass checks; wire names are kept apart from them so emitters can show both.

use std::collections::{BTreeMap, BTreeSet};

/// Everything under `schemas/`, one service per platform, sorted by name so output is deterministic.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// One per platform, by name.
    pub services: Vec<Service>,
}

/// One platform: its hosts, credentials, bindings, operations and types.
#[derive(Debug, Clone)]
pub struct Service {
    /// Platform name: module name, CLI word and cargo feature (`batch`, `microsoft`, `pinterest`).
    pub name: String,
    /// The platform's name for the API, for docs and messages (`Microsoft Advertising Campaign Management v13`).
    pub title: String,
    /// Module docs.
    pub docs: String,
    /// Schema files this service was loaded from, relative to the schema folder's parent.
    pub sources: Vec<String>,
    /// Where requests go.
    pub servers: Servers,
    /// What a client needs to be built, in the order its `Credentials` struct lists them.
    pub credentials: Vec<Credential>,
    /// The REST binding, when the platform has one.
    pub rest: Option<RestService>,
    /// The SOAP binding, when the platform has one.
    pub soap: Option<SoapService>,
    /// One client method each, in schema order.
    pub operations: Vec<Operation>,
    /// Named types by schema name; `BTreeMap` keeps emission order stable.
    pub types: BTreeMap<String, TypeDef>,
    /// The body every non-success response carries (Batch `Error`, Pinterest `Error`, Microsoft `ApplicationFault`).
    pub error_type: String,
    /// The name of the platform's per-call tracking id: a response header, and for SOAP a header element; read
    /// from the error body's property of that name too.
    pub tracking_id: Option<String>,
    /// Error codes in the error body that mean "slow down"; calls that get them are retried like HTTP 429.
    pub throttling: Option<FaultCodes>,
    /// Error codes in the error body that mean the credentials were refused, as HTTP 401 does.
    pub authentication: Option<FaultCodes>,
}

/// How a platform says something in an error body rather than only by HTTP status: "slow down", "who are you?".
#[derive(Debug, Clone)]
pub struct FaultCodes {
    /// The error-body property holding a numeric code, at any depth (Microsoft `Code`, Pinterest `code`).
    pub code_field: String,
    /// The values of that property that say it.
    pub codes: Vec<i64>,
}

/// The platform's hosts.
#[derive(Debug, Clone)]
pub struct Servers {
    /// Where calls go by default.
    pub production: Server,
    /// `None`: the platform documents no sandbox.
    pub sandbox: Option<Server>,
}

/// A base URL, possibly with `{variables}` (Batch: `https://api.batch.com/{version}`).
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL, `{variables}` unfilled.
    pub url: String,
    /// Each variable the URL names, in schema order (by name for hand-kept schemas, whose TOML tables keep none).
    pub variables: Vec<ServerVariable>,
    /// Where the URL was declared.
    pub loc: Loc,
}

/// A `{variable}` of a server URL, which `ClientConfig::server_variables` may set.
#[derive(Debug, Clone)]
pub struct ServerVariable {
    /// The name between the braces.
    pub name: String,
    /// The value used when the client sets none.
    pub default: String,
    /// What it selects, from the schema.
    pub docs: String,
}

impl Service {
    /// The named types a request can hold: each operation's request type and, through fields, list items and
    /// union members, everything it reaches.
    pub fn request_types(&self) -> BTreeSet<&str> {
        self.reachable(self.operations.iter().map(|o| o.request.as_str()))
    }

    /// The named types a response can hold: each operation's response type, the error body's type and
    /// everything they reach.
    pub fn response_types(&self) -> BTreeSet<&str> {
        let roots = self.operations.iter().map(|o| o.response.as_str());
        self.reachable(roots.chain([self.error_type.as_str()]))
    }

    /// The named types `roots` name and everything they reach.
    pub fn reachable<'a>(&'a self, roots: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&str> = roots.collect();
        while let Some(name) = todo.pop() {
            let Some((name, def)) = self.types.get_key_value(name) else {
                continue;
            };
            if !seen.insert(name.as_str()) {
                continue;
            }
            todo.extend(def.kind.held());
        }
        seen
    }
}

/// A value the caller supplies once per client: a token, a key, an account id.
#[derive(Debug, Clone)]
pub struct Credential {
    /// Field name in the generated `Credentials` struct.
    pub name: String,
    /// Environment variable `Credentials::from_env` reads it from.
    pub env: String,
    /// Whether it is a secret: held as a `Secret`, never printed.
    pub secret: bool,
    /// Where to get it, from the schema.
    pub docs: String,
}

/// How a platform's REST operations are reached.
#[derive(Debug, Clone)]
pub struct RestService {
    /// Path prefix after the server URL (`/CampaignManagement/v13`), empty when the server URL holds it.
    pub base_path: String,
    /// Headers every REST call carries, filled from credentials.
    pub headers: Vec<HeaderBinding>,
    /// How this platform's JSON departs from the plain mapping.
    pub json: JsonRules,
    /// Where the REST section was declared.
    pub loc: Loc,
}

/// How a credential travels as an HTTP header: `format` holds `{credential}` (`Bearer {access_token}`).
#[derive(Debug, Clone)]
pub struct HeaderBinding {
    /// The header's name.
    pub name: String,
    /// Its value, with the credential's name in braces where the value goes (`Bearer {access_token}`).
    pub format: String,
    /// The `Credential::name` it is filled from.
    pub credential: String,
}

/// Platform-wide JSON rules.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonRules {
    /// Microsoft REST writes `xs:long` as JSON strings.
    pub long_as_string: bool,
}

/// How a platform's SOAP operations are reached.
#[derive(Debug, Clone)]
pub struct SoapService {
    /// The service's path after the server URL (`/Api/Advertiser/CampaignManagement/v13/CampaignManagementService.svc`).
    pub path: String,
    /// The target namespace; types and elements without their own namespace live here.
    pub namespace: String,
    /// Other namespaces types live in, as `(prefix, uri)`; the prefixes are the ones requests are written with.
    pub namespaces: Vec<(String, String)>,
    /// Header elements in WSDL order, each filled from a credential.
    pub headers: Vec<SoapHeader>,
    /// Where the SOAP section was declared.
    pub loc: Loc,
}

/// One SOAP header element and the credential that fills it.
#[derive(Debug, Clone)]
pub struct SoapHeader {
    /// The element's name, in the service namespace.
    pub element: String,
    /// The `Credential::name` it is filled from.
    pub credential: String,
}

/// Where something was declared, for diagnostics from later passes.
#[derive(Debug, Clone, Default)]
pub struct Loc {
    /// The schema file, relative to the schema folder's parent.
    pub file: String,
    /// Where in it: a key path (`types.Audience`) or a JSON pointer (`#/paths/~1audiences~1update`).
    pub place: String,
}

impl Loc {
    /// The place `key` inside this one, in the same file (`types.Thing` → `types.Thing.fields[0]`).
    pub fn at(&self, key: &str) -> Loc {
        Loc {
            file: self.file.clone(),
            place: format!("{}.{key}", self.place),
        }
    }
}

/// One call a platform offers: a client method.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The id as the platform publishes it (`audience_update`, `UpdateAudiences`, `audiences/update`).
    pub id: String,
    /// snake_case name of the client method; kebab-case of it is the CLI word.
    pub rust: String,
    /// Method docs, from the schema.
    pub docs: String,
    /// Where it is declared.
    pub loc: Loc,
    /// Its REST binding, when it has one.
    pub rest: Option<RestOperation>,
    /// Its SOAP binding, when it has one.
    pub soap: Option<SoapOperation>,
    /// Schema name of the request body's type.
    pub request: String,
    /// Schema name of the success body's type.
    pub response: String,
    /// The HTTP status of success (200, 202).
    pub success_status: u16,
    /// Documented error statuses, for docs and tests; any non-success status is decoded as the error body.
    pub error_statuses: Vec<u16>,
    /// Whether the platform's sandbox offers it.
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

/// An operation's REST binding.
#[derive(Debug, Clone)]
pub struct RestOperation {
    /// The HTTP method, upper case.
    pub method: String,
    /// Path template after the base, with `{param}` placeholders.
    pub path: String,
    /// The placeholders, in the order the client method takes them.
    pub path_params: Vec<Param>,
}

/// An operation's SOAP binding.
#[derive(Debug, Clone)]
pub struct SoapOperation {
    /// The `SOAPAction` header's value, unquoted.
    pub action: String,
    /// The body's element (`UpdateAudiencesRequest`).
    pub request_element: String,
    /// The response body's element (`UpdateAudiencesResponse`).
    pub response_element: String,
}

/// A path parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Its name in the path template.
    pub name: String,
    /// The client method's argument name.
    pub rust: String,
    /// What it identifies, from the schema.
    pub docs: String,
    /// Its documented limits (Pinterest: digits only, at most 18).
    pub limits: Limits,
}

/// A named type of a platform.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Its schema name, which is also its Rust name.
    pub name: String,
    /// Type docs, from the schema.
    pub docs: String,
    /// Where it is declared.
    pub loc: Loc,
    /// XML namespace of elements this type declares (`None`: the service namespace).
    pub xml_ns: Option<String>,
    /// What it is.
    pub kind: Kind,
}

/// The shapes a named type takes.
#[derive(Debug, Clone)]
pub enum Kind {
    /// Fields in wire order.
    Struct(Struct),
    /// A closed list of string values, kept open by an `Unknown` variant.
    Enum(Enum),
    /// A base type together with its derived types, told apart by `discriminator` in JSON and `xsi:type` in SOAP.
    Union(Union),
    /// A SOAP `ArrayOfX`: a wrapper with one `item_element` per value; plain arrays in JSON.
    List(List),
}

impl Kind {
    /// The named types a value of this kind holds: its fields', its items', its union's members and base.
    pub fn held(&self) -> Vec<&str> {
        match self {
            Kind::Struct(s) => s.fields.iter().filter_map(|f| f.ty.named()).collect(),
            Kind::List(l) => l.item.named().into_iter().collect(),
            Kind::Union(u) => u
                .variants
                .iter()
                .chain([&u.base_struct])
                .map(String::as_str)
                .collect(),
            Kind::Enum(_) => Vec::new(),
        }
    }
}

/// A type with fields.
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

/// `field` may be set only when `only_when_field` equals `equals`.
#[derive(Debug, Clone)]
pub struct FieldRule {
    /// The field the rule limits (wire name).
    pub field: String,
    /// The field it depends on (wire name).
    pub only_when_field: String,
    /// The wire value that field must have.
    pub equals: String,
}

/// An enumeration's values.
#[derive(Debug, Clone)]
pub struct Enum {
    /// In schema order.
    pub values: Vec<EnumValue>,
    /// Flag enums (`xs:list`): a set of values, space-separated in XML and `", "`-separated in JSON.
    pub flags: bool,
}

/// One value of an enumeration.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// As it goes on the wire.
    pub wire: String,
    /// Its variant's name, made from `wire` by the loader (`load::names`).
    pub rust: String,
    /// Variant docs, from the schema.
    pub docs: String,
}

/// A base type and the types derived from it.
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

/// A SOAP array wrapper.
#[derive(Debug, Clone)]
pub struct List {
    /// The type of each item.
    pub item: TypeRef,
    /// The element each item is written in (`KeyValuePairOfstringstring`, `long`).
    pub item_element: String,
}

/// One field of a struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// Element name in XML and property name in JSON.
    pub wire: String,
    /// Other names accepted when reading JSON (Microsoft's `key`/`value` beside `Key`/`Value`).
    pub json_aliases: Vec<String>,
    /// JSON name when it differs from `wire`.
    pub json: Option<String>,
    /// The Rust field name, made from `wire` by the loader (`load::names`).
    pub rust: String,
    /// Its type.
    pub ty: TypeRef,
    /// The wire must carry it. A required field that is not `nillable` is a plain value; every other field is
    /// an `Option`.
    pub required: bool,
    /// The XSD allows `xsi:nil`: a required field's `None` is written as a nil element, where an optional
    /// field's is left out.
    pub nillable: bool,
    /// Field docs, from the schema.
    pub docs: String,
    /// Its documented limits.
    pub limits: Limits,
    /// Namespace of the declaring type, filled by the unions pass for inherited fields.
    pub xml_ns: Option<String>,
}

impl Field {
    /// The property name in JSON.
    pub fn json_name(&self) -> &str {
        self.json.as_deref().unwrap_or(&self.wire)
    }
}

/// A field's or an item's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// A named type of the same service.
    Named(String),
    /// A primitive.
    Prim(Prim),
    /// A JSON array of items (OpenAPI `array`); SOAP arrays are named `List` types.
    Array(Box<TypeRef>),
    /// A free-form JSON object.
    JsonObject,
}

impl TypeRef {
    /// The named type this is, or holds through arrays.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::Array(item) => item.named(),
            TypeRef::Prim(_) | TypeRef::JsonObject => None,
        }
    }
}

/// The primitive types schemas use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prim {
    /// Text.
    String,
    /// `true` or `false`.
    Bool,
    /// `xs:int`, OpenAPI `int32`.
    I32,
    /// `xs:long`, OpenAPI `int64`.
    I64,
    /// `xs:double`, OpenAPI `number`.
    F64,
    /// Exact decimal text, never a binary float.
    Decimal,
    /// Any JSON value.
    Json,
}

/// Documented limits, checked before a request is sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    /// Most items a list may hold.
    pub max_items: Option<u64>,
    /// Fewest items a list may hold.
    pub min_items: Option<u64>,
    /// Most characters a string may hold.
    pub max_length: Option<u64>,
    /// A regular expression the whole string must match.
    pub pattern: Option<String>,
    /// Smallest number allowed.
    pub minimum: Option<i64>,
    /// Largest number allowed.
    pub maximum: Option<i64>,
    /// Most properties a JSON object may hold.
    pub max_properties: Option<u64>,
}

impl Limits {
    /// Whether no limit is set.
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}
