//! A pull decoder over quick-xml events: generated `Decode` impls read each element straight from the event
//! stream, so no tree is built. No DTD is read and no entity is expanded: a `<!DOCTYPE>` or an entity other than
//! the five predefined ones is an error.

use std::borrow::Cow;
use std::fmt;

use quick_xml::events::{BytesRef, BytesStart, BytesText, Event};
use quick_xml::name::PrefixDeclaration;

use super::envelope::XSI;
use crate::runtime::decimal::Decimal;
use crate::runtime::text::trim_xml_space;
use crate::runtime::wire_enum::{Flags, WireEnum};

/// Nesting deeper than this is refused rather than followed, so recursion in decoders stays bounded.
const MAX_DEPTH: usize = 128;

/// Reads one document. Each element is met as a [`Start`]; whoever receives it reads it to its end with
/// [`Reader::next_child`], [`Reader::text`] or [`Reader::skip`]. Elements are told apart by depth, so reading an
/// element that has already ended returns nothing rather than reading past it.
pub struct Reader<'a> {
    input: &'a str,
    xml: quick_xml::Reader<&'a [u8]>,
    /// Elements open at this point of the document.
    depth: usize,
    /// Namespace prefixes in scope (`""` for the default namespace), innermost last, with the depth of the
    /// element that declared each. Kept here rather than by quick-xml's resolver because only the envelope's
    /// elements and `xsi:` attributes need resolving, and this way a start tag's attributes are read once.
    bindings: Vec<Binding<'a>>,
}

struct Binding<'a> {
    depth: usize,
    prefix: Cow<'a, str>,
    uri: Cow<'a, str>,
}

/// A start tag: local name, `xsi:type` (local part), `xsi:nil`, and the depth it opens.
#[derive(Debug, Clone)]
pub struct Start<'a> {
    qname: Cow<'a, str>,
    local: usize,
    xsi_type: Option<Cow<'a, str>>,
    nil: bool,
    /// The reader's depth while inside this element; `<x/>` never raises it, so it is ended from the start.
    depth: usize,
}

impl Start<'_> {
    pub fn local_name(&self) -> &str {
        &self.qname[self.local..]
    }

    /// The local part of `xsi:type`, whatever prefix the sender bound.
    pub fn xsi_type(&self) -> Option<&str> {
        self.xsi_type.as_deref()
    }

    pub fn is_nil(&self) -> bool {
        self.nil
    }
}

/// `part` as a slice of `input` when it lies inside it, as the names, values and texts quick-xml gives for a
/// borrowed document do.
#[inline]
fn borrowed<'a>(input: &'a str, part: &str) -> Option<&'a str> {
    let start = (part.as_ptr() as usize).wrapping_sub(input.as_ptr() as usize);
    let slice = input.get(start..start.checked_add(part.len())?)?;
    std::ptr::eq(slice.as_ptr(), part.as_ptr()).then_some(slice)
}

/// `part` borrowed from `input` when it lies inside it; a copy otherwise.
fn within<'a>(input: &'a str, part: &str) -> Cow<'a, str> {
    borrowed(input, part).map_or_else(|| Cow::Owned(part.to_string()), Cow::Borrowed)
}

/// Why a body could not be decoded, and the path of elements down to where it happened
/// (`UpdateAudiencesResponse/PartialErrors/BatchError[3]/Index`). The path is put together only on the way out
/// of a failed decode, and the error is one pointer wide, so a successful decode pays for neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(Box<Failure>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Failure {
    message: String,
    /// Innermost first.
    path: Vec<String>,
}

impl DecodeError {
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError(Box::new(Failure {
            message: message.into(),
            path: Vec::new(),
        }))
    }

    /// The same error, inside the element `segment` names.
    pub fn inside(mut self, segment: impl Into<String>) -> Self {
        self.0.path.push(segment.into());
        self
    }
}

/// `at Outer/Inner/Leaf: message`, or the message alone when it is not inside an element.
impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Failure { message, path } = &*self.0;
        if !path.is_empty() {
            f.write_str("at ")?;
            for (n, segment) in path.iter().rev().enumerate() {
                if n > 0 {
                    f.write_str("/")?;
                }
                f.write_str(segment)?;
            }
            f.write_str(": ")?;
        }
        f.write_str(message)
    }
}

impl std::error::Error for DecodeError {}

