//! SOAP 1.1: the envelope, an order-exact writer and a tolerant, bounded reader built on quick-xml.

mod envelope;
mod reader;
mod writer;

pub use envelope::{Reply, read_envelope, write_envelope};
pub use reader::{Decode, DecodeError, Reader, Start, decode_list, field, required};
pub use writer::{Encode, Writer};

/// The SOAP 1.1 envelope namespace.
pub const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// Whether any byte of `text` is one `wanted` picks. Texts between tags are short and most hold none: a look with
/// no early exit is vectorised, and costs a fraction of a call into memchr or quick-xml's byte-by-byte scans.
#[inline]
fn any_byte(text: &str, wanted: impl Fn(u8) -> bool) -> bool {
    text.bytes().fold(false, |found, b| found | wanted(b))
}

#[cfg(test)]
mod tests;
