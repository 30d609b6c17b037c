//! Microsoft Advertising Campaign Management v13 over SOAP and REST against loopback servers.

mod common;

use common::{config_for, header, only_request, server_expecting_nothing};
use marketing_apis::microsoft::*;
use marketing_apis::{Decimal, Error, Flags, Secret, Transport};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "ms-access-token-secret";
const DEV: &str = "ms-developer-token-secret";
const SVC: &str = "/Api/Advertiser/CampaignManagement/v13/CampaignManagementService.svc";
const TNS: &str = "https://bingads.microsoft.com/CampaignManagement/v13";

fn client(server: &MockServer, transport: Transport) -> Client {
    let credentials = Credentials {
        access_token: Secret::new(TOKEN),
        developer_token: Secret::new(DEV),
        customer_id: "1234".into(),
        customer_account_id: "5678".into(),
    };
    let mut config = config_for(server);
    config.transport = Some(transport);
    Client::with_config(credentials, config).expect("client builds")
}

#[tokio::test]
async fn a_client_with_other_credentials_writes_them_into_the_soap_header() {
    let server = MockServer::start().await;
    let first = client(&server, Transport::Soap);
    let renewed = first.with_credentials(Credentials {
        access_token: Secret::new("renewed-access-token"),
        developer_token: Secret::new(DEV),
        customer_id: "1234".into(),
        customer_account_id: "9999".into(),
    });
    let envelope = |client: &Client| {
        let prepared = client
            .prepare_update_audiences(&audiences())
            .expect("a valid request");
        String::from_utf8(prepared.body).expect("UTF-8")
    };
    let (renewed, first) = (envelope(&renewed), envelope(&first));
    for (envelope, token, account) in [
        (&renewed, "renewed-access-token", "9999"),
        // The client it came from keeps its own.
        (&first, TOKEN, "5678"),
    ] {
        for element in [
            format!("<AuthenticationToken>{token}</AuthenticationToken>"),
            format!("<CustomerAccountId>{account}</CustomerAccountId>"),
        ] {
            assert!(envelope.contains(&element), "{element} in {envelope}");
        }
    }
    assert!(!renewed.contains(TOKEN), "{renewed}");
}

fn audiences() -> UpdateAudiencesRequest {
    let rule = PageVisitorsRule {
        normal_form: Some(NormalForm::Disjunctive),
        rule_item_groups: Some(vec![RuleItemGroup {
            items: Some(vec![
                RuleItem::StringRuleItem(StringRuleItem {
                    operand: Some("Url".into()),
                    operator: Some(StringOperator::Contains),
                    value: Some("shoes & socks".into()),
                }),
                RuleItem::NumberRuleItem(NumberRuleItem {
                    operand: Some("Value".into()),
                    operator: Some(NumberOperator::GreaterThan),
                    value: Some("5".into()),
                }),
            ]),
        }]),
    };
    let remarketing = RemarketingList {
        id: Some(9_000_000_001),
        name: Some("Visitors".into()),
        scope: Some(EntityScope::Account),
        forward_compatibility_map: Some(vec![KeyValuePairOfstringstring {
            key: Some("k".into()),
            value: Some("v".into()),
        }]),
        supported_campaign_types: Some(vec!["Search".into()]),
        rule: Some(RemarketingRule::PageVisitorsRule(rule)),
        tag_id: Some(555),
        ..RemarketingList::default()
    };
    let custom_events = RemarketingList {
        id: Some(2),
        rule: Some(RemarketingRule::CustomEventsRule(CustomEventsRule {
            action: Some("buy".into()),
            action_operator: Some(StringOperator::Equals),
            value: Some("12.50".parse::<Decimal>().expect("decimal")),
            value_operator: Some(NumberOperator::GreaterThan),
            ..CustomEventsRule::default()
        })),
        ..RemarketingList::default()
    };
    let impression = ImpressionBasedRemarketingList {
        id: Some(3),
        campaign_ids: Some(vec![11, 12]),
        entity_type: Some(ImpressionBasedEntityType::Campaign),
        ..ImpressionBasedRemarketingList::default()
    };
    let combined = CombinedList {
        id: Some(4),
        combination_rules: Some(vec![CombinationRule {
            audience_ids: None,
            operator: LogicalOperator::Or,
        }]),
        ..CombinedList::default()
    };
    UpdateAudiencesRequest {
        audiences: Some(vec![
            remarketing.into(),
            custom_events.into(),
            CustomAudience {
                id: Some(5),
                description: Some("d".into()),
                ..CustomAudience::default()
            }
            .into(),
            impression.into(),
            combined.into(),
            ProductAudience {
                id: Some(6),
                product_audience_type: Some(Flags(vec![
                    ProductAudienceType::PastBuyers,
                    ProductAudienceType::ProductViewers,
                ])),
                ..ProductAudience::default()
            }
            .into(),
        ]),
    }
}

/// One audience group with each of the four dimensions.
fn audience_groups() -> UpdateAudienceGroupsRequest {
    UpdateAudienceGroupsRequest {
        audience_groups: Some(vec![AudienceGroup {
            id: Some(7),
            name: Some("Group".into()),
            dimensions: Some(vec![
                AgeDimension {
                    age_ranges: Some(vec![
                        AgeRange::EighteenToTwentyFour,
                        AgeRange::ThirtyFiveToFourtyNine,
                    ]),
                }
                .into(),
                GenderDimension {
                    gender_types: Some(vec![GenderType::Female]),
                }
                .into(),
                AudienceDimension {
                    audiences: Some(vec![AudienceInfo {
                        id: Some(42),
                        r#type: Some(Flags(vec![AudienceType::RemarketingList])),
                    }]),
                }
                .into(),
                ProfileDimension {
                    profiles: Some(vec![ProfileInfo {
                        id: Some(1),
                        r#type: Some(Flags(vec![ProfileType::JobTitle, ProfileType::Industry])),
                    }]),
                }
                .into(),
            ]),
            ..AudienceGroup::default()
        }]),
    }
}

