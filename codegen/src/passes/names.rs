//! Rust names: every name an emitter makes into an identifier is one, and names that share a scope differ. Two
//! wire names can give one Rust name (`a-b` and `a_b`), and a name with no letter or digit gives none; either
//! would otherwise stop the build in the generated code, or in the generator itself.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::ir::*;
use crate::load::{is_rust_ident, rust_type_name};

/// Names a platform's generated module defines itself, or takes from the prelude without a path.
const TAKEN: &[&str] = &[
    "Client",
    "Credentials",
    "Default",
    "Err",
    "From",
    "None",
    "Ok",
    "Option",
    "Result",
    "Some",
    "String",
    "Vec",
];

/// Checks one service's names. Runs before the unions pass, so each problem is reported once, at the type that
/// declares the name.
pub fn check(service: &Service, problems: &mut Vec<Diagnostic>) {
    let mut report = |loc: &Loc, message: String| {
        problems.push(Diagnostic {
            file: loc.file.clone(),
            place: loc.place.clone(),
            message,
        })
    };
    let service_loc = Loc {
        file: service.sources.first().cloned().unwrap_or_default(),
        place: "folder".into(),
    };
    // The folder's name is the module's, the cargo feature's and the generated file's.
    if !is_rust_ident(&service.name) || service.name.starts_with("r#") {
        report(
            &service_loc,
            format!(
                "platform folder `{}`: expected a Rust module name (letters, digits and `_`, not a keyword)",
                service.name
            ),
        );
    }
    for credential in &service.credentials {
        if !is_rust_ident(&credential.name) {
            report(
                &service_loc,
                format!(
                    "credential `{}`: expected a Rust field name (letters, digits and `_`)",
                    credential.name
                ),
            );
        }
    }
    for def in service.types.values() {
        if !is_rust_ident(&def.name) {
            report(
                &def.loc,
                format!(
                    "type `{}`: expected a Rust type name (letters, digits and `_`, not a keyword)",
                    def.name
                ),
            );
        } else if TAKEN.contains(&def.name.as_str()) {
            report(
                &def.loc,
                format!(
                    "type `{}`: the generated module already uses that name; give the type another",
                    def.name
                ),
            );
        }
        match &def.kind {
            Kind::Struct(s) => {
                let own = s.fields.iter().map(|f| (f.wire.as_str(), f.rust.as_str()));
                distinct(
                    &def.loc,
                    "field",
                    inherited_names(service, s),
                    own,
                    &mut report,
                );
            }
            Kind::Enum(e) => {
                let values = e.values.iter().map(|v| (v.wire.as_str(), v.rust.as_str()));
                distinct(&def.loc, "value", BTreeMap::new(), values, &mut report);
            }
            Kind::List(_) | Kind::Union(_) => {}
        }
    }
    for op in &service.operations {
        // Unique names are the operations check's; the marker type's name has a letter or digit when this does.
        if !is_rust_ident(&op.rust) {
            report(
                &op.loc,
                format!(
                    "operation `{}` gives no Rust method name (`{}`): expected a letter or digit in it",
                    op.id, op.rust
                ),
            );
        }
        // The marker lives in `operations`, which sees the platform's types and the prelude.
        let marker = rust_type_name(&op.id);
        if service.types.contains_key(&marker) || TAKEN.contains(&marker.as_str()) {
            report(
                &op.loc,
                format!(
                    "operation `{}` gives the marker type `{marker}`, a name its module already uses",
                    op.id
                ),
            );
        }
        // The method takes its path parameters beside its `request`.
        let arguments = BTreeMap::from([("request", "the method's request argument".to_string())]);
        let params = op.rest.iter().flat_map(|r| &r.path_params);
        distinct(
            &op.loc,
            "path parameter",
            arguments,
            params.map(|p| (p.name.as_str(), p.rust.as_str())),
            &mut report,
        );
    }
}

/// Each `(wire, rust)` name gives an identifier, and no two give the same one, nor one of `taken` (Rust name →
/// what already holds it).
fn distinct<'a>(
    loc: &Loc,
    what: &str,
    mut taken: BTreeMap<&'a str, String>,
    names: impl Iterator<Item = (&'a str, &'a str)>,
    report: &mut impl FnMut(&Loc, String),
) {
    for (wire, rust) in names {
        if !is_rust_ident(rust) {
            report(
                loc,
                format!(
                    "{what} `{wire}` gives no Rust name (`{rust}`): expected a letter or digit in it"
                ),
            );
        } else if let Some(holder) = taken.insert(rust, format!("{what} `{wire}`")) {
            report(
                loc,
                format!("{what} `{wire}` gives the Rust name `{rust}`, as {holder} does"),
            );
        }
    }
}

/// The Rust names of the fields a derived struct takes from its bases, and which field of which base each is.
fn inherited_names<'a>(service: &'a Service, strukt: &Struct) -> BTreeMap<&'a str, String> {
    let mut names = BTreeMap::new();
    let mut base = strukt.base.as_deref();
    // Bounded: a loop of bases is the unions pass's to report.
    for _ in 0..16 {
        let Some((name, Kind::Struct(s))) = base
            .and_then(|b| service.types.get_key_value(b))
            .map(|(n, t)| (n, &t.kind))
        else {
            break;
        };
        for f in &s.fields {
            names.insert(
                f.rust.as_str(),
                format!("field `{}` of base `{name}`", f.wire),
            );
        }
        base = s.base.as_deref();
    }
    names
}
