//! What the command-line tool needs per operation: generated tables point here, one generic `run` per
//! operation type.

use std::future::Future;
use std::pin::Pin;

use super::config::ClientConfig;
use super::core::{Core, Operation};
use super::decode::decode_response;
use super::json::Encode;
use super::request::PreparedRequest;
use super::spec::OperationSpec;

/// What running one operation from the command line gives.
pub type Running = Pin<Box<dyn Future<Output = Result<Output, Failure>> + Send>>;

/// One row of the operation table.
pub struct Entry {
    pub spec: &'static OperationSpec,
    pub run: fn(Call) -> Running,
    /// Decodes a response of this operation (`soap`, status, body), giving the error's text when it fails: what
    /// the fuzz targets drive.
    pub decode: fn(bool, u16, &[u8]) -> Result<(), String>,
    /// Reads a request of this operation from JSON and writes it back both ways: what the request fuzz target
    /// and the encoder test compare.
    pub encode: fn(&[u8]) -> Result<Written, String>,
}

/// One request written by its `Serialize` impl through serde_json and by the generated encoder.
pub struct Written {
    pub serde: Result<Vec<u8>, String>,
    pub encoded: Vec<u8>,
}

impl Entry {
    pub const fn of<O: Operation + 'static>() -> Entry {
        Entry {
            spec: O::SPEC,
            run: run::<O>,
            decode: decode::<O>,
            encode: encode::<O>,
        }
    }
}

fn decode<O: Operation>(soap: bool, status: u16, body: &[u8]) -> Result<(), String> {
    decode_response::<O>(soap, status, None, body)
        .map(drop)
        .map_err(|e| e.to_string())
}

fn encode<O: Operation>(json: &[u8]) -> Result<Written, String> {
    let request: O::Request = serde_json::from_slice(json).map_err(|e| e.to_string())?;
    let mut encoded = Vec::new();
    request.encode(&mut encoded);
    Ok(Written {
        serde: serde_json::to_vec(&request).map_err(|e| e.to_string()),
        encoded,
    })
}

/// What the command line asked for.
pub struct Call {
    pub body: Vec<u8>,
    pub path_params: Vec<String>,
    pub config: ClientConfig,
    pub send: bool,
}

pub enum Output {
    DryRun(PreparedRequest),
    Response {
        body: serde_json::Value,
        tracking_id: Option<String>,
        attempts: u32,
    },
}

/// Bad input (exit 2: nothing sent) or a failed call (exit 1).
pub enum Failure {
    BadInput(String),
    Failed(String),
}

fn run<O: Operation + 'static>(call: Call) -> Running {
    Box::pin(async move {
        let request: O::Request = parse_strict(&call.body).map_err(Failure::BadInput)?;
        let core = Core::from_env(O::SPEC.service, call.config, !call.send)
            .map_err(|e| Failure::BadInput(e.to_string()))?;
        let params: Vec<&str> = call.path_params.iter().map(String::as_str).collect();
        // Preparing never sends, so whatever it refuses is bad input.
        let prepared = core
            .prepare::<O>(&params, &request)
            .map_err(|e| Failure::BadInput(e.to_string()))?;
        if !call.send {
            return Ok(Output::DryRun(prepared));
        }
        let response = core
            .send::<O>(prepared)
            .await
            .map_err(|e| Failure::Failed(e.to_string()))?;
        let (tracking_id, attempts) = (
            response.tracking_id().map(str::to_string),
            response.attempts(),
        );
        let body = serde_json::to_value(response.into_inner())
            .map_err(|e| Failure::Failed(e.to_string()))?;
        Ok(Output::Response {
            body,
            tracking_id,
            attempts,
        })
    })
}

/// JSON input into `T`, naming the field of any problem; fields `T` does not have are refused, not dropped.
pub fn parse_strict<T: serde::de::DeserializeOwned + serde::Serialize>(
    bytes: &[u8],
) -> Result<T, String> {
    let input: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))?;
    let value: T = serde_path_to_error::deserialize(input.clone()).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." {
            "the top level".to_string()
        } else {
            format!("`{path}`")
        };
        format!("at {at}: {}", e.into_inner())
    })?;
    let round_trip = serde_json::to_value(&value).map_err(|e| e.to_string())?;
    if let Some(path) = first_unknown(&input, &round_trip, String::new()) {
        return Err(format!("at `{path}`: unknown field"));
    }
    Ok(value)
}

/// The first key present in the input but lost when the value is written back; nulls count as absent.
fn first_unknown(
    input: &serde_json::Value,
    kept: &serde_json::Value,
    at: String,
) -> Option<String> {
    use serde_json::Value;
    match (input, kept) {
        (Value::Object(i), Value::Object(k)) => i.iter().find_map(|(key, v)| {
            let here = if at.is_empty() {
                key.clone()
            } else {
                format!("{at}.{key}")
            };
            match k.get(key).or_else(|| case_insensitive(k, key)) {
                Some(kv) => first_unknown(v, kv, here),
                None if v.is_null() => None,
                None => Some(here),
            }
        }),
        (Value::Array(i), Value::Array(k)) => i
            .iter()
            .zip(k)
            .enumerate()
            .find_map(|(n, (v, kv))| first_unknown(v, kv, format!("{at}[{n}]"))),
        _ => None,
    }
}

/// Aliases that differ only in case (`key`/`Key`) are kept under the canonical name.
fn case_insensitive<'a>(
    map: &'a serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Option<&'a serde_json::Value> {
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}
