//! Helpers shared by the end-to-end tests: loopback servers only.

#![allow(dead_code)]

use marketing_apis::ClientConfig;
use wiremock::MockServer;

/// A client configuration that sends to `server` on loopback, keeping each platform's documented path.
pub fn config_for(server: &MockServer) -> ClientConfig {
    ClientConfig {
        endpoint: Some(server.uri()),
        ..ClientConfig::default()
    }
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
