//! 1,000,000 Batch ids through the bulk helper to a loopback server: wall time and peak resident memory
//! (target: peak at most 3 times the size of the JSON sent). Run on its own so the process's peak is this
//! workload's.
//!
//! `cargo bench --bench bulk`

mod support;

use std::sync::atomic::Ordering;
use std::time::Instant;

use marketing_apis::batch::{AudienceAction, AudienceIdAction};
use marketing_apis::bulk::BulkConfig;

const IDS: usize = 1_000_000;

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[tokio::main]
async fn main() {
    let (url, stats) = support::serve("202 Accepted", support::ACCEPTED).await;
    let client = support::batch_client(url);
    let before = support::memory("VmRSS");
    // Every hundredth id comes back later with a `remove`, which supersedes its `add`. The actions are made as
    // the helper reads them, as they would be read from a file or a database.
    let actions = (0..IDS)
        .map(|n| AudienceIdAction {
            action: AudienceAction::Add,
            id: format!("CUSTOM-ID-{n:07}"),
            attributes: None,
        })
        .chain((0..IDS).step_by(100).map(|n| AudienceIdAction {
            action: AudienceAction::Remove,
            id: format!("CUSTOM-ID-{n:07}"),
            attributes: None,
        }));
    let start = Instant::now();
    let outcome = client
        .audience_update_bulk("AUDIENCE_NAME", actions, &BulkConfig::default())
        .await;
    let elapsed = start.elapsed();
    let peak = support::memory("VmHWM");
    let sent = stats.body_bytes.load(Ordering::Relaxed);
    assert!(
        outcome.failed.is_empty(),
        "{} calls failed",
        outcome.failed.len()
    );
    assert_eq!(outcome.applied, IDS);
    assert_eq!(outcome.superseded, IDS / 100);
    println!(
        "{IDS} ids (+{} superseded actions) in {} calls: {:.2} s, {:.0} ids/s",
        outcome.superseded,
        stats.requests.load(Ordering::Relaxed),
        elapsed.as_secs_f64(),
        IDS as f64 / elapsed.as_secs_f64()
    );
    println!(
        "JSON sent {:.1} MiB; resident before {:.1} MiB; peak {:.1} MiB",
        mib(sent),
        mib(before),
        mib(peak)
    );
    let ratio = peak as f64 / sent as f64;
    println!(
        "peak / JSON sent = {ratio:.2} (target ≤ 3: {})",
        if ratio <= 3.0 { "met" } else { "NOT met" }
    );
}
