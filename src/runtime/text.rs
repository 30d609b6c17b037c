//! The look both wire writers and the SOAP reader make before doing work on a text (most texts need none), and
//! the white space the wire allows around a value.

/// Whether any byte of `text` is one `wanted` picks. Texts on the wire are mostly short and hold none, so the
/// look reads whole blocks of a known size, the last overlapping the one before, with no byte-by-byte tail:
/// the compiler turns each block into a few vector instructions. `wanted` should be compares joined with `|`:
/// `matches!` over several bytes becomes a bit-table lookup, which does not vectorise.
#[inline]
pub(crate) fn any_byte(text: &str, wanted: impl Fn(u8) -> bool + Copy) -> bool {
    let bytes = text.as_bytes();
    match bytes.len() {
        0..4 => block(bytes, wanted),
        4..8 => ends::<4>(bytes, wanted),
        8..16 => ends::<8>(bytes, wanted),
        16..=32 => ends::<16>(bytes, wanted),
        // An exit after each block keeps the compiler from unrolling the loop into kilobytes of code.
        _ => {
            let (blocks, _) = bytes.as_chunks::<16>();
            let last = bytes.last_chunk::<16>();
            blocks.iter().any(|b| block(b, wanted)) || last.is_some_and(|b| block(b, wanted))
        }
    }
}

/// The first and the last `N` bytes, for a text of `N` to `2N` bytes: together they cover it.
#[inline(always)]
fn ends<const N: usize>(bytes: &[u8], wanted: impl Fn(u8) -> bool + Copy) -> bool {
    let (first, last) = (bytes.first_chunk::<N>(), bytes.last_chunk::<N>());
    first.is_some_and(|b| block(b, wanted)) | last.is_some_and(|b| block(b, wanted))
}

#[inline(always)]
fn block(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> bool {
    bytes.iter().fold(false, |found, &b| found | wanted(b))
}

/// `text` without the white space XML Schema's `collapse` removes from its ends: space, tab, CR and LF only.
/// `str::trim` would also strip Unicode's other spaces (no-break space, em space, ...), which no schema type
/// allows around a number or a boolean. Byte by byte: a `char` pattern decodes every character it passes.
pub(crate) fn trim_xml_space(text: &str) -> &str {
    let space = |b: &u8| (*b == b' ') | (*b == b'\t') | (*b == b'\r') | (*b == b'\n');
    let bytes = text.as_bytes();
    let start = bytes.iter().position(|b| !space(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !space(b))
        .map_or(start, |last| last + 1);
    // Both ends are next to an ASCII byte or the text's own ends, so both are character boundaries.
    &text[start..end]
}

/// Text lengths on and beside each edge of the look's paths (blocks of 4, 8 and 16, two blocks of 16, the loop past
/// 32), for tests that put a wanted byte at either end of a text of each length.
#[cfg(test)]
pub(crate) const PATH_EDGES: [usize; 16] = [0, 1, 2, 3, 4, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40];

#[cfg(test)]
mod tests {
    use super::{any_byte, trim_xml_space};

    #[test]
    fn trims_xml_space_only() {
        for (text, trimmed) in [
            ("", ""),
            (" \t\r\n", ""),
            ("\n 42\t", "42"),
            ("4 2", "4 2"),
            ("\u{a0}42", "\u{a0}42"),
            ("42\u{2003}", "42\u{2003}"),
            ("\u{c}42", "\u{c}42"),
            (" é ", "é"),
        ] {
            assert_eq!(trim_xml_space(text), trimmed, "{text:?}");
        }
    }

    /// Every length up to three blocks, with the wanted byte at every place and nowhere.
    #[test]
    fn finds_a_byte_at_any_place_of_any_length() {
        for len in 0..=48 {
            let plain = "a".repeat(len);
            assert!(!any_byte(&plain, |b| b == b'"'), "length {len}");
            for at in 0..len {
                let mut text = plain.clone().into_bytes();
                text[at] = b'"';
                let text = String::from_utf8(text).expect("ASCII");
                assert!(any_byte(&text, |b| b == b'"'), "length {len}, at {at}");
            }
        }
    }
}
