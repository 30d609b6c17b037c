//! Helpers shared by the end-to-end tests: loopback servers only.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use marketing_apis::ClientConfig;
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client configuration that sends to `server` on loopback, keeping each platform's documented path.
pub fn config_for(server: &MockServer) -> ClientConfig {
    config_at(server.uri())
}

/// A client configuration that sends to `endpoint` (a loopback address). Retries keep their default count but
/// wait milliseconds, not seconds.
pub fn config_at(endpoint: String) -> ClientConfig {
    let mut config = ClientConfig {
        endpoint: Some(endpoint),
        ..ClientConfig::default()
    };
    config.call.retry.initial_backoff = Duration::from_millis(1);
    config.call.retry.max_backoff = Duration::from_millis(5);
    config
}

/// A server that fails the test, when it is dropped, if any request reached it: for requests that must be
/// refused before sending.
pub async fn server_expecting_nothing() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    server
}

/// The single request `server` received.
pub async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut received = server
        .received_requests()
        .await
        .expect("request recording is on");
    assert_eq!(received.len(), 1, "expected exactly one request");
    received.remove(0)
}

pub fn header<'a>(request: &'a wiremock::Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("header {name} missing"))
}

/// A loopback server speaking raw bytes: each connection gets `answer`, and connections are counted.
pub async fn raw_server<F, Fut>(answer: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            let answer = answer.clone();
            tokio::spawn(async move { answer(stream).await });
        }
    });
    (address, count)
}
