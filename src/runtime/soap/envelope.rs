//! The SOAP 1.1 envelope around a request, and the response or fault inside a reply.

use quick_xml::escape::escape;

use super::SOAP_ENV;
use super::reader::{DecodeError, Reader, Start};
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

/// What a reply holds: the decoded body, or a fault.
#[derive(Debug)]
pub enum Reply<B, F> {
    Body {
        tracking_id: Option<String>,
        value: B,
    },
    Fault(FaultEnvelope<F>),
}

/// A SOAP fault: code, string and the decoded element inside `detail`, if there is one the fault type reads.
#[derive(Debug)]
pub struct FaultEnvelope<F> {
    pub code: String,
    pub message: String,
    pub detail: Option<Result<F, DecodeError>>,
    pub tracking_id: Option<String>,
}

/// Reads an envelope in one pass: `body` decodes the Body's first element unless it is a fault, and `detail`
/// decodes the element inside a fault's `detail` (`None` when the fault type has no SOAP form).
pub fn read_envelope<'a, B, F>(
    xml: &'a [u8],
    tracking_header: Option<&str>,
    body: impl FnOnce(&mut Reader<'a>, &Start<'a>) -> Result<B, DecodeError>,
    detail: impl FnOnce(&mut Reader<'a>, &Start<'a>) -> Option<Result<F, DecodeError>>,
) -> Result<Reply<B, F>, DecodeError> {
    let mut reader = Reader::new(xml)?;
    let root = reader.root()?;
    if root.local_name() != "Envelope" || !reader.is_in(&root, SOAP_ENV) {
        return Err(DecodeError::new(format!(
            "expected a SOAP 1.1 Envelope, found <{}>",
            root.local_name()
        )));
    }
    let mut tracking_id = None;
    while let Some(part) = reader.next_child(&root)? {
        match (part.local_name(), tracking_header) {
            ("Header", Some(name)) => {
                while let Some(header) = reader.next_child(&part)? {
                    if header.local_name() == name && !header.is_nil() {
                        tracking_id = Some(reader.text(&header)?.trim().to_string());
                    }
                }
            }
            ("Body", _) => {
                let first = reader
                    .next_child(&part)?
                    .ok_or_else(|| DecodeError::new("the Body is empty"))?;
                let reply = if first.local_name() == "Fault" && reader.is_in(&first, SOAP_ENV) {
                    let mut fault = read_fault(&mut reader, &first, detail)?;
                    fault.tracking_id = tracking_id.or_else(|| {
                        tracking_header.and_then(|name| tracking_in(&fault.message, name))
                    });
                    Reply::Fault(fault)
                } else {
                    Reply::Body {
                        value: body(&mut reader, &first)?,
                        tracking_id,
                    }
                };
                // A detail that failed to decode left the reader part-way, and what follows cannot add to its
                // error. Otherwise the rest must still be well-formed: a reply cut short is not a reply.
                if !matches!(
                    &reply,
                    Reply::Fault(FaultEnvelope {
                        detail: Some(Err(_)),
                        ..
                    })
                ) {
                    reader.skip(&part)?;
                    reader.skip(&root)?;
                    reader.finish()?;
                }
                return Ok(reply);
            }
            _ => reader.skip(&part)?,
        }
    }
    Err(DecodeError::new("the envelope has no Body"))
}

fn read_fault<'a, F>(
    reader: &mut Reader<'a>,
    fault: &Start<'a>,
    detail: impl FnOnce(&mut Reader<'a>, &Start<'a>) -> Option<Result<F, DecodeError>>,
) -> Result<FaultEnvelope<F>, DecodeError> {
    let mut read = FaultEnvelope {
        code: String::new(),
        message: String::new(),
        detail: None,
        tracking_id: None,
    };
    let mut detail = Some(detail);
    while let Some(child) = reader.next_child(fault)? {
        match child.local_name() {
            "faultcode" => read.code = reader.text(&child)?.trim().to_string(),
            "faultstring" => read.message = reader.text(&child)?.trim().to_string(),
            "detail" => {
                let inner = reader.next_child(&child)?;
                if let (Some(inner), Some(decode)) = (inner, detail.take()) {
                    read.detail = decode(reader, &inner)
                        .map(|decoded| decoded.map_err(|e| e.inside(inner.local_name())));
                    if matches!(read.detail, Some(Err(_))) {
                        return Ok(read);
                    }
                }
                reader.skip(&child)?;
            }
            _ => reader.skip(&child)?,
        }
    }
    Ok(read)
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
