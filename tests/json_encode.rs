//! The generated JSON encoder against serde_json, for every request of every platform: requests built from
//! the schemas' own model with every field filled (and again with only the required ones), every union member
//! and enum value in turn, and strings that need escaping. Both must write the same bytes, and reading those
//! bytes back must give the request that was built, so no field is dropped on the way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use marketing_apis_codegen::ir::{Kind, Prim, Service, Struct, TypeRef};
use serde_json::{Map, Value, json};

/// Builds request values from the model; `full` fills optional fields too. Each union, enum and primitive
/// type takes its choices in turn, one more each time it is reached, so requests built one after another
/// go through all of them.
struct Builder<'a> {
    service: &'a Service,
    full: bool,
    coverage: &'a mut Coverage,
}

/// For each union and enum reached: how many choices it offers, those taken, and how often it was reached.
#[derive(Default)]
struct Coverage(BTreeMap<String, (usize, BTreeSet<usize>, usize)>);

impl Coverage {
    fn complete(&self) -> bool {
        self.0
            .values()
            .all(|(choices, taken, _)| taken.len() == *choices)
    }
}

impl Builder<'_> {
    fn pick(&mut self, name: &str, choices: usize) -> usize {
        let (offered, taken, reached) = self.coverage.0.entry(name.to_string()).or_default();
        let n = *reached % choices;
        *reached += 1;
        *offered = choices;
        taken.insert(n);
        n
    }

    fn value(&mut self, ty: &TypeRef, long_as_string: bool, depth: usize) -> Value {
        match ty {
            TypeRef::Prim(p) => self.prim(*p, long_as_string),
            TypeRef::JsonObject => json!({"key": "value", "n": [1, 2.5, null]}),
            TypeRef::Array(item) => self.list(item, long_as_string, depth),
            TypeRef::Named(name) => {
                let service = self.service;
                let def = &service.types[name];
                match &def.kind {
                    Kind::Struct(s) => Value::Object(self.fields(s, depth)),
                    Kind::Enum(e) => {
                        let mut names: Vec<&str> =
                            e.values.iter().map(|v| v.wire.as_str()).collect();
                        names.push("NotInThisSchema");
                        let n = self.pick(name, names.len());
                        let chosen = names[n];
                        if e.flags && n + 1 < names.len() {
                            json!(format!("{chosen}, {}", names[n + 1]))
                        } else {
                            json!(chosen)
                        }
                    }
                    Kind::Union(u) => {
                        let mut members: Vec<(&str, &str)> = u
                            .variants
                            .iter()
                            .filter_map(|v| match &service.types[v].kind {
                                Kind::Struct(Struct { tag: Some(tag), .. }) => {
                                    Some((tag.as_str(), v.as_str()))
                                }
                                _ => None,
                            })
                            .collect();
                        if let Some(tag) = &u.base_tag {
                            members.push((tag, &u.base_struct));
                        }
                        members.push(("NotInThisSchema", &u.base_struct));
                        let (tag, ty) = members[self.pick(name, members.len())];
                        let Kind::Struct(s) = &service.types[ty].kind else {
                            panic!("{ty} is not a struct")
                        };
                        let mut object = Map::new();
                        object.insert(u.discriminator.clone(), json!(tag));
                        object.extend(self.fields(s, depth));
                        Value::Object(object)
                    }
                    Kind::List(list) => self.list(&list.item, long_as_string, depth),
                }
            }
        }
    }

    fn list(&mut self, item: &TypeRef, long_as_string: bool, depth: usize) -> Value {
        Value::Array(
            (0..2)
                .map(|_| self.value(item, long_as_string, depth + 1))
                .collect(),
        )
    }

    fn fields(&mut self, s: &Struct, depth: usize) -> Map<String, Value> {
        let long_as_string = self
            .service
            .rest
            .as_ref()
            .is_some_and(|r| r.json.long_as_string);
        // Deep in a recursive type only what must be there is filled, so the value stays finite.
        let optional_too = self.full && depth < 6;
        s.fields
            .iter()
            .filter(|f| (f.required && !f.nillable) || optional_too)
            .map(|f| {
                (
                    f.json_name().to_string(),
                    self.value(&f.ty, long_as_string, depth + 1),
                )
            })
            .collect()
    }

    fn prim(&mut self, p: Prim, long_as_string: bool) -> Value {
        let texts = [
            "plain",
            "quote \" backslash \\ slash / newline \n tab \t nul \u{0} bell \u{7}",
            "é ü 😀 \u{2028} <tag attr='x'>&amp;</tag>",
            "",
        ];
        match p {
            Prim::String => json!(texts[self.pick("string", texts.len())]),
            Prim::Bool => json!(self.pick("bool", 2) == 0),
            Prim::I32 => json!([i32::MIN, -1, 0, i32::MAX][self.pick("i32", 4)]),
            Prim::I64 => {
                let n = [i64::MIN, 0, 9_007_199_254_740_993, i64::MAX][self.pick("i64", 4)];
                if long_as_string {
                    json!(n.to_string())
                } else {
                    json!(n)
                }
            }
            // Text as serde_json writes these floats back, so the values compare equal as read.
            Prim::F64 => number(["0.1", "-0.0", "1e300", "12.5"][self.pick("f64", 4)]),
            Prim::Decimal => {
                number(["12.50", "-0.000000000000000000001", "7"][self.pick("decimal", 3)])
            }
            Prim::Json => json!({"nested": [1, "two", null, {"x": true}]}),
        }
    }
}

