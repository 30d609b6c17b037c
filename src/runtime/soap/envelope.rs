//! The SOAP 1.1 envelope around a request, and the response or fault inside a reply.

use quick_xml::escape::escape;

use super::SOAP_ENV;
use super::reader::{DecodeError, Element, parse};
use super::writer::Writer;

pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// `<s:Envelope>` with the header elements (in the given order, in the service namespace) and the body.
pub fn write_envelope(
    writer: &mut Writer,
    tns: &str,
    headers: &[(&str, &str)],
    body: impl FnOnce(&mut Writer),
) {
    let declarations = writer.declarations();
    writer.raw(&format!(
        "<s:Envelope xmlns:s=\"{SOAP_ENV}\"{declarations}><s:Header xmlns=\"{}\">",
        escape(tns)
    ));
    for (element, value) in headers {
        writer.raw(&format!("<{element}>"));
        writer.text(value);
        writer.raw(&format!("</{element}>"));
    }
    writer.raw(&format!("</s:Header><s:Body xmlns=\"{}\">", escape(tns)));
    body(writer);
    writer.raw("</s:Body></s:Envelope>");
}

/// What a reply holds: the body's first element, or a fault.
#[derive(Debug)]
pub enum Response {
    Body {
        tracking_id: Option<String>,
        element: Element,
    },
    Fault(FaultEnvelope),
}

/// A SOAP fault: code, string and the one element inside `detail`, if any.
#[derive(Debug)]
pub struct FaultEnvelope {
    pub code: String,
    pub message: String,
    pub detail: Option<Element>,
    pub tracking_id: Option<String>,
}

pub fn read_envelope(xml: &[u8], tracking_header: Option<&str>) -> Result<Response, DecodeError> {
    let root = parse(xml)?;
    if root.local_name() != "Envelope" || root.namespace() != Some(SOAP_ENV) {
        return Err(DecodeError::new(format!(
            "expected a SOAP 1.1 Envelope, found <{}>",
            root.local_name()
        )));
    }
    let tracking_id = tracking_header.and_then(|name| {
        root.child("Header")?
            .child(name)
            .filter(|t| !t.is_nil())
            .map(|t| t.text().trim().to_string())
    });
    let body = root
        .child("Body")
        .ok_or_else(|| DecodeError::new("the envelope has no Body"))?;
    let first = body
        .children()
        .next()
        .ok_or_else(|| DecodeError::new("the Body is empty"))?;
    if first.local_name() == "Fault" && first.namespace() == Some(SOAP_ENV) {
        let text = |name: &str| {
            first
                .child(name)
                .map(|c| c.text().trim().to_string())
                .unwrap_or_default()
        };
        let detail = first
            .child("detail")
            .and_then(|d| d.children().next())
            .cloned();
        let message = text("faultstring");
        let tracking_id =
            tracking_id.or_else(|| tracking_header.and_then(|name| tracking_in(&message, name)));
        return Ok(Response::Fault(FaultEnvelope {
            code: text("faultcode"),
            message,
            detail,
            tracking_id,
        }));
    }
    Ok(Response::Body {
        tracking_id,
        element: first.clone(),
    })
}

/// `... TrackingId: 1111-2222.` in a fault string, `TrackingId` being the service's name for it.
fn tracking_in(message: &str, name: &str) -> Option<String> {
    let (_, rest) = message.split_once(&format!("{name}:"))?;
    let id = rest
        .trim()
        .trim_end_matches('.')
        .split_whitespace()
        .next()?;
    Some(id.to_string())
}
