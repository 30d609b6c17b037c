//! The reader and the envelope against hostile, odd and truncated documents, with a hand-written decoder shaped
//! like the generated ones.

use super::envelope::XSI;
use super::*;

/// `<Item>`: a name, a count, a list of `<string>` tags, and the `xsi:type` it arrived with.
#[derive(Debug, Default, PartialEq)]
struct Item {
    kind: Option<String>,
    name: Option<String>,
    count: Option<i32>,
    tags: Option<Vec<String>>,
    counts: Option<Vec<i32>>,
}

impl Decode for Item {
    fn decode(reader: &mut Reader<'_>, start: &Start<'_>) -> Result<Self, DecodeError> {
        let mut item = Item {
            kind: start.xsi_type().map(str::to_string),
            ..Item::default()
        };
        while let Some(child) = reader.next_child(start)? {
            if child.is_nil() {
                continue;
            }
            match child.local_name() {
                "Name" => item.name = Some(field(reader, &child)?),
                "Count" => item.count = Some(field(reader, &child)?),
                "Tags" => item.tags = Some(decode_list(reader, &child, "string")?),
                "Counts" => item.counts = Some(decode_list(reader, &child, "int")?),
                _ => {}
            }
        }
        Ok(item)
    }
}

fn envelope(body: &str) -> String {
    format!(r#"<s:Envelope xmlns:s="{SOAP_ENV}"><s:Body>{body}</s:Body></s:Envelope>"#)
}

fn item(xml: &str) -> Result<Item, DecodeError> {
    match read_envelope(
        xml.as_bytes(),
        Some("TrackingId"),
        |r, s| Item::decode(r, s).map_err(|e| e.inside(s.local_name())),
        |r, s| Some(Item::decode(r, s)),
    )? {
        Reply::Body { value, .. } => Ok(value),
        Reply::Fault(f) => Err(DecodeError::new(format!("fault {}", f.message))),
    }
}

fn error(xml: &str) -> String {
    item(xml).expect_err("must not decode").to_string()
}

#[test]
fn reads_fields_in_any_prefix_skipping_nil_and_unknown_elements() {
    let xml = format!(
        r#"<?xml version="1.0"?><env:Envelope xmlns:env="{SOAP_ENV}"><env:Header/><env:Body>
        <Item xmlns:x="{XSI}" x:type="Special">
          <Unknown><Name>not this one</Name><Deeper><Count>9</Count></Deeper></Unknown>
          <Name>shoes &amp; socks &#x263A; <![CDATA[<raw>]]><!-- gone -->!</Name>
          <Count x:nil="true"/>
          <Count> 42 </Count>
          <Tags><string>a</string><string x:nil="true"/><other>b</other><string>c</string></Tags>
        </Item></env:Body></env:Envelope>"#
    );
    assert_eq!(
        item(&xml).expect("decodes"),
        Item {
            kind: Some("Special".into()),
            name: Some("shoes & socks \u{263A} <raw>!".into()),
            count: Some(42),
            tags: Some(vec!["a".into(), "c".into()]),
            counts: None,
        }
    );
}

#[test]
fn line_ends_are_normalised_and_text_split_by_markup_is_joined() {
    let name = |content: &str| {
        item(&envelope(&format!("<Item><Name>{content}</Name></Item>")))
            .expect("decodes")
            .name
            .expect("a name")
    };
    assert_eq!(name("one\r\ntwo\rthree\n"), "one\ntwo\nthree\n");
    assert_eq!(name("before<!-- a comment -->after"), "beforeafter");
    assert_eq!(name("text<![CDATA[ and <cdata>]]>"), "text and <cdata>");
    assert_eq!(name("&lt;&#65;&gt;&apos;&quot;"), "<A>'\"");
    assert_eq!(name("a<?pi?>&amp;<!-- c -->b\r\n"), "a&b\n");
}

/// An enum of the shape the generator gives, read and written by the runtime's codecs for every enum.
#[derive(Debug, PartialEq)]
enum Colour {
    Red,
    Unknown(String),
}

impl crate::runtime::wire_enum::WireEnum for Colour {
    const VALUES: &'static [&'static str] = &["Red"];
    fn as_wire(&self) -> &str {
        match self {
            Colour::Red => "Red",
            Colour::Unknown(other) => other,
        }
    }
    fn unknown(&self) -> Option<&str> {
        match self {
            Colour::Red => None,
            Colour::Unknown(other) => Some(other),
        }
    }
    fn from_wire(text: &str) -> Self {
        match text {
            "Red" => Colour::Red,
            other => Colour::Unknown(other.to_string()),
        }
    }
}

