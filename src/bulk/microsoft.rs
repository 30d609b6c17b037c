//! Microsoft Advertising: any number of audiences, audience groups or conversion goals, in calls of 100.

use std::ops::Range;

use super::{BulkConfig, FailedCall, run_chunks};
use crate::microsoft::operations::{UpdateAudienceGroups, UpdateAudiences, UpdateConversionGoals};
use crate::microsoft::*;
use crate::runtime::Operation;

/// An update operation whose request is one list of items and whose response is partial errors by `Index`.
pub trait ListUpdate: Operation<Fault = ApplicationFault> {
    /// One item of the request's list.
    type Item: Send + Sync;
    /// The schema's maximum of items per call.
    const MAX_ITEMS: usize;
    /// The request carrying `items`.
    fn request(items: Vec<Self::Item>) -> Self::Request;
    /// The response's partial errors, each naming an item by its `Index` in the call.
    fn partial_errors(response: Self::Response) -> Vec<BatchError>;
}

macro_rules! list_update {
    ($op:ty, $item:ty, $request:ident . $field:ident / $max:ident, $response:ident) => {
        impl ListUpdate for $op {
            type Item = $item;
            const MAX_ITEMS: usize = $request::$max;
            fn request(items: Vec<$item>) -> $request {
                $request {
                    $field: Some(items),
                }
            }
            fn partial_errors(response: $response) -> Vec<BatchError> {
                response.partial_errors.unwrap_or_default()
            }
        }
    };
}

list_update!(
    UpdateAudiences,
    Audience,
    UpdateAudiencesRequest.audiences / AUDIENCES_MAX_ITEMS,
    UpdateAudiencesResponse
);
list_update!(
    UpdateAudienceGroups,
    AudienceGroup,
    UpdateAudienceGroupsRequest.audience_groups / AUDIENCE_GROUPS_MAX_ITEMS,
    UpdateAudienceGroupsResponse
);
list_update!(
    UpdateConversionGoals,
    ConversionGoal,
    UpdateConversionGoalsRequest.conversion_goals / CONVERSION_GOALS_MAX_ITEMS,
    UpdateConversionGoalsResponse
);

/// What a chunked update did with every item.
#[derive(Debug, Default)]
pub struct ListUpdateOutcome {
    /// Partial errors of every successful call, each `Index` rewritten to the item's position in the caller's
    /// list.
    pub partial_errors: Vec<BatchError>,
    /// The tracking id of each successful call, in call order.
    pub tracking_ids: Vec<String>,
    /// Calls that failed as a whole, with the positions of the items they carried: none of those was applied.
    pub failed: Vec<FailedCall<Range<usize>, ApplicationFault>>,
}

impl Client {
    /// Sends any number of items of one update operation (`UpdateAudiences`, `UpdateAudienceGroups`,
    /// `UpdateConversionGoals`) in calls of at most the schema's maximum (100), `config.concurrency` at a time.
    ///
    /// ```no_run
    /// use marketing_apis::bulk::BulkConfig;
    /// use marketing_apis::microsoft::{Audience, Client, Credentials, operations};
    ///
    /// # async fn example(audiences: Vec<Audience>) -> Result<(), Box<dyn std::error::Error>> {
    /// let client = Client::new(Credentials::from_env()?)?;
    /// let outcome = client
    ///     .update_in_chunks::<operations::UpdateAudiences>(audiences, &BulkConfig::default())
    ///     .await;
    /// // `Index` is the item's position in `audiences`, whichever call carried it.
    /// for error in &outcome.partial_errors {
    ///     println!("{error:?}");
    /// }
    /// for failed in &outcome.failed {
    ///     eprintln!("items {:?} not applied: {}", failed.items, failed.error);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update_in_chunks<O: ListUpdate>(
        &self,
        items: Vec<O::Item>,
        config: &BulkConfig,
    ) -> ListUpdateOutcome {
        let size = config.chunk_size(O::MAX_ITEMS);
        let total = items.len();
        let mut items = items.into_iter();
        let chunks = (0..total).step_by(size).map(move |start| {
            let chunk: Vec<O::Item> = items.by_ref().take(size).collect();
            (start..start + chunk.len(), O::request(chunk))
        });
        let results = run_chunks(chunks, config.concurrency, |(range, request)| async move {
            (range, self.core.call::<O>(&[], &request).await)
        })
        .await;
        let mut outcome = ListUpdateOutcome::default();
        for (range, result) in results {
            match result {
                Ok(response) => {
                    outcome
                        .tracking_ids
                        .extend(response.tracking_id().map(str::to_string));
                    let errors = O::partial_errors(response.into_inner());
                    outcome
                        .partial_errors
                        .extend(errors.into_iter().map(|e| shift_index(e, range.start)));
                }
                Err(error) => outcome.failed.push(FailedCall {
                    items: range,
                    error,
                }),
            }
        }
        outcome
    }
}

/// Moves a partial error's `Index` from its position in one call to its position in the caller's list.
fn shift_index(mut error: BatchError, offset: usize) -> BatchError {
    let index = match &mut error {
        BatchError::EditorialError(e) => &mut e.index,
        BatchError::Base(e) | BatchError::Unknown { fields: e, .. } => &mut e.index,
    };
    if let Some(i) = index {
        *i = i32::try_from(offset).map_or(i32::MAX, |o| o.saturating_add(*i));
    }
    error
}
