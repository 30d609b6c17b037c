//! Request bodies written straight into bytes by generated code, as SOAP bodies are: property names arrive
//! already quoted and escaped, strings are copied as they stand unless they hold a byte JSON escapes (the same
//! look the SOAP writer makes), and no serde machinery runs per value. The bytes are the ones the types'
//! `Serialize` impls give through serde_json; `tests/json_encode.rs` checks that for every request type.

use serde_json::{Map, Value};

use crate::runtime::decimal::Decimal;
use crate::runtime::text::any_byte;
use crate::runtime::wire_enum::{Flags, WireEnum};

/// A value as JSON. Structs write their properties in `encode_fields` and take the default `encode`, which
/// wraps them in braces; union members' properties follow their tag in the same way.
pub trait Encode {
    // Inline, so that a struct in an array is written in the array's loop whichever codegen unit each landed in.
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        let start = out.len();
        self.encode_fields(out);
        enclose(out, start, b'{', b'}');
    }

    /// Each property as `,"name":value`, the comma first whatever comes before: whoever opens the object
    /// turns the first one into its brace, so no property asks whether it is the first.
    fn encode_fields(&self, _out: &mut Vec<u8>) {}
}

/// Closes the members written since `start`, each led by a comma, into an object or array: the first comma
/// becomes `open`, and with no members `open` is written.
#[inline]
fn enclose(out: &mut Vec<u8>, start: usize, open: u8, close: u8) {
    match out.get_mut(start) {
        Some(comma) => *comma = open,
        None => out.push(open),
    }
    out.push(close);
}

/// One property: `key` is its name, led by a comma, quoted and followed by `:`.
#[inline]
pub fn field<T: Encode + ?Sized>(out: &mut Vec<u8>, key: &[u8], value: &T) {
    out.extend_from_slice(key);
    value.encode(out);
}

/// A property that is left out when absent, as `skip_serializing_if = "Option::is_none"` leaves it out.
#[inline]
pub fn optional<T: Encode + ?Sized>(out: &mut Vec<u8>, key: &[u8], value: Option<&T>) {
    if let Some(value) = value {
        field(out, key, value);
    }
}

/// A union member: its tag property first, then its own properties.
pub fn tagged<T: Encode>(out: &mut Vec<u8>, key: &[u8], tag: &str, fields: &T) {
    let start = out.len();
    out.extend_from_slice(key);
    string(out, tag);
    fields.encode_fields(out);
    enclose(out, start, b'{', b'}');
}

/// A JSON string. Most texts hold nothing to escape and are copied as they stand; only one that holds a control
/// character, `"` or `\` goes through serde_json's escaping.
#[inline]
fn string(out: &mut Vec<u8>, text: &str) {
    if any_byte(text, |b| (b < 0x20) | (b == b'"') | (b == b'\\')) {
        return escaped(out, text);
    }
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    out.extend_from_slice(bytes);
    out.push(b'"');
}

/// An enum's `Unknown` text: out of line, so that the listed values' copies are all an inlined encoder holds.
#[cold]
#[inline(never)]
pub fn unlisted(out: &mut Vec<u8>, text: &str) {
    string(out, text);
}

#[cold]
#[inline(never)]
fn escaped(out: &mut Vec<u8>, text: &str) {
    serde_json::to_writer(out, text).expect("writing a string into a Vec cannot fail");
}

fn integer(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

impl Encode for String {
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        string(out, self);
    }
}

impl Encode for bool {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

impl Encode for i32 {
    fn encode(&self, out: &mut Vec<u8>) {
        integer(out, *self);
    }
}

impl Encode for i64 {
    fn encode(&self, out: &mut Vec<u8>) {
        integer(out, *self);
    }
}

impl Encode for f64 {
    /// serde_json's own form: the shortest text that reads back as the same float, and `null` for NaN and the
    /// infinities, which JSON cannot hold.
    fn encode(&self, out: &mut Vec<u8>) {
        match serde_json::Number::from_f64(*self) {
            Some(number) => out.extend_from_slice(number.as_str().as_bytes()),
            None => out.extend_from_slice(b"null"),
        }
    }
}

impl Encode for Decimal {
    /// The digits as given: a decimal's text is always a valid JSON number.
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_str().as_bytes());
    }
}

impl<T: WireEnum> Encode for Flags<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        string(out, &self.join(", "));
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        array(out, self, T::encode);
    }
}

fn array<T>(out: &mut Vec<u8>, items: &[T], each: impl Fn(&T, &mut Vec<u8>)) {
    let start = out.len();
    for item in items {
        out.push(b',');
        each(item, out);
    }
    enclose(out, start, b'[', b']');
}

impl Encode for Value {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Bool(b) => b.encode(out),
            // With `arbitrary_precision` a number keeps the text it was read or made from.
            Value::Number(n) => out.extend_from_slice(n.as_str().as_bytes()),
            Value::String(s) => string(out, s),
            Value::Array(items) => items.encode(out),
            Value::Object(map) => map.encode(out),
        }
    }
}

impl Encode for Map<String, Value> {
    fn encode(&self, out: &mut Vec<u8>) {
        let start = out.len();
        for (key, value) in self {
            out.push(b',');
            string(out, key);
            out.push(b':');
            value.encode(out);
        }
        enclose(out, start, b'{', b'}');
    }
}

/// 64-bit integers of a platform that writes them as JSON strings, as `with = "rt::json::long_string"` does.
pub struct Quoted<'a, T>(pub &'a T);

impl Encode for Quoted<'_, i64> {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(b'"');
        integer(out, *self.0);
        out.push(b'"');
    }
}

impl<T> Encode for Quoted<'_, Vec<T>>
where
    for<'a> Quoted<'a, T>: Encode,
{
    fn encode(&self, out: &mut Vec<u8>) {
        array(out, self.0, |item, out| Quoted(item).encode(out));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded<T: Encode + ?Sized>(value: &T) -> String {
        let mut out = Vec::new();
        value.encode(&mut out);
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn strings_escape_exactly_as_serde_json_does() {
        // Every byte JSON escapes, and its neighbours, alone and at either end of texts long and short enough
        // to take each path through the look for them (`text::PATH_EDGES`).
        let mut specials: Vec<char> = (0u8..0x20).map(char::from).collect();
        specials.extend(['"', '\\', '/', '\u{7f}', 'é', '\u{2028}', '😀', ' ', 'a']);
        for c in specials {
            for filler in crate::runtime::text::PATH_EDGES {
                let pad = "x".repeat(filler);
                for text in [
                    format!("{c}"),
                    format!("{c}{pad}"),
                    format!("{pad}{c}"),
                    format!("{pad}{c}{pad}"),
                ] {
                    assert_eq!(
                        encoded(&text),
                        serde_json::to_string(&text).expect("json"),
                        "{text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn numbers_and_values_are_written_as_serde_json_writes_them() {
        for f in [
            0.0,
            -0.0,
            1.0,
            0.1,
            -2.5e-8,
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
        ] {
            assert_eq!(encoded(&f), serde_json::to_string(&f).expect("json"), "{f}");
        }
        for n in [i64::MIN, -1, 0, i64::MAX] {
            assert_eq!(encoded(&n), n.to_string());
        }
        let value: Value = serde_json::from_str(
            r#"{"b":[true,false,null],"n":[1,-0.5,1e400,12345678901234567890123],"s":"a\"\u0001","o":{}}"#,
        )
        .expect("json");
        assert_eq!(
            encoded(&value),
            serde_json::to_string(&value).expect("json")
        );
    }
}
