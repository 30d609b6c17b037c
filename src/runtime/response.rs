//! A decoded response together with what the platform and the client said about the call.

use std::ops::Deref;

/// The decoded body of a successful call, with its HTTP status, the platform's tracking id and the number of
/// attempts it took. Dereferences to the body, so `response.field` reads the body's field even where the
/// name is also one of the accessors here (`response.status` is the body's; `response.status()` the HTTP one).
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    output: T,
    status: u16,
    tracking_id: Option<String>,
    attempts: u32,
}

impl<T> Response<T> {
    pub(crate) fn new(output: T, status: u16, tracking_id: Option<String>) -> Self {
        Response {
            output,
            status,
            tracking_id,
            attempts: 1,
        }
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        self.attempts = attempts;
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.output
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The platform's id for this call (Microsoft's `TrackingId`), which its support asks for.
    pub fn tracking_id(&self) -> Option<&str> {
        self.tracking_id.as_deref()
    }

    /// How many attempts the call took: 1 when the first succeeded.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.output
    }
}
