//! Consistency checks: every name resolves, names that must be unique are, server URLs and path templates are
//! ones a client can use, and wire names are ones SOAP and HTTP can carry.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostic;
use crate::ir::*;
use crate::load::is_xml_name;

fn problem(problems: &mut Vec<Diagnostic>, loc: &Loc, what: impl Into<String>) {
    problems.push(Diagnostic {
        file: loc.file.clone(),
        place: loc.place.clone(),
        message: what.into(),
    });
}

/// Every referenced type, base, credential and namespace exists.
pub fn references(service: &Service, problems: &mut Vec<Diagnostic>) {
    let known = |name: &str| service.types.contains_key(name);
    let check_ref = |ty: &TypeRef, loc: &Loc, what: &str, problems: &mut Vec<Diagnostic>| {
        if let Some(name) = ty.named()
            && !known(name)
        {
            problem(problems, loc, format!("{what}: unknown type `{name}`"));
        }
    };
    for def in service.types.values() {
        match &def.kind {
            Kind::Struct(s) => {
                for (i, field) in s.fields.iter().enumerate() {
                    let loc = def.loc.at(&format!("fields[{i}]"));
                    check_ref(
                        &field.ty,
                        &loc,
                        &format!("field `{}`", field.wire),
                        problems,
                    );
                }
                if let Some(base) = &s.base
                    && !known(base)
                {
                    problem(problems, &def.loc, format!("extends unknown type `{base}`"));
                }
            }
            Kind::List(l) => check_ref(&l.item, &def.loc, "list item", problems),
            Kind::Enum(e) if e.values.is_empty() => {
                problem(problems, &def.loc, "an enum needs at least one value")
            }
            Kind::Enum(_) | Kind::Union(_) => {}
        }
    }
    let credentials: Vec<&str> = service
        .credentials
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let service_loc = Loc {
        file: service.sources.first().cloned().unwrap_or_default(),
        place: "service".into(),
    };
    let bound = service
        .rest
        .iter()
        .flat_map(|r| r.headers.iter().map(|h| (&h.name, &h.credential)));
    let soap_bound = service
        .soap
        .iter()
        .flat_map(|s| s.headers.iter().map(|h| (&h.element, &h.credential)));
    for (header, credential) in bound.chain(soap_bound) {
        if !credentials.contains(&credential.as_str()) {
            problem(
                problems,
                &service_loc,
                format!("header `{header}` uses unknown credential `{credential}`"),
            );
        }
    }
    if !known(&service.error_type) {
        problem(
            problems,
            &service_loc,
            format!("error_type: unknown type `{}`", service.error_type),
        );
    }
    for op in &service.operations {
        for (what, name) in [("request", &op.request), ("response", &op.response)] {
            if !matches!(
                service.types.get(name).map(|t| &t.kind),
                Some(Kind::Struct(_))
            ) {
                problem(
                    problems,
                    &op.loc,
                    format!("{what}: expected a struct type, `{name}` is unknown or not a struct"),
                );
            }
        }
        if op.soap.is_some() && service.soap.is_none() {
            problem(
                problems,
                &op.loc,
                "a SOAP action needs a [soap] section for the service",
            );
        }
        if op.rest.is_some() && service.rest.is_none() {
            problem(
                problems,
                &op.loc,
                "a REST binding needs a [rest] section for the service",
            );
        }
    }
}

/// Operation names are unique once made into Rust and CLI names; REST and SOAP bindings are well-formed.
pub fn operations(service: &Service, problems: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, &Operation> = BTreeMap::new();
    for op in &service.operations {
        if let Some(first) = seen.insert(op.rust.as_str(), op) {
            problem(
                problems,
                &op.loc,
                format!(
                    "operation `{}` has the same method name `{}` as `{}` ({})",
                    op.id, op.rust, first.id, first.loc.place
                ),
            );
        }
        // The action goes out quoted in the `SOAPAction` header.
        if let Some(soap) = &op.soap
            && (soap.action.is_empty()
                || !soap
                    .action
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'"'))
        {
            problem(
                problems,
                &op.loc,
                format!(
                    "SOAP action {:?}: expected printable ASCII without spaces or `\"`",
                    soap.action
                ),
            );
        }
        if let Some(rest) = &op.rest {
            if !matches!(
                rest.method.as_str(),
                "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
            ) {
                problem(
                    problems,
                    &op.loc,
                    format!("unsupported HTTP method `{}`", rest.method),
                );
            }
            if !rest.path.starts_with('/') {
                problem(
                    problems,
                    &op.loc,
                    format!("REST path `{}` must start with `/`", rest.path),
                );
            }
            let placeholders = placeholders(&rest.path).unwrap_or_else(|why| {
                problem(problems, &op.loc, format!("REST path {why}"));
                Vec::new()
            });
            for p in &rest.path_params {
                if !placeholders.contains(&p.name.as_str()) {
                    problem(
                        problems,
                        &op.loc,
                        format!(
                            "path parameter `{}` does not appear in `{}`",
                            p.name, rest.path
                        ),
                    );
                }
            }
            for p in placeholders {
                if !rest.path_params.iter().any(|q| q.name == p) {
                    problem(
                        problems,
                        &op.loc,
                        format!("placeholder `{{{p}}}` has no path parameter"),
                    );
                }
            }
        }
    }
}

