//! Encoding and decoding costs against their floors, both sides in one process:
//! - a SOAP UpdateAudiences request with 100 fully populated audiences, against writing the same XML events
//!   with quick-xml directly (target: at most 1.5 times);
//! - the same request as REST JSON (checks, encoder and headers), against serde_json writing plain structs of
//!   the same shape;
//! - a SOAP response with 100 EditorialErrors, against a bare quick-xml event loop over the same bytes
//!   (target: at most 2 times).
//!
//! `cargo bench --bench wire`

mod support;

use marketing_apis::microsoft::*;
use marketing_apis::{ClientConfig, Secret, Transport, decode_response};
use quick_xml::events::Event;
use serde::Serialize;
use support::{compare, report};

const TNS: &str = "https://bingads.microsoft.com/CampaignManagement/v13";

fn client(transport: Transport) -> Client {
    let credentials = Credentials {
        access_token: Secret::new("token"),
        developer_token: Secret::new("developer"),
        customer_id: "123".into(),
        customer_account_id: "456".into(),
    };
    let config = ClientConfig {
        transport: Some(transport),
        ..ClientConfig::default()
    };
    Client::with_config(credentials, config).expect("client")
}

fn item(value: &str) -> RuleItem {
    StringRuleItem {
        operand: Some("Url".into()),
        operator: Some(StringOperator::Contains),
        value: Some(value.into()),
    }
    .into()
}

/// Every field of RemarketingList set, its rule with two groups of two items.
fn audience(n: i64) -> Audience {
    RemarketingList {
        audience_network_size: Some(1_000_000 + n),
        customer_share: Some(CustomerShare {
            customer_account_shares: Some(vec![CustomerAccountShare {
                account_id: Some(70_000 + n),
                associations: Some(vec![CustomerAccountShareAssociation {
                    association_count: Some(2),
                    usage_type: Some("Shared".into()),
                }]),
                customer_id: Some(80_000 + n),
            }]),
            owner_customer_id: Some(90_000 + n),
        }),
        description: Some(format!("Visitors of the shoe pages & checkout, list {n}")),
        forward_compatibility_map: Some(vec![KeyValuePairOfstringstring {
            key: Some("k".into()),
            value: Some("v".into()),
        }]),
        id: Some(9_000_000_000 + n),
        membership_duration: Some(30),
        name: Some(format!("Remarketing list {n}")),
        parent_id: Some(123_456_789),
        scope: Some(EntityScope::Account),
        search_size: Some(5_000 + n),
        supported_campaign_types: Some(vec!["Search".into(), "Shopping".into(), "Audience".into()]),
        rule: Some(
            PageVisitorsRule {
                normal_form: Some(NormalForm::Disjunctive),
                rule_item_groups: Some(vec![
                    RuleItemGroup {
                        items: Some(vec![item("shoes"), item("boots")]),
                    },
                    RuleItemGroup {
                        items: Some(vec![
                            item("checkout"),
                            NumberRuleItem {
                                operand: Some("Value".into()),
                                operator: Some(NumberOperator::GreaterThan),
                                value: Some("12.5".into()),
                            }
                            .into(),
                        ]),
                    },
                ]),
            }
            .into(),
        ),
        tag_id: Some(26_000_000 + n),
    }
    .into()
}

fn request() -> UpdateAudiencesRequest {
    UpdateAudiencesRequest {
        audiences: Some((0..100).map(audience).collect()),
    }
}

