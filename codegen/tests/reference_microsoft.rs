//! The hand-kept Microsoft schema against the wire facts in `shared/reference`, which were read from
//! Microsoft's own WSDL: every type the reference lists, and every type the schema declares, agree on the
//! namespace, the base type, each element's name, type, `minOccurs` and `nillable` in sequence order (a derived
//! type's base elements first), each array's item element, and each enumeration's values and whether it is a
//! flag list; and each derived type carries the REST `"Type"` value Microsoft's SDKs write. A maintainer who
//! edits a schema from the platform's docs hears here where it and the WSDL part.

mod common;

use std::collections::BTreeMap;

use marketing_apis_codegen::ir::{Kind, Prim, Service, TypeDef, TypeRef};

const TNS: &str = "https://bingads.microsoft.com/CampaignManagement/v13";

/// One element of a sequence, as the reference's tables give it.
#[derive(Debug)]
struct Element {
    name: String,
    ty: String,
    min_occurs: String,
    max_occurs: String,
    nillable: bool,
}

#[derive(Debug, Default)]
struct RefType {
    ns: Option<String>,
    base: Option<String>,
    elements: Vec<Element>,
}

#[derive(Debug)]
struct RefEnum {
    values: Vec<String>,
    flags: bool,
}

/// `**Name**`, `**Name** : extends \`Base\``, `**Name**  — namespace x (uri)`: the complex types of section 2.3,
/// and the request and response bodies of section 2.1.
fn complex_types(text: &str) -> BTreeMap<String, RefType> {
    let mut types = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with("### Enumerations") {
            break;
        }
        if let Some(rest) = line.strip_prefix("**") {
            let Some((name, tail)) = rest.split_once("**") else {
                continue;
            };
            // A bold phrase in a note, not a type.
            if name.contains(' ') {
                current = None;
                continue;
            }
            let ns = tail
                .split_once("namespace ")
                .and_then(|(_, t)| t.split_once('(')?.1.split_once(')'))
                .map(|(uri, _)| uri.to_string());
            let base = tail
                .split_once("extends `")
                .and_then(|(_, t)| t.split_once('`'))
                .map(|(b, _)| b.rsplit('}').next().unwrap_or(b).to_string());
            types.insert(
                name.to_string(),
                RefType {
                    ns,
                    base,
                    elements: Vec::new(),
                },
            );
            current = Some(name.to_string());
            continue;
        }
        // Section 2.1: `| UpdateAudiencesRequest | 7665 | \`Audiences\` : ArrayOfAudience, minOccurs=0, nillable=true |`
        let row = common::cells(line);
        if line.starts_with("| Update") && row.len() == 3 {
            let (name, rest) = row[2]
                .trim_start_matches('`')
                .split_once("` : ")
                .expect("a body element's sequence");
            let parts: Vec<&str> = rest.split(", ").collect();
            let setting = |key: &str| {
                parts
                    .iter()
                    .find_map(|p| p.strip_prefix(key))
                    .unwrap_or_else(|| panic!("{} gives no {key}", row[0]))
                    .to_string()
            };
            let element = Element {
                name: name.to_string(),
                ty: parts[0].to_string(),
                min_occurs: setting("minOccurs="),
                max_occurs: "1".into(),
                nillable: setting("nillable=") == "true",
            };
            types.insert(
                row[0].to_string(),
                RefType {
                    elements: vec![element],
                    ..RefType::default()
                },
            );
            continue;
        }
        if let Some(name) = &current
            && row.len() == 6
            && row[0].parse::<u32>().is_ok()
        {
            types
                .get_mut(name)
                .expect("current type")
                .elements
                .push(Element {
                    name: row[1].to_string(),
                    ty: row[2].to_string(),
                    min_occurs: row[3].to_string(),
                    max_occurs: row[4].to_string(),
                    nillable: row[5] == "true",
                });
        }
    }
    types
}

