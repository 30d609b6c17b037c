//! Exact decimals: the digits as given, never through a binary float.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An `xs:decimal`: kept as its text, written as a JSON number or XML text with the same digits.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Decimal(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a decimal number: {0:?}")]
pub struct DecimalError(String);

impl Decimal {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Decimal {
    type Err = DecimalError;

    /// Accepts `[-]digits[.digits]`: decimals both `xs:decimal` and JSON can carry digit for digit.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let t = text.trim();
        let unsigned = t.strip_prefix('-').unwrap_or(t);
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (unsigned, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
            return Err(DecimalError(text.to_string()));
        }
        Ok(Decimal(t.to_string()))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({})", self.0)
    }
}

impl Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // With serde_json's arbitrary_precision a Number keeps its text, so the digits go out unchanged.
        let number: serde_json::Number = self.0.parse().map_err(serde::ser::Error::custom)?;
        number.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Number(n) => n.to_string().parse().map_err(serde::de::Error::custom),
            serde_json::Value::String(s) => s.parse().map_err(serde::de::Error::custom),
            other => Err(serde::de::Error::custom(format!(
                "expected a decimal number, found {other}"
            ))),
        }
    }
}
