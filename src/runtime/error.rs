//! Errors: one typed enum per call, keeping the platform's own codes, messages and tracking ids.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::core::Fault;
use super::secret::{ECHO_MIN_CHARS, Secret, redact};
use super::spec::FaultCodesSpec;
use super::validate::Invalid;

/// A client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A credential's environment variable, named here, is unset, empty or not Unicode.
    #[error("missing credential: set the environment variable {0}")]
    MissingCredential(String),
    /// `ClientConfig::endpoint` is not a URL the client will send to.
    #[error("invalid endpoint `{endpoint}`: {reason}")]
    InvalidEndpoint {
        /// The endpoint as configured.
        endpoint: String,
        /// What is wrong with it.
        reason: String,
    },
    /// reqwest refused the settings, a root certificate is not PEM, or the schema's server URL does not parse.
    #[error("the HTTP client could not be built: {0}")]
    Http(String),
    /// A server variable the server does not declare, or a value that would change the URL's path, query or
    /// fragment.
    #[error("invalid server variable `{name}`: {reason}")]
    InvalidServerVariable {
        /// The variable as configured.
        name: String,
        /// What is wrong with it or its value.
        reason: String,
    },
}

/// What can go wrong in a call. `F` is the platform's error body (`batch::Error`, `pinterest::Error`,
/// `microsoft::ApplicationFault`).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<F> {
    /// The request breaks a documented limit or names an unknown value; nothing was sent.
    InvalidRequest(Invalid),
    /// The operation cannot be sent as configured (no sandbox for it, no such transport); nothing was sent.
    Unavailable(String),
    /// The request could not be sent or the response not received.
    Transport(String),
    /// No complete response within the configured time.
    Timeout(String),
    /// The platform answered with an error.
    Api {
        /// The HTTP status.
        status: u16,
        /// The platform's tracking id, from the response header or the error body, when it gave one.
        tracking_id: Option<String>,
        /// The platform's error body, decoded.
        fault: F,
    },
    /// The response could not be decoded; the status and the start of the body are kept.
    Decode {
        /// The HTTP status.
        status: u16,
        /// What was expected and where in the body it was not found.
        reason: String,
        /// The start of the body as it arrived; a secret credential of the client's that the server echoed is
        /// `<redacted>`.
        excerpt: String,
    },
}

impl<F: Serialize + DeserializeOwned> Error<F> {
    /// The same error with `secrets` blanked out of what it took from the response, for a server that echoes a
    /// credential back. A fault is rebuilt from its redacted JSON only when it holds one; if that JSON no longer
    /// reads as the fault, the error becomes [`Error::Decode`] with the redacted text, rather than keep the
    /// credential.
    pub(crate) fn redacted(self, secrets: &[&Secret]) -> Self {
        let clean = |text: String| match redact(&text, secrets.iter().copied(), ECHO_MIN_CHARS) {
            Cow::Borrowed(_) => text,
            Cow::Owned(redacted) => redacted,
        };
        match self {
            Error::Decode {
                status,
                reason,
                excerpt,
            } => Error::Decode {
                status,
                reason: clean(reason),
                excerpt: clean(excerpt),
            },
            Error::Api {
                status,
                tracking_id,
                fault,
            } => {
                let tracking_id = tracking_id.map(clean);
                let json = serde_json::to_string(&fault).unwrap_or_default();
                let redacted = match redact(&json, secrets.iter().copied(), ECHO_MIN_CHARS) {
                    Cow::Borrowed(_) => {
                        return Error::Api {
                            status,
                            tracking_id,
                            fault,
                        };
                    }
                    Cow::Owned(redacted) => redacted,
                };
                match serde_json::from_str(&redacted) {
                    Ok(fault) => Error::Api {
                        status,
                        tracking_id,
                        fault,
                    },
                    // The credential sat where `<redacted>` cannot stand (a number): the fault cannot be
                    // rebuilt without it, so only its redacted text is kept.
                    Err(_) => Error::Decode {
                        status,
                        reason:
                            "the platform's error held a credential of this client where its text \
                                 could not be blanked out and still be read as the documented fault"
                                .into(),
                        excerpt: excerpt(redacted.as_bytes()),
                    },
                }
            }
            other => other,
        }
    }
}

impl<F: Fault> Error<F> {
    /// Whether the platform turned the call away for its rate: HTTP 429 or 503, or a fault that carries one of
    /// the throttling codes its schema names (Microsoft's 117 `CallRateExceeded`, Pinterest's 8). The platform
    /// did not act on such a call, and the client has already retried it as its `RetryConfig` allows; an
    /// application may wait longer and send it again.
    pub fn is_throttling(&self) -> bool {
        self.says(&[429, 503], F::SERVICE.throttling.as_ref())
    }

    /// Whether the platform refused the credentials: HTTP 401, or a fault that carries one of the authentication
    /// codes its schema names (Microsoft's 105 `InvalidCredentials` and 109 `AuthenticationTokenExpired`, which
    /// come in SOAP faults under HTTP 500). Such a call is never retried; an application whose access token has
    /// expired refreshes it and sends the call again through `client.with_credentials(...)`.
    pub fn is_authentication_failure(&self) -> bool {
        self.says(&[401], F::SERVICE.authentication.as_ref())
    }

