//! The one HTTP path every generated operation goes through: check, build, send, decode.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::config::{CallConfig, ClientConfig, Transport};
use super::decode::decode_response;
use super::error::{BuildError, Error};
use super::headers::{credential, plain, rest_headers, wire_headers};
use super::json::Encode;
use super::request::{PreparedHeader, PreparedRequest};
use super::response::Response;
use super::retry::{Failed, retryable};
use super::secret::Secret;
use super::soap;
use super::spec::{OperationSpec, ServiceSpec};
use super::urls::{at_path, base_url, check_endpoint, fill_path};
use super::validate::{Invalid, Validate};

/// The platform's error body, decodable from JSON and, for SOAP services, from a fault's detail.
pub trait Fault: Serialize + DeserializeOwned + fmt::Debug + Send + Sync + 'static {
    /// The platform the fault comes from, whose schema names its throttling codes.
    const SERVICE: &'static ServiceSpec;

    /// The fault from a SOAP fault's `detail` element; `None` when the detail is not this platform's.
    fn from_soap_detail(
        _reader: &mut soap::Reader<'_>,
        _detail: &soap::Start<'_>,
    ) -> Option<Result<Self, soap::DecodeError>> {
        None
    }
}

/// Generated for each operation: its types and its wire binding.
pub trait Operation {
    /// The request body's type.
    type Request: Validate + Encode + Serialize + DeserializeOwned + Send + Sync;
    /// The decoded body of a successful response.
    type Response: DeserializeOwned + Serialize + Send;
    /// The platform's error body.
    type Fault: Fault;
    /// Name, HTTP method and path, SOAP action, and the platform the operation belongs to.
    const SPEC: &'static OperationSpec;

    /// Namespace prefixes a SOAP request binds besides the service namespace.
    fn soap_prefixes() -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// Writes the request's SOAP body element.
    fn encode_soap(_request: &Self::Request, _writer: &mut soap::Writer) {}

    /// Reads the response from the SOAP body's first element.
    fn decode_soap(
        _reader: &mut soap::Reader<'_>,
        _body: &soap::Start<'_>,
    ) -> Result<Self::Response, soap::DecodeError> {
        Err(soap::DecodeError::new("this operation has no SOAP binding"))
    }
}

/// Shared by all clones of one generated client; `call` may differ between clones.
#[derive(Clone)]
pub struct Core {
    inner: Arc<Inner>,
    call: CallConfig,
}

