//! SOAP codecs go only where values travel: encoders for what a request can hold, decoders for what a response
//! or a fault can hold.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use marketing_apis_codegen::ir::Kind;

/// The `X` of every `impl <trait_path> for X {` in `code`.
fn implementors<'a>(code: &'a str, trait_path: &str) -> BTreeSet<&'a str> {
    let head = format!("impl {trait_path} for ");
    code.lines()
        .filter_map(|line| line.strip_prefix(head.as_str())?.strip_suffix(" {"))
        .collect()
}

/// The hand-kept platform `tests/platforms/hand` of the library's tests (`src/test_platforms.rs`).
fn hand() -> String {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/platforms");
    let files = marketing_apis_codegen::generate(&fixtures).expect("the test platforms generate");
    files
        .into_iter()
        .find(|f| f.name == "hand.rs")
        .expect("hand.rs")
        .text
}

#[test]
fn a_type_gets_the_soap_codecs_of_the_ways_it_travels() {
    let code = &hand();
    let set = |names: &[&'static str]| names.iter().copied().collect::<BTreeSet<_>>();
    assert_eq!(
        implementors(code, "rt::soap::Encode"),
        set(&["Pair", "Req"])
    );
    assert_eq!(
        implementors(code, "rt::soap::Decode"),
        set(&["Fault", "Pair", "Resp"])
    );
    // Only a struct with a required element gathers its fields first, so that a missing one is named.
    assert!(code.contains(r#""required element <Count> is missing""#));
    assert!(
        code.contains("let mut value = Self::default();"),
        "Fault and Pair fill in place"
    );
}

#[test]
fn soap_encoders_are_for_requests_and_decoders_for_responses() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let files = marketing_apis_codegen::generate(&schemas).expect("the project's schemas generate");
    let code = &files
        .iter()
        .find(|f| f.name == "microsoft.rs")
        .expect("microsoft.rs")
        .text;
    let service = common::project_service("microsoft");
    // Structs and unions get codecs of their own; enums, flags and lists are read and written by the runtime.
    let own_codec = |names: BTreeSet<&str>| -> BTreeSet<String> {
        names
            .into_iter()
            .filter(|n| matches!(service.types[*n].kind, Kind::Struct(_) | Kind::Union(_)))
            .map(str::to_string)
            .collect()
    };
    let owned = |set: BTreeSet<&str>| set.into_iter().map(str::to_string).collect::<BTreeSet<_>>();
    let encoded = owned(implementors(code, "rt::soap::Encode"));
    let decoded = owned(implementors(code, "rt::soap::Decode"));
    assert_eq!(encoded, own_codec(service.request_types()));
    assert_eq!(decoded, own_codec(service.response_types()));

    // Anchors from the reference: an audience is only ever sent; batch errors and fault details only arrive;
    // a key-value pair travels both ways.
    for sent in [
        "Audience",
        "RemarketingList",
        "RuleItemGroup",
        "ConversionGoal",
    ] {
        assert!(encoded.contains(sent) && !decoded.contains(sent), "{sent}");
    }
    for received in [
        "UpdateAudiencesResponse",
        "BatchError",
        "EditorialError",
        "ApiFaultDetail",
        "AdApiError",
    ] {
        assert!(
            decoded.contains(received) && !encoded.contains(received),
            "{received}"
        );
    }
    assert!(encoded.contains("KeyValuePairOfstringstring"));
    assert!(decoded.contains("KeyValuePairOfstringstring"));
}