/// Element names in document order, with their namespace, for a comparison that ignores prefixes.
fn elements(xml: &str) -> Vec<(String, String)> {
    let mut reader = quick_xml::NsReader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_resolved_event().expect("well-formed XML") {
            (ns, quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                let ns = match ns {
                    quick_xml::name::ResolveResult::Bound(n) => n.into_inner().to_string(),
                    _ => String::new(),
                };
                out.push((ns, e.local_name().into_inner().to_string()));
            }
            (_, quick_xml::events::Event::Eof) => return out,
            _ => {}
        }
    }
}

#[test]
fn a_soap_decode_error_names_the_path_to_the_element() {
    let item = |index: &str| {
        format!(
            r#"<BatchError i:type="EditorialError"><Code>1</Code><Index>{index}</Index></BatchError>"#
        )
    };
    let body = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><UpdateAudiencesResponse xmlns="{TNS}"><PartialErrors xmlns:i="http://www.w3.org/2001/XMLSchema-instance">{}{}{}</PartialErrors></UpdateAudiencesResponse></s:Body></s:Envelope>"#,
        item("0"),
        item("1"),
        item("two")
    );
    let error = marketing_apis::decode_response::<operations::UpdateAudiences>(
        true,
        200,
        None,
        body.as_bytes(),
    )
    .expect_err("the third Index is not a number");
    let Error::Decode { reason, .. } = error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert!(
        reason.starts_with(
            "at UpdateAudiencesResponse/PartialErrors/BatchError[2]/Index: expected a 32-bit integer, found \"two\" (near byte "
        ),
        "{reason}"
    );
}

/// A flag set is built from one value or several, and reads back from either separator form.
#[test]
fn flags_are_built_from_one_value_or_many() {
    let many = Flags::from(vec![ProfileType::JobTitle, ProfileType::Industry]);
    assert_eq!(many.0, [ProfileType::JobTitle, ProfileType::Industry]);
    assert_eq!(
        Flags::from(ProfileType::Industry).0,
        [ProfileType::Industry]
    );
    assert_eq!(many.to_string(), "JobTitle, Industry");
    assert_eq!(Flags::<ProfileType>::parse("JobTitle Industry"), many);
}

#[test]
fn a_soap_body_that_is_neither_the_expected_response_nor_a_fault_is_a_decode_error() {
    let body = |element: &str| {
        format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><{element} xmlns="{TNS}"/></s:Body></s:Envelope>"#
        )
    };
    let reason = |status: u16, element: &str| {
        let error = marketing_apis::decode_response::<operations::UpdateAudiences>(
            true,
            status,
            None,
            body(element).as_bytes(),
        )
        .expect_err("not this call's answer");
        match error {
            Error::Decode {
                status: got,
                reason,
                ..
            } if got == status => reason,
            other => panic!("expected a decode error with HTTP {status}, got {other:?}"),
        }
    };
    // Another operation's answer, though every element in it could be read.
    let wrong = reason(200, "UpdateAudienceGroupsResponse");
    assert!(
        wrong.starts_with(
            "expected <UpdateAudiencesResponse>, found <UpdateAudienceGroupsResponse>"
        ),
        "{wrong}"
    );
    // This operation's answer under an error status: the status wins, and no success is made of it.
    let unfaulted = reason(500, "UpdateAudiencesResponse");
    assert!(
        unfaulted.starts_with("HTTP 500 with a <UpdateAudiencesResponse> body and no fault"),
        "{unfaulted}"
    );
}