/// The enumerations table: `| AudienceType | **xs:list (flags, …)** | RemarketingList, Custom, … |`.
fn enumerations(text: &str) -> BTreeMap<String, RefEnum> {
    let table = text
        .split("### Enumerations")
        .nth(1)
        .expect("an enumerations section");
    table
        .lines()
        .map(common::cells)
        .filter(|row| row.len() == 3 && row[1].contains("xs:"))
        .map(|row| {
            let values = row[2]
                .split(", ")
                .map(|v| v.split('=').next().unwrap_or(v).trim().to_string())
                .collect();
            let flags = row[1].contains("xs:list");
            (row[0].to_string(), RefEnum { values, flags })
        })
        .collect()
}

/// The reference's type for an element, as the schema's loader names it.
fn type_ref(xsd: &str) -> TypeRef {
    match xsd {
        "xs:string" => TypeRef::Prim(Prim::String),
        "xs:long" => TypeRef::Prim(Prim::I64),
        "xs:int" => TypeRef::Prim(Prim::I32),
        "xs:boolean" => TypeRef::Prim(Prim::Bool),
        "xs:decimal" => TypeRef::Prim(Prim::Decimal),
        "xs:double" => TypeRef::Prim(Prim::F64),
        named => TypeRef::Named(named.to_string()),
    }
}

/// A named type's own struct: a union's base fields live in a struct of their own.
fn struct_of<'s>(service: &'s Service, def: &'s TypeDef) -> &'s TypeDef {
    match &def.kind {
        Kind::Union(u) => &service.types[&u.base_struct],
        _ => def,
    }
}

/// The discriminator of the union `def` is, or whose base `base` is.
fn discriminator<'s>(
    service: &'s Service,
    def: &'s TypeDef,
    base: Option<&str>,
) -> Option<&'s str> {
    let union_def = match &def.kind {
        Kind::Union(_) => def,
        _ => service.types.get(base?)?,
    };
    match &union_def.kind {
        Kind::Union(u) => Some(&u.discriminator),
        _ => None,
    }
}

/// Every difference between the reference and the schema for `name`, as lines of a report.
fn compare_complex(
    service: &Service,
    refs: &BTreeMap<String, RefType>,
    name: &str,
    wanted: &RefType,
    out: &mut Vec<String>,
) {
    let Some(def) = service.types.get(name) else {
        out.push(format!("{name}: in the reference, not in the schema"));
        return;
    };
    // Without a namespace of its own, a type's elements are in the service's.
    fn ns_of(ns: Option<&str>) -> &str {
        ns.unwrap_or(TNS)
    }
    let (own_ns, wanted_ns) = (ns_of(def.xml_ns.as_deref()), ns_of(wanted.ns.as_deref()));
    if own_ns != wanted_ns {
        out.push(format!(
            "{name}: namespace {own_ns} in the schema, {wanted_ns} in the reference"
        ));
    }
    let own = struct_of(service, def);
    // A list: one element per item, `maxOccurs="unbounded"`.
    if let [item] = wanted.elements.as_slice()
        && item.max_occurs == "unbounded"
    {
        match &own.kind {
            Kind::List(list)
                if list.item_element == item.name && list.item == type_ref(&item.ty) => {}
            other => out.push(format!(
                "{name}: a list of <{}> {} in the reference; the schema has {other:?}",
                item.name, item.ty
            )),
        }
        return;
    }
    let Kind::Struct(strukt) = &own.kind else {
        out.push(format!(
            "{name}: a sequence in the reference; the schema has {:?}",
            own.kind
        ));
        return;
    };
    if strukt.base != wanted.base {
        out.push(format!(
            "{name}: extends {:?} in the schema, {:?} in the reference",
            strukt.base, wanted.base
        ));
    }
    // A derived type carries its base's elements first, in the base's namespace.
    let declaring = wanted.base.iter().map(|base| &refs[base]).chain([wanted]);
    let mut expected: Vec<(&Element, Option<&str>)> = declaring
        .flat_map(|r| r.elements.iter().map(|e| (e, r.ns.as_deref())))
        .collect();
    // A union's discriminator is not a field: SOAP names the type in `xsi:type` and leaves the element out
    // (the faults' XSD has none), JSON writes it first as the tag. Leaving it out is valid only where the XSD
    // lets the element be absent.
    if let Some(discriminator) = discriminator(service, def, strukt.base.as_deref())
        && let Some(at) = expected.iter().position(|(e, _)| e.name == discriminator)
    {
        if expected[at].0.min_occurs != "0" {
            out.push(format!(
                "{name}.{discriminator}: required in the reference, but left to `xsi:type` by the schema"
            ));
        }
        expected.remove(at);
    }
    let found: Vec<&str> = strukt.fields.iter().map(|f| f.wire.as_str()).collect();
    let listed: Vec<&str> = expected.iter().map(|(e, _)| e.name.as_str()).collect();
    if found != listed {
        out.push(format!(
            "{name}: elements {found:?} in the schema, {listed:?} in the reference"
        ));
        return;
    }
    for (field, (element, declared_in)) in strukt.fields.iter().zip(&expected) {
        let at = format!("{name}.{}", element.name);
        if field.ty != type_ref(&element.ty) {
            out.push(format!(
                "{at}: type {:?} in the schema, {} in the reference",
                field.ty, element.ty
            ));
        }
        if field.required != (element.min_occurs == "1") {
            out.push(format!(
                "{at}: required = {} in the schema, minOccurs = {} in the reference",
                field.required, element.min_occurs
            ));
        }
        if field.nillable != element.nillable {
            out.push(format!(
                "{at}: nillable = {} in the schema, {} in the reference",
                field.nillable, element.nillable
            ));
        }
        let (written_in, declared_in) = (
            ns_of(field.xml_ns.as_deref().or(def.xml_ns.as_deref())),
            ns_of(*declared_in),
        );
        if written_in != declared_in {
            out.push(format!(
                "{at}: written in {written_in} by the schema, in {declared_in} by the reference"
            ));
        }
    }
}