/// The `{names}` of a path or URL template, in order, or why its braces do not pair.
fn placeholders(template: &str) -> Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        let after = &rest[at + 1..];
        match (rest.as_bytes()[at], after.find(['{', '}'])) {
            (b'{', Some(end)) if end > 0 && after.as_bytes()[end] == b'}' => {
                names.push(&after[..end]);
                rest = &after[end + 1..];
            }
            _ => {
                return Err(format!(
                    "`{template}` has a brace that encloses no name: expected `{{name}}`"
                ));
            }
        }
    }
    Ok(names)
}

/// Every server URL is one a client can call. The `{variables}` it names are the ones declared for it, and filled
/// with their defaults it is an absolute `https` or `http` URL: a plain host, maybe a port, and a path with no
/// query or fragment, since each call adds its own path after it. The paths the REST and SOAP bindings add start
/// with `/`. The client checks only the values an application configures, so the schema's own must be right when
/// it is built.
pub fn servers(service: &Service, problems: &mut Vec<Diagnostic>) {
    let servers = std::iter::once(&service.servers.production).chain(&service.servers.sandbox);
    for server in servers {
        for why in server_problems(server) {
            problem(problems, &server.loc, why);
        }
    }
    if let Some(rest) = &service.rest
        && let Err(why) = binding_path(&rest.base_path, true)
    {
        problem(problems, &rest.loc.at("base_path"), why);
    }
    if let Some(soap) = &service.soap
        && let Err(why) = binding_path(&soap.path, false)
    {
        problem(problems, &soap.loc.at("path"), why);
    }
}

fn server_problems(server: &Server) -> Vec<String> {
    let url = &server.url;
    let names = match placeholders(url) {
        Ok(names) => names,
        Err(why) => return vec![format!("server URL {why}")],
    };
    let mut found: Vec<String> = names
        .iter()
        .filter(|name| !server.variables.iter().any(|v| v.name == **name))
        .map(|name| format!("`{url}` names `{{{name}}}`, but no such variable is declared"))
        .collect();
    let mut filled = url.clone();
    for v in &server.variables {
        if !names.contains(&v.name.as_str()) {
            found.push(format!(
                "variable `{}` is declared, but `{url}` does not name it",
                v.name
            ));
        }
        if v.default.contains(['/', '?', '#']) {
            found.push(format!(
                "the default of variable `{}`, {:?}, holds / ? or #, which a configured value may not hold either",
                v.name, v.default
            ));
        }
        filled = filled.replace(&format!("{{{}}}", v.name), &v.default);
    }
    if found.is_empty()
        && let Err(why) = url_shape(&filled)
    {
        found.push(why);
    }
    found
}

/// `https://` or `http://`, a host of letters, digits, `-` and `.` (or an IP address, IPv6 in brackets), maybe a
/// `:port`, then a path of URL path characters alone. Not the `url` crate, though the library uses it: as a
/// build dependency it would be compiled a second time with its IDNA tables, for a shape this small (section 2
/// of BENCHMARKS.md counts what the generator adds to a build).
fn url_shape(url: &str) -> Result<(), String> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Err(format!(
            "`{url}`: expected an absolute URL starting with `https://` or `http://`"
        ));
    };
    let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => {
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "`{url}`: expected a port of digits after `{host}:`"
                ));
            }
            host
        }
        _ => authority,
    };
    let name = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'));
    let ipv6 = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .is_some_and(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.'))
        });
    if !name && !ipv6 {
        return Err(format!(
            "`{url}`: expected a host of ASCII letters, digits, `-` and `.` after `//`, found `{host}`"
        ));
    }
    path_chars(url, path)
}

