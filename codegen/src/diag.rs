//! Located problems in a schema: the build fails with one line per problem.

use std::fmt;

/// One problem in a schema: where it is and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Schema file, relative to the folder that holds `schemas/`.
    pub file: String,
    /// Where in the file: a JSON pointer (`#/paths/~1audiences~1update/post`) or a TOML key path, with its line
    /// and column where the file has it.
    pub place: String,
    /// What was expected, and what was found.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: at {}: {}", self.file, self.place, self.message)
    }
}

/// Collects diagnostics for one file, so loaders report every problem rather than the first.
#[derive(Debug)]
pub struct Sink {
    file: String,
    /// The problems reported so far, in the order found.
    pub found: Vec<Diagnostic>,
}

impl Sink {
    /// An empty sink for the schema file `file`.
    pub fn new(file: impl Into<String>) -> Self {
        Sink {
            file: file.into(),
            found: Vec::new(),
        }
    }

    /// The schema file problems are reported against.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Reports a problem at `place` in the file, once however often it is found: a shared entry (a response that
    /// several operations reference) is checked by each of its users.
    pub fn error(&mut self, place: impl Into<String>, message: impl Into<String>) {
        let problem = Diagnostic {
            file: self.file.clone(),
            place: place.into(),
            message: message.into(),
        };
        if !self.found.contains(&problem) {
            self.found.push(problem);
        }
    }
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
