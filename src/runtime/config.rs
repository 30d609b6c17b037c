//! Client configuration: where to send, over which transport, with which limits and retries.

use std::time::Duration;

/// Which wire a platform with both SOAP and REST bindings uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// SOAP 1.1 envelopes over `POST`, as the platform's WSDL describes them.
    Soap,
    /// JSON over the HTTP methods and paths of the platform's REST reference.
    Rest,
}

/// Settings of one client. Per-call settings sit in [`CallConfig`], which a client can override for a call.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Send to the platform's documented sandbox host instead of production.
    pub sandbox: bool,
    /// Replaces scheme, host and port of the base URL, keeping the documented path (proxies, loopback tests).
    /// Plain `http` is accepted only for loopback addresses, and a loopback endpoint is reached directly, never
    /// through a proxy the environment names (`HTTPS_PROXY`, `ALL_PROXY`), which other calls follow.
    pub endpoint: Option<String>,
    /// `None`: SOAP where the operation has a SOAP binding, else REST.
    pub transport: Option<Transport>,
    /// Values for the server URL's `{variables}` (Batch: `version`), replacing the schema's defaults.
    pub server_variables: Vec<(String, String)>,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// PEM certificates (one or more each) trusted as roots besides the system's: a TLS-inspecting proxy's
    /// authority, or a test server's.
    pub root_certificates: Vec<String>,
    /// Timeouts, retries and the response size limit of every call, unless a call overrides them.
    pub call: CallConfig,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            sandbox: false,
            endpoint: None,
            transport: None,
            server_variables: Vec::new(),
            connect_timeout: Duration::from_secs(10),
            root_certificates: Vec::new(),
            call: CallConfig::default(),
        }
    }
}

/// What one call may spend: time, attempts and memory.
#[derive(Debug, Clone)]
pub struct CallConfig {
    /// How many attempts a call makes and how long it waits between them.
    pub retry: RetryConfig,
    /// Time allowed for one attempt: sending the request and reading the whole response.
    pub attempt_timeout: Duration,
    /// Time allowed for the whole call: every attempt and every wait between them. A retry whose wait would
    /// end past it is not made, and the last error is returned.
    pub call_timeout: Duration,
    /// Responses larger than this are an error; nothing past it is read.
    pub max_response_bytes: usize,
}

impl Default for CallConfig {
    fn default() -> Self {
        CallConfig {
            retry: RetryConfig::default(),
            attempt_timeout: Duration::from_secs(60),
            call_timeout: Duration::from_secs(180),
            max_response_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Retries with capped exponential backoff and full jitter, as in the AWS SDKs' standard mode: before retry
/// `n` (from 1) the call waits a uniformly random time below `min(max_backoff, initial_backoff * 2^(n-1))`,
/// or exactly what the server's `Retry-After` asks.
#[derive(Debug, Clone)]
pub struct RetryConfig {
    /// Attempts in all, the first included; 1 sends once and never retries.
    pub max_attempts: u32,
    /// The ceiling of the first wait; each later retry doubles it.
    pub initial_backoff: Duration,
    /// No wait's ceiling grows past this.
    pub max_backoff: Duration,
}

impl RetryConfig {
    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        }
    }

    /// The jittered wait before retry number `retry` (1 for the first retry).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        ceiling.mul_f64(fastrand::f64())
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_a_uniform_draw_below_a_doubling_capped_ceiling() {
        let retry = RetryConfig {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
        };
        for (n, ceiling) in [(1, 100), (2, 200), (3, 350), (9, 350), (40, 350)] {
            let draws: Vec<Duration> = (0..2000).map(|_| retry.backoff(n)).collect();
            let ceiling = Duration::from_millis(ceiling);
            assert!(
                draws.iter().all(|d| *d <= ceiling),
                "retry {n} above {ceiling:?}"
            );
            // Full jitter spreads over the whole range, not a band near the ceiling.
            assert!(
                draws.iter().any(|d| *d < ceiling / 4),
                "retry {n}: no short waits"
            );
            assert!(
                draws.iter().any(|d| *d > ceiling * 3 / 4),
                "retry {n}: no long waits"
            );
        }
    }
}
