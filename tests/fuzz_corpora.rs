//! Replays the response-decoder and request-encoder fuzz corpora under `fuzz/corpus/` as ordinary tests: no
//! input may panic.

use std::path::Path;

/// Runs every input of `target`'s corpus through `run`, which says how many operations took it as a success.
fn replay_with(target: &str, run: impl Fn(&[u8]) -> usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .collect();
    assert!(!inputs.is_empty(), "{target}: empty corpus");
    let mut taken = 0;
    for input in &inputs {
        taken += run(&std::fs::read(input).expect("corpus file"));
    }
    // The seeds include documented bodies: a harness that took none would not reach the code under test.
    assert!(
        taken > 0,
        "{target}: no input of {} was taken as a success",
        inputs.len()
    );
}

fn replay(target: &str, platform: &str, soap: bool) {
    replay_with(target, |data| {
        marketing_apis::fuzzing::decode(platform, soap, data)
    });
}

#[test]
fn request_json_corpus() {
    replay_with("request_json", marketing_apis::fuzzing::encode);
}

#[test]
fn microsoft_soap_corpus() {
    replay("microsoft_soap", "microsoft", true);
}

#[test]
fn microsoft_json_corpus() {
    replay("microsoft_json", "microsoft", false);
}

#[test]
fn pinterest_json_corpus() {
    replay("pinterest_json", "pinterest", false);
}

#[test]
fn batch_json_corpus() {
    replay("batch_json", "batch", false);
}