/// Reads `$reader`'s next event, keeps the depth and applies the document's limits, then evaluates `$then`
/// with `$event` bound to the event where quick-xml put it; an error returns from the enclosing function.
///
/// The event is never moved, and whatever is made of it is made where it is used: a value copied whole after
/// being stored field by field is read back in wider loads than its stores, which the processor cannot
/// forward, so each load waits for the stores to reach the cache. Moving the event had cost every event that
/// wait. A macro rather than a function taking a closure, because the compiler would not always inline such
/// a closure, and what it returned then went through memory.
macro_rules! step {
    ($reader:ident, $event:ident => $then:expr) => {{
        if $reader
            .bindings
            .last()
            .is_some_and(|b| b.depth > $reader.depth)
        {
            $reader.unbind();
        }
        let read = $reader.xml.read_event();
        let $event = match &read {
            Ok(event) => event,
            Err(e) => return Err($reader.malformed(e)),
        };
        match $event {
            Event::Start(_) if $reader.depth < MAX_DEPTH => $reader.depth += 1,
            Event::End(_) => $reader.depth -= 1,
            Event::Start(_) | Event::DocType(_) | Event::Eof => return Err($reader.refuse($event)),
            _ => {}
        }
        $then
    }};
}

impl<'a> Reader<'a> {
    pub fn new(xml: &'a [u8]) -> Result<Self, DecodeError> {
        // One check of the whole document lets names and values borrow from it as `str`.
        let input = simdutf8::compat::from_utf8(xml)
            .map_err(|e| DecodeError::new(format!("not UTF-8: {e}")))?;
        Ok(Reader {
            input,
            xml: quick_xml::Reader::from_str(input),
            depth: 0,
            bindings: Vec::new(),
        })
    }