/// The body element of an envelope around `body`, decoded as a `T`.
fn body_as<T: Decode>(body: &str) -> T {
    let xml = envelope(body);
    match read_envelope(
        xml.as_bytes(),
        None,
        T::decode,
        |_, _| None::<Result<(), _>>,
    )
    .expect("decodes")
    {
        Reply::Body { value, .. } => value,
        Reply::Fault(f) => panic!("fault {}", f.message),
    }
}

#[test]
fn an_enum_is_read_by_its_wire_name_with_only_xml_white_space_around_it() {
    let colour = |content: &str| body_as::<Colour>(&format!("<Colour>{content}</Colour>"));
    for spaced in ["Red", " Red", "\tRed\r\n", "&#32;Red&#xA;"] {
        assert_eq!(colour(spaced), Colour::Red, "{spaced:?}");
    }
    assert_eq!(colour("&#160;Red"), Colour::Unknown("\u{a0}Red".into()));
    assert_eq!(colour("Red\u{2003}"), Colour::Unknown("Red\u{2003}".into()));
    assert_eq!(colour("Blue"), Colour::Unknown("Blue".into()));
    // A flag set: wire names apart by white space, or by commas as JSON has them.
    assert_eq!(
        body_as::<crate::runtime::wire_enum::Flags<Colour>>("<Colours> Red Blue,\tRed </Colours>")
            .0,
        [Colour::Red, Colour::Unknown("Blue".into()), Colour::Red]
    );
    // Written back as it came, the unknown value included.
    for (value, xml) in [
        (Colour::Red, "Red"),
        (Colour::Unknown("Blue & co".into()), "Blue &amp; co"),
    ] {
        let mut writer = Writer::new("urn:tns", &[], 0);
        value.encode_content(&mut writer);
        assert_eq!(writer.into_string(), xml);
    }
}

/// XML Schema collapses space, tab, CR and LF around a number or a boolean; any other space, literal or as a
/// character reference, makes the value malformed.
#[test]
fn only_xml_white_space_may_surround_a_number_or_a_boolean() {
    let count = |content: &str| item(&envelope(&format!("<Item><Count>{content}</Count></Item>")));
    for spaced in [" 42", "42 ", "\t42\r\n", "&#32;42&#x9;", "\n 42 \n"] {
        assert_eq!(
            count(spaced).expect("decodes").count,
            Some(42),
            "{spaced:?}"
        );
    }
    for (bad, shown) in [
        ("\u{a0}42", "\u{a0}42"),
        ("&#160;42", "\u{a0}42"),
        ("42\u{2003}", "42\u{2003}"),
        ("&#x3000;42", "\u{3000}42"),
    ] {
        let error = count(bad).expect_err(bad).to_string();
        assert!(
            error.contains(&format!("expected a 32-bit integer, found {shown:?}")),
            "{bad:?}: {error}"
        );
    }
    let nil = |value: &str| {
        let xml = envelope(&format!(
            r#"<Item xmlns:i="{XSI}"><Count i:nil="{value}">7</Count></Item>"#
        ));
        item(&xml).expect("decodes").count
    };
    assert_eq!(nil(" true\t"), None);
    assert_eq!(nil("\u{a0}true"), Some(7));
}

