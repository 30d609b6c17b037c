//! Generates the platform modules from `schemas/` into OUT_DIR, and the test platforms of
//! `tests/platforms` into OUT_DIR/test_platforms for the library's own tests; a malformed schema fails the build
//! with one located message per problem, each a `cargo::error` so that cargo prints it first as an `error:` line
//! (the old `cargo:error=` is only link metadata, left in the dump of the script's output).

use std::path::Path;

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let out_dir = Path::new(&out_dir);
    generate(Path::new("schemas"), out_dir);
    generate(
        Path::new("tests/platforms"),
        &out_dir.join("test_platforms"),
    );
}

fn generate(schemas: &Path, out_dir: &Path) {
    println!("cargo::rerun-if-changed={}", schemas.display());
    for file in marketing_apis_codegen::schema_files(schemas) {
        println!("cargo::rerun-if-changed={}", file.display());
    }
    let fail = |message: String| -> ! {
        println!("cargo::error={message}");
        std::process::exit(1);
    };
    match marketing_apis_codegen::generate(schemas) {
        Ok(files) => {
            if let Err(e) = std::fs::create_dir_all(out_dir) {
                fail(format!("cannot create {}: {e}", out_dir.display()));
            }
            for file in files {
                let path = out_dir.join(&file.name);
                if let Err(e) = std::fs::write(&path, file.text) {
                    fail(format!("cannot write {}: {e}", path.display()));
                }
            }
        }
        Err(problems) => {
            for problem in &problems {
                println!("cargo::error={problem}");
            }
            std::process::exit(1);
        }
    }
}
