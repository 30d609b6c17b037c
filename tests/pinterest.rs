//! Pinterest `PATCH /ad_accounts/{ad_account_id}/audiences/{audience_id}` against a loopback server.

mod common;

use common::{config_for, header, only_request, server_expecting_nothing};
use marketing_apis::pinterest::{
    AudienceRule, AudienceUpdateOperationType, AudienceUpdateRequest, Client, Credentials,
    EventData, LineItem,
};
use marketing_apis::{Error, Secret};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "pina_test_token";
const AUDIENCE_PATH: &str = "/v5/ad_accounts/549755885175/audiences/2542620639259";

fn client(server: &MockServer) -> Client {
    Client::with_config(
        Credentials {
            access_token: Secret::new(TOKEN),
        },
        config_for(server),
    )
    .expect("client builds")
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(AUDIENCE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ad_account_id": "549755885175", "id": "2542620639259", "name": "new name", "audience_type": "CUSTOMER_LIST",
            "description": null, "size": null, "created_timestamp": null, "updated_timestamp": 1700000000,
            "created_by_company_name": null, "status": "READY", "type": "audience",
            "rule": {"customer_list_id": "5497558859876"}, "a_field_from_the_future": {"x": 1}
        })))
        .mount(&server)
        .await;
    server
}

async fn sent_body(rule: AudienceRule, operation: Option<AudienceUpdateOperationType>) -> Value {
    let server = ok_server().await;
    let request = AudienceUpdateRequest {
        ad_account_id: Some("549755885175".into()),
        rule: Some(rule),
        operation_type: operation,
        ..AudienceUpdateRequest::default()
    };
    client(&server)
        .audiences_update("549755885175", "2542620639259", &request)
        .await
        .expect("200 decodes");
    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "PATCH");
    assert_eq!(sent.url.path(), AUDIENCE_PATH);
    assert_eq!(header(&sent, "authorization"), format!("Bearer {TOKEN}"));
    assert_eq!(header(&sent, "content-type"), "application/json");
    serde_json::from_slice(&sent.body).expect("JSON body")
}

#[tokio::test]
async fn update_sends_the_documented_body_and_decodes_nulls_and_extra_fields() {
    let server = ok_server().await;
    let request = AudienceUpdateRequest {
        ad_account_id: Some("549755885175".into()),
        name: Some("new name".into()),
        rule: Some(AudienceRule {
            customer_list_id: Some("5497558859876".into()),
            retention_days: Some(30),
            ..AudienceRule::default()
        }),
        description: Some("d".into()),
        operation_type: Some(AudienceUpdateOperationType::Update),
    };
    let audience = client(&server)
        .audiences_update("549755885175", "2542620639259", &request)
        .await
        .expect("200 decodes");
    assert_eq!(audience.id.as_deref(), Some("2542620639259"));
    assert_eq!(audience.description, None);
    assert_eq!(audience.size, None);
    assert_eq!(audience.updated_timestamp, Some(1_700_000_000));
    let sent = only_request(&server).await;
    assert_eq!(
        String::from_utf8(sent.body).expect("UTF-8"),
        r#"{"ad_account_id":"549755885175","name":"new name","rule":{"customer_list_id":"5497558859876","retention_days":30},"description":"d","operation_type":"UPDATE"}"#
    );
}

/// Pinterest documents these as `integer` with no range; a size or a product id past 32 bits must still read
/// and write.
#[tokio::test]
async fn integers_with_no_documented_range_hold_64_bits() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(AUDIENCE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "2542620639259", "size": 3_000_000_000_i64,
            "rule": {"event_data": {"order_quantity": 4_294_967_296_i64, "line_items": {"product_id": 9_007_199_254_740_993_i64}}}
        })))
        .mount(&server)
        .await;
    let line_items = LineItem {
        product_id: Some(9_007_199_254_740_993),
        product_quantity: Some(2_147_483_648),
        ..LineItem::default()
    };
    let request = AudienceUpdateRequest {
        rule: Some(AudienceRule {
            event_data: Some(EventData {
                line_items: Some(line_items),
                ..EventData::default()
            }),
            ..AudienceRule::default()
        }),
        ..AudienceUpdateRequest::default()
    };
    let audience = client(&server)
        .audiences_update("549755885175", "2542620639259", &request)
        .await
        .expect("200 decodes")
        .into_inner();
    assert_eq!(audience.size, Some(3_000_000_000));
    let event_data = audience
        .rule
        .and_then(|r| r.event_data)
        .expect("event data");
    assert_eq!(event_data.order_quantity, Some(4_294_967_296));
    assert_eq!(
        event_data.line_items.and_then(|l| l.product_id),
        Some(9_007_199_254_740_993)
    );
    let sent = only_request(&server).await;
    assert_eq!(
        String::from_utf8(sent.body).expect("UTF-8"),
        r#"{"rule":{"event_data":{"line_items":{"product_id":9007199254740993,"product_quantity":2147483648}}}}"#
    );
}

