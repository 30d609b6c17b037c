//! Inheritance → unions. A base type with a `discriminator` becomes a union of its derived types (plus itself
//! when it has a tag); every derived struct gets the base's fields first, each keeping its declaring type's XML
//! namespace, as SOAP sends them.

use crate::diag::Diagnostic;
use crate::ir::*;

pub fn resolve(service: &mut Service, problems: &mut Vec<Diagnostic>) {
    stamp_namespaces(service);
    let bases: Vec<String> = service
        .types
        .iter()
        .filter(|(_, t)| matches!(&t.kind, Kind::Struct(s) if s.discriminator.is_some()))
        .map(|(n, _)| n.clone())
        .collect();
    // Flatten every derived struct while the base structs still hold their own fields.
    let derived: Vec<String> = service
        .types
        .iter()
        .filter(|(_, t)| matches!(&t.kind, Kind::Struct(s) if s.base.is_some()))
        .map(|(n, _)| n.clone())
        .collect();
    let mut flattened = Vec::new();
    for name in &derived {
        match inherited_fields(service, name, &mut Vec::new()) {
            Ok(fields) => flattened.push((name.clone(), fields)),
            Err(message) => {
                let loc = &service.types[name].loc;
                problems.push(Diagnostic {
                    file: loc.file.clone(),
                    place: loc.place.clone(),
                    message,
                });
            }
        }
    }
    for (name, fields) in flattened {
        let root = root_of(service, &name);
        let discriminator = discriminator_of(service, &root);
        if let Some(TypeDef {
            kind: Kind::Struct(s),
            loc,
            ..
        }) = service.types.get_mut(&name)
        {
            s.fields = fields
                .into_iter()
                .filter(|f| Some(&f.wire) != discriminator.as_ref())
                .collect();
            if s.tag.is_none() {
                problems.push(Diagnostic {
                    file: loc.file.clone(),
                    place: loc.place.clone(),
                    message: format!(
                        "derived type `{name}` needs a `tag`: the REST discriminator value"
                    ),
                });
            }
        }
    }
    for base in bases {
        make_union(service, &base, problems);
    }
}

fn stamp_namespaces(service: &mut Service) {
    for def in service.types.values_mut() {
        let ns = def.xml_ns.clone();
        if let Kind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                field.xml_ns = ns.clone();
            }
        }
    }
}

/// The fields of `name`'s bases, outermost first, then its own. `chain` holds the types that extend it, so a
/// base already in it is a loop.
fn inherited_fields<'a>(
    service: &'a Service,
    name: &'a str,
    chain: &mut Vec<&'a str>,
) -> Result<Vec<Field>, String> {
    let Some(TypeDef {
        kind: Kind::Struct(s),
        ..
    }) = service.types.get(name)
    else {
        return Err(format!("`{name}` is extended but is not a struct"));
    };
    let looped = chain.contains(&name);
    chain.push(name);
    if looped {
        return Err(format!("inheritance loops ({})", chain.join(" → ")));
    }
    let mut fields = match &s.base {
        Some(base) => inherited_fields(service, base, chain)?,
        None => Vec::new(),
    };
    fields.extend(s.fields.iter().cloned());
    Ok(fields)
}

fn root_of(service: &Service, name: &str) -> String {
    let mut current = name.to_string();
    for _ in 0..16 {
        match &service.types.get(&current).map(|t| &t.kind) {
            Some(Kind::Struct(Struct {
                base: Some(base), ..
            })) => current = base.clone(),
            _ => break,
        }
    }
    current
}

fn discriminator_of(service: &Service, root: &str) -> Option<String> {
    match &service.types.get(root)?.kind {
        Kind::Struct(s) => s.discriminator.clone(),
        _ => None,
    }
}

fn make_union(service: &mut Service, base: &str, problems: &mut Vec<Diagnostic>) {
    let mut variants: Vec<String> = service
        .types
        .keys()
        .filter(|n| n.as_str() != base && root_of(service, n) == base)
        .cloned()
        .collect();
    variants.sort();
    let base_struct = format!("{base}Base");
    if service.types.contains_key(&base_struct) {
        let loc = &service.types[base].loc;
        problems.push(Diagnostic {
            file: loc.file.clone(),
            place: loc.place.clone(),
            message: format!(
                "`{base}` is a base type, so the fields it declares go in a type named `{base_struct}`, which the schema already defines"
            ),
        });
        return;
    }
    let Some(def) = service.types.get_mut(base) else {
        return;
    };
    let Kind::Struct(strukt) = &mut def.kind else {
        return;
    };
    let strukt = std::mem::take(strukt);
    let discriminator = strukt.discriminator.clone().unwrap_or_default();
    let fields = strukt
        .fields
        .into_iter()
        .filter(|f| f.wire != discriminator)
        .collect();
    def.kind = Kind::Union(Union {
        discriminator,
        base_struct: base_struct.clone(),
        base_tag: strukt.tag.clone(),
        variants,
    });
    let base_def = TypeDef {
        name: base_struct.clone(),
        docs: format!(
            "The fields `{base}` itself declares: the base variant and unknown derived types carry these."
        ),
        loc: def.loc.clone(),
        xml_ns: def.xml_ns.clone(),
        kind: Kind::Struct(Struct {
            fields,
            tag: strukt.tag,
            ..Struct::default()
        }),
    };
    service.types.insert(base_struct, base_def);
}
