//! The hand-written runtime generated code stands on: transport, auth headers, the SOAP envelope, JSON
//! conventions, validation and error mapping. Nothing in it is specific to one operation.

pub mod cli;
mod config;
mod core;
mod decimal;
mod decode;
mod error;
mod headers;
pub mod json;
mod request;
mod response;
mod retry;
mod secret;
pub mod soap;
mod spec;
mod text;
mod urls;
mod validate;
mod wire_enum;

pub use config::{CallConfig, ClientConfig, RetryConfig, Transport};
pub use core::{Core, Fault, Operation};
pub use decimal::{Decimal, DecimalError};
pub use decode::decode_response;
pub use error::{BuildError, Error};
pub use request::{PreparedHeader, PreparedRequest};
pub use response::Response;
pub use secret::{Secret, env_var};
pub use spec::*;
pub use validate::{
    Checked, Invalid, Limits, Validate, check_items, check_limits, only_when, unknown_tag,
    validate_enum, validate_field,
};
pub use wire_enum::{Flags, WireEnum};
