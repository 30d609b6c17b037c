//! A request as it will go on the wire, printable with its secrets redacted.

use std::borrow::Cow;
use std::fmt;

use super::secret::{Secret, redact};

/// One header; secret values print as `<redacted>`.
#[derive(Debug, Clone)]
pub struct PreparedHeader {
    /// The header's name, as the platform spells it.
    pub name: Cow<'static, str>,
    /// Its value; read it with [`Secret::expose`].
    pub value: Secret,
    /// Whether the value is a credential: printed as `<redacted>` and marked sensitive for the HTTP client.
    pub secret: bool,
}

/// Exactly what a call sends: method, URL, headers and body bytes. `Debug` and `Display` redact secrets.
#[derive(Clone)]
pub struct PreparedRequest {
    /// The HTTP method (`POST`, `PATCH`).
    pub method: Cow<'static, str>,
    /// The whole URL, path parameters filled in; `Display` and `as_str` give it as text.
    pub url: url::Url,
    /// Every header the client sends besides those reqwest adds (`Content-Length`, `User-Agent`).
    pub headers: Vec<PreparedHeader>,
    /// The body's bytes: JSON, or a SOAP envelope.
    pub body: Vec<u8>,
    /// Secret values the body carries (SOAP header elements), redacted when the request is printed.
    pub body_secrets: Vec<Secret>,
}

impl PreparedRequest {
    /// The value of a header, for tests and tools; secret values too, so never log it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.expose())
    }

    /// The body as text, with the secrets it carries replaced by `<redacted>`.
    fn redacted_body(&self) -> String {
        // The request is known to carry these, whatever their length.
        redact(&String::from_utf8_lossy(&self.body), &self.body_secrets, 1).into_owned()
    }

    fn header_lines(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().map(|h| {
            let value = if h.secret {
                "<redacted>"
            } else {
                h.value.expose()
            };
            (h.name.as_ref(), value)
        })
    }
}

/// `METHOD URL`, one `name: value` line per header, an empty line, then the body.
impl fmt::Display for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.url)?;
        for (name, value) in self.header_lines() {
            writeln!(f, "{name}: {value}")?;
        }
        writeln!(f)?;
        f.write_str(&self.redacted_body())
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("headers", &self.header_lines().collect::<Vec<_>>())
            .field("body", &self.redacted_body())
            .finish()
    }
}
