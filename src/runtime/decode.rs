//! From status and body bytes to the typed response or the typed error: never a panic, whatever arrives.

use super::core::{Fault, Operation};
use super::error::Error;
use super::response::Response;
use super::soap;

/// Decodes one HTTP response of operation `O` (a marker type from a platform's `operations` module), for a
/// request built with `prepare_*` and sent by other means. `soap` says which wire the request used; `tracking_id`
/// is the value of the platform's tracking header, if the response had one.
pub fn decode_response<O: Operation>(
    soap: bool,
    status: u16,
    tracking_id: Option<String>,
    body: &[u8],
) -> Result<Response<O::Response>, Error<O::Fault>> {
    let (output, tracking_id) = if soap {
        decode_soap::<O>(status, tracking_id, body)?
    } else {
        decode_json::<O>(status, tracking_id, body)?
    };
    Ok(Response::new(output, status, tracking_id))
}

type Decoded<O> =
    Result<(<O as Operation>::Response, Option<String>), Error<<O as Operation>::Fault>>;

fn decode_json<O: Operation>(status: u16, tracking_id: Option<String>, body: &[u8]) -> Decoded<O> {
    let undecodable = |reason: String| Error::undecodable(status, reason, body);
    if (200..300).contains(&status) {
        return serde_json::from_slice(body)
            .map(|output| (output, tracking_id))
            .map_err(|e| undecodable(format!("success body is not the documented JSON: {e}")));
    }
    match serde_json::from_slice::<O::Fault>(body) {
        Ok(fault) => Err(Error::Api {
            status,
            tracking_id: tracking_id.or_else(|| tracking_in_json::<O>(body)),
            fault,
        }),
        Err(e) => Err(undecodable(format!(
            "error body is not the documented JSON: {e}"
        ))),
    }
}

/// Microsoft puts the tracking id in the fault body too, under the same name as the header.
fn tracking_in_json<O: Operation>(body: &[u8]) -> Option<String> {
    let name = O::SPEC.service.tracking_id?;
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.get(name)?.as_str().map(str::to_string)
}

fn decode_soap<O: Operation>(status: u16, tracking_id: Option<String>, body: &[u8]) -> Decoded<O> {
    let undecodable = |reason: String| Error::undecodable(status, reason, body);
    let expected = O::SPEC
        .soap
        .as_ref()
        .map(|s| s.response_element)
        .unwrap_or_default();
    let success = (200..300).contains(&status);
    let reply = soap::read_envelope(
        body,
        O::SPEC.service.tracking_id,
        |reader, element| match element.local_name() {
            name if !success => Err(soap::DecodeError::new(format!(
                "HTTP {status} with a <{name}> body and no fault"
            ))),
            name if name != expected => Err(soap::DecodeError::new(format!(
                "expected <{expected}>, found <{name}>"
            ))),
            name => O::decode_soap(reader, element).map_err(|e| e.inside(name)),
        },
        O::Fault::from_soap_detail,
    )
    .map_err(|e| undecodable(e.to_string()))?;
    match reply {
        soap::Reply::Body {
            value,
            tracking_id: in_header,
        } => Ok((value, in_header.or(tracking_id))),
        soap::Reply::Fault(fault) => {
            let tracking_id = fault.tracking_id.or(tracking_id);
            match fault.detail {
                Some(Ok(detail)) => Err(Error::Api {
                    status,
                    tracking_id,
                    fault: detail,
                }),
                Some(Err(e)) => Err(undecodable(format!(
                    "SOAP fault {}: {}; detail: {}",
                    fault.code, fault.message, e
                ))),
                None => Err(undecodable(format!(
                    "SOAP fault {}: {} (no typed detail)",
                    fault.code, fault.message
                ))),
            }
        }
    }
}
