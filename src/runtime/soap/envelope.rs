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
pub enum Response<'a> {
    Body {
        tracking_id: Option<String>,
        element: Element<'a>,
    },
    Fault(FaultEnvelope<'a>),
}

/// A SOAP fault: code, string and the one element inside `detail`, if any.
#[derive(Debug)]
pub struct FaultEnvelope<'a> {
    pub code: String,
    pub message: String,
    pub detail: Option<Element<'a>>,
    pub tracking_id: Option<String>,
}

pub fn read_envelope<'a>(
    xml: &'a [u8],
    tracking_header: Option<&str>,
) -> Result<Response<'a>, DecodeError> {
    let mut root = parse(xml)?;
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
    let first = root
        .take_child("Body")
        .ok_or_else(|| DecodeError::new("the envelope has no Body"))?
        .into_children()
        .next()
        .ok_or_else(|| DecodeError::new("the Body is empty"))?;
    if first.local_name() == "Fault" && first.namespace() == Some(SOAP_ENV) {
        let text = |name: &str| {
            first
                .child(name)
                .map(|c| c.text().trim().to_string())
                .unwrap_or_default()
        };
        let (code, message) = (text("faultcode"), text("faultstring"));
        let mut first = first;
        let detail = first
            .take_child("detail")
            .and_then(|d| d.into_children().next());
        let tracking_id =
            tracking_id.or_else(|| tracking_header.and_then(|name| tracking_in(&message, name)));
        return Ok(Response::Fault(FaultEnvelope {
            code,
            message,
            detail,
            tracking_id,
        }));
    }
    Ok(Response::Body {
        tracking_id,
        element: first,
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
