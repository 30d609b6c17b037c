//! HTTPS end to end: a TLS server on loopback whose certificate for `localhost` comes from a test authority.
//! Trusted through `ClientConfig::root_certificates`, a call goes through over TLS; without it the client
//! refuses the server, says why, and does not try again.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use marketing_apis::batch::{
    AudienceAction, AudienceIdAction, AudienceUpdateRequest, Client, Credentials,
};
use marketing_apis::{BuildError, ClientConfig, Error, Secret};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::PrivateKeyDer;

/// What the server saw: each request's head and body, and how many connections it accepted.
struct Seen {
    requests: mpsc::UnboundedReceiver<(String, Vec<u8>)>,
    connections: Arc<AtomicUsize>,
}

/// A one-connection-at-a-time HTTPS server answering every request with Batch's 202. Returns its origin, the
/// authority's certificate as PEM, and what it sees.
async fn https_server() -> (String, String, Seen) {
    let mut authority = CertificateParams::new(Vec::<String>::new()).expect("params");
    authority.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let authority =
        CertifiedIssuer::self_signed(authority, KeyPair::generate().expect("key")).expect("CA");
    let key = KeyPair::generate().expect("key");
    let leaf = CertificateParams::new(vec!["localhost".to_string()])
        .expect("params")
        .signed_by(&key, &authority)
        .expect("certificate");
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            PrivateKeyDer::try_from(key.serialize_der()).expect("private key"),
        )
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let origin = format!(
        "https://localhost:{}",
        listener.local_addr().expect("address").port()
    );
    let (seen, requests) = mpsc::unbounded_channel();
    let connections = Arc::new(AtomicUsize::new(0));
    let accepted = connections.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            accepted.fetch_add(1, Ordering::SeqCst);
            // A client that refuses the certificate ends the handshake; the next connection is served anew.
            let Ok(mut tls) = acceptor.accept(tcp).await else {
                continue;
            };
            let mut data = Vec::new();
            let mut buf = [0u8; 4096];
            let (head, body) = loop {
                match tls.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => data.extend_from_slice(&buf[..n]),
                }
                let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
                    continue;
                };
                let head = String::from_utf8_lossy(&data[..end]).into_owned();
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().to_string())
                    })
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                if data.len() >= end + 4 + length {
                    break (head, data[end + 4..end + 4 + length].to_vec());
                }
            };
            let _ = seen.send((head, body));
            let answer = r#"{"indexing_token":"tls-token"}"#;
            let response = format!(
                "HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
            let _ = tls.write_all(response.as_bytes()).await;
            let _ = tls.shutdown().await;
        }
    });
    (
        origin,
        authority.pem(),
        Seen {
            requests,
            connections,
        },
    )
}

/// A client trusting `root_certificates` besides the system's, with the default retries: three attempts.
fn build(endpoint: Option<&str>, root_certificates: Vec<String>) -> Result<Client, BuildError> {
    Client::with_config(
        Credentials {
            project_key: "project".into(),
            rest_key: Secret::new("rest-key"),
        },
        ClientConfig {
            endpoint: endpoint.map(str::to_string),
            root_certificates,
            ..ClientConfig::default()
        },
    )
}

fn client(origin: &str, root_certificates: Vec<String>) -> Client {
    build(Some(origin), root_certificates).expect("client")
}

fn request() -> AudienceUpdateRequest {
    AudienceUpdateRequest {
        name: "AUDIENCE_NAME".into(),
        ids: vec![AudienceIdAction {
            action: AudienceAction::Add,
            id: "CUSTOM-ID-1".into(),
            attributes: None,
        }],
    }
}

#[tokio::test]
async fn a_call_over_tls_to_a_server_the_configured_authority_vouches_for_goes_through() {
    let (origin, authority, mut seen) = https_server().await;
    let accepted = client(&origin, vec![authority])
        .audience_update(&request())
        .await
        .expect("accepted over TLS");
    assert_eq!(accepted.indexing_token.as_deref(), Some("tls-token"));
    let (head, body) = seen
        .requests
        .recv()
        .await
        .expect("the server got the request");
    assert!(
        head.starts_with("POST /2.11/audiences/update HTTP/1.1\r\n"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("authorization: bearer rest-key"),
        "{head}"
    );
    assert_eq!(
        String::from_utf8(body).expect("UTF-8"),
        r#"{"name":"AUDIENCE_NAME","ids":[{"action":"add","id":"CUSTOM-ID-1"}]}"#
    );
}

#[tokio::test]
async fn a_server_no_trusted_authority_vouches_for_is_refused_with_the_reason_and_not_tried_again()
{
    let (origin, _, mut seen) = https_server().await;
    let error = client(&origin, Vec::new())
        .audience_update(&request())
        .await
        .expect_err("an unknown authority");
    let Error::Transport(message) = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(
        message.to_ascii_lowercase().contains("certificate"),
        "the message names the certificate problem: {message}"
    );
    assert!(
        seen.requests.try_recv().is_err(),
        "no request reached the server"
    );
    // A refused certificate would be refused again: the default three attempts stop at one.
    assert_eq!(seen.connections.load(Ordering::SeqCst), 1);
}

#[test]
fn a_root_certificate_that_is_not_pem_fails_the_build_of_the_client() {
    let error = build(None, vec!["not a certificate".into()])
        .expect_err("refused")
        .to_string();
    assert!(error.contains("root certificate"), "{error}");
}
