//! Retries, timeouts, body limits and bulk calls against loopback servers that throttle, stall, cut off and
//! answer garbage.

mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::{config_at, config_for, raw_server};
use marketing_apis::batch::{
    AudienceAction, AudienceIdAction, AudienceUpdateRequest, Client, Credentials,
};
use marketing_apis::bulk::BulkConfig;
use marketing_apis::{ClientConfig, Error, RetryConfig, Secret};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wiremock::matchers::{body_string_contains, method};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn credentials() -> Credentials {
    Credentials {
        project_key: "project".into(),
        rest_key: Secret::new("rest-key"),
    }
}

fn client_with(config: ClientConfig) -> Client {
    Client::with_config(credentials(), config).expect("client builds")
}

fn client(server: &MockServer) -> Client {
    client_with(config_for(server))
}

fn request() -> AudienceUpdateRequest {
    AudienceUpdateRequest {
        name: "A".into(),
        ids: vec![action("id-1", AudienceAction::Add)],
    }
}

fn action(id: &str, action: AudienceAction) -> AudienceIdAction {
    AudienceIdAction {
        action,
        id: id.into(),
        attributes: None,
    }
}

fn accepted() -> ResponseTemplate {
    ResponseTemplate::new(202).set_body_json(json!({"indexing_token": "tok"}))
}

/// A server answering `verb` requests with `first` for the first `times`, then with `then`.
async fn first_then(
    verb: &str,
    times: u64,
    first: ResponseTemplate,
    then: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .respond_with(first)
        .up_to_n_times(times)
        .mount(&server)
        .await;
    Mock::given(method(verb))
        .respond_with(then)
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording on")
}

#[tokio::test]
async fn throttled_then_successful() {
    let server = first_then(
        "POST",
        2,
        ResponseTemplate::new(429)
            .set_body_json(json!({"error_message": "slow", "error_code": "TOO_MANY_REQUESTS"})),
        accepted(),
    )
    .await;
    let response = client(&server)
        .audience_update(&request())
        .await
        .expect("third attempt succeeds");
    assert_eq!(response.attempts(), 3);
    assert_eq!(response.indexing_token.as_deref(), Some("tok"));
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    assert!(
        sent.windows(2).all(|w| w[0].body == w[1].body),
        "every attempt sends the same bytes"
    );
}

