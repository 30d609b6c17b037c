//! What a maintainer sees from `cargo build` after editing a schema: cargo itself runs the project's `build.rs`
//! on a crate whose `schemas/` holds the hand-kept test platform, broken and then mended. The generator's own
//! tests check every message; this checks that cargo shows them, first, as `error:` lines, and that an edit
//! after a good build makes the generator run again.

use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGE: &str = "schema-probe";

/// A crate of its own (its own workspace and target folder, which later runs reuse) with the project's `build.rs`,
/// the generator as its build-dependency, the test platforms that `build.rs` also reads, and `schemas/hand`.
fn probe_crate() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(PACKAGE);
    for stale in ["schemas", "tests"] {
        let _ = std::fs::remove_dir_all(dir.join(stale));
    }
    std::fs::create_dir_all(dir.join("src")).expect("create the crate");
    std::fs::create_dir_all(dir.join("schemas/hand")).expect("create schemas/hand");
    let manifest = format!(
        "[package]\nname = \"{PACKAGE}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n\
         [build-dependencies]\nmarketing-apis-codegen = {{ path = {:?} }}\n",
        root.join("codegen")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write Cargo.toml");
    std::fs::write(dir.join("src/lib.rs"), "").expect("write src/lib.rs");
    // The project's lockfile keeps the generator's crates at the versions already fetched for this build.
    for file in ["build.rs", "Cargo.lock"] {
        std::fs::copy(root.join(file), dir.join(file)).expect("copy into the crate");
    }
    for platform in ["hand", "open"] {
        let from = root.join("tests/platforms").join(platform);
        let to = dir.join("tests/platforms").join(platform);
        std::fs::create_dir_all(&to).expect("create tests/platforms");
        for entry in std::fs::read_dir(&from).expect("read a test platform") {
            let entry = entry.expect("a file");
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy a test platform");
        }
    }
    dir
}

/// `cargo build` of the crate: whether it succeeded, and what cargo wrote to stderr.
fn cargo_build(dir: &Path) -> (bool, String) {
    let output = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--color", "never"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("run cargo");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The lines of cargo's output that are errors, in order.
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("error")).collect()
}

/// The 1-based line and column where `needle` starts in `text`.
fn line_and_column(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("the text holds the needle");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = at - before.rfind('\n').map_or(0, |n| n + 1) + 1;
    (line, column)
}

#[test]
fn cargo_shows_each_schema_problem_first_and_reruns_the_generator_after_an_edit() {
    let dir = probe_crate();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let service = std::fs::read_to_string(root.join("tests/platforms/hand/service.toml"))
        .expect("read the hand platform");
    let types = std::fs::read_to_string(root.join("tests/platforms/hand/types.toml"))
        .expect("read the hand platform");
    std::fs::write(dir.join("schemas/hand/service.toml"), &service).expect("write service.toml");
    let types_file = dir.join("schemas/hand/types.toml");

    // One unknown type, used by one field.
    let good_field = r#"{ name = "Key", type = "string" }"#;
    let bad_field = r#"{ name = "Key", type = "strng" }"#;
    assert!(
        types.contains(good_field),
        "the hand platform's Pair has the field this test breaks"
    );
    let broken = types.replace(good_field, bad_field);
    std::fs::write(&types_file, &broken).expect("write types.toml");
    let (built, stderr) = cargo_build(&dir);
    assert!(!built, "a broken schema must fail the build:\n{stderr}");
    let (line, column) = line_and_column(&broken, bad_field);
    let expected = format!(
        "error: {PACKAGE}@0.0.0: schemas/hand/types.toml: at types.Pair.fields[0] (line {line}, column {column}): \
         field `Key`: unknown type `strng`"
    );
    let errors = error_lines(&stderr);
    assert_eq!(
        errors.first(),
        Some(&expected.as_str()),
        "the problem must be cargo's first error line:\n{stderr}"
    );
    assert_eq!(
        errors.iter().filter(|l| **l == expected).count(),
        1,
        "and only once:\n{stderr}"
    );

    // Mended, the crate builds.
    std::fs::write(&types_file, &types).expect("write types.toml");
    let (built, stderr) = cargo_build(&dir);
    assert!(built, "the mended schema must build:\n{stderr}");

    // Broken again after that good build: cargo must run the generator again, which finds the new problem.
    let unclosed = format!("{types}[types.Pair\n");
    std::fs::write(&types_file, &unclosed).expect("write types.toml");
    let (built, stderr) = cargo_build(&dir);
    assert!(
        !built,
        "an edit after a good build must run the generator again:\n{stderr}"
    );
    let first = error_lines(&stderr).first().copied().unwrap_or_default();
    let prefix = format!(
        "error: {PACKAGE}@0.0.0: schemas/hand/types.toml: at line {}",
        types.lines().count() + 1
    );
    assert!(
        first.starts_with(&prefix),
        "expected the parse error first, starting {prefix:?}:\n{stderr}"
    );
}