    /// The document's root element.
    pub fn root(&mut self) -> Result<Start<'a>, DecodeError> {
        loop {
            step!(self, event => match event {
                Event::Start(start) => return self.start(start, false),
                Event::Empty(start) => return self.start(start, true),
                Event::End(_) => return Err(DecodeError::new("an end tag closes nothing")),
                _ => {}
            });
        }
    }

    /// Whether `start`'s element is in namespace `uri`. Ask right after reading `start`: the bindings in scope
    /// change as the reader moves on.
    pub fn is_in(&self, start: &Start<'_>, uri: &str) -> bool {
        let prefix = start
            .qname
            .get(..start.local.saturating_sub(1))
            .unwrap_or("");
        self.resolve(prefix) == Some(uri)
    }

    fn resolve(&self, prefix: &str) -> Option<&str> {
        self.bindings
            .iter()
            .rev()
            .find(|b| b.prefix == prefix)
            .map(|b| b.uri.as_ref())
            .filter(|uri| !uri.is_empty())
    }

    /// The next child element of `parent`, or `None` once `parent` has ended (its end tag is then read). Text
    /// between children is ignored, and so is whatever is left of a child its reader did not finish.
    #[inline(always)]
    pub fn next_child(&mut self, parent: &Start<'_>) -> Result<Option<Start<'a>>, DecodeError> {
        while self.depth >= parent.depth {
            let at_parent = self.depth == parent.depth;
            step!(self, event => match event {
                Event::Start(start) if at_parent => return self.start(start, false).map(Some),
                Event::Empty(start) if at_parent => return self.start(start, true).map(Some),
                _ => {}
            });
        }
        Ok(None)
    }

    /// The text directly inside `start`'s element, up to its end tag; borrowed from the document unless it holds
    /// references or is split by child elements, which are skipped.
    #[inline]
    pub fn text(&mut self, start: &Start<'_>) -> Result<Cow<'a, str>, DecodeError> {
        // A lone text, the usual case, is a `&str` that nothing borrows, so it stays in registers; a text in
        // pieces is joined in `joined`, the only one of the two that lives in memory.
        let (mut first, mut joined) = ("", None);
        while self.depth >= start.depth {
            let at_start = self.depth == start.depth;
            step!(self, event => match event {
                Event::Text(piece) if at_start => match self.borrowed_text(piece) {
                    Some(piece) if first.is_empty() && joined.is_none() => first = piece,
                    Some(piece) => self.join(&mut joined, first, piece),
                    None => self.join(&mut joined, first, &piece.xml10_content()),
                },
                Event::CData(data) if at_start => self.join(&mut joined, first, &data.xml10_content()),
                Event::GeneralRef(r) if at_start => {
                    self.join(&mut joined, first, self.reference(r)?.encode_utf8(&mut [0; 4]));
                }
                _ => {}
            });
        }
        Ok(joined.map_or(Cow::Borrowed(first), Cow::Owned))
    }

    /// The character a reference stands for: a character reference or one of the five predefined entities.
    fn reference(&self, r: &BytesRef<'_>) -> Result<char, DecodeError> {
        let ch = if r.is_char_ref() {
            r.resolve_char_ref()
                .map_err(|e| self.error(format!("character reference: {e}")))?
        } else {
            predefined_entity(r)
        };
        ch.ok_or_else(|| {
            self.error(format!(
                "entity `&{};` is not expanded: only the five predefined ones are",
                &**r
            ))
        })
    }

    /// Adds `more` to `joined`, which starts as `first`. What follows runs at most to the next tag, and a
    /// reference is never shorter than what it stands for, so the `String` gets room for all of it at once.
    fn join(&self, joined: &mut Option<String>, first: &str, more: &str) {
        joined
            .get_or_insert_with(|| {
                let rest = *self.xml.get_ref();
                let room = rest.iter().position(|&b| b == b'<').unwrap_or(rest.len());
                let mut text = String::with_capacity(first.len() + more.len() + room);
                text.push_str(first);
                text
            })
            .push_str(more);
    }

    /// Reads past the end of `start`'s element, whatever it holds.
    #[inline]
    pub fn skip(&mut self, start: &Start<'_>) -> Result<(), DecodeError> {
        while self.depth >= start.depth {
            step!(self, _event => ());
        }
        Ok(())
    }

    /// Reads to the end of the document once the root has ended: only whitespace, comments and processing
    /// instructions may follow it.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        loop {
            match self.xml.read_event() {
                Ok(Event::Eof) => return Ok(()),
                Ok(Event::Comment(_) | Event::PI(_)) => {}
                Ok(Event::Text(t)) if t.trim_ascii().is_empty() => {}
                Ok(_) => return Err(self.error("content after the root element".to_string())),
                Err(e) => return Err(self.malformed(&e)),
            }
        }
    }

    /// Bindings of an element that has ended leave scope only at the next event, so `is_in` can still ask right
    /// after `<x/>`. Out of line: few elements declare a namespace, so few events end one.
    #[cold]
    #[inline(never)]
    fn unbind(&mut self) {
        while self.bindings.last().is_some_and(|b| b.depth > self.depth) {
            self.bindings.pop();
        }
    }

    /// Why reading stops at `event`: nesting too deep, a DOCTYPE, or the end of the document.
    #[cold]
    #[inline(never)]
    fn refuse(&self, event: &Event<'_>) -> DecodeError {
        match event {
            Event::Start(start) => self.error(format!(
                "elements nest deeper than {MAX_DEPTH} at <{}>",
                start.local_name().into_inner()
            )),
            Event::DocType(_) => DecodeError::new("a DOCTYPE is not accepted in a response"),
            _ => DecodeError::new("the document ends before its root element closes"),
        }
    }

    /// `bytes`, just read: its namespace declarations go in scope and its `xsi:` attributes are kept; any other
    /// attribute is ignored.
    #[inline(always)]
    fn start(&mut self, bytes: &BytesStart<'_>, empty: bool) -> Result<Start<'a>, DecodeError> {
        let qname = within(self.input, bytes.name().into_inner());
        let local = local_start(&qname);
        let depth = self.depth + usize::from(empty);
        let (xsi_type, nil) = if bytes.attributes_raw().trim_ascii().is_empty() {
            if local > 0 {
                self.check_element_prefix(&qname, local)?;
            }
            (None, false)
        } else {
            self.attributes(bytes, &qname, local, depth)?
        };
        // Put together here, where it is returned (see `step!`).
        Ok(Start {
            qname,
            local,
            xsi_type,
            nil,
            depth,
        })
    }

    /// The attributes of `bytes`, whose tag has some: its namespace declarations go in scope, and its
    /// `xsi:type` (local part) and `xsi:nil` are returned. Out of line: few tags have attributes.
    #[inline(never)]
    fn attributes(
        &mut self,
        bytes: &BytesStart<'_>,
        qname: &str,
        local: usize,
        depth: usize,
    ) -> Result<(Option<Cow<'a, str>>, bool), DecodeError> {
        // `xsi:` attributes are resolved once the element's own declarations are in scope.
        let (mut xsi_type, mut nil) = (None, None);
        // Without the duplicate check, which allocates per tag; a repeated attribute changes nothing read here.
        for attr in bytes.attributes().with_checks(false) {
            let attr = attr.map_err(|e| self.error(format!("malformed attribute: {e}")))?;
            // Only a value with references needs unescaping; the rest are borrowed as they stand.
            let value = if attr.value.contains('&') {
                let value = attr
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|e| self.error(format!("attribute value: {e}")))?;
                Cow::Owned(value.into_owned())
            } else {
                within(self.input, &attr.value)
            };
            if let Some(declared) = attr.key.as_namespace_binding() {
                let prefix = match declared {
                    PrefixDeclaration::Default => Cow::Borrowed(""),
                    PrefixDeclaration::Named(p) => within(self.input, p),
                };
                self.bindings.push(Binding {
                    depth,
                    prefix,
                    uri: value,
                });
                continue;
            }
            let Some(prefix) = attr.key.prefix() else {
                continue;
            };
            let prefix = within(self.input, prefix.into_inner());
            match attr.key.local_name().into_inner() {
                "type" => xsi_type = Some((prefix, value)),
                "nil" => nil = Some((prefix, value)),
                _ => {}
            }
        }
        if local > 0 {
            self.check_element_prefix(qname, local)?;
        }
        // An undeclared prefix leaves the attribute without meaning: read as no `xsi:` attribute, a derived type
        // would lose its own fields without a word.
        let in_xsi = |prefix: &str| {
            let uri = self.namespace(prefix, || format!("an attribute of <{qname}>"))?;
            Ok::<_, DecodeError>(uri == Some(XSI))
        };
        let nil = match nil {
            Some((prefix, value)) => {
                in_xsi(&prefix)? && matches!(trim_xml_space(&value), "true" | "1")
            }
            None => false,
        };
        let xsi_type = match xsi_type {
            Some((prefix, value)) if in_xsi(&prefix)? => Some(match value {
                Cow::Borrowed(v) => Cow::Borrowed(v.rsplit(':').next().unwrap_or(v)),
                Cow::Owned(v) => Cow::Owned(v.rsplit(':').next().unwrap_or(&v).to_string()),
            }),
            _ => None,
        };
        Ok((xsi_type, nil))
    }

    /// The namespace `prefix` stands for where the reader is, `None` for the predeclared `xml`; an undeclared
    /// prefix is an error naming `what` bears it. Elements are otherwise read by local name, so a document
    /// that is not namespace-well-formed would be read as if it were.
    fn namespace(
        &self,
        prefix: &str,
        what: impl FnOnce() -> String,
    ) -> Result<Option<&str>, DecodeError> {
        match self.resolve(prefix) {
            Some(uri) => Ok(Some(uri)),
            None if prefix == "xml" => Ok(None),
            None => Err(self.error(format!(
                "namespace prefix `{prefix}` of {} is not declared",
                what()
            ))),
        }
    }

    /// A prefixed element's prefix must be declared, by the element itself or an ancestor. Elements a reader
    /// skips are passed over by depth alone and not looked at. Out of line: most elements have no prefix.
    #[inline(never)]
    fn check_element_prefix(&self, qname: &str, local: usize) -> Result<(), DecodeError> {
        let prefix = &qname[..local - 1];
        self.namespace(prefix, || format!("<{qname}>")).map(drop)
    }

    /// A text as it stands in the document, when it holds no carriage return for XML 1.0's line-end rule to
    /// replace (`None`: the caller has quick-xml's normaliser do that).
    #[inline]
    fn borrowed_text(&self, text: &BytesText<'a>) -> Option<&'a str> {
        if crate::runtime::text::any_byte(text, |b| b == b'\r') {
            return None;
        }
        borrowed(self.input, text)
    }

    fn malformed(&self, e: &quick_xml::Error) -> DecodeError {
        DecodeError::new(format!(
            "malformed XML at byte {}: {e}",
            self.xml.error_position()
        ))
    }

    fn error(&self, message: String) -> DecodeError {
        DecodeError::new(format!(
            "{message} (near byte {})",
            self.xml.buffer_position()
        ))
    }
}

