//! SOAP 1.1: the envelope, an order-exact writer and a tolerant, bounded reader built on quick-xml.

mod envelope;
mod reader;
mod writer;

pub use envelope::{Reply, read_envelope, write_envelope};
pub use reader::{Decode, DecodeError, Reader, Start, decode_list, field};
pub use writer::{Encode, Writer};

/// The SOAP 1.1 envelope namespace.
pub const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";

#[cfg(test)]
mod tests;
