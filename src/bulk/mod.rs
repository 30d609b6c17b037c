//! Calls that take any number of items: split into calls the platform accepts, sent with bounded
//! concurrency, and every item accounted for in the outcome. Hand-written over the generated clients because
//! each platform's rule for joining the answers back together is its own.

#[cfg(feature = "batch")]
pub mod batch;
#[cfg(feature = "microsoft")]
pub mod microsoft;

use std::future::Future;

use futures_util::StreamExt;

use crate::Error;

/// How a bulk call is split and sent.
#[derive(Debug, Clone)]
pub struct BulkConfig {
    /// Items per call; `None` or more than the platform's documented limit means the limit.
    pub chunk_size: Option<usize>,
    /// Calls in flight at once (at least 1).
    pub concurrency: usize,
}

impl Default for BulkConfig {
    fn default() -> Self {
        BulkConfig {
            chunk_size: None,
            concurrency: 4,
        }
    }
}

impl BulkConfig {
    fn chunk_size(&self, limit: usize) -> usize {
        self.chunk_size.unwrap_or(limit).clamp(1, limit)
    }
}

/// One call of a bulk operation that failed, with what it carried: those items were not applied.
#[derive(Debug)]
pub struct FailedCall<I, F> {
    /// The items of the failed call (Batch: the ids; Microsoft: positions in the caller's list).
    pub items: I,
    /// Why the call failed, after its retries.
    pub error: Error<F>,
}

/// Runs `call` on each chunk, at most `concurrency` at a time, and gives the results in chunk order.
async fn run_chunks<C, R, Fut>(
    chunks: impl Iterator<Item = C>,
    concurrency: usize,
    call: impl Fn(C) -> Fut,
) -> Vec<R>
where
    Fut: Future<Output = R>,
{
    let mut results: Vec<(usize, R)> = futures_util::stream::iter(chunks.enumerate())
        .map(|(n, chunk)| {
            let fut = call(chunk);
            async move { (n, fut.await) }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    results.sort_by_key(|(n, _)| *n);
    results.into_iter().map(|(_, r)| r).collect()
}