#[tokio::test]
async fn update_audiences_over_soap_is_exact() {
    let server = MockServer::start().await;
    let response = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header xmlns="{TNS}"><TrackingId>t-1</TrackingId></s:Header><s:Body><UpdateAudiencesResponse xmlns="{TNS}"><PartialErrors xmlns:x="http://www.w3.org/2001/XMLSchema-instance"><BatchError x:type="EditorialError"><Code>1001</Code><Details x:nil="true"/><ErrorCode>CampaignServiceEditorialValidationError</ErrorCode><Index>2</Index><Message>Rejected</Message><Type>EditorialError</Type><SomethingNew>ignored</SomethingNew><Appealable>true</Appealable><ReasonCode>17</ReasonCode></BatchError><BatchError><Code>5</Code><Index>0</Index></BatchError><BatchError x:type="FutureError"><Code>9</Code><Index>1</Index></BatchError></PartialErrors></UpdateAudiencesResponse></s:Body></s:Envelope>"#
    );
    Mock::given(method("POST"))
        .and(path(SVC))
        .respond_with(ResponseTemplate::new(200).set_body_string(response))
        .mount(&server)
        .await;

    let result = client(&server, Transport::Soap)
        .update_audiences(&audiences())
        .await
        .expect("decodes");
    assert_eq!(
        result.tracking_id(),
        Some("t-1"),
        "the SOAP TrackingId header"
    );
    assert_eq!((result.status(), result.attempts()), (200, 1));
    let errors = result.into_inner().partial_errors.expect("partial errors");
    match &errors[0] {
        BatchError::EditorialError(e) => {
            assert_eq!(
                (e.code, e.index, e.reason_code, e.appealable),
                (Some(1001), Some(2), Some(17), Some(true))
            );
            assert_eq!(e.details, None, "xsi:nil reads as absent");
        }
        other => panic!("expected an EditorialError, got {other:?}"),
    }
    assert!(matches!(&errors[1], BatchError::Base(b) if b.code == Some(5)));
    assert!(
        matches!(&errors[2], BatchError::Unknown { type_name, fields } if type_name == "FutureError" && fields.code == Some(9))
    );

    let sent = only_request(&server).await;
    assert_eq!(header(&sent, "content-type"), "text/xml; charset=utf-8");
    assert_eq!(header(&sent, "soapaction"), "\"UpdateAudiences\"");
    let body = String::from_utf8(sent.body).expect("UTF-8");
    let names: Vec<String> = elements(&body)
        .into_iter()
        .map(|(ns, n)| if ns == TNS { n } else { format!("{{{ns}}}{n}") })
        .collect();
    let header_part: Vec<&str> = names
        .iter()
        .skip_while(|n| !n.ends_with("Header"))
        .skip(1)
        .take(4)
        .map(String::as_str)
        .collect();
    assert_eq!(
        header_part,
        [
            "AuthenticationToken",
            "CustomerAccountId",
            "CustomerId",
            "DeveloperToken"
        ]
    );
    assert!(body.contains(&format!(
        "<AuthenticationToken>{TOKEN}</AuthenticationToken>"
    )));
    // The first audience, element by element: base fields in XSD order, then RemarketingList's own.
    let first: Vec<&str> = names
        .iter()
        .skip_while(|n| *n != "Audience")
        .take(21)
        .map(String::as_str)
        .collect();
    assert_eq!(
        first,
        [
            "Audience",
            "ForwardCompatibilityMap",
            "{http://schemas.datacontract.org/2004/07/System.Collections.Generic}KeyValuePairOfstringstring",
            "{http://schemas.datacontract.org/2004/07/System.Collections.Generic}key",
            "{http://schemas.datacontract.org/2004/07/System.Collections.Generic}value",
            "Id",
            "Name",
            "Scope",
            "SupportedCampaignTypes",
            "{http://schemas.microsoft.com/2003/10/Serialization/Arrays}string",
            "Rule",
            "NormalForm",
            "RuleItemGroups",
            "RuleItemGroup",
            "Items",
            "RuleItem",
            "Operand",
            "Operator",
            "Value",
            "RuleItem",
            "Operand",
        ]
    );
    for fragment in [
        r#"<Audience i:type="t:RemarketingList">"#,
        r#"<Rule i:type="t:PageVisitorsRule">"#,
        r#"<RuleItem i:type="t:StringRuleItem">"#,
        r#"<RuleItem i:type="t:NumberRuleItem">"#,
        "<Value>shoes &amp; socks</Value>",
        "<Value>12.50</Value><ValueOperator>GreaterThan</ValueOperator>",
        "<CampaignIds><arrays:long>11</arrays:long><arrays:long>12</arrays:long></CampaignIds><EntityType>Campaign</EntityType>",
        r#"<CombinationRule><AudienceIds i:nil="true"/><Operator>Or</Operator></CombinationRule>"#,
        "<ProductAudienceType>PastBuyers ProductViewers</ProductAudienceType>",
        r#"<Audience i:type="t:CustomAudience"><Description>d</Description><Id>5</Id></Audience>"#,
    ] {
        assert!(body.contains(fragment), "missing {fragment} in {body}");
    }
    assert!(
        !body.contains("<Type>"),
        "polymorphic Type members are read-only and never written: {body}"
    );
}

#[tokio::test]
async fn update_audiences_over_rest_is_exact() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/CampaignManagement/v13/Audiences"))
        .respond_with(ResponseTemplate::new(200).insert_header("TrackingId", "t-2").set_body_json(json!({
            "PartialErrors": [{"Type": "EditorialError", "Code": 1001, "Index": 0, "ReasonCode": 17, "ForwardCompatibilityMap": [{"key": "a", "value": "b"}], "Details": null}]
        })))
        .mount(&server)
        .await;
    let result = client(&server, Transport::Rest)
        .update_audiences(&audiences())
        .await
        .expect("decodes");
    assert_eq!(
        result.tracking_id(),
        Some("t-2"),
        "the TrackingId response header"
    );
    match &result.into_inner().partial_errors.expect("errors")[0] {
        BatchError::EditorialError(e) => {
            assert_eq!(e.reason_code, Some(17));
            let map = e
                .forward_compatibility_map
                .as_ref()
                .expect("map read in lower case");
            assert_eq!(
                (map[0].key.as_deref(), map[0].value.as_deref()),
                (Some("a"), Some("b"))
            );
        }
        other => panic!("{other:?}"),
    }
    let sent = only_request(&server).await;
    assert_eq!(header(&sent, "authorization"), format!("Bearer {TOKEN}"));
    assert_eq!(header(&sent, "developertoken"), DEV);
    assert_eq!(header(&sent, "customerid"), "1234");
    assert_eq!(header(&sent, "customeraccountid"), "5678");
    let body: serde_json::Value = serde_json::from_slice(&sent.body).expect("JSON");
    let first = &body["Audiences"][0];
    assert_eq!(first["Type"], "RemarketingList");
    assert_eq!(first["Id"], "9000000001");
    assert_eq!(first["TagId"], "555");
    assert_eq!(
        first["ForwardCompatibilityMap"],
        json!([{"Key": "k", "Value": "v"}])
    );
    assert_eq!(first["Rule"]["Type"], "PageVisitors");
    assert_eq!(
        first["Rule"]["RuleItemGroups"][0]["Items"][0]["Type"],
        "String"
    );
    assert_eq!(
        first["Rule"]["RuleItemGroups"][0]["Items"][1]["Type"],
        "Number"
    );
    assert_eq!(body["Audiences"][2]["Type"], "Custom");
    assert_eq!(body["Audiences"][3]["CampaignIds"], json!(["11", "12"]));
    assert_eq!(
        body["Audiences"][5]["ProductAudienceType"],
        "PastBuyers, ProductViewers"
    );
    let raw = String::from_utf8(sent.body.clone()).expect("UTF-8");
    assert!(
        raw.contains(r#""Value":12.50"#),
        "decimals keep their digits: {raw}"
    );
}

