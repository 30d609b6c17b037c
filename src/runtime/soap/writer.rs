//! Writes elements in the order generated code calls it, which is the schema's order.

use quick_xml::escape::escape;

use crate::runtime::decimal::Decimal;
use crate::runtime::wire_enum::{Flags, WireEnum};

use super::envelope::XSI;

/// An XML writer that knows the service namespace (written unprefixed) and the prefixes of the others.
pub struct Writer {
    out: String,
    tns: &'static str,
    prefixes: &'static [(&'static str, &'static str)],
}

impl Writer {
    pub fn new(
        tns: &'static str,
        prefixes: &'static [(&'static str, &'static str)],
        capacity: usize,
    ) -> Self {
        Writer {
            out: String::with_capacity(capacity),
            tns,
            prefixes,
        }
    }

    pub fn into_string(self) -> String {
        self.out
    }

    pub(crate) fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// `ns` unprefixed when it is the service namespace, else with its declared prefix.
    fn qname_prefix(&self, ns: &str) -> Option<&'static str> {
        if same(ns, self.tns) {
            None
        } else {
            self.prefixes
                .iter()
                .find(|(_, uri)| same(uri, ns))
                .map(|(p, _)| *p)
        }
    }

    fn open(&mut self, ns: &str, name: &str) {
        self.out.push('<');
        match self.qname_prefix(ns) {
            Some(prefix) => {
                self.out.push_str(prefix);
                self.out.push(':');
                self.out.push_str(name);
            }
            None if same(ns, self.tns) => self.out.push_str(name),
            // A namespace with no declared prefix is declared on the element itself.
            None => {
                self.out.push_str(name);
                self.out.push_str(" xmlns=\"");
                self.out.push_str(&escape(ns));
                self.out.push('"');
            }
        }
    }

    fn close(&mut self, ns: &str, name: &str) {
        self.out.push_str("</");
        if let Some(prefix) = self.qname_prefix(ns) {
            self.out.push_str(prefix);
            self.out.push(':');
        }
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `text` escaped as quick-xml's [`escape`] does; a value with nothing to escape is copied as it stands.
    pub fn text(&mut self, text: &str) {
        if crate::runtime::text::any_byte(text, |b| {
            (b == b'<') | (b == b'>') | (b == b'&') | (b == b'\'') | (b == b'"') | (b == b'\r')
        }) {
            self.out.push_str(&escape(text));
        } else {
            self.out.push_str(text);
        }
    }

    /// `<name [i:type="t:Derived"]>content</name>`.
    pub fn element<T: Encode + ?Sized>(&mut self, ns: &str, name: &str, value: &T) {
        self.open(ns, name);
        if let Some((type_ns, type_name)) = value.xsi_type() {
            self.out.push_str(" i:type=\"");
            let prefix = if same(type_ns, self.tns) {
                Some("t")
            } else {
                self.qname_prefix(type_ns)
            };
            if let Some(prefix) = prefix {
                self.out.push_str(prefix);
                self.out.push(':');
            }
            // A type's name is an XML name from the schema, which never holds a character to escape.
            self.out.push_str(type_name);
            self.out.push('"');
        }
        self.out.push('>');
        value.encode_content(self);
        self.close(ns, name);
    }

    fn nil(&mut self, ns: &str, name: &str) {
        self.open(ns, name);
        self.out.push_str(" i:nil=\"true\"/>");
    }

    /// An optional field: written when present, left out when not.
    pub fn value<T: Encode + ?Sized>(&mut self, ns: &str, name: &str, value: Option<&T>) {
        if let Some(v) = value {
            self.element(ns, name, v);
        }
    }

    /// A field the schema requires but lets be nil: `i:nil="true"` when absent.
    pub fn value_or_nil<T: Encode + ?Sized>(&mut self, ns: &str, name: &str, value: Option<&T>) {
        match value {
            Some(v) => self.element(ns, name, v),
            None => self.nil(ns, name),
        }
    }

    /// An optional SOAP array: the wrapper element holding one `item` element (namespace, name) per value, left
    /// out when absent.
    pub fn list<T: Encode>(
        &mut self,
        ns: &str,
        name: &str,
        item: (&str, &str),
        values: Option<&[T]>,
    ) {
        if let Some(values) = values {
            self.items(ns, name, item, values);
        }
    }

    /// A SOAP array the schema requires but lets be nil: `i:nil="true"` when absent.
    pub fn list_or_nil<T: Encode>(
        &mut self,
        ns: &str,
        name: &str,
        item: (&str, &str),
        values: Option<&[T]>,
    ) {
        match values {
            Some(values) => self.items(ns, name, item, values),
            None => self.nil(ns, name),
        }
    }

    /// A SOAP array that is always there: the wrapper element holding one `item` element per value.
    pub fn items<T: Encode>(
        &mut self,
        ns: &str,
        name: &str,
        (item_ns, item): (&str, &str),
        values: &[T],
    ) {
        self.open(ns, name);
        self.out.push('>');
        for v in values {
            self.element(item_ns, item, v);
        }
        self.close(ns, name);
    }

    /// The namespace declarations a request's root element carries.
    pub(crate) fn declarations(&self) -> String {
        let mut out = format!(" xmlns:i=\"{XSI}\" xmlns:t=\"{}\"", escape(self.tns));
        for (prefix, uri) in self.prefixes {
            out.push_str(&format!(" xmlns:{prefix}=\"{}\"", escape(*uri)));
        }
        out
    }
}

/// Namespace equality; generated code passes the same `&'static str`s, so the pointer check usually decides.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a == b)
}

/// A value that can be the content of an element.
pub trait Encode {
    /// The derived type to name in `xsi:type`, as `(namespace, name)`.
    fn xsi_type(&self) -> Option<(&str, &str)> {
        None
    }

    fn encode_content(&self, writer: &mut Writer);

    /// Writes the value as the element `{ns}name`.
    fn encode(&self, writer: &mut Writer, ns: &str, name: &str) {
        writer.element(ns, name, self);
    }
}

impl Encode for String {
    fn encode_content(&self, writer: &mut Writer) {
        writer.text(self);
    }
}

impl Encode for bool {
    fn encode_content(&self, writer: &mut Writer) {
        writer.raw(if *self { "true" } else { "false" });
    }
}

macro_rules! encode_integer {
    ($($t:ty),*) => {$(
        impl Encode for $t {
            fn encode_content(&self, writer: &mut Writer) {
                writer.raw(itoa::Buffer::new().format(*self));
            }
        }
    )*};
}
encode_integer!(i32, i64);

impl Encode for f64 {
    fn encode_content(&self, writer: &mut Writer) {
        use std::fmt::Write as _;
        let _ = write!(writer.out, "{self}");
    }
}

impl Encode for Decimal {
    fn encode_content(&self, writer: &mut Writer) {
        writer.raw(self.as_str());
    }
}

/// An enum's value: its wire name.
impl<T: WireEnum> Encode for T {
    fn encode_content(&self, writer: &mut Writer) {
        writer.text(self.as_wire());
    }
}

impl<T: WireEnum> Encode for Flags<T> {
    fn encode_content(&self, writer: &mut Writer) {
        writer.text(&self.join(" "));
    }
}