#[tokio::test]
async fn retries_stop_at_max_attempts_and_return_the_last_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(json!({"error_message": "down", "error_code": "MAINTENANCE"})),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .audience_update(&request())
        .await
        .expect_err("always 503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(
        requests(&server).await.len(),
        3,
        "the default is 3 attempts"
    );

    let once = client(&server).with_call_config(|c| c.retry = RetryConfig::disabled());
    once.audience_update(&request()).await.expect_err("503");
    assert_eq!(
        requests(&server).await.len(),
        4,
        "a per-call override sends once"
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = first_then(
        "POST",
        1,
        ResponseTemplate::new(503).insert_header("Retry-After", "1"),
        accepted(),
    )
    .await;
    let started = Instant::now();
    let response = client(&server)
        .audience_update(&request())
        .await
        .expect("the retry succeeds");
    assert_eq!(response.attempts(), 2);
    // The test configuration's own backoff is at most 5 ms: only the header can explain a wait of a second.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_call_timeout_is_not_waited_for() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .mount(&server)
        .await;
    let started = Instant::now();
    let error = client(&server)
        .with_call_config(|c| c.call_timeout = Duration::from_secs(30))
        .audience_update(&request())
        .await
        .expect_err("the server asks for an hour");
    assert_eq!(error.status(), Some(429));
    assert!(error.is_throttling());
    assert_eq!(requests(&server).await.len(), 1);
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn client_errors_and_auth_failures_are_not_retried() {
    for (status, code) in [
        (400, "INVALID_PARAMETER"),
        (401, "AUTHENTICATION_INVALID"),
        (403, "FORBIDDEN"),
        (404, "NOT_FOUND"),
        (500, "SERVER_ERROR"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(json!({"error_message": "no", "error_code": code})),
            )
            .mount(&server)
            .await;
        let error = client(&server)
            .audience_update(&request())
            .await
            .expect_err("an error status");
        assert!(
            matches!(error, Error::Api { status: s, .. } if s == status),
            "{error:?}"
        );
        assert!(!error.is_throttling(), "HTTP {status}");
        assert!(!error.is_refused_before_sending(), "HTTP {status} was sent");
        assert_eq!(
            error.is_authentication_failure(),
            status == 401,
            "HTTP {status}"
        );
        assert_eq!(
            requests(&server).await.len(),
            1,
            "HTTP {status} was retried"
        );
    }
}

#[tokio::test]
async fn microsoft_throttling_fault_117_is_retried_and_authentication_faults_are_told_apart() {
    use marketing_apis::microsoft;
    let fault = |code: i32, name: &str| {
        format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>Invalid client data.</faultstring><detail><AdApiFaultDetail xmlns="https://adapi.microsoft.com"><TrackingId>t</TrackingId><Errors><AdApiError><Code>{code}</Code><ErrorCode>{name}</ErrorCode><Message>m</Message></AdApiError></Errors></AdApiFaultDetail></detail></s:Fault></s:Body></s:Envelope>"#
        )
    };
    let ok = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><UpdateAudiencesResponse xmlns="https://bingads.microsoft.com/CampaignManagement/v13"/></s:Body></s:Envelope>"#;
    let credentials = || microsoft::Credentials {
        access_token: Secret::new("a"),
        developer_token: Secret::new("d"),
        customer_id: "1".into(),
        customer_account_id: "2".into(),
    };

    let client = |server: &MockServer| {
        microsoft::Client::with_config(credentials(), config_for(server)).expect("client")
    };
    let request = microsoft::UpdateAudiencesRequest::default();

    let server = first_then(
        "POST",
        1,
        ResponseTemplate::new(500).set_body_string(fault(117, "CallRateExceeded")),
        ResponseTemplate::new(200).set_body_string(ok),
    )
    .await;
    let response = client(&server)
        .update_audiences(&request)
        .await
        .expect("retried after CallRateExceeded");
    assert_eq!(response.attempts(), 2);

    // Refused credentials, told by the fault's code under HTTP 500: final, and said so.
    for (code, name) in [
        (105, "InvalidCredentials"),
        (109, "AuthenticationTokenExpired"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(500).set_body_string(fault(code, name)))
            .mount(&server)
            .await;
        let error = client(&server)
            .update_audiences(&request)
            .await
            .expect_err("an authentication fault");
        assert_eq!(
            requests(&server).await.len(),
            1,
            "authentication faults are final"
        );
        assert!(!error.is_throttling(), "{error:?}");
        assert!(error.is_authentication_failure(), "{error:?}");
    }

    // Once the attempts are spent, the application is told the platform was throttling: by the fault's code,
    // under an HTTP status that says nothing of it.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string(fault(117, "CallRateExceeded")))
        .mount(&server)
        .await;
    let error = client(&server)
        .with_call_config(|c| c.retry = RetryConfig::disabled())
        .update_audiences(&request)
        .await
        .expect_err("still throttled");
    assert_eq!(error.status(), Some(500));
    assert!(error.is_throttling(), "{error:?}");
    assert!(!error.is_authentication_failure(), "{error:?}");
}

#[tokio::test]
async fn pinterest_rate_limit_code_8_is_retried() {
    use marketing_apis::pinterest;
    let server = first_then(
        "PATCH",
        1,
        ResponseTemplate::new(429)
            .set_body_json(json!({"code": 8, "message": "This request exceeded a rate limit."})),
        ResponseTemplate::new(200).set_body_json(json!({"id": "1"})),
    )
    .await;
    let client = pinterest::Client::with_config(
        pinterest::Credentials {
            access_token: Secret::new("p"),
        },
        config_for(&server),
    )
    .expect("client");
    let response = client
        .audiences_update("1", "2", &pinterest::AudienceUpdateRequest::default())
        .await
        .expect("retried after code 8");
    assert_eq!(response.attempts(), 2);
}

/// Reads the request head and body so the client is not answered before it has sent.
async fn read_request(stream: &mut TcpStream) {
    let mut buffer = vec![0u8; 64 * 1024];
    let mut seen = Vec::new();
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buffer).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        seen.extend_from_slice(&buffer[..n]);
    }
}

/// One call against a raw server answering each connection with `answer`, with the test configuration that
/// `adjust` changes; the error it ends with and how many connections it opened.
async fn fail_against<F, Fut>(
    answer: F,
    adjust: impl FnOnce(&mut ClientConfig),
) -> (Error<marketing_apis::batch::Error>, usize)
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let (address, connections) = raw_server(answer).await;
    let mut config = config_at(address);
    adjust(&mut config);
    let error = client_with(config)
        .audience_update(&request())
        .await
        .expect_err("the server never answers properly");
    (error, connections.load(Ordering::SeqCst))
}