#[tokio::test]
async fn soap_faults_are_typed_under_any_status() {
    let ad_api = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring xml:lang="en-US">Invalid client data. Check the SOAP fault details for more information. TrackingId: 1111-2222.</faultstring><detail><AdApiFaultDetail xmlns="https://adapi.microsoft.com" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><TrackingId>1111-2222</TrackingId><Errors><AdApiError><Code>105</Code><Detail i:nil="true"/><ErrorCode>InvalidCredentials</ErrorCode><Message>Authentication failed.</Message></AdApiError></Errors></AdApiFaultDetail></detail></s:Fault></s:Body></s:Envelope>"#;
    let api = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>Invalid client data.</faultstring><detail><ApiFaultDetail xmlns="{TNS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><TrackingId xmlns="https://adapi.microsoft.com">3333</TrackingId><BatchErrors><BatchError i:type="EditorialError"><Code>1</Code><Index>4</Index><ReasonCode>2</ReasonCode></BatchError></BatchErrors><OperationErrors><OperationError><Code>0</Code><ErrorCode>InternalError</ErrorCode><Message>An internal error has occurred.</Message></OperationError></OperationErrors></ApiFaultDetail></detail></s:Fault></s:Body></s:Envelope>"#
    );
    for status in [500, 200] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_string(ad_api))
            .mount(&server)
            .await;
        match client(&server, Transport::Soap)
            .update_audiences(&audiences())
            .await
        {
            Err(Error::Api {
                status: got,
                tracking_id,
                fault: ApplicationFault::AdApiFaultDetail(detail),
            }) => {
                assert_eq!(got, status);
                assert_eq!(tracking_id.as_deref(), Some("1111-2222"));
                let error = &detail.errors.expect("errors")[0];
                assert_eq!(
                    (
                        error.code,
                        error.error_code.as_deref(),
                        error.detail.as_deref()
                    ),
                    (Some(105), Some("InvalidCredentials"), None)
                );
            }
            other => panic!("HTTP {status}: {other:?}"),
        }
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string(api))
        .mount(&server)
        .await;
    match client(&server, Transport::Soap)
        .update_conversion_goals(&UpdateConversionGoalsRequest::default())
        .await
    {
        Err(Error::Api {
            fault: ApplicationFault::ApiFaultDetail(detail),
            ..
        }) => {
            assert_eq!(detail.tracking_id.as_deref(), Some("3333"));
            assert!(
                matches!(&detail.batch_errors.expect("batch errors")[0], BatchError::EditorialError(e) if e.index == Some(4))
            );
            assert_eq!(
                detail.operation_errors.expect("operation errors")[0]
                    .error_code
                    .as_deref(),
                Some("InternalError")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn rest_faults_are_told_apart_by_type_for_each_status() {
    for status in [400, 401, 403, 429, 500] {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({
                "TrackingId": "t-3", "Type": "AdApiFaultDetail",
                "Errors": [{"Code": 117, "Detail": null, "ErrorCode": "CallRateExceeded", "Message": "slow down"}]
            })))
            .mount(&server)
            .await;
        match client(&server, Transport::Rest)
            .update_audience_groups(&UpdateAudienceGroupsRequest::default())
            .await
        {
            Err(Error::Api {
                status: got,
                tracking_id,
                fault: ApplicationFault::AdApiFaultDetail(d),
            }) => {
                assert_eq!((got, tracking_id.as_deref()), (status, Some("t-3")));
                assert_eq!(d.errors.expect("errors")[0].code, Some(117));
            }
            other => panic!("HTTP {status}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn audience_groups_dimensions_and_conversion_goals() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"PartialErrors": null})))
        .mount(&server)
        .await;
    let groups = audience_groups();
    let client = client(&server, Transport::Rest);
    client
        .update_audience_groups(&groups)
        .await
        .expect("null partial errors decode");
    let body: serde_json::Value =
        serde_json::from_slice(&only_request(&server).await.body).expect("JSON");
    assert_eq!(
        body["AudienceGroups"][0]["Dimensions"],
        json!([{"Type": "Age", "AgeRanges": ["EighteenToTwentyFour", "ThirtyFiveToFourtyNine"]}, {"Type": "Gender", "GenderTypes": ["Female"]},
               {"Type": "Audience", "Audiences": [{"Id": "42", "Type": "RemarketingList"}]}, {"Type": "Profile", "Profiles": [{"Id": "1", "Type": "JobTitle, Industry"}]}])
    );
    let goals = [
        ConversionGoal::from(UrlGoal::default()),
        DurationGoal::default().into(),
        PagesViewedPerVisitGoal::default().into(),
        EventGoal::default().into(),
        AppInstallGoal::default().into(),
        AppDownloadGoal::default().into(),
        OfflineConversionGoal::default().into(),
        InStoreTransactionGoal::default().into(),
    ];
    let tags: Vec<&str> = goals.iter().map(ConversionGoal::tag).collect();
    assert_eq!(
        tags,
        [
            "Url",
            "Duration",
            "PagesViewedPerVisit",
            "Event",
            "AppInstall",
            "AppDownload",
            "OfflineConversion",
            "InStoreTransaction"
        ]
    );
}

#[tokio::test]
async fn more_than_100_items_sends_nothing() {
    let server = server_expecting_nothing().await;
    let request = UpdateAudiencesRequest {
        audiences: Some(
            (0..101)
                .map(|i| {
                    CustomAudience {
                        id: Some(i),
                        ..CustomAudience::default()
                    }
                    .into()
                })
                .collect(),
        ),
    };
    let error = client(&server, Transport::Soap)
        .update_audiences(&request)
        .await
        .expect_err("101 audiences");
    assert!(
        error
            .to_string()
            .contains("`Audiences`: at most 100 items, found 101"),
        "{error}"
    );
}

#[tokio::test]
async fn a_value_deep_in_a_request_is_checked_and_named_by_its_path() {
    let server = server_expecting_nothing().await;
    let client = client(&server, Transport::Soap);
    // An operator inside a rule item, inside a group, inside a derived rule, inside a derived audience.
    let mut deep = audiences();
    let Some(Audience::RemarketingList(list)) = deep.audiences.as_mut().and_then(|a| a.first_mut())
    else {
        panic!("the first audience is a remarketing list");
    };
    let Some(RemarketingRule::PageVisitorsRule(rule)) = list.rule.as_mut() else {
        panic!("with a page visitors rule");
    };
    let items = rule.rule_item_groups.as_mut().expect("groups")[0]
        .items
        .as_mut()
        .expect("items");
    items[1] = RuleItem::NumberRuleItem(NumberRuleItem {
        operator: Some(NumberOperator::Unknown("Around".into())),
        ..NumberRuleItem::default()
    });
    let error = client
        .update_audiences(&deep)
        .await
        .expect_err("unknown operator");
    assert!(
        error.to_string().contains(
            "`Audiences[0].Rule.RuleItemGroups[0].Items[1].Operator`: unknown value \"Around\""
        ),
        "{error}"
    );
    // A derived type the schema does not describe, among others.
    let mut unknown = audiences();
    unknown.audiences.as_mut().expect("audiences")[2] = Audience::Unknown {
        type_name: "FutureAudience".into(),
        fields: AudienceBase::default(),
    };
    let error = client
        .update_audiences(&unknown)
        .await
        .expect_err("unknown derived type");
    assert!(
        error
            .to_string()
            .contains("`Audiences[2].Type`: unknown type \"FutureAudience\""),
        "{error}"
    );
}

#[tokio::test]
async fn chunked_updates_map_partial_error_indexes_back_to_the_callers_list() {
    use marketing_apis::bulk::BulkConfig;
    use wiremock::matchers::body_string_contains;
    let server = MockServer::start().await;
    let answer = |index: i32| {
        ResponseTemplate::new(200).set_body_json(json!({
            "PartialErrors": [{"Type": "BatchError", "Code": 1, "Index": index}]
        }))
    };
    // Calls are told apart by their first audience's id; the call holding 200..250 fails as a whole.
    Mock::given(method("PUT"))
        .and(body_string_contains(r#""Id":"1000""#))
        .respond_with(answer(7))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(body_string_contains(r#""Id":"1100""#))
        .respond_with(answer(99))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(body_string_contains(r#""Id":"1200""#))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "TrackingId": "t", "Type": "ApiFaultDetail", "BatchErrors": [], "OperationErrors": []
        })))
        .mount(&server)
        .await;
    let audiences: Vec<Audience> = (0..250)
        .map(|n| {
            CustomAudience {
                id: Some(1000 + n),
                ..CustomAudience::default()
            }
            .into()
        })
        .collect();
    let outcome = client(&server, Transport::Rest)
        .update_in_chunks::<operations::UpdateAudiences>(audiences, &BulkConfig::default())
        .await;
    let indexes: Vec<Option<i32>> = outcome
        .partial_errors
        .iter()
        .map(|e| match e {
            BatchError::Base(b) => b.index,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(indexes, vec![Some(7), Some(199)]);
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(outcome.failed[0].items, 200..250);
    let sizes: Vec<usize> = server
        .received_requests()
        .await
        .expect("recording")
        .iter()
        .map(|r| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).expect("json");
            body["Audiences"].as_array().expect("array").len()
        })
        .collect();
    let mut sorted = sizes.clone();
    sorted.sort();
    assert_eq!(sorted, vec![50, 100, 100], "at most 100 per call");
}

/// XML in a form that ignores prefixes and insignificant whitespace: `<{ns}name` with `xsi:type` resolved to
/// `{ns}Local` and `xsi:nil`, text with references resolved, and `</>`. Two documents with the same
/// namespaces, local names, order and text give the same list.
fn canonical(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    use quick_xml::name::{QName, ResolveResult};
    const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
    let ns_of = |r: ResolveResult| match r {
        ResolveResult::Bound(n) => n.into_inner().to_string(),
        _ => String::new(),
    };
    let mut reader = quick_xml::NsReader::from_str(xml);
    let mut out = Vec::new();
    let mut text = String::new();
    let flush = |text: &mut String, out: &mut Vec<String>| {
        if !text.trim().is_empty() {
            out.push(text.trim().to_string());
        }
        text.clear();
    };
    loop {
        let (ns, event) = reader.read_resolved_event().expect("well-formed XML");
        let ns = ns_of(ns);
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                flush(&mut text, &mut out);
                let mut tag = format!("<{{{ns}}}{}", e.local_name().into_inner());
                for attr in e.attributes() {
                    let attr = attr.expect("attribute");
                    let (attr_ns, local) = reader.resolver().resolve_attribute(attr.key);
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .expect("value")
                        .into_owned();
                    match (ns_of(attr_ns).as_str(), local.into_inner()) {
                        (XSI, "type") => {
                            let (type_ns, type_name) =
                                reader.resolver().resolve_element(QName(&value));
                            tag.push_str(&format!(
                                " type={{{}}}{}",
                                ns_of(type_ns),
                                type_name.into_inner()
                            ));
                        }
                        (XSI, "nil") => tag.push_str(&format!(" nil={value}")),
                        ("http://www.w3.org/2000/xmlns/", _) => {}
                        (_, "xmlns") => {}
                        (other, name) => tag.push_str(&format!(" {{{other}}}{name}={value}")),
                    }
                }
                out.push(tag);
                if empty {
                    out.push("</>".into());
                }
            }
            Event::End(_) => {
                flush(&mut text, &mut out);
                out.push("</>".into());
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => text.push(match &*r {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                other => panic!("unexpected entity {other}"),
            }),
            Event::Eof => return out,
            _ => {}
        }
    }
}

/// The SOAP body's first element, canonical.
fn soap_body(envelope: &str) -> Vec<String> {
    let all = canonical(envelope);
    let start = all
        .iter()
        .position(|e| e.starts_with("<{http://schemas.xmlsoap.org/soap/envelope/}Body"))
        .expect("a Body");
    all[start + 1..all.len() - 2].to_vec()
}

#[tokio::test]
async fn every_other_audience_and_rule_type_on_both_transports() {
    let rule_items = |value: &str| {
        Some(vec![RuleItemGroup {
            items: Some(vec![RuleItem::StringRuleItem(StringRuleItem {
                operand: Some("Url".into()),
                operator: Some(StringOperator::BeginsWith),
                value: Some(value.into()),
            })]),
        }])
    };
    let request = UpdateAudiencesRequest {
        audiences: Some(vec![
            InMarketAudience {
                id: Some(10),
                customer_share: Some(CustomerShare {
                    customer_account_shares: Some(vec![CustomerAccountShare {
                        account_id: Some(20),
                        associations: Some(vec![CustomerAccountShareAssociation {
                            association_count: Some(3),
                            usage_type: Some("Shared".into()),
                        }]),
                        customer_id: Some(30),
                    }]),
                    owner_customer_id: Some(40),
                }),
                membership_duration: Some(30),
                ..InMarketAudience::default()
            }
            .into(),
            SimilarRemarketingList {
                id: Some(11),
                source_id: Some(9_007_199_254_740_993),
                ..SimilarRemarketingList::default()
            }
            .into(),
            CustomerList {
                id: Some(12),
                parent_id: Some(1),
                ..CustomerList::default()
            }
            .into(),
            CustomSegment {
                id: Some(13),
                custom_segment_catalog_list: Some(vec![CustomSegmentCatalog {
                    catalog_id: Some(5),
                    catalog_name: Some("c".into()),
                    effective_editorial_status: Some(EffectiveEditorialStatus::Approved),
                }]),
                editorial_status: Some(CustomSegmentEditorialStatus::Approved),
                ..CustomSegment::default()
            }
            .into(),
            RemarketingList {
                id: Some(14),
                rule: Some(
                    PageVisitorsWhoVisitedAnotherPageRule {
                        another_rule_item_groups: rule_items("a"),
                        rule_item_groups: rule_items("b"),
                    }
                    .into(),
                ),
                ..RemarketingList::default()
            }
            .into(),
            RemarketingList {
                id: Some(15),
                rule: Some(
                    PageVisitorsWhoDidNotVisitAnotherPageRule {
                        exclude_rule_item_groups: rule_items("c"),
                        include_rule_item_groups: rule_items("d"),
                    }
                    .into(),
                ),
                ..RemarketingList::default()
            }
            .into(),
        ]),
    };

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><UpdateAudiencesResponse xmlns="{TNS}"/></s:Body></s:Envelope>"#
        )))
        .mount(&server)
        .await;
    client(&server, Transport::Soap)
        .update_audiences(&request)
        .await
        .expect("sent");
    let sent = String::from_utf8(only_request(&server).await.body).expect("UTF-8");
    let items = |value: &str| {
        format!(
            r#"<RuleItemGroup><Items><RuleItem x:type="m:StringRuleItem"><Operand>Url</Operand><Operator>BeginsWith</Operator><Value>{value}</Value></RuleItem></Items></RuleItemGroup>"#
        )
    };
    let expected = format!(
        r#"<UpdateAudiencesRequest xmlns="{TNS}" xmlns:m="{TNS}" xmlns:x="http://www.w3.org/2001/XMLSchema-instance" xmlns:arr="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><Audiences>
<Audience x:type="m:InMarketAudience"><CustomerShare><CustomerAccountShares><CustomerAccountShare><AccountId>20</AccountId><Associations><CustomerAccountShareAssociation><AssociationCount>3</AssociationCount><UsageType>Shared</UsageType></CustomerAccountShareAssociation></Associations><CustomerId>30</CustomerId></CustomerAccountShare></CustomerAccountShares><OwnerCustomerId>40</OwnerCustomerId></CustomerShare><Id>10</Id><MembershipDuration>30</MembershipDuration></Audience>
<Audience x:type="m:SimilarRemarketingList"><Id>11</Id><SourceId>9007199254740993</SourceId></Audience>
<Audience x:type="m:CustomerList"><Id>12</Id><ParentId>1</ParentId></Audience>
<Audience x:type="m:CustomSegment"><Id>13</Id><CustomSegmentCatalogList><CustomSegmentCatalog><CatalogId>5</CatalogId><CatalogName>c</CatalogName><EffectiveEditorialStatus>Approved</EffectiveEditorialStatus></CustomSegmentCatalog></CustomSegmentCatalogList><EditorialStatus>Approved</EditorialStatus></Audience>
<Audience x:type="m:RemarketingList"><Id>14</Id><Rule x:type="m:PageVisitorsWhoVisitedAnotherPageRule"><AnotherRuleItemGroups>{a}</AnotherRuleItemGroups><RuleItemGroups>{b}</RuleItemGroups></Rule></Audience>
<Audience x:type="m:RemarketingList"><Id>15</Id><Rule x:type="m:PageVisitorsWhoDidNotVisitAnotherPageRule"><ExcludeRuleItemGroups>{c}</ExcludeRuleItemGroups><IncludeRuleItemGroups>{d}</IncludeRuleItemGroups></Rule></Audience>
</Audiences></UpdateAudiencesRequest>"#,
        a = items("a"),
        b = items("b"),
        c = items("c"),
        d = items("d"),
    );
    assert_eq!(soap_body(&sent), canonical(&expected));

    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"PartialErrors": []})))
        .mount(&server)
        .await;
    client(&server, Transport::Rest)
        .update_audiences(&request)
        .await
        .expect("sent");
    let sent: serde_json::Value =
        serde_json::from_slice(&only_request(&server).await.body).expect("JSON");
    let items = |value: &str| json!([{"Items": [{"Type": "String", "Operand": "Url", "Operator": "BeginsWith", "Value": value}]}]);
    assert_eq!(
        sent,
        json!({"Audiences": [
            {"Type": "InMarket", "Id": "10", "MembershipDuration": 30, "CustomerShare": {"CustomerAccountShares": [{"AccountId": "20", "Associations": [{"AssociationCount": "3", "UsageType": "Shared"}], "CustomerId": "30"}], "OwnerCustomerId": "40"}},
            {"Type": "SimilarRemarketingList", "Id": "11", "SourceId": "9007199254740993"},
            {"Type": "CustomerList", "Id": "12", "ParentId": "1"},
            {"Type": "CustomSegment", "Id": "13", "CustomSegmentCatalogList": [{"CatalogId": "5", "CatalogName": "c", "EffectiveEditorialStatus": "Approved"}], "EditorialStatus": "Approved"},
            {"Type": "RemarketingList", "Id": "14", "Rule": {"Type": "PageVisitorsWhoVisitedAnotherPage", "AnotherRuleItemGroups": items("a"), "RuleItemGroups": items("b")}},
            {"Type": "RemarketingList", "Id": "15", "Rule": {"Type": "PageVisitorsWhoDidNotVisitAnotherPage", "ExcludeRuleItemGroups": items("c"), "IncludeRuleItemGroups": items("d")}}
        ]})
    );
}

