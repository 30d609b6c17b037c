//! Typed async Rust clients for the audience and conversion APIs of Batch, Microsoft Advertising
//! (Campaign Management v13, SOAP and REST) and Pinterest (API v5), generated at build time from the schemas
//! under `schemas/`.
//!
//! Each platform is a module behind a cargo feature of the same name: [`batch`], [`microsoft`], [`pinterest`].
//! A platform module holds its types, a `Credentials` struct, a `Client` with one async method per operation,
//! and marker types in `operations`. Every call checks the documented limits before anything is sent and
//! returns [`Error`], which keeps the platform's own error body, HTTP status and tracking id.
//!
//! ```no_run
//! # #[cfg(feature = "batch")] mod example {
//! use marketing_apis::batch::{AudienceAction, AudienceIdAction, AudienceUpdateRequest, Client, Credentials};
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(Credentials::from_env()?)?;
//! let request = AudienceUpdateRequest {
//!     name: "AUDIENCE_NAME".into(),
//!     ids: vec![AudienceIdAction {
//!         action: AudienceAction::Add,
//!         id: "CUSTOM-ID-1".into(),
//!         attributes: None,
//!     }],
//! };
//! let accepted = client.audience_update(&request).await?;
//! println!("indexing token: {:?}", accepted.indexing_token);
//! # Ok(())
//! # }
//! # }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// On docs.rs (nightly), each item gated by a feature says which.
#![cfg_attr(docsrs, feature(doc_cfg))]
// The crate docs link every platform module; a build with some platforms left out has no page for the others.
#![cfg_attr(
    not(all(feature = "batch", feature = "microsoft", feature = "pinterest")),
    allow(rustdoc::broken_intra_doc_links)
)]

// The runtime serves the generated code of whichever platforms are enabled; with some left out, parts of it
// (the SOAP codec without `microsoft`, say) have no caller.
#[cfg_attr(
    not(all(
        feature = "batch",
        feature = "microsoft",
        feature = "pinterest",
        feature = "cli"
    )),
    allow(dead_code, unused_imports)
)]
mod runtime;

#[cfg(test)]
mod test_platforms;

#[cfg(any(feature = "batch", feature = "microsoft"))]
pub mod bulk;

#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;

#[doc(hidden)]
pub mod fuzzing;

// The README's Rust example is compiled with the doctests, so it cannot drift from the API.
#[cfg(all(doctest, feature = "pinterest"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use runtime::{
    BuildError, CallConfig, ClientConfig, Decimal, DecimalError, Error, Flags, Invalid, Operation,
    PreparedHeader, PreparedRequest, Response, RetryConfig, Secret, Transport, WireEnum,
    decode_response,
};
/// The URL type of [`PreparedRequest::url`], reqwest's own.
pub use url::Url;

// One module per platform, each behind its feature, and the table of every enabled operation.
include!(concat!(env!("OUT_DIR"), "/api.rs"));
