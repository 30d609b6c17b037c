//! `overrides.toml` beside a published OpenAPI document: credentials and their environment variables, limits
//! stated only in the page's prose, and names for inline schemas. The document itself stays as published.

use std::collections::BTreeMap;
use std::path::Path;

use super::toml_format::{OnlyWhen, OverridesFile, parse};
use crate::diag::{Diagnostic, Sink};
use crate::ir::{Credential, Limits};

#[derive(Debug, Default)]
pub struct Overrides {
    pub source: Option<String>,
    pub credentials: Vec<Credential>,
    scheme_bindings: BTreeMap<String, String>,
    /// `(header name, credential)`.
    pub header_bindings: Vec<(String, String)>,
    pub limits: Vec<LimitAt>,
    /// JSON pointer of an inline schema → its type name.
    pub names: BTreeMap<String, String>,
    pub sandbox: Option<String>,
    /// `operationId` → whether repeating it is safe, where the HTTP method alone would say otherwise.
    pub idempotent: BTreeMap<String, bool>,
    pub problems: Vec<Diagnostic>,
}

#[derive(Debug)]
pub struct LimitAt {
    pub at: String,
    pub limits: Limits,
    pub only_when: Option<OnlyWhen>,
}

impl Overrides {
    pub fn bound_to_scheme(&self, scheme: &str) -> Option<String> {
        self.scheme_bindings.get(scheme).cloned()
    }

    /// Whether a credential is bound to the header `header` (HTTP header names are case-insensitive).
    pub fn binds_header(&self, header: &str) -> bool {
        self.header_bindings
            .iter()
            .any(|(h, _)| h.eq_ignore_ascii_case(header))
    }
}

pub fn read(path: Option<&Path>) -> Overrides {
    let Some(path) = path else {
        return Overrides::default();
    };
    let mut sink = Sink::new(super::display(path));
    let file =
        super::read_text(path, &mut sink).and_then(|text| parse::<OverridesFile>(&text, &mut sink));
    let mut out = Overrides {
        source: Some(sink.file().to_string()),
        ..Overrides::default()
    };
    if let Some(file) = file {
        for (name, c) in file.credentials {
            match c
                .binds
                .as_ref()
                .map(|b| (b.security_scheme.clone(), b.header.clone()))
            {
                Some((Some(scheme), None)) => {
                    out.scheme_bindings.insert(scheme, name.clone());
                }
                Some((None, Some(header))) => out.header_bindings.push((header, name.clone())),
                _ => sink.error(
                    format!("credentials.{name}.binds"),
                    "expected `binds` with exactly one of `security_scheme` or `header`",
                ),
            }
            out.credentials.push(Credential {
                name,
                env: c.env,
                secret: c.secret,
                docs: c.docs,
            });
        }
        out.limits = file
            .limits
            .into_iter()
            .map(|l| LimitAt {
                at: l.at,
                limits: l.limits.to_ir(),
                only_when: l.only_when,
            })
            .collect();
        out.names = file.names;
        out.sandbox = file.sandbox;
        out.idempotent = file
            .operations
            .into_iter()
            .filter_map(|(id, o)| Some((id, o.idempotent?)))
            .collect();
    }
    out.problems = sink.found;
    out
}
