//! Every error path driven with known credentials: none may appear in `Debug`, `Display`, an error's source
//! chain, or anything logged through `tracing` at any level, by this crate or the HTTP stack under it.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use common::config_for;
use marketing_apis::{
    ClientConfig, Error, RetryConfig, Secret, Transport, batch, microsoft, pinterest,
};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRETS: [&str; 4] = [
    "batch-rest-key-SECRET-1",
    "ms-access-token-SECRET-2",
    "ms-developer-token-SECRET-3",
    "pinterest-token-SECRET-4",
];

/// Everything any `tracing` event or `log` record writes in this test binary, at every level.
fn logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        // The test server itself is left out: it receives the credentials by design, and logs them.
        let client_side = Targets::new()
            .with_default(LevelFilter::TRACE)
            .with_target("wiremock", LevelFilter::OFF);
        let subscriber = tracing_subscriber::registry()
            .with(
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_writer(move || Capture(sink.clone())),
            )
            .with(client_side);
        // `try_init` also routes the `log` records of the HTTP stack into the subscriber.
        subscriber.try_init().expect("one subscriber");
        buffer
    })
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows a credential: {text}");
    }
}

/// `Display`, `Debug` and every `source()` of an error.
fn assert_error_clean(error: &dyn std::error::Error) {
    assert_clean("Display", &error.to_string());
    assert_clean("Debug", &format!("{error:?}"));
    let mut source = error.source();
    while let Some(e) = source {
        assert_clean("a source", &format!("{e} / {e:?}"));
        source = e.source();
    }
}

fn quick(mut config: ClientConfig) -> ClientConfig {
    config.call.retry = RetryConfig {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
    };
    config.call.attempt_timeout = Duration::from_millis(300);
    config
}

