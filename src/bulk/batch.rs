//! Batch: any number of id actions for one audience, in calls of at most 10,000 ids.
//!
//! Each action is checked and written as JSON once, as it arrives, into one buffer; the input itself is never
//! held. Calls are then cut from that buffer, so the memory a million ids take is about the JSON they are sent
//! as. The bytes of each call are exactly those `Client::audience_update` would send for the same ids.

use super::{BulkConfig, FailedCall, run_chunks};
use crate::batch::operations::AudienceUpdate;
use crate::batch::{AudienceIdAction, AudienceUpdateRequest, Client, Error as Fault};
use crate::runtime::json::Encode;
use crate::runtime::{Error, Invalid, Validate};

/// What a bulk audience update did with every action it was given.
#[derive(Debug, Default)]
pub struct AudienceUpdateOutcome {
    /// The indexing token of each successful call, in call order.
    pub indexing_tokens: Vec<String>,
    /// Ids sent in calls that succeeded.
    pub applied: usize,
    /// Actions not sent because a later action for the same id replaced them, as the API itself would.
    pub superseded: usize,
    /// Actions that break a documented limit, with their position in the input: never sent.
    pub rejected: Vec<(usize, Invalid)>,
    /// Calls that failed: their ids were not applied.
    pub failed: Vec<FailedCall<Vec<String>, Fault>>,
}

impl AudienceUpdateOutcome {
    /// Every id whose last action was not applied because its call failed.
    pub fn failed_ids(&self) -> impl Iterator<Item = &str> {
        self.failed
            .iter()
            .flat_map(|f| f.items.iter().map(String::as_str))
    }
}

/// The accepted actions as JSON, one after another, and where each one and its id start.
#[derive(Default)]
struct Encoded {
    /// Each action as JSON, exactly as it goes in a request's `ids` array.
    json: Vec<u8>,
    /// Each action's id as a JSON string; equal ids have equal encodings.
    ids: Vec<u8>,
    /// Start of action `n` in `json` and of its id in `ids`; one more entry marks the ends.
    starts: Vec<(usize, usize)>,
}

impl Encoded {
    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    fn action(&self, n: usize) -> &[u8] {
        &self.json[self.starts[n].0..self.starts[n + 1].0]
    }

    fn id(&self, n: usize) -> &[u8] {
        &self.ids[self.starts[n].1..self.starts[n + 1].1]
    }

    /// The id back as text, for naming the ids of a failed call.
    fn id_text(&self, n: usize) -> String {
        serde_json::from_slice(self.id(n))
            .unwrap_or_else(|_| String::from_utf8_lossy(self.id(n)).into())
    }

    /// For each action, whether it is the last one for its id: actions sorted by id, the last of each run kept.
    fn last_per_id(&self) -> Vec<bool> {
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_unstable_by(|&a, &b| self.id(a).cmp(self.id(b)).then(a.cmp(&b)));
        let mut keep = vec![false; self.len()];
        for (i, &n) in order.iter().enumerate() {
            let next = order.get(i + 1).copied();
            keep[n] = next.is_none_or(|m| self.id(m) != self.id(n));
        }
        keep
    }
}