#[tokio::test]
async fn every_conversion_goal_type_on_both_transports() {
    let decimal = |text: &str| text.parse::<Decimal>().expect("decimal");
    let goals: Vec<ConversionGoal> = vec![
        UrlGoal {
            attribution_model_type: Some(AttributionModelType::LastTouch),
            conversion_window_in_minutes: Some(43_200),
            count_type: Some(ConversionGoalCountType::Unique),
            exclude_from_bidding: Some(false),
            goal_category: Some(ConversionGoalCategory::Purchase),
            id: Some(1),
            is_auto_goal: Some(false),
            is_enhanced_conversions_enabled: Some(true),
            name: Some("url".into()),
            revenue: Some(ConversionGoalRevenue {
                currency_code: Some("EUR".into()),
                r#type: Some(ConversionGoalRevenueType::FixedValue),
                value: Some(decimal("0.10000000000000000001")),
            }),
            scope: Some(EntityScope::Customer),
            status: Some(ConversionGoalStatus::Active),
            tag_id: Some(2),
            tracking_status: Some(ConversionGoalTrackingStatus::TagUnverified),
            view_through_conversion_window_in_minutes: Some(60),
            url_expression: Some("/thanks".into()),
            url_operator: Some(ExpressionOperator::Contains),
        }
        .into(),
        DurationGoal {
            id: Some(3),
            minimum_duration_in_seconds: Some(120),
            ..DurationGoal::default()
        }
        .into(),
        PagesViewedPerVisitGoal {
            id: Some(4),
            minimum_pages_viewed: Some(5),
            ..PagesViewedPerVisitGoal::default()
        }
        .into(),
        EventGoal {
            id: Some(5),
            action_expression: Some("buy".into()),
            action_operator: Some(ExpressionOperator::Equals),
            category_expression: Some("shop".into()),
            category_operator: Some(ExpressionOperator::BeginsWith),
            label_expression: Some("l".into()),
            label_operator: Some(ExpressionOperator::RegularExpression),
            value: Some(decimal("12.5")),
            value_operator: Some(ValueOperator::GreaterThan),
            ..EventGoal::default()
        }
        .into(),
        AppInstallGoal {
            id: Some(6),
            app_platform: Some("Android".into()),
            app_store_id: Some("com.example".into()),
            ..AppInstallGoal::default()
        }
        .into(),
        AppDownloadGoal {
            id: Some(7),
            app_platform: Some("iOS".into()),
            app_store_id: Some("123".into()),
            ..AppDownloadGoal::default()
        }
        .into(),
        OfflineConversionGoal {
            id: Some(8),
            is_externally_attributed: Some(true),
            ..OfflineConversionGoal::default()
        }
        .into(),
        InStoreTransactionGoal {
            id: Some(9),
            ..InStoreTransactionGoal::default()
        }
        .into(),
    ];
    let request = UpdateConversionGoalsRequest {
        conversion_goals: Some(goals),
    };

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><UpdateConversionGoalsResponse xmlns="{TNS}"/></s:Body></s:Envelope>"#
        )))
        .mount(&server)
        .await;
    client(&server, Transport::Soap)
        .update_conversion_goals(&request)
        .await
        .expect("sent");
    let sent = only_request(&server).await;
    assert_eq!(header(&sent, "soapaction"), "\"UpdateConversionGoals\"");
    let sent = String::from_utf8(sent.body).expect("UTF-8");
    let expected = format!(
        r#"<UpdateConversionGoalsRequest xmlns="{TNS}" xmlns:x="http://www.w3.org/2001/XMLSchema-instance"><ConversionGoals>
<ConversionGoal x:type="UrlGoal"><AttributionModelType>LastTouch</AttributionModelType><ConversionWindowInMinutes>43200</ConversionWindowInMinutes><CountType>Unique</CountType><ExcludeFromBidding>false</ExcludeFromBidding><GoalCategory>Purchase</GoalCategory><Id>1</Id><IsAutoGoal>false</IsAutoGoal><IsEnhancedConversionsEnabled>true</IsEnhancedConversionsEnabled><Name>url</Name><Revenue><CurrencyCode>EUR</CurrencyCode><Type>FixedValue</Type><Value>0.10000000000000000001</Value></Revenue><Scope>Customer</Scope><Status>Active</Status><TagId>2</TagId><TrackingStatus>TagUnverified</TrackingStatus><ViewThroughConversionWindowInMinutes>60</ViewThroughConversionWindowInMinutes><UrlExpression>/thanks</UrlExpression><UrlOperator>Contains</UrlOperator></ConversionGoal>
<ConversionGoal x:type="DurationGoal"><Id>3</Id><MinimumDurationInSeconds>120</MinimumDurationInSeconds></ConversionGoal>
<ConversionGoal x:type="PagesViewedPerVisitGoal"><Id>4</Id><MinimumPagesViewed>5</MinimumPagesViewed></ConversionGoal>
<ConversionGoal x:type="EventGoal"><Id>5</Id><ActionExpression>buy</ActionExpression><ActionOperator>Equals</ActionOperator><CategoryExpression>shop</CategoryExpression><CategoryOperator>BeginsWith</CategoryOperator><LabelExpression>l</LabelExpression><LabelOperator>RegularExpression</LabelOperator><Value>12.5</Value><ValueOperator>GreaterThan</ValueOperator></ConversionGoal>
<ConversionGoal x:type="AppInstallGoal"><Id>6</Id><AppPlatform>Android</AppPlatform><AppStoreId>com.example</AppStoreId></ConversionGoal>
<ConversionGoal x:type="AppDownloadGoal"><Id>7</Id><AppPlatform>iOS</AppPlatform><AppStoreId>123</AppStoreId></ConversionGoal>
<ConversionGoal x:type="OfflineConversionGoal"><Id>8</Id><IsExternallyAttributed>true</IsExternallyAttributed></ConversionGoal>
<ConversionGoal x:type="InStoreTransactionGoal"><Id>9</Id></ConversionGoal>
</ConversionGoals></UpdateConversionGoalsRequest>"#
    );
    assert_eq!(soap_body(&sent), canonical(&expected));

    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/CampaignManagement/v13/ConversionGoals"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"PartialErrors": []})))
        .mount(&server)
        .await;
    client(&server, Transport::Rest)
        .update_conversion_goals(&request)
        .await
        .expect("sent");
    let sent: serde_json::Value =
        serde_json::from_slice(&only_request(&server).await.body).expect("JSON");
    // A float literal in `json!` would pass through f64; parsed text keeps every digit.
    let precise: serde_json::Value =
        serde_json::from_str("0.10000000000000000001").expect("number");
    assert_eq!(
        sent["ConversionGoals"][0],
        json!({"Type": "Url", "AttributionModelType": "LastTouch", "ConversionWindowInMinutes": 43200, "CountType": "Unique",
               "ExcludeFromBidding": false, "GoalCategory": "Purchase", "Id": "1", "IsAutoGoal": false,
               "IsEnhancedConversionsEnabled": true, "Name": "url",
               "Revenue": {"CurrencyCode": "EUR", "Type": "FixedValue", "Value": precise},
               "Scope": "Customer", "Status": "Active", "TagId": "2", "TrackingStatus": "TagUnverified",
               "ViewThroughConversionWindowInMinutes": 60, "UrlExpression": "/thanks", "UrlOperator": "Contains"})
    );
    let text = serde_json::to_string(&sent).expect("JSON");
    assert!(
        text.contains(r#""Value":0.10000000000000000001"#),
        "the decimal keeps every digit: {text}"
    );
    let tags: Vec<&str> = sent["ConversionGoals"]
        .as_array()
        .expect("array")
        .iter()
        .map(|g| g["Type"].as_str().expect("Type"))
        .collect();
    assert_eq!(
        tags,
        [
            "Url",
            "Duration",
            "PagesViewedPerVisit",
            "Event",
            "AppInstall",
            "AppDownload",
            "OfflineConversion",
            "InStoreTransaction"
        ]
    );
    assert_eq!(
        sent["ConversionGoals"][3],
        json!({"Type": "Event", "Id": "5", "ActionExpression": "buy", "ActionOperator": "Equals", "CategoryExpression": "shop",
               "CategoryOperator": "BeginsWith", "LabelExpression": "l", "LabelOperator": "RegularExpression",
               "Value": 12.5, "ValueOperator": "GreaterThan"})
    );
}