fn batch_client(config: ClientConfig) -> batch::Client {
    let credentials = batch::Credentials {
        project_key: "project".into(),
        rest_key: Secret::new(SECRETS[0]),
    };
    assert_clean("batch::Credentials", &format!("{credentials:?}"));
    let client = batch::Client::with_config(credentials, quick(config)).expect("client");
    let printed = format!("{client:?}");
    assert_clean("batch::Client", &printed);
    // Clean because redacted, not because left out: the client still says what it holds.
    assert!(
        printed.contains(r#"platform: "batch""#) && printed.contains(r#"("rest_key", <redacted>)"#),
        "{printed}"
    );
    client
}

fn microsoft_client(config: ClientConfig) -> microsoft::Client {
    let credentials = microsoft::Credentials {
        access_token: Secret::new(SECRETS[1]),
        developer_token: Secret::new(SECRETS[2]),
        customer_id: "1".into(),
        customer_account_id: "2".into(),
    };
    assert_clean("microsoft::Credentials", &format!("{credentials:?}"));
    microsoft::Client::with_config(credentials, quick(config)).expect("client")
}

fn pinterest_client(config: ClientConfig) -> pinterest::Client {
    pinterest::Client::with_config(
        pinterest::Credentials {
            access_token: Secret::new(SECRETS[3]),
        },
        quick(config),
    )
    .expect("client")
}

fn batch_request() -> batch::AudienceUpdateRequest {
    batch::AudienceUpdateRequest {
        name: "A".into(),
        ids: vec![batch::AudienceIdAction {
            action: batch::AudienceAction::Add,
            id: "1".into(),
            attributes: None,
        }],
    }
}

async fn server_answering(status: u16, body: &str, content_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_string(), content_type))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn no_error_path_and_no_log_line_shows_a_credential() {
    let logs = logs();
    let mut errors: Vec<Box<dyn std::error::Error>> = Vec::new();

    // API errors, decode errors, throttling with retries, and a success, on each platform.
    for (status, body, kind) in [
        (
            401,
            r#"{"error_message":"bad key","error_code":"AUTHENTICATION_INVALID"}"#,
            "application/json",
        ),
        (
            429,
            r#"{"error_message":"slow","error_code":"TOO_MANY_REQUESTS"}"#,
            "application/json",
        ),
        (502, "<html>Bad Gateway</html>", "text/html"),
        (202, r#"{"indexing_token":"t"}"#, "application/json"),
    ] {
        let server = server_answering(status, body, kind).await;
        let client = batch_client(config_for(&server));
        let request = batch_request();
        let prepared = client.prepare_audience_update(&request).expect("prepares");
        assert_clean("PreparedRequest Display", &prepared.to_string());
        assert_clean("PreparedRequest Debug", &format!("{prepared:?}"));
        if let Err(e) = client.audience_update(&request).await {
            errors.push(Box::new(e));
        }
        let pinterest = pinterest_client(config_for(&server));
        if let Err(e) = pinterest
            .audiences_update("1", "2", &pinterest::AudienceUpdateRequest::default())
            .await
        {
            errors.push(Box::new(e));
        }
    }

    // SOAP: the tokens travel in the body.
    let fault = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>Invalid client data.</faultstring><detail><AdApiFaultDetail xmlns="https://adapi.microsoft.com"><TrackingId>t</TrackingId><Errors><AdApiError><Code>105</Code><ErrorCode>InvalidCredentials</ErrorCode><Message>Authentication failed.</Message></AdApiError></Errors></AdApiFaultDetail></detail></s:Fault></s:Body></s:Envelope>"#;
    for transport in [Transport::Soap, Transport::Rest] {
        let server = server_answering(500, fault, "text/xml").await;
        let mut config = config_for(&server);
        config.transport = Some(transport);
        let client = microsoft_client(config);
        let request = microsoft::UpdateAudiencesRequest::default();
        let prepared = client.prepare_update_audiences(&request).expect("prepares");
        assert_clean("SOAP PreparedRequest Display", &prepared.to_string());
        assert_clean("SOAP PreparedRequest Debug", &format!("{prepared:?}"));
        errors.push(Box::new(
            client
                .update_audiences(&request)
                .await
                .expect_err("a fault"),
        ));
    }

    // A server that echoes a credential back, in an error body or in one that cannot be decoded: the error keeps
    // everything else it said, with the credential blanked out.
    let echoed = |secret: &str| {
        [
            (
                401,
                format!(
                    r#"{{"error_message":"key {secret} is revoked","error_code":"AUTHENTICATION_INVALID","code":401,"message":"token {secret} expired"}}"#
                ),
                "application/json",
            ),
            (200, format!("<html>your key: {secret}</html>"), "text/html"),
        ]
    };
    for (status, body, kind) in echoed(SECRETS[0]) {
        let server = server_answering(status, &body, kind).await;
        let error = batch_client(config_for(&server))
            .audience_update(&batch_request())
            .await
            .expect_err("an echo");
        assert!(error.to_string().contains("<redacted>"), "{error}");
        errors.push(Box::new(error));
    }
    for (status, body, kind) in echoed(SECRETS[3]) {
        let server = server_answering(status, &body, kind).await;
        let error = pinterest_client(config_for(&server))
            .audiences_update("1", "2", &pinterest::AudienceUpdateRequest::default())
            .await
            .expect_err("an echo");
        assert!(error.to_string().contains("<redacted>"), "{error}");
        errors.push(Box::new(error));
    }
    let echoing_fault = fault.replace(
        "Authentication failed.",
        &format!("Token {} & {} refused.", SECRETS[1], SECRETS[2]),
    );
    let server = server_answering(500, &echoing_fault, "text/xml").await;
    let error = microsoft_client(config_for(&server))
        .update_audiences(&microsoft::UpdateAudiencesRequest::default())
        .await
        .expect_err("an echo");
    let shown = error.to_string();
    assert!(
        shown.contains("Token <redacted> & <redacted> refused."),
        "the fault keeps its message: {shown}"
    );
    errors.push(Box::new(error));

    // Nothing listening: a connection error, retried.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", listener.local_addr().expect("address"))
    };
    let refused = ClientConfig {
        endpoint: Some(closed),
        ..ClientConfig::default()
    };
    errors.push(Box::new(
        batch_client(refused)
            .audience_update(&batch_request())
            .await
            .expect_err("refused"),
    ));

    // A server that accepts and never answers: timeouts.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let silent_config = ClientConfig {
        endpoint: Some(format!("http://{}", silent.local_addr().expect("address"))),
        ..ClientConfig::default()
    };
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            held.push(stream);
        }
    });
    let timeout = batch_client(silent_config)
        .audience_update(&batch_request())
        .await
        .expect_err("timeout");
    assert!(matches!(timeout, Error::Timeout(_)), "{timeout:?}");
    errors.push(Box::new(timeout));

    // Refused before sending: a broken limit, the sandbox Batch does not have, a credential with a line break.
    let unsent = batch_client(ClientConfig::default());
    let mut too_many = batch_request();
    too_many.ids = (0..10_001)
        .map(|n| batch::AudienceIdAction {
            action: batch::AudienceAction::Add,
            id: n.to_string(),
            attributes: None,
        })
        .collect();
    errors.push(Box::new(
        unsent.audience_update(&too_many).await.expect_err("limit"),
    ));
    let sandbox = batch_client(ClientConfig {
        sandbox: true,
        ..ClientConfig::default()
    });
    errors.push(Box::new(
        sandbox
            .audience_update(&batch_request())
            .await
            .expect_err("no sandbox"),
    ));
    let split = batch::Client::new(batch::Credentials {
        project_key: "project".into(),
        rest_key: Secret::new(format!("{}\r\nX-Injected: 1", SECRETS[0])),
    })
    .expect("client");
    let injected = split
        .audience_update(&batch_request())
        .await
        .expect_err("CR/LF");
    assert!(injected.is_refused_before_sending(), "{injected:?}");
    assert!(
        injected.to_string().contains("Authorization"),
        "names the header: {injected}"
    );
    errors.push(Box::new(injected));

    // A bad endpoint fails the build of the client.
    let bad = batch::Client::with_config(
        batch::Credentials {
            project_key: "p".into(),
            rest_key: Secret::new(SECRETS[0]),
        },
        ClientConfig {
            endpoint: Some("http://example.com".into()),
            ..ClientConfig::default()
        },
    )
    .expect_err("plain http off loopback");
    errors.push(Box::new(bad));

    assert!(
        errors.len() >= 14,
        "only {} error paths were driven",
        errors.len()
    );
    for error in &errors {
        assert_error_clean(error.as_ref());
    }
    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(
        logged.contains("retrying"),
        "the capture must see this crate's events"
    );
    assert!(
        logged.contains("sending"),
        "the capture must see this crate's events"
    );
    assert_clean("tracing output", &logged);
}