#[test]
fn the_schema_declares_every_type_as_the_reference_gives_it() {
    let text = common::shared_page("reference", "microsoft-campaign-management-v13.md");
    let service = common::project_service("microsoft");
    let refs = complex_types(&text);
    let enums = enumerations(&text);
    assert!(
        refs.len() > 60 && enums.len() > 20,
        "the reference's tables were read"
    );

    let mut differences = Vec::new();
    for (name, wanted) in &refs {
        compare_complex(&service, &refs, name, wanted, &mut differences);
    }
    for (name, wanted) in &enums {
        match service.types.get(name).map(|d| &d.kind) {
            Some(Kind::Enum(e)) => {
                let values: Vec<&str> = e.values.iter().map(|v| v.wire.as_str()).collect();
                if values != wanted.values {
                    differences.push(format!(
                        "{name}: values {values:?} in the schema, {:?} in the reference",
                        wanted.values
                    ));
                }
                if e.flags != wanted.flags {
                    differences.push(format!(
                        "{name}: flags = {} in the schema, {} in the reference",
                        e.flags, wanted.flags
                    ));
                }
            }
            other => differences.push(format!(
                "{name}: an enumeration in the reference, {other:?} in the schema"
            )),
        }
    }
    // And nothing the schema declares goes unchecked: each type is one of the reference's, or the struct
    // holding a union's base fields, checked with the union.
    let base_structs: Vec<&str> = service
        .types
        .values()
        .filter_map(|d| match &d.kind {
            Kind::Union(u) => Some(u.base_struct.as_str()),
            _ => None,
        })
        .collect();
    for name in service.types.keys() {
        if !refs.contains_key(name)
            && !enums.contains_key(name)
            && !base_structs.contains(&name.as_str())
        {
            differences.push(format!("{name}: in the schema, not in the reference"));
        }
    }
    common::assert_agree(&differences);
}