/// Reads the request, then holds the connection open without a word.
async fn silent(mut stream: TcpStream) {
    read_request(&mut stream).await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_per_attempt() {
    let started = Instant::now();
    let (error, connections) = fail_against(silent, |c| {
        c.call.attempt_timeout = Duration::from_millis(200)
    })
    .await;
    assert!(
        matches!(&error, Error::Timeout(why)
            if why.starts_with("attempt 3 got no complete response within the attempt timeout of 200 ms: ")),
        "{error:?}"
    );
    assert_eq!(
        connections, 3,
        "an idempotent call is retried after a timeout"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_shorter_attempt_timeout_set_per_call_applies() {
    // The client is built with a minute per attempt; the call asks for 200 ms and no retry.
    let (address, connections) = raw_server(silent).await;
    let mut config = config_at(address);
    config.call.attempt_timeout = Duration::from_secs(60);
    let started = Instant::now();
    let error = client_with(config)
        .with_call_config(|c| {
            c.attempt_timeout = Duration::from_millis(200);
            c.retry = RetryConfig::disabled();
        })
        .audience_update(&request())
        .await
        .expect_err("the server never answers");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn the_call_timeout_bounds_all_attempts() {
    let (error, connections) = fail_against(silent, |c| {
        c.call.attempt_timeout = Duration::from_secs(60);
        c.call.call_timeout = Duration::from_millis(300);
    })
    .await;
    assert!(
        matches!(&error, Error::Timeout(why)
            if why.starts_with("attempt 1 got no complete response before the call timeout of 300 ms ran out: ")),
        "{error:?}"
    );
    assert_eq!(connections, 1, "no time was left for a second attempt");
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_a_transport_error() {
    let cut_off = |mut stream: TcpStream| async move {
        read_request(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"indexing_to")
            .await;
        // Dropping the stream closes the connection 987 bytes short.
    };
    let (error, connections) = fail_against(cut_off, |_| {}).await;
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(
        connections, 3,
        "retried: the outcome is unknown and the call idempotent"
    );
}

#[tokio::test]
async fn a_truncated_body_is_a_decode_error_showing_what_arrived() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_raw("{\"indexing_token\": \"ab", "application/json"),
        )
        .mount(&server)
        .await;
    match client(&server).audience_update(&request()).await {
        Err(Error::Decode {
            status,
            excerpt,
            reason,
        }) => {
            assert_eq!(status, 202);
            assert_eq!(excerpt, "{\"indexing_token\": \"ab");
            assert!(reason.contains("EOF"), "{reason}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 1, "a 202 is not retried");
}

#[tokio::test]
async fn an_html_error_page_is_a_decode_error_and_a_502_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw("<html><h1>Bad Gateway</h1></html>", "text/html"),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .audience_update(&request())
        .await
        .expect_err("HTML");
    match &error {
        Error::Decode {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 502);
            assert!(excerpt.starts_with("<html>"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn an_oversized_body_is_refused_at_the_limit() {
    let server = MockServer::start().await;
    let big = format!("{{\"indexing_token\": \"{}\"}}", "x".repeat(10_000));
    let size = big.len();
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_raw(big, "application/json"))
        .mount(&server)
        .await;
    let error = client(&server)
        .with_call_config(|c| c.max_response_bytes = 1024)
        .audience_update(&request())
        .await
        .expect_err("too large");
    match error {
        Error::Decode { reason, .. } => assert!(reason.contains("1024-byte limit"), "{reason}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    // A body of exactly the limit is within it.
    let exact = client(&server)
        .with_call_config(|c| c.max_response_bytes = size)
        .audience_update(&request())
        .await
        .expect("a body of exactly the limit");
    assert_eq!(exact.indexing_token.as_ref().map(String::len), Some(10_000));
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_at_the_limit() {
    let endless = |mut stream: TcpStream| async move {
        read_request(&mut stream).await;
        let head = b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        if stream.write_all(head).await.is_err() {
            return;
        }
        let chunk = format!("{:x}\r\n{}\r\n", 4096, "y".repeat(4096));
        // Without the cap the client would read for ever; it must hang up instead.
        while stream.write_all(chunk.as_bytes()).await.is_ok() {}
    };
    let (error, _) = fail_against(endless, |c| c.call.max_response_bytes = 64 * 1024).await;
    match error {
        Error::Decode {
            reason, excerpt, ..
        } => {
            assert!(reason.contains("65536-byte limit"), "{reason}");
            assert!(excerpt.starts_with("yyyy"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn bulk_update_keeps_the_last_action_per_id_and_names_the_ids_of_a_failed_call() {
    let server = MockServer::start().await;
    // The call carrying id-15 fails for good; the others are accepted.
    Mock::given(method("POST"))
        .and(body_string_contains(r#""id":"id-15""#))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error_message": "bad", "error_code": "INVALID_PARAMETER"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(accepted())
        .mount(&server)
        .await;

    let mut actions: Vec<AudienceIdAction> = (0..25)
        .map(|n| action(&format!("id-{n}"), AudienceAction::Add))
        .collect();
    // Later actions for ids 3 and 24 replace the earlier ones and take their place in the order, so the calls
    // carry [0, 1, 2, 4..=10], [11..=20] and [21, 22, 23, 3, 24].
    actions.push(action("id-3", AudienceAction::Remove));
    actions.push(action("id-24", AudienceAction::Remove));
    let config = BulkConfig {
        chunk_size: Some(10),
        concurrency: 2,
    };
    let outcome = client(&server)
        .audience_update_bulk("A", actions, &config)
        .await;

    assert_eq!(outcome.superseded, 2);
    assert_eq!(outcome.applied, 15);
    assert_eq!(outcome.indexing_tokens, vec!["tok", "tok"]);
    let failed: Vec<&str> = outcome.failed_ids().collect();
    let expected: Vec<String> = (11..=20).map(|n| format!("id-{n}")).collect();
    assert_eq!(
        failed,
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(matches!(
        outcome.failed[0].error,
        Error::Api { status: 400, .. }
    ));

    let mut sent_ids = Vec::new();
    for request in requests(&server).await {
        let body: AudienceUpdateRequest =
            serde_json::from_slice(&request.body).expect("a request body");
        assert!(body.ids.len() <= 10);
        sent_ids.extend(body.ids);
    }
    assert_eq!(sent_ids.len(), 25, "every id once, none twice");
    let three = sent_ids.iter().find(|a| a.id == "id-3").expect("id-3 sent");
    assert_eq!(
        three.action,
        AudienceAction::Remove,
        "the last action for id-3 won"
    );
    let last = sent_ids
        .iter()
        .find(|a| a.id == "id-24")
        .expect("id-24 sent");
    assert_eq!(last.action, AudienceAction::Remove);
}

#[tokio::test]
async fn bulk_update_caps_calls_at_10000_ids() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(accepted())
        .mount(&server)
        .await;
    let actions = (0..25_001).map(|n| action(&format!("{n}"), AudienceAction::Add));
    let config = BulkConfig {
        chunk_size: Some(1_000_000),
        concurrency: 3,
    };
    let outcome = client(&server)
        .audience_update_bulk("A", actions, &config)
        .await;
    assert_eq!((outcome.applied, outcome.failed.len()), (25_001, 0));
    let mut sizes: Vec<usize> = Vec::new();
    for request in requests(&server).await {
        let body: AudienceUpdateRequest = serde_json::from_slice(&request.body).expect("body");
        sizes.push(body.ids.len());
    }
    sizes.sort();
    assert_eq!(sizes, vec![5_001, 10_000, 10_000]);
}

#[tokio::test]
async fn bulk_update_reports_actions_that_break_a_limit_and_sends_the_rest() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(accepted())
        .mount(&server)
        .await;
    let mut bad = action("id-1", AudienceAction::Remove);
    // Attributes are documented for `add` only.
    bad.attributes = json!({"a": 1}).as_object().cloned();
    let actions = vec![
        action("id-0", AudienceAction::Add),
        bad,
        action("id-2", AudienceAction::Add),
    ];
    let outcome = client(&server)
        .audience_update_bulk("A", actions, &BulkConfig::default())
        .await;
    assert_eq!(outcome.rejected.len(), 1);
    assert_eq!(outcome.rejected[0].0, 1, "the position in the input");
    assert!(
        outcome.rejected[0]
            .1
            .to_string()
            .contains("ids[1].attributes"),
        "{}",
        outcome.rejected[0].1
    );
    assert_eq!(outcome.applied, 2);
    let sent = requests(&server).await;
    let body: AudienceUpdateRequest = serde_json::from_slice(&sent[0].body).expect("JSON");
    assert_eq!(
        body.ids.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        ["id-0", "id-2"]
    );
}
