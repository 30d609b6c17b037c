//! Client configuration: where to send, over which transport, with which limits.

use std::time::Duration;

/// Which wire a platform with both SOAP and REST bindings uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Soap,
    Rest,
}

/// Settings shared by every call of one client.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Send to the platform's documented sandbox host instead of production.
    pub sandbox: bool,
    /// Replaces scheme, host and port of the base URL, keeping the documented path (proxies, loopback tests).
    /// Plain `http` is accepted only for loopback addresses.
    pub endpoint: Option<String>,
    /// `None`: SOAP where the operation has a SOAP binding, else REST.
    pub transport: Option<Transport>,
    /// Values for the server URL's `{variables}` (Batch: `version`), replacing the schema's defaults.
    pub server_variables: Vec<(String, String)>,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for one whole request and response.
    pub timeout: Duration,
    /// Responses larger than this are an error; nothing past it is read.
    pub max_response_bytes: usize,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            sandbox: false,
            endpoint: None,
            transport: None,
            server_variables: Vec::new(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_response_bytes: 16 * 1024 * 1024,
        }
    }
}