/// Where the local part of a tag name starts: after the first colon, as quick-xml splits attribute names, or at
/// 0. Most names have no colon, which the block look of `text::any_byte` tells in a few vector instructions.
/// Out of line: inlined, it made the compiler move quick-xml's tag reading out of line in the reader's loops
/// (an earlier try), which cost more than the look saved.
#[inline(never)]
fn local_start(qname: &str) -> usize {
    if !crate::runtime::text::any_byte(qname, |b| b == b':') {
        return 0;
    }
    qname
        .bytes()
        .position(|b| b == b':')
        .map_or(0, |colon| colon + 1)
}

fn predefined_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

/// A value read from one element, to its end tag.
pub trait Decode: Sized {
    fn decode(reader: &mut Reader<'_>, start: &Start<'_>) -> Result<Self, DecodeError>;
}

impl Decode for String {
    fn decode(reader: &mut Reader<'_>, start: &Start<'_>) -> Result<Self, DecodeError> {
        reader.text(start).map(Cow::into_owned)
    }
}

impl Decode for bool {
    fn decode(reader: &mut Reader<'_>, start: &Start<'_>) -> Result<Self, DecodeError> {
        match trim_xml_space(&reader.text(start)?) {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(reader.error(format!("expected true or false, found {other:?}"))),
        }
    }
}

