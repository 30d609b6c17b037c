//! Batch `POST /audiences/update` end to end against a loopback server.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{config_at, config_for, header, only_request, raw_server, server_expecting_nothing};
use marketing_apis::batch::{
    AudienceAction, AudienceIdAction, AudienceUpdateRequest, Client, Credentials,
};
use marketing_apis::{Error, Secret};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const REST_KEY: &str = "bcd38d9rfb38ra28-test-key";
const PROJECT: &str = "project_0664hxvwffvbpn278gxdyhsadddqgna6";

fn client(server: &MockServer) -> Client {
    let credentials = Credentials {
        project_key: PROJECT.into(),
        rest_key: Secret::new(REST_KEY),
    };
    Client::with_config(credentials, config_for(server)).expect("client builds")
}

fn add(id: &str, attributes: Option<serde_json::Value>) -> AudienceIdAction {
    AudienceIdAction {
        action: AudienceAction::Add,
        id: id.into(),
        attributes: attributes.map(|a| a.as_object().cloned().expect("an object")),
    }
}

fn request() -> AudienceUpdateRequest {
    AudienceUpdateRequest {
        name: "AUDIENCE_NAME".into(),
        ids: vec![
            add(
                "CUSTOM-ID-1",
                Some(json!({"att1": 3, "att2": "string", "date(att15)": "2023-08-12T22:30:05Z"})),
            ),
            AudienceIdAction {
                action: AudienceAction::Remove,
                id: "CUSTOM-ID-2".into(),
                attributes: None,
            },
        ],
    }
}

#[tokio::test]
async fn sends_the_documented_request_and_decodes_the_202() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/2.11/audiences/update"))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(json!({"indexing_token": "a0082dc6860938a26280bd3ba927303b"})),
        )
        .mount(&server)
        .await;

    let response = client(&server)
        .audience_update(&request())
        .await
        .expect("202 decodes");
    assert_eq!(
        response.indexing_token.as_deref(),
        Some("a0082dc6860938a26280bd3ba927303b")
    );

    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "POST");
    assert_eq!(sent.url.path(), "/2.11/audiences/update");
    assert_eq!(header(&sent, "authorization"), format!("Bearer {REST_KEY}"));
    assert_eq!(header(&sent, "x-batch-project"), PROJECT);
    assert_eq!(header(&sent, "content-type"), "application/json");
    let body = String::from_utf8(sent.body.clone()).expect("UTF-8 body");
    assert_eq!(
        body,
        r#"{"name":"AUDIENCE_NAME","ids":[{"action":"add","id":"CUSTOM-ID-1","attributes":{"att1":3,"att2":"string","date(att15)":"2023-08-12T22:30:05Z"}},{"action":"remove","id":"CUSTOM-ID-2"}]}"#
    );
}

#[tokio::test]
async fn the_api_version_is_a_server_variable() {
    let server = MockServer::start().await;
    Mock::given(path("/2.13/audiences/update"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({})))
        .mount(&server)
        .await;
    let credentials = Credentials {
        project_key: PROJECT.into(),
        rest_key: Secret::new(REST_KEY),
    };
    let mut config = config_for(&server);
    config
        .server_variables
        .push(("version".into(), "2.13".into()));
    let client = Client::with_config(credentials, config).expect("client builds");
    let response = client
        .audience_update(&request())
        .await
        .expect("202 decodes");
    assert_eq!(response.indexing_token, None);

    // A name the server does not declare is refused when the client is built, not ignored.
    let mut misspelt = config_for(&server);
    misspelt
        .server_variables
        .push(("verison".into(), "2.13".into()));
    let error = Client::with_config(
        Credentials {
            project_key: PROJECT.into(),
            rest_key: Secret::new(REST_KEY),
        },
        misspelt,
    )
    .expect_err("an undeclared variable");
    assert_eq!(
        error.to_string(),
        r#"invalid server variable `verison`: the server declares no such variable; it declares ["version"]"#
    );
}

