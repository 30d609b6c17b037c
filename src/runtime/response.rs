//! A decoded response together with what the platform and the client said about the call.

use std::ops::Deref;

/// The decoded body of a successful call, with its HTTP status, the platform's tracking id and the number of
/// attempts it took. Dereferences to the body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    pub output: T,
    pub status: u16,
    /// The platform's id for this call (Microsoft's `TrackingId`), which its support asks for.
    pub tracking_id: Option<String>,
    /// 1 when the first attempt succeeded.
    pub attempts: u32,
}

impl<T> Response<T> {
    pub fn into_inner(self) -> T {
        self.output
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.output
    }
}
