//! The look both wire writers and the SOAP reader make before doing work on a text: most texts need none.

/// Whether any byte of `text` is one `wanted` picks. Texts on the wire are mostly short and hold none: a look
/// with no early exit is vectorised, and costs a fraction of a call into memchr or a byte-by-byte scan.
#[inline]
pub(crate) fn any_byte(text: &str, wanted: impl Fn(u8) -> bool) -> bool {
    text.bytes().fold(false, |found, b| found | wanted(b))
}