macro_rules! decode_from_str {
    ($($t:ty => $what:literal),*) => {$(
        impl Decode for $t {
            fn decode(reader: &mut Reader<'_>, start: &Start<'_>) -> Result<Self, DecodeError> {
                let text = reader.text(start)?;
                trim_xml_space(&text).parse().map_err(|_| {
                    reader.error(format!("expected {}, found {:?}", $what, text))
                })
            }
        }
    )*};
}
decode_from_str!(i32 => "a 32-bit integer", i64 => "a 64-bit integer", f64 => "a number", Decimal => "a decimal");

/// An enum's value: its text without the white space XML Schema collapses, so `&#160;Active` is no `Active`;
/// a value the schema does not list is kept as `Unknown`.
impl<T: WireEnum> Decode for T {
    fn decode(reader: &mut Reader<'_>, start: &Start<'_>) -> Result<Self, DecodeError> {
        Ok(T::from_wire(trim_xml_space(&reader.text(start)?)))
    }
}

impl<T: WireEnum> Decode for Flags<T> {
    fn decode(reader: &mut Reader<'_>, start: &Start<'_>) -> Result<Self, DecodeError> {
        Ok(Flags::parse(&reader.text(start)?))
    }
}

/// The value of child element `child` of a type's content; an error names the child in its path.
pub fn field<T: Decode>(reader: &mut Reader<'_>, child: &Start<'_>) -> Result<T, DecodeError> {
    T::decode(reader, child).map_err(|e| e.inside(child.local_name()))
}

/// Room for the items a list may still hold, from the size of its first item in the document: as many as the
/// rest of the document could hold if they were alike, but never more bytes of items than the document has left,
/// so a small first item cannot make a large reservation. A long list then gets its room once, where growing by
/// doubling would copy every item so far at each step (the wire bench's 100 EditorialErrors: five times).
fn room_for_more<T>(reader: &Reader<'_>, first_started: u64) -> usize {
    let after = reader.xml.buffer_position();
    let left = (reader.input.len() as u64).saturating_sub(after);
    let per_item = (after - first_started).max(size_of::<T>() as u64).max(1);
    usize::try_from(left / per_item).unwrap_or(0)
}

/// The items of the SOAP array wrapper `start`; nil items are skipped, other elements ignored. An error names
/// the wrapper and the item's position in its path.
pub fn decode_list<T: Decode>(
    reader: &mut Reader<'_>,
    start: &Start<'_>,
    item: &str,
) -> Result<Vec<T>, DecodeError> {
    let mut items = Vec::new();
    while let Some(child) = reader
        .next_child(start)
        .map_err(|e| e.inside(start.local_name()))?
    {
        if child.local_name() == item && !child.nil {
            let first_started = items.is_empty().then(|| reader.xml.buffer_position());
            let value = T::decode(reader, &child).map_err(|e| {
                e.inside(format!("{item}[{}]", items.len()))
                    .inside(start.local_name())
            })?;
            if let Some(first_started) = first_started {
                items.reserve(1 + room_for_more::<T>(reader, first_started));
            }
            items.push(value);
        } else {
            reader
                .skip(&child)
                .map_err(|e| e.inside(start.local_name()))?;
        }
    }
    Ok(items)
}
