//! `build.rs` asks cargo to rerun when any file `schema_files` names changes: it must name every file the
//! generator reads, and only those.

use std::path::{Path, PathBuf};

#[test]
fn every_file_of_every_platform_folder_is_watched() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let mut expected: Vec<PathBuf> = std::fs::read_dir(&schemas)
        .expect("schemas/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .flat_map(|dir| std::fs::read_dir(dir).expect("a platform folder"))
        .map(|e| e.expect("entry").path())
        .collect();
    expected.sort();
    let mut watched = marketing_apis_codegen::schema_files(&schemas);
    watched.sort();
    assert_eq!(watched, expected);
    assert!(watched.contains(&schemas.join("batch/openapi.json")));
}