impl Client {
    /// Applies any number of id actions to the audience `name`. Each action is checked against the documented
    /// limits (those that break one are reported in `rejected`, never sent). Only the last action for each id
    /// is kept (the API's own rule), so no id's actions can be split across calls that might land out of
    /// order; the rest go in calls of at most [`AudienceUpdateRequest::IDS_MAX_ITEMS`], `config.concurrency`
    /// at a time, each retried as a single call would be. Nothing is dropped silently: the outcome counts
    /// superseded actions and names the ids of every failed call.
    ///
    /// ```no_run
    /// use marketing_apis::batch::{AudienceAction, AudienceIdAction, Client, Credentials};
    /// use marketing_apis::bulk::BulkConfig;
    ///
    /// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = Client::new(Credentials::from_env()?)?;
    /// // One id per line on standard input; none is held in memory once written as JSON.
    /// let actions = std::io::stdin().lines().map_while(Result::ok).map(|id| AudienceIdAction {
    ///     action: AudienceAction::Add,
    ///     id,
    ///     attributes: None,
    /// });
    /// let outcome = client
    ///     .audience_update_bulk("AUDIENCE_NAME", actions, &BulkConfig::default())
    ///     .await;
    /// println!("{} ids applied, {} actions superseded", outcome.applied, outcome.superseded);
    /// for (position, invalid) in &outcome.rejected {
    ///     eprintln!("line {}: {invalid}", position + 1);
    /// }
    /// for id in outcome.failed_ids() {
    ///     eprintln!("not applied: {id}");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn audience_update_bulk(
        &self,
        name: &str,
        actions: impl IntoIterator<Item = AudienceIdAction>,
        config: &BulkConfig,
    ) -> AudienceUpdateOutcome {
        let mut outcome = AudienceUpdateOutcome::default();
        let mut encoded = Encoded::default();
        for (position, action) in actions.into_iter().enumerate() {
            if let Err(invalid) = action.validate() {
                let invalid = invalid.in_item(position).in_field("ids");
                outcome.rejected.push((position, *invalid));
                continue;
            }
            encoded.starts.push((encoded.json.len(), encoded.ids.len()));
            action.encode(&mut encoded.json);
            action.id.encode(&mut encoded.ids);
        }
        encoded.starts.push((encoded.json.len(), encoded.ids.len()));
        let keep = encoded.last_per_id();
        let kept: Vec<usize> = (0..encoded.len()).filter(|&n| keep[n]).collect();
        outcome.superseded = encoded.len() - kept.len();
        drop(keep);

        // Headers, URL and the body around the ids come from the typed request with no ids.
        let empty = AudienceUpdateRequest {
            name: name.to_string(),
            ids: Vec::new(),
        };
        let template = match self.core.prepare::<AudienceUpdate>(&[], &empty) {
            Ok(template) => template,
            Err(error) => {
                // Nothing can be sent (an invalid name, no sandbox): every id is named as not applied.
                outcome.failed.push(FailedCall {
                    items: kept.iter().map(|&n| encoded.id_text(n)).collect(),
                    error,
                });
                return outcome;
            }
        };
        let chunk_size = config.chunk_size(AudienceUpdateRequest::IDS_MAX_ITEMS);
        let results = run_chunks(kept.chunks(chunk_size), config.concurrency, |chunk| {
            let (template, encoded) = (&template, &encoded);
            async move {
                let result =
                    match with_ids(&template.body, chunk.iter().map(|&n| encoded.action(n))) {
                        Some(body) => {
                            let mut request = template.clone();
                            request.body = body;
                            self.core.send::<AudienceUpdate>(request).await
                        }
                        None => Err(Error::Unavailable(
                            "the request body no longer ends in an `ids` array".into(),
                        )),
                    };
                (chunk, result)
            }
        })
        .await;
        for (chunk, result) in results {
            match result {
                Ok(response) => {
                    outcome.applied += chunk.len();
                    outcome
                        .indexing_tokens
                        .extend(response.into_inner().indexing_token);
                }
                Err(error) => outcome.failed.push(FailedCall {
                    items: chunk.iter().map(|&n| encoded.id_text(n)).collect(),
                    error,
                }),
            }
        }
        outcome
    }
}

/// The body of the request with no ids (`{..."ids":[]}`) with `actions` in its array.
fn with_ids<'a>(empty: &[u8], actions: impl Iterator<Item = &'a [u8]>) -> Option<Vec<u8>> {
    let head = empty.strip_suffix(b"[]}")?;
    let mut body = Vec::with_capacity(head.len() + 64 * 1024);
    body.extend_from_slice(head);
    body.push(b'[');
    for (i, action) in actions.enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(action);
    }
    body.extend_from_slice(b"]}");
    Some(body)
}