/// Section 5.5: each hierarchy's REST `"Type"` values, read from Microsoft's SDKs. They are the SOAP `Type`
/// values, not the XSD type names (`CustomAudience` is `"Custom"`), so a schema that guessed from the names
/// would be rejected by the REST endpoint.
#[test]
fn every_derived_type_carries_the_rest_type_value_the_reference_gives() {
    let text = common::shared_page("reference", "microsoft-campaign-management-v13.md");
    let service = common::project_service("microsoft");
    let section = text
        .split("### 5.5")
        .nth(1)
        .and_then(|s| s.split("### 5.6").next())
        .expect("section 5.5");
    let mut differences = Vec::new();
    let mut hierarchies = 0;
    for row in section.lines().map(common::cells) {
        let [hierarchy, subtypes] = row.as_slice() else {
            continue;
        };
        let Some(base) = hierarchy
            .split(' ')
            .next()
            .filter(|b| service.types.contains_key(*b))
        else {
            continue;
        };
        hierarchies += 1;
        // `Name → \`"Tag"\``, bold or not; prose after an entry is passed over.
        let tags: BTreeMap<&str, &str> = subtypes
            .split(", ")
            .filter_map(|entry| {
                let (name, rest) = entry.split_once(" → ")?;
                let tag = rest.split('"').nth(1)?;
                Some((if name == "base" { base } else { name }, tag))
            })
            .collect();
        let Some(Kind::Union(union)) = service.types.get(base).map(|d| &d.kind) else {
            differences.push(format!(
                "{base}: a hierarchy in the reference, not a union in the schema"
            ));
            continue;
        };
        if union.base_tag.as_deref() != tags.get(base).copied() {
            differences.push(format!(
                "{base}: base tag {:?} in the schema, {:?} in the reference",
                union.base_tag,
                tags.get(base)
            ));
        }
        let mut variants: Vec<&str> = union.variants.iter().map(String::as_str).collect();
        let mut listed: Vec<&str> = tags.keys().copied().filter(|n| *n != base).collect();
        variants.sort_unstable();
        listed.sort_unstable();
        if variants != listed {
            differences.push(format!(
                "{base}: variants {variants:?} in the schema, {listed:?} in the reference"
            ));
        }
        for variant in &union.variants {
            let tag = match &service.types[variant].kind {
                Kind::Struct(s) => s.tag.as_deref(),
                _ => None,
            };
            if tag != tags.get(variant.as_str()).copied() {
                differences.push(format!(
                    "{variant}: tag {tag:?} in the schema, {:?} in the reference",
                    tags.get(variant.as_str())
                ));
            }
        }
    }
    assert_eq!(
        hierarchies, 7,
        "the reference's seven hierarchies were read"
    );
    common::assert_agree(&differences);
}

/// The fault codes the schema gives a meaning are those the reference quotes for it: throttling is
/// `CallRateExceeded`, and refused credentials are a wrong token or an expired one. Both sit in `Code` of
/// `AdApiError`, the field the schema names.
#[test]
fn the_throttling_and_authentication_codes_are_the_ones_the_reference_quotes() {
    let text = common::shared_page("reference", "microsoft-campaign-management-v13.md");
    let service = common::project_service("microsoft");
    // `  - 105: what it means` or `  - **109**: ...`, under the list of quoted codes.
    let quoted: BTreeMap<i64, String> = text
        .split("Error codes quoted by the docs and SDK:")
        .nth(1)
        .expect("the list of quoted codes")
        .lines()
        .skip(1)
        .map_while(|line| line.trim_start().strip_prefix("- "))
        .filter_map(|entry| {
            let (code, meaning) = entry.split_once(':')?;
            Some((code.trim_matches('*').parse().ok()?, meaning.to_string()))
        })
        .collect();
    assert!(quoted.len() >= 4, "{quoted:?}");
    for (what, codes, says) in [
        ("throttling", &service.throttling, "CallRateExceeded"),
        ("authentication", &service.authentication, "token"),
    ] {
        let codes = codes.as_ref().unwrap_or_else(|| panic!("no {what} codes"));
        assert_eq!(codes.code_field, "Code", "{what}");
        assert!(!codes.codes.is_empty(), "{what}");
        for code in &codes.codes {
            let meaning = quoted
                .get(code)
                .unwrap_or_else(|| panic!("{what} code {code} is not quoted: {quoted:?}"));
            assert!(
                meaning.to_lowercase().contains(&says.to_lowercase()),
                "{what} code {code}: the reference says {meaning:?}"
            );
        }
    }
}
