//! JSON wire helpers shared by generated code: open enums, `Type`-tagged unions, 64-bit integers as strings,
//! and the writer request bodies go through (`encode`).

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::{Impossible, SerializeStruct as _};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::wire_enum::WireEnum;

mod encode;

pub use encode::{Encode, Quoted, field, optional, tagged, unlisted};

pub fn deserialize_enum<'de, D: serde::Deserializer<'de>, T: WireEnum>(
    deserializer: D,
) -> Result<T, D::Error> {
    let text = String::deserialize(deserializer)?;
    Ok(T::from_wire(&text))
}

/// Writes `fields` as one object with `discriminator: tag` first, straight into the serializer.
pub fn serialize_tagged<S: serde::Serializer, T: Serialize>(
    serializer: S,
    discriminator: &'static str,
    tag: &str,
    fields: &T,
) -> Result<S::Ok, S::Error> {
    fields.serialize(TagFirst {
        inner: serializer,
        discriminator,
        tag,
    })
}

/// Passes a struct through to `inner` with the discriminator as its first field; anything but a struct is an
/// error, as a union member is always an object.
struct TagFirst<'a, S> {
    inner: S,
    discriminator: &'static str,
    tag: &'a str,
}

fn not_an_object<E: serde::ser::Error>() -> E {
    E::custom("a union member must serialize as an object")
}

macro_rules! not_an_object {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<$ret, S::Error> {
            Err(not_an_object())
        }
    )*};
}

impl<S: serde::Serializer> serde::Serializer for TagFirst<'_, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = S::SerializeStruct;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        let mut object = self.inner.serialize_struct(name, len + 1)?;
        object.serialize_field(self.discriminator, self.tag)?;
        Ok(object)
    }

    not_an_object! {
        serialize_bool(bool) -> S::Ok;
        serialize_i8(i8) -> S::Ok;
        serialize_i16(i16) -> S::Ok;
        serialize_i32(i32) -> S::Ok;
        serialize_i64(i64) -> S::Ok;
        serialize_u8(u8) -> S::Ok;
        serialize_u16(u16) -> S::Ok;
        serialize_u32(u32) -> S::Ok;
        serialize_u64(u64) -> S::Ok;
        serialize_f32(f32) -> S::Ok;
        serialize_f64(f64) -> S::Ok;
        serialize_char(char) -> S::Ok;
        serialize_str(&str) -> S::Ok;
        serialize_bytes(&[u8]) -> S::Ok;
        serialize_none() -> S::Ok;
        serialize_unit() -> S::Ok;
        serialize_unit_struct(&'static str) -> S::Ok;
        serialize_unit_variant(&'static str, u32, &'static str) -> S::Ok;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<S::Ok, S::Error> {
        Err(not_an_object())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_an_object())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_an_object())
    }
}

/// A union object's discriminator value and its other properties.
pub type Tagged = (Option<String>, Map<String, Value>);

/// Reads an object and takes its discriminator out; the rest decodes as the member it names.
pub fn split_tag<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    discriminator: &str,
) -> Result<Tagged, D::Error> {
    let mut object = Map::<String, Value>::deserialize(deserializer)?;
    let tag = match object.remove(discriminator) {
        None | Some(Value::Null) => None,
        Some(Value::String(tag)) => Some(tag),
        Some(other) => {
            return Err(D::Error::custom(format!(
                "expected a string for `{discriminator}`, found {other}"
            )));
        }
    };
    Ok((tag, object))
}

pub fn from_rest<T: DeserializeOwned, E: serde::de::Error>(
    rest: Map<String, Value>,
) -> Result<T, E> {
    serde_json::from_value(Value::Object(rest)).map_err(E::custom)
}

/// `with = "rt::json::long_string"`: 64-bit integers written as JSON strings, read from strings or numbers,
/// for `i64`, `Option<i64>`, `Vec<i64>` and `Option<Vec<i64>>` alike.
pub mod long_string {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// One 64-bit integer on the wire.
    #[derive(Debug, Clone, Copy)]
    pub struct Long(pub i64);

    impl Serialize for Long {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(itoa::Buffer::new().format(self.0))
        }
    }

    impl<'de> Deserialize<'de> for Long {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            use serde::de::Error;
            let value = serde_json::Value::deserialize(deserializer)?;
            let parsed = match &value {
                // The digits alone, as the platform writes them.
                serde_json::Value::String(s) => s.parse::<i64>().ok(),
                serde_json::Value::Number(n) => n.as_i64(),
                _ => None,
            };
            parsed.map(Long).ok_or_else(|| {
                D::Error::custom(format!("expected a 64-bit integer, found {value}"))
            })
        }
    }

    /// The shapes a 64-bit integer field takes, mapped to their wire form.
    pub trait Shape: Sized {
        type Wire: Serialize + for<'de> Deserialize<'de>;
        fn to_wire(&self) -> Self::Wire;
        fn from_wire(wire: Self::Wire) -> Self;
    }

    impl Shape for i64 {
        type Wire = Long;
        fn to_wire(&self) -> Long {
            Long(*self)
        }
        fn from_wire(wire: Long) -> Self {
            wire.0
        }
    }

    impl<T: Shape> Shape for Option<T> {
        type Wire = Option<T::Wire>;
        fn to_wire(&self) -> Self::Wire {
            self.as_ref().map(T::to_wire)
        }
        fn from_wire(wire: Self::Wire) -> Self {
            wire.map(T::from_wire)
        }
    }

    impl<T: Shape> Shape for Vec<T> {
        type Wire = Vec<T::Wire>;
        fn to_wire(&self) -> Self::Wire {
            self.iter().map(T::to_wire).collect()
        }
        fn from_wire(wire: Self::Wire) -> Self {
            wire.into_iter().map(T::from_wire).collect()
        }
    }

    pub fn serialize<T: Shape, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.to_wire().serialize(serializer)
    }

    pub fn deserialize<'de, T: Shape, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        T::Wire::deserialize(deserializer).map(T::from_wire)
    }
}

#[cfg(test)]
mod tests {
    use super::long_string::Long;

    #[test]
    fn a_64_bit_integer_is_written_as_a_string_and_read_from_either() {
        for (n, wire) in [
            (i64::MIN, r#""-9223372036854775808""#),
            (0, r#""0""#),
            (i64::MAX, r#""9223372036854775807""#),
        ] {
            assert_eq!(serde_json::to_string(&Long(n)).expect("json"), wire);
            assert_eq!(serde_json::from_str::<Long>(wire).expect("string").0, n);
            assert_eq!(
                serde_json::from_str::<Long>(&n.to_string())
                    .expect("number")
                    .0,
                n
            );
        }
        // Space around the digits, even a no-break space, is not a number's.
        for wrong in [
            r#""12x""#,
            r#"" 12""#,
            "\"12\u{a0}\"",
            r#""""#,
            "1.5",
            "true",
        ] {
            let error = serde_json::from_str::<Long>(wrong).expect_err(wrong);
            assert!(
                error
                    .to_string()
                    .starts_with("expected a 64-bit integer, found "),
                "{wrong}: {error}"
            );
        }
    }
}
