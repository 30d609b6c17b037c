//! Every element the seed pages' SOAP templates show is checked against the loaded Microsoft schema: it exists
//! (or is a v12 element v13 removed), sits in the namespace the encoder writes it in, and comes in the
//! template's order. For a derived type, the order is the base's elements followed by the part of the template
//! marked "applicable if the derived type attribute is set to X".
//!
//! A union's `Type` element is the exception: it is the REST discriminator, and in SOAP `xsi:type` carries it
//! (the reference: "`xsi:type` is what selects the subtype; the `Type` child is optional data").
//!
//! The encoder writes fields in schema order, which the Microsoft wire tests check on encoded bodies; together
//! the two prove the wire order the templates document.

mod common;

use marketing_apis_codegen::ir::{Field, Kind, Service, TypeRef};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

/// Pages 000 and 002 were written for v12; their templates carry its namespace and its header set.
const V12: &str = "https://bingads.microsoft.com/CampaignManagement/v12";
const V13: &str = "https://bingads.microsoft.com/CampaignManagement/v13";
const SEEDS: [&str; 3] = [
    "000_64e390c707441463.txt",
    "001_dca8c29d4626dcd7.txt",
    "002_79cab9410b481fe3.txt",
];
/// Header elements the v12 pages show that v13 dropped, and `Action`, which the WSDL does not declare.
const NOT_IN_V13_HEADER: [&str; 4] = ["Action", "ApplicationToken", "Password", "UserName"];

#[derive(Debug)]
enum Item {
    Element(Node),
    /// A template comment naming the derived type the elements after it belong to.
    Derived(String),
}

#[derive(Debug)]
struct Node {
    ns: String,
    name: String,
    items: Vec<Item>,
}

impl Node {
    fn elements(&self) -> impl Iterator<Item = &Node> {
        self.items.iter().filter_map(|i| match i {
            Item::Element(n) => Some(n),
            Item::Derived(_) => None,
        })
    }

    fn child(&self, name: &str) -> &Node {
        self.elements()
            .find(|n| n.name == name)
            .unwrap_or_else(|| panic!("template has no <{name}> under <{}>", self.name))
    }
}

/// The SOAP envelopes in a page's ```xml blocks, in the v13 namespace.
fn templates(page: &str) -> Vec<Node> {
    let text = common::shared_page("seeds", page);
    text.split("```xml")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .filter(|xml| xml.contains("<s:Envelope"))
        .map(|xml| parse(&xml.replace(V12, V13)))
        .collect()
}