#[test]
fn a_printed_soap_request_redacts_its_credentials_however_short() {
    let credentials = microsoft::Credentials {
        access_token: Secret::new("tk"),
        developer_token: Secret::new("dv"),
        customer_id: "1".into(),
        customer_account_id: "2".into(),
    };
    let client = microsoft::Client::new(credentials).expect("client");
    let prepared = client
        .prepare_update_audiences(&microsoft::UpdateAudiencesRequest::default())
        .expect("prepares");
    let printed = prepared.to_string();
    assert!(
        printed.contains("<AuthenticationToken><redacted></AuthenticationToken>")
            && printed.contains("<DeveloperToken><redacted></DeveloperToken>"),
        "{printed}"
    );
    assert!(
        !printed.contains(">tk<") && !printed.contains(">dv<"),
        "{printed}"
    );
}

/// A redirect is not followed. reqwest would carry Microsoft's `DeveloperToken` header, and a SOAP body holding
/// both tokens, to whatever address the answer names (it drops only `Authorization` when the host changes), and
/// would turn the POST of a 301, 302 or 303 into a GET. The call fails once, saying what arrived.
#[tokio::test]
async fn a_redirect_is_not_followed_and_the_error_says_where_it_pointed() {
    fn refused<F: std::fmt::Debug + serde::Serialize>(
        result: Result<impl std::fmt::Debug, Error<F>>,
        status: u16,
        to: &str,
    ) -> String {
        let error = result.expect_err("a redirect is an error");
        let text = error.to_string();
        assert!(
            matches!(error, Error::Decode { status: s, .. } if s == status),
            "{error:?}"
        );
        assert!(text.contains(&format!("redirect to {to}")), "{text}");
        text
    }
    for status in [301, 302, 303, 307, 308] {
        let elsewhere = common::server_expecting_nothing().await;
        let to = format!("{}/elsewhere", elsewhere.uri());
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status).insert_header("Location", to.as_str()))
            .mount(&server)
            .await;
        let mut said = vec![refused(
            batch_client(config_for(&server))
                .audience_update(&batch_request())
                .await,
            status,
            &to,
        )];
        for transport in [Transport::Soap, Transport::Rest] {
            let mut config = config_for(&server);
            config.transport = Some(transport);
            said.push(refused(
                microsoft_client(config)
                    .update_audiences(&microsoft::UpdateAudiencesRequest::default())
                    .await,
                status,
                &to,
            ));
        }
        said.push(refused(
            pinterest_client(config_for(&server))
                .audiences_update("1", "2", &pinterest::AudienceUpdateRequest::default())
                .await,
            status,
            &to,
        ));
        for text in &said {
            assert_clean("a redirect's error", text);
        }
        let sent = server.received_requests().await.expect("recording");
        assert_eq!(sent.len(), 4, "one attempt per call, none repeated");
    }

    // An address of any length is told only as far as a body's excerpt goes.
    let server = MockServer::start().await;
    let long = format!("https://elsewhere.invalid/{}", "x".repeat(100_000));
    Mock::given(any())
        .respond_with(ResponseTemplate::new(307).insert_header("Location", long.as_str()))
        .mount(&server)
        .await;
    let error = batch_client(config_for(&server))
        .audience_update(&batch_request())
        .await
        .expect_err("a redirect");
    let Error::Decode { reason, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(
        reason.starts_with(&format!("a redirect to {}", &long[..512])) && reason.len() < 1024,
        "{} characters: {}",
        reason.len(),
        &reason[..80]
    );
}