struct Inner {
    spec: &'static ServiceSpec,
    http: reqwest::Client,
    config: ClientConfig,
    credentials: Vec<(&'static str, Secret)>,
    /// The configured server's URL with its variables filled and the endpoint override applied, parsed once:
    /// a call sets only its path, where parsing the whole URL (its host above all) would cost every call as much
    /// as writing a body of a few ids. `None` when the sandbox was asked for and the platform has none.
    base: Option<url::Url>,
    /// Per operation, by `OperationSpec::index`: the URL of one whose path has no parameters, made on its first
    /// call and cloned for the next, which then parse nothing.
    urls: Box<[OnceLock<url::Url>]>,
    /// The headers every REST request of this client carries, credentials filled in once, and the same in
    /// reqwest's form, or why they are not valid HTTP (a credential with a line break), which each REST call
    /// then reports without sending.
    rest_headers: Vec<PreparedHeader>,
    rest_wire: Result<reqwest::header::HeaderMap, Invalid>,
    /// The length of the last request body this client wrote. The next one starts with that much room, so
    /// bodies of a usual size are written without growing, which copies all written so far each time.
    last_body: AtomicUsize,
}

impl Inner {
    /// What a client keeps besides its connections (`http`, which clones share): the credentials, and what is
    /// made of them once.
    fn new(
        spec: &'static ServiceSpec,
        http: reqwest::Client,
        config: ClientConfig,
        base: Option<url::Url>,
        credentials: Vec<(&'static str, Secret)>,
    ) -> Self {
        let rest_headers = rest_headers(spec, &credentials);
        let rest_wire = wire_headers(&rest_headers);
        Inner {
            spec,
            http,
            config,
            credentials,
            base,
            urls: (0..spec.operations).map(|_| OnceLock::new()).collect(),
            rest_headers,
            rest_wire,
            last_body: AtomicUsize::new(0),
        }
    }
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("platform", &self.inner.spec.name)
            .field("config", &self.inner.config)
            .field("call", &self.call)
            .field("credentials", &self.inner.credentials)
            .finish()
    }
}

impl Core {
    pub fn new(
        spec: &'static ServiceSpec,
        credentials: Vec<(&'static str, Secret)>,
        config: ClientConfig,
    ) -> Result<Self, BuildError> {
        let loopback = match &config.endpoint {
            Some(endpoint) => check_endpoint(endpoint)?,
            None => false,
        };
        let mut roots = Vec::new();
        for pem in &config.root_certificates {
            match reqwest::Certificate::from_pem_bundle(pem.as_bytes()) {
                Ok(certificates) if !certificates.is_empty() => roots.extend(certificates),
                Ok(_) => {
                    return Err(BuildError::Http(
                        "a root certificate holds no PEM certificate".into(),
                    ));
                }
                Err(e) => {
                    return Err(BuildError::Http(format!(
                        "a root certificate is not PEM: {e}"
                    )));
                }
            }
        }
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            // The usual attempt timeout, set once: a per-request timeout costs every call allocations.
            .timeout(config.call.attempt_timeout)
            .user_agent(concat!("marketing-apis/", env!("CARGO_PKG_VERSION")))
            // No platform documents a redirect. Following one would carry the credentials reqwest does not
            // know for secret (Microsoft's `DeveloperToken` header, a SOAP body's tokens) to the address it
            // names, and turn a POST into a GET; a redirect is an error that says where it pointed.
            .redirect(reqwest::redirect::Policy::none())
            .tls_certs_merge(roots);
        // A loopback endpoint is this machine (a test server, a local sidecar): a proxy from the environment
        // would carry its calls, credentials included, somewhere else.
        let http = if loopback { http.no_proxy() } else { http };
        let http = http.build().map_err(|e| BuildError::Http(e.to_string()))?;
        let server = if config.sandbox {
            spec.sandbox.as_ref()
        } else {
            Some(&spec.production)
        };
        let base = server.map(|s| base_url(s, &config)).transpose()?;
        Ok(Core {
            call: config.call.clone(),
            inner: Arc::new(Inner::new(spec, http, config, base, credentials)),
        })
    }

    /// The same client, sharing its connections and call settings, with other credentials.
    pub fn with_credentials(&self, credentials: Vec<(&'static str, Secret)>) -> Self {
        let inner = &self.inner;
        Core {
            call: self.call.clone(),
            inner: Arc::new(Inner::new(
                inner.spec,
                inner.http.clone(),
                inner.config.clone(),
                inner.base.clone(),
                credentials,
            )),
        }
    }

    /// The same client, sharing its connections, with the call settings `adjust` makes.
    pub fn with_call_config(&self, adjust: impl FnOnce(&mut CallConfig)) -> Self {
        let mut call = self.call.clone();
        adjust(&mut call);
        Core {
            inner: self.inner.clone(),
            call,
        }
    }

    /// A client for a platform from its environment variables; `placeholders` fills missing ones for dry runs.
    pub fn from_env(
        spec: &'static ServiceSpec,
        config: ClientConfig,
        placeholders: bool,
    ) -> Result<Self, BuildError> {
        let mut credentials = Vec::new();
        for c in spec.credentials {
            let value = match super::secret::env_var(c.env) {
                Ok(v) => Secret::new(v),
                Err(_) if placeholders => Secret::new(format!("<unset: {}>", c.env)),
                Err(e) => return Err(e),
            };
            credentials.push((c.name, value));
        }
        Core::new(spec, credentials, config)
    }

    /// Checks and builds the request without sending it.
    pub fn prepare<O: Operation>(
        &self,
        path_params: &[&str],
        request: &O::Request,
    ) -> Result<PreparedRequest, Error<O::Fault>> {
        let (mut prepared, own_headers) = self.build::<O>(path_params, request)?;
        if own_headers {
            prepared.headers.clone_from(&self.inner.rest_headers);
        }
        Ok(prepared)
    }

    /// Checks and builds the request. A REST request is left without the client's own headers, and says so:
    /// a call sends them in the reqwest form the client keeps, so it never copies them (nor touches the shared
    /// credentials they hold, which both cores would otherwise pass back and forth on every call).
    fn build<O: Operation>(
        &self,
        path_params: &[&str],
        request: &O::Request,
    ) -> Result<(PreparedRequest, bool), Error<O::Fault>> {
        let op = O::SPEC;
        request
            .validate()
            .map_err(|invalid| Error::InvalidRequest(*invalid))?;
        let inner = &self.inner;
        let base = self.base(op)?;
        let transport = self.transport(op)?;
        let mut headers = Vec::new();
        let mut body_secrets = Vec::new();
        let last = inner.last_body.load(Ordering::Relaxed);
        let room = last.max(256);
        let (method, url, body) = match transport {
            Transport::Rest => {
                let (rest, rest_op) = match (&inner.spec.rest, &op.rest) {
                    (Some(r), Some(o)) => (r, o),
                    _ => return Err(Error::Unavailable(format!("{} has no REST binding", op.id))),
                };
                let path = fill_path(rest_op.path, rest_op.path_params, path_params)
                    .map_err(Error::InvalidRequest)?;
                if let Err(invalid) = &inner.rest_wire {
                    return Err(Error::InvalidRequest(invalid.clone()));
                }
                let mut body = Vec::with_capacity(room);
                request.encode(&mut body);
                let fixed = rest_op.path_params.is_empty();
                let url = self.url(op, fixed, || at_path(base, &[rest.base_path, &path]));
                (rest_op.method.into(), url, body)
            }
            Transport::Soap => {
                let (soap_spec, soap_op) = match (&inner.spec.soap, &op.soap) {
                    (Some(s), Some(o)) => (s, o),
                    _ => return Err(Error::Unavailable(format!("{} has no SOAP binding", op.id))),
                };
                let mut values = Vec::new();
                for (element, name) in soap_spec.headers {
                    let (value, secret) = credential(inner.spec, &inner.credentials, name);
                    if secret {
                        body_secrets.push(value.clone());
                    }
                    values.push((*element, value.expose()));
                }
                let mut writer = soap::Writer::new(soap_spec.namespace, O::soap_prefixes(), room);
                soap::write_envelope(&mut writer, soap_spec.namespace, &values, |w| {
                    O::encode_soap(request, w)
                });
                headers.push(plain("Content-Type", "text/xml; charset=utf-8".into()));
                headers.push(plain("SOAPAction", format!("\"{}\"", soap_op.action)));
                (
                    "POST".into(),
                    self.url(op, true, || at_path(base, &[soap_spec.path])),
                    writer.into_string().into_bytes(),
                )
            }
        };
        // Written only when it changes: calls on other threads read this line of the client too.
        if body.len() != last {
            inner.last_body.store(body.len(), Ordering::Relaxed);
        }
        let own_headers = matches!(transport, Transport::Rest);
        Ok((
            PreparedRequest {
                method,
                url,
                headers,
                body,
                body_secrets,
            },
            own_headers,
        ))
    }

    /// Checks, builds, sends and decodes one call.
    pub async fn call<O: Operation>(
        &self,
        path_params: &[&str],
        request: &O::Request,
    ) -> Result<Response<O::Response>, Error<O::Fault>> {
        let (prepared, own_headers) = self.build::<O>(path_params, request)?;
        self.send_with::<O>(prepared, own_headers).await
    }

    /// Sends a request `prepare` built, retrying as the call's [`RetryConfig`](super::RetryConfig) allows,
    /// and decodes the answer.
    pub async fn send<O: Operation>(
        &self,
        prepared: PreparedRequest,
    ) -> Result<Response<O::Response>, Error<O::Fault>> {
        self.send_with::<O>(prepared, false).await
    }

    /// `send`, for a request that carries the client's own REST headers in place of its `headers` when
    /// `own_headers` is set.
    async fn send_with<O: Operation>(
        &self,
        prepared: PreparedRequest,
        own_headers: bool,
    ) -> Result<Response<O::Response>, Error<O::Fault>> {
        let method = reqwest::Method::from_bytes(prepared.method.as_bytes())
            .map_err(|e| Error::Unavailable(format!("HTTP method {}: {e}", prepared.method)))?;
        let is_soap = prepared.headers.iter().any(|h| h.name == "SOAPAction");
        let body = bytes::Bytes::from(prepared.body);
        let config = &self.call;
        let deadline = Instant::now() + config.call_timeout;
        let mut attempt = 1;
        loop {
            let budget = config
                .attempt_timeout
                .min(deadline.saturating_duration_since(Instant::now()));
            tracing::debug!(platform = self.inner.spec.name, operation = O::SPEC.id, %method, url = %prepared.url, attempt, "sending");
            // reqwest's own timeout covers connecting, sending and reading the whole body. The client already
            // applies the attempt timeout it was built with; only a different budget is set on the request.
            let mut request = self
                .inner
                .http
                .request(method.clone(), prepared.url.clone());
            if budget != self.inner.config.call.attempt_timeout {
                request = request.timeout(budget);
            }
            let request = request
                .headers(match &self.inner.rest_wire {
                    Ok(wire) if own_headers => wire.clone(),
                    _ => self.wire_headers(&prepared.headers)?,
                })
                .body(body.clone());
            let mut failed = match self.attempt::<O>(request, is_soap).await {
                Ok(mut response) => {
                    response.set_attempts(attempt);
                    return Ok(response);
                }
                Err(failed) => failed,
            };
            // reqwest says only that time ran out; say which limit it was.
            if let Error::Timeout(why) = &mut failed.error {
                let limit = if budget < config.attempt_timeout {
                    format!(
                        "before the call timeout of {} ran out",
                        human(config.call_timeout)
                    )
                } else {
                    format!(
                        "within the attempt timeout of {}",
                        human(config.attempt_timeout)
                    )
                };
                *why = format!("attempt {attempt} got no complete response {limit}: {why}");
            }
            let give_up = attempt >= config.retry.max_attempts || !retryable(&failed, O::SPEC);
            // After the decision, which reads the fault as the platform sent it; before anything shows it.
            failed.error = failed.error.redacted(&self.secrets());
            if give_up {
                return Err(failed.error);
            }
            let wait = failed
                .retry_after
                .unwrap_or_else(|| config.retry.backoff(attempt));
            if Instant::now() + wait >= deadline {
                tracing::warn!(
                    platform = self.inner.spec.name,
                    operation = O::SPEC.id,
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "no retry: the wait would pass the call timeout"
                );
                return Err(failed.error);
            }
            tracing::warn!(platform = self.inner.spec.name, operation = O::SPEC.id, attempt, wait_ms = wait.as_millis() as u64, error = %failed.error, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One request and its whole response, with the body cap applied.
    async fn attempt<O: Operation>(
        &self,
        request: reqwest::RequestBuilder,
        is_soap: bool,
    ) -> Result<Response<O::Response>, Failed<O::Fault>> {
        let mut response = request.send().await.map_err(|e| Failed {
            not_sent: e.is_connect(),
            hopeless: super::retry::tls_refused(&e),
            ..Failed::from(transport_error(e))
        })?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let tracking_id = self.inner.spec.tracking_id.and_then(header);
        // The wait a server asks for matters only to a call that failed; a success is not made to look for it.
        let retry_after = if (200..300).contains(&status) {
            None
        } else {
            header("Retry-After")
                .as_deref()
                .and_then(super::retry::parse_retry_after)
        };
        let with_retry_after = |error: Error<O::Fault>| Failed {
            retry_after,
            ..Failed::from(error)
        };
        let redirect = (300..400).contains(&status).then(|| {
            header("Location")
                .unwrap_or_else(|| "no address (its Location header is missing or not text)".into())
        });
        let limit = self.call.max_response_bytes;
        let too_large = |body: &[u8]| {
            with_retry_after(Error::undecodable(
                status,
                format!("the response body exceeds the {limit}-byte limit"),
                body,
            ))
        };
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large(&[]));
        }
        // Most answers arrive in one chunk, decoded where it lies; longer ones are gathered, up to the cap.
        let (mut first, mut gathered) = (None::<bytes::Bytes>, Vec::new());
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| with_retry_after(transport_error(e)))?
        {
            let held = first.as_deref().unwrap_or(&gathered);
            if held.len() + chunk.len() > limit {
                return Err(too_large(held));
            }
            if first.is_none() && gathered.is_empty() {
                first = Some(chunk);
                continue;
            }
            if let Some(earlier) = first.take() {
                gathered.extend_from_slice(&earlier);
            }
            gathered.extend_from_slice(&chunk);
        }
        let body = first.as_deref().unwrap_or(&gathered);
        tracing::debug!(
            platform = self.inner.spec.name,
            operation = O::SPEC.id,
            status,
            bytes = body.len(),
            tracking_id = tracking_id.as_deref(),
            "received"
        );
        if let Some(to) = redirect {
            // The address is the server's text: cut as a body's excerpt is.
            let to = super::error::excerpt(to.as_bytes());
            return Err(with_retry_after(Error::undecodable(
                status,
                format!("a redirect to {to}, which the client does not follow"),
                body,
            )));
        }
        decode_response::<O>(is_soap, status, tracking_id, body).map_err(with_retry_after)
    }

    /// The client's secret credentials, kept out of what an error carries from a response.
    fn secrets(&self) -> Vec<&Secret> {
        let inner = &self.inner;
        inner
            .credentials
            .iter()
            .filter(|(name, _)| credential(inner.spec, &inner.credentials, name).1)
            .map(|(_, value)| value)
            .collect()
    }

    /// `headers` in reqwest's form. Headers this client prepared itself were converted when it was built.
    fn wire_headers<F>(
        &self,
        headers: &[PreparedHeader],
    ) -> Result<reqwest::header::HeaderMap, Error<F>> {
        let own = &self.inner.rest_headers;
        let unchanged = own.len() == headers.len()
            && own
                .iter()
                .zip(headers)
                .all(|(a, b)| a.name == b.name && a.secret == b.secret && a.value.same(&b.value));
        match &self.inner.rest_wire {
            Ok(wire) if unchanged => Ok(wire.clone()),
            _ => wire_headers(headers).map_err(Error::InvalidRequest),
        }
    }

    /// The base URL for `op`: the configured server's, computed when the client was built.
    fn base<F>(&self, op: &OperationSpec) -> Result<&url::Url, Error<F>> {
        let Some(base) = &self.inner.base else {
            return Err(Error::Unavailable(format!(
                "{} documents no sandbox",
                self.inner.spec.title
            )));
        };
        if self.inner.config.sandbox && !op.sandbox {
            return Err(Error::Unavailable(format!(
                "{} is not available on the {} sandbox",
                op.id, self.inner.spec.title
            )));
        }
        Ok(base)
    }

    /// The URL `make` gives, kept for the next call when it is `fixed`: the same for every call of `op`.
    fn url(&self, op: &OperationSpec, fixed: bool, make: impl FnOnce() -> url::Url) -> url::Url {
        match self.inner.urls.get(op.index) {
            Some(kept) if fixed => kept.get_or_init(make).clone(),
            _ => make(),
        }
    }

    fn transport<F>(&self, op: &OperationSpec) -> Result<Transport, Error<F>> {
        match self.inner.config.transport {
            Some(t) => Ok(t),
            None if op.soap.is_some() && self.inner.spec.soap.is_some() => Ok(Transport::Soap),
            None => Ok(Transport::Rest),
        }
    }
}

/// `30 s`, `1.5 s` or `200 ms`.
fn human(d: std::time::Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{} s", d.as_secs())
    } else if d.as_secs() > 0 {
        format!("{} s", d.as_secs_f64())
    } else {
        format!("{} ms", d.as_millis())
    }
}

fn transport_error<F>(e: reqwest::Error) -> Error<F> {
    // reqwest's messages name the URL, never the headers, so no credential can leak through them. The reason is
    // often several sources down (a certificate refused inside a connect error), so the whole chain is told.
    let mut message = e.to_string();
    for cause in super::error::causes(&e).skip(1) {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
    }
    if e.is_timeout() {
        Error::Timeout(message)
    } else {
        Error::Transport(message)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn a_limit_is_told_in_whole_seconds_decimal_seconds_or_milliseconds() {
        for (duration, told) in [
            (Duration::from_secs(30), "30 s"),
            (Duration::from_millis(1500), "1.5 s"),
            (Duration::from_millis(200), "200 ms"),
        ] {
            assert_eq!(super::human(duration), told);
        }
    }
}