    /// Whether the response had one of `statuses`, or its fault carries one of `codes`.
    fn says(&self, statuses: &[u16], codes: Option<&FaultCodesSpec>) -> bool {
        match self {
            Error::Api { status, fault, .. } => {
                statuses.contains(status) || codes.is_some_and(|c| carries(fault, c))
            }
            Error::Decode { status, .. } => statuses.contains(status),
            _ => false,
        }
    }
}

/// Whether one of the spec's codes sits under its code field anywhere in the error body.
fn carries<F: Fault>(fault: &F, spec: &FaultCodesSpec) -> bool {
    fn find(value: &serde_json::Value, spec: &FaultCodesSpec) -> bool {
        match value {
            serde_json::Value::Object(map) => map.iter().any(|(key, v)| {
                (key == spec.code_field && v.as_i64().is_some_and(|c| spec.codes.contains(&c)))
                    || find(v, spec)
            }),
            serde_json::Value::Array(items) => items.iter().any(|v| find(v, spec)),
            _ => false,
        }
    }
    serde_json::to_value(fault).is_ok_and(|v| find(&v, spec))
}

impl<F> Error<F> {
    /// A body that is not what the platform documents: the status and the start of the body are kept.
    pub(crate) fn undecodable(status: u16, reason: String, body: &[u8]) -> Self {
        Error::Decode {
            status,
            reason,
            excerpt: excerpt(body),
        }
    }

    /// The HTTP status, for errors that got a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether nothing reached the network because the request was refused before sending.
    pub fn is_refused_before_sending(&self) -> bool {
        matches!(self, Error::InvalidRequest(_) | Error::Unavailable(_))
    }
}

impl<F: Serialize> fmt::Display for Error<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(invalid) => write!(f, "invalid request, nothing sent: {invalid}"),
            Error::Unavailable(why) => write!(f, "not sent: {why}"),
            Error::Transport(why) => write!(f, "transport error: {why}"),
            Error::Timeout(why) => write!(f, "timed out: {why}"),
            Error::Api {
                status,
                tracking_id,
                fault,
            } => {
                let body =
                    serde_json::to_string(fault).unwrap_or_else(|e| format!("<unprintable: {e}>"));
                write!(f, "API error: HTTP {status}")?;
                if let Some(id) = tracking_id {
                    write!(f, ", tracking id {id}")?;
                }
                write!(f, ": {body}")
            }
            Error::Decode {
                status,
                reason,
                excerpt,
            } => {
                write!(
                    f,
                    "undecodable response (HTTP {status}): {reason}; body starts: {excerpt:?}"
                )
            }
        }
    }
}

impl<F: Serialize + fmt::Debug> std::error::Error for Error<F> {}

/// At most this many characters of an undecodable body are kept.
pub const EXCERPT_CHARS: usize = 512;

pub fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .take(EXCERPT_CHARS)
        .collect()
}

/// `error` and each error under it. An `io::Error` that carries another hides it from `source` (which goes to
/// the carried error's own source), and TLS failures travel that way, so the walk steps into what it carries.
pub(crate) fn causes<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(error), |e| {
        match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(carried) => Some(carried as &(dyn std::error::Error + 'static)),
            None => e.source(),
        }
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Fault {
        message: String,
        account: u64,
    }

    fn api(fault: Fault) -> Error<Fault> {
        Error::Api {
            status: 400,
            tracking_id: Some("t-1".into()),
            fault,
        }
    }

    #[test]
    fn a_fault_echoing_a_credential_keeps_its_fields_or_becomes_text_without_it() {
        let secret = Secret::new("123456789012");
        // In a string: the fault is rebuilt with the credential blanked out.
        let in_text = api(Fault {
            message: "token 123456789012 refused".into(),
            account: 7,
        })
        .redacted(&[&secret]);
        match in_text {
            Error::Api { fault, .. } => assert_eq!(
                fault,
                Fault {
                    message: "token <redacted> refused".into(),
                    account: 7
                }
            ),
            other => panic!("expected the fault, got {other:?}"),
        }
        // As a number, where `<redacted>` cannot stand: only the redacted text is kept.
        let in_number = api(Fault {
            message: "refused".into(),
            account: 123456789012,
        })
        .redacted(&[&secret]);
        let shown = format!("{in_number:?}");
        assert!(!shown.contains("123456789012"), "{shown}");
        match in_number {
            Error::Decode {
                status, excerpt, ..
            } => {
                assert_eq!(status, 400);
                assert_eq!(excerpt, r#"{"message":"refused","account":<redacted>}"#);
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        // Without the credential, the fault is kept as it is.
        let clean = api(Fault {
            message: "refused".into(),
            account: 7,
        })
        .redacted(&[&secret]);
        assert!(matches!(clean, Error::Api { fault, .. } if fault.account == 7));
    }
}