#[tokio::test]
async fn every_documented_error_status_is_decoded() {
    for (status, code) in [
        (400, "INVALID_PARAMETER"),
        (401, "AUTHENTICATION_INVALID"),
        (429, "TOO_MANY_REQUESTS"),
        (500, "SERVER_ERROR"),
        (503, "MAINTENANCE"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_json(
                json!({"error_message": format!("message {status}"), "error_code": code}),
            ))
            .mount(&server)
            .await;
        match client(&server).audience_update(&request()).await {
            Err(Error::Api {
                status: got, fault, ..
            }) => {
                assert_eq!(got, status);
                assert_eq!(fault.error_code, code);
                assert_eq!(fault.error_message, format!("message {status}"));
            }
            other => panic!("HTTP {status}: expected an API error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn an_undocumented_body_is_a_decode_error_with_an_excerpt() {
    // 400 is documented with a JSON error body; a proxy's HTML page in its place is kept, not parsed. (An HTML
    // 502, which is also retried, is in tests/resilience.rs.)
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string("<html>Bad Request</html>"))
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server)
        .audience_update(&request())
        .await
        .expect_err("400 HTML is an error");
    match &error {
        Error::Decode {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 400);
            assert_eq!(excerpt, "<html>Bad Request</html>");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(!error.to_string().contains(REST_KEY));
}

/// `Unknown` holding a listed value passes the checks and is written as that value: the enum's encoder keeps that
/// arm out of line, and it must still give the same bytes.
#[tokio::test]
async fn an_unknown_enum_holding_a_listed_value_is_sent_as_that_value() {
    let server = server_expecting_nothing().await;
    let client = client(&server);
    let listed = request();
    let mut unknown = request();
    unknown.ids[1].action = AudienceAction::Unknown("remove".into());
    let body = |r: &AudienceUpdateRequest| client.prepare_audience_update(r).expect("valid").body;
    assert_eq!(body(&unknown), body(&listed));
    assert!(
        String::from_utf8(body(&unknown))
            .expect("UTF-8")
            .contains(r#"{"action":"remove","id":"CUSTOM-ID-2"}"#)
    );
}

#[tokio::test]
async fn broken_limits_send_nothing() {
    let server = server_expecting_nothing().await;
    let client = client(&server);

    // At the limits, a request is good; one past either, it is refused.
    let mut attributes = serde_json::Map::new();
    for i in 0..15 {
        attributes.insert(format!("att{i}"), json!(i));
    }
    let mut at_limits = request();
    at_limits.ids = (0..10_000).map(|i| add(&format!("id-{i}"), None)).collect();
    at_limits.ids[0].attributes = Some(attributes.clone());
    client
        .prepare_audience_update(&at_limits)
        .expect("10,000 ids, one with 15 attributes");

    let mut too_many = request();
    too_many.ids = (0..10_001).map(|i| add(&format!("id-{i}"), None)).collect();
    let error = client
        .audience_update(&too_many)
        .await
        .expect_err("10,001 ids exceed maxItems");
    assert!(
        error
            .to_string()
            .contains("`ids`: at most 10000 items, found 10001"),
        "{error}"
    );

    attributes.insert("att15".into(), json!(15));
    let mut too_wide = request();
    too_wide.ids[0].attributes = Some(attributes);
    let error = client
        .audience_update(&too_wide)
        .await
        .expect_err("16 attributes exceed the documented 15");
    assert!(
        error
            .to_string()
            .contains("`ids[0].attributes`: at most 15 entries, found 16"),
        "{error}"
    );

    let mut remove_with_attributes = request();
    remove_with_attributes.ids[1].attributes = Some(serde_json::Map::new());
    let error = client
        .audience_update(&remove_with_attributes)
        .await
        .expect_err("attributes only with add");
    assert!(
        error
            .to_string()
            .contains("`ids[1].attributes`: only allowed when `action` is \"add\""),
        "{error}"
    );
    assert!(matches!(error, Error::InvalidRequest(_)));

    let mut unknown_action = request();
    unknown_action.ids[0].action = AudienceAction::Unknown("delete".into());
    let error = client
        .audience_update(&unknown_action)
        .await
        .expect_err("an unknown action is refused");
    assert!(
        error
            .to_string()
            .contains("`ids[0].action`: unknown value \"delete\""),
        "{error}"
    );
    // A listed value held by `Unknown` is the same value on the wire: only its text is checked.
    let mut listed_as_unknown = request();
    listed_as_unknown.ids[0].action = AudienceAction::Unknown("add".into());
    let prepared = client
        .prepare_audience_update(&listed_as_unknown)
        .expect("a listed value is accepted however it is held");
    assert_eq!(
        prepared.body,
        client
            .prepare_audience_update(&request())
            .expect("valid")
            .body
    );
    // `expect(0)` is verified when the server drops.
}

#[tokio::test]
async fn credentials_never_print() {
    let credentials = Credentials {
        project_key: PROJECT.into(),
        rest_key: Secret::new(REST_KEY),
    };
    let printed = format!("{credentials:?}");
    assert!(
        !printed.contains(REST_KEY) && printed.contains("<redacted>"),
        "{printed}"
    );
    let server = MockServer::start().await;
    let client = client(&server);
    assert!(!format!("{client:?}").contains(REST_KEY));
    let prepared = client
        .prepare_audience_update(&request())
        .expect("valid request");
    assert!(!prepared.to_string().contains(REST_KEY));
    assert!(prepared.to_string().contains("Authorization: <redacted>"));
}

#[test]
fn plain_http_is_refused_except_to_loopback() {
    let credentials = || Credentials {
        project_key: PROJECT.into(),
        rest_key: Secret::new(REST_KEY),
    };
    let config = |endpoint: &str| marketing_apis::ClientConfig {
        endpoint: Some(endpoint.into()),
        ..Default::default()
    };
    assert!(Client::with_config(credentials(), config("http://192.0.2.10:8080")).is_err());
    assert!(Client::with_config(credentials(), config("http://127.0.0.1:8080")).is_ok());
    assert!(Client::with_config(credentials(), config("http://localhost:8080")).is_ok());
    assert!(Client::with_config(credentials(), config("https://proxy.example")).is_ok());
}

#[tokio::test]
async fn batch_documents_no_sandbox() {
    let credentials = Credentials {
        project_key: PROJECT.into(),
        rest_key: Secret::new(REST_KEY),
    };
    let config = marketing_apis::ClientConfig {
        sandbox: true,
        ..Default::default()
    };
    let client = Client::with_config(credentials, config).expect("client builds");
    let error = client
        .audience_update(&request())
        .await
        .expect_err("no sandbox");
    assert!(matches!(error, Error::Unavailable(_)), "{error:?}");
    assert!(
        error.to_string().contains("documents no sandbox"),
        "{error}"
    );
}

/// Which connection each request came on, by the order connections opened, and its `Authorization` header.
type Seen = Arc<Mutex<Vec<(usize, String)>>>;

/// A loopback server that answers every request with a 202 and keeps its connection open for the next.
async fn keep_alive_server() -> (String, Seen) {
    let seen = Seen::default();
    let (record, connections) = (seen.clone(), AtomicUsize::new(0));
    let (address, _) = raw_server(move |stream| {
        answer_each(
            stream,
            connections.fetch_add(1, Ordering::SeqCst),
            record.clone(),
        )
    })
    .await;
    (address, seen)
}

async fn answer_each(stream: TcpStream, connection: usize, record: Seen) {
    let mut stream = BufReader::new(stream);
    loop {
        let (mut authorization, mut length) = (String::new(), 0);
        loop {
            let mut line = String::new();
            if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            match line.trim_end().split_once(':') {
                _ if line.trim_end().is_empty() => break,
                Some((name, value)) if name.eq_ignore_ascii_case("authorization") => {
                    authorization = value.trim().to_string();
                }
                Some((name, value)) if name.eq_ignore_ascii_case("content-length") => {
                    length = value.trim().parse().expect("a length");
                }
                _ => {}
            }
        }
        let mut body = vec![0; length];
        if stream.read_exact(&mut body).await.is_err() {
            return;
        }
        record
            .lock()
            .expect("not poisoned")
            .push((connection, authorization));
        let answer = r#"{"indexing_token":"t"}"#;
        let response = format!(
            "HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}",
            answer.len()
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

#[tokio::test]
async fn a_client_with_other_credentials_sends_them_over_the_same_connections() {
    let (address, seen) = keep_alive_server().await;
    let first = Client::with_config(
        Credentials {
            project_key: PROJECT.into(),
            rest_key: Secret::new(REST_KEY),
        },
        config_at(address),
    )
    .expect("client builds");
    let renewed = first.with_credentials(Credentials {
        project_key: PROJECT.into(),
        rest_key: Secret::new("renewed-rest-key"),
    });
    for client in [&first, &renewed, &first] {
        client
            .audience_update(&request())
            .await
            .expect("the server accepts");
        // hyper hands a connection back to the pool from its own task once the response has ended.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let old = format!("Bearer {REST_KEY}");
    let new = "Bearer renewed-rest-key".to_string();
    assert_eq!(
        *seen.lock().expect("not poisoned"),
        [(0, old.clone()), (0, new), (0, old)],
        "each client sends its own key, and both use the one connection"
    );
}
