//! Replays the response-decoder and request-encoder fuzz corpora under `fuzz/corpus/` as ordinary tests: no
//! input may panic.

use std::path::Path;

/// Runs every input of `target`'s corpus through `run`, which says how many operations took it as a success,
/// and gives how many inputs of more than one byte no operation took (one byte or none selects and holds
/// nothing, so no harness could take it).
fn replay_with(target: &str, run: impl Fn(&[u8]) -> usize) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .collect();
    assert!(!inputs.is_empty(), "{target}: empty corpus");
    let (mut taken, mut refused) = (0, 0);
    for input in &inputs {
        let data = std::fs::read(input).expect("corpus file");
        let took = run(&data);
        taken += took;
        if took == 0 && data.len() > 1 {
            refused += 1;
        }
    }
    // The seeds include documented bodies: a harness that took none would not reach the code under test.
    assert!(
        taken > 0,
        "{target}: no input of {} was taken as a success",
        inputs.len()
    );
    refused
}

/// A decoder's corpus holds malformed bodies too: a harness that took every input would not be decoding.
fn replay(target: &str, platform: &str, soap: bool) {
    let refused = replay_with(target, |data| {
        marketing_apis::fuzzing::decode(platform, soap, data)
    });
    assert!(refused > 0, "{target}: every input was taken as a success");
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
