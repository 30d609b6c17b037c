//! The entry point shared by the schema-loader fuzz target and the test that replays its corpus.

use std::path::PathBuf;

/// Writes `data` as one platform's schema files into a scratch folder and runs the whole generator on it.
/// `data[0]` picks the format: even for a hand-kept `service.toml` (the rest of the input), odd for an
/// `openapi.json`, followed after a NUL byte by its `overrides.toml` if there is one. Whatever the bytes, the
/// generator must answer with files or diagnostics, never a panic. Returns whether it generated files.
pub fn generate_from_bytes(data: &[u8]) -> bool {
    let Some((&selector, rest)) = data.split_first() else {
        return false;
    };
    let root = scratch();
    let platform = root.join("fuzzed");
    let _ = std::fs::remove_dir_all(&platform);
    std::fs::create_dir_all(&platform).expect("scratch folder");
    if selector % 2 == 0 {
        std::fs::write(platform.join("service.toml"), rest).expect("scratch file");
    } else {
        let (document, overrides) = match rest.iter().position(|&b| b == 0) {
            Some(nul) => (&rest[..nul], Some(&rest[nul + 1..])),
            None => (rest, None),
        };
        std::fs::write(platform.join("openapi.json"), document).expect("scratch file");
        if let Some(overrides) = overrides {
            std::fs::write(platform.join("overrides.toml"), overrides).expect("scratch file");
        }
    }
    match crate::generate(&root) {
        Ok(files) => !files.is_empty(),
        Err(diagnostics) => {
            assert!(
                !diagnostics.is_empty(),
                "a failed generation names its problems"
            );
            false
        }
    }
}

/// A `schemas/` folder of this process's own, so parallel fuzz jobs do not share files.
fn scratch() -> PathBuf {
    std::env::temp_dir()
        .join(format!("marketing-apis-fuzz-{}", std::process::id()))
        .join("schemas")
}
