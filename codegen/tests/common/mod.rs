//! What the generator's tests share: a small valid OpenAPI platform, running the generator on schema files, the
//! project's own schemas loaded, and reading the reference pages. Each test binary uses a part of it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use marketing_apis_codegen::ir::Service;
use marketing_apis_codegen::{Diagnostic, GeneratedFile, generate};
use serde_json::Value;

/// The test platform `tests/platforms/open`, which the library also builds and tests (`src/test_platforms.rs`): a valid
/// one-operation OpenAPI document to break in one place per case.
pub fn valid_openapi() -> Value {
    serde_json::from_str(include_str!("../../../tests/platforms/open/openapi.json"))
        .expect("the fixture is JSON")
}

/// The overrides of `tests/platforms/open`.
pub const OVERRIDES: &str = include_str!("../../../tests/platforms/open/overrides.toml");

/// Writes `files` (path under `schemas/`, text) into a fresh folder and runs the generator. Each run has a folder
/// of its own, so tests running side by side never share one, whatever their `case` names.
pub fn run(case: &str, files: &[(&str, String)]) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let root: PathBuf = std::env::temp_dir()
        .join(format!("codegen-test-{}-{run}-{case}", std::process::id()))
        .join("schemas");
    let _ = std::fs::remove_dir_all(&root);
    for (path, text) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().expect("a parent")).expect("create folder");
        std::fs::write(file, text).expect("write schema");
    }
    let generated = generate(&root);
    let _ = std::fs::remove_dir_all(root.parent().expect("the run's folder"));
    generated
}

/// Runs the generator on test platform `t`: `doc` as its `openapi.json`, with [`OVERRIDES`].
pub fn run_openapi(case: &str, doc: &Value) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    let files = [
        ("t/openapi.json", doc.to_string()),
        ("t/overrides.toml", OVERRIDES.to_string()),
    ];
    run(case, &files)
}

/// The generated module of test platform `t`.
pub fn platform_text(generated: &[GeneratedFile]) -> &str {
    &generated
        .iter()
        .find(|f| f.name == "t.rs")
        .expect("the platform's file, t.rs")
        .text
}

/// The project's schema of platform `name`, loaded and checked as `build.rs` loads it.
pub fn project_service(name: &str) -> Service {
    let api =
        marketing_apis_codegen::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas"))
            .expect("schemas load");
    api.services
        .into_iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no {name} service"))
}

/// A page of `shared/<folder>` (`seeds`, `reference`), beside the checkout.
pub fn shared_page(folder: &str, page: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(folder)
        .join(page);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The cells of a Markdown table row, trimmed, with `\|` inside a cell kept as `|`.
pub fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner
        .replace(r"\|", "\u{0}")
        .split('|')
        .map(|c| c.trim().replace('\u{0}', "|"))
        .collect()
}

/// Fails, listing every difference a reference test found between a schema and the reference.
pub fn assert_agree(differences: &[String]) {
    assert!(
        differences.is_empty(),
        "schema and reference differ:\n{}",
        differences.join("\n")
    );
}
