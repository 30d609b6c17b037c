//! Generates the platform modules from `schemas/` into OUT_DIR; a malformed schema fails the build with one
//! located message per problem.

use std::path::Path;

fn main() {
    let schemas = Path::new("schemas");
    println!("cargo:rerun-if-changed=schemas");
    for file in marketing_apis_codegen::schema_files(schemas) {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    match marketing_apis_codegen::generate(schemas) {
        Ok(files) => {
            for file in files {
                let path = Path::new(&out_dir).join(&file.name);
                if let Err(e) = std::fs::write(&path, file.text) {
                    println!("cargo:error=cannot write {}: {e}", path.display());
                    std::process::exit(1);
                }
            }
        }
        Err(problems) => {
            for problem in &problems {
                println!("cargo:error={problem}");
            }
            std::process::exit(1);
        }
    }
}
