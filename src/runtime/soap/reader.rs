//! A bounded element tree from quick-xml events. No DTD is read and no entity is expanded: a `<!DOCTYPE>` or an
//! entity other than the five predefined ones is an error.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::envelope::XSI;
use crate::runtime::decimal::Decimal;
use crate::runtime::wire_enum::{Flags, WireEnum};

/// Nesting deeper than this is refused rather than followed.
const MAX_DEPTH: usize = 128;

/// One element: namespace, local name, `xsi:type` (local part), `xsi:nil`, text and children. Names and text
/// borrow from the document wherever they appear in it verbatim, and namespaces are shared, so building the tree
/// allocates little beyond the tree itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element<'a> {
    ns: Option<Arc<str>>,
    name: Cow<'a, str>,
    xsi_type: Option<Cow<'a, str>>,
    nil: bool,
    text: Cow<'a, str>,
    children: Vec<Element<'a>>,
}

impl<'a> Element<'a> {
    pub fn namespace(&self) -> Option<&str> {
        self.ns.as_deref()
    }

    pub fn local_name(&self) -> &str {
        &self.name
    }

    /// The local part of `xsi:type`, whatever prefix the sender bound.
    pub fn xsi_type(&self) -> Option<&str> {
        self.xsi_type.as_deref()
    }

    pub fn is_nil(&self) -> bool {
        self.nil
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn children(&self) -> impl Iterator<Item = &Element<'a>> {
        self.children.iter()
    }

    pub fn child(&self, local_name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|c| c.name == local_name)
    }

    /// Moves the first child named `local_name` out, so decoding a body never copies it.
    pub(crate) fn take_child(&mut self, local_name: &str) -> Option<Element<'a>> {
        let at = self.children.iter().position(|c| c.name == local_name)?;
        Some(self.children.swap_remove(at))
    }

    pub(crate) fn into_children(self) -> impl Iterator<Item = Element<'a>> {
        self.children.into_iter()
    }

    fn push_text(&mut self, more: Cow<'a, str>) {
        if self.text.is_empty() {
            self.text = more;
        } else {
            self.text.to_mut().push_str(&more);
        }
    }
}

/// `part` as a slice of `input` when it lies inside it, as quick-xml's names and plain text do for a borrowed
/// document; a copy otherwise.
fn within<'a>(input: &'a str, part: &str) -> Cow<'a, str> {
    let start = (part.as_ptr() as usize).wrapping_sub(input.as_ptr() as usize);
    match start
        .checked_add(part.len())
        .and_then(|end| input.get(start..end))
    {
        Some(slice) if std::ptr::eq(slice.as_ptr(), part.as_ptr()) => Cow::Borrowed(slice),
        _ => Cow::Owned(part.to_string()),
    }
}

/// The few namespaces of a document, each allocated once.
#[derive(Default)]
struct Namespaces(Vec<Arc<str>>);

impl Namespaces {
    fn intern(&mut self, uri: &str) -> Arc<str> {
        if let Some(known) = self.0.iter().find(|n| &***n == uri) {
            return known.clone();
        }
        let new: Arc<str> = Arc::from(uri);
        self.0.push(new.clone());
        new
    }
}

/// Why a body could not be decoded, with the element path where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub message: String,
}