fn parse(xml: &str) -> Node {
    let mut reader = quick_xml::NsReader::from_str(xml);
    let mut stack = vec![Node {
        ns: String::new(),
        name: String::new(),
        items: Vec::new(),
    }];
    loop {
        let (ns, event) = reader
            .read_resolved_event()
            .expect("template is well-formed");
        let ns = match ns {
            ResolveResult::Bound(n) => n.into_inner().to_string(),
            _ => String::new(),
        };
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let node = Node {
                    ns,
                    name: e.local_name().into_inner().to_string(),
                    items: Vec::new(),
                };
                if empty {
                    stack.last_mut().unwrap().items.push(Item::Element(node));
                } else {
                    stack.push(node);
                }
            }
            Event::End(_) => {
                let node = stack.pop().unwrap();
                stack.last_mut().unwrap().items.push(Item::Element(node));
            }
            Event::Comment(c) => {
                let text = AsRef::<str>::as_ref(&c).to_string();
                let derived = text
                    .split("derived type attribute is set to ")
                    .nth(1)
                    .unwrap_or_else(|| panic!("unexpected template comment {text:?}"));
                stack
                    .last_mut()
                    .unwrap()
                    .items
                    .push(Item::Derived(derived.trim().to_string()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack.pop().unwrap();
    match root.items.pop() {
        Some(Item::Element(envelope)) => envelope,
        other => panic!("expected one envelope, found {other:?}"),
    }
}

struct Checker<'a> {
    service: &'a Service,
    checked: usize,
    failures: Vec<String>,
}

impl Checker<'_> {
    fn fail(&mut self, message: String) {
        self.failures.push(message);
    }

    /// `node` is an element of schema type `type_name`.
    fn check_type(&mut self, path: &str, node: &Node, type_name: &str) {
        let service = self.service;
        let Some(def) = service.types.get(type_name) else {
            return self.fail(format!("{path}: schema has no type {type_name}"));
        };
        match &def.kind {
            Kind::Struct(s) => self.check_fields(path, node.elements().collect(), &s.fields),
            Kind::Union(u) => {
                // Elements before the first marker are the base's; each marker starts a derived type's own.
                let mut base = Vec::new();
                let mut derived: Vec<(String, Vec<&Node>)> = Vec::new();
                for item in &node.items {
                    match item {
                        Item::Derived(name) => derived.push((name.clone(), Vec::new())),
                        // The discriminator: `xsi:type` carries it in SOAP, so the encoder never writes it.
                        Item::Element(n) if n.name == u.discriminator => self.checked += 1,
                        Item::Element(n) => match derived.last_mut() {
                            Some((_, own)) => own.push(n),
                            None => base.push(n),
                        },
                    }
                }
                let base_fields = self.struct_fields(&u.base_struct).to_vec();
                if derived.is_empty() {
                    return self.check_fields(path, base, &base_fields);
                }
                for (name, own) in derived {
                    if !u.variants.contains(&name) {
                        self.fail(format!(
                            "{path}: {name} is not a derived type of {type_name}"
                        ));
                        continue;
                    }
                    let fields = self.struct_fields(&name).to_vec();
                    let all = base.iter().copied().chain(own).collect();
                    self.check_fields(&format!("{path}[{name}]"), all, &fields);
                }
            }
            Kind::List(list) => {
                let item_ns = def
                    .xml_ns
                    .as_deref()
                    .unwrap_or(&service.soap.as_ref().unwrap().namespace);
                for item in node.elements() {
                    let item_path = format!("{path}/{}", item.name);
                    self.checked += 1;
                    if item.name != list.item_element || item.ns != item_ns {
                        self.fail(format!(
                            "{item_path}: expected <{}> in {item_ns}, template has {{{}}}{}",
                            list.item_element, item.ns, item.name
                        ));
                    }
                    self.check_value(&item_path, item, &list.item);
                }
            }
            Kind::Enum(_) => self.check_leaf(path, node),
        }
    }

    fn struct_fields(&self, name: &str) -> &[Field] {
        match self.service.types.get(name).map(|d| &d.kind) {
            Some(Kind::Struct(s)) => &s.fields,
            other => panic!("{name} is not a struct: {other:?}"),
        }
    }

    /// The template's children, in its order, against the schema's fields in wire order.
    fn check_fields(&mut self, path: &str, children: Vec<&Node>, fields: &[Field]) {
        let tns = self.service.soap.as_ref().unwrap().namespace.clone();
        let mut last: Option<(usize, &str)> = None;
        for child in children {
            let child_path = format!("{path}/{}", child.name);
            self.checked += 1;
            let Some(at) = fields.iter().position(|f| f.wire == child.name) else {
                self.fail(format!("{child_path}: no such field in the schema"));
                continue;
            };
            let field = &fields[at];
            let ns = field.xml_ns.as_deref().unwrap_or(&tns);
            if child.ns != ns {
                self.fail(format!(
                    "{child_path}: schema writes it in {ns}, template in {}",
                    child.ns
                ));
            }
            if let Some((before, name)) = last
                && before >= at
            {
                self.fail(format!(
                    "{child_path}: template has it after <{name}>, schema before"
                ));
            }
            last = Some((at, &field.wire));
            self.check_value(&child_path, child, &field.ty);
        }
    }

    fn check_value(&mut self, path: &str, node: &Node, ty: &TypeRef) {
        match ty {
            TypeRef::Named(name) => self.check_type(path, node, name),
            _ => self.check_leaf(path, node),
        }
    }

    fn check_leaf(&mut self, path: &str, node: &Node) {
        if node.elements().next().is_some() {
            self.fail(format!(
                "{path}: a simple value in the schema, elements in the template"
            ));
        }
    }
}

#[test]
fn seed_templates_agree_with_the_schema_on_every_element() {
    let service = common::project_service("microsoft");
    let soap = service.soap.as_ref().expect("microsoft has a SOAP binding");
    let mut checker = Checker {
        service: &service,
        checked: 0,
        failures: Vec::new(),
    };
    let mut bodies = 0;
    for page in SEEDS {
        for envelope in templates(page) {
            let header: Vec<&str> = envelope
                .child("Header")
                .elements()
                .map(|n| n.name.as_str())
                .filter(|n| !NOT_IN_V13_HEADER.contains(n))
                .collect();
            let ours: Vec<&str> = if header.contains(&"TrackingId") {
                service.tracking_id.iter().map(String::as_str).collect()
            } else {
                soap.headers.iter().map(|h| h.element.as_str()).collect()
            };
            assert_eq!(header, ours, "{page}: header elements");

            let body = envelope
                .child("Body")
                .elements()
                .next()
                .expect("a body element");
            let op = service
                .operations
                .iter()
                .find_map(|op| {
                    let s = op.soap.as_ref()?;
                    (s.request_element == body.name)
                        .then_some(&op.request)
                        .or((s.response_element == body.name).then_some(&op.response))
                })
                .unwrap_or_else(|| panic!("{page}: no operation sends or returns <{}>", body.name));
            assert_eq!(body.ns, soap.namespace, "{page}: body namespace");
            checker.check_type(&format!("{page}:{}", body.name), body, op);
            bodies += 1;
        }
    }
    assert_eq!(bodies, 6, "a request and a response template on each page");
    assert!(
        checker.failures.is_empty(),
        "{} of {} template elements disagree:\n{}",
        checker.failures.len(),
        checker.checked,
        checker.failures.join("\n")
    );
    // The three pages show well over a hundred elements; a parse that found few would prove nothing.
    assert!(
        checker.checked > 150,
        "only {} elements checked",
        checker.checked
    );
}