#[test]
fn xsi_attributes_count_only_in_the_xsi_namespace_wherever_it_is_declared() {
    // Declared after the attribute that uses it, on the same tag.
    let late = envelope(&format!(r#"<Item q:type="Late" xmlns:q="{XSI}"/>"#));
    assert_eq!(item(&late).expect("decodes").kind.as_deref(), Some("Late"));
    // A `type` attribute in another namespace is not `xsi:type`, nor is `nil`.
    let other = envelope(
        r#"<Item xmlns:q="urn:other" q:type="NotXsi"><Name q:nil="true">kept</Name></Item>"#,
    );
    let decoded = item(&other).expect("decodes");
    assert_eq!(decoded.kind, None);
    assert_eq!(decoded.name.as_deref(), Some("kept"));
    // A prefix declared on an empty sibling is out of scope afterwards: `q:nil` then names no namespace, which
    // is an error rather than an attribute quietly ignored.
    let scoped = envelope(&format!(
        r#"<Item><Tags xmlns:q="{XSI}"/><Name q:nil="true">text</Name></Item>"#
    ));
    assert!(
        error(&scoped).contains("namespace prefix `q` of an attribute of <Name> is not declared"),
        "{}",
        error(&scoped)
    );
    // `xml:` is bound without a declaration, and never to XSI.
    let xml = envelope(r#"<Item xml:type="NotXsi"><Name xml:nil="true">kept</Name></Item>"#);
    let decoded = item(&xml).expect("decodes");
    assert_eq!(decoded.kind, None);
    assert_eq!(decoded.name.as_deref(), Some("kept"));
    let undeclared = envelope(r#"<Item i:type="Special"><Name>n</Name></Item>"#);
    assert!(
        error(&undeclared)
            .contains("namespace prefix `i` of an attribute of <Item> is not declared"),
        "{}",
        error(&undeclared)
    );
}

#[test]
fn element_prefixes_must_be_declared() {
    // On the element itself, or on an ancestor.
    let own = envelope(r#"<Item><a:Name xmlns:a="urn:a">own</a:Name></Item>"#);
    assert_eq!(item(&own).expect("decodes").name.as_deref(), Some("own"));
    let inherited = envelope(r#"<Item xmlns:a="urn:a"><a:Name>inherited</a:Name></Item>"#);
    assert_eq!(
        item(&inherited).expect("decodes").name.as_deref(),
        Some("inherited")
    );
    // Undeclared, or declared on a sibling whose scope has ended, whether the tag has attributes or not.
    for (body, element) in [
        (r#"<Item><a:Name>n</a:Name></Item>"#, "a:Name"),
        (r#"<Item><a:Name id="1">n</a:Name></Item>"#, "a:Name"),
        (
            r#"<Item><Tags xmlns:a="urn:a"/><a:Name>n</a:Name></Item>"#,
            "a:Name",
        ),
    ] {
        let prefix = &element[..1];
        let message = error(&envelope(body));
        assert!(
            message.contains(&format!(
                "namespace prefix `{prefix}` of <{element}> is not declared"
            )),
            "{body}: {message}"
        );
    }
    // Elements the reader skips are passed over by depth alone, unread, and so unchecked.
    let skipped = envelope(r#"<Item><Unknown><b:Deep/></Unknown><Name>n</Name></Item>"#);
    assert_eq!(item(&skipped).expect("decodes").name.as_deref(), Some("n"));
    let envelope_undeclared = "<s:Envelope><s:Body><Item/></s:Body></s:Envelope>";
    assert!(
        error(envelope_undeclared).contains("namespace prefix `s` of <s:Envelope> is not declared"),
        "{}",
        error(envelope_undeclared)
    );
}

#[test]
fn the_envelope_must_be_soap_1_1_whatever_its_prefix() {
    let default_ns = format!(
        r#"<Envelope xmlns="{SOAP_ENV}"><Body><Item xmlns=""><Name>n</Name></Item></Body></Envelope>"#
    );
    assert_eq!(
        item(&default_ns).expect("decodes").name.as_deref(),
        Some("n")
    );
    let soap12 = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><Item/></s:Body></s:Envelope>"#;
    assert!(error(soap12).contains("expected a SOAP 1.1 Envelope"));
    assert!(error(&envelope("")).contains("the Body is empty"));
    let no_body = format!(r#"<s:Envelope xmlns:s="{SOAP_ENV}"><s:Header/></s:Envelope>"#);
    assert!(error(&no_body).contains("no Body"));
}

/// An envelope around one item, cut just after `marker`.
fn truncated_after(marker: &str) -> String {
    let full = envelope("<Item><Name>x</Name></Item>");
    full[..full.find(marker).expect("marker") + marker.len()].to_string()
}

#[test]
fn malformed_truncated_and_hostile_documents_are_errors() {
    let cases = [
        (envelope("<Item><Name>x</Count></Item>"), "malformed XML"),
        (truncated_after("<Name>x"), "ends before"),
        (truncated_after("<Na"), "malformed XML"),
        (
            envelope("<Item><Name>x</Name></Item>") + "<",
            "malformed XML",
        ),
        (
            format!("<!DOCTYPE x [<!ENTITY e \"boom\">]>{}", envelope("<Item/>")),
            "DOCTYPE",
        ),
        (envelope("<Item><Name>&e;</Name></Item>"), "not expanded"),
        (
            envelope("<Item><Count>12x</Count></Item>"),
            "at Item/Count: expected a 32-bit integer, found \"12x\"",
        ),
        (
            envelope("<Item><Counts><int>1</int><int>2</int><int>x</int></Counts></Item>"),
            "at Item/Counts/int[2]: expected a 32-bit integer",
        ),
        (
            envelope("<Item><Counts><int>1</int><int>2</Counts></Item>"),
            "at Item/Counts/int[1]: malformed XML",
        ),
        (
            envelope(&format!("<Item>{}", "<Unknown>".repeat(200))),
            "nest deeper than 128",
        ),
        // An end tag before any start: refused before it could take the depth below zero.
        (format!("</x>{}", envelope("<Item/>")), "malformed XML"),
    ];
    for (xml, expected) in cases {
        let message = error(&xml);
        assert!(message.contains(expected), "{xml:.80}: {message}");
    }
    // Bytes that are not UTF-8 are refused, with where they are, early or deep in a long document.
    for at in [3, 200] {
        let mut xml = format!("<a>{}</a>", "x".repeat(300)).into_bytes();
        xml[at] = 0xff;
        let message = Reader::new(&xml).err().expect("not UTF-8").to_string();
        assert!(
            message.starts_with("not UTF-8") && message.ends_with(&format!("from index {at}")),
            "{message}"
        );
    }
}

#[test]
fn the_rest_of_the_document_is_read_after_the_body() {
    // The body decodes, but what follows it is cut off: the reply is not accepted.
    let cut = envelope("<Item><Name>x</Name></Item>");
    let cut = &cut[..cut.len() - "</s:Envelope>".len()];
    assert!(error(cut).contains("ends before"));
    // Unknown elements after the first in the Body, and after the Body, are read and skipped.
    let extra = format!(
        r#"<s:Envelope xmlns:s="{SOAP_ENV}"><s:Body><Item><Name>x</Name></Item><More><a/></More></s:Body><Trailer/></s:Envelope>"#
    );
    assert_eq!(item(&extra).expect("decodes").name.as_deref(), Some("x"));
    // After the root only white space, comments and processing instructions may follow.
    let whole = envelope("<Item><Name>x</Name></Item>");
    assert!(item(&format!("{whole}\r\n <!-- c --><?pi?>\n")).is_ok());
    assert!(error(&format!("{whole} x")).contains("content after the root element"));
}

/// A plain text is borrowed from the document; only one with references (or in pieces) is copied.
#[test]
fn plain_text_is_borrowed_from_the_document() {
    let mut reader = Reader::new(b"<a><b>plain</b><c>x &amp; y</c></a>").expect("UTF-8");
    let root = reader.root().expect("a root");
    let plain = reader.next_child(&root).expect("read").expect("<b>");
    assert!(matches!(
        reader.text(&plain),
        Ok(std::borrow::Cow::Borrowed("plain"))
    ));
    let referenced = reader.next_child(&root).expect("read").expect("<c>");
    assert!(matches!(reader.text(&referenced), Ok(std::borrow::Cow::Owned(t)) if t == "x & y"));
}

#[test]
fn a_fault_keeps_code_message_tracking_id_and_detail() {
    let xml = format!(
        r#"<s:Envelope xmlns:s="{SOAP_ENV}"><s:Header><TrackingId xmlns="urn:t">abc-123</TrackingId></s:Header><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>Invalid client data.</faultstring><detail><Item><Name>inside</Name></Item><Ignored/></detail></s:Fault></s:Body></s:Envelope>"#
    );
    let reply = read_envelope(
        xml.as_bytes(),
        Some("TrackingId"),
        |_, _| Ok::<(), _>(()),
        |r, s| Some(Item::decode(r, s)),
    )
    .expect("reads");
    let Reply::Fault(fault) = reply else {
        panic!("expected a fault")
    };
    assert_eq!(fault.code, "s:Server");
    assert_eq!(fault.message, "Invalid client data.");
    assert_eq!(fault.tracking_id.as_deref(), Some("abc-123"));
    let detail = fault.detail.expect("a detail").expect("decodes");
    assert_eq!(detail.name.as_deref(), Some("inside"));

    // A detail that does not decode is reported as such, with the fault's own text kept.
    let bad = xml.replace("<Name>inside</Name>", "<Count>many</Count>");
    let Reply::Fault(fault) = read_envelope(
        bad.as_bytes(),
        None,
        |_, _| Ok::<(), _>(()),
        |r, s| Some(Item::decode(r, s)),
    )
    .expect("reads") else {
        panic!("expected a fault")
    };
    assert_eq!(fault.message, "Invalid client data.");
    let message = fault
        .detail
        .expect("a detail")
        .expect_err("bad count")
        .to_string();
    assert!(
        message.starts_with("at Item/Count: expected a 32-bit integer"),
        "{message}"
    );
}

#[test]
fn the_tracking_id_is_the_header_of_that_name_unless_it_is_nil() {
    let tracking_id = |header: &str| {
        let xml = format!(
            r#"<s:Envelope xmlns:s="{SOAP_ENV}" xmlns:i="{XSI}"><s:Header>{header}</s:Header><s:Body><Item/></s:Body></s:Envelope>"#
        );
        match read_envelope(
            xml.as_bytes(),
            Some("TrackingId"),
            |r, s| Item::decode(r, s),
            |r, s| Some(Item::decode(r, s)),
        ) {
            Ok(Reply::Body { tracking_id, .. }) => tracking_id,
            other => panic!("{header}: expected a body, got {other:?}"),
        }
    };
    assert_eq!(
        tracking_id(r#"<TrackingId xmlns="urn:t">abc</TrackingId><Other xmlns="urn:t">x</Other>"#)
            .as_deref(),
        Some("abc"),
        "another header after it"
    );
    assert_eq!(tracking_id(r#"<TrackingId i:nil="true"/>"#), None);
}

#[test]
fn a_body_element_is_a_fault_only_when_it_is_soaps_own() {
    let body = item(&envelope(
        r#"<Fault xmlns="urn:other"><Name>mine</Name></Fault>"#,
    ))
    .expect("a body element that happens to be called Fault");
    assert_eq!(body.name.as_deref(), Some("mine"));
}

#[test]
fn an_element_that_has_ended_yields_nothing_more() {
    let mut reader = Reader::new(b"<a><b/><c>text</c></a>").expect("UTF-8");
    let a = reader.root().expect("root");
    let b = reader.next_child(&a).expect("reads").expect("b");
    assert_eq!(b.local_name(), "b");
    assert!(reader.next_child(&b).expect("reads").is_none());
    assert_eq!(reader.text(&b).expect("reads"), "");
    reader.skip(&b).expect("nothing to skip");
    let c = reader.next_child(&a).expect("reads").expect("c");
    assert_eq!(reader.text(&c).expect("reads"), "text");
    assert_eq!(reader.text(&c).expect("reads"), "", "c has ended");
    assert!(reader.next_child(&a).expect("reads").is_none());
}

/// A list makes room for as many more items as the rest of the document could hold, after its first: never more
/// bytes of items than the document has left, however small that first item is next to the item's type.
#[test]
fn a_list_reserves_no_more_than_the_rest_of_the_document_could_hold() {
    fn within<T>(items: &[T], capacity: usize, xml: &str) {
        assert!(
            capacity * size_of::<T>() <= xml.len(),
            "room for {capacity} items of {} bytes from {} bytes of XML, holding {}",
            size_of::<T>(),
            xml.len(),
            items.len()
        );
    }
    let many: String = (0..200).map(|n| format!("<int>{n}</int>")).collect();
    let xml = envelope(&format!("<Item><Counts>{many}</Counts></Item>"));
    let counts = item(&xml).expect("decodes").counts.expect("counts");
    assert_eq!(counts, (0..200).collect::<Vec<_>>());
    within(&counts, counts.capacity(), &xml);
    // Ten bytes of XML make a 24-byte `String`.
    let tail = "x".repeat(10_000);
    let xml = envelope(&format!(
        "<Item><Tags><string>a</string></Tags><Name>{tail}</Name></Item>"
    ));
    let tags = item(&xml).expect("decodes").tags.expect("tags");
    assert_eq!(tags, ["a"]);
    within(&tags, tags.capacity(), &xml);
}

#[test]
fn the_writer_escapes_text_as_quick_xml_does_and_writes_numbers_in_full() {
    const TNS: &str = "urn:tns";
    let written = |write: &dyn Fn(&mut Writer)| {
        let mut writer = Writer::new(TNS, &[], 0);
        write(&mut writer);
        writer.into_string()
    };
    let mut texts = vec![
        "plain text with nothing to escape, long enough for a vector or two".to_string(),
        String::new(),
    ];
    // Each character that needs escaping, alone and at either end of texts long and short enough to take each
    // path through the look for them (`text::PATH_EDGES`).
    for special in ['<', '>', '&', '\'', '"', '\r'] {
        for filler in crate::runtime::text::PATH_EDGES {
            let pad = "x".repeat(filler);
            texts.extend([
                format!("{special}{pad}"),
                format!("{pad}{special}"),
                format!("{pad}{special}{pad}"),
            ]);
        }
    }
    for text in &texts {
        assert_eq!(
            written(&|w| w.text(text)),
            quick_xml::escape::escape(text.as_str()),
            "{text:?}"
        );
    }
    assert_eq!(
        written(&|w| {
            i32::MIN.encode_content(w);
            w.text(" ");
            i64::MAX.encode_content(w);
            w.text(" ");
            0i32.encode_content(w);
            w.text(" ");
            1e21f64.encode_content(w);
        }),
        "-2147483648 9223372036854775807 0 1000000000000000000000"
    );
}

/// Each way a field is written: an optional one is left out when absent, a required nillable one is nil, and a
/// list wraps one item element per value, in the item's namespace.
#[test]
fn fields_are_written_left_out_or_nil_as_the_schema_says() {
    const TNS: &str = "urn:tns";
    const ARRAYS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";
    let written = |write: &dyn Fn(&mut Writer)| {
        let mut writer = Writer::new(TNS, &[("a1", ARRAYS)], 0);
        write(&mut writer);
        writer.into_string()
    };
    let (some, none) = (Some(&7i64), None::<&i64>);
    let (ids, no_ids) = (Some(&[1i64, 2][..]), None::<&[i64]>);
    type Case<'a> = (&'a dyn Fn(&mut Writer), &'a str);
    let cases: [Case; 10] = [
        (&|w| w.value(TNS, "N", some), "<N>7</N>"),
        // A namespace the envelope gave no prefix is declared on the element, even one as long as the service's.
        (
            &|w| w.element("urn:xyz", "N", &7i64),
            r#"<N xmlns="urn:xyz">7</N>"#,
        ),
        (&|w| w.value(TNS, "N", none), ""),
        (&|w| w.value_or_nil(TNS, "N", some), "<N>7</N>"),
        (&|w| w.value_or_nil(TNS, "N", none), r#"<N i:nil="true"/>"#),
        (&|w| w.element(TNS, "N", &7i64), "<N>7</N>"),
        (
            &|w| w.list(TNS, "Ids", (ARRAYS, "long"), ids),
            "<Ids><a1:long>1</a1:long><a1:long>2</a1:long></Ids>",
        ),
        (&|w| w.list(TNS, "Ids", (ARRAYS, "long"), no_ids), ""),
        (
            &|w| w.list_or_nil(TNS, "Ids", (ARRAYS, "long"), no_ids),
            r#"<Ids i:nil="true"/>"#,
        ),
        (
            &|w| w.items(TNS, "Ids", (ARRAYS, "long"), &[3i64]),
            "<Ids><a1:long>3</a1:long></Ids>",
        ),
    ];
    for (write, expected) in cases {
        assert_eq!(written(write), expected);
    }
}