#[tokio::test]
async fn audience_groups_over_soap_are_exact() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><UpdateAudienceGroupsResponse xmlns="{TNS}"><PartialErrors xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:nil="true"/></UpdateAudienceGroupsResponse></s:Body></s:Envelope>"#
        )))
        .mount(&server)
        .await;
    let request = audience_groups();
    let response = client(&server, Transport::Soap)
        .update_audience_groups(&request)
        .await
        .expect("nil partial errors decode");
    assert_eq!(response.partial_errors, None);
    let sent = only_request(&server).await;
    assert_eq!(header(&sent, "soapaction"), "\"UpdateAudienceGroups\"");
    let sent = String::from_utf8(sent.body).expect("UTF-8");
    let expected = format!(
        r#"<UpdateAudienceGroupsRequest xmlns="{TNS}" xmlns:x="http://www.w3.org/2001/XMLSchema-instance"><AudienceGroups><AudienceGroup>
<Dimensions>
<AudienceGroupDimension x:type="AgeDimension"><AgeRanges><AgeRange>EighteenToTwentyFour</AgeRange><AgeRange>ThirtyFiveToFourtyNine</AgeRange></AgeRanges></AudienceGroupDimension>
<AudienceGroupDimension x:type="GenderDimension"><GenderTypes><GenderType>Female</GenderType></GenderTypes></AudienceGroupDimension>
<AudienceGroupDimension x:type="AudienceDimension"><Audiences><AudienceInfo><Id>42</Id><Type>RemarketingList</Type></AudienceInfo></Audiences></AudienceGroupDimension>
<AudienceGroupDimension x:type="ProfileDimension"><Profiles><ProfileInfo><Id>1</Id><Type>JobTitle Industry</Type></ProfileInfo></Profiles></AudienceGroupDimension>
</Dimensions><Id>7</Id><Name>Group</Name></AudienceGroup></AudienceGroups></UpdateAudienceGroupsRequest>"#
    );
    assert_eq!(soap_body(&sent), canonical(&expected));
}
