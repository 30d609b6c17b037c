//! One loader per source format, each producing an `ir::Service`.
//!
//! A platform folder under `schemas/` holds either `openapi.json` as published (plus an optional
//! `overrides.toml` for what the document does not say), or hand-kept `*.toml` descriptions.

mod handkept;
mod names;
mod openapi;
mod overrides;
mod positions;
mod toml_format;

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Sink};
use crate::ir::{Api, Service};

pub use names::{
    bare, is_rust_ident, is_xml_name, rust_field_name, rust_type_name, rust_variant_name,
};
pub use positions::add_positions;

/// Files the generator reads, sorted, for `cargo::rerun-if-changed`.
pub fn schema_files(schema_dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in platform_dirs(schema_dir) {
        files.extend(read_sorted(&dir).into_iter().filter(|p| p.is_file()));
    }
    files
}

/// Loads every platform folder under `schema_dir` with the loader its files call for, and reports the problems
/// of all of them rather than stopping at the first.
pub fn load_all(schema_dir: &Path) -> Result<Api, Vec<Diagnostic>> {
    let mut services = Vec::new();
    let mut problems = Vec::new();
    let dirs = platform_dirs(schema_dir);
    if dirs.is_empty() {
        problems.push(Diagnostic {
            file: display(schema_dir),
            place: "folder".into(),
            message: "expected one folder per platform (batch/, microsoft/, ...), found none"
                .into(),
        });
    }
    for dir in dirs {
        match load_platform(&dir) {
            Ok(service) => services.push(service),
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.is_empty() {
        services.sort_by(|a: &Service, b| a.name.cmp(&b.name));
        Ok(Api { services })
    } else {
        Err(problems)
    }
}

fn load_platform(dir: &Path) -> Result<Service, Vec<Diagnostic>> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let openapi_file = dir.join("openapi.json");
    if openapi_file.is_file() {
        let overrides_file = dir.join("overrides.toml");
        let overrides = overrides_file.is_file().then_some(overrides_file);
        return openapi::load(&name, &openapi_file, overrides.as_deref());
    }
    let tomls: Vec<PathBuf> = read_sorted(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    if tomls.is_empty() {
        let mut sink = Sink::new(display(dir));
        sink.error(
            "folder",
            "expected openapi.json or hand-kept *.toml descriptions, found neither",
        );
        return Err(sink.found);
    }
    handkept::load(&name, &tomls)
}

fn platform_dirs(schema_dir: &Path) -> Vec<PathBuf> {
    read_sorted(schema_dir)
        .into_iter()
        .filter(|p| p.is_dir())
        .collect()
}

fn read_sorted(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(_) => Vec::new(),
    };
    entries.sort();
    entries
}

/// A path as diagnostics show it: from `schemas/` on, with forward slashes.
pub(crate) fn display(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let start = parts.iter().rposition(|p| p == "schemas").unwrap_or(0);
    parts[start..].join("/")
}

pub(crate) fn read_text(path: &Path, sink: &mut Sink) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) => {
            sink.error("file", format!("cannot read the file: {e}"));
            None
        }
    }
}
