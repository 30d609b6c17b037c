//! Time to generate every schema under `schemas/` (target: under 50 ms), and the share of loading against
//! emitting.
//!
//! `cargo bench -p marketing-apis-codegen`

use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 30;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let files = marketing_apis_codegen::schema_files(&schemas);
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    let (mut load, mut all) = (Vec::new(), Vec::new());
    let mut generated = 0;
    // One warm-up run, then alternate the two measurements.
    for run in 0..=RUNS {
        let start = Instant::now();
        let api = marketing_apis_codegen::load(&schemas).expect("schemas load");
        let loaded = start.elapsed();
        let start = Instant::now();
        let output = marketing_apis_codegen::generate(&schemas).expect("schemas generate");
        let whole = start.elapsed();
        if run > 0 {
            load.push(loaded);
            all.push(whole);
        }
        generated = output.iter().map(|f| f.text.len()).sum::<usize>();
        std::hint::black_box(api);
    }
    let (load, all) = (median(load), median(all));
    println!(
        "{} schema files ({:.0} KiB) → {:.0} KiB of Rust, median of {RUNS} runs",
        files.len(),
        bytes as f64 / 1024.0,
        generated as f64 / 1024.0
    );
    println!(
        "generate all schemas: {:.1} ms (load and check {:.1} ms, emit and format {:.1} ms); target < 50 ms: {}",
        all.as_secs_f64() * 1e3,
        load.as_secs_f64() * 1e3,
        all.saturating_sub(load).as_secs_f64() * 1e3,
        if all < Duration::from_millis(50) {
            "met"
        } else {
            "NOT met"
        }
    );
}