/// Writes `events` with quick-xml's own writer: the least any encoder of these bytes can do. Like the client, it
/// does not know the size in advance.
fn write_events(events: &[Event<'static>]) -> Vec<u8> {
    let mut writer = quick_xml::Writer::new(Vec::new());
    for event in events {
        writer.write_event(event.borrow()).expect("write");
    }
    writer.into_inner()
}

fn events_of(xml: &[u8]) -> Vec<Event<'static>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut events = Vec::new();
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Eof => return events,
            event => events.push(event.into_owned()),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PlainRequest<'a> {
    audiences: Vec<PlainAudience<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PlainAudience<'a> {
    #[serde(rename = "Type")]
    kind: &'a str,
    audience_network_size: String,
    customer_share: PlainShare,
    description: String,
    forward_compatibility_map: Vec<PlainPair<'a>>,
    id: String,
    membership_duration: i32,
    name: String,
    parent_id: String,
    scope: &'a str,
    search_size: String,
    supported_campaign_types: Vec<&'a str>,
    rule: PlainRule<'a>,
    tag_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PlainShare {
    customer_account_shares: Vec<PlainAccountShare>,
    owner_customer_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PlainAccountShare {
    account_id: String,
    associations: Vec<PlainAssociation>,
    customer_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PlainAssociation {
    association_count: String,
    usage_type: String,
}

#[derive(Serialize)]
struct PlainPair<'a> {
    #[serde(rename = "Key")]
    key: &'a str,
    #[serde(rename = "Value")]
    value: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PlainRule<'a> {
    #[serde(rename = "Type")]
    kind: &'a str,
    normal_form: &'a str,
    rule_item_groups: Vec<PlainGroup<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PlainGroup<'a> {
    items: Vec<PlainItem<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PlainItem<'a> {
    #[serde(rename = "Type")]
    kind: &'a str,
    operand: &'a str,
    operator: &'a str,
    value: &'a str,
}

fn plain_item<'a>(
    kind: &'a str,
    operand: &'a str,
    operator: &'a str,
    value: &'a str,
) -> PlainItem<'a> {
    PlainItem {
        kind,
        operand,
        operator,
        value,
    }
}

fn plain_request() -> PlainRequest<'static> {
    let audiences = (0..100i64)
        .map(|n| PlainAudience {
            kind: "RemarketingList",
            audience_network_size: (1_000_000 + n).to_string(),
            customer_share: PlainShare {
                customer_account_shares: vec![PlainAccountShare {
                    account_id: (70_000 + n).to_string(),
                    associations: vec![PlainAssociation {
                        association_count: "2".into(),
                        usage_type: "Shared".into(),
                    }],
                    customer_id: (80_000 + n).to_string(),
                }],
                owner_customer_id: (90_000 + n).to_string(),
            },
            description: format!("Visitors of the shoe pages & checkout, list {n}"),
            forward_compatibility_map: vec![PlainPair {
                key: "k",
                value: "v",
            }],
            id: (9_000_000_000 + n).to_string(),
            membership_duration: 30,
            name: format!("Remarketing list {n}"),
            parent_id: "123456789".into(),
            scope: "Account",
            search_size: (5_000 + n).to_string(),
            supported_campaign_types: vec!["Search", "Shopping", "Audience"],
            rule: PlainRule {
                kind: "PageVisitors",
                normal_form: "Disjunctive",
                rule_item_groups: vec![
                    PlainGroup {
                        items: vec![
                            plain_item("String", "Url", "Contains", "shoes"),
                            plain_item("String", "Url", "Contains", "boots"),
                        ],
                    },
                    PlainGroup {
                        items: vec![
                            plain_item("String", "Url", "Contains", "checkout"),
                            plain_item("Number", "Value", "GreaterThan", "12.5"),
                        ],
                    },
                ],
            },
            tag_id: (26_000_000 + n).to_string(),
        })
        .collect();
    PlainRequest { audiences }
}

/// 100 EditorialErrors, as the service writes them.
fn editorial_response() -> Vec<u8> {
    let mut xml = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header xmlns="{TNS}"><TrackingId xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:nil="false">6fe6d2c8-1b2e-4b5a-9d6c-1f0e7a1c2b3d</TrackingId></s:Header><s:Body><UpdateAudiencesResponse xmlns="{TNS}"><PartialErrors xmlns:i="http://www.w3.org/2001/XMLSchema-instance">"#
    );
    for n in 0..100 {
        xml.push_str(&format!(
            r#"<BatchError i:type="EditorialError"><Code>1042</Code><Details i:nil="true"/><ErrorCode>CampaignServiceEditorialValidationError</ErrorCode><FieldPath>Audiences[{n}].Name</FieldPath><ForwardCompatibilityMap xmlns:a="http://schemas.datacontract.org/2004/07/System.Collections.Generic"/><Index>{n}</Index><Message>The audience name violates the editorial policy &amp; was rejected.</Message><Type>EditorialError</Type><Appealable>true</Appealable><DisapprovedText>shoes &lt;cheap&gt;</DisapprovedText><Location>Name</Location><PublisherCountry>US</PublisherCountry><ReasonCode>17</ReasonCode></BatchError>"#
        ));
    }
    xml.push_str("</PartialErrors></UpdateAudiencesResponse></s:Body></s:Envelope>");
    xml.into_bytes()
}

