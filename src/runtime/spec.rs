//! What generated code tells the runtime about a platform and an operation: plain data, read at run time.

use super::validate::Limits;

#[derive(Debug)]
pub struct ServiceSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub production: ServerSpec,
    pub sandbox: Option<ServerSpec>,
    pub credentials: &'static [CredentialSpec],
    pub rest: Option<RestSpec>,
    pub soap: Option<SoapSpec>,
    /// Names the tracking id: a response header, a SOAP header element and an error-body property.
    pub tracking_id: Option<&'static str>,
    /// Error codes that mean "slow down", as HTTP 429 does.
    pub throttling: Option<FaultCodesSpec>,
    /// Error codes that mean the credentials were refused, as HTTP 401 does.
    pub authentication: Option<FaultCodesSpec>,
    /// How many operations the platform has; each knows its place among them (`OperationSpec::index`).
    pub operations: usize,
}

/// Error codes that say one thing, found under `code_field` anywhere in the error body.
#[derive(Debug)]
pub struct FaultCodesSpec {
    pub code_field: &'static str,
    pub codes: &'static [i64],
}

/// A base URL template and the defaults of its `{variables}`.
#[derive(Debug)]
pub struct ServerSpec {
    pub url: &'static str,
    pub variables: &'static [(&'static str, &'static str)],
}

#[derive(Debug)]
pub struct CredentialSpec {
    pub name: &'static str,
    pub env: &'static str,
    pub secret: bool,
}

#[derive(Debug)]
pub struct RestSpec {
    pub base_path: &'static str,
    pub headers: &'static [HeaderSpec],
}

/// A header filled from a credential: `format` holds `{credential}`.
#[derive(Debug)]
pub struct HeaderSpec {
    pub name: &'static str,
    pub format: &'static str,
    pub credential: &'static str,
}

#[derive(Debug)]
pub struct SoapSpec {
    pub path: &'static str,
    pub namespace: &'static str,
    /// `(header element, credential)` in WSDL order.
    pub headers: &'static [(&'static str, &'static str)],
}

#[derive(Debug)]
pub struct OperationSpec {
    pub service: &'static ServiceSpec,
    /// Its place among the service's operations, which keys what a client keeps per operation.
    pub index: usize,
    pub id: &'static str,
    /// The kebab-case command word.
    pub cli: &'static str,
    /// What the operation does, from the schema: the command's help.
    pub docs: &'static str,
    pub rest: Option<RestOperationSpec>,
    pub soap: Option<SoapOperationSpec>,
    /// `false`: the platform marks the operation unavailable on its sandbox.
    pub sandbox: bool,
    /// Repeating the call is safe, so a failure with an unknown outcome (timeout, dropped connection, 502, 504)
    /// may be retried.
    pub idempotent: bool,
}

#[derive(Debug)]
pub struct RestOperationSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub path_params: &'static [ParamSpec],
}

#[derive(Debug)]
pub struct ParamSpec {
    pub name: &'static str,
    pub flag: &'static str,
    /// What the parameter identifies, from the schema: its option's help.
    pub docs: &'static str,
    pub limits: Limits,
}

#[derive(Debug)]
pub struct SoapOperationSpec {
    pub action: &'static str,
    pub response_element: &'static str,
}