impl DecodeError {
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError {
            message: message.into(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Parses a whole document into its root element.
pub fn parse(xml: &[u8]) -> Result<Element<'_>, DecodeError> {
    let input =
        std::str::from_utf8(xml).map_err(|e| DecodeError::new(format!("not UTF-8: {e}")))?;
    let mut reader = NsReader::from_str(input);
    let mut namespaces = Namespaces::default();
    let mut stack: Vec<Element<'_>> = Vec::new();
    loop {
        let position = reader.buffer_position();
        let (resolved, event) = reader
            .read_resolved_event()
            .map_err(|e| DecodeError::new(format!("malformed XML after byte {position}: {e}")))?;
        let ns = match resolved {
            ResolveResult::Bound(ns) => Some(namespaces.intern(ns.into_inner())),
            _ => None,
        };
        match event {
            Event::Start(start) | Event::Empty(start) if stack.len() >= MAX_DEPTH => {
                return Err(DecodeError::new(format!(
                    "elements nest deeper than {MAX_DEPTH} at <{}>",
                    start.local_name().into_inner()
                )));
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                let mut element = Element {
                    ns,
                    name: within(input, start.local_name().into_inner()),
                    ..Element::default()
                };
                for attr in start.attributes() {
                    let attr =
                        attr.map_err(|e| DecodeError::new(format!("malformed attribute: {e}")))?;
                    let (attr_ns, local) = reader.resolver().resolve_attribute(attr.key);
                    let is_xsi =
                        matches!(attr_ns, ResolveResult::Bound(n) if n.into_inner() == XSI);
                    if !is_xsi {
                        continue;
                    }
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| DecodeError::new(format!("attribute value: {e}")))?;
                    match local.into_inner() {
                        "type" => {
                            let local = value.rsplit(':').next().unwrap_or_default();
                            element.xsi_type = Some(within(input, local));
                        }
                        "nil" => element.nil = value.trim() == "true" || value.trim() == "1",
                        _ => {}
                    }
                }
                if matches!(event, Event::Empty(_)) {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(element),
                        None => return Ok(element),
                    }
                } else {
                    stack.push(element);
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(DecodeError::new("an end tag closes nothing"));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Text(t) => {
                if let Some(current) = stack.last_mut() {
                    let content = t.xml10_content();
                    current.push_text(within(input, &content));
                }
            }
            Event::CData(c) => {
                if let Some(current) = stack.last_mut() {
                    current.push_text(within(input, &c.into_inner()));
                }
            }
            Event::GeneralRef(r) => {
                let ch = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .map_err(|e| DecodeError::new(format!("character reference: {e}")))?
                } else {
                    predefined_entity(&r)
                };
                let Some(ch) = ch else {
                    return Err(DecodeError::new(format!(
                        "entity `&{};` is not expanded: only the five predefined ones are",
                        &*r
                    )));
                };
                if let Some(current) = stack.last_mut() {
                    current.text.to_mut().push(ch);
                }
            }
            Event::DocType(_) => {
                return Err(DecodeError::new("a DOCTYPE is not accepted in a response"));
            }
            Event::Eof => {
                return Err(DecodeError::new(
                    "the document ends before its root element closes",
                ));
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
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

/// A value decoded from one element.
pub trait Decode: Sized {
    fn decode(element: &Element<'_>) -> Result<Self, DecodeError>;
}

impl Decode for String {
    fn decode(element: &Element<'_>) -> Result<Self, DecodeError> {
        Ok(element.text.to_string())
    }
}

impl Decode for bool {
    fn decode(element: &Element<'_>) -> Result<Self, DecodeError> {
        match element.text.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(DecodeError::new(format!(
                "<{}>: expected true or false, found {other:?}",
                element.name
            ))),
        }
    }
}

macro_rules! decode_from_str {
    ($($t:ty => $what:literal),*) => {$(
        impl Decode for $t {
            fn decode(element: &Element<'_>) -> Result<Self, DecodeError> {
                element.text.trim().parse().map_err(|_| {
                    DecodeError::new(format!("<{}>: expected {}, found {:?}", element.name, $what, element.text))
                })
            }
        }
    )*};
}
decode_from_str!(i32 => "a 32-bit integer", i64 => "a 64-bit integer", f64 => "a number", Decimal => "a decimal");

impl<T: WireEnum> Decode for Flags<T> {
    fn decode(element: &Element<'_>) -> Result<Self, DecodeError> {
        Ok(Flags::parse(&element.text))
    }
}

/// The items of a SOAP array wrapper; nil items are skipped, other elements ignored.
pub fn decode_list<T: Decode>(element: &Element<'_>, item: &str) -> Result<Vec<T>, DecodeError> {
    element
        .children
        .iter()
        .filter(|c| c.name == item && !c.nil)
        .map(T::decode)
        .collect()
}

/// A required element that was absent or nil.
pub fn required<T>(value: Option<T>, parent: &Element<'_>, name: &str) -> Result<T, DecodeError> {
    value.ok_or_else(|| {
        DecodeError::new(format!(
            "<{}>: required element <{name}> is missing",
            parent.name
        ))
    })
}