/// `cargo bench --bench wire -- decode` runs only the comparisons whose name holds `decode`.
fn wanted(name: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
}

fn main() {
    let request = request();
    if wanted("encode-soap") {
        encode_soap(&request);
    }
    if wanted("encode-rest") {
        encode_rest(&request);
    }
    if wanted("decode-soap") {
        decode_soap();
    }
}

fn encode_soap(request: &UpdateAudiencesRequest) {
    let soap = client(Transport::Soap);
    let ours = soap.prepare_update_audiences(request).expect("valid").body;
    let events = events_of(&ours);
    let floor = write_events(&events);
    assert_eq!(
        floor, ours,
        "the floor writes the very bytes the client sends"
    );
    let c = compare(
        30,
        20,
        || soap.prepare_update_audiences(request).expect("valid"),
        || write_events(&events),
    );
    println!(
        "SOAP request: {} bytes, {} XML events",
        ours.len(),
        events.len()
    );
    report(
        "encode SOAP UpdateAudiences ×100",
        "client (validate + envelope + headers)",
        "quick-xml events",
        &c,
        Some(1.5),
    );
}

fn encode_rest(request: &UpdateAudiencesRequest) {
    let rest = client(Transport::Rest);
    let ours = rest.prepare_update_audiences(request).expect("valid").body;
    let plain = plain_request();
    let plain_bytes = serde_json::to_vec(&plain).expect("json");
    let as_value = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).expect("json");
    assert_eq!(
        as_value(&ours),
        as_value(&plain_bytes),
        "the plain structs have the request's shape"
    );
    let c = compare(
        30,
        20,
        || rest.prepare_update_audiences(request).expect("valid"),
        || serde_json::to_vec(&plain).expect("json"),
    );
    println!("REST request: {} bytes", ours.len());
    report(
        "encode REST UpdateAudiences ×100",
        "client (validate + headers)",
        "serde_json plain structs",
        &c,
        None,
    );
}

fn decode_soap() {
    let body = editorial_response();
    let client =
        || decode_response::<operations::UpdateAudiences>(true, 200, None, &body).expect("decodes");
    assert_eq!(client().partial_errors.as_ref().map(Vec::len), Some(100));
    println!("SOAP response: {} bytes", body.len());
    let against = |client_name: &str, floor_name: &str, floor: &dyn Fn() -> usize, target| {
        let c = compare(30, 20, client, floor);
        report(
            "decode SOAP 100 EditorialErrors",
            client_name,
            floor_name,
            &c,
            target,
        );
    };
    let bare = || {
        let mut reader = quick_xml::Reader::from_reader(&body[..]);
        let mut count = 0usize;
        loop {
            match reader.read_event().expect("well-formed") {
                Event::Eof => return count,
                _ => count += 1,
            }
        }
    };
    against(
        "client (envelope + typed decode)",
        "quick-xml event loop",
        &bare,
        Some(2.0),
    );
    // Context: the same loop with namespaces resolved, which any decoder that honours them must pay.
    let resolved = || {
        let mut reader = quick_xml::NsReader::from_reader(&body[..]);
        let mut count = 0usize;
        loop {
            match reader.read_resolved_event().expect("well-formed") {
                (_, Event::Eof) => return count,
                _ => count += 1,
            }
        }
    };
    against(
        "client",
        "quick-xml namespace-resolving loop",
        &resolved,
        None,
    );
    // Context: the bare loop that also copies every text into a `String`, the least a decoder into owned values
    // does on top of reading.
    let owning = || {
        let mut reader = quick_xml::Reader::from_reader(&body[..]);
        let mut texts = Vec::new();
        loop {
            match reader.read_event().expect("well-formed") {
                Event::Eof => return texts.len(),
                Event::Text(t) => texts.push(t.xml10_content().into_owned()),
                _ => {}
            }
        }
    };
    against(
        "client",
        "quick-xml event loop owning every text",
        &owning,
        None,
    );
}
