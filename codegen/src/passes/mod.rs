//! Small passes over the IR, one per file, run in order after loading.

mod check;
mod names;
mod unions;

use crate::diag::Diagnostic;
use crate::ir::Api;

/// Runs every pass over every service; the model is fit to emit only when none reports a problem.
pub fn run(api: &mut Api) -> Result<(), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    for service in &mut api.services {
        check::references(service, &mut problems);
        check::servers(service, &mut problems);
        check::wire_names(service, &mut problems);
        names::check(service, &mut problems);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for service in &mut api.services {
        unions::resolve(service, &mut problems);
        check::cycles(service, &mut problems);
        check::operations(service, &mut problems);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}
