//! Batch: any number of id actions for one audience, in calls of at most 10,000 ids.

use std::collections::HashMap;

use super::{BulkConfig, FailedCall, run_chunks};
use crate::batch::{AudienceIdAction, AudienceUpdateRequest, Client, Error as Fault};

/// The documented maximum of ids per `audiences/update` call.
pub const MAX_IDS_PER_CALL: usize = 10_000;

/// What a bulk audience update did with every action it was given.
#[derive(Debug, Default)]
pub struct AudienceUpdateOutcome {
    /// The indexing token of each successful call, in call order.
    pub indexing_tokens: Vec<String>,
    /// Ids sent in calls that succeeded.
    pub applied: usize,
    /// Actions not sent because a later action for the same id replaced them, as the API itself would.
    pub superseded: usize,
    /// Calls that failed: their ids were not applied.
    pub failed: Vec<FailedCall<Vec<String>, Fault>>,
}

impl AudienceUpdateOutcome {
    /// Every id whose last action was not applied.
    pub fn failed_ids(&self) -> impl Iterator<Item = &str> {
        self.failed
            .iter()
            .flat_map(|f| f.items.iter().map(String::as_str))
    }
}

impl Client {
    /// Applies any number of id actions to the audience `name`. Only the last action for each id is kept (the
    /// API's own rule), so no id's actions can be split across calls that might land out of order; the rest
    /// go in calls of at most [`MAX_IDS_PER_CALL`], `config.concurrency` at a time. Each call is checked and
    /// retried as a single call would be. Nothing is dropped silently: the outcome counts superseded actions
    /// and names the ids of every failed call.
    pub async fn audience_update_bulk(
        &self,
        name: &str,
        actions: Vec<AudienceIdAction>,
        config: &BulkConfig,
    ) -> AudienceUpdateOutcome {
        let total = actions.len();
        let keep = last_action_per_id(&actions);
        let kept = keep.iter().filter(|&&k| k).count();
        let chunk_size = config.chunk_size(MAX_IDS_PER_CALL);
        let mut remaining = actions
            .into_iter()
            .zip(keep)
            .filter_map(|(action, keep)| keep.then_some(action));
        let chunks = std::iter::from_fn(move || {
            let ids: Vec<AudienceIdAction> = remaining.by_ref().take(chunk_size).collect();
            (!ids.is_empty()).then(|| AudienceUpdateRequest {
                name: name.to_string(),
                ids,
            })
        });
        let results = run_chunks(chunks, config.concurrency, |request| async move {
            let result = self.audience_update(&request).await;
            (request, result)
        })
        .await;
        let mut outcome = AudienceUpdateOutcome {
            superseded: total - kept,
            ..AudienceUpdateOutcome::default()
        };
        for (request, result) in results {
            match result {
                Ok(response) => {
                    outcome.applied += request.ids.len();
                    outcome
                        .indexing_tokens
                        .extend(response.into_inner().indexing_token);
                }
                Err(error) => outcome.failed.push(FailedCall {
                    items: request.ids.into_iter().map(|a| a.id).collect(),
                    error,
                }),
            }
        }
        outcome
    }
}

/// For each action, whether it is the last one for its id.
fn last_action_per_id(actions: &[AudienceIdAction]) -> Vec<bool> {
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(actions.len());
    for (n, action) in actions.iter().enumerate() {
        last.insert(&action.id, n);
    }
    let mut keep = vec![false; actions.len()];
    for n in last.into_values() {
        keep[n] = true;
    }
    keep
}
