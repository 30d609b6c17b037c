//! Which failures are worth another attempt, and how long the server asked us to wait.

use std::time::{Duration, SystemTime};

use super::core::Fault;
use super::error::Error;
use super::spec::OperationSpec;

/// A failed attempt, with what the retry decision needs besides the error.
pub(crate) struct Failed<F> {
    pub error: Error<F>,
    /// The response's `Retry-After`, when it had a valid one.
    pub retry_after: Option<Duration>,
    /// The request certainly never reached the server (the connection could not be opened).
    pub not_sent: bool,
    /// Another attempt would fail the same way: the TLS handshake refused the server (see [`tls_refused`]).
    pub hopeless: bool,
}

impl<F> From<Error<F>> for Failed<F> {
    fn from(error: Error<F>) -> Self {
        Failed {
            error,
            retry_after: None,
            not_sent: false,
            hopeless: false,
        }
    }
}

/// Throttling (429, 503 and the platform's throttling codes) and unsent requests are always retried: the
/// platform did not act. Failures with an unknown outcome (timeouts, dropped connections, 502, 504) are retried
/// only for operations that are safe to repeat. Nothing else is: not other 4xx, not authentication failures,
/// not validation faults.
pub(crate) fn retryable<F: Fault>(failed: &Failed<F>, op: &OperationSpec) -> bool {
    let unknown_outcome = op.idempotent;
    match &failed.error {
        Error::Transport(_) => !failed.hopeless && (failed.not_sent || unknown_outcome),
        Error::Timeout(_) => unknown_outcome,
        Error::Api { status, .. } | Error::Decode { status, .. } => {
            failed.error.is_throttling() || (unknown_outcome && matches!(status, 502 | 504))
        }
        Error::InvalidRequest(_) | Error::Unavailable(_) => false,
    }
}

/// Whether `error` holds a TLS failure another attempt would meet again: a certificate no trusted authority
/// vouches for (or expired, or for another name), or no protocol version or cipher both sides have.
pub(crate) fn tls_refused(error: &(dyn std::error::Error + 'static)) -> bool {
    super::error::causes(error)
        .find_map(|e| e.downcast_ref::<rustls::Error>())
        .is_some_and(|tls| {
            matches!(
                tls,
                rustls::Error::InvalidCertificate(_)
                    | rustls::Error::PeerIncompatible(_)
                    | rustls::Error::NoCertificatesPresented
                    | rustls::Error::UnsupportedNameType
            )
        })
}

/// `Retry-After` as delay-seconds or an HTTP date; a date in the past means now.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::spec::{FaultCodesSpec, ServerSpec, ServiceSpec};

    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    struct TestFault {
        code: i64,
    }

    impl Fault for TestFault {
        const SERVICE: &'static ServiceSpec = &SERVICE;
    }

    static SERVICE: ServiceSpec = ServiceSpec {
        name: "test",
        title: "Test",
        production: ServerSpec {
            url: "https://example.invalid",
            variables: &[],
        },
        sandbox: None,
        credentials: &[],
        rest: None,
        soap: None,
        tracking_id: None,
        throttling: Some(FaultCodesSpec {
            code_field: "code",
            codes: &[8],
        }),
        authentication: None,
        operations: 1,
    };

    fn op(idempotent: bool) -> OperationSpec {
        OperationSpec {
            service: &SERVICE,
            index: 0,
            id: "op",
            cli: "op",
            docs: "",
            rest: None,
            soap: None,
            sandbox: true,
            idempotent,
        }
    }

    fn api(status: u16, code: i64) -> Failed<TestFault> {
        Failed::from(Error::Api {
            status,
            tracking_id: None,
            fault: TestFault { code },
        })
    }

    #[test]
    fn unknown_outcomes_are_retried_only_for_operations_safe_to_repeat() {
        let timeout = || Failed::<TestFault>::from(Error::Timeout("t".into()));
        let dropped = || Failed::<TestFault>::from(Error::Transport("reset".into()));
        let unsent = || Failed::<TestFault> {
            not_sent: true,
            ..Failed::from(Error::Transport("refused".into()))
        };
        for (idempotent, expected) in [(true, true), (false, false)] {
            let op = op(idempotent);
            assert_eq!(retryable(&timeout(), &op), expected, "timeout");
            assert_eq!(retryable(&dropped(), &op), expected, "dropped connection");
            assert_eq!(retryable(&api(502, 0), &op), expected, "502");
            assert_eq!(retryable(&api(504, 0), &op), expected, "504");
            // The platform did not act: always worth another attempt.
            assert!(retryable(&unsent(), &op), "connection refused");
            assert!(retryable(&api(429, 0), &op), "429");
            assert!(retryable(&api(503, 0), &op), "503");
            assert!(retryable(&api(400, 8), &op), "throttling code under 400");
            for throttled in [api(429, 0), api(503, 0), api(400, 8)] {
                assert!(throttled.error.is_throttling(), "{:?}", throttled.error);
            }
            for other in [api(400, 1), api(500, 1), api(502, 7), timeout()] {
                assert!(!other.error.is_throttling(), "{:?}", other.error);
            }
            // Never: other client errors, authentication, server faults that are not throttling.
            for status in [400, 401, 403, 404, 500] {
                assert!(!retryable(&api(status, 1), &op), "{status}");
            }
            let invalid = Failed::<TestFault>::from(Error::InvalidRequest(
                crate::runtime::Invalid::new("", "bad"),
            ));
            assert!(!retryable(&invalid, &op));
        }
    }

    #[test]
    fn a_refused_server_certificate_is_never_retried() {
        // As hyper's connector hands it over: an io::Error carrying tokio-rustls's, carrying rustls's.
        let refused = std::io::Error::other(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        ));
        assert!(tls_refused(&refused));
        let reset = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
        assert!(!tls_refused(&reset));
        let alert = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::AlertReceived(rustls::AlertDescription::InternalError),
        );
        assert!(!tls_refused(&alert), "a server's own failure may pass");
        let hopeless = Failed::<TestFault> {
            not_sent: true,
            hopeless: true,
            ..Failed::from(Error::Transport("invalid peer certificate".into()))
        };
        assert!(!retryable(&hopeless, &op(true)));
    }

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let wait = parse_retry_after(&later).expect("a date parses");
        assert!(
            wait > Duration::from_secs(110) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }
}
