//! Credentials that never print.

use std::fmt;
use std::sync::Arc;

use super::error::BuildError;

/// A credential value. `Debug` and `Display` print `<redacted>`; only the transport reads the value. Shared, so
/// every request a client prepares carries its credentials without copying them.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a credential value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Arc::from(value.into()))
    }

    /// Reads a secret from the environment variable `name`.
    pub fn from_env(name: &str) -> Result<Self, BuildError> {
        env_var(name).map(Secret::new)
    }

    /// Whether `other` is this very value, shared rather than equal.
    pub(crate) fn same(&self, other: &Secret) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The value itself, for the transport. Never log what this returns.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(Arc::from(value))
    }
}

/// Reads a required, non-empty environment variable.
pub fn env_var(name: &str) -> Result<String, BuildError> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(value),
        _ => Err(BuildError::MissingCredential(name.to_string())),
    }
}
