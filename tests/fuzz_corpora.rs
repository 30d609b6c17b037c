//! Replays the response-decoder fuzz corpora under `fuzz/corpus/` as ordinary tests: no input may panic.

use std::path::Path;

fn replay(target: &str, platform: &str, soap: bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .collect();
    assert!(!inputs.is_empty(), "{target}: empty corpus");
    let mut decoded = 0;
    for input in &inputs {
        let data = std::fs::read(input).expect("corpus file");
        decoded += marketing_apis::fuzzing::decode(platform, soap, &data);
    }
    // The seeds include documented success bodies: a harness that decoded none would not reach the decoders.
    assert!(
        decoded > 0,
        "{target}: no input of {} decoded as a success",
        inputs.len()
    );
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
