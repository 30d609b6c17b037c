//! Where a call goes: the server URL with its variables filled and the configured endpoint's origin, the
//! operation's path with its parameters, and which endpoints the client may send to at all.

use std::borrow::Cow;
use std::net::IpAddr;

use super::config::ClientConfig;
use super::error::BuildError;
use super::spec::{ParamSpec, ServerSpec};
use super::validate::{Invalid, check_limits};

/// A server URL with its `{variables}` filled and the configured endpoint's origin in place of its own.
pub(super) fn base_url(server: &ServerSpec, config: &ClientConfig) -> Result<url::Url, BuildError> {
    // A misspelt name would otherwise leave the default in place without a word.
    let declared = || server.variables.iter().map(|(name, _)| *name);
    if let Some((name, _)) = config
        .server_variables
        .iter()
        .find(|(name, _)| !declared().any(|d| d == name))
    {
        return Err(BuildError::InvalidServerVariable {
            name: name.clone(),
            reason: format!(
                "the server declares no such variable; it declares {:?}",
                declared().collect::<Vec<_>>()
            ),
        });
    }
    let mut url = server.url.to_string();
    for (name, default) in server.variables {
        let value = config
            .server_variables
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or(default);
        if value.contains(['/', '?', '#']) {
            return Err(BuildError::InvalidServerVariable {
                name: name.to_string(),
                reason: "a server variable may not contain / ? or #".into(),
            });
        }
        url = url.replace(&format!("{{{name}}}"), value);
    }
    // Only a configured value can have broken it: the generator checked the schema's own URL with its defaults.
    let mut url = url::Url::parse(&url).map_err(|e| {
        let configured: Vec<&str> = config
            .server_variables
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        if configured.is_empty() {
            BuildError::Http(format!("the server URL `{url}` is not a URL: {e}"))
        } else {
            BuildError::InvalidServerVariable {
                name: configured.join(", "),
                reason: format!("with it the server URL is `{url}`, which is not a URL: {e}"),
            }
        }
    })?;
    if let Some(endpoint) = &config.endpoint {
        replace_origin(&mut url, endpoint).map_err(|reason| BuildError::InvalidEndpoint {
            endpoint: endpoint.clone(),
            reason,
        })?;
    }
    Ok(url)
}

/// `base` with `parts` after its own path, as one path: the URL a call sends to.
pub(super) fn at_path(base: &url::Url, parts: &[&str]) -> url::Url {
    let mut path =
        String::with_capacity(base.path().len() + parts.iter().map(|p| p.len()).sum::<usize>());
    path.push_str(base.path().trim_end_matches('/'));
    parts.iter().for_each(|p| path.push_str(p));
    let mut url = base.clone();
    url.set_path(&path);
    url
}

/// Substitutes checked, percent-encoded path parameters into the template.
pub(super) fn fill_path(
    template: &'static str,
    specs: &[ParamSpec],
    values: &[&str],
) -> Result<Cow<'static, str>, Invalid> {
    if specs.len() != values.len() {
        return Err(Invalid::new(
            "",
            format!(
                "expected {} path parameters, found {}",
                specs.len(),
                values.len()
            ),
        ));
    }
    if specs.is_empty() {
        return Ok(Cow::Borrowed(template));
    }
    let mut path = template.to_string();
    for (spec, value) in specs.iter().zip(values) {
        check_limits(*value, spec.name, &spec.limits).map_err(|invalid| *invalid)?;
        if value.is_empty() {
            return Err(Invalid::new(spec.name, "may not be empty"));
        }
        let encoded =
            percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        path = path.replace(&format!("{{{}}}", spec.name), &encoded);
    }
    Ok(Cow::Owned(path))
}

/// Whether `endpoint` is a loopback address, once it is known to be one the client may send to: plain `http`
/// is refused except to loopback, so credentials never cross a network in clear text.
pub(super) fn check_endpoint(endpoint: &str) -> Result<bool, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidEndpoint {
        endpoint: endpoint.to_string(),
        reason: reason.to_string(),
    };
    let url = url::Url::parse(endpoint).map_err(|e| invalid(&e.to_string()))?;
    let loopback = is_loopback(&url);
    match url.scheme() {
        "https" => Ok(loopback),
        "http" if loopback => Ok(true),
        "http" => Err(invalid(
            "plain http is refused except to loopback addresses",
        )),
        other => Err(invalid(&format!("unsupported scheme `{other}`"))),
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Keeps the documented path of `base`, takes scheme, host and port from `endpoint`.
fn replace_origin(url: &mut url::Url, endpoint: &str) -> Result<(), String> {
    let origin = url::Url::parse(endpoint).map_err(|e| format!("endpoint {endpoint}: {e}"))?;
    url.set_scheme(origin.scheme())
        .map_err(|_| format!("cannot use the scheme of {endpoint}"))?;
    url.set_host(origin.host_str())
        .map_err(|e| format!("endpoint {endpoint}: {e}"))?;
    url.set_port(origin.port())
        .map_err(|_| format!("cannot use the port of {endpoint}"))
}
