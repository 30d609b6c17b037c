//! Open enums: every generated enum keeps values it does not know, and flag sets of them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::runtime::text::trim_xml_space;

/// A generated enum: the listed wire values plus `Unknown(String)`.
pub trait WireEnum: Sized {
    /// The values the schema lists, in schema order.
    const VALUES: &'static [&'static str];
    /// The value as it goes on the wire.
    fn as_wire(&self) -> &str;
    /// The value held by `Unknown`; `None` for a listed variant.
    fn unknown(&self) -> Option<&str>;
    /// The variant `text` names; `Unknown` for a value the schema does not list.
    fn from_wire(text: &str) -> Self;
}

/// A set of flag values (`xs:list` enums): `Url Event` in SOAP, `"Url, Event"` in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Flags<T>(pub Vec<T>);

impl<T> Default for Flags<T> {
    fn default() -> Self {
        Flags(Vec::new())
    }
}

impl<T> From<Vec<T>> for Flags<T> {
    fn from(values: Vec<T>) -> Self {
        Flags(values)
    }
}

impl<T> From<T> for Flags<T> {
    fn from(value: T) -> Self {
        Flags(vec![value])
    }
}

impl<T: WireEnum> Flags<T> {
    /// The wire values, `separator` between them.
    pub fn join(&self, separator: &str) -> String {
        let names: Vec<&str> = self.0.iter().map(WireEnum::as_wire).collect();
        names.join(separator)
    }

    /// Reads either separator form, so a value written by any client parses.
    pub fn parse(text: &str) -> Self {
        Flags(
            text.split([',', ' '])
                .map(trim_xml_space)
                .filter(|s| !s.is_empty())
                .map(T::from_wire)
                .collect(),
        )
    }
}

impl<T: WireEnum> fmt::Display for Flags<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.join(", "))
    }
}

impl<T: WireEnum> Serialize for Flags<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.join(", "))
    }
}

impl<'de, T: WireEnum> Deserialize<'de> for Flags<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Flags::parse(&text))
    }
}
