#![forbid(unsafe_code)]
#![warn(missing_docs)]

//! The marketing-apis generator: a pure function from the `schemas/` folder to Rust source files or a list of
//! located diagnostics.
//!
//! Stages: `load` (one loader per source format) → `ir` (the one model) → `passes` (names, inheritance,
//! checks) → `emit` (syn/quote, formatted by prettyplease).

pub mod diag;
pub mod emit;
#[doc(hidden)]
pub mod fuzzing;
pub mod ir;
pub mod load;
pub mod passes;

use std::path::Path;

pub use diag::Diagnostic;

/// One generated file: its name (`batch.rs`) and its formatted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The file's name, without a folder.
    pub name: String,
    /// Its Rust source, formatted.
    pub text: String,
}

/// Loads every schema under `schema_dir`, checks it and emits one Rust file per platform plus `api.rs`, the index.
pub fn generate(schema_dir: &Path) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    Ok(emit::emit(&load(schema_dir)?))
}

/// Loads and checks every schema under `schema_dir`: the model the emitters read, after all passes.
pub fn load(schema_dir: &Path) -> Result<ir::Api, Vec<Diagnostic>> {
    load::load_all(schema_dir)
        .and_then(|mut api| passes::run(&mut api).map(|()| api))
        .map_err(|mut problems| {
            load::add_positions(schema_dir, &mut problems);
            problems
        })
}

/// The schema files the generator reads, for `cargo::rerun-if-changed`.
pub fn schema_files(schema_dir: &Path) -> Vec<std::path::PathBuf> {
    load::schema_files(schema_dir)
}