fn number(text: &str) -> Value {
    serde_json::from_str(text).expect("number")
}

#[test]
fn every_request_is_written_as_serde_json_writes_it_and_reads_back_whole() {
    let api = marketing_apis_codegen::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas"))
        .expect("schemas load");
    let mut coverage = Coverage::default();
    let mut built = 0;
    // The minimal request of each operation once, then full ones until every choice has been taken.
    for full in [false].into_iter().chain([true; 500]) {
        for service in &api.services {
            for op in &service.operations {
                let mut builder = Builder {
                    service,
                    full,
                    coverage: &mut coverage,
                };
                let request = builder.value(&TypeRef::Named(op.request.clone()), false, 0);
                let json = serde_json::to_vec(&request).expect("json");
                let body = marketing_apis::fuzzing::encode_as(&op.id, &json).unwrap_or_else(|e| {
                    panic!(
                        "{}: the built request does not read: {e}\n{request:#}",
                        op.id
                    )
                });
                let back: Value = serde_json::from_slice(&body).expect("the body is JSON");
                assert_eq!(
                    back, request,
                    "{}: the body lost or changed something",
                    op.id
                );
                built += 1;
            }
        }
        if full && coverage.complete() {
            break;
        }
    }
    // Every union member (an unknown one too) and every enum value reached went through both writers.
    for (name, (choices, taken, _)) in &coverage.0 {
        assert_eq!(
            taken.len(),
            *choices,
            "{name}: only choices {taken:?} taken"
        );
    }
    let reached = coverage
        .0
        .keys()
        .filter(|k| k.chars().next().is_some_and(char::is_uppercase));
    println!(
        "{built} requests built; {} unions and enums reached",
        reached.count()
    );
}

/// The bytes, not just the values: the `Type` tag first, then the base type's properties and the derived
/// type's in XSD order whatever the order given, 64-bit integers as strings, `Key`/`Value` capitalised, quotes
/// escaped, absent properties left out.
#[test]
fn a_microsoft_audience_is_written_byte_for_byte() {
    let json =
        br#"{"Audiences":[{"TagId":"555","Name":"n\"1","Type":"RemarketingList","Id":9000000001,
        "Description":null,"ForwardCompatibilityMap":[{"key":"k","value":"v"}]}]}"#;
    let body = marketing_apis::fuzzing::encode_as("UpdateAudiences", json).expect("request");
    assert_eq!(
        String::from_utf8(body).expect("UTF-8"),
        r#"{"Audiences":[{"Type":"RemarketingList","ForwardCompatibilityMap":[{"Key":"k","Value":"v"}],"Id":"9000000001","Name":"n\"1","TagId":"555"}]}"#
    );
}
