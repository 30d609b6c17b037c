//! The headers a call carries: the service's own, with the credentials filled in, and their reqwest form.

use super::request::PreparedHeader;
use super::secret::Secret;
use super::spec::ServiceSpec;
use super::validate::Invalid;

/// `headers` as reqwest's map, secret values marked sensitive.
pub(super) fn wire_headers(
    headers: &[PreparedHeader],
) -> Result<reqwest::header::HeaderMap, Invalid> {
    let mut map = reqwest::header::HeaderMap::with_capacity(headers.len());
    for h in headers {
        // Named apart: a line break in a credential is the usual way a header goes wrong, and an injection.
        if h.value.expose().contains(['\r', '\n']) {
            return Err(Invalid::new(
                h.name.as_ref(),
                "a header value may not contain CR or LF",
            ));
        }
        let name = reqwest::header::HeaderName::from_bytes(h.name.as_bytes());
        let value = reqwest::header::HeaderValue::from_str(h.value.expose());
        let (Ok(name), Ok(mut value)) = (name, value) else {
            return Err(Invalid::new(h.name.as_ref(), "is not a valid HTTP header"));
        };
        value.set_sensitive(h.secret);
        map.append(name, value);
    }
    Ok(map)
}

pub(super) fn plain(name: &'static str, value: String) -> PreparedHeader {
    PreparedHeader {
        name: name.into(),
        value: Secret::new(value),
        secret: false,
    }
}

/// The value of credential `name` (empty if the client has none) and whether it is secret (unknown ones are).
pub(super) fn credential<'c>(
    spec: &ServiceSpec,
    credentials: &'c [(&'static str, Secret)],
    name: &str,
) -> (&'c Secret, bool) {
    static EMPTY: std::sync::LazyLock<Secret> = std::sync::LazyLock::new(|| Secret::new(""));
    let secret = spec
        .credentials
        .iter()
        .find(|c| c.name == name)
        .is_none_or(|c| c.secret);
    let value = credentials
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&*EMPTY, |(_, value)| value);
    (value, secret)
}

/// A REST service's headers with the credentials filled in, then the JSON content headers.
pub(super) fn rest_headers(
    spec: &ServiceSpec,
    credentials: &[(&'static str, Secret)],
) -> Vec<PreparedHeader> {
    let Some(rest) = &spec.rest else {
        return Vec::new();
    };
    let mut headers: Vec<_> = rest
        .headers
        .iter()
        .map(|h| {
            let (value, secret) = credential(spec, credentials, h.credential);
            let filled = h
                .format
                .replace(&format!("{{{}}}", h.credential), value.expose());
            PreparedHeader {
                name: h.name.into(),
                value: Secret::new(filled),
                secret,
            }
        })
        .collect();
    headers.push(plain("Content-Type", "application/json".into()));
    headers.push(plain("Accept", "application/json".into()));
    headers
}