#[tokio::test]
async fn remove_and_every_documented_rule_shape() {
    let remove = sent_body(
        AudienceRule::default(),
        Some(AudienceUpdateOperationType::Remove),
    )
    .await;
    assert_eq!(
        remove,
        json!({"ad_account_id": "549755885175", "rule": {}, "operation_type": "REMOVE"})
    );

    let actalike = AudienceRule {
        seed_id: Some(vec!["123".into()]),
        country: Some("US".into()),
        percentage: Some(10),
        ..AudienceRule::default()
    };
    assert_eq!(
        sent_body(actalike, None).await["rule"],
        json!({"country": "US", "percentage": 10, "seed_id": ["123"]})
    );

    let visitor = AudienceRule {
        visitor_source_id: Some("555".into()),
        retention_days: Some(180),
        event_source: json!({"=": ["web", "mobile"]}).as_object().cloned(),
        ingestion_source: json!({"=": ["tag"]}).as_object().cloned(),
        ..AudienceRule::default()
    };
    assert_eq!(
        sent_body(visitor, None).await["rule"],
        json!({"event_source": {"=": ["web", "mobile"]}, "ingestion_source": {"=": ["tag"]}, "retention_days": 180, "visitor_source_id": "555"})
    );

    let engagement = AudienceRule {
        engagement_domain: Some(vec!["www.entomi.com".into()]),
        engager_type: Some(1),
        ..AudienceRule::default()
    };
    assert_eq!(
        sent_body(engagement, None).await["rule"],
        json!({"engagement_domain": ["www.entomi.com"], "engager_type": 1})
    );
}

#[tokio::test]
async fn invalid_ids_and_out_of_range_values_send_nothing() {
    let server = server_expecting_nothing().await;
    let client = client(&server);
    let request = AudienceUpdateRequest::default();
    for (account, audience, expected) in [
        ("12a", "1", "`ad_account_id`: must match"),
        (
            "1",
            "1234567890123456789",
            "`audience_id`: at most 18 characters, found 19",
        ),
        ("", "1", "`ad_account_id`"),
    ] {
        let error = client
            .audiences_update(account, audience, &request)
            .await
            .expect_err("invalid id");
        assert!(error.to_string().contains(expected), "{error}");
    }
    client
        .prepare_audiences_update("1", "123456789012345678", &request)
        .expect("an id of 18 digits, the most there may be");
    for (rule, expected) in [
        (
            AudienceRule {
                percentage: Some(11),
                ..AudienceRule::default()
            },
            "`rule.percentage`: must be from 1 to 10, found 11",
        ),
        (
            AudienceRule {
                retention_days: Some(0),
                ..AudienceRule::default()
            },
            "`rule.retention_days`: must be from 1 to 540, found 0",
        ),
        (
            AudienceRule {
                seed_id: Some(vec!["x1".into()]),
                ..AudienceRule::default()
            },
            "`rule.seed_id[0]`: must match",
        ),
    ] {
        let request = AudienceUpdateRequest {
            rule: Some(rule),
            ..AudienceUpdateRequest::default()
        };
        let error = client
            .audiences_update("1", "2", &request)
            .await
            .expect_err("out of range");
        assert!(error.to_string().contains(expected), "{error}");
    }
}

#[tokio::test]
async fn the_sandbox_is_refused_before_sending() {
    let config = marketing_apis::ClientConfig {
        sandbox: true,
        ..Default::default()
    };
    let client = Client::with_config(
        Credentials {
            access_token: Secret::new(TOKEN),
        },
        config,
    )
    .expect("builds");
    let error = client
        .audiences_update("1", "2", &AudienceUpdateRequest::default())
        .await
        .expect_err("unavailable");
    assert!(matches!(error, Error::Unavailable(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("not available on the Pinterest API v5 sandbox"),
        "{error}"
    );
}

#[tokio::test]
async fn errors_keep_pinterest_code_and_the_http_status() {
    for (status, code, message) in [
        (400, 1, "Invalid ad account audience parameters."),
        (401, 2, "Authentication failed."),
        (429, 8, "This request exceeded a rate limit."),
        (500, 500, "Internal error"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(json!({"code": code, "message": message})),
            )
            .mount(&server)
            .await;
        match client(&server)
            .audiences_update("1", "2", &AudienceUpdateRequest::default())
            .await
        {
            Err(Error::Api {
                status: got, fault, ..
            }) => {
                assert_eq!(
                    (got, fault.code, fault.message.as_str()),
                    (status, code, message)
                );
            }
            other => panic!("HTTP {status}: {other:?}"),
        }
    }
}

#[test]
fn the_token_never_prints() {
    let credentials = Credentials {
        access_token: Secret::new(TOKEN),
    };
    assert!(!format!("{credentials:?}").contains(TOKEN));
}
