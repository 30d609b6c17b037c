//! Exact decimals: the digits as given, never through a binary float.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::runtime::text::trim_xml_space;

/// An `xs:decimal`: kept as its text, written as a JSON number or XML text with the same digits.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Decimal(String);

/// A text that is not a decimal number; it holds the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a decimal number: {0:?}")]
pub struct DecimalError(String);

impl Decimal {
    /// The digits, as they go on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Decimal {
    type Err = DecimalError;

    /// Accepts `[-]digits[.digits]` with XML's white space around it, and JSON's exponent form (`1.5e-3`),
    /// written out as the same digits (`0.0015`): serde_json gives a number that passes through a float in that
    /// form. JSON has no room for leading zeros, so `007.50` is kept as `7.50`, the same number.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let refuse = || DecimalError(text.to_string());
        let t = trim_xml_space(text);
        let (sign, unsigned) = match t.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", t),
        };
        let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
            Some((m, e)) => (m, e.parse::<i64>().map_err(|_| refuse())?),
            None => (unsigned, 0),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let (whole, fraction) = match mantissa.split_once('.') {
            Some((w, f)) if digits(f) => (w, f),
            Some(_) => return Err(refuse()),
            None => (mantissa, ""),
        };
        if !digits(whole) {
            return Err(refuse());
        }
        // The point moves over the digits as they stand, so none is lost or made up.
        let all = [whole, fraction].concat();
        let point = i64::try_from(whole.len())
            .ok()
            .and_then(|w| w.checked_add(exponent))
            .filter(|p| p.unsigned_abs() <= MAX_DIGITS)
            .ok_or_else(refuse)?;
        let (whole, fraction) = match usize::try_from(point) {
            Err(_) => (
                "0".to_string(),
                "0".repeat(point.unsigned_abs() as usize) + &all,
            ),
            Ok(p) if p >= all.len() => (all.clone() + &"0".repeat(p - all.len()), String::new()),
            Ok(p) => (all[..p].to_string(), all[p..].to_string()),
        };
        let whole = match whole.trim_start_matches('0') {
            "" => "0",
            significant => significant,
        };
        let point = if fraction.is_empty() { "" } else { "." };
        Ok(Decimal(format!("{sign}{whole}{point}{fraction}")))
    }
}

/// Exponents that would write out more digits than this are refused rather than spelled out.
const MAX_DIGITS: u64 = 1000;

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

#[cfg(test)]
mod tests {
    use super::Decimal;

    #[test]
    fn every_decimal_is_written_as_a_json_number_with_its_digits() {
        for (text, kept) in [
            ("007.50", "7.50"),
            ("-00", "-0"),
            ("000", "0"),
            ("0.05", "0.05"),
            (" 12 ", "12"),
            ("-0012.000", "-12.000"),
            ("\t1.5\r\n", "1.5"),
        ] {
            let decimal: Decimal = text.parse().expect("decimal");
            assert_eq!(decimal.as_str(), kept);
            assert_eq!(serde_json::to_string(&decimal).expect("json"), kept);
            assert_eq!(decimal.to_string(), kept);
            assert_eq!(format!("{decimal:?}"), format!("Decimal({kept})"));
        }
        for (text, kept) in [
            ("-1e-21", "-0.000000000000000000001"),
            ("1.50E+2", "150"),
            ("1.505e2", "150.5"),
            ("1e3", "1000"),
            ("-1.5E3", "-1500"),
            ("12e-1", "1.2"),
            ("0.0e0", "0.0"),
        ] {
            assert_eq!(text.parse::<Decimal>().expect("decimal").as_str(), kept);
        }
        for bad in [
            "",
            "-",
            ".5",
            "5.",
            "1e",
            "1e1001",
            "1e-99999999999999999999",
            "+1",
            "0x10",
            "1.2.3",
            "\u{a0}1.5",
            "1.5\u{2003}",
        ] {
            assert!(bad.parse::<Decimal>().is_err(), "{bad:?}");
        }
    }
}