/// `path`, part of `whole`, is URL path characters alone: RFC 3986's unreserved ones, sub-delimiters, `:`, `@`
/// and percent escapes. A query or fragment cannot be part of what each call adds its own path after.
fn path_chars(whole: &str, path: &str) -> Result<(), String> {
    let path_char = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@%/".contains(c);
    match path.chars().find(|c| !path_char(*c)) {
        Some('?' | '#') => Err(format!(
            "`{whole}`: cannot have a query or fragment, since each call adds its path after it"
        )),
        Some(c) => Err(format!("`{whole}`: {c:?} is not a URL path character")),
        None => Ok(()),
    }
}

/// A path a binding puts between the server URL and each call's own (REST's `base_path`, SOAP's service path):
/// empty, or `/` and path characters. Without the slash it would be glued to the server URL's last segment.
fn binding_path(path: &str, may_be_empty: bool) -> Result<(), String> {
    if path.is_empty() && may_be_empty {
        return Ok(());
    }
    if !path.starts_with('/') {
        return Err(format!("`{path}`: expected a path starting with `/`"));
    }
    path_chars(path, path)
}

/// Names that go on the wire as they stand. Where the platform speaks SOAP, every element name (of a field, a
/// list item or a header) is an XML name without a prefix; every REST header name is an HTTP token. Any other
/// would make XML that is not XML, or a request no server takes.
pub fn wire_names(service: &Service, problems: &mut Vec<Diagnostic>) {
    if let Some(soap) = &service.soap {
        let mut element = |name: &str, loc: Loc, what: &str| {
            if !is_xml_name(name) {
                problem(
                    problems,
                    &loc,
                    format!(
                        "{what} `{name}`: expected an XML name, as SOAP writes it as an element (a letter or `_`, then letters, digits, `-`, `.` or `_`)"
                    ),
                );
            }
        };
        for def in service.types.values() {
            match &def.kind {
                Kind::Struct(s) => {
                    for (i, field) in s.fields.iter().enumerate() {
                        element(&field.wire, def.loc.at(&format!("fields[{i}]")), "field");
                    }
                }
                Kind::List(l) => element(&l.item_element, def.loc.clone(), "list item element"),
                Kind::Enum(_) | Kind::Union(_) => {}
            }
        }
        for h in &soap.headers {
            element(&h.element, soap.loc.at("headers"), "header element");
        }
        if soap.namespace.is_empty() || soap.namespace.contains(char::is_whitespace) {
            problem(
                problems,
                &soap.loc.at("namespace"),
                format!(
                    "`{}`: expected a namespace URI, not empty and without white space",
                    soap.namespace
                ),
            );
        }
    }
    if let Some(rest) = &service.rest {
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        for h in &rest.headers {
            if h.name.is_empty() || !h.name.chars().all(token) {
                problem(
                    problems,
                    &rest.loc.at("headers"),
                    format!(
                        "header `{}`: expected an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)",
                        h.name
                    ),
                );
            }
        }
    }
}

/// No type holds itself, directly or through others: the generated types hold their parts by value, and the
/// codecs and corpora walk them without a depth limit of their own.
pub fn cycles(service: &Service, problems: &mut Vec<Diagnostic>) {
    /// Depth first from `name` along `path`; each type is left once every type it holds is known not to lead
    /// back, and each cycle is reported once, at the type where the search first met it again.
    fn visit<'a>(
        service: &'a Service,
        name: &'a str,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
        problems: &mut Vec<Diagnostic>,
    ) {
        if done.contains(name) {
            return;
        }
        if let Some(start) = path.iter().position(|p| *p == name) {
            let cycle = path[start..].join(" → ");
            let def = &service.types[name];
            problem(
                problems,
                &def.loc,
                format!(
                    "`{name}` holds itself ({cycle} → {name}); recursive types are not supported"
                ),
            );
            return;
        }
        let Some(def) = service.types.get(name) else {
            return;
        };
        path.push(name);
        for part in def.kind.held() {
            visit(service, part, path, done, problems);
        }
        path.pop();
        done.insert(name);
    }
    let mut done = BTreeSet::new();
    for name in service.types.keys() {
        visit(service, name, &mut Vec::new(), &mut done, problems);
    }
}
